"""Derivatives of the dnp composites fixed for issue 10, forward and reverse, against central
differences in plain numpy (``refs.central_jacobian``), with the issue's own examples:
std of one element, trace of a 3-D array, cumsum flattening, diag of a vector, moveaxis with
tuples, linspace with traced ends, inner with a scalar, norm of a list of boxes and of complex
numbers; and every reduction over axes of length 1 and over single elements."""
from __future__ import annotations

import warnings
from typing import Any, Callable

import numpy as np
import pytest

import dualnum as dn
import dualnum.numpy as dnp
from dualnum.primitive import Box

from .refs import assert_close, central_jacobian

RNG = np.random.default_rng(1011)


def u(*shape: int, lo: float = -2.0, hi: float = 2.0) -> np.ndarray:
    return RNG.uniform(lo, hi, size=shape)


def both_modes(f: Callable[..., Any], *args: Any, wrt: int = 0, what: str = "",
               rtol: float = 1e-6, atol: float = 1e-7) -> None:
    """jacfwd and jacrev of ``f`` in argument ``wrt`` equal central differences."""
    ref = central_jacobian(f, list(args), [wrt])[0]
    fwd = dn.jacfwd(f, argnums=wrt)(*args)
    rev = dn.jacrev(f, argnums=wrt)(*args)
    assert_close(fwd, ref, rtol, atol, f"{what} forward")
    assert_close(rev, ref, rtol, atol, f"{what} reverse")


# ------------------------------------------------------------------ the issue's examples

def test_std_of_one_element_has_derivative_zero():
    assert dn.grad(dnp.std)(3.5) == 0.0
    assert dn.derivative(dnp.std, 3.5) == 0.0
    x = np.ones((1, 3))
    for jac in (dn.jacfwd, dn.jacrev):
        J = jac(lambda v: dnp.std(v, axis=0))(x)
        assert J.shape == (3, 1, 3)
        assert np.array_equal(J, np.zeros((3, 1, 3))), jac
    assert dnp.std(x, axis=0).tolist() == [0.0, 0.0, 0.0]
    # identically zero, so every higher derivative is zero too
    assert dn.hessian(dnp.std)(np.array([2.0]))[0, 0] == 0.0
    for f in (dnp.var, lambda v: dnp.std(v, keepdims=True), lambda v: dnp.std(v, ddof=-1)):
        assert dn.grad(lambda v: dnp.sum(f(v)))(np.array([[4.0]])).tolist() == [[0.0]]


def test_std_with_no_degrees_of_freedom_is_numpys_nan():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        assert np.isnan(dnp.std(3.5, ddof=1)) and np.isnan(np.std(3.5, ddof=1))
        assert np.isnan(dn.jvp(lambda v: dnp.std(v, ddof=1), (3.5,), (1.0,))[0])


def test_trace_of_a_3d_array():
    a = np.arange(24.0).reshape(2, 3, 4)
    assert dnp.trace(a).tolist() == [16.0, 18.0, 20.0, 22.0]
    both_modes(dnp.trace, u(2, 3, 4), what="trace 3-D")
    for off, a1, a2 in ((1, 0, 1), (-1, 0, 1), (0, 1, 2), (1, 2, 0), (-2, -1, 1), (5, 0, 1)):
        both_modes(lambda x, o=off, i=a1, j=a2: dnp.trace(x, offset=o, axis1=i, axis2=j),
                   u(2, 3, 4), what=f"trace offset={off} axes {a1},{a2}")
    both_modes(lambda x: dnp.trace(x, 1), u(3, 5), what="trace non-square")


def test_diagonal_derivatives():
    for off in (0, 2, -1):
        both_modes(lambda x, o=off: dnp.diagonal(x, o, 2, 0), u(2, 3, 4),
                   what=f"diagonal {off}")


