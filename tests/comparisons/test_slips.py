"""Every diagnosis category of a wrong hand gradient, each from a deliberate slip.

The correct backprops here are plain numpy, checked first against central differences written
in this file (never against dualnum); each slip is then one edit of a correct backprop, and the
test asserts the category the report names, the wrong-entry count, and the worst entry's values
against the slipped formula and the finite-difference gradient.
"""

from __future__ import annotations

import numpy as np
import pytest

import dualnum as dn
import dualnum.numpy as dnp
from dualnum.comparisons import case, compare
from dualnum.comparisons.slips import factor_name
from dualnum.comparisons.user_cases import unregister

RNG = np.random.default_rng(14)
M = 4  # batch size: the samples are the columns
X = RNG.normal(size=(3, M))
Y = RNG.normal(size=(2, M))
P = {"W1": RNG.normal(size=(3, 3)), "b1": RNG.normal(size=(3, 1)),
     "W2": RNG.normal(size=(2, 3)), "b2": RNG.normal(size=(2, 1))}
DATA = {"X": X, "Y": Y}


def numgrad(f, params, h=1e-6):
    """Central differences over every entry of a dict of arrays (independent of dualnum)."""
    out = {}
    for k, v in params.items():
        g = np.zeros_like(v)
        for idx in np.ndindex(*v.shape):
            up = {kk: vv.copy() for kk, vv in params.items()}
            dn_ = {kk: vv.copy() for kk, vv in params.items()}
            up[k][idx] += h
            dn_[k][idx] -= h
            g[idx] = (f(up) - f(dn_)) / (2 * h)
        out[k] = g
    return out


def tanh_loss(p, X, Y):
    Z1 = dn.mark("Z1", p["W1"] @ X + p["b1"])
    Z2 = dn.mark("Z2", p["W2"] @ dnp.tanh(Z1) + p["b2"])
    return 0.5 * dnp.sum((Z2 - Y) ** 2) / X.shape[1]


def tanh_backprop(p, X, Y, slip=None):
    m = X.shape[1]
    Z1 = p["W1"] @ X + p["b1"]
    A1 = np.tanh(Z1)
    Z2 = p["W2"] @ A1 + p["b2"]
    dZ2 = (Z2 - Y) / m
    g = {"W2": dZ2 @ A1.T, "b2": dZ2.sum(axis=1, keepdims=True)}
    dZ1 = (p["W2"].T @ dZ2) * (1 - A1 ** 2) if slip != "no tanh'" else p["W2"].T @ dZ2
    g["W1"] = dZ1 @ X.T
    g["b1"] = dZ1.sum(axis=1, keepdims=True)
    g = {k: g[k] for k in ("W1", "b1", "W2", "b2")}
    return g, {"Z1": dZ1, "Z2": dZ2}


def _numpy_loss(p):
    Z2 = p["W2"] @ np.tanh(p["W1"] @ X + p["b1"]) + p["b2"]
    return 0.5 * np.sum((Z2 - Y) ** 2) / M


REF = numgrad(_numpy_loss, P)


def test_the_correct_backprop_matches_central_differences():
    g, _ = tanh_backprop(P, X, Y)
    for k in P:
        np.testing.assert_allclose(g[k], REF[k], rtol=1e-7, atol=1e-9)


def _run(name, hand, f=tanh_loss, at=P, data=DATA):
    c = case(f, at=at, hand=hand, name=name, data=data)
    try:
        return compare([c], second_order=False).cases[0]
    finally:
        unregister(name)


def _blocks(res):
    return {b["block"]: b for b in res.hand_check["blocks"]}


def _slipped(edit):
    def hand(p, X, Y):
        g, d = tanh_backprop(p, X, Y)
        return edit(g), d
    return hand


@pytest.mark.parametrize("edit, block, kind, words", [
    (lambda g: {**g, "b2": np.zeros_like(g["b2"])}, "b2", "zero", "left zero"),
    (lambda g: {**g, "W2": -g["W2"]}, "W2", "sign", "sign flipped"),
    (lambda g: {**g, "W2": 2 * g["W2"]}, "W2", "factor", "×2"),
    (lambda g: {**g, "W1": 0.5 * g["W1"]}, "W1", "factor", "×1/2"),
    (lambda g: {**g, "W2": M * g["W2"]}, "W2", "factor", "×m (m = 4, the batch size)"),
    (lambda g: {**g, "b1": g["b1"] / M}, "b1", "factor", "×1/m (m = 4, the batch size)"),
    (lambda g: {**g, "W1": g["W1"].T}, "W1", "transposed", "transposed"),
])
def test_each_elementary_slip_is_named(edit, block, kind, words):
    res = _run(f"slip-{kind}", _slipped(edit))
    assert res.status == "fail" and res.method("hand").status == "fail"
    blocks = _blocks(res)
    assert list(blocks) == [block]  # only the slipped block is reported
    b = blocks[block]
    assert b["kind"] == kind and words in b["diagnosis"], b
    slipped = edit(tanh_backprop(P, X, Y)[0])[block]
    assert b["wrong"] == int(np.sum(~np.isclose(slipped, REF[block], rtol=1e-6, atol=1e-9)))
    idx = tuple(int(i) for i in b["worst"]["entry"].split("[")[1].rstrip("]").split(", "))
    assert b["worst"]["hand"] == pytest.approx(slipped[idx], rel=1e-12, abs=1e-15)
    assert b["worst"]["reference"] == pytest.approx(REF[block][idx], rel=1e-6, abs=1e-9)


