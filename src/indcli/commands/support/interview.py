"""The interview: a route's questions asked on a terminal, one at a time.

A short opening says what indcli finds out, how many questions at most, the keys, and
that it is not the IND. Every question after the first offers ``Back``; before the
result, a review lists the answers in words and offers ``Show my route``, ``Change an
answer``, ``Start again`` and ``Back``, so no single Enter decides the route.

It is a small state machine over ``pool`` (every answer known: from the command line or
given here) that cannot loop: each pass is :func:`indcli.routing.engine.settle` from no
answers, whose ``ask`` takes an answer from the pool or asks the person. So the answers
reviewed are exactly those that matter, in asking order, whether they came from flags, a
file or the interview; Back removes the last of them from the pool (its answer stays
preselected), so Back from anywhere reaches a question. The interview never decides
anything itself, and every text it shows comes from the flow's content.

Ctrl-C or Ctrl-D ends it with exit 130 and one line that resumes with the answers so far
(at the review, with ``--review``, which brings the review and the save offer back).
"""

from __future__ import annotations

import shlex
from collections.abc import Mapping, Sequence

import click

from indcli.app import App
from indcli.commands.support.prompts import BACK, UNSURE
from indcli.content.model import Question
from indcli.errors import Interrupted
from indcli.output.render import command_message, reading, wrap_words
from indcli.routing.engine import decide, reachable_outcomes, relevant_questions, route, settle
from indcli.routing.flow import Flow
from indcli.utils.records import MutableRecord, fresh

STOP = "\0stop"
SHOW, CHANGE, AGAIN = "\0show", "\0change", "\0again"
MAX_LINES = 8  # an inline "not sure" explanation, with its pointer to the full topic
MAX_PATHS = 4096  # routes followed to count the most questions left (then: the relevant)


class _Back(Exception):
    """Back was chosen at a question: the pass of settle() ends there."""


