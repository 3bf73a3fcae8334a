"""User cases: registration, pytrees, every method run, the Report object, bad input."""

from __future__ import annotations

import json

import numpy as np
import pytest

import dualnum as dn
import dualnum.numpy as dnp
from dualnum.comparisons import UserCase, case, compare
from dualnum.comparisons.schema import REPORT_SCHEMA, validate
from dualnum.comparisons.user_cases import (
    UserCaseError, registered, unregister,
)

X0 = np.array([0.5, -1.0, 2.0])


def layered_loss(p):
    """Σ tanh(W h + b) through a list of layers, a tree of dicts inside a list."""
    h = X0
    for layer in p["layers"]:
        h = dnp.tanh(layer["W"] @ h + layer["b"])
    return dnp.sum(h ** 2)


def layered_grad(p, slip=False):
    hs, h = [X0], X0
    for layer in p["layers"]:
        h = np.tanh(layer["W"] @ h + layer["b"])
        hs.append(h)
    g = 2 * hs[-1]
    out = []
    for k in range(len(p["layers"]) - 1, -1, -1):
        d = g * (1 - hs[k + 1] ** 2)
        out.insert(0, {"W": np.outer(d, hs[k]), "b": d})
        g = p["layers"][k]["W"].T @ d
    if slip:
        out[1]["W"] = -out[1]["W"]
    return {"layers": out}


RNG = np.random.default_rng(3)
LAYERED = {"layers": [{"W": RNG.normal(size=(2, 3)), "b": RNG.normal(size=2)},
                      {"W": RNG.normal(size=(2, 2)), "b": RNG.normal(size=2)}]}


@pytest.fixture
def fresh():
    before = {c.name for c in registered()}
    yield
    for c in registered():
        if c.name not in before:
            unregister(c.name)


def test_decorator_registers_and_returns_the_function(fresh):
    @case(at={"w": np.array([1.0, 2.0])}, hand=lambda p: {"w": 2 * p["w"]})
    def sq(p):
        return dnp.sum(p["w"] ** 2)

    assert callable(sq) and float(sq({"w": np.array([3.0])})) == 9.0
    (c,) = [c for c in registered() if c.name == "sq"]
    assert isinstance(c, UserCase) and c.line > 0 and c.file.endswith("test_user_cases.py")
    res = compare([c]).cases[0]
    assert res.status == "agree"
    # every method of the catalogue ran: AD, hand, sympy, finite differences, complex step
    assert {m.method: m.status for m in res.methods} == {
        "forward": "agree", "reverse": "agree", "hand": "agree", "symbolic": "agree",
        "complex-step": "agree", "richardson": "agree", "central": "agree"}
    assert [m.method for m in res.second_order] == ["hessian", "hvp"]  # small: second order


def test_a_list_of_layers_names_blocks_by_path_and_the_slip_by_block(fresh):
    num = np.zeros(0)
    good = layered_grad(LAYERED)
    # central differences on the numpy loss, independent of dualnum
    flat = [LAYERED["layers"][i][k] for i in range(2) for k in ("W", "b")]
    gflat = [good["layers"][i][k] for i in range(2) for k in ("W", "b")]
    for a, g in zip(flat, gflat):
        for idx in np.ndindex(*a.shape):
            old = a[idx]
            a[idx] = old + 1e-6
            up = float(layered_loss(LAYERED))
            a[idx] = old - 1e-6
            dn_ = float(layered_loss(LAYERED))
            a[idx] = old
            num = np.append(num, (up - dn_) / 2e-6 - g[idx])
    assert np.max(np.abs(num)) < 1e-7
    c = case(layered_loss, at=LAYERED, hand=lambda p: layered_grad(p, slip=True), name="deep")
    rep = compare([c])
    res = rep.cases[0]
    assert [b["block"] for b in res.hand_check["blocks"]] == ["layers[1].W"]
    assert res.hand_check["blocks"][0]["kind"] == "sign"
    assert [b.name for b in res.method("forward").blocks] == [
        "layers[0].W", "layers[0].b", "layers[1].W", "layers[1].b"]
    assert not rep.ok and rep.failures == [
        {"case": "deep", "method": "hand", "reference": res.method("hand").reference,
         "reason": res.method("hand").reason}]


def test_compare_without_arguments_runs_every_registered_case(fresh):
    case(lambda p: p["a"] ** 3, at={"a": 2.0}, hand=lambda p: {"a": 3 * p["a"] ** 2},
         name="cube")
    names = [c.name for c in compare(second_order=False).cases]
    assert "cube" in names


