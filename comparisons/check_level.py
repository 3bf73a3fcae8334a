"""One level of ``check_grads``: a function under test, its derivative by each mode (the full
Jacobian, or ``J·v`` and ``⟨uᵀJ, v⟩`` along seeded random directions), the references it is
compared with, the tolerance of each, and the judgement of every entry (a failure, or a kink
that :mod:`.check_kinks` explains), written into the tables of :mod:`.check_table`."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from . import references as refs
from .check_kinks import _on_kink, _one_sided
from .check_table import _kink_text, _rows

__all__ = ["DEFAULT_RTOL"]

#: default relative tolerance per reference (atol defaults to rtol × the largest entry)
DEFAULT_RTOL = {
    "symbolic": 1e-10, "complex-step": 1e-10, "richardson": 1e-8, "central": 1e-6,
    "forward-difference": 1e-4,
}
_NUMERIC = {
    "central": refs.central_difference,
    "richardson": refs.richardson,
    "forward-difference": refs.forward_difference,
    "complex-step": refs.complex_step,  # refuses (with the reason) non-analytic code
}


def _mode_jacobian(mode: str, h: Callable, x: np.ndarray, scalar: bool) -> np.ndarray:
    import dualnum as dn

    if mode == "forward":
        return _real_or_complex(dn.jacfwd(h)(x))
    if mode == "reverse":
        return _real_or_complex(dn.grad(h)(x) if scalar else dn.jacrev(h)(x))
    raise ValueError(f"check_grads: unknown mode {mode!r}; expected 'forward' or 'reverse'")


def _real_or_complex(v) -> np.ndarray:
    # complex step evaluates the exact derivative on complex points (order 2): keep the
    # imaginary part there, float64 everywhere else
    arr = np.asarray(v)
    return arr if np.iscomplexobj(arr) else arr.astype(np.float64)


def _first_of(v):
    return v[0] if isinstance(v, (tuple, list)) else v


def _jvp(h: Callable, x: np.ndarray, v: np.ndarray) -> np.ndarray:
    import dualnum as dn

    return np.asarray(_first_of(dn.jvp(h, (x,), (v,))[1]), dtype=np.float64)


def _vjp(h: Callable, x: np.ndarray, u: np.ndarray) -> np.ndarray:
    import dualnum as dn

    _, pullback = dn.vjp(h, x)
    return np.asarray(_first_of(pullback(u)), dtype=np.float64)


class _Level:
    """A function under test (``h``), and how sympy computes its Jacobian independently."""

    def __init__(self, label: str, h: Callable, symbolic: Callable | None):
        self.label, self.h, self.symbolic = label, h, symbolic


def _tolerance(ref: str, atol, rtol, b: np.ndarray, err) -> np.ndarray:
    r = DEFAULT_RTOL.get(ref, 1e-6) if rtol is None else rtol
    a = r * max(float(np.max(np.abs(b), initial=0.0)), 1e-300) if atol is None else atol
    return a + r * np.abs(b) + (0.0 if err is None else 2.0 * np.abs(err))


def _reference(level: _Level, ref: str, x: np.ndarray, direction: np.ndarray | None,
               truncation: bool = True):
    """The reference Jacobian of ``level.h`` at ``x`` (or its derivative along ``direction``).
    ``truncation=False`` (central differences only): the value with the round-off alone as
    its error (:func:`~.finite_differences.central_difference`)."""
    if ref == "symbolic":
        if level.symbolic is None:
            raise refs.Refused("symbolic: no independent sympy derivative at this level")
        return level.symbolic(x, direction)
    if ref not in _NUMERIC:
        raise ValueError(
            f"check_grads: unknown reference {ref!r}; expected one of symbolic, "
            f"{', '.join(_NUMERIC)}"
        )
    fd = _NUMERIC[ref]
    kw = {} if truncation else {"truncation": False}
    if direction is None:
        return fd(level.h, x, **kw)
    est = fd(lambda t: level.h(x + t[0] * direction), np.zeros(1), **kw)
    return refs.Estimate(est.value[..., 0], est.error[..., 0], est.method, est.step)


def _check_level(level, x, modes, references, atol, rtol, full, rng, kink_note, table, ran,
                 kink_table, out=None):
    """Check ``level.h`` at ``x`` by every mode against every reference. ``kink_note()``
    says which kinks the point sits on (asked only when an entry disagrees); ``out`` is
    ``level.h(x)`` when the caller has it."""
    out = np.asarray(level.h(x), dtype=np.float64) if out is None else out
    scalar = out.ndim == 0
    v = None if full else rng.standard_normal(x.shape)
    u = None if full else rng.standard_normal(out.shape)
    sides: dict = {}  # one-sided derivatives of this level, computed once, on demand
    values: dict = {}  # each mode's derivative, computed once, shared by the references

    def one_sided(kind: str):
        if kind not in sides:
            if kind == "full":
                sides[kind] = _one_sided(level.h, x)
            elif kind == "jvp":
                sides[kind] = _one_sided(level.h, x, v)
            else:
                sides[kind] = _one_sided(
                    lambda z: np.vdot(u, np.asarray(level.h(z), np.float64)), x, v)
        return sides[kind]

    def mode_value(mode: str):
        if mode not in values:
            if full:
                values[mode] = _mode_jacobian(mode, level.h, x, scalar)
            elif mode == "forward":
                values[mode] = _jvp(level.h, x, v)
            else:
                values[mode] = float(np.vdot(_vjp(level.h, x, u), v))
        return values[mode]

    def comparisons(ref: str, est):
        """Per mode: (sub-check, value, reference, allowed, error, step, kind, in_index)."""
        for mode in modes:
            sub = f"{level.label}{mode} vs {ref}"
            got = mode_value(mode)
            if full:
                allowed = _tolerance(ref, atol, rtol, est.value, est.error)
                yield sub, got, est.value, allowed, est.error, est.step, "full", None
            elif mode == "forward":
                allowed = _tolerance(ref, atol, rtol, est.value, est.error)
                yield (sub + " (J·v, random v)", got, est.value, allowed, est.error, est.step,
                       "jvp", "v")
            else:
                rhs = float(np.vdot(u, est.value))
                err = float(np.vdot(np.abs(u), np.abs(est.error)))
                allowed = _tolerance(ref, atol, rtol, np.array(rhs), err)
                yield (sub + " (⟨uᵀJ, v⟩ = ⟨u, J·v⟩)", np.array(got), np.array(rhs), allowed,
                       err, est.step, "vjp", "u, v")

    def disagrees(got, want, allowed) -> bool:
        got, want = np.atleast_1d(got), np.atleast_1d(want)
        return bool((~(np.abs(got - want) <= np.broadcast_to(allowed, want.shape))).any())

    def judge(sub, got, want, allowed, err, step, kind, in_index=None):
        got, want = np.atleast_1d(got), np.atleast_1d(want)
        bad = ~(np.abs(got - want) <= np.broadcast_to(allowed, want.shape))
        if not bad.any():
            return
        note = kink_note()
        if not note:
            table.extend(_rows(sub, got, want, allowed, err, step, x, "no", in_index))
            return
        left, right, side_err, jump = (np.atleast_1d(a) for a in one_sided(kind))
        explained = bad & _on_kink(got, allowed, left, right, side_err, jump)
        col = _kink_text(note, left, right, jump, explained)
        table.extend(_rows(sub, got, want, allowed, err, step, x, col, in_index,
                           show=bad & ~explained))
        kink_table.extend(_rows(sub, got, want, allowed, err, step, x, col, in_index,
                                show=explained))

    for ref in references:
        # central differences: first without the step-2h half (its error estimate only
        # widens the tolerance, so what agrees without it agrees with it); anything that
        # disagrees then, and every other reference, is judged on the full estimate
        quick = ref == "central"
        try:
            est = _reference(level, ref, x, v, truncation=not quick)
        except refs.Refused as exc:
            ran.setdefault("refused", []).append(f"{level.label}{ref}: {exc.reason}")
            continue
        ran.setdefault("ok", []).append(ref)
        if quick:
            if not any(disagrees(c[1], c[2], c[3]) for c in comparisons(ref, est)):
                continue
            est = _reference(level, ref, x, v)
        for c in comparisons(ref, est):
            judge(*c)