def test_forgotten_activation_derivative_is_named_in_both_blocks_and_deltas():
    def hand(p, X, Y):
        return tanh_backprop(p, X, Y, slip="no tanh'")

    res = _run("slip-no-tanh-prime", hand)
    blocks = _blocks(res)
    assert sorted(blocks) == ["W1", "b1"]
    for b in blocks.values():
        assert b["kind"] == "missing-factor" and "tanh'(Z1)" in b["diagnosis"]
    layers = {r["name"]: r for r in res.hand_check["layers"]}
    assert [r["name"] for r in res.hand_check["layers"]] == ["Z2", "Z1"]  # from the output
    assert layers["Z2"]["status"] == "ok"
    assert layers["Z1"]["status"] == "wrong" and layers["Z1"]["kind"] == "missing-factor"
    assert res.hand_check["first_wrong_layer"] == "Z1"


def test_forgotten_relu_prime_without_marks_names_the_tape_entry():
    def f(p, X, Y):
        return 0.5 * dnp.sum((p["W2"] @ dnp.relu(p["W1"] @ X) - Y) ** 2)

    def hand(p, X, Y):
        Z1 = p["W1"] @ X
        A1 = np.maximum(Z1, 0)
        dZ2 = p["W2"] @ A1 - Y
        return {"W1": (p["W2"].T @ dZ2) @ X.T, "W2": dZ2 @ A1.T}  # relu' forgotten

    at = {"W1": P["W1"], "W2": P["W2"]}
    res = _run("slip-relu-unmarked", hand, f=f, at=at)
    (b,) = res.hand_check["blocks"]
    assert b["block"] == "W1" and b["kind"] == "missing-factor"
    assert "relu' (its input: tape entry" in b["diagnosis"] and "shape (3, 4)" in b["diagnosis"]


def _pair_loss(p):
    x = np.array([0.7, -1.2])
    return dnp.sum(dnp.tanh(p["A"] @ x) * dnp.sin(p["B"] @ x))


def _pair_grad(p):
    x = np.array([0.7, -1.2])
    a, b = p["A"] @ x, p["B"] @ x
    return {"A": np.outer((1 - np.tanh(a) ** 2) * np.sin(b), x),
            "B": np.outer(np.tanh(a) * np.cos(b), x)}


PAIR = {"A": RNG.normal(size=(2, 2)), "B": RNG.normal(size=(2, 2))}


def test_two_blocks_swapped_and_one_copied():
    ref = numgrad(lambda p: float(_pair_loss(p)), PAIR)
    good = _pair_grad(PAIR)
    for k in PAIR:
        np.testing.assert_allclose(good[k], ref[k], rtol=1e-7)
    res = _run("slip-swapped", lambda p: {"A": _pair_grad(p)["B"], "B": _pair_grad(p)["A"]},
               f=_pair_loss, at=PAIR, data=None)
    blocks = _blocks(res)
    assert {k: b["kind"] for k, b in blocks.items()} == {"A": "swapped", "B": "swapped"}
    assert "swapped with B" in blocks["A"]["diagnosis"]
    res = _run("slip-copied", lambda p: {"A": _pair_grad(p)["B"], "B": _pair_grad(p)["B"]},
               f=_pair_loss, at=PAIR, data=None)
    (b,) = res.hand_check["blocks"]
    assert b["block"] == "A" and b["kind"] == "copied" and "gradient of B" in b["diagnosis"]


def test_a_missing_term_equal_to_another_blocks_gradient():
    """E = ½‖(A + B)x − t‖² + ½λ‖A‖²: ∂E/∂A = e xᵀ + λA and ∂E/∂B = e xᵀ. A backprop that
    keeps only the penalty in A misses exactly B's gradient."""
    x, t, lam = np.array([0.3, -0.8]), np.array([1.0, 0.5]), 0.1

    def f(p):
        e = (p["A"] + p["B"]) @ x - t
        return 0.5 * dnp.sum(e * e) + 0.5 * lam * dnp.sum(p["A"] * p["A"])

    def hand(p):
        return {"A": lam * p["A"], "B": np.outer((p["A"] + p["B"]) @ x - t, x)}

    res = _run("slip-missing-block-term", hand, f=f, at=PAIR, data=None)
    (b,) = res.hand_check["blocks"]
    assert b["block"] == "A" and b["kind"] == "missing-term"
    assert "gradient of B" in b["diagnosis"]


