"""Where a disagreement of ``check_grads`` is a kink: the one-sided derivatives of the
function under test, and the test that the mode's value is one a convention can give there."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from . import references as refs

__all__: list[str] = []


def _one_sided(g: Callable, x: np.ndarray, direction: np.ndarray | None = None):
    """One-sided derivatives of ``g`` at ``x``, along each coordinate (``direction=None``:
    Jacobian-shaped) or along ``direction`` (shaped like ``g``'s output).

    Returns ``(left, right, error, jump)``: the backward and forward difference quotients at
    step ``h ≈ √eps·max(1, |x|)``, their summed error estimates (truncation from the same
    quotient at ``2h``, plus round-off), and where either side grows like ``1/h`` — ``g``
    jumps there (a step, or the gradient of a kink at order 2) and has no derivative at all.
    """
    eps = refs.EPS
    g0 = np.asarray(g(x), dtype=np.float64)
    if direction is None:
        hs = np.sqrt(eps) * np.maximum(1.0, np.abs(x.reshape(-1)))
        hs = (x.reshape(-1) + hs) - x.reshape(-1)  # exactly representable steps
        dirs = np.eye(x.size)
    else:
        hs = np.array([np.sqrt(eps) * max(1.0, float(np.max(np.abs(x), initial=0.0)))])
        dirs = np.asarray(direction, dtype=np.float64).reshape(1, -1)
    sides = {}
    for sgn in (1.0, -1.0):
        d1, d2 = [], []
        for h, d in zip(hs, dirs, strict=True):
            step = (sgn * h * d).reshape(x.shape)
            d1.append(sgn * (np.asarray(g(x + step), np.float64) - g0) / h)
            d2.append(sgn * (np.asarray(g(x + 2.0 * step), np.float64) - g0) / (2.0 * h))
        # (k,) + out  ->  out + (k,), or out for a single direction
        d1, d2 = (np.moveaxis(np.stack(d), 0, -1) for d in (d1, d2))
        if direction is not None:
            d1, d2 = d1[..., 0], d2[..., 0]
        hb = hs if direction is None else hs[0]
        roundoff = 2.0 * eps * (np.abs(g0)[..., None] if direction is None else np.abs(g0)) / hb
        err = 1.5 * np.abs(d2 - d1) + roundoff
        jump = ((np.abs(d1 - 2.0 * d2) <= 0.25 * np.abs(d1))
                & (np.abs(d1) * hb > 1e3 * eps * max(1.0, float(np.max(np.abs(g0), initial=0)))))
        sides[sgn] = (d1, err, jump)
    (left, el, jl), (right, er, jr) = sides[-1.0], sides[1.0]
    return left, right, el + er, jl | jr


def _on_kink(got, allowed, left, right, err, jump) -> np.ndarray:
    """Entries a kink explains: along their direction the function under test is not
    differentiable, and the mode's value is one a convention can give. Either the one-sided
    derivatives differ (relu, abs at 0) and the value lies between them (relu'(0) = 0 picks a
    side; a max tie's ½ lies between), or the function jumps there (a step; at order 2, the
    gradient of a kink) and has no derivative for the value to miss. Where the one-sided
    derivatives agree the function is differentiable along that direction, whatever the tape
    says, and a value that differs from them is wrong: it still fails."""
    tol = np.asarray(allowed) + err
    lo, hi = np.minimum(left, right), np.maximum(left, right)
    between = (hi - lo > tol) & (got >= lo - tol) & (got <= hi + tol)
    return between | jump