@pytest.mark.slow   # ~0.6 s
def test_cumsum_flattens_by_default():
    x = np.arange(6.0).reshape(2, 3)
    assert dnp.cumsum(x).tolist() == [0.0, 1.0, 3.0, 6.0, 10.0, 15.0]
    both_modes(dnp.cumsum, u(2, 3), what="cumsum default")
    for ax in (0, 1, -1, -2):
        both_modes(lambda v, a=ax: dnp.cumsum(v, axis=a), u(2, 3), what=f"cumsum axis {ax}")
    both_modes(dnp.cumsum, 1.5, what="cumsum 0-D")
    both_modes(lambda v: dnp.cumsum(v, 0), u(300), what="cumsum prefix scan")


def test_diag_of_a_vector_builds_the_matrix():
    v = np.array([1.0, 2.0])
    assert dnp.diag(v).tolist() == [[1.0, 0.0], [0.0, 2.0]]
    for k in (0, 1, -2):
        both_modes(lambda x, k=k: dnp.diag(x, k), u(3), what=f"diag 1-D k={k}")
        both_modes(lambda x, k=k: dnp.diag(x, k), u(3, 4), what=f"diag 2-D k={k}")


def test_moveaxis_with_tuples():
    x = u(2, 3, 4)
    assert dnp.moveaxis(x, (0, 1), (1, 2)).shape == np.moveaxis(x, (0, 1), (1, 2)).shape
    for src, dst in (((0, 1), (1, 2)), ((2, 0), (0, -1)), ([1], [0])):
        both_modes(lambda v, s=src, d=dst: dnp.moveaxis(v, s, d), x, what=f"moveaxis {src}")
    both_modes(lambda v: dnp.swapaxes(v, axis1=-1, axis2=0), x, what="swapaxes keywords")


def test_linspace_with_traced_ends():
    f = lambda a, b: dnp.linspace(a, b, 5)
    for wrt in (0, 1):
        both_modes(f, -1.0, 2.0, wrt=wrt, what=f"linspace end {wrt}")
    both_modes(lambda a: dnp.linspace(a, 3.0, 4, endpoint=False), 0.5, what="endpoint=False")
    both_modes(lambda b: dnp.linspace(np.zeros(2), b, 3, axis=-1), u(2), what="array ends")
    d = dn.derivative(lambda b: dnp.linspace(0.0, b, 3), 2.0)
    assert d.tolist() == [0.0, 0.5, 1.0]
    assert not isinstance(dnp.linspace(0.0, 1.0, 3), Box)     # constants stay constant
    with dn.Tape() as tape:
        out = dnp.linspace(tape.var(0.0), 1.0, 3)
        assert isinstance(out, Box)


def test_inner_with_a_scalar():
    v = u(3)
    assert np.allclose(dnp.inner(1.5, v), 1.5 * v)
    both_modes(lambda s: dnp.inner(s, v), 1.5, what="inner d/dscalar")
    both_modes(lambda w: dnp.inner(1.5, w), v, what="inner d/dvector")
    b = u(2, 3)
    both_modes(lambda w: dnp.inner(w, b), u(4, 3), what="inner 2-D")


def test_norm_of_a_list_of_boxes():
    f = lambda x, y: dnp.norm([x, y])
    assert f(3.0, 4.0) == 5.0
    assert dn.grad(f, argnums=(0, 1))(3.0, 4.0) == pytest.approx((0.6, 0.8), rel=1e-14)
    for wrt in (0, 1):
        both_modes(f, 3.0, 4.0, wrt=wrt, what=f"norm([x, y]) d/darg{wrt}")
    # lists mixing boxes and numbers, nested, in other composites
    both_modes(lambda x: dnp.mean([x, 2.0, [x * x][0]]), 1.5, what="mean of a list")
    both_modes(lambda x: dnp.std([[x, 1.0], [2.0, x]], axis=0), 0.5, what="std of nested list")
    both_modes(lambda x: dnp.trace([[x, 1.0], [2.0, x * x]]), 0.5, what="trace of a list")
    both_modes(lambda x: dnp.cumsum((x, 2.0, x)), 0.5, what="cumsum of a tuple")
    both_modes(lambda x: dnp.sum([x, 2.0 * x], axis=0), u(3), what="sum of a list")


def _complex_partials(f: Callable[[np.ndarray], Any], z: np.ndarray) -> tuple:
    """d f / d Re z and d f / d Im z of a real-valued f, by central differences."""
    dre = central_jacobian(lambda r: f(r + 1j * z.imag), [z.real], [0])[0]
    dim = central_jacobian(lambda i: f(z.real + 1j * i), [z.imag], [0])[0]
    return dre, dim


