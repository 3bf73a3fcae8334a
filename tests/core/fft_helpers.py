"""What the fft tests share: the argument combinations, inputs, real-valued losses written
twice (once with ``numpy.fft`` for the references, once with ``dualnum.numpy.fft``) and the
finite differences that judge them. Nothing here reads a derivative rule.
"""
from __future__ import annotations

import itertools
import zlib
from typing import Any, Callable

import numpy as np

import dualnum.numpy as dnp

NORMS = (None, "backward", "ortho", "forward")
ONE_AXIS = ("fft", "ifft", "rfft", "irfft", "hfft", "ihfft")
N_AXES = ("fftn", "ifftn", "rfftn", "irfftn", "fft2", "ifft2", "rfft2", "irfft2")
TRANSFORMS = ONE_AXIS + N_AXES
REAL_INPUT = {"rfft", "ihfft", "rfftn", "rfft2"}         # numpy refuses complex input
REAL_OUTPUT = {"irfft", "hfft", "irfftn", "irfft2"}


def rng_for(*key: Any) -> np.random.Generator:
    """A generator fixed by the case (str hashes are salted per run; crc32 is not)."""
    return np.random.default_rng(zlib.crc32(repr(key).encode()))


def sample(rng: np.random.Generator, shape: tuple, complex_: bool) -> np.ndarray:
    x = rng.uniform(-2.0, 2.0, size=shape)
    if complex_:
        x = x + 1j * rng.uniform(-2.0, 2.0, size=shape)
    return x


def one_axis_kwargs(name: str, m: int) -> list[dict]:
    """``n`` (default; smaller and larger than the input, odd and even; 1 and 2) crossed with
    every ``norm``, for an input of length ``m`` along the axis."""
    ns: list[Any] = [None, 1, 2, max(m - 2, 1), m - 1, m + 3, m + 4]
    if name in ("irfft", "hfft"):
        ns = [None, 1, 2, 2 * m - 5, 2 * m - 4, 2 * m - 2, 2 * m - 1, 2 * m + 3]
    out = []
    for n, norm in itertools.product(dict.fromkeys(ns), NORMS):
        if n is not None and n < 1:
            continue
        out.append({"n": n, "norm": norm})
    return out


def label(kw: dict) -> str:
    return ",".join(f"{k}={v}" for k, v in kw.items() if v is not None) or "default"


def np_call(name: str, x: Any, **kw: Any) -> Any:
    return getattr(np.fft, name)(x, **kw)


def dnp_call(name: str, x: Any, **kw: Any) -> Any:
    return getattr(dnp.fft, name)(x, **kw)


def weights(rng: np.random.Generator, out_shape: tuple) -> tuple[np.ndarray, np.ndarray]:
    """A complex weight for ``Re(A·F)`` and a positive one for ``B·|F|²``."""
    A = rng.normal(size=out_shape) + 1j * rng.normal(size=out_shape)
    B = rng.uniform(0.5, 1.5, size=out_shape)
    return A, B


def np_loss(F: np.ndarray, A: np.ndarray, B: np.ndarray, S: np.ndarray | None = None) -> float:
    """``Σ Re(A·F) + Σ B·|F|²`` (or ``Σ B·(|F|² − S)²`` with a target spectrum ``S``)."""
    P = (F * np.conj(F)).real
    if S is not None:
        return float(np.sum(B * (P - S) ** 2))
    return float(np.sum((A * F).real) + np.sum(B * P))


def dnp_loss(F: Any, A: np.ndarray, B: np.ndarray, S: np.ndarray | None = None) -> Any:
    P = dnp.real(F * dnp.conj(F))
    if S is not None:
        return dnp.sum(B * (P - S) ** 2)
    return dnp.sum(dnp.real(A * F)) + dnp.sum(B * P)


def central_grad(L: Callable[[np.ndarray], float], x: np.ndarray, h: float = 1e-6
                 ) -> np.ndarray:
    """The gradient of a real ``L`` by central differences, in dualnum's convention:
    ``∂L/∂x`` for real ``x``, ``∂L/∂Re − i·∂L/∂Im`` for complex ``x``."""
    x = np.asarray(x)
    g = np.zeros(x.shape, dtype=x.dtype)
    dirs = (1.0, 1j) if np.iscomplexobj(x) else (1.0,)
    for k in np.ndindex(*x.shape):
        for d in dirs:
            step = h * max(1.0, abs(x[k]))
            xp, xm = x.copy(), x.copy()
            xp[k] += d * step
            xm[k] -= d * step
            deriv = (L(xp) - L(xm)) / (2 * step)
            g[k] += deriv if d == 1.0 else -1j * deriv
    return g


def central_directional(L: Callable[[np.ndarray], float], x: np.ndarray, t: np.ndarray,
                        h: float = 1e-6) -> float:
    """``d/ds L(x + s·t)`` at 0 by central differences."""
    step = h * max(1.0, float(np.max(np.abs(x))))
    return (L(x + step * t) - L(x - step * t)) / (2 * step)


def second_differences(L: Callable[[np.ndarray], float], x: np.ndarray, h: float = 1e-4
                       ) -> np.ndarray:
    """The Hessian of a real ``L`` of a real vector by the four-point second difference."""
    n = x.size
    H = np.zeros((n, n))
    E = np.eye(n) * h
    for i in range(n):
        for j in range(i, n):
            v = (L(x + E[i] + E[j]) - L(x + E[i] - E[j]) - L(x - E[i] + E[j])
                 + L(x - E[i] - E[j])) / (4 * h * h)
            H[i, j] = H[j, i] = v
    return H


def close(got: Any, want: Any, what: str, rtol: float = 1e-7, atol: float = 1e-8) -> None:
    got, want = np.asarray(got), np.asarray(want)
    assert got.shape == want.shape, f"{what}: shape {got.shape} vs reference {want.shape}"
    err = np.abs(got - want)
    scale = max(1.0, float(np.max(np.abs(want), initial=0.0)))
    bad = err > atol + rtol * scale
    if np.any(bad):
        k = tuple(int(i) for i in np.argwhere(bad)[0])
        raise AssertionError(f"{what}: at {k} got {got[k]!r}, reference {want[k]!r} "
                             f"(max abs err {err.max():.3g})")
