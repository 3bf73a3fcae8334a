"""The unrolled hot paths and the generic path of each interpreter give the same answers.

Forward mode has ``process1``/``process2`` for one or two arguments and ``process`` for any;
the tape's sweep has an unrolled loop for elementwise entries with one or two inputs and a
general loop (what ``steps=True`` or a batch axis takes). Every elementwise row of the table
runs through both, on its sample points and on points where a Python-float partial divides by
zero (``sqrt'(0)``, ``1/y`` at 0), which the hot paths hand to the general one.
"""
from __future__ import annotations

import warnings

import numpy as np
import pytest

import dualnum as dn
from dualnum.dual import Dual, ForwardLevel
from dualnum.rules import get_rule

from .specs import elementwise_cases, quick_first, swept_rules

CASES = [c for c in elementwise_cases() if len([a for a in c.args]) <= 2]
EDGE = []
for p in swept_rules():
    if p.partials is not None and len(p.partials) <= 2 and p.partials[0] is not None:
        EDGE.append((p.name, [0.0] * len(p.partials)))     # floats: 1.0 / 0.0 raises
        EDGE.append((p.name, [1.0] + [0.0] * (len(p.partials) - 1)))


def _same(a, b, what):
    a, b = np.asarray(a), np.asarray(b)
    assert a.shape == b.shape, f"{what}: shapes {a.shape} vs {b.shape}"
    assert np.allclose(a, b, rtol=1e-15, atol=0, equal_nan=True), f"{what}: {a} vs {b}"


def _forward_both(name, args, wrt=None):
    """(the hot path's result, the generic path's), the arguments in ``wrt`` (all by default)
    dual numbers; an order parameter (polygamma's n) is not differentiable, so not boxed."""
    prim = get_rule(name)
    lv = ForwardLevel()
    wrt = range(len(args)) if wrt is None else wrt
    duals = [Dual(a, np.ones(np.shape(a)) if np.ndim(a) else 1.0, level=lv) if i in wrt else a
             for i, a in enumerate(args)]
    fast = lv.process1(prim, duals[0]) if len(duals) == 1 else lv.process2(prim, *duals)
    slow = lv.process(prim, tuple(duals), {})
    return fast, slow


def _reverse_both(name, args, wrt=None):
    prim = get_rule(name)
    wrt = range(len(args)) if wrt is None else wrt
    with dn.Tape() as t:
        boxed = [t.var(a) if i in wrt else a for i, a in enumerate(args)]
        vs = [boxed[i] for i in wrt]
        y = prim(*boxed)
    seed = np.ones(np.shape(y.value)) if np.ndim(y.value) else 1.0
    fast = t.sweep(y.index, seed)
    slow = t.sweep(y.index, seed, steps=True)
    return [fast[v.index] for v in vs], [slow[v.index] for v in vs]


@pytest.mark.parametrize("case", quick_first(CASES, lambda c: c.prim, [c.id for c in CASES]))
def test_unrolled_and_generic_paths_agree_on_the_sample_points(case):
    if any(isinstance(a, np.ndarray) and a.dtype == bool for a in case.args):
        pytest.skip("a condition argument: no tangent rides on it")
    fast, slow = _forward_both(case.prim, case.args, case.wrt)
    _same(fast.primal, slow.primal, f"{case.id} forward primal")
    _same(fast.tangent, slow.tangent, f"{case.id} forward tangent")
    for k, (a, b) in enumerate(zip(*_reverse_both(case.prim, case.args, case.wrt))):
        _same(a, b, f"{case.id} adjoint of argument {k}")


EDGE_IDS = [f"{n}{a}" for n, a in EDGE]


@pytest.mark.parametrize("name,args", quick_first(EDGE, lambda e: e[0], EDGE_IDS, unpack=True))
def test_unrolled_and_generic_paths_agree_where_a_float_partial_divides_by_zero(name, args):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            fast, slow = _forward_both(name, args)
        except (ValueError, TypeError) as e:        # outside the op's domain altogether
            pytest.skip(f"{name}{args}: {e}")
        _same(fast.tangent, slow.tangent, f"{name}{args} forward tangent")
        for k, (a, b) in enumerate(zip(*_reverse_both(name, args))):
            _same(a, b, f"{name}{args} adjoint of argument {k}")


def test_the_hot_paths_hand_a_float_division_by_zero_to_numpy_semantics():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert dn.derivative(lambda x: x ** 0.5, 0.0) == np.inf       # sqrt'(0) = inf
        assert dn.grad(lambda x: x ** 0.5)(0.0) == np.inf
        gx, gy = dn.grad(lambda x, y: x / y, argnums=(0, 1))(1.0, 0.0)
        assert gx == np.inf and gy == -np.inf
