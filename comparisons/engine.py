"""The comparison engine: every method on every case, each measured against a reference.

Methods: ``forward`` (``dn.jacfwd``), ``reverse`` (``dn.grad`` / ``dn.jacrev``), ``hand`` (the
notes' hand-derived formula from ``dualnum.models.backprop*``, where the case has one), and the
references ``symbolic``, ``complex-step``, ``richardson``, ``central``. Each method is compared
with the most precise *other* reference available, entry by entry, with

    |a − b| ≤ rtol·(scale + |b|) + 2·(err_a + err_b)

where ``rtol`` is the looser of the two methods' tolerances (:data:`RTOL`), ``scale`` is the
block's largest reference entry (so entries near zero are judged against the block's size) and
``err`` the references' own error estimates. A disagreement on a point that sits on a kink
(relu at 0, abs at 0, a max tie …, read from the tape) is classified **kink** with the rule
table's convention, never **fail**; a hand formula transcribed *as written* that disagrees is
a **slip** of the notes (listed in "the notes vs the math").

>>> import numpy as np
>>> import dualnum.numpy as dnp
>>> from dualnum.comparisons.case import Case
>>> res = run_case(Case("lepetit", "vector→scalar",
...                     lambda x: dnp.log(x[0]) + x[0] * x[1] - dnp.sin(x[1]), [2.0, 5.0]))
>>> res.status, res.method("reverse").status
('agree', 'agree')
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from . import finite_differences as fd
from . import references as refs
from .case import Case
from .results import BlockError, CaseResult, Location, MethodResult, Report
from .tape_inspect import inspect_tape

__all__ = ["AD_METHODS", "REFERENCE_METHODS", "METHODS", "RTOL", "allowance", "compare", "run_case",
           "run"]

AD_METHODS = ("forward", "reverse", "hand")
REFERENCE_METHODS = ("symbolic", "complex-step", "richardson", "central")
METHODS = AD_METHODS + REFERENCE_METHODS
#: relative tolerance of each method (a comparison uses the looser of its two sides)
RTOL = {
    "forward": 1e-12, "reverse": 1e-12, "hand": 1e-12,
    "symbolic": 1e-12, "complex-step": 1e-12, "richardson": 1e-9, "central": 1e-6,
}
SECOND_ORDER_RTOL = {"symbolic": 1e-10, "richardson∘reverse": 1e-8}
_FAILING = ("fail", "error")


def _now() -> float:
    return time.perf_counter()


def allowance(B: np.ndarray, E: np.ndarray, blocks, rtol: float):
    """The allowed difference of every entry of the reference Jacobian ``B`` (rows: outputs,
    columns: the flat input), ``rtol·(scale + |b|) + 2·err``, and each block's ``scale`` (its
    largest reference entry, at least 1e-3 of the whole Jacobian's).

    >>> from dualnum.comparisons.case import Block
    >>> allowed, scales = allowance(np.array([[2.0, 0.0]]), np.zeros((1, 2)),
    ...                             [Block("x", 0, 2, (2,))], 1e-6)
    >>> allowed.tolist(), scales
    ([[4e-06, 2e-06]], [2.0])
    """
    global_scale = float(np.max(np.abs(B), initial=0.0))
    allowed = np.zeros_like(B)
    scales = []
    for blk in blocks:
        sl = slice(blk.start, blk.stop)
        scale = max(float(np.max(np.abs(B[:, sl]), initial=0.0)), 1e-3 * global_scale, 1e-300)
        allowed[:, sl] = rtol * (scale + np.abs(B[:, sl])) + 2.0 * E[:, sl]
        scales.append(scale)
    return allowed, scales


def compare(a, b, blocks, rtol: float, err_a=None, err_b=None):
    """Compare two Jacobians (shape ``out + (n,)``) block by block.

    Returns ``(ok, max_abs, max_rel, [BlockError], Location of the worst entry)``.

    >>> from dualnum.comparisons.case import Block
    >>> ok, mabs, mrel, bl, loc = compare(np.array([1.0, 2.001]), np.array([1.0, 2.0]),
    ...                                   [Block("x", 0, 2, (2,))], 1e-6)
    >>> ok, loc.index, round(mrel, 6)
    (False, [1], 0.0005)
    """
    n = blocks[-1].stop
    A = np.asarray(a, dtype=np.float64).reshape(-1, n)
    B = np.asarray(b, dtype=np.float64).reshape(-1, n)
    E = np.zeros_like(B)
    for err in (err_a, err_b):
        if err is not None:
            E = E + np.broadcast_to(np.asarray(err, dtype=np.float64), np.shape(b)).reshape(-1, n)
    diff = np.abs(A - B)
    allowed, scales = allowance(B, E, blocks, rtol)
    rel = np.zeros_like(B)
    block_errors = []
    for blk, scale in zip(blocks, scales):
        sl = slice(blk.start, blk.stop)
        rel[:, sl] = diff[:, sl] / scale
        block_errors.append(
            BlockError(blk.name, float(np.max(diff[:, sl], initial=0.0)),
                       float(np.max(rel[:, sl], initial=0.0)))
        )
    bad = ~(diff <= allowed)  # NaN counts as bad
    # the worst entry is the one furthest outside (or least inside) its allowance; NaN first
    ratio = diff / np.where(allowed > 0, allowed, 1e-300)
    flat = int(np.argmax(np.where(np.isnan(diff), np.inf, ratio))) if diff.size else 0
    out_i, j = divmod(flat, n) if diff.size else (0, 0)
    loc = None
    if diff.size:
        blk = next(b_ for b_ in blocks if b_.start <= j < b_.stop)
        out_shape = np.shape(b)[:-1]
        out_idx = list(np.unravel_index(out_i, out_shape)) if out_shape else []
        in_idx = list(np.unravel_index(j - blk.start, blk.shape)) if blk.shape else []
        loc = Location([int(i) for i in out_idx], blk.name, [int(i) for i in in_idx],
                       float(A.reshape(-1)[flat]), float(B.reshape(-1)[flat]))
    max_abs = float(np.max(np.where(np.isnan(diff), np.inf, diff), initial=0.0))
    max_rel = float(np.max(np.where(np.isnan(rel), np.inf, rel), initial=0.0))
    return bool(not bad.any()), max_abs, max_rel, block_errors, loc


def _ad(method: str, f: Callable, x: np.ndarray, scalar: bool) -> np.ndarray:
    import dualnum as dn

    if method == "forward":
        return np.asarray(dn.jacfwd(f)(x), dtype=np.float64)
    if scalar:
        return np.asarray(dn.grad(f)(x), dtype=np.float64)
    return np.asarray(dn.jacrev(f)(x), dtype=np.float64)


class _Runner:
    """Computes every method's Jacobian for one case (value, error estimate, time, refusal)."""

    def __init__(self, case: Case, max_ops: int, timeout: float):
        self.case, self.max_ops, self.timeout = case, max_ops, timeout
        x = case.x
        self.f0 = np.asarray(case.f(x), dtype=np.float64)
        self.scalar = self.f0.size == 1 and self.f0.ndim == 0
        self.jshape = self.f0.shape + x.shape
        try:
            self.nonanalytic, self.kinks = inspect_tape(case.f, x)
            self.tape_error = ""
        except Exception as exc:  # a case the tape cannot record: no kink information
            self.nonanalytic, self.kinks = [], []
            self.tape_error = f"{type(exc).__name__}: {exc}"

    def compute(self, method: str):
        """Return ``(value, error, seconds)`` or raise ``refs.Refused`` / another exception."""
        case, x = self.case, self.case.x
        t0 = _now()
        err = None
        if method in ("forward", "reverse"):
            val = _ad(method, case.f, x, self.scalar)
        elif method == "hand":
            if case.hand is None:
                raise refs.Refused("no hand-derived formula in the notes for this case")
            val = np.asarray(case.hand(x), dtype=np.float64)
        elif method == "symbolic":
            if "no-symbolic" in case.tags:
                raise refs.Refused("skipped: not runnable on sympy symbols (models catalogue)")
            est = refs.symbolic_jacobian(case.f, x, max_ops=self.max_ops, timeout=self.timeout)
            val, err = est.value, est.error
        elif method == "complex-step":
            if self.nonanalytic:
                ops = ", ".join(self.nonanalytic)
                raise refs.Refused(f"complex step: f passes through non-analytic op(s) {ops}")
            est = refs.complex_step(case.f, x, assume_analytic=True)
            val, err = est.value, est.error
        elif method == "richardson":
            # near kinks a wide first step straddles them: start small for non-analytic code
            step = 1e-4 * np.maximum(1.0, np.abs(x)) if self.nonanalytic else None
            est = refs.richardson(case.f, x, step=step)
            val, err = est.value, est.error
        elif method == "central":
            est = refs.central_difference(case.f, x)
            val, err = est.value, est.error
        else:
            raise ValueError(f"unknown method {method!r}; expected one of {', '.join(METHODS)}")
        return val, err, _now() - t0


