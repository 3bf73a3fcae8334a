"""The plain-array fast paths of the linear-algebra and Fourier rows (and of the shape and
reduction rows their programs meet: ``p[1]``, ``sum``, ``real``/``imag``) give what the general
paths give, and the workloads of benchmarks/reverse.py differentiate right to first and
second order.

A rule's VJP takes its fast path when the cotangent is a plain array (a first-order sweep);
the general path, written with primitives, is what runs when the cotangent is a box. So each
rule is called twice here on the same numbers: with the plain cotangent, and with the
cotangent wrapped in a ``Dual`` with zero tangent (whose primal is then the general path's
answer). References for the derivatives are independent: central differences, closed forms
(``∇ log|det A| = A⁻ᵀ``; ``∇_b c·A⁻¹b = A⁻ᵀc``, ``∇_A = −(A⁻ᵀc)(A⁻¹b)ᵀ``) and the hand-derived
gradient of the spectral loss.
"""
from __future__ import annotations

import importlib

import numpy as np
import pytest

import dualnum as dn
import dualnum.numpy as dnp
from dualnum.primitive import Box, unbox_all
from dualnum.rules._matrix import WELL_CONDITIONED

from .refs import assert_close, central_gradient

RNG = np.random.default_rng(1212)
R_solves = importlib.import_module("dualnum.rules.solves")
R_shape = importlib.import_module("dualnum.rules.shape")
R_reduce = importlib.import_module("dualnum.rules.reduce")
R_complex = importlib.import_module("dualnum.rules.complex")
R_fft = importlib.import_module("dualnum.rules.fft")


def _both(vjp, needs, g, ans, args, kw, lead=0):
    """(fast path's contributions, general path's) of one VJP on the same numbers."""
    fast = vjp(needs, g, ans, args, kw, lead)
    boxed = dn.Dual(g, np.zeros_like(g)) if isinstance(g, np.ndarray) else dn.Dual(g, 0.0)
    general = vjp(needs, boxed, ans, args, kw, lead)
    for c in fast:              # the fast path hands out plain numbers
        assert not isinstance(c, Box)
    return fast, [None if c is None else unbox_all(c) for c in general]


def _agree(fast, general, what):
    assert len(fast) == len(general), what
    for k, (a, b) in enumerate(zip(fast, general)):
        if a is None or b is None:
            assert a is None and b is None, f"{what}: contribution {k}"
            continue
        a, b = np.asarray(a), np.asarray(b)
        assert a.shape == b.shape, f"{what}: contribution {k}: {a.shape} vs {b.shape}"
        assert a.dtype == b.dtype, f"{what}: contribution {k}: {a.dtype} vs {b.dtype}"
        np.testing.assert_allclose(a, b, rtol=1e-13, atol=1e-15, err_msg=what)


def good(*shape: int) -> np.ndarray:
    return WELL_CONDITIONED.sample(RNG, shape)


# ------------------------------------------------------------------ fast vs general path

SLOGDET = [     # (label, A, cotangent of the packed [sign, log|det|], lead)
    ("grad's seed", good(4, 4), np.array([0.0, 1.0]), 0),
    ("scaled", good(4, 4), np.array([0.0, -0.7]), 0),
    ("a sign cotangent (no derivative)", good(3, 3), np.array([2.5, 0.3]), 0),
    ("stack", good(3, 4, 4), RNG.normal(size=(3, 2)), 0),
    ("lead axis", good(4, 4), RNG.normal(size=(2, 2)), 1),
    ("lead axis, stack", good(2, 3, 3), RNG.normal(size=(5, 2, 2)), 1),
]


@pytest.mark.parametrize("label, A, g, lead", SLOGDET, ids=[c[0] for c in SLOGDET])
def test_slogdet_vjp_fast_path_matches_the_general_path_and_the_closed_form(label, A, g, lead):
    ans = R_solves.slogdet(A)
    fast, general = _both(R_solves.slogdet.vjp, (True,), g, ans, (A,), {}, lead)
    _agree(fast, general, f"slogdet {label}")
    want = g[..., 1, None, None] * np.swapaxes(np.linalg.inv(A), -1, -2)
    np.testing.assert_allclose(fast[0], want, rtol=1e-12, atol=1e-14)


def test_slogdet_vjp_fast_path_leaves_its_inputs_alone():
    A, g = good(4, 4), np.array([0.0, 3.0])
    A0, g0 = A.copy(), g.copy()
    out = R_solves.slogdet.vjp((True,), g, R_solves.slogdet(A), (A,), {}, 0)[0]
    np.testing.assert_array_equal(A, A0)
    np.testing.assert_array_equal(g, g0)
    assert not np.shares_memory(out, A)


