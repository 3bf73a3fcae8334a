"""Independent references for the core tests: central differences in plain numpy.

Nothing here reads the rule table's derivative rules.
"""
from __future__ import annotations

from typing import Any, Callable

import numpy as np


def central_jacobian(f: Callable[..., Any], args: list, wrt: list[int], h: float = 1e-6
                     ) -> list[np.ndarray]:
    """d f / d args[i] for each i in ``wrt`` by central differences; shape out + in."""
    out = np.asarray(f(*args), dtype=float)
    jacs = []
    for i in wrt:
        x = np.asarray(args[i], dtype=float)
        J = np.zeros(out.shape + x.shape)
        for k in np.ndindex(*x.shape):
            step = h * max(1.0, abs(float(x[k])))
            xp, xm = x.copy(), x.copy()
            xp[k] += step
            xm[k] -= step
            ap, am = list(args), list(args)
            ap[i], am[i] = xp, xm
            J[(Ellipsis,) + k] = (np.asarray(f(*ap), float) - np.asarray(f(*am), float)) / (
                2 * step)
        jacs.append(J)
    return jacs


def central_gradient(g: Callable[[np.ndarray], Any], x: np.ndarray, h: float = 1e-5
                     ) -> np.ndarray:
    """Jacobian of a vector-valued ``g`` of a flat vector ``x``, shape (len(g), len(x))."""
    cols = []
    for k in range(x.size):
        step = h * max(1.0, abs(float(x[k])))
        xp, xm = x.copy(), x.copy()
        xp[k] += step
        xm[k] -= step
        cols.append((np.asarray(g(xp), float) - np.asarray(g(xm), float)) / (2 * step))
    return np.stack(cols, axis=-1)


def assert_close(a: Any, b: Any, rtol: float, atol: float, what: str) -> None:
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    assert a.shape == b.shape, f"{what}: shape {a.shape} vs reference {b.shape}"
    err = np.abs(a - b)
    bad = err > atol + rtol * np.abs(b)
    if np.any(bad):
        k = tuple(int(i) for i in np.argwhere(bad)[0])
        raise AssertionError(f"{what}: at {k} got {a[k]!r}, reference {b[k]!r} "
                             f"(max abs err {err.max():.3g})")
