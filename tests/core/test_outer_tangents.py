"""``dualnum._outer.Outer``: a tangent kept as a sum of products of broadcast factors must
behave exactly as the dense array it stands for. Every check compares with numpy on the
explicit product (random factor shapes, fixed seeds), including the contraction of ``sum``
over every subset of axes.
"""
from __future__ import annotations

import itertools

import numpy as np
import pytest

from dualnum import _outer
from dualnum._outer import Outer, dense, outer_times

RNG = np.random.default_rng(5)
SHAPE = (3, 4, 5)


def _factor(rng, shape, complex_=False):
    """A factor spanning a random subset of the axes (1 elsewhere)."""
    s = tuple(n if rng.random() < 0.5 else 1 for n in shape)
    f = rng.normal(size=s)
    return f + 1j * rng.normal(size=s) if complex_ else f


def _random_outer(rng, shape=SHAPE, complex_=False):
    while True:
        terms = [tuple(_factor(rng, shape, complex_ and k == 0) for k in range(rng.integers(1, 5)))
                 for _ in range(rng.integers(1, 4))]
        full = sum(np.broadcast_to(np.prod(np.broadcast_arrays(*t), axis=0), shape)
                   for t in terms)
        if full.shape == shape:
            return Outer(shape, terms), full


def _all_axes(nd):
    return [c for r in range(nd + 1) for c in itertools.combinations(range(nd), r)]


@pytest.mark.parametrize("seed", range(40))
def test_dense_and_sum_over_every_axis_subset_match_numpy(seed):
    rng = np.random.default_rng(seed)
    t, full = _random_outer(rng, complex_=seed % 4 == 0)
    d = t.dense()
    np.testing.assert_allclose(d, full, rtol=1e-13, atol=1e-13)
    assert d.flags.writeable and d.shape == SHAPE
    for axes in _all_axes(3):
        for keep in (False, True):
            got = t.sum(axes, keep)
            want = full.sum(axis=axes, keepdims=keep)
            assert got.shape == want.shape, (axes, keep)
            np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("seed", range(20))
def test_arithmetic_stays_exact(seed):
    rng = np.random.default_rng(100 + seed)
    t, full = _random_outer(rng)
    u, ufull = _random_outer(rng)
    a = rng.normal(size=SHAPE[1:])           # broadcasts from the right
    cases = {
        "t * a": (t * a, full * a), "a * t": (a * t, a * full), "t * 2": (t * 2.0, full * 2),
        "2j * t": (2j * t, 2j * full), "t + u": (t + u, full + ufull),
        "t + a": (t + a, full + a), "a + t": (a + t, a + full), "t - u": (t - u, full - ufull),
        "a - t": (a - t, a - full), "t - 1": (t - 1.0, full - 1), "-t": (-t, -full),
        "t / 3": (t / 3.0, full / 3), "t * u": (t * u, full * ufull),
    }
    for name, (got, want) in cases.items():
        np.testing.assert_allclose(dense(got), want, rtol=1e-13, atol=1e-13, err_msg=name)
    for name in ("t * a", "a * t", "t + u", "a + t", "a - t", "-t"):
        assert type(cases[name][0]) is Outer, name       # kept factored
    # any other numpy function or ufunc computes on the dense array
    np.testing.assert_allclose(np.exp(t), np.exp(full), rtol=1e-13)
    np.testing.assert_allclose(np.maximum(t, a), np.maximum(full, a), rtol=1e-13)
    np.testing.assert_allclose(np.transpose(t), full.T, rtol=1e-13)
    np.testing.assert_allclose(np.asarray(t), full, rtol=1e-13)


def test_lead_inserts_unit_axes_after_the_batch_axis():
    t, full = _random_outer(RNG)
    led = t.lead(4)
    assert led.shape == (3, 1, 1, 4, 5)
    np.testing.assert_array_equal(led.dense(), full.reshape(3, 1, 1, 4, 5))
    assert t.lead(2) is t


def test_an_outer_product_is_kept_factored_and_contracted(monkeypatch):
    small = outer_times(np.ones((2, 1)), np.ones(3))          # below MIN_SIZE: computed
    assert type(small) is np.ndarray and small.shape == (2, 3)
    monkeypatch.setattr(_outer, "MIN_SIZE", 0)
    Qf, P = RNG.normal(size=(6, 1, 8)), RNG.normal(size=(5, 8))
    t = outer_times(Qf, P)
    assert type(t) is Outer and t.shape == (6, 5, 8)
    np.testing.assert_allclose(t.sum((2,), False), Qf[:, 0] @ P.T, rtol=1e-13)


def test_dense_never_hands_out_a_factor():
    f = RNG.normal(size=(2, 3))
    d = Outer((2, 3), [(f,)]).dense()
    assert d is not f and not np.shares_memory(d, f)
    d[0, 0] = 99.0
    assert f[0, 0] != 99.0


def test_many_terms_fold_into_one_dense_term():
    t = Outer((4, 6), [(RNG.normal(size=(4, 1)), RNG.normal(size=(1, 6)))])
    full = t.dense()
    acc, want = t, full
    for _ in range(12):
        acc, want = acc + t, want + full
    assert len(acc.terms) <= 9
    np.testing.assert_allclose(acc.dense(), want, rtol=1e-13)
