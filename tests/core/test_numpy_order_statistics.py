"""The order statistics and along-an-axis names of issue 13: sort, partition, median,
quantile/percentile, diff, gradient, cumprod, average, nansum, nanmean. Derivatives forward
and reverse against central differences in plain numpy (``refs.central_jacobian``) over 0-D to
3-D inputs, keywords and negative axes; second order against differences of the gradient;
closed forms where the derivative is known exactly (the median's weights, cumprod at zeros,
sort's permutation); numpy's functions on boxes; errors like numpy's. Values against numpy
are in test_numpy_values_statistics.py."""
from __future__ import annotations

import warnings
from typing import Any, Callable

import numpy as np
import pytest

import dualnum as dn
import dualnum.numpy as dnp
from dualnum.primitive import Box

from .judges import both_modes
from .refs import assert_close, central_gradient

RNG = np.random.default_rng(1314)


def u(*shape: int, lo: float = -2.0, hi: float = 2.0) -> np.ndarray:
    return RNG.uniform(lo, hi, size=shape)



def second_order(f: Callable[[np.ndarray], Any], x: np.ndarray, what: str) -> np.ndarray:
    shape = np.shape(x)
    w = np.random.default_rng(3).normal(size=np.shape(f(x)))
    s = lambda v: dnp.sum(w * f(dnp.reshape(v, shape)))
    x0 = np.ravel(x)
    H = dn.hessian(s)(x0)
    assert_close(H, central_gradient(lambda v: dn.grad(s)(v), x0), 1e-5, 1e-6,
                 f"{what} Hessian")
    assert_close(dn.hessian(s, mode="forward")(x0), H, 1e-11, 1e-12, f"{what} fwd-over-fwd")
    assert_close(dn.hessian(s, mode="reverse")(x0), H, 1e-11, 1e-12, f"{what} rev-over-rev")
    return H


X3 = u(2, 3, 4)
CALLS = {
    "sort default": lambda x: dnp.sort(x),
    "sort axis=0": lambda x: dnp.sort(x, axis=0),
    "sort axis=None": lambda x: dnp.sort(x, axis=None),
    "partition kth=(0, 2), axis=-2": lambda x: dnp.partition(x, (0, 2), axis=-2),
    "median": lambda x: dnp.median(x),
    "median axis=(0, 2), keepdims": lambda x: dnp.median(x, axis=(0, 2), keepdims=True),
    "median axis=-1 (even)": lambda x: dnp.median(x, axis=-1),
    "quantile q array, axis=1": lambda x: dnp.quantile(x, [0.1, 0.5, 0.95], axis=1),
    "quantile keepdims": lambda x: dnp.quantile(x, 0.3, axis=(1, 2), keepdims=True),
    "quantile hazen": lambda x: dnp.quantile(x, 0.37, axis=0, method="hazen"),
    "quantile midpoint": lambda x: dnp.quantile(x, 0.37, method="midpoint"),
    "quantile nearest": lambda x: dnp.quantile(x, 0.6, axis=-1, method="nearest"),
    "quantile averaged_inverted_cdf": lambda x: dnp.quantile(x, 0.4, 2,
                                                             method="averaged_inverted_cdf"),
    "percentile": lambda x: dnp.percentile(x, [25.0, 80.0], axis=-1),
    "diff n=2 axis=1": lambda x: dnp.diff(x, 2, 1),
    "diff prepend/append": lambda x: dnp.diff(x, axis=0, prepend=x[:1] * 2.0, append=1.0),
    "gradient all axes": lambda x: dnp.stack(dnp.gradient(x, 0.5, 2.0, [0.0, 1.0, 1.5, 3.0])),
    "gradient edge_order=2": lambda x: dnp.gradient(x, [0.0, 0.4, 1.5], axis=1, edge_order=2),
    "cumprod": lambda x: dnp.cumprod(x),
    "cumprod axis=-2": lambda x: dnp.cumprod(x, axis=-2),
    "average weights, axis=(0, 2)": lambda x: dnp.average(x, (0, 2),
                                                          np.arange(1.0, 9.0).reshape(2, 4)),
    "average traced weights": lambda x: dnp.average(x, 1, weights=dnp.exp(x[0, :, 0])),
    "average returned": lambda x: dnp.stack(dnp.average(x, -1, x[0, 0] ** 2, returned=True)),
    "nansum": lambda x: dnp.nansum(x + np.where(X3 > 1.0, np.nan, 0.0), axis=(0, 1)),
    "nanmean": lambda x: dnp.nanmean(x + np.where(X3 > 1.0, np.nan, 0.0), axis=-1),
}


