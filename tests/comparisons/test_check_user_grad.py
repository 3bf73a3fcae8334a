"""check_grads(f, args, grad=my_grad): a user's gradient against the references, with the
block / diagnosis table in its AssertionError (and in a notebook)."""

from __future__ import annotations

import numpy as np
import pytest

import dualnum as dn
import dualnum.numpy as dnp
from dualnum.comparisons import check_grads
from dualnum.comparisons.check_user import GradientMismatch
from dualnum.comparisons.user_cases import StructureMismatch

X = np.array([[0.5, -1.0, 0.3], [1.5, 0.2, -0.7]])   # 2 features × 3 samples
P = {"W": np.array([[0.4, -0.6], [0.9, 0.1]]), "b": np.array([[0.2], [-0.3]])}


def loss(p):
    return dnp.sum(dnp.tanh(p["W"] @ X + p["b"]) ** 2) / 3


def grad(p, slip=None):
    A = np.tanh(p["W"] @ X + p["b"])
    dZ = 2 * A * (1 - A ** 2) / 3
    g = {"W": dZ @ X.T, "b": dZ.sum(axis=1, keepdims=True)}
    if slip == "W doubled":
        g["W"] = 2 * g["W"]
    if slip == "W transposed":
        g["W"] = g["W"].T
    return g


def test_the_hand_gradient_is_right_by_central_differences():
    g = grad(P)
    for k in P:
        for idx in np.ndindex(*P[k].shape):
            up = {kk: v.copy() for kk, v in P.items()}
            down = {kk: v.copy() for kk, v in P.items()}
            up[k][idx] += 1e-6
            down[k][idx] -= 1e-6
            num = (float(loss(up)) - float(loss(down))) / 2e-6
            assert g[k][idx] == pytest.approx(num, rel=1e-7, abs=1e-10)


def test_a_right_gradient_passes():
    check_grads(loss, (P,), grad=grad)
    check_grads(loss, (P,), grad=grad, references=("central",), modes=())


# a transposed 2×2 block keeps its diagonal: 2 of its 4 entries are wrong
@pytest.mark.parametrize("slip, kind, wrong", [("W doubled", "factor", 4),
                                               ("W transposed", "transposed", 2)])
def test_a_wrong_gradient_raises_the_table(slip, kind, wrong):
    with pytest.raises(AssertionError) as exc:
        check_grads(loss, (P,), grad=lambda p: grad(p, slip))
    err = exc.value
    assert isinstance(err, GradientMismatch)
    text = str(err)
    assert text.startswith("check_grads: your gradient (<lambda>) disagrees with symbolic in "
                           "1 block(s)")
    assert f"W (2×2): {wrong} of 4 entries wrong" in text
    (b,) = err.check["blocks"]
    assert b["block"] == "W" and b["kind"] == kind
    bad = grad(P, slip)["W"]
    idx = tuple(int(i) for i in b["worst"]["entry"][2:-1].split(", "))
    assert b["worst"]["hand"] == pytest.approx(bad[idx], rel=1e-14)
    assert b["worst"]["reference"] == pytest.approx(grad(P)["W"][idx], rel=1e-10)
    # the notebook renderings carry the same table
    assert "<table>" in err._repr_html_() and b["diagnosis"] in err._repr_html_()
    assert f"| W | 2×2 | {wrong}/4 | {b['worst']['entry']} |" in err._repr_markdown_()


def test_several_arguments_name_blocks_by_argument():
    def f(W, b):
        return loss({"W": W, "b": b})

    def g(W, b):
        d = grad({"W": W, "b": b})
        return d["W"], -d["b"]

    with pytest.raises(GradientMismatch) as exc:
        check_grads(f, (P["W"], P["b"]), grad=g)
    (b,) = exc.value.check["blocks"]
    assert b["block"] == "args[1]" and b["kind"] == "sign"


def test_deltas_are_checked_layer_by_layer():
    def f(p):
        return dnp.sum(dnp.tanh(dn.mark("Z", p["W"] @ X + p["b"])) ** 2) / 3

    def g(p):
        A = np.tanh(p["W"] @ X + p["b"])
        dZ = 2 * A / 3                      # tanh' forgotten in the delta only
        return grad(p), {"Z": dZ}

    with pytest.raises(GradientMismatch) as exc:
        check_grads(f, (P,), grad=g)
    assert exc.value.check["first_wrong_layer"] == "Z"
    assert "agrees with symbolic, but not every delta does" in str(exc.value)
    assert "missing the activation derivative tanh'(Z)" in str(exc.value)


def test_bad_input():
    with pytest.raises(ValueError, match=r"f returns an array of shape \(2, 3\), not a real "
                                         r"scalar"):
        check_grads(lambda p: dnp.tanh(p["W"] @ X), (P,), grad=grad)
    with pytest.raises(StructureMismatch, match=r"hand\['b'\] has shape \(2,\), the parameter "
                                                r"\(2, 1\)"):
        check_grads(loss, (P,), grad=lambda p: {"W": grad(p)["W"], "b": np.zeros(2)})