def test_registering_a_name_again_replaces_the_case(fresh):
    case(lambda p: p * p, at=1.0, name="again")
    case(lambda p: p * p * p, at=2.0, name="again")
    (c,) = [c for c in registered() if c.name == "again"]
    assert c.at == 2.0


def test_the_report_renders_itself_and_its_json_follows_the_schema(fresh):
    c = case(layered_loss, at=LAYERED, hand=lambda p: layered_grad(p, slip=True), name="r")
    rep = compare([c], second_order=False)
    data = json.loads(rep.to_json())
    assert validate(data, REPORT_SCHEMA) == []
    assert data["cases"][0]["hand_check"]["blocks"][0]["block"] == "layers[1].W"
    html = rep._repr_html_()
    assert html.startswith("<div class='dualnum-report'>") and "Agreement matrix" in html
    assert "sign flipped" in html and "<html" not in html
    md = rep._repr_markdown_()
    assert md.startswith("# dualnum compare") and "| `r` |" in md and "sign flipped" in md
    assert data["notes_vs_math"] == []  # a user's gradient is not the notes'


def test_hand_with_the_wrong_structure_names_expected_and_received(fresh):
    c = case(layered_loss, at=LAYERED, hand=lambda p: {"layers": layered_grad(p)["layers"][:1]},
             name="short")
    res = compare([c], second_order=False).cases[0]
    hand = res.method("hand")
    assert hand.status == "error" and "StructureMismatch" in hand.reason
    assert "expected the structure of the parameters {'layers': [{'W': (2, 3), 'b': (2,)}, " \
           "{'W': (2, 2), 'b': (2,)}]}" in hand.reason
    assert "hand returned {'layers': [{'W': (2, 3), 'b': (2,)}]}" in hand.reason


def test_hand_with_a_transposed_shape_says_so(fresh):
    W = np.arange(6.0).reshape(2, 3) / 10

    def hand(p):
        return {"W": np.ones((3, 2))}

    c = case(lambda p: dnp.sum(dnp.sin(p["W"])), at={"W": W}, hand=hand, name="tshape")
    reason = compare([c], second_order=False).cases[0].method("hand").reason
    assert "hand['W'] has shape (3, 2) (the transpose), the parameter (2, 3)" in reason


def test_a_non_scalar_f_says_so(fresh):
    c = case(lambda p: dnp.sin(p["w"]), at={"w": np.ones(3)}, name="vec")
    with pytest.raises(UserCaseError, match=r"f returns an array of shape \(3,\), not a real "
                                            r"scalar"):
        compare([c])


def test_f_raising_at_the_point_names_the_line(fresh):
    def broken(p):
        return p["W"] @ np.ones(5)

    c = case(broken, at={"W": np.ones((2, 3))}, name="broken")
    with pytest.raises(UserCaseError) as exc:
        compare([c])
    assert "test_user_cases.py, line" in str(exc.value) and "ValueError" in str(exc.value)


def test_bad_registration_arguments():
    with pytest.raises(TypeError, match="at= .* is required"):
        case(lambda p: p)
    with pytest.raises(TypeError, match="hand must be a function"):
        case(lambda p: p, at=1.0, hand=3.0)
    with pytest.raises(TypeError, match="at= must be a tree of numbers"):
        case(lambda p: p, at={"w": "text"})


def test_deltas_for_a_name_f_never_marks_are_reported(fresh):
    def f(p):
        return dnp.sum(dnp.tanh(dn.mark("z", p["w"] * 2.0)))

    def hand(p):
        z = 2 * p["w"]
        return {"w": 2 * (1 - np.tanh(z) ** 2)}, {"z": 1 - np.tanh(z) ** 2, "zz": np.ones(2)}

    res = compare([case(f, at={"w": np.array([0.1, 0.3])}, hand=hand, name="zz")]).cases[0]
    assert res.status == "agree"
    assert res.hand_check["layers"][0]["status"] == "ok"
    assert res.hand_check["delta_problems"] == [
        "hand returned a delta for 'zz', which f never marks with dn.mark (marked: z)"]


def test_mark_is_a_no_op_outside_a_check():
    v = np.array([1.0, 2.0])
    assert dn.mark("a", v) is v
    assert dn.grad(lambda x: dnp.sum(dn.mark("y", x * x)))(v).tolist() == [2.0, 4.0]
    assert "mark" in dn.__all__