def test_slogdet_packed_value_is_numpys_for_one_matrix_and_a_stack():
    for A in (good(4, 4), good(3, 4, 4), -good(5, 5)):
        sign, logabs = np.linalg.slogdet(A)
        p = R_solves.slogdet(A)
        assert p.shape == np.shape(sign) + (2,) and p.dtype == np.float64
        np.testing.assert_array_equal(p[..., 0], sign)
        np.testing.assert_array_equal(p[..., 1], logabs)
    Z = good(3, 3) + 1j * RNG.normal(size=(3, 3))
    p = R_solves.slogdet(Z)
    assert p.dtype == np.complex128
    np.testing.assert_allclose(p, np.array(np.linalg.slogdet(Z)), rtol=1e-14)


GETITEM = [     # (label, x, index, cotangent of x[index])
    ("an int of a vector, a float seed", RNG.normal(size=5), 1, 1.0),
    ("a negative int", RNG.normal(size=5), -2, 0.5),
    ("a slice", RNG.normal(size=6), slice(1, 5), RNG.normal(size=4)),
    ("a strided slice", RNG.normal(size=7), slice(None, None, -2), RNG.normal(size=4)),
    ("ellipsis", RNG.normal(size=(3, 4, 2)), (Ellipsis, 1), RNG.normal(size=(3, 4))),
    ("int and slice", RNG.normal(size=(3, 4)), (2, slice(1, 3)), RNG.normal(size=2)),
    ("a new axis beside an int", RNG.normal(size=(3, 4)), (None, 1), RNG.normal(size=(1, 4))),
    ("complex cotangent", RNG.normal(size=4) + 0j, slice(0, 2), np.array([1 + 2j, -1j])),
    ("0-d", np.array(2.5), (), 1.0),
]


@pytest.mark.parametrize("label, x, idx, g", GETITEM, ids=[c[0] for c in GETITEM])
def test_getitem_vjp_through_a_basic_index_matches_the_general_path(label, x, idx, g):
    assert R_shape._basic_index(idx)
    ans = x[idx]
    fast, general = _both(R_shape.getitem.vjp, (True, False), g, ans, (x, idx), {})
    _agree(fast, general, f"getitem {label}")
    want = np.zeros_like(x, dtype=np.result_type(np.asarray(g).dtype, float))
    want[idx] += g
    np.testing.assert_array_equal(fast[0], want)


@pytest.mark.parametrize("idx", [np.int64(1), True, [0, 2], np.array([1, 1]),
                                 (slice(None), np.array([0, 0]))])
def test_getitem_vjp_other_indices_keep_the_general_path(idx):
    # numpy scalars, bools, lists and integer arrays are not basic indices (a repeated
    # integer index accumulates): index_add's path, checked against a loop
    x = RNG.normal(size=(3, 3)) if isinstance(idx, tuple) else RNG.normal(size=3)
    assert not R_shape._basic_index(idx)
    ans = x[np.asarray(idx) if isinstance(idx, list) else idx]
    g = RNG.normal(size=np.shape(ans))
    (gx, _), = [R_shape.getitem.vjp((True, False), g, ans, (x, idx), {}, 0)]
    f = lambda v: np.sum(g * v[np.asarray(idx) if isinstance(idx, list) else idx])
    want = central_gradient(lambda v: np.atleast_1d(f(v.reshape(x.shape))), x.ravel())[0]
    np.testing.assert_allclose(np.ravel(gx), want, rtol=1e-8, atol=1e-9)


SUMS = [        # (label, x shape, kwargs, cotangent, lead)
    ("a full sum, grad's float seed", (5,), {"axis": None, "keepdims": False}, 1.0, 0),
    ("a full sum of a matrix", (3, 4), {"axis": None, "keepdims": False}, -2.0, 0),
    ("a 0-d array seed", (3, 4), {"axis": None, "keepdims": False}, np.array(0.5), 0),
    ("one axis", (3, 4), {"axis": 0, "keepdims": False}, RNG.normal(size=4), 0),
    ("two axes", (2, 3, 4), {"axis": (0, 2), "keepdims": False}, RNG.normal(size=3), 0),
    ("keepdims", (3, 4), {"axis": -1, "keepdims": True}, RNG.normal(size=(3, 1)), 0),
    ("lead axis", (3, 4), {"axis": 1, "keepdims": False}, RNG.normal(size=(2, 3)), 1),
    ("big (a broadcast view)", (80, 80), {"axis": None, "keepdims": False}, 1.5, 0),
]


