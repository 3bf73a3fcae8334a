"""``check_grads``: one call in a unit test that says whether dualnum differentiates ``f`` right.

It checks the derivatives that forward and/or reverse mode compute against independent
references (sympy, finite differences):

* small inputs: the **full Jacobian**, entry by entry;
* large inputs: one **seeded random direction** ``v`` — forward mode's ``J v`` against the
  reference's directional derivative, reverse mode through the inner product
  ``⟨uᵀJ, v⟩ = ⟨u, J v⟩`` (so one VJP and one reference derivative check the whole transpose);
* ``order=2``: recursion — the *exact* first derivative (by each mode) becomes the function
  under test, its derivatives by each mode are compared with finite differences of that exact
  derivative (never second differences of ``f``) and with sympy's second derivative.

On a disagreement it raises ``AssertionError`` with a small table: the sub-check, the output and
input indices, both values, the point, the step, the reference's error estimate, and whether the
point sits on a kink. An entry whose disagreement a kink explains (the mode's value lies between
the one-sided derivatives there) is not a failure: it goes to a :class:`KinkWarning` instead.

>>> import numpy as np
>>> import dualnum.numpy as dnp
>>> check_grads(lambda x: dnp.sum(dnp.tanh(x) ** 2), (np.array([0.3, -1.2]),), order=2)
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence

import numpy as np

from . import references as refs
from dualnum import tree

from .case import flatten
from .check_user import check_gradient
from .tape_inspect import kinks as find_kinks

__all__ = ["check_grads", "KinkWarning", "DEFAULT_RTOL", "FULL_LIMIT"]


class KinkWarning(UserWarning):
    """``check_grads`` found entries that disagree only because the point sits on a kink.

    >>> issubclass(KinkWarning, UserWarning)
    True
    """

#: default relative tolerance per reference (atol defaults to rtol × the largest entry)
DEFAULT_RTOL = {
    "symbolic": 1e-10, "complex-step": 1e-10, "richardson": 1e-8, "central": 1e-6,
    "forward-difference": 1e-4,
}
#: inputs up to this size get the full Jacobian; above it, one seeded random direction
FULL_LIMIT = 48
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


def _rows(sub: str, a, b, allowed, err, step, x, kink_col, in_index=None, show=None) -> list:
    """Table rows for the entries of ``show`` (default: those outside ``allowed``), worst
    first, at most five; ``kink_col`` is the kink column, one string or one per entry."""
    a, b = np.atleast_1d(a), np.atleast_1d(b)
    allowed = np.broadcast_to(allowed, b.shape)
    diff = np.abs(a - b)
    show = ~(diff <= allowed) if show is None else np.broadcast_to(show, b.shape)
    kink_col = np.broadcast_to(np.asarray(kink_col, dtype=object), b.shape)
    rows = []
    errs = np.broadcast_to(np.abs(err) if err is not None else np.nan, b.shape)
    steps = None if step is None else np.broadcast_to(np.asarray(step, float), x.shape)
    order = np.argsort(-np.where(np.isnan(diff), np.inf, diff / np.maximum(allowed, 1e-300)),
                       axis=None, kind="stable")
    for flat in [i for i in order if show.reshape(-1)[i]][:5]:
        idx = np.unravel_index(flat, b.shape)
        if in_index is None:  # full Jacobian: last axis is the input
            out_idx, j = idx[:-1], int(idx[-1])
            where = f"{list(map(int, out_idx))} / x[{j}]"
            point = float(x.reshape(-1)[j])
            h = None if steps is None else float(steps.reshape(-1)[j])
        else:
            where = f"{list(map(int, idx))} / {in_index}"
            point, h = None, None if step is None else float(np.max(np.abs(step)))
        rows.append([sub, where, f"{a[idx]:.12g}", f"{b[idx]:.12g}", f"{diff[idx]:.3g}",
                     "—" if point is None else f"{point:.6g}",
                     "—" if h is None else f"{h:.3g}",
                     "—" if np.isnan(errs[idx]) else f"{errs[idx]:.3g}", kink_col[idx]])
    return rows


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


def _kink_text(note: str, left, right, jump, explained) -> np.ndarray:
    left, right, jump = np.broadcast_arrays(np.asarray(left, float), np.asarray(right, float),
                                            np.asarray(jump, bool))
    out = np.empty(left.shape, dtype=object)
    for idx in np.ndindex(*left.shape):
        span = ("jumps (no derivative)" if jump[idx]
                else f"one-sided {left[idx] + 0.0:.6g} | {right[idx] + 0.0:.6g}")
        out[idx] = f"yes: {span} ({note})" if explained[idx] else f"{note}; outside {span}"
    return out


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


def _format(table: list, point: np.ndarray, what: str = "disagreement(s)") -> str:
    head = ["check", "out / in", "value", "reference", "|diff|", "x_j", "step", "ref error",
            "kink"]
    rows = [head] + table
    widths = [max(len(str(r[i])) for r in rows) for i in range(len(head))]
    lines = ["  ".join(str(c).ljust(w) for c, w in zip(r, widths, strict=True)).rstrip()
             for r in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    pt = np.array2string(point, precision=6, threshold=8)
    return f"check_grads: {len(table)} {what} at x = {pt}\n" + "\n".join(lines)


def check_grads(
    f: Callable,
    args,
    modes: Sequence[str] = ("forward", "reverse"),
    references: Sequence[str] = ("symbolic", "central"),
    order: int = 1,
    atol: float | None = None,
    rtol: float | None = None,
    grad: Callable | None = None,
    full: bool | None = None,
) -> None:
    """Check ``f``'s derivatives by ``modes`` against ``references``; raise on disagreement.

    ``grad`` (optional) is *your* gradient function, called like ``f``: it is checked first,
    against the most precise of ``references``, and a disagreement raises
    :class:`~dualnum.comparisons.check_user.GradientMismatch` (an ``AssertionError``) whose
    table names each wrong block and the kind of slip (see :mod:`.check_user`).

    ``args`` is the tuple of positional arguments (a single array is accepted too); every
    argument is differentiated (nested lists/dicts of arrays allowed). ``atol``/``rtol`` override
    the per-reference defaults (:data:`DEFAULT_RTOL`; ``atol`` defaults to ``rtol`` times the
    largest reference entry). Returns ``None`` when everything agrees.

    ``full``: ``True`` checks the whole Jacobian entry by entry, ``False`` one seeded random
    direction per mode (``J·v``, and ``⟨uᵀJ, v⟩ = ⟨u, J·v⟩`` for reverse mode: the checks
    autograd's ``check_grads`` makes), ``None`` (the default) by size: entry by entry up to
    :data:`FULL_LIMIT` inputs.

    **Kinks.** At a point where ``f`` passes through a kink (relu or abs at 0, a max tie, a
    step), the derivative is a convention (relu'(0) = 0 here, 1 in JAX's abs) and no reference
    can agree with every convention. A disagreeing entry is then checked against the one-sided
    derivatives along its direction: if they differ (the direction crosses the kink) and the
    mode's value lies between them, the entry is a *kink*, not a failure — it is reported by a
    :class:`KinkWarning` with the same table, and ``check_grads`` does not raise for it. A
    value outside the one-sided range is wrong whatever the convention, and fails (the kink
    column then says so); entries along smooth directions are checked as usual.

    >>> import dualnum.numpy as dnp
    >>> check_grads(lambda W, x: dnp.sum(dnp.tanh(W @ x)), (np.eye(2), np.array([0.5, -1.0])))
    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     check_grads(lambda x: dnp.sum(dnp.relu(x)), (np.array([0.0, 2.0]),),
    ...                 references=("central",))
    >>> print(str(caught[0].message).splitlines()[0])
    check_grads: 2 entries on a kink (not failures) at x = [0. 2.]
    >>> check_grads(lambda x: dnp.sum(dnp.sin(x) ** 2), (np.linspace(0, 1, 20),),
    ...             references=("central",), full=False)      # one random direction
    """
    if order not in (1, 2):
        raise ValueError(f"check_grads: order must be 1 or 2, got {order!r}")
    args = tuple(args) if isinstance(args, (tuple, list)) else (args,)
    if grad is not None:
        check_gradient(f, args, grad, references, atol, rtol)
    if full not in (None, True, False):
        raise ValueError(f"check_grads: full must be True, False or None, got {full!r}")
    x, _ = flatten(list(args))
    a0 = args[0]
    if len(args) == 1 and type(a0) is np.ndarray and a0.dtype == np.float64 and a0.ndim == 1:
        h0 = f          # one flat float vector: f takes the point as it is
    else:
        unravel = tree.ravel(list(args), leaf_lists=False)[1]   # built once, called per point

        def h0(v):
            return f(*unravel(v))

    out0 = np.asarray(h0(x), dtype=np.float64)
    if full is None:
        full = x.size <= FULL_LIMIT and out0.size * x.size <= 64 * FULL_LIMIT
    found: list = []

    def kink_note() -> str:
        # which kinks the point sits on: one recording, made only when an entry disagrees
        # (the note says why; a passing check needs none)
        if not found:
            try:
                ks = find_kinks(h0, x)
            except Exception:  # f cannot be recorded on a tape: kink status unknown
                ks = []
            found.append("; ".join(f"{k.op}: {k.convention}" for k in ks))
        return found[0]

    def sym0(z, direction):
        if direction is None:
            return refs.symbolic_jacobian(h0, z)
        est = refs.symbolic_jacobian(lambda t: h0(z + t[0] * direction), np.zeros(1))
        return refs.Estimate(est.value[..., 0], est.error[..., 0], "symbolic", None)

    table: list = []
    kink_table: list = []
    ran: dict = {}
    rng = np.random.default_rng(0)
    _check_level(_Level("", h0, sym0), x, modes, references, atol, rtol, full, rng, kink_note,
                 table, ran, kink_table, out0)
    if order == 2:
        for inner in modes:
            level = _second_level(inner, h0, x, out0, full, rng)
            _check_level(level, x, modes, references, atol, rtol, full, rng, kink_note, table,
                         ran, kink_table)
    if not ran.get("ok"):
        reasons = "; ".join(ran.get("refused", [])) or "no reference given"
        raise AssertionError(f"check_grads: no reference could check f ({reasons})")
    if kink_table:
        warnings.warn(_format(kink_table, x, "entries on a kink (not failures)"), KinkWarning,
                      stacklevel=2)
    if table:
        raise AssertionError(_format(table, x))


def _second_level(inner: str, h0: Callable, x: np.ndarray, out0: np.ndarray, full: bool, rng):
    """The exact first derivative by ``inner`` mode, as a new function to check (order 2)."""
    scalar = out0.ndim == 0
    if full:
        def g(z):
            return _mode_jacobian(inner, h0, z, scalar).reshape(-1) if _is_plain(z) else \
                _boxed_jacobian(inner, h0, z, scalar)

        def sym(z, direction):
            est = refs.symbolic_hessian(h0, z)
            n = z.size
            return refs.Estimate(est.value.reshape(-1, n), est.error.reshape(-1, n),
                                 "symbolic", None)

        return _Level(f"order 2 ({inner} derivative): ", g, sym)
    w = rng.standard_normal(x.shape) if inner == "forward" else rng.standard_normal(out0.shape)
    import dualnum as dn

    if inner == "forward":
        def g(z):
            return _first_of(dn.jvp(h0, (z,), (w,))[1])
    else:
        def g(z):
            return _first_of(dn.vjp(h0, z)[1](w))
    return _Level(f"order 2 ({inner} directional derivative): ", g, None)


def _is_plain(z) -> bool:
    return isinstance(z, np.ndarray) and z.dtype != object


def _boxed_jacobian(inner: str, h0: Callable, z, scalar: bool):
    """The inner derivative traced by an outer interpreter (z is a Dual / tape variable)."""
    import dualnum as dn
    import dualnum.numpy as dnp

    if inner == "forward":
        J = dn.jacfwd(h0)(z)
    else:
        J = dn.grad(h0)(z) if scalar else dn.jacrev(h0)(z)
    return dnp.reshape(J, (-1,))