@pytest.mark.parametrize("name", sorted(CALLS))
def test_derivatives_against_central_differences(name):
    both_modes(CALLS[name], X3, what=name)


@pytest.mark.parametrize("name", ["sort default", "median axis=-1 (even)", "quantile hazen",
                                  "diff prepend/append", "gradient edge_order=2", "cumprod",
                                  "average traced weights", "nanmean", "percentile"])
def test_second_order(name):
    f = CALLS[name]
    second_order(lambda x: f(x) * dnp.sum(x * x), X3, name)


@pytest.mark.parametrize("shape", [(), (5,), (2, 3), (1, 4), (2, 1, 3)])
def test_small_and_0d_shapes(shape):
    x = u(*shape) if shape else 0.7
    both_modes(dnp.median, x, what=f"median{shape}")
    both_modes(lambda v: dnp.quantile(v, [0.2, 0.7]), x, what=f"quantile{shape}")
    both_modes(dnp.cumprod, x, what=f"cumprod{shape}")
    both_modes(lambda v: dnp.average(v, weights=np.full(shape, 2.0) + np.arange(
        int(np.prod(shape))).reshape(shape)), x, what=f"average{shape}")
    if shape:
        both_modes(dnp.sort, x, what=f"sort{shape}")
        both_modes(lambda v: dnp.diff(v, axis=0, append=0.5), x, what=f"diff{shape}")
        if shape[-1] > 1:
            both_modes(lambda v: dnp.gradient(v, axis=-1), x, what=f"gradient{shape}")


# ------------------------------------------------------------------ closed forms

def test_sort_derivative_is_the_permutation_and_ties_follow_numpys_stable_order():
    x = np.array([3.0, 1.0, 2.0, 1.0])
    J = dn.jacfwd(dnp.sort)(x)
    assert J.tolist() == np.eye(4)[np.argsort(x, kind="stable")].tolist()
    assert dn.grad(lambda v: dnp.sort(v)[0])(x).tolist() == [0.0, 1.0, 0.0, 0.0]
    assert dnp.argsort(dn.Dual(x, np.ones(4))).tolist() == [1, 3, 2, 0]
    assert not isinstance(dnp.argsort(dn.Dual(x, np.ones(4))), Box)
    # nan sorts last, its derivative with it
    y = np.array([np.nan, 1.0, 0.0])
    assert dn.jacrev(dnp.sort)(y).tolist() == [[0, 0, 1], [0, 1, 0], [1, 0, 0]]


def test_median_and_quantile_weights():
    x = np.array([4.0, 1.0, 3.0, 2.0])
    assert dn.grad(dnp.median)(x).tolist() == [0.0, 0.0, 0.5, 0.5]
    assert dn.grad(dnp.median)(x[:3]).tolist() == [0.0, 0.0, 1.0]
    # linear: position (n - 1) q = 2.1 between the sorted x[2] = 3 and x[3] = 4
    assert dn.grad(lambda v: dnp.quantile(v, 0.7))(x) == pytest.approx([0.1, 0.0, 0.9, 0.0])
    # in q: (n - 1) (x(3) - x(2)) = 3 for the linear method, and likewise for the others
    data = u(3, 5)
    for m, slope in (("linear", 3.0), ("weibull", 5.0), ("hazen", 4.0)):
        assert dn.derivative(lambda q: dnp.quantile(x, q, method=m), 0.7) == \
            pytest.approx(slope, rel=1e-12), m
        both_modes(lambda q, m=m: dnp.quantile(data, q, axis=1, method=m),
                   np.array([0.33, 0.57]), what=f"quantile d/dq {m}")
    both_modes(lambda q: dnp.percentile(x, q), 40.0, what="percentile d/dq")
    # the discrete methods are constant in q
    assert dn.derivative(lambda q: dnp.quantile(x, q, method="lower"), 0.7) == 0.0