def _kink_reason(kinks) -> str:
    parts = [f"{k.op} at element(s) {k.where[:4]} (convention: {k.convention})" for k in kinks]
    return "point on a kink: " + "; ".join(parts)


def _judge(case: Case, runner: _Runner, method: str, values: dict, errors: dict,
           times: dict, failures: dict) -> MethodResult:
    if method in failures:
        status, reason = failures[method]
        return MethodResult(method, status, reason, time=times.get(method, 0.0))
    order = [r for r in REFERENCE_METHODS if r != method and r in values]
    if not order:
        order = [m for m in ("reverse", "forward") if m != method and m in values]
    if not order:
        return MethodResult(method, "skipped", "no other method to compare with",
                            time=times[method])
    ref = order[0]
    val = values[method]
    if val.shape != values[ref].shape:
        status = "slip" if method == "hand" and case.literal else "fail"
        return MethodResult(method, status,
                            f"shape {list(val.shape)} but the derivative has shape "
                            f"{list(values[ref].shape)}", reference=ref, time=times[method])
    rtol = max(RTOL[method], RTOL[ref])
    ok, mabs, mrel, blocks, loc = compare(val, values[ref], case.blocks, rtol,
                                          errors.get(method), errors.get(ref))
    status, reason = "agree", ""
    if not ok:
        if runner.kinks:
            status, reason = "kink", _kink_reason(runner.kinks)
        elif method == "hand" and case.literal:
            status, reason = "slip", f"the notes' formula as written ({case.hand_label})"
        else:
            status = "fail"
            reason = (f"worst at output {loc.output} {loc.block}{loc.index}: "
                      f"{loc.value:.17g} vs {ref} {loc.reference_value:.17g}")
    return MethodResult(method, status, reason, ref, mabs, mrel, rtol, times[method], blocks, loc)


