"""Every catalogued activation, loss, layer and network under the four interpreters.

For each case: numeric value; reverse mode (``dn.grad``) against central differences; forward
mode (``dn.jvp``) against a central-difference directional derivative, on the objective and on
the block's output; the symbolic interpreter (sympy object arrays through ``dualnum.numpy``)
against the numeric value and central differences; and the notes' hand-derived gradient
(``case.backprop``) against ``dn.grad`` to 1e-10 relative, unless the case records a known slip.
"""

from __future__ import annotations

import numpy as np
import pytest
from models_helpers import central_grad, flatten, max_rel_err, random_like, symbolic_grad, vdot

import dualnum as dn
from dualnum.models import catalog

CASES = catalog.cases()

# sympy gets slow on the larger networks: differentiate w.r.t. a few entries only there
SYMBOLS = {"network.transformer": 1, "layer.attention": 2, "layer.multi_head_attention": 2,
           "network.small_cnn": 1, "network.rnn": 2, "network.igel_softmax_ce": 2,
           "network.lepetit_two_layer_classification": 2}


# The whole catalogue (sympy on it alone takes ~10 s) is marked slow: the quick loop
# (-m "not slow") runs one case of each kind, CI runs them all
QUICK = {"activation.softmax", "loss.softmax_cross_entropy", "layer.dense", "network.bradbury_f"}


def _catalogue(cases):
    return [pytest.param(c, id=c.name, marks=() if c.name in QUICK else pytest.mark.slow)
            for c in cases]


def _pt(case):
    return case.example(0)


def test_catalog_covers_every_kind_and_is_well_formed():
    kinds = {c.kind for c in CASES}
    assert kinds == {"activation", "loss", "layer", "network"}
    assert len(CASES) >= 50
    for c in CASES:
        assert c.notes and c.formula, c.name
        assert c.name.split(".")[0] == c.kind
        if c.slip is not None:
            assert c.backprop is not None, c.name


@pytest.mark.parametrize("case", _catalogue(CASES))
def test_examples_are_deterministic(case):
    a, b = case.example(0), case.example(0)
    la, _ = flatten(list(a))
    lb, _ = flatten(list(b))
    for x, y in zip(la, lb):
        if x is not None:
            np.testing.assert_array_equal(np.asarray(x), np.asarray(y))


@pytest.mark.parametrize("case", _catalogue(CASES))
def test_reverse_mode_matches_central_differences(case):
    params, inputs, targets = _pt(case)
    value = case.objective(params, inputs, targets)
    assert np.isfinite(float(value)) and np.ndim(value) == 0
    g = dn.grad(case.objective)(params, inputs, targets)
    ref = central_grad(case.objective, params, inputs, targets)
    assert max_rel_err(g, ref) < 1e-6, case.name


@pytest.mark.parametrize("case", _catalogue(CASES))
def test_forward_mode_matches_central_differences(case):
    params, inputs, targets = _pt(case)
    direction = random_like(params, seed=3)
    _, tangent = dn.jvp(lambda p: case.objective(p, inputs, targets), (params,), (direction,))

    def along(h):
        leaves, rebuild = flatten(params)
        dl, _ = flatten(direction)
        moved = rebuild([np.asarray(p, float) + h * np.asarray(d, float) if np.ndim(p)
                         else float(p) + h * float(d) for p, d in zip(leaves, dl)])
        return float(case.objective(moved, inputs, targets))

    h = 1e-6
    fd = (along(h) - along(-h)) / (2 * h)
    assert abs(float(tangent) - fd) <= 1e-6 * max(1.0, abs(fd)), case.name
    # and forward mode agrees with reverse mode to rounding: <∇f, d> = J d
    g = dn.grad(case.objective)(params, inputs, targets)
    assert abs(float(tangent) - vdot(g, direction)) <= 1e-10 * max(1.0, abs(fd)), case.name


@pytest.mark.parametrize("case", _catalogue([c for c in CASES
                                             if c.kind in ("layer", "activation")]))
def test_forward_mode_on_block_output(case):
    """J·d of the block's (array) output, against central differences of the output."""
    params, inputs, targets = _pt(case)
    d = random_like(params, seed=5)
    out, tangent = dn.jvp(lambda p: case.forward(p, inputs, targets), (params,), (d,))
    np.testing.assert_allclose(np.asarray(out, float),
                               np.asarray(case.forward(params, inputs, targets), float),
                               rtol=1e-14, atol=1e-14)
    leaves, rebuild = flatten(params)
    dl, _ = flatten(d)

    def at(h):
        return np.asarray(case.forward(rebuild([np.asarray(p) + h * np.asarray(q)
                                                for p, q in zip(leaves, dl)]), inputs, targets))

    fd = (at(1e-6) - at(-1e-6)) / 2e-6
    np.testing.assert_allclose(np.asarray(tangent, float), fd, rtol=1e-6, atol=1e-7)


@pytest.mark.parametrize("case", _catalogue(CASES))
def test_symbolic_interpreter(case):
    params, inputs, targets = _pt(case)
    value, sym = symbolic_grad(case.objective, params, inputs, targets,
                               max_symbols=SYMBOLS.get(case.name, 6))
    assert value == pytest.approx(float(case.objective(params, inputs, targets)), rel=1e-12,
                                  abs=1e-12)
    ref = central_grad(case.objective, params, inputs, targets)
    leaves, _ = flatten(ref)
    scale = max(1.0, max(float(np.max(np.abs(np.asarray(v)))) for v in leaves))
    for (li, idx), d in sym.items():
        assert d == pytest.approx(float(np.asarray(leaves[li])[idx]), abs=1e-6 * scale), case.name


BACKPROP = [c for c in CASES if c.backprop is not None and c.slip is None]


@pytest.mark.parametrize("case", _catalogue(BACKPROP))
@pytest.mark.parametrize("seed", [0, 1])
def test_notes_backprop_matches_reverse_mode(case, seed):
    params, inputs, targets = case.example(seed)
    hand = case.backprop(params, inputs, targets)
    g = dn.grad(case.objective)(params, inputs, targets)
    assert sorted(hand) == sorted(g)
    assert max_rel_err(hand, g) < 1e-10, case.name


SLIPS = [c for c in CASES if c.slip is not None]


@pytest.mark.parametrize("case", SLIPS, ids=[c.name for c in SLIPS])
def test_notes_slips_show_the_exact_discrepancy(case):
    """Rousseau's penalty: the printed gradient 2λw differs from the true gradient of λΣ‖w‖_F
    by exactly λ(2w − w/‖w‖_F) on each weight matrix; biases are untouched."""
    params, inputs, targets = case.example(0)
    hand = case.backprop(params, inputs, targets)
    g = dn.grad(case.objective)(params, inputs, targets)
    assert max_rel_err(hand, g) > 1e-2  # the printed formula is visibly wrong
    lam = targets if case.kind == "loss" else 0.05
    for k, W in params.items():
        if k.startswith("W"):
            W = np.asarray(W)
            expected = lam * (2.0 * W - W / np.sqrt(np.sum(W * W)))
            np.testing.assert_allclose(hand[k] - g[k], expected, rtol=1e-10, atol=1e-12)
        else:
            np.testing.assert_allclose(hand[k], g[k], rtol=1e-10, atol=1e-12)
