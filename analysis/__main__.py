"""``python -m analysis``: the same as the ``newslens`` command."""

import sys

from analysis.cli.main import run

if __name__ == "__main__":
    sys.exit(run())
