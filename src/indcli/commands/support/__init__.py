"""What the commands share and use: the interview and its prompts, answers files, batch
routing, saving a checklist, the new-pack scaffold and the registry of core commands.
None of these is a command itself; each command is a module one level up."""
