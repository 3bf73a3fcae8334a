"""Finite-difference references: forward, central, Richardson (Ridders) and complex step.

None of these reads the rule table: they only *evaluate* ``f``. Each returns an
:class:`Estimate` holding the derivative (the Jacobian, shape ``out_shape + in_shape``) and an
estimate of its absolute error, so a comparison can tell "the reference is not precise enough
here" from "the derivative is wrong".

Step sizes follow the usual balance of truncation against round-off (``eps`` = 2.2e-16):

==============  ==========================  ===================  ========================
method          step ``h``                  truncation           best attainable error
==============  ==========================  ===================  ========================
forward         ``sqrt(eps)·max(1,|x|)``     O(h)                 ~ eps^(1/2) ≈ 1e-8
central         ``eps^(1/3)·max(1,|x|)``     O(h²)                ~ eps^(2/3) ≈ 4e-11
richardson      tableau from ``0.1·max(1,|x|)`` O(h^2k)           ~ 1e-13 on smooth cases
complex step    ``1e-20·max(1,|x|)``         O(h²), no round-off  ~ eps ≈ 1e-16
==============  ==========================  ===================  ========================

>>> import numpy as np
>>> est = central_difference(lambda x: np.sin(x).sum(), np.array([0.0, 1.0]))
>>> np.allclose(est.value, np.cos([0.0, 1.0]), atol=1e-9)
True
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

__all__ = [
    "Estimate",
    "Refused",
    "forward_difference",
    "central_difference",
    "richardson",
    "complex_step",
    "central_hessian",
    "step_sweep",
]

EPS = float(np.finfo(np.float64).eps)


@dataclass
class Estimate:
    """One reference's answer: the Jacobian and an estimate of its absolute error.

    ``value`` has shape ``out_shape + in_shape`` (for a scalar ``f``: the gradient, shape
    ``in_shape``); ``error`` has the same shape; ``method`` names the reference; ``step`` is the
    finite-difference step used (``None`` for symbolic).

    >>> e = forward_difference(lambda x: x ** 2, np.array(3.0))
    >>> round(float(e.value), 5), e.method
    (6.0, 'forward')
    """

    value: np.ndarray
    error: np.ndarray
    method: str
    step: float | np.ndarray | None = None


class Refused(Exception):
    """A reference declined to answer; ``.reason`` says why (shown as-is in reports).

    >>> str(Refused("complex step: passes through non-analytic op 'abs'"))
    "complex step: passes through non-analytic op 'abs'"
    """

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def _point(x) -> np.ndarray:
    try:
        arr = np.array(x, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"reference: the point must be real numbers, got {x!r}") from exc
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"reference: the point has non-finite entries: {arr!r}")
    return arr


def _call(f: Callable, x: np.ndarray, dtype=np.float64) -> np.ndarray:
    out = np.asarray(f(x))
    if dtype is np.float64:
        if np.iscomplexobj(out):
            raise TypeError("reference: f returned complex values on a real input")
        try:
            out = out.astype(np.float64)
        except (TypeError, ValueError) as exc:
            raise TypeError(
                f"reference: f must return numbers, got {type(out).__name__} of dtype {out.dtype}"
            ) from exc
    return out


def _perturbed(f: Callable, x: np.ndarray, h: np.ndarray, dtype=np.float64) -> np.ndarray:
    """Evaluate ``f(x + h_j e_j)`` for every coordinate ``j``; result shape (n,) + out_shape."""
    flat = x.reshape(-1).astype(dtype)
    hs = np.asarray(h).reshape(-1)
    outs = []
    for j in range(flat.size):
        xj = flat.copy()
        xj[j] = xj[j] + hs[j]
        outs.append(_call(f, xj.reshape(x.shape), dtype))
    return np.stack(outs) if outs else np.zeros((0,))


def _to_jacobian(columns: np.ndarray, out_shape: tuple, in_shape: tuple) -> np.ndarray:
    """(n,) + out_shape  ->  out_shape + in_shape."""
    n = int(np.prod(in_shape, dtype=int))
    cols = columns.reshape((n,) + out_shape)
    return np.moveaxis(cols, 0, -1).reshape(out_shape + in_shape)


def _steps(x: np.ndarray, base: float, step) -> np.ndarray:
    if step is None:
        return base * np.maximum(1.0, np.abs(x))
    h = np.broadcast_to(np.asarray(step, dtype=np.float64), x.shape).copy()
    if np.any(h <= 0):
        raise ValueError(f"reference: steps must be positive, got {step!r}")
    # make the step exactly representable so (x + h) - x == h
    return (x + h) - x


def _in_domain(f: Callable, x: np.ndarray, h: np.ndarray) -> np.ndarray:
    """Shrink the coordinates of ``h`` whose probes ``x ± h`` leave f's domain (non-finite)."""
    h = h.copy()
    for _ in range(40):
        with np.errstate(all="ignore"):
            plus, minus = _perturbed(f, x, h), _perturbed(f, x, -h)
        bad = ~(np.isfinite(plus) & np.isfinite(minus))
        bad = bad.reshape(x.size, -1).any(axis=1).reshape(x.shape)
        if not bad.any():
            return h
        h = np.where(bad, h / 4.0, h)
        h = (x + h) - x
    raise ValueError("reference: f is not finite near the point (no step keeps it in its domain)")


