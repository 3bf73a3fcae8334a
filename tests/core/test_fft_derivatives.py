"""Derivatives through dualnum.numpy.fft against central differences of the same losses
computed with numpy.fft: every transform, every norm, ``n``/``s`` smaller and larger than the
axis, odd and even lengths, complex inputs where numpy takes them (the gradient
``∂L/∂Re − i·∂L/∂Im`` of dualnum's convention), batched shapes through the vectorized
``jacfwd``/``jacrev``, and second order (Hessians, Hessian-vector products, forward over
forward). The losses are real: ``Σ Re(A·F) + Σ B·|F|²`` and the spectral ``Σ B·(|F|² − S)²``.
"""
from __future__ import annotations

import numpy as np
import pytest

import dualnum as dn
import dualnum.numpy as dnp

from .fft_helpers import (
    N_AXES, NORMS, ONE_AXIS, REAL_INPUT, central_directional, central_grad, close, dnp_call,
    dnp_loss, label, np_call, np_loss, one_axis_kwargs, rng_for, sample, second_differences,
    weights,
)
from .specs import quick_first


def _problem(name, shape, kw, cplx, key=()):
    """(x, the numpy loss, the dnp loss) of ``Σ Re(A·F) + Σ B·|F|²`` with ``F = name(x)``."""
    rng = rng_for(name, shape, kw, cplx, *key)
    x = sample(rng, shape, cplx)
    A, B = weights(rng, np.shape(np_call(name, x, **kw)))
    L_np = lambda v: np_loss(np_call(name, v, **kw), A, B)
    L = lambda v: dnp_loss(dnp_call(name, v, **kw), A, B)
    return x, L_np, L, rng


def _check_first_order(name, shape, kw, cplx, what):
    x, L_np, L, rng = _problem(name, shape, kw, cplx)
    want = central_grad(L_np, x)
    g = dn.grad(L)(x)
    assert np.iscomplexobj(g) == cplx, f"{what}: gradient dtype {np.asarray(g).dtype}"
    close(g, want, f"{what} reverse", 1e-6, 1e-7)
    t = sample(rng, shape, cplx)
    val, jv = dn.jvp(L, (x,), (t,))
    close(val, L_np(x), f"{what} value", 1e-12, 1e-12)
    close(jv, central_directional(L_np, x, t), f"{what} forward", 1e-6, 1e-7)
    # the two modes agree with each other to rounding: <grad, t> under Re(u·v)
    close(jv, np.sum(np.real(g * t)), f"{what} forward vs reverse", 1e-11, 1e-11)


# ------------------------------------------------------------------ one axis

ONE = []
for _name in ONE_AXIS:
    for _shape, _axis in [((5,), -1), ((6,), 0), ((3, 4), 0)]:
        for _kw in one_axis_kwargs(_name, _shape[_axis]):
            for _cplx in ((False,) if _name in REAL_INPUT else (False, True)):
                ONE.append((_name, _shape, {**_kw, "axis": _axis}, _cplx))
ONE_IDS = [f"{n}[{s},{label(k)}{',complex' if c else ''}]" for n, s, k, c in ONE]


@pytest.mark.parametrize("name,shape,kw,cplx", quick_first(ONE, lambda c: c[0], ONE_IDS,
                                                           unpack=True))
def test_one_axis_first_order_against_central_differences(name, shape, kw, cplx):
    _check_first_order(name, shape, kw, cplx, f"{name}{shape} {label(kw)}")


# ------------------------------------------------------------------ several axes

ND = []
for _name in N_AXES:
    for _shape, _kws in [((3, 4), [{}, {"s": (5, 3), "axes": (0, 1)}, {"axes": (1, 0)}]),
                         ((2, 3, 5), [{}, {"axes": (0, 2)}, {"s": (4, 2), "axes": (-1, 1)}])]:
        if _name.endswith("2"):
            _kws = [k for k in _kws if len(k.get("axes", (0, 1))) == 2]
        for _kw in _kws:
            for _norm in NORMS[1:]:
                for _cplx in ((False,) if _name in REAL_INPUT else (False, True)):
                    ND.append((_name, _shape, {**_kw, "norm": _norm}, _cplx))
