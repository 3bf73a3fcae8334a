"""The shipped examples run, and `dualnum compare examples/two_layer_slips.py` names each slip.

The expected diagnoses are the slips written into the example's three backprops (a right one;
dW2 doubled and db1 scaled by 4/m; relu' forgotten in layer 1); the example's right backprop is
checked against central differences here, independently of dualnum.
"""

from __future__ import annotations

import json
import runpy
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "two_layer_slips.py"


@pytest.fixture(scope="module")
def example():
    return runpy.run_path(str(EXAMPLE))


def _numpy_loss(ns, p):
    X, Y = ns["X"], ns["Y"]
    Z2 = p["W2"] @ np.maximum(p["W1"] @ X + p["b1"], 0) + p["b2"]
    Z2 = Z2 - Z2.max(axis=0)
    logp = Z2 - np.log(np.exp(Z2).sum(axis=0))
    return -np.sum(Y * logp) / X.shape[1]


def test_the_right_backprop_is_right_by_central_differences(example):
    ns, p = example, example["params"]
    g, _ = ns["backprop"](p, ns["X"], ns["Y"])
    for k in p:
        for idx in np.ndindex(*p[k].shape):
            up = {kk: v.copy() for kk, v in p.items()}
            down = {kk: v.copy() for kk, v in p.items()}
            up[k][idx] += 1e-6
            down[k][idx] -= 1e-6
            num = (_numpy_loss(ns, up) - _numpy_loss(ns, down)) / 2e-6
            assert g[k][idx] == pytest.approx(num, rel=1e-6, abs=1e-9)


def test_compare_names_each_slip():
    proc = subprocess.run([sys.executable, "-m", "dualnum", "compare", str(EXAMPLE),
                           "--format", "json"], cwd=ROOT, capture_output=True, text=True,
                          timeout=600)
    assert proc.returncode == 1, proc.stderr  # two of the three backprops are wrong
    cases = {c["name"]: c for c in json.loads(proc.stdout)["cases"]}
    assert cases["two_layer.correct"]["status"] == "agree"
    assert cases["two_layer.correct"]["hand_check"]["first_wrong_layer"] is None
    scaled = {b["block"]: b for b in cases["two_layer.scaled"]["hand_check"]["blocks"]}
    assert sorted(scaled) == ["W2", "b1"]
    assert scaled["W2"]["kind"] == "factor" and scaled["W2"]["diagnosis"] == \
        "a constant factor ×2"
    assert scaled["b1"]["diagnosis"] == \
        "a constant factor ×4/5 = 4/m (m = 5, the batch size)"
    assert cases["two_layer.scaled"]["hand_check"]["first_wrong_layer"] is None
    relu = cases["two_layer.no_relu_prime"]["hand_check"]
    assert {b["block"]: b["diagnosis"] for b in relu["blocks"]} == {
        "W1": "missing the activation derivative relu'(Z1)",
        "b1": "missing the activation derivative relu'(Z1)"}
    assert relu["first_wrong_layer"] == "Z1"
    assert [(r["name"], r["status"]) for r in relu["layers"]] == [("Z2", "ok"), ("Z1", "wrong")]


# whole-program checks (subprocesses, sympy, full reports): CI runs them, the quick loop
# (pytest -m "not slow") leaves them out
pytestmark = pytest.mark.slow
