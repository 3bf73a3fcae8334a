"""scipy is an optional extra: ``import dualnum`` neither needs nor imports it (nor
``dualnum.scipy``), the rule table is the same without it, and ``dualnum.scipy`` without it
fails with one line saying what to install. scipy's absence is simulated in a subprocess
(``sys.modules["scipy"] = None`` makes every ``import scipy...`` raise ImportError)."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
NO_SCIPY = "import sys; sys.modules['scipy'] = None; sys.modules['scipy.special'] = None\n"


def _run(code: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)


def test_import_dualnum_imports_neither_scipy_nor_dualnum_scipy():
    r = _run("import sys, dualnum, dualnum.numpy as dnp\n"
             "dnp.tanh(dualnum.Dual(0.5, 1.0)); dualnum.grad(dnp.sin)(0.3)\n"
             "print(sorted(m for m in sys.modules if m == 'scipy' or m.startswith('scipy.')\n"
             "             or m.startswith('dualnum.scipy')))")
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "[]", r.stdout


def test_without_scipy_dualnum_works_and_the_table_is_the_same():
    with_scipy = _run("import dualnum; print([p.name for p in dualnum.all_rules()])")
    without = _run(NO_SCIPY + "import math, dualnum, dualnum.numpy as dnp\n"
                   "g = dualnum.grad(lambda x: dnp.exp(x) * dnp.erf(x))(0.0)\n"
                   "assert g == 2 / math.sqrt(math.pi), g\n"
                   "print([p.name for p in dualnum.all_rules()])")
    assert with_scipy.returncode == 0 and without.returncode == 0, without.stderr
    assert with_scipy.stdout == without.stdout
    assert "gammaln" in without.stdout


def test_without_scipy_a_special_row_says_what_to_install():
    r = _run(NO_SCIPY + "from dualnum.rules import gammaln\n"
             "try:\n    gammaln(2.0)\nexcept ImportError as e:\n    print(e)\n")
    assert r.returncode == 0, r.stderr
    msg = r.stdout.strip()
    assert "\n" not in msg and "pip install dualnum-toolkit[scipy]" in msg, msg


def test_without_scipy_import_dualnum_scipy_is_one_line():
    for mod in ("dualnum.scipy.special", "dualnum.scipy.stats", "dualnum.scipy"):
        r = _run(NO_SCIPY + f"import {mod}")
        assert r.returncode != 0
        last = r.stderr.strip().splitlines()[-1]
        assert last == ("ImportError: dualnum.scipy.special needs scipy, an optional extra: "
                        "pip install dualnum-toolkit[scipy]"), r.stderr
        # no chained "During handling of the above exception" traceback
        assert "During handling" not in r.stderr, r.stderr