ND_IDS = [f"{n}[{s},{label(k)}{',complex' if c else ''}]" for n, s, k, c in ND]


@pytest.mark.parametrize("name,shape,kw,cplx", quick_first(ND, lambda c: c[0], ND_IDS,
                                                           unpack=True))
def test_n_axes_first_order_against_central_differences(name, shape, kw, cplx):
    _check_first_order(name, shape, kw, cplx, f"{name}{shape} {label(kw)}")


SHIFTS = [("fftshift", (5,), None), ("fftshift", (3, 4), (0, 1)), ("ifftshift", (5,), None),
          ("ifftshift", (2, 3, 4), 1)]


@pytest.mark.parametrize("name,shape,axes", SHIFTS, ids=[f"{n}{s}{a}" for n, s, a in SHIFTS])
def test_shifts_first_order(name, shape, axes):
    rng = rng_for(name, shape, axes)
    x = sample(rng, shape, True)
    A = rng.normal(size=shape) + 1j * rng.normal(size=shape)
    L_np = lambda v: float(np.sum(np.real(A * getattr(np.fft, name)(v, axes=axes)) ** 2))
    L = lambda v: dnp.sum(dnp.real(A * getattr(dnp.fft, name)(v, axes=axes)) ** 2)
    close(dn.grad(L)(x), central_grad(L_np, x), f"{name} reverse", 1e-6, 1e-7)
    t = sample(rng, shape, True)
    close(dn.jvp(L, (x,), (t,))[1], central_directional(L_np, x, t), f"{name} forward",
          1e-6, 1e-7)


# ------------------------------------------------------------------ batches: vectorized modes

BATCHED = [("fft", (2, 3, 4), {"axis": 1, "n": 5}), ("ifft", (3, 4), {"axis": 0}),
           ("rfft", (2, 3, 6), {"axis": -1, "norm": "ortho"}), ("rfft", (4, 5), {"axis": 0}),
           ("irfft", (2, 4), {"n": 7}), ("irfft", (3, 2, 3), {"axis": 0, "n": 4}),
           ("rfftn", (2, 3, 4), {"axes": (0, 2)}), ("irfft2", (2, 3, 3), {"norm": "forward"}),
           ("fft2", (2, 2, 3), {"s": (3, 2)}), ("hfft", (2, 4), {"n": 5}),
           ("ihfft", (3, 5), {"norm": "ortho"})]


def _as_real(y):
    y = np.asarray(y)
    return np.stack([y.real, y.imag]) if np.iscomplexobj(y) else y


def _central_jacobian(f, x, h=1e-6):
    """d f / d x, f real-valued (any shape) of a real x: shape out + in."""
    cols = np.zeros(np.shape(f(x)) + x.shape)
    for k in np.ndindex(*x.shape):
        xp, xm = x.copy(), x.copy()
        xp[k] += h
        xm[k] -= h
        cols[(Ellipsis,) + k] = (f(xp) - f(xm)) / (2 * h)
    return cols


@pytest.mark.parametrize("name,shape,kw", BATCHED, ids=[f"{n}{s}{label(k)}" for n, s, k in BATCHED])
def test_batched_jacobians_in_one_vectorized_pass(name, shape, kw):
    # jacfwd pushes every direction at once (a leading batch axis on the tangents), jacrev
    # pulls every output back at once: the rules' `lead` axes
    x = sample(rng_for("batched", name, shape), shape, False)
    f_np = lambda v: _as_real(np_call(name, v, **kw))

    def f(v):
        y = dnp_call(name, v, **kw)
        return dnp.stack([dnp.real(y), dnp.imag(y)]) if np.iscomplexobj(
            np_call(name, x, **kw)) else y

    want = _central_jacobian(f_np, x)
    close(dn.jacfwd(f)(x), want, f"{name} jacfwd", 1e-7, 1e-8)
    close(dn.jacrev(f)(x), want, f"{name} jacrev", 1e-7, 1e-8)


