"""The sliding windows (``sliding_window_view``, ``window_add``) and the small-block path of
``max``/``min``: every fast path against the generic path and against central differences.

The small-block path (a reduction over a block of <= 16 elements, as slices and
``np.maximum``) must give numpy's own values (nan, ties, ints, keepdims) and the same
derivative as the generic path, tie rule included: tied extrema share it evenly.
"""
from __future__ import annotations

import numpy as np
import pytest

import dualnum as dn
import dualnum.numpy as dnp
from dualnum.rules import reduce as R
from dualnum.rules import window_add

from .refs import assert_close, central_jacobian

RNG = np.random.default_rng(11)


# ------------------------------------------------------------------ the small-block path

BLOCKS = [((16, 13, 2, 13, 2, 8), (2, 4)), ((1000, 16), (1,)), ((128, 3), (1,)),
          ((8, 2, 8, 2, 4), (1, 3)), ((3, 300), (0,))]


@pytest.mark.parametrize("shape,axes", BLOCKS)
@pytest.mark.parametrize("ufunc,np_fn", [(np.maximum, np.max), (np.minimum, np.min)])
def test_block_reduce_is_numpys_reduction(shape, axes, ufunc, np_fn):
    x = RNG.normal(size=shape)
    assert R.small_block(x, axes), "these shapes must take the fast path"
    x.reshape(-1)[::7] = 0.5                    # ties
    x.reshape(-1)[3] = np.nan                   # nan propagates
    for keep in (False, True):
        want = np_fn(x, axis=axes, keepdims=keep)
        got = R.block_reduce(ufunc, x, axes, keep)
        assert got.shape == want.shape
        np.testing.assert_array_equal(got, want)
        np.testing.assert_array_equal(dnp.max(x, axis=axes, keepdims=keep) if np_fn is np.max
                                      else dnp.min(x, axis=axes, keepdims=keep), want)


def test_block_reduce_on_integers_and_counts():
    x = RNG.integers(-5, 5, size=(40, 2, 3))
    np.testing.assert_array_equal(R.block_reduce(np.maximum, x, (1, 2)), x.max(axis=(1, 2)))
    m = x > 0
    np.testing.assert_array_equal(R.block_reduce(np.add, m.astype(float), (1, 2)),
                                  m.sum(axis=(1, 2)))


def test_small_block_chooses_only_small_blocks_with_many_results():
    assert not R.small_block(np.zeros((4, 40)), (1,))         # a long reduced axis
    assert not R.small_block(np.zeros((4, 2)), (1,))          # few results
    assert not R.small_block(np.zeros(512, dtype=object), (0,))
    assert R.small_block(np.zeros((512, 2)), (1,))


def _pool(x):
    return dnp.max(dnp.reshape(x, (4, 3, 2, 4, 2, 3)), axis=(2, 4))


def _pool_point(ties: bool) -> np.ndarray:
    x = RNG.normal(size=(4, 6, 8, 3))
    if ties:
        w = x.reshape(4, 3, 2, 4, 2, 3)
        w[0, 0, :, 0, :, 0] = 2.0                        # a window of four tied maxima
        w[1, 1, 0, 1, :, 1] = 3.0                        # three tied maxima
        w[1, 1, 1, 1, 0, 1] = 3.0
        w[1, 1, 1, 1, 1, 1] = -1.0
    return x


def test_pooling_block_derivatives_against_differences():
    x = _pool_point(ties=False)
    assert R.small_block(x.reshape(4, 3, 2, 4, 2, 3), (2, 4))
    e = RNG.normal(size=(4, 3, 4, 3))
    f = lambda x: dnp.sum(e * _pool(x))  # noqa: E731
    (ref,) = central_jacobian(f, [x], [0])
    assert_close(dn.grad(f)(x), ref, 1e-8, 1e-9, "max pool, reverse")
    v = RNG.normal(size=x.shape)
    assert_close(dn.jvp(f, (x,), (v,))[1], np.sum(ref * v), 1e-8, 1e-9, "max pool, forward")


@pytest.mark.parametrize("ties", [False, True])
def test_pooling_block_path_agrees_with_generic_path(ties, monkeypatch):
    x = _pool_point(ties)
    e = RNG.normal(size=(4, 3, 4, 3))
    f = lambda x: dnp.sum(e * _pool(x))  # noqa: E731
    v = RNG.normal(size=x.shape)
    fast = (dn.grad(f)(x), dn.jvp(f, (x,), (v,))[1], dn.jacfwd(_pool)(x[:, :, :, :]))
    monkeypatch.setattr(R, "small_block", lambda x, axes: False)
    slow = (dn.grad(f)(x), dn.jvp(f, (x,), (v,))[1], dn.jacfwd(_pool)(x))
    for a, b in zip(fast, slow):
        np.testing.assert_allclose(a, b, rtol=1e-14, atol=1e-15)