def _second_order(case: Case, runner: _Runner, max_ops: int, timeout: float) -> list:
    import dualnum as dn

    x, f = case.x, case.f
    try:
        ref = refs.symbolic_hessian(f, x, max_ops=max_ops, timeout=timeout)
        ref_name = "symbolic"
    except refs.Refused:
        ref = fd.richardson(lambda z: np.asarray(dn.grad(f)(z), dtype=np.float64), x)
        ref_name = "richardson∘reverse"
    rtol = SECOND_ORDER_RTOL[ref_name]
    v = np.random.default_rng(0).standard_normal(x.shape)
    out = []
    for name in ("hessian", "hvp"):
        t0 = _now()
        try:
            if name == "hessian":
                val, want, err = np.asarray(dn.hessian(f)(x), float), ref.value, ref.error
            else:
                val = np.asarray(dn.hvp(f)(x, v), float)
                want, err = ref.value @ v, np.abs(ref.error) @ np.abs(v)
        except Exception as exc:
            out.append(MethodResult(name, "error", f"{type(exc).__name__}: {exc}",
                                    time=_now() - t0))
            continue
        dt = _now() - t0
        blocks = case.blocks
        ok, mabs, mrel, bl, loc = compare(val, want, blocks, rtol, None, err)
        status = "agree" if ok else ("kink" if runner.kinks else "fail")
        reason = "" if ok else (_kink_reason(runner.kinks) if runner.kinks else
                                f"worst at {loc.output} {loc.block}{loc.index}")
        out.append(MethodResult(name, status, reason, ref_name, mabs, mrel, rtol, dt, bl, loc))
    return out