def test_complex_jacobians_of_the_complex_linear_transforms():
    # fft and ifft are complex-linear: the complex Jacobian is the (scaled, cut/padded) DFT
    # matrix itself, in both modes (holomorphic functions: jacrev gives f'(z) too)
    z = sample(rng_for("cjac"), (5,), True)
    j, k = np.arange(7)[:, None], np.arange(5)[None, :]
    F = np.exp(-2j * np.pi * j * k / 7) / np.sqrt(7)      # n=7 pads the 5 inputs
    for name, M in (("fft", F), ("ifft", np.conj(F))):
        f = lambda v: dnp_call(name, v, n=7, norm="ortho")
        close(dn.jacfwd(f)(z), M, f"{name} jacfwd", 1e-13, 1e-14)
        close(dn.jacrev(f)(z), M, f"{name} jacrev", 1e-13, 1e-14)


# ------------------------------------------------------------------ second order

SECOND = [("rfft", 6, {}), ("rfft", 7, {"norm": "ortho"}), ("rfft", 5, {"n": 8}),
          ("rfft", 8, {"n": 5, "norm": "forward"}), ("fft", 5, {"n": 4}),
          ("ifft", 4, {"norm": "ortho"}), ("irfft", 4, {}), ("irfft", 4, {"n": 7}),
          ("irfft", 5, {"n": 4, "norm": "forward"}), ("hfft", 4, {"n": 5}),
          ("ihfft", 6, {}), ("rfftn", (2, 3), {}), ("irfft2", (2, 3), {"s": (3, 3)}),
          ("fftn", (2, 3), {"norm": "forward"})]


@pytest.mark.parametrize("name,m,kw", SECOND, ids=[f"{n}{m}{label(k)}" for n, m, k in SECOND])
def test_second_order_of_a_spectral_loss(name, m, kw):
    # L = Σ B (|F|² − S)², quartic: its Hessian, in three modes, against second differences
    # of the numpy loss (no dualnum derivative involved in the reference)
    shape = m if isinstance(m, tuple) else (m,)
    rng = rng_for("second", name, m, kw)
    x = sample(rng, shape, False)
    F0 = np_call(name, x, **kw)
    _, B = weights(rng, F0.shape)
    S = np.abs(F0) ** 2 * rng.uniform(0.5, 1.5, size=F0.shape)
    flat = lambda v: np_loss(np_call(name, v.reshape(shape), **kw), None, B, S)
    L = lambda v: dnp_loss(dnp_call(name, dnp.reshape(v, shape), **kw), None, B, S)
    x0 = x.ravel()
    want = second_differences(flat, x0, 1e-4)
    H = dn.hessian(L)(x0)
    close(H, want, f"{name} hessian (forward over reverse)", 1e-5, 1e-5)
    close(dn.hessian(L, mode="forward")(x0), H, f"{name} forward over forward", 1e-10, 1e-10)
    close(dn.hessian(L, mode="reverse")(x0), H, f"{name} reverse over reverse", 1e-10, 1e-10)
    v = rng.normal(size=x0.shape)
    close(dn.hvp(L)(x0, v), H @ v, f"{name} hvp", 1e-10, 1e-10)


@pytest.mark.parametrize("name,kw", [("fft", {}), ("ifft", {"n": 6}), ("irfft", {"n": 5}),
                                     ("irfft", {"norm": "ortho"}), ("hfft", {})])
def test_second_order_through_a_complex_input(name, kw):
    # hvp at a complex point: the derivative of the gradient (∂x − i∂y) along t, against
    # central differences of the gradient, which the first-order tests check against numpy
    rng = rng_for("second-c", name, kw)
    z = sample(rng, (4,), True)
    F0 = np_call(name, z, **kw)
    _, B = weights(rng, F0.shape)
    S = np.abs(F0) ** 2 * rng.uniform(0.5, 1.5, size=F0.shape)
    L = lambda v: dnp_loss(dnp_call(name, v, **kw), None, B, S)
    g = dn.grad(L)
    close(g(z), central_grad(lambda v: np_loss(np_call(name, v, **kw), None, B, S), z),
          f"{name} gradient", 1e-6, 1e-6)
    t = sample(rng, (4,), True)
    h = 1e-5
    want = (g(z + h * t) - g(z - h * t)) / (2 * h)
    close(dn.hvp(L)(z, t), want, f"{name} hvp at a complex point", 1e-6, 1e-6)