class Interview(MutableRecord):
    """One interview over ``flow``, starting from the answers ``given`` on the command
    line; ``command`` and ``options`` make the resume line (``indcli route ...``).
    ``review``: show the review even when nothing is left to ask (``--review``)."""

    app: App
    flow: Flow
    given: dict[str, str]
    command: str = "route"
    options: Sequence[str] = ()
    err: bool = False  # interview text on stderr (stdout is kept for the result)
    review: bool = False
    # The state as the interview goes (never passed in):
    answers: dict[str, str] = fresh(factory=dict)  # that matter, in order
    pool: dict[str, str] = fresh(factory=dict)  # every answer known
    memory: dict[str, str] = fresh(factory=dict)  # preselected on a redo
    prompted: set[str] = fresh(factory=set)  # asked here, not given
    reviewing: bool = False
    changed: dict[str, str] | None = None  # the answers before "Change an answer"
    decided: bool = False  # the line saying what decided the outcome was said this pass
    unsure: dict[str, int] = fresh(factory=dict)
    # the longest way left after each set of answers (see _most_left)
    longest_seen: dict[tuple[tuple[str, str], ...], int] = fresh(factory=dict)
    blank: bool = False  # the last line said was blank
    cols: int = 80

    def __post_init__(self) -> None:
        self.pool = dict(self.given)
        self.memory = dict(self.given)
        self.cols = self.app.terminal.prompt_columns()

    def run(self) -> dict[str, str]:
        """The answers once the user chose ``Show my route``."""
        try:
            return self._run()
        except (KeyboardInterrupt, EOFError):
            prefix = "Interrupted. Go on later with:"
            if "json" in self.options:  # a JSON error object: its message is one line
                raise Interrupted(f"{prefix} {self.resume()}") from None
            raise Interrupted(command_message(prefix, self.resume())) from None

    @property
    def asked(self) -> list[str]:
        """The questions answered in this interview (not given on the command line)."""
        return [q for q in self.answers if q in self.prompted]

    def resume(self) -> str:
        """The command that goes on with the answers given so far (at the review: the
        answers reviewed, and ``--review`` to see them again before the result)."""
        answers = self.answers if self.reviewing else self.pool
        ordered = [(q, answers[q]) for q in self.flow.question_ids if q in answers]
        words = ["indcli", self.command] + [w for q, v in ordered for w in (f"--{q}", v)]
        review = ["--review"] if self.reviewing and "--review" not in self.options else []
        return shlex.join([*words, *self.options, *review])

    def _run(self) -> dict[str, str]:
        self._opening()
        while True:
            self.reviewing = False
            try:
                self.answers = dict(settle(self.flow, {}, ask=self._next).answers)
            except _Back:
                self._back()
                continue
            if not self.prompted and not self.review:  # nothing was asked: no review
                return self.answers
            if self.changed is not None:
                self._say_changes(self.changed)
                self.changed = None
            self.reviewing = True
            action = self._review()
            if action == SHOW:
                return self.answers
            if action == BACK:
                self._back()
            elif action == AGAIN:
                self.pool, self.memory, self.prompted = {}, {}, set()
            else:  # CHANGE: the pool holds the new answer; the next pass asks what is new
                self.changed, self.decided = dict(self.answers), False

    def _next(self, question: Question, answers: Mapping[str, str]) -> str:
        """settle()'s ``ask``: the answer from the pool, else the person's."""
        self.answers = dict(answers)
        if question.id in self.pool:
            return self.pool[question.id]
        before = decide(self.flow, answers).outcome
        number = 1 + sum(q not in self.given for q in answers)
        most = number - 1 + self._most_left(answers)
        reply = self._ask(
            question, back=bool(answers), progress=f"question {number} of at most {most}"
        )
        if reply == BACK:
            raise _Back
        self.pool[question.id] = self.memory[question.id] = reply
        self.prompted.add(question.id)
        self.answers[question.id] = reply
        self._say_if_decided(before)
        return reply

    def _back(self) -> None:
        """Forget the last answer that mattered: the next pass asks that question."""
        if self.answers:
            self.pool.pop(list(self.answers)[-1], None)

    # --- asking --------------------------------------------------------------------

    def _opening(self) -> None:
        """At most five lines: what indcli finds out, how many questions, who "you" is
        (the flow's ``audience``), the keys, and that it is not the IND nor legal advice."""
        count = self._most_left({})
        many = f"at most {count} question{'s' if count != 1 else ''}"
        if self.app.terminal.plain:
            keys = "Type a number or the start of an answer, then Enter."
            plain = "Plain mode: each question once, with numbered choices."
        else:
            keys = "Type a number or use the arrow keys, then Enter."
            plain = "Screen reader? Use --plain."
        if count:
            self._say(f"{self.flow.title}: indcli works it out from the IND page in {many}.")
        else:
            self._say(f"{self.flow.title}: indcli has every answer it needs; check them below.")
        if self.flow.audience:  # who "you" is in the questions
            self._say(self.flow.audience)
        stop = "Ctrl-C: stop (it prints a command to go on)"
        self._say(f"{keys} b: back, ?: not sure (where offered), {stop}.")
        self._say(f"{plain} indcli is not the IND and not legal advice.")
        if not self.app.terminal.plain:  # a plain question starts with a blank line
            self._say("")

    def _most_left(self, answers: Mapping[str, str]) -> int:
        """The most questions the person may still be asked after ``answers``: the
        longest way through the flow, answers given on the command line taken as given
        (so after a resume it counts only what is left). Counted once per set of answers
        for the whole interview (the opening and every question ask again)."""
        seen = self.longest_seen

        def longest(known: dict[str, str]) -> int:
            key = tuple(sorted(known.items()))
            if key not in seen:
                if len(seen) >= MAX_PATHS:
                    raise OverflowError
                relevant = relevant_questions(self.flow, known)
                if not relevant:
                    seen[key] = 0
                elif relevant[0] in self.given:
                    seen[key] = longest({**known, relevant[0]: self.given[relevant[0]]})
                else:
                    choices = self.flow.question(relevant[0]).choice_ids
                    seen[key] = 1 + max(longest({**known, relevant[0]: c}) for c in choices)
            return seen[key]

        try:
            return longest(dict(answers))
        except OverflowError:  # too many ways to follow: every question that may matter
            missing = route(self.flow, {**self.given, **answers}).relevant
            return len(missing)

    def _ask(self, question: Question, back: bool, progress: str = "") -> str:
        from indcli.commands.support import prompts

        choices = [(c.id, c.label) for c in question.choices]
        while True:
            extra = []
            times = self.unsure.get(question.id, 0)
            if question.unsure and times < 2:
                extra.append((UNSURE, question.unsure.label if times == 0 else "Still not sure"))
            if times >= 2:
                extra.append((STOP, "Stop here, find out, and go on later"))
            if back:
                extra.append((BACK, "Back"))
            self.blank = False  # a prompt comes between
            answer = prompts.select(
                question.prompt,
                choices + extra,
                help_text=question.help,
                default=self.memory.get(question.id),
                progress=progress,
            )
            if answer == STOP:
                click.echo(
                    command_message("When you know, go on with:", self.resume()), err=self.err
                )
                raise click.exceptions.Exit(0)
            if answer != UNSURE:
                return answer
            self.unsure[question.id] = times + 1
            if times == 0:
                self._explain(question)
            else:
                self._way_forward(question)

    def _review(self) -> str:
        """The answers in words; SHOW, BACK, AGAIN, or CHANGE with the new answer pooled."""
        from indcli.commands.support import prompts

        while True:
            self._say("")
            self._say("Your answers:")
            for qid in self.answers:
                question = self.flow.question(qid)
                self._say(f"{question.prompt} {question.label(self.answers[qid])}", "  - ")
            choices = [
                (SHOW, "Show my route"),
                (CHANGE, "Change an answer"),
                (AGAIN, "Start again"),
                (BACK, "Back"),
            ]
            action = prompts.select("Is this right?", choices, start=SHOW)
            if action == AGAIN and not prompts.confirm(
                "Start again? Every answer is forgotten.", default=False
            ):
                continue
            if action != CHANGE:
                return action
            listed = list(self.answers)
            picked = prompts.select(
                "Which answer do you want to change?",
                [(q, self.flow.question(q).prompt) for q in listed] + [(BACK, "Back")],
            )
            if picked == BACK:
                continue
            new = self._ask(self.flow.question(picked), back=True)
            if new == BACK:
                continue
            self.pool[picked] = self.memory[picked] = new
            self.prompted.add(picked)
            return CHANGE

    # --- saying ----------------------------------------------------------------------

    def _say(self, text: str, first: str = "", rest: str | None = None) -> None:
        if not text and self.blank:
            return  # one blank line between blocks is enough
        self.blank = not text
        rest = " " * len(first) if rest is None else rest
        lines = wrap_words(text, self.cols, first, rest) if text else [""]
        click.echo("\n".join(lines), err=self.err)

    def _say_changes(self, before: Mapping[str, str]) -> None:
        """After "Change an answer": which answers no longer matter, and the form or
        channel it changed, from what to what (with the page's reason for the new one)."""
        dropped = [q for q in before if q not in self.answers]
        was, now = decide(self.flow, before).outcome, decide(self.flow, self.answers).outcome
        if not dropped and was == now:
            return
        self._say("")
        self._say("What your change changed:")
        for qid in dropped:
            question = self.flow.question(qid)
            self._say(
                f"No longer needed: {question.prompt} ({question.label(before[qid])})", "  - "
            )
        if was != now and was and now:
            old, new = self.flow.outcomes[was], self.flow.outcomes[now]
            if old.channel != new.channel:
                self._say(f"Channel: {old.channel} \u2192 {new.channel}", "  - ")
            self._say(f"Form: {old.title} \u2192 {new.title}", "  - ")
            if not self.decided:  # the line a first run shows, unless a new answer said it
                self._say_if_decided(None)

    def _say_if_decided(self, before: str | None) -> None:
        """Say in one line when this answer decided the outcome, citing the rule's source
        (e.g. online preferred, but no iDeal: now it is paper)."""
        decision = decide(self.flow, self.answers)
        if before or not decision.outcome or not decision.outcome_rules:
            return
        rule = decision.outcome_rules[0].rule
        self.decided = True
        self._say(f"\u2192 {rule.text}")
        if rule.basis == "inference" and rule.basis_note:
            self._say(reading(rule.basis_note), "  ")
        self._say(f"The page: \u201c{rule.source.quote}\u201d", "  ")
        self._say("")

    def _explain(self, question: Question) -> None:
        """The topic's summary, opening paragraph(s) and note, in about :data:`MAX_LINES`:
        the note (what the page does not say) is always kept, the body is cut instead."""
        unsure = question.unsure
        assert unsure is not None
        topic = self.app.catalog.topics.get(unsure.topic)
        if topic is None:
            self._say(
                f"The explanation of this question is in pack {unsure.pack}; "
                f"{self.app.load_catalog().pack_hint(unsure.pack)}."
            )
            return
        cols = self.cols
        click.echo(err=self.err)
        lines = wrap_words(topic.summary, cols)
        tail = wrap_words(f"Note: {topic.note}", cols) if topic.note else []
        tail += wrap_words(f"Full explanation: indcli explain {unsure.topic}", cols)
        room = max(MAX_LINES - len(tail), len(lines) + 1)
        opening = len(lines)
        for paragraph in topic.body:
            text = reading(paragraph.text) if paragraph.basis == "inference" else paragraph.text
            more = wrap_words(text, cols)
            if len(lines) + len(more) <= room:
                lines += more
            elif len(lines) == opening:  # the first paragraph is too long: cut it
                cut = room - len(lines)
                lines += [*more[: cut - 1], more[cut - 1].rstrip(".,;:") + " \u2026"]
                break
        click.echo("\n".join(lines + tail), err=self.err)

    def _way_forward(self, question: Question) -> None:
        """A second "not sure": what each answer leads to, and what stays open whichever
        answer is right (indcli's reading of the rules, never the page's words)."""
        self._say("")
        if not any(question.id in r.questions for r in self.flow.outcome_rules):
            self._prerequisite_forward(question)
            return
        self._say("Still not sure? What each answer leads to:")
        open_to: list[set[str]] = []
        for choice in question.choices:
            answers = {**self.answers, question.id: choice.id}
            decision = decide(self.flow, answers)
            outcome = decision.outcome
            reachable = set(_reachable(self.flow, answers))
            open_to.append(reachable)
            if outcome:
                leads = self.flow.outcomes[outcome].title
                if any(r.rule.basis == "inference" for r in decision.outcome_rules[:1]):  # no iDeal
                    leads = reading(leads)
                advice = decision.advice
                tips = [r for r in advice if r.advice in ("prerequisite", "warning")]
                if tips:  # what the page advises there first, e.g. its own form finder
                    leads += f". {tips[0].rule.text}"
            else:
                leads = "more questions, then one of: " + "; ".join(
                    sorted(self.flow.outcomes[o].title for o in reachable)
                )
            self._say(f"{choice.label}: {leads}", "  - ")
        common = set.intersection(*open_to) if open_to else set()
        for outcome_id in sorted(common):
            outcome = self.flow.outcomes[outcome_id]
            if outcome.channel == "referral":
                continue
            # The outcome's own quote says why it is open (for the written way: "Do you not
            # or can you not do the application online?"), not a rule for some other case.
            self._say(
                reading(
                    f"\u201c{outcome.title}\u201d stays open to you whichever answer is "
                    "right, so if you cannot find out, you can take that route."
                )
            )
            self._say(f"The page: \u201c{outcome.source.quote}\u201d", "  ")
        if question.unsure:
            self._say(f"Or read it all first: indcli explain {question.unsure.topic}")

    def _prerequisite_forward(self, question: Question) -> None:
        """A second "not sure" at a question no outcome rule tests (DigiD): the form stays
        the same, only what to arrange first changes, so nothing "stays open" by not
        knowing; applying on paper is open to whoever cannot arrange it."""
        self._say("Still not sure? Your answer does not change your form. What each answer asks:")
        for choice in question.choices:
            answers = {**self.answers, question.id: choice.id}
            first = next(
                (
                    r.rule.text
                    for r in self.flow.advice_rules
                    if question.id in r.questions and r.test(answers, None) is not False
                ),
                None,
            )
            if first:
                self._say(f"{choice.label}: {first}", "  - ")
        reachable = sorted(_reachable(self.flow, self.answers))
        forms = " and ".join(f"\u201c{self.flow.outcomes[o].title}\u201d" for o in reachable)
        self._say(f"For {forms}, the page says: \u201c{question.source.quote}\u201d")
        for outcome in self.flow.outcomes.values():
            if outcome.channel == "paper" and outcome.id not in reachable:
                self._say(
                    reading(
                        f"if you cannot arrange it, you can apply on paper: "
                        f"\u201c{outcome.title}\u201d. Choose Back to change an earlier answer."
                    )
                )
                self._say(f"The page: \u201c{outcome.source.quote}\u201d", "  ")
        if question.unsure:
            self._say(f"Or read it all first: indcli explain {question.unsure.topic}")


def _reachable(flow: Flow, answers: dict[str, str]) -> list[str]:
    """The outcomes some completion of ``answers`` leads to (exact, at any flow size)."""
    return reachable_outcomes(flow, answers)