def forward_difference(f: Callable, x, step=None) -> Estimate:
    """One-sided difference ``(f(x + h e_j) − f(x)) / h`` with ``h ≈ √eps·max(1, |x_j|)``.

    The error estimate adds the truncation term (from the same difference at ``2h``) and
    the round-off term ``eps·|f| / h``.

    >>> e = forward_difference(lambda x: x[0] * x[1], np.array([2.0, 5.0]))
    >>> np.allclose(e.value, [5.0, 2.0], atol=1e-6)
    True
    """
    x = _point(x)
    f0 = _call(f, x)
    h = _steps(x, np.sqrt(EPS), step)
    h = (x + h) - x
    d1 = (_perturbed(f, x, h) - f0) / h.reshape((-1,) + (1,) * f0.ndim)
    d2 = (_perturbed(f, x, 2 * h) - f0) / (2 * h.reshape((-1,) + (1,) * f0.ndim))
    value = _to_jacobian(d1, f0.shape, x.shape)
    trunc = np.abs(_to_jacobian(d2 - d1, f0.shape, x.shape))
    hb = np.broadcast_to(h, f0.shape + x.shape)
    roundoff = 2 * EPS * (np.abs(f0).reshape(f0.shape + (1,) * x.ndim) + 1e-300) / hb
    return Estimate(value, 1.5 * trunc + roundoff, "forward", h)  # 1.5: the h² term


def central_difference(f: Callable, x, step=None, truncation: bool = True) -> Estimate:
    """Central difference ``(f(x + h e_j) − f(x − h e_j)) / 2h``, ``h ≈ eps^(1/3)·max(1,|x_j|)``.

    Error estimate: truncation from the difference with step ``2h`` (``|D(2h) − D(h)| / 3``,
    since the error is ``c h²``) plus round-off ``eps·|f| / h``. ``truncation=False`` leaves
    out the step-``2h`` differences (half the evaluations: ``2n + 1`` instead of ``4n + 1``):
    the same value, and the round-off alone as its error, a lower bound of the full estimate —
    what passes a tolerance with it passes with the full one (``check_grads`` asks for the
    full estimate only when something does not pass).

    >>> e = central_difference(lambda x: np.exp(x), np.array(1.0))
    >>> bool(abs(float(e.value) - np.e) < 1e-9)
    True
    >>> quick = central_difference(lambda x: np.exp(x), np.array(1.0), truncation=False)
    >>> bool(quick.value == e.value and quick.error < e.error)
    True
    """
    x = _point(x)
    f0 = _call(f, x)
    h = _steps(x, EPS ** (1 / 3), step)
    h = (x + h) - x
    shape = (-1,) + (1,) * f0.ndim
    d1 = (_perturbed(f, x, h) - _perturbed(f, x, -h)) / (2 * h.reshape(shape))
    value = _to_jacobian(d1, f0.shape, x.shape)
    hb = np.broadcast_to(h, f0.shape + x.shape)
    roundoff = EPS * (np.abs(f0).reshape(f0.shape + (1,) * x.ndim) + 1e-300) / hb
    if not truncation:
        return Estimate(value, roundoff, "central", h)
    d2 = (_perturbed(f, x, 2 * h) - _perturbed(f, x, -2 * h)) / (4 * h.reshape(shape))
    trunc = np.abs(_to_jacobian(d2 - d1, f0.shape, x.shape)) / 2.0  # c·h² is 1/3, plus slack
    return Estimate(value, trunc + roundoff, "central", h)


