"""Build the dossier site: ``python build.py [COMMAND] [OPTIONS]`` (see README)."""

import sys

from dossierpress.cli import main

if __name__ == "__main__":
    sys.exit(main())