@pytest.mark.parametrize("label, shape, kw, g, lead", SUMS, ids=[c[0] for c in SUMS])
def test_sum_vjp_on_plain_cotangents_matches_the_general_path(label, shape, kw, g, lead):
    x = RNG.normal(size=shape)
    ans = np.sum(x, axis=kw["axis"], keepdims=kw["keepdims"])
    fast, general = _both(R_reduce.sum.vjp, (True,), g, ans, (x,), kw, lead)
    _agree(fast, general, f"sum {label}")
    # the adjoint of a sum is the cotangent spread over the summed axes
    gx = np.asarray(g)
    if not kw["keepdims"] and kw["axis"] is not None:
        axes = np.atleast_1d(kw["axis"]) % len(shape)
        for a in sorted(axes):
            gx = np.expand_dims(gx, int(a) + lead)
    np.testing.assert_array_equal(fast[0], np.broadcast_to(gx, gx.shape[:lead] + shape))


@pytest.mark.parametrize("part", ["real", "imag"])
def test_real_and_imag_vjps_on_plain_real_cotangents_match_the_general_path(part):
    prim = getattr(R_complex, part)
    z = RNG.normal(size=6) + 1j * RNG.normal(size=6)
    g = RNG.normal(size=6)
    fast, general = _both(prim.vjp, (True,), g, prim(z), (z,), {})
    _agree(fast, general, part)
    np.testing.assert_array_equal(fast[0], g if part == "real" else -1j * g)


RFFT = [        # (label, signal shape, n, axis, norm, lead)
    ("even", (16,), 16, -1, "backward", 0),
    ("odd", (15,), 15, -1, "backward", 0),
    ("ortho", (16,), 16, -1, "ortho", 0),
    ("forward norm", (9,), 9, -1, "forward", 0),
    ("cut to n", (20,), 12, -1, "backward", 0),
    ("padded to n", (10,), 17, -1, "backward", 0),
    ("axis 0 of a matrix", (8, 3), 8, -2, "backward", 0),
    ("a batch of signals", (4, 8), 8, -1, "ortho", 0),
    ("lead axis", (8,), 8, -1, "backward", 1),
]


@pytest.mark.parametrize("label, shape, n, axis, norm, lead", RFFT, ids=[c[0] for c in RFFT])
@pytest.mark.parametrize("kind", ["complex", "real"])
def test_rfft_vjp_on_plain_cotangents_matches_the_general_path_and_the_transpose(
        label, shape, n, axis, norm, lead, kind):
    x = RNG.normal(size=shape)
    kw = {"n": n, "axis": axis, "norm": norm}
    ans = np.fft.rfft(x, **kw)
    gshape = ((3,) if lead else ()) + ans.shape
    g = RNG.normal(size=gshape) + (1j * RNG.normal(size=gshape) if kind == "complex" else 0)
    fast, general = _both(R_fft.rfft.vjp, (True,), g, ans, (x,), kw, lead)
    _agree(fast, general, f"rfft {label} ({kind} cotangent)")
    # the transpose under Re(u·v): <ḡ, rfft(e_j)> for every basis signal e_j
    basis = np.eye(x.size).reshape((x.size,) + shape)
    cols = np.fft.rfft(basis, n=n, axis=axis, norm=norm)      # axis counted from the end
    gl = g if lead else g[None]
    rest = tuple(range(1, gl.ndim))
    want = np.tensordot(gl, cols, axes=(rest, rest)).real.reshape((gl.shape[0],) + shape)
    np.testing.assert_allclose(fast[0], want if lead else want[0], rtol=1e-11, atol=1e-12)


@pytest.mark.parametrize("name", ["fft", "ifft", "rfft", "irfft"])
def test_fft_implementations_give_numpys_values_on_checked_and_unchecked_arguments(name):
    impl = getattr(R_fft, name).impl
    np_fn = getattr(np.fft, name)
    x = RNG.normal(size=(3, 10))
    if name in ("fft", "ifft", "irfft"):
        x = x + 1j * RNG.normal(size=x.shape)
    # as dnp.fft passes them (the fast path), and as a user might (numpy's defaults)
    np.testing.assert_array_equal(impl(x, n=8, axis=-1, norm="ortho"),
                                  np_fn(x, n=8, axis=-1, norm="ortho"))
    np.testing.assert_array_equal(impl(x, n=4, axis=-2, norm="forward"),
                                  np_fn(x, n=4, axis=-2, norm="forward"))
    np.testing.assert_array_equal(impl(x, axis=0), np_fn(x, axis=0))
    np.testing.assert_array_equal(impl(x), np_fn(x))
    with pytest.raises(ValueError, match="invalid norm"):
        impl(x, n=8, axis=-1, norm="unitary")
    with pytest.raises(np.exceptions.AxisError, match=name):
        impl(x, n=8, axis=-3, norm="backward")
    with pytest.raises(ValueError, match="n=0"):
        impl(x, n=0, axis=-1, norm="backward")
    with pytest.raises(TypeError, match="n must be an integer"):
        impl(x, n=8.0, axis=-1, norm="backward")
    if name == "rfft":
        with pytest.raises(TypeError, match="complex"):
            impl(x + 1j, n=8, axis=-1, norm="backward")