def test_tied_maxima_share_the_derivative_evenly():
    x = _pool_point(ties=True)
    g = dn.grad(lambda x: dnp.sum(_pool(x)))(x)
    w = g.reshape(4, 3, 2, 4, 2, 3)
    np.testing.assert_allclose(w[0, 0, :, 0, :, 0], 0.25)          # four tied: 1/4 each
    np.testing.assert_allclose(w[1, 1, 0, 1, :, 1], 1 / 3)         # three tied: 1/3 each
    np.testing.assert_allclose(w[1, 1, 1, 1, 0, 1], 1 / 3)
    assert w[1, 1, 1, 1, 1, 1] == 0.0
    assert np.sum(g) == pytest.approx(4 * 3 * 4 * 3)               # each window passes 1 on


def test_a_nan_window_and_a_tie_do_not_cancel_out():
    # one window all nan (no maximum found: nan derivative, as numpy's reduction gives) and
    # one tied window: the count of maxima then equals the number of windows by accident
    x = RNG.normal(size=(64, 2))
    x[0] = np.nan
    x[1] = 4.0
    with np.errstate(invalid="ignore", divide="ignore"):
        g = dn.grad(lambda x: dnp.sum(dnp.max(x, axis=1)))(x)
    np.testing.assert_allclose(g[1], [0.5, 0.5])
    assert np.isnan(g[0]).all()


def test_second_order_through_the_block_path():
    x = _pool_point(ties=False)[:1]
    s = lambda z: dnp.sum(dnp.max(dnp.reshape(z, (1, 3, 2, 4, 2, 3)), axis=(2, 4)) ** 3)  # noqa: E731
    v = RNG.normal(size=x.shape)
    hv = dn.hvp(s)(x, v)
    (ref,) = central_jacobian(lambda z: np.sum(dn.grad(s)(z) * v), [x], [0])
    assert_close(hv, ref, 1e-6, 1e-7, "Hessian-vector product through the max pool")


# ------------------------------------------------------------------ sliding windows

def test_sliding_window_view_is_numpys():
    x = RNG.normal(size=(2, 5, 6, 3))
    want = np.lib.stride_tricks.sliding_window_view(x, (2, 3), axis=(1, 2))
    np.testing.assert_array_equal(dnp.sliding_window_view(x, (2, 3), axis=(1, 2)), want)
    np.testing.assert_array_equal(dnp.sliding_window_view(x, (2, 3), axis=(-3, -2)), want)
    np.testing.assert_array_equal(dnp.sliding_window_view(x[0, :, 0, 0], 4),
                                  np.lib.stride_tricks.sliding_window_view(x[0, :, 0, 0], 4))


def test_window_add_is_the_sum_of_the_windows_put_back():
    shape, ws, axes = (3, 7, 6, 2), (3, 2), (1, 2)
    v = RNG.normal(size=(3, 5, 5, 2, 3, 2))
    want = np.zeros(shape)
    for i in range(5):
        for j in range(5):
            for a in range(3):
                for b in range(2):
                    want[:, i + a, j + b, :] += v[:, i, j, :, a, b]
    got = window_add(v, window_shape=ws, axis=axes, shape=shape)
    np.testing.assert_allclose(got, want, rtol=1e-14)


def test_windows_derivatives_against_differences_and_each_other():
    x = RNG.normal(size=(2, 4, 5, 2))
    e = RNG.normal(size=(2, 3, 3, 2, 2, 3))
    f = lambda x: dnp.sum(e * dnp.sliding_window_view(x, (2, 3), axis=(1, 2)) ** 2)  # noqa: E731
    (ref,) = central_jacobian(f, [x], [0])
    assert_close(dn.grad(f)(x), ref, 1e-8, 1e-9, "sliding_window_view, reverse")
    assert_close(dn.jacfwd(f)(x), ref, 1e-8, 1e-9, "sliding_window_view, forward")
    # the VJP of sliding_window_view is window_add, and window_add's is sliding_window_view
    g = dn.vjp(lambda x: dnp.sliding_window_view(x, (2, 3), axis=(1, 2)), x)[1](e)[0]
    np.testing.assert_allclose(g, window_add(e, window_shape=(2, 3), axis=(1, 2),
                                             shape=x.shape), rtol=1e-14)
    back = dn.vjp(lambda v: window_add(v, window_shape=(2, 3), axis=(1, 2), shape=x.shape),
                  e)[1](x)[0]
    np.testing.assert_allclose(back, np.lib.stride_tricks.sliding_window_view(
        x, (2, 3), axis=(1, 2)), rtol=1e-14)


@pytest.mark.parametrize("call,match", [
    (lambda: dnp.sliding_window_view(np.ones((3, 4)), (2, 2), axis=0), "same length"),
    (lambda: dnp.sliding_window_view(np.ones((3, 4)), (2, 2), axis=(0, 0)), "twice"),
    (lambda: dnp.sliding_window_view(np.ones((3, 4)), 5, axis=1), "exceeds"),
    (lambda: dnp.sliding_window_view(np.ones((3, 4)), 2, axis=2), "out of bounds"),
    (lambda: dnp.sliding_window_view(np.ones((3, 4)), 0, axis=1), "positive"),
    (lambda: window_add(np.ones((2, 2)), window_shape=2, axis=0, shape=(4,)), "do not fit"),
])
def test_window_errors_name_the_problem(call, match):
    with pytest.raises(ValueError, match=match):
        call()
