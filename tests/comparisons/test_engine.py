"""The engine: agreement, injected wrong rules, kinks, the notes' slips and worked values."""

import numpy as np
import pytest

import dualnum.numpy as dnp
from dualnum.comparisons import engine
from dualnum.comparisons.case import Block, Case, Worked, flatten, unflatten
from dualnum.comparisons.cases import catalogue, select
from dualnum.rules import get_rule


def test_lepetit_agrees_everywhere_and_reproduces_the_printed_numbers():
    (case,) = select(["lepetit-f"])
    res = engine.run_case(case)
    assert res.status == "agree"
    for m in ("forward", "reverse", "symbolic", "complex-step", "richardson", "central"):
        r = res.method(m)
        assert r.status == "agree", (m, r)
    assert res.method("forward").max_rel < 1e-14
    assert {w["label"]: w["ok"] for w in res.worked} == {
        "f(2, 5)": True, "∂f/∂x1 (forward tangent trace)": True, "∂f/∂x2 (reverse sweep)": True}
    assert [w["got"] for w in res.worked][2] == pytest.approx(2.0 - np.cos(5.0), rel=1e-14)
    assert {r.method: r.status for r in res.second_order} == {"hessian": "agree", "hvp": "agree"}


def test_a_worked_value_that_does_not_match_fails_the_case():
    case = Case("wrong-print", "scalar→scalar", lambda x: x[0] ** 2, [3.0],
                worked=[Worked("d/dx", "grad", (0,), 6.5, 1)])
    res = engine.run_case(case)
    assert res.status == "fail" and res.worked[0]["got"] == pytest.approx(6.0)


def _net_case():
    params = {"W": np.array([[0.4, -0.7], [0.2, 0.9]]), "b": np.array([0.1, -0.3])}
    vec, blocks = flatten(params)
    x_in = np.array([1.0, 0.5])

    def f(v):
        p = unflatten(v, params)
        return dnp.sum(dnp.sin(p["W"] @ x_in + p["b"]) ** 2)

    return Case("sin-net", "params→loss", f, vec, blocks=blocks)


def test_injected_wrong_rule_is_reported_as_fail_with_its_location(monkeypatch):
    from dualnum.rules.transcendental import cos

    assert engine.run_case(_net_case()).status == "agree"
    monkeypatch.setattr(get_rule("sin"), "partials", (lambda x, ans: cos(x) * 1.0005,))
    res = engine.run_case(_net_case())
    assert res.status == "fail"
    # the gradient in closed form: z = W x + b, ∂f/∂z = 2 sin z cos z, ∂f/∂W = (∂f/∂z) xᵀ;
    # every entry passes through sin' once, so the wrong rule scales each by 1.0005
    W, bias, x_in = np.array([[0.4, -0.7], [0.2, 0.9]]), np.array([0.1, -0.3]), np.array([1.0, 0.5])
    z = W @ x_in + bias
    g_z = 2.0 * np.sin(z) * np.cos(z)
    closed = {"W": np.outer(g_z, x_in), "b": g_z}
    for m in ("forward", "reverse"):
        r = res.method(m)
        assert r.status == "fail" and r.reference == "symbolic"
        assert r.max_rel == pytest.approx(5e-4, rel=1e-6)  # 0.05 % of the block's largest entry
        assert {b.name for b in r.blocks} == {"W", "b"}
        for blk in r.blocks:  # per block: the worst error is 0.05 % of its largest entry
            assert blk.max_abs == pytest.approx(5e-4 * np.max(np.abs(closed[blk.name])),
                                                rel=1e-6)
        # the worst entry: where the block's gradient is largest, with both values right
        g = closed[r.worst.block]
        assert tuple(r.worst.index) == np.unravel_index(np.argmax(np.abs(g)), g.shape)
        want = g[tuple(r.worst.index)]
        assert r.worst.reference_value == pytest.approx(want, rel=1e-12)
        assert r.worst.value == pytest.approx(1.0005 * want, rel=1e-12)
        assert r.worst.output == [] and "worst at output [] " in r.reason
    # the references do not read the rule table: they still agree with each other
    assert res.method("central").status == "agree"
    assert res.method("richardson").status == "agree"
    # the second-order methods inherit the wrong rule too
    assert "fail" in {r.status for r in res.second_order}