def richardson(f: Callable, x, step=None, ratio: float = 1.4, levels: int = 10) -> Estimate:
    """Ridders' extrapolation of central differences, with its own error estimate.

    Central differences at steps ``h, h/ratio, h/ratio², …`` are combined in a Neville
    tableau that cancels the ``h², h⁴, …`` terms; each entry's error is estimated from its
    distance to its two parents, and the entry with the smallest estimate wins (per element).
    Reaches ~1e-12 relative on smooth functions.

    >>> e = richardson(lambda x: np.exp(x) * np.sin(x), np.array(0.7))
    >>> d = np.exp(0.7) * (np.sin(0.7) + np.cos(0.7))
    >>> bool(abs(float(e.value) - d) < 1e-11)
    True
    """
    x = _point(x)
    f0 = _call(f, x)
    h0 = _in_domain(f, x, _steps(x, 0.1, step))
    shape = (-1,) + (1,) * f0.ndim
    out_shape = f0.shape
    n = x.size
    best = np.zeros((n,) + out_shape)
    best_err = np.full((n,) + out_shape, np.inf)
    growing = np.zeros((n,) + out_shape, dtype=bool)
    prev_row: list[np.ndarray] = []
    h = h0.copy()
    for i in range(levels):
        hi = (x + h) - x
        col = (_perturbed(f, x, hi) - _perturbed(f, x, -hi)) / (2 * hi.reshape(shape))
        row = [col]
        fac = ratio * ratio
        for j in range(1, i + 1):
            row.append((row[j - 1] * fac - prev_row[j - 1]) / (fac - 1.0))
            fac *= ratio * ratio
            err = np.maximum(np.abs(row[j] - row[j - 1]), np.abs(row[j] - prev_row[j - 1]))
            take = (err <= best_err) & ~growing
            best = np.where(take, row[j], best)
            best_err = np.where(take, err, best_err)
        if i > 0:
            # Ridders: once the diagonal gets worse than twice the best error, higher order only
            # amplifies round-off; freeze that element.
            worse = np.abs(row[i] - prev_row[i - 1]) >= 2.0 * best_err
            growing = growing | worse
            if np.all(growing):
                break
        prev_row = row
        h = h / ratio
    value = _to_jacobian(best, out_shape, x.shape)
    # the tableau's own estimate is a little optimistic near machine precision: widen it and
    # add the round-off of the central differences it combines (eps·|f|/h).
    hb = np.broadcast_to(h0, out_shape + x.shape)
    fscale = np.abs(f0).reshape(out_shape + (1,) * x.ndim) / hb
    error = 4 * _to_jacobian(best_err, out_shape, x.shape) + 16 * EPS * (np.abs(value) + fscale)
    return Estimate(value, error, "richardson", h0)


def complex_step(f: Callable, x, step: float = 1e-20) -> Estimate:
    """Complex-step derivative ``Im f(x + i h e_j) / h``: no subtraction, so no round-off.

    Exact to machine precision for real-analytic ``f`` whose code keeps the imaginary part
    (``h = 1e-20`` makes the ``h²`` truncation vanish). Use :func:`dualnum.comparisons.
    references.complex_step` to first check analyticity on a tape; this function only checks
    that ``f`` returned complex values.

    >>> e = complex_step(lambda x: np.exp(x) / np.sqrt(x), np.array(1.5))
    >>> d = np.exp(1.5) / np.sqrt(1.5) - 0.5 * np.exp(1.5) * 1.5 ** -1.5
    >>> bool(abs(float(e.value) - d) < 1e-14)
    True
    """
    x = _point(x)
    f0 = _call(f, x)
    h = np.asarray(step * np.maximum(1.0, np.abs(x)))
    cols = _perturbed(f, x, 1j * h, dtype=np.complex128)
    if not np.iscomplexobj(cols):
        raise Refused("complex step: f dropped the imaginary part (returned real values)")
    d = cols.imag / h.reshape((-1,) + (1,) * f0.ndim)
    value = _to_jacobian(d, f0.shape, x.shape)
    # truncation is O(h²·f''') — nil for h = 1e-20 — so only evaluation round-off remains
    error = 4 * EPS * (np.abs(value) + EPS * np.max(np.abs(value), initial=0.0))
    return Estimate(value, error, "complex-step", h)