@pytest.mark.parametrize("name, f", [
    ("norm", dnp.norm), ("norm ord=1", lambda z: dnp.norm(z, 1)),
    ("var", dnp.var), ("std", dnp.std), ("var ddof=1", lambda z: dnp.var(z, ddof=1)),
])
def test_complex_input_gives_real_values_and_derivatives(name, f):
    z = np.array([1 + 2j, 3 - 1j, -0.5 + 0.25j])
    ref = {"norm": np.linalg.norm(z), "norm ord=1": np.linalg.norm(z, 1), "var": np.var(z),
           "std": np.std(z), "var ddof=1": np.var(z, ddof=1)}[name]
    val = f(z)
    assert not np.iscomplexobj(val), f"{name} of complex input is complex: {val!r}"
    assert val == pytest.approx(ref, rel=1e-13)
    dre, dim = _complex_partials(f, z)
    fwd_re = [dn.jvp(f, (z,), (np.eye(3)[k] + 0j,))[1] for k in range(3)]
    fwd_im = [dn.jvp(f, (z,), (1j * np.eye(3)[k],))[1] for k in range(3)]
    assert_close(np.real(fwd_re), dre, 1e-6, 1e-7, f"{name} forward d/dRe")
    assert_close(np.real(fwd_im), dim, 1e-6, 1e-7, f"{name} forward d/dIm")
    g = dn.grad(f)(z)      # the convention of dualnum.rules.complex: d/dRe - i d/dIm
    assert_close(g.real, dre, 1e-6, 1e-7, f"{name} reverse d/dRe")
    assert_close(-g.imag, dim, 1e-6, 1e-7, f"{name} reverse d/dIm")


def test_norm_of_complex_issue_value():
    assert dnp.norm(np.array([1 + 2j, 3 - 1j])) == pytest.approx(3.872983346207417, rel=1e-15)
    assert dnp.norm([1 + 2j, 3 - 1j]) == pytest.approx(np.sqrt(15.0), rel=1e-15)


# ------------------------------------------------------------------ single elements, length-1 axes

REDUCE = {
    "sum": dnp.sum, "prod": dnp.prod, "max": dnp.max, "min": dnp.min, "mean": dnp.mean,
    "var": dnp.var, "std": dnp.std, "logsumexp": dnp.logsumexp, "norm": dnp.norm,
}
SMALL = [(1,), (1, 3), (3, 1), (1, 1, 2)]


def _axes_of(shape: tuple) -> list:
    return [None] + list(range(len(shape))) + [-1]


@pytest.mark.parametrize("name", sorted(REDUCE) + ["softmax", "log_softmax"])
def test_reductions_over_length_one_axes_and_single_elements(name):
    f = REDUCE.get(name) or getattr(dnp, name)
    for shape in SMALL:
        x = u(*shape, lo=0.5, hi=1.5)
        for ax in _axes_of(shape):
            if name == "norm" and ax is None:
                g = f
            else:
                g = lambda v, a=ax: f(v, axis=a)
            both_modes(g, x, what=f"{name}{shape} axis={ax}")
            if name not in ("softmax", "log_softmax", "norm"):
                both_modes(lambda v, a=ax: f(v, axis=a, keepdims=True), x,
                           what=f"{name}{shape} axis={ax} keepdims")
    # a single element, as a float and as a 0-D array
    for x in (0.75, np.array(0.75)):
        both_modes(f, x, what=f"{name} of one element")


def test_single_element_statistics_are_exact_zeros():
    for shape in SMALL:
        x = u(*shape)
        for ax in range(len(shape)):
            if shape[ax] != 1:
                continue
            for name in ("var", "std"):
                J = dn.jacfwd(lambda v, a=ax, f=REDUCE[name]: f(v, axis=a))(x)
                Jr = dn.jacrev(lambda v, a=ax, f=REDUCE[name]: f(v, axis=a))(x)
                assert not np.any(J) and not np.any(Jr), f"{name}{shape} axis {ax}"


