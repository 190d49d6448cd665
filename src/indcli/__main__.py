"""``python -m indcli`` runs the same entry point as the ``indcli`` script."""

from indcli.cli import main

if __name__ == "__main__":
    main(prog_name="indcli")