def central_hessian(f: Callable, x, step=None) -> Estimate:
    """Hessian of a scalar ``f`` by the four-point second difference, ``h ≈ eps^(1/4)·max(1,|x|)``

    ``H_jk ≈ (f(x+h_j e_j+h_k e_k) − f(x+h_j e_j−h_k e_k) − f(x−h_j e_j+h_k e_k)
    + f(x−h_j e_j−h_k e_k)) / (4 h_j h_k)``: truncation O(h²) against round-off
    ``eps·|f|/h²``, balanced near ``eps^(1/2)`` ≈ 1e-8 relative (differencing a central
    gradient again, with its own round-off divided by ``h``, does about 100 times worse).

    >>> e = central_hessian(lambda x: x[0] ** 3 * x[1], np.array([2.0, 5.0]))
    >>> np.allclose(e.value, [[60.0, 12.0], [12.0, 0.0]], rtol=1e-7, atol=1e-7)
    True
    """
    x = _point(x)
    f0 = _call(f, x)
    if f0.size != 1:
        raise ValueError(f"central_hessian: f must be scalar, it returned shape {f0.shape}")
    h = _steps(x, EPS ** 0.25, step).reshape(-1)
    flat = x.reshape(-1)
    n = flat.size

    def at(j: int, sj: float, k: int, sk: float) -> float:
        y = flat.copy()
        y[j] += sj * h[j]
        y[k] += sk * h[k]
        return float(_call(f, y.reshape(x.shape)).reshape(-1)[0])

    H = np.zeros((n, n))
    for j in range(n):
        for k in range(j, n):
            H[j, k] = H[k, j] = (at(j, 1, k, 1) - at(j, 1, k, -1) - at(j, -1, k, 1)
                                 + at(j, -1, k, -1)) / (4 * h[j] * h[k])
    error = np.full((n, n), 8 * EPS * (abs(float(f0.reshape(-1)[0])) + 1e-300)) / np.outer(h, h)
    error = error + np.sqrt(EPS) * np.abs(H)
    return Estimate(H.reshape(x.shape + x.shape), error.reshape(x.shape + x.shape),
                    "central-hessian", h.reshape(x.shape))


def step_sweep(f: Callable, x, j: int = 0, steps=None) -> dict:
    """Error-vs-step data for the forward and central differences along coordinate ``j``.

    Returns ``{"steps": [...], "forward": [...], "central": [...]}`` with the raw difference
    quotients (scalar ``f``: the j-th partial; vector ``f``: its first output). Subtract an
    accurate reference to plot truncation (large h) against round-off (small h).

    >>> d = step_sweep(lambda x: np.sin(x).sum(), np.array([1.0]), steps=[1e-3, 1e-6])
    >>> bool(abs(d["central"][0] - np.cos(1.0)) < 1e-6)
    True
    """
    x = _point(x)
    f0 = np.asarray(_call(f, x)).reshape(-1)[0]
    if steps is None:
        steps = np.logspace(-1, -15, 29)
    e = np.zeros(x.size)
    e[j] = 1.0
    e = e.reshape(x.shape)
    fwd, cen = [], []
    for h in steps:
        hp = (x.reshape(-1)[j] + h) - x.reshape(-1)[j]
        fp = np.asarray(_call(f, x + hp * e)).reshape(-1)[0]
        fm = np.asarray(_call(f, x - hp * e)).reshape(-1)[0]
        fwd.append(float((fp - f0) / hp))
        cen.append(float((fp - fm) / (2 * hp)))
    return {"steps": [float(s) for s in steps], "forward": fwd, "central": cen}