def test_cumprod_is_exact_where_elements_are_zero():
    x = np.array([2.0, 0.0, 3.0, 0.0, 5.0])
    J = dn.jacfwd(dnp.cumprod)(x)
    want = np.zeros((5, 5))
    for i in range(5):
        for j in range(i + 1):
            want[i, j] = np.prod([x[k] for k in range(i + 1) if k != j])
    assert np.array_equal(J, want) and np.array_equal(dn.jacrev(dnp.cumprod)(x), want)
    both_modes(lambda v: dnp.cumprod(v, axis=0), u(300, 2, lo=0.9, hi=1.1), what="long cumprod")


def test_gradient_differentiates_in_traced_spacing_and_coordinates():
    f = u(5, 4)
    both_modes(lambda h: dnp.gradient(f, h, axis=0), 0.3, what="d/dspacing")
    c = np.array([0.0, 0.4, 1.1, 1.5])
    for e in (1, 2):
        both_modes(lambda cc, e=e: dnp.gradient(f, cc, axis=1, edge_order=e), c,
                   what=f"d/dcoordinates edge_order={e}")
    second_order(lambda cc: dnp.gradient(f, cc, axis=1, edge_order=2), c, "coordinates")
    # on samples of a quadratic the second-order formulas are exact, spacing uneven or not
    t = np.array([0.0, 0.3, 1.0, 1.2, 2.0])
    g = dnp.gradient(t ** 2 - t, t, edge_order=2)
    np.testing.assert_allclose(g, 2 * t - 1, rtol=1e-12, atol=1e-12)


def test_average_differentiates_in_the_weights():
    a = u(3, 4)
    both_modes(lambda w: dnp.average(a, axis=1, weights=w), u(4, lo=0.5, hi=1.5),
               what="d/dweights 1-D")
    both_modes(lambda w: dnp.average(a, weights=w), u(3, 4, lo=0.5, hi=1.5),
               what="d/dweights full")
    second_order(lambda w: dnp.average(a, 0, w), u(3, lo=0.5, hi=1.5), "average weights")


def test_nan_entries_get_derivative_zero():
    x = np.array([1.0, np.nan, 2.0, np.nan])
    for f in (dnp.nansum, dnp.nanmean):
        for jac in (dn.jacfwd, dn.jacrev):
            g = jac(f)(x)
            assert g[1] == 0.0 and g[3] == 0.0 and g[0] == g[2] > 0.0
    assert dn.grad(dnp.nanmean)(x).tolist() == [0.5, 0.0, 0.5, 0.0]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert np.isnan(dnp.nanmean(np.array([np.nan, np.nan])))
    assert any("Mean of empty slice" in str(w.message) for w in caught)


NUMPY_NAMES = {
    "np.sort": lambda x: np.sort(x, axis=0), "np.partition": lambda x: np.partition(x, 1),
    "np.median": lambda x: np.median(x, axis=-1), "np.quantile": lambda x: np.quantile(x, 0.3),
    "np.percentile": lambda x: np.percentile(x, [20, 70], axis=0),
    "np.average": lambda x: np.average(x, axis=1, weights=[1.0, 2.0, 3.0]),
    "np.cumprod": lambda x: np.cumprod(x, axis=1), "np.diff": lambda x: np.diff(x, axis=0),
    "np.gradient": lambda x: np.gradient(x, axis=1),
    "np.nansum": lambda x: np.nansum(x, axis=0), "np.nanmean": np.nanmean,
}


