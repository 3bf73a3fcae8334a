"""The tables ``check_grads`` prints: the disagreeing entries, worst first (the sub-check, the
output and input indices, both values, the point, the step, the reference's error estimate),
with the kink column that says whether a kink explains an entry."""

from __future__ import annotations

import numpy as np

__all__: list[str] = []


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


def _kink_text(note: str, left, right, jump, explained) -> np.ndarray:
    left, right, jump = np.broadcast_arrays(np.asarray(left, float), np.asarray(right, float),
                                            np.asarray(jump, bool))
    out = np.empty(left.shape, dtype=object)
    for idx in np.ndindex(*left.shape):
        span = ("jumps (no derivative)" if jump[idx]
                else f"one-sided {left[idx] + 0.0:.6g} | {right[idx] + 0.0:.6g}")
        out[idx] = f"yes: {span} ({note})" if explained[idx] else f"{note}; outside {span}"
    return out


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