def _worked(case: Case, runner: _Runner, values: dict) -> list:
    best = next((values[r] for r in REFERENCE_METHODS if r in values), None)
    rows = []
    for w in case.worked:
        src = runner.f0 if w.kind == "value" else best
        got = None if src is None else float(np.asarray(src)[tuple(w.index)])
        ok = got is not None and abs(got - w.expected) <= 0.5 * 10.0 ** -w.decimals * (1 + 1e-9)
        rows.append({"label": w.label, "expected": w.expected, "got": got,
                     "decimals": w.decimals, "ok": bool(ok)})
    return rows


#: the symbolic reference's wall-clock safety net, in seconds per case (what it may spend is
#: decided by sizes, :mod:`.symbolic_budget`, the same on every machine; the costliest case
#: the sizes admit takes ~5 s of CPU here, 36 s of wall time with the machine loaded 4×, so
#: this fires only for a case that got past them and ran long; its reason then says so)
SYMBOLIC_TIMEOUT = 120.0


def run_case(case: Case, methods: Sequence[str] = METHODS, max_ops: int = refs.DEFAULT_MAX_OPS,
             timeout: float = SYMBOLIC_TIMEOUT, second_order: bool = True,
             sweep: bool = False, keep: dict | None = None) -> CaseResult:
    """Run every method on one case and judge it (see the module docstring).

    ``keep`` (a dict), if given, receives the raw Jacobians of the methods that ran
    (``keep["values"]``) and the references' error estimates (``keep["errors"]``), for
    analyses that need more than the verdicts (the user cases' slip diagnosis).

    >>> res = run_case(Case("cube", "scalar→scalar", lambda x: x[0] ** 3, [2.0]))
    >>> res.status, res.method("central").reference, res.worked
    ('agree', 'symbolic', [])
    >>> [(m.method, m.status) for m in res.second_order]
    [('hessian', 'agree'), ('hvp', 'agree')]
    """
    t_case = _now()
    runner = _Runner(case, max_ops, timeout)
    values, errors, times, failures = {}, {}, {}, {}
    for m in methods:
        t0 = _now()
        try:
            val, err, dt = runner.compute(m)
            values[m], times[m] = np.asarray(val, dtype=np.float64), dt
            if err is not None:
                errors[m] = err
        except refs.Refused as exc:
            times[m] = _now() - t0
            status = "skipped" if exc.reason.startswith("skipped") or m == "hand" else "refused"
            failures[m] = (status, exc.reason)
        except Exception as exc:
            times[m] = _now() - t0
            literal_hand = m == "hand" and case.literal
            failures[m] = ("slip" if literal_hand else "error", f"{type(exc).__name__}: {exc}")
    results = [_judge(case, runner, m, values, errors, times, failures) for m in methods]
    if keep is not None:
        keep.update(values=values, errors=errors)
    matrix = {}
    for a in values:
        matrix[a] = {}
        for b in values:
            if values[a].shape == values[b].shape:
                scale = max(float(np.max(np.abs(values[b]), initial=0.0)), 1e-300)
                matrix[a][b] = float(np.max(np.abs(values[a] - values[b]), initial=0.0) / scale)
    second = []
    if second_order and case.second_order and runner.scalar:
        second = _second_order(case, runner, max_ops, timeout)
    worked = _worked(case, runner, values)
    statuses = [r.status for r in results + second]
    if any(s in _FAILING for s in statuses) or not all(w["ok"] for w in worked):
        status = "fail"
    elif "kink" in statuses or runner.kinks:  # on a kink even where the conventions agree
        status = "kink"
    elif "slip" in statuses:
        status = "slip"
    else:
        status = "agree"
    kinks = [{"op": k.op, "tape_index": k.index, "elements": k.where[:16],
              "convention": k.convention} for k in runner.kinks]
    sweep_data = None
    if sweep:
        sweep_data = fd.step_sweep(case.f, case.x, 0)
        best = next((values[r] for r in REFERENCE_METHODS if r in values), None)
        if best is not None:
            sweep_data["reference"] = float(np.asarray(best).reshape(-1, case.x.size)[0, 0])
    return CaseResult(case.name, case.group, case.source, case.description, case.n_inputs,
                      list(runner.f0.shape), status, results, matrix, second, kinks, worked,
                      case.hand_label, case.literal, _now() - t_case, sweep_data)