def test_solve_plain_value_path_matches_numpy_and_names_a_singular_matrix():
    A, b = good(5, 5), RNG.normal(size=5)
    np.testing.assert_array_equal(R_solves.solve(A, b), np.linalg.solve(A, b))
    with pytest.raises(np.linalg.LinAlgError, match=r"solve: Singular matrix \(shape"):
        R_solves.solve(np.ones((3, 3)), np.ones(3))
    with pytest.raises(np.linalg.LinAlgError, match="slogdet: the derivative needs A⁻¹"):
        dn.grad(lambda a: dnp.linalg.slogdet(a)[1])(np.ones((3, 3)))


# ------------------------------------------------------------------ the benchmark workloads

def _spectral(v, S, xp=dnp):
    Y = xp.fft.rfft(v)
    return xp.sum((xp.real(Y) ** 2 + xp.imag(Y) ** 2 - S) ** 2)


def _spectral_gradient(x, S):
    """4N·irfft(w ⊙ (|Y|² − S) ⊙ Y), w = ½ inside, 1 at DC and Nyquist (models/spectral.py)."""
    n = x.shape[-1]
    Y = np.fft.rfft(x)
    w = np.full(n // 2 + 1, 0.5)
    w[0] = 1.0
    if n % 2 == 0:
        w[-1] = 1.0
    return 4 * n * np.fft.irfft(w * (np.abs(Y) ** 2 - S) * Y, n=n)


A5, B5, C5 = good(5, 5), RNG.normal(size=5), RNG.normal(size=5)

# (label, f of a flat vector, the point, the closed-form gradient of the flat vector)
WORKLOADS = [
    ("log|det A|", lambda v: dnp.linalg.slogdet(dnp.reshape(v, (5, 5)))[1], A5.ravel(),
     lambda v: np.linalg.inv(v.reshape(5, 5)).T.ravel()),
    ("3 log|det A| of a negative determinant",
     lambda v: 3.0 * dnp.linalg.slogdet(dnp.reshape(v, (5, 5))).logabsdet,
     (A5 * np.array([-1.0, 1, 1, 1, 1])[:, None]).ravel(),
     lambda v: 3.0 * np.linalg.inv(v.reshape(5, 5)).T.ravel()),
    ("c·solve(A, b) wrt A and b",
     lambda v: dnp.sum(C5 * dnp.linalg.solve(dnp.reshape(v[:25], (5, 5)), v[25:])),
     np.concatenate([A5.ravel(), B5]),
     lambda v: (lambda A, b: (lambda u, x: np.concatenate([-np.outer(u, x).ravel(), u]))(
         np.linalg.solve(A.T, C5), np.linalg.solve(A, b)))(v[:25].reshape(5, 5), v[25:])),
]
for _n in (16, 15):
    _S = RNG.uniform(0.5, 1.5, size=_n // 2 + 1) * _n
    WORKLOADS.append((f"spectral loss n{_n}", (lambda S: lambda v: _spectral(v, S))(_S),
                      RNG.normal(size=_n), (lambda S: lambda v: _spectral_gradient(v, S))(_S)))


@pytest.mark.parametrize("label, f, x, grad_ref", WORKLOADS, ids=[w[0] for w in WORKLOADS])
def test_workloads_first_order_against_closed_forms_and_central_differences(label, f, x,
                                                                           grad_ref):
    g = dn.grad(f)(x)
    assert type(g) is np.ndarray and g.shape == x.shape
    assert_close(g, grad_ref(x), 1e-10, 1e-10 * max(1.0, np.abs(grad_ref(x)).max()),
                 f"{label}: grad vs closed form")
    value = lambda v: np.atleast_1d(float(unbox_all(f(v))))
    fd = central_gradient(value, x)[0]
    assert_close(g, fd, 1e-6, 1e-6 * max(1.0, np.abs(fd).max()), f"{label}: grad vs differences")


@pytest.mark.parametrize("label, f, x, grad_ref", WORKLOADS, ids=[w[0] for w in WORKLOADS])
def test_workloads_second_order_in_the_three_modes_against_differences(label, f, x, grad_ref):
    ref = central_gradient(grad_ref, x)          # differences of the closed-form gradient
    scale = max(1.0, np.abs(ref).max())
    for mode in ("forward-over-reverse", "forward", "reverse"):
        H = dn.hessian(f, mode=mode)(x)
        assert_close(H, ref, 1e-5, 1e-6 * scale, f"{label}: Hessian ({mode}) vs differences")
