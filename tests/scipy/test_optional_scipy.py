"""scipy is an optional extra: ``import dualnum`` neither needs nor imports it (nor
``dualnum.scipy``), the rule table is the same without it, and ``dualnum.scipy`` without it
fails with one line saying what to install. scipy's absence is simulated in a subprocess
(``sys.modules["scipy"] = None`` makes every ``import scipy...`` raise ImportError)."""
from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NO_SCIPY = "import sys; sys.modules['scipy'] = None; sys.modules['scipy.special'] = None\n"
MESSAGE = ("dualnum.scipy.special needs scipy, an optional extra: "
           "pip install dualnum-toolkit[scipy]")


def _run(code: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)


# what each subprocess reports: the rule table's names, the scipy modules it ended up with,
# a derivative computed without any special function, and the errors of the scipy parts
PROBE = """
import json, math, sys
import dualnum, dualnum.numpy as dnp
out = {"rules": [p.name for p in dualnum.all_rules()],
       "grad": dualnum.grad(lambda x: dnp.exp(x) * dnp.erf(x))(0.0)}
out["modules"] = sorted(m for m in sys.modules
                        if m.split(".")[0] == "scipy" and sys.modules[m] is not None
                        or m.startswith("dualnum.scipy"))
from dualnum.rules import gammaln
try:
    out["row"] = repr(gammaln(2.0))
except ImportError as e:
    out["row"] = str(e)
print(json.dumps(out))
"""


def test_dualnum_without_scipy_works_and_has_the_same_table():
    without = _run(NO_SCIPY + PROBE)
    assert without.returncode == 0, without.stderr
    b = json.loads(without.stdout)
    # import dualnum imports neither scipy nor dualnum.scipy (a row imports scipy.special
    # when it first computes, after the modules were listed)
    assert b["modules"] == [] and "gammaln" in b["rules"]
    assert b["grad"] == 2.0 / 3.141592653589793 ** 0.5
    assert b["row"] == "gammaln " + MESSAGE.split(" ", 1)[1], b["row"]   # one line
    if importlib.util.find_spec("scipy") is None:
        return      # the oldest-versions CI job has no scipy: the comparison needs it
    with_scipy = _run(PROBE)
    assert with_scipy.returncode == 0, with_scipy.stderr
    a = json.loads(with_scipy.stdout)
    assert a["modules"] == [] and a["rules"] == b["rules"] and a["grad"] == b["grad"]
    assert a["row"] == "0.0"


def test_import_dualnum_scipy_without_scipy_is_one_line():
    r = _run(NO_SCIPY + "import dualnum.scipy.special")
    assert r.returncode != 0
    assert r.stderr.strip().splitlines()[-1] == "ImportError: " + MESSAGE, r.stderr
    assert "During handling" not in r.stderr, r.stderr      # no chained traceback
    r = _run(NO_SCIPY + "for m in ('dualnum.scipy', 'dualnum.scipy.stats'):\n"
             "    try:\n        __import__(m)\n    except ImportError as e:\n"
             "        print(e)\n")
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines() == [MESSAGE, MESSAGE]


# whole-program checks (subprocesses, sympy, full reports): CI runs them, the quick loop
# (pytest -m "not slow") leaves them out
pytestmark = pytest.mark.slow
