"""``python -m dualnum`` is the ``dualnum`` command."""

import sys

from dualnum.cli import main

if __name__ == "__main__":
    sys.exit(main())