@pytest.mark.parametrize("name", sorted(NUMPY_NAMES))
def test_numpys_own_functions_on_boxes(name):
    f = NUMPY_NAMES[name]
    x = u(4, 3)
    got = f(dn.Dual(x, np.ones((4, 3))))
    assert isinstance(got, Box), f"{name} on a Dual gave {type(got).__name__}"
    np.testing.assert_allclose(got.primal, f(x), rtol=1e-14)
    with dn.Tape() as tape:
        got = f(tape.var(x))
        np.testing.assert_allclose(got.value, f(x), rtol=1e-14)
    both_modes(f, x, what=name)
    assert np.argsort(dn.Dual(x, x)).tolist() == np.argsort(x).tolist()


@pytest.mark.parametrize("call, err, match", [
    (lambda: dnp.quantile(np.ones(3), 0.5, method="cubic"), ValueError, r"not a valid method"),
    (lambda: dnp.quantile(np.ones(3), 1.5), ValueError, r"Quantiles must be in the range"),
    (lambda: dnp.percentile(np.ones(3), 101), ValueError, r"Percentiles must be in the range"),
    (lambda: dnp.quantile(np.ones(3), 0.5, weights=np.ones(3)), NotImplementedError,
     r"weights="),
    (lambda: dnp.quantile(np.ones(3) * 1j, 0.5), TypeError, r"real numbers"),
    (lambda: dnp.quantile(np.ones(0), 0.5), IndexError, r"out of bounds"),
    (lambda: dnp.median(np.ones(3), out=np.zeros(())), TypeError, r"median: out="),
    (lambda: dnp.median(np.array(2.0), axis=0), np.exceptions.AxisError, r"median: axis 0"),
    (lambda: dnp.sort(np.array(2.0)), np.exceptions.AxisError, r"sort"),
    (lambda: dnp.sort(np.ones(3), order="a"), ValueError, r"order="),
    (lambda: dnp.diff(np.ones(3), -1), ValueError, r"order must be non-negative"),
    (lambda: dnp.diff(2.0), ValueError, r"at least one dimensional"),
    (lambda: dnp.gradient(np.ones(2), edge_order=2), ValueError, r"too small"),
    (lambda: dnp.gradient(np.ones(5), edge_order=3), ValueError, r"greater than 2"),
    (lambda: dnp.gradient(np.ones((3, 3)), 1.0, 2.0, 3.0), TypeError,
     r"invalid number of arguments"),
    (lambda: dnp.gradient(np.ones((3, 3)), [0.0, 1.0], axis=0), ValueError,
     r"must match the length"),
    (lambda: dnp.gradient(np.ones((3, 3)), np.ones((3, 1)), axis=0), ValueError,
     r"scalars or 1d"),
    (lambda: dnp.average(np.ones((2, 3)), weights=np.ones(3)), TypeError,
     r"Axis must be specified"),
    (lambda: dnp.average(np.ones((2, 3)), 1, np.ones(2)), ValueError, r"consistent with shape"),
    (lambda: dnp.average(np.ones(3), weights=np.array([1.0, -1.0, 0.0])), ZeroDivisionError,
     r"Weights sum to zero"),
    (lambda: dnp.cumprod(np.ones(3), out=np.ones(3)), TypeError, r"cumprod: out="),
    (lambda: dnp.cumprod(dn.Dual(np.ones(3), np.ones(3)), dtype=int), TypeError, r"dtype="),
    (lambda: dnp.nanmean(np.ones(3), dtype=int), TypeError, r"dtype="),
    (lambda: dnp.var(np.ones(3), dtype=int), TypeError, r"var: dtype=int64 has no derivative"),
    (lambda: dnp.std(np.ones(3), ddof=1, correction=1), ValueError, r"simultaneously"),
    (lambda: dnp.trace(np.ones((2, 2)), out=np.zeros(())), TypeError, r"trace: out="),
    (lambda: dnp.arange(dn.Dual(3.0, 1.0)), TypeError, r"arange: start is a differentiable"),
    (lambda: dnp.arange(), TypeError, r"requires stop"),
])
def test_errors_like_numpys(call, err, match):
    with pytest.raises(err, match=match):
        call()