def test_a_point_on_a_kink_is_kink_not_fail_and_names_the_convention():
    (case,) = select(["relu-at-kink"])
    res = engine.run_case(case)
    assert res.status == "kink"
    fwd = res.method("forward")
    assert fwd.status == "kink" and "relu'(0) = 0" in fwd.reason
    assert res.kinks and res.kinks[0]["op"] == "relu" and res.kinks[0]["elements"] == [1]
    assert res.method("complex-step").status == "refused"
    assert "relu" in res.method("complex-step").reason
    tie = Case("max-tie", "vector→scalar", lambda v: dnp.sum(dnp.maximum(v, 1.0)), [1.0, 2.0])
    assert engine.run_case(tie).status == "kink"


def test_the_notes_slips_are_found_as_slips():
    res = {c.name: engine.run_case(c, second_order=False)
           for c in select(["bradbury-delta-K", "loss.frobenius_penalty", "loss.l2_penalty",
                            "lepetit-"])}
    hand = {name: r.method("hand") for name, r in res.items()}
    # Bradbury's δ(K) is printed for K = 3: right there, wrong for K = 4
    assert hand["bradbury-delta-K3"].status == "agree"
    assert hand["bradbury-delta-K4"].status == "slip"
    # Rousseau: the gradient 2λw is that of the squared penalty, not the printed ‖w‖_F
    assert hand["loss.frobenius_penalty"].status == "slip"
    assert hand["loss.l2_penalty"].status == "agree"
    # Lepetit eq. (38) as printed (g'(x̄2^m) x2^{jl}) vs the corrected g'(x̄2^j) x1^l
    assert hand["lepetit-eq38-as-printed"].status == "slip"
    assert hand["lepetit-eq38"].status == "agree" and hand["lepetit-eq38"].max_rel < 1e-14
    # Lepetit's reverse trace: its lines run as printed do not give the adjoints, run bottom
    # to top they give x̄1 = 5.5, x̄2 = 1.716 (2 − cos 5), as the references do
    assert hand["lepetit-reverse-trace-as-printed"].status == "slip"
    assert hand["lepetit-f"].status == "agree" and hand["lepetit-f"].max_rel < 1e-15
    assert all(r.status != "fail" for r in res.values())


def test_the_slips_are_found_by_comparison_not_declared():
    # a formula marked "as printed" that is right is reported as agreeing: `literal` only
    # says how to name a disagreement, the engine decides whether there is one
    (k3,) = select(["bradbury-delta-K3"])
    assert k3.literal and engine.run_case(k3, second_order=False).method("hand").status == "agree"
    ok = Case("right-as-printed", "scalar→scalar", lambda x: x[0] ** 3, [2.0],
              hand=lambda x: np.array([3.0 * x[0] ** 2]), literal=True)
    assert engine.run_case(ok).status == "agree"
    wrong = Case("wrong-as-printed", "scalar→scalar", lambda x: x[0] ** 3, [2.0],
                 hand=lambda x: np.array([3.0 * x[0]]), literal=True)
    res = engine.run_case(wrong)
    assert res.status == "slip" and res.method("hand").worst.reference_value == 12.0


def test_symbolic_over_budget_is_skipped_and_said_so():
    (case,) = select(["network.jiang_dnn"])
    res = engine.run_case(case, methods=("reverse", "symbolic", "central"), max_ops=200,
                          second_order=False)
    sym = res.method("symbolic")
    assert sym.status == "skipped" and "too large for symbolic" in sym.reason
    assert res.method("reverse").reference == "central"
    assert res.status == "agree"


def test_compare_blocks_and_tolerances():
    blocks = [Block("W", 0, 2, (2,)), Block("b", 2, 3, (1,))]
    ok, mabs, mrel, bl, loc = engine.compare(np.array([1.0, 2.0, 1e-8]),
                                             np.array([1.0, 2.0, 0.0]), blocks, 1e-6)
    assert not ok and loc.block == "b" and loc.index == [0]
    ok, *_ = engine.compare(np.array([1.0, 2.0 + 1e-7, 0.0]), np.array([1.0, 2.0, 0.0]),
                            blocks, 1e-6)
    assert ok


def test_catalogue_covers_notes_layers_networks_and_losses():
    names = [c.name for c in catalogue()]
    assert len(names) == len(set(names))
    for expected in ("lepetit-f", "rousseau-quadratic", "bradbury-chain", "bradbury-sum",
                     "bradbury-graph", "bradbury-scalar-net", "softmax", "softmax+ce"):
        assert expected in names
    kinds = {n.split(".")[0] for n in names if "." in n}
    assert {"activation", "loss", "layer", "network"} <= kinds
    with pytest.raises(LookupError, match="unknown case"):
        select(["no-such-case"])