def run(cases: Sequence[Case], methods: Sequence[str] = METHODS,
        progress: Callable[[int, int, str], None] | None = None, sweep_case: str | None = None,
        finish: Callable[[int, CaseResult, dict], None] | None = None, **kwargs) -> Report:
    """Run the engine over ``cases``; ``progress(i, n, name)`` is called before each case.
    ``finish(i, result, keep)``, if given, is called after case ``i`` with its result and the
    raw values :func:`run_case` kept (``keep``), before the summary counts it: the user cases
    add their hand check there (:func:`dualnum.comparisons.user_cases.run`).

    >>> rep = run([])
    >>> rep.summary["cases"], rep.summary["failures"]
    (0, 0)
    """
    results = []
    t0 = _now()
    for i, case in enumerate(cases):
        if progress is not None:
            progress(i, len(cases), case.name)
        keep: dict | None = None if finish is None else {}
        res = run_case(case, methods, sweep=wants_sweep(case.name, sweep_case), keep=keep,
                       **kwargs)
        if finish is not None:
            finish(i, res, keep)
        results.append(res)
    if progress is not None:
        progress(len(cases), len(cases), "")
    return Report(results, summarize(results, _now() - t0), dict(RTOL), list(methods))


def wants_sweep(name: str, sweep_case: Any) -> bool:
    """Whether case ``name`` gets an error-vs-step sweep: ``sweep_case`` is one case's name,
    a collection of names, or ``"*"`` for every case.

    >>> [wants_sweep("a", s) for s in ("a", {"b"}, "*", None)]
    [True, False, True, False]
    """
    if sweep_case is None:
        return False
    if isinstance(sweep_case, str):
        return sweep_case in ("*", name)
    return name in sweep_case


def summarize(results: Sequence[CaseResult], elapsed: float = 0.0) -> dict:
    """Counts for the report's summary line."""
    rows = [m for r in results for m in list(r.methods) + list(r.second_order)]
    slowest = max(results, key=lambda r: r.time, default=None)
    return {
        "cases": len(results),
        "methods": sum(1 for m in rows if m.status not in ("skipped", "refused")),
        "agreements": sum(1 for m in rows if m.status == "agree"),
        "kinks": sum(1 for m in rows if m.status == "kink"),
        "failures": sum(1 for m in rows if m.status in _FAILING)
        + sum(1 for r in results for w in r.worked if not w["ok"]),
        "slips": sum(1 for m in rows if m.status == "slip"),
        "refused": sum(1 for m in rows if m.status == "refused"),
        "skipped": sum(1 for m in rows if m.status == "skipped"),
        "failed_cases": [r.name for r in results if r.status == "fail"],
        "slowest_case": None if slowest is None else {"name": slowest.name, "time": slowest.time},
        "time": elapsed,
    }
