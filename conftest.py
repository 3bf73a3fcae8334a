"""pytest's collection settings for the whole tree (the doctests of dualnum/ included)."""
from importlib.util import find_spec

# dualnum.scipy needs scipy, an optional extra: without it, its modules (which raise the
# one-line ImportError on import) are not collected for their doctests; tests/scipy skips
collect_ignore_glob = [] if find_spec("scipy") else ["dualnum/scipy/*.py"]