def test_a_missing_term_from_one_use_of_the_parameter():
    """Weight decay forgotten: the penalty is one use of W1, and its contribution is missing."""
    lam = 0.05

    def f(p, X, Y):
        return tanh_loss(p, X, Y) + lam * dnp.sum(p["W1"] ** 2)

    res = _run("slip-missing-penalty", lambda p, X, Y: tanh_backprop(p, X, Y)[0], f=f)
    (b,) = res.hand_check["blocks"]
    assert b["block"] == "W1" and b["kind"] == "missing-term"
    assert "its use in power" in b["diagnosis"] or "its use in square" in b["diagnosis"]


def test_no_simple_pattern_lists_the_worst_entries():
    noise = RNG.normal(size=(3, 3))
    res = _run("slip-noise", _slipped(lambda g: {**g, "W1": g["W1"] + noise}))
    (b,) = res.hand_check["blocks"]
    assert b["kind"] == "none" and b["diagnosis"] == "no simple pattern"
    assert len(b["table"]) == 5
    # the worst entry is the one furthest outside its allowance rtol·(scale + |reference|)
    ratio = np.abs(noise) / (np.max(np.abs(REF["W1"])) + np.abs(REF["W1"]))
    worst = np.unravel_index(np.argmax(ratio), noise.shape)
    assert b["table"][0]["entry"] == f"W1[{worst[0]}, {worst[1]}]"


def test_a_correct_hand_gradient_has_no_block_diagnosis():
    res = _run("slip-none", lambda p, X, Y: tanh_backprop(p, X, Y))
    assert res.status == "agree" and res.method("hand").status == "agree"
    assert res.hand_check["blocks"] == []
    assert [r["status"] for r in res.hand_check["layers"]] == ["ok", "ok"]


@pytest.mark.parametrize("c, batch, text", [
    (2.0, [], "×2"), (0.5, [], "×1/2"), (-1.5, [], "×−3/2"),
    (4.0, [4], "×m (m = 4, the batch size)"),
    (0.25, [4], "×1/m (m = 4, the batch size)"), (16.0, [4], "×m² (m = 4, the batch size)"),
    (0.8, [5], "×4/5 = 4/m (m = 5, the batch size)"), (8.0, [4], "×8 = 2m (m = 4, the batch size)"),
])
def test_factor_names(c, batch, text):
    assert factor_name(c, batch) == text


def _three_layer(p, x):
    z1 = dn.mark("z1", p["W1"] @ x)
    z2 = dn.mark("z2", p["W2"] @ dnp.tanh(z1))
    z3 = dn.mark("z3", p["W3"] @ dnp.tanh(z2))
    return dnp.sum(dnp.sin(z3))


def _three_layer_backprop(p, x, slip_at=None):
    z1 = p["W1"] @ x
    a1 = np.tanh(z1)
    z2 = p["W2"] @ a1
    a2 = np.tanh(z2)
    z3 = p["W3"] @ a2
    d3 = np.cos(z3)
    d2 = (p["W3"].T @ d3) * (1 - a2 ** 2)
    if slip_at == "z2":
        d2 = p["W3"].T @ d3        # tanh' of layer 2 forgotten: every δ below inherits it
    d1 = (p["W2"].T @ d2) * (1 - a1 ** 2)
    if slip_at == "z1":
        d1 = -d1
    g = {"W1": np.outer(d1, x), "W2": np.outer(d2, a1), "W3": np.outer(d3, a2)}
    return g, {"z1": d1, "z2": d2, "z3": d3}


@pytest.mark.parametrize("slip_at, kind", [("z2", "missing-factor"), ("z1", "sign")])
def test_the_first_wrong_delta_from_the_output_is_where_the_slip_entered(slip_at, kind):
    x = np.array([0.4, -0.9])
    p = {"W1": RNG.normal(size=(3, 2)), "W2": RNG.normal(size=(3, 3)),
         "W3": RNG.normal(size=(2, 3))}
    good = _three_layer_backprop(p, x)[0]
    ref = numgrad(lambda q: float(_three_layer(q, x)), p)
    for k in p:
        np.testing.assert_allclose(good[k], ref[k], rtol=1e-7, atol=1e-10)
    res = _run(f"slip-delta-{slip_at}", lambda q, x: _three_layer_backprop(q, x, slip_at),
               f=_three_layer, at=p, data={"x": x})
    rows = {r["name"]: r for r in res.hand_check["layers"]}
    assert [r["name"] for r in res.hand_check["layers"]] == ["z3", "z2", "z1"]
    assert rows["z3"]["status"] == "ok"
    assert res.hand_check["first_wrong_layer"] == slip_at
    assert rows[slip_at]["kind"] == kind
    assert rows["z1"]["status"] == "wrong"  # below the slip, the error is inherited


# whole-program checks (subprocesses, sympy, full reports): CI runs them, the quick loop
# (pytest -m "not slow") leaves them out
pytestmark = pytest.mark.slow