# ------------------------------------------------------------------ the other composites

X = u(3, 4)
CALLS = {
    "expand_dims tuple": (lambda x: dnp.expand_dims(x, (0, -1)), X),
    "squeeze axis": (lambda x: dnp.squeeze(x[None], 0), X),
    "flip tuple": (lambda x: dnp.flip(x, (0, -1)), X),
    "concatenate None": (lambda x: dnp.concatenate([x, x[0]], axis=None), X),
    "stack -1": (lambda x: dnp.stack([x, x * x], axis=-1), X),
    "outer 2-D": (lambda x: dnp.outer(x, x[0]), X),
    "tensordot pair": (lambda x: dnp.tensordot(x, X, axes=([0], [0])), X),
    "tensordot 0": (lambda x: dnp.tensordot(x, X[0], axes=0), X),
    "dot 3-D": (lambda x: dnp.dot(dnp.reshape(x, (3, 2, 2)), x[:2]), X),
    "transpose negative": (lambda x: dnp.transpose(dnp.reshape(x, (3, 2, 2)), (-1, 0, 1)), X),
    "broadcast_to": (lambda x: dnp.broadcast_to(x[:1], (2, 3, 4)), X),
    "norm ord=1": (lambda x: dnp.norm(x, 1, axis=0), X),
    "norm ord=inf": (lambda x: dnp.norm(x, np.inf, axis=-1), X),
    "norm ord=3": (lambda x: dnp.norm(x, 3, axis=1), X),
    "norm ord=0": (lambda x: dnp.norm(x, 0, axis=1), X),
    "norm matrix 1": (lambda x: dnp.norm(x, 1), X),
    "norm matrix -inf": (lambda x: dnp.norm(x, -np.inf), X),
    "norm fro keepdims": (lambda x: dnp.norm(x, "fro", (0, 1), True), X),
    "pad constant values": (lambda x: dnp.pad(x, (1, 2), constant_values=3.0), X),
    "pad edge": (lambda x: dnp.pad(x, 2, mode="edge"), X),
    "pad reflect": (lambda x: dnp.pad(x, ((0, 1), (3, 2)), mode="reflect"), X),
    "pad symmetric": (lambda x: dnp.pad(x, 2, mode="symmetric"), X),
    "pad wrap": (lambda x: dnp.pad(x, (5, 1), mode="wrap"), X),
    "clip broadcast bounds": (lambda x: dnp.clip(x[0], np.full((3, 4), -1.0), 1.0), X),
    "clip keywords": (lambda x: dnp.clip(x, min=-0.5), X),
    "where keywords": (lambda x: dnp.where(condition=X > 0, x=x, y=x * x), X),
    "logsumexp default": (lambda x: dnp.logsumexp(x), X),
    "logsumexp tuple": (lambda x: dnp.logsumexp(x, axis=(0, 1), keepdims=True), X),
    "softmax None": (lambda x: dnp.softmax(x, axis=None), X),
    "log_softmax 0": (lambda x: dnp.log_softmax(x, axis=0), X),
    "mean tuple": (lambda x: dnp.mean(x, axis=(-1, 0)), X),
    "var ddof": (lambda x: dnp.var(x, axis=0, ddof=1), X),
    "std keepdims": (lambda x: dnp.std(x, axis=-1, keepdims=True, ddof=1), X),
    "prod tuple": (lambda x: dnp.prod(x, axis=(0, 1)), X),
    "max negative": (lambda x: dnp.max(x, axis=-2), X),
    "reciprocal": (lambda x: dnp.reciprocal(x + 3.0), X),
    "softsign list": (lambda x: dnp.softsign([x[0, 0], 1.0]), X),
}


@pytest.mark.parametrize("name", sorted(CALLS))
def test_composite_derivatives(name):
    f, x = CALLS[name]
    both_modes(f, x, what=name)


def test_where_with_the_condition_alone_is_a_constant():
    c = np.array([[0.0, 1.0], [2.0, 0.0]])
    want = np.where(c)
    got = dnp.where(dn.Dual(c, np.ones((2, 2))))
    assert all(np.array_equal(g, w) for g, w in zip(got, want)) and len(got) == len(want)
