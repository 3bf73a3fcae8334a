"""The parts of the HTML report that explain it: the legend of every colour and cell, the
error-vs-step curves of every case as small multiples, and one section per case (its source and
formula, its status, the worst entry of every method, its curve and, for small cases, the graph
of its evaluation).

Everything is inline (CSS, images as data URIs, graphs as SVG): the page needs no network.

>>> "agree" in legend_html() and "slip" in legend_html()
True
"""
from __future__ import annotations

import base64
import html
import io
import math
from typing import Any, Sequence

import numpy as np

import dualnum as dn

__all__ = ["legend_html", "small_multiples", "case_sections", "case_graphs", "sweep_rows",
           "curve_image", "PLOT_HINT", "GRAPH_MAX_NODES"]

#: what the page says where a picture would be, when matplotlib is not installed
PLOT_HINT = ("the error-vs-step curves are drawn with matplotlib: pip install "
             "'dualnum-toolkit[plot]' to see them (the numbers are in the tables below)")

#: cases whose evaluation records at most this many tape entries get their graph drawn
GRAPH_MAX_NODES = 40

_LEGEND = (
    ("agree", "agree", "the method agrees with the reference within its tolerance "
     "(the cell shows the largest relative difference)"),
    ("kink", "kink", "the point sits on a kink (relu at 0, |x| at 0, a tie of max): "
     "derivatives there are a convention, not a failure; the convention used is named"),
    ("slip", "slip", "the notes' formula as printed differs from the math, as expected: "
     "a known slip of the notes, shown beside the corrected formula"),
    ("fail", "fail", "the method disagrees with the reference beyond its tolerance"),
    ("error", "error", "the method raised an error on this case"),
    ("refused", "refused", "the method does not apply here (e.g. complex step on a "
     "non-analytic function); the reason is in the cell's tooltip"),
    ("skipped", "skipped", "not run: over its budget (symbolic) or not requested"),
)


def _e(text: Any) -> str:
    return html.escape(str(text))


def legend_html() -> str:
    """A table: every colour of the report and what it means, and how to read the cells."""
    rows = "".join(f"<tr><td class='{k}'>{_e(label)}</td><td>{_e(text)}</td></tr>"
                   for k, label, text in _LEGEND)
    return ("<h2>How to read this report</h2><table class='legend'><tr><th>colour</th>"
            "<th>meaning</th></tr>" + rows + "</table><p>A cell of the case table is the "
            "largest relative difference between the method and the case's reference "
            "(its column header names the method; hover for the reference and the reason). "
            "The agreement matrix counts, for each pair of methods, the cases where both ran "
            "and agree (green: all of them). <i>2nd order</i> compares Hessians or "
            "Hessian-vector products.</p>")


def sweep_rows(sweep: dict) -> list[tuple[float, float, float]]:
    """``(h, |forward − ref|, |central − ref|)`` rows of an error-vs-step sweep.

    >>> sweep_rows({"steps": [0.1], "forward": [1.1], "central": [1.01], "reference": 1.0})
    [(0.1, 0.10000000000000009, 0.010000000000000009)]
    """
    ref = sweep.get("reference")
    if not isinstance(ref, (int, float)):
        return []
    return [(h, abs(fw - ref), abs(ce - ref))
            for h, fw, ce in zip(sweep["steps"], sweep["forward"], sweep["central"], strict=True)
            if isinstance(fw, (int, float)) and isinstance(ce, (int, float))]


def _drawable(sweep: dict | None) -> bool:
    """A curve to draw: some step with a nonzero error (a function linear along the swept
    input has exact differences at every step: nothing to show on a log axis)."""
    return bool(sweep) and any(ef > 0 or ec > 0 for _, ef, ec in sweep_rows(sweep))


def _figure_modules() -> Any:
    # matplotlib is the optional plot extra: imported only when a curve is drawn
    try:
        import matplotlib  # noqa: F401  (the package itself: a stale submodule is not enough)
        from matplotlib.figure import Figure
    except ImportError:
        return None
    return Figure


def _png(fig: Any) -> str:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=80, metadata={"Software": "dualnum"})
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode()


def curve_image(name: str, sweep: dict, size: tuple[float, float] = (2.6, 2.0)) -> str:
    """An ``<img>`` of one case's error-vs-step curve (forward and central difference), or ""
    without matplotlib or without a reference value."""
    Figure = _figure_modules()
    rows = sweep_rows(sweep)
    if Figure is None or not rows:
        return ""
    nan = float("nan")
    fig = Figure(figsize=size)
    ax = fig.add_axes((0.2, 0.18, 0.76, 0.7))
    hs = [r[0] for r in rows]
    # an exact hit (error 0) has no place on a log axis: a gap, not an invented floor
    ax.loglog(hs, [r[1] if r[1] > 0 else nan for r in rows], "o-", ms=2, lw=1, label="forward")
    ax.loglog(hs, [r[2] if r[2] > 0 else nan for r in rows], "s-", ms=2, lw=1, label="central")
    ax.set_title(name, fontsize=7)
    ax.tick_params(labelsize=6)
    ax.set_xlabel("step h", fontsize=6)
    ax.set_ylabel("|error|", fontsize=6)
    ax.legend(fontsize=5, loc="best")
    return f"<img alt='error vs step: {_e(name)}' src='{_png(fig)}'>"


def small_multiples(data: dict) -> list[str]:
    """The error-vs-step curve of every case that has one, side by side (or the hint)."""
    cases = [c for c in data["cases"] if _drawable(c.get("sweep"))]
    if not cases:
        return []
    out = ["<h2>Error vs step, every case</h2><p>Truncation error shrinks with the step h "
           "(forward difference ∝ h, central ∝ h²) until round-off (∝ ε/h) takes over; the "
           "reference is the case's most accurate method, along the first input.</p>"]
    if _figure_modules() is None:
        out.append(f"<p class='hint'>{_e(PLOT_HINT)}</p>")
        return out
    out.append("<div class='multiples'>" + "".join(
        f"<a href='#case-{_e(c['name'])}'>{curve_image(c['name'], c['sweep'])}</a>"
        for c in cases) + "</div>")
    return out


def _worst(methods: list[dict]) -> dict | None:
    ran = [m for m in methods if isinstance(m.get("max_rel"), (int, float))
           and m.get("worst")]
    return max(ran, key=lambda m: m["max_rel"]) if ran else None


def _fmt(v: Any) -> str:
    if isinstance(v, (int, float)):
        return f"{v:.6g}" if math.isfinite(v) else str(v)
    return str(v)


def case_sections(data: dict, graphs: dict[str, str] | None = None) -> list[str]:
    """One section per case: source, formula, status, the worst entry of each method, the
    error-vs-step table and curve, and the evaluation's graph where one is given."""
    graphs = graphs or {}
    out = ["<h2>The cases, one by one</h2>"]
    for c in data["cases"]:
        out.append(f"<section id='case-{_e(c['name'])}'><h3><code>{_e(c['name'])}</code> "
                   f"<span class='{_e(c['status'])}'>{_e(c['status'])}</span></h3>")
        out.append(f"<p>{_e(c.get('description', ''))}<br><i>{_e(c.get('source', ''))}</i>"
                   f" · {c.get('n_inputs', '?')} inputs · {_e(c.get('group', ''))}</p>")
        rows = []
        for m in c["methods"]:
            w = m.get("worst") or {}
            where = (f"{w.get('block', '')}{list(w.get('index', []))}" if w else "")
            rows.append(f"<tr><td>{_e(m['method'])}</td><td class='{_e(m['status'])}'>"
                        f"{_e(m['status'])}</td><td>{_e(m.get('reference') or '')}</td>"
                        f"<td>{_e(_fmt(m.get('max_rel', '')))}</td><td>{_e(where)}</td>"
                        f"<td>{_e(_fmt(w.get('value', '')))}</td>"
                        f"<td>{_e(_fmt(w.get('reference_value', '')))}</td>"
                        f"<td>{_e(m.get('reason', ''))}</td></tr>")
        worst = _worst(c["methods"])
        if worst is not None:
            out.append(f"<p>worst entry: <b>{_e(worst['method'])}</b> at "
                       f"{_e(worst['worst'].get('block', ''))}"
                       f"{_e(list(worst['worst'].get('index', [])))}, relative difference "
                       f"{_e(_fmt(worst['max_rel']))}</p>")
        out.append("<table><tr><th>method</th><th>status</th><th>reference</th><th>max rel</th>"
                   "<th>worst entry</th><th>value</th><th>reference value</th><th>why</th></tr>"
                   + "".join(rows) + "</table>")
        sweep = c.get("sweep")
        srows = sweep_rows(sweep) if sweep else []
        if srows and not _drawable(sweep):
            out.append("<p>error vs step: the forward and central differences are exact at "
                       "every step (the function is linear along x[0] near the point)</p>")
        elif srows:
            img = curve_image(c["name"], sweep, size=(4.0, 2.8))
            out.append(img or f"<p class='hint'>{_e(PLOT_HINT)}</p>")
            out.append("<details><summary>error vs step, the numbers (∂/∂x[0])</summary>"
                       "<table class='sweep'><tr><th>h</th><th>|forward − ref|</th>"
                       "<th>|central − ref|</th></tr>" + "".join(
                           f"<tr><td>{h:.1e}</td><td>{ef:.2e}</td><td>{ec:.2e}</td></tr>"
                           for h, ef, ec in srows) + "</table></details>")
        if c["name"] in graphs:
            out.append("<details open><summary>the graph of the evaluation (values and "
                       "adjoints on the nodes, local partials on the edges)</summary>"
                       f"{graphs[c['name']]}</details>")
        out.append("</section>")
    return out


def case_graphs(cases: Sequence[Any], max_nodes: int = GRAPH_MAX_NODES) -> dict[str, str]:
    """Inline SVG graphs of the cases whose evaluation is small (at most ``max_nodes`` tape
    entries; a scalar output also gets its adjoints), by case name. Empty without the plot
    extra."""
    if _figure_modules() is None:
        return {}
    out = {}
    for case in cases:
        f, x0 = getattr(case, "f", None), getattr(case, "x", None)
        if f is None or x0 is None:     # a user case holds a pytree: it is drawn by its own
            continue                    # report section's numbers only
        try:
            with dn.Tape() as tape:
                x = tape.var(np.asarray(x0, dtype=float), "x")
                y = f(x)
            if not isinstance(y, dn.TapeVar) or len(tape.entries) > max_nodes:
                continue
            if np.ndim(y.value) == 0:
                tape.gradient(y, [x])
            svg = tape.graph(y).to_svg(max_nodes=max_nodes)
        except Exception:  # noqa: BLE001 - a picture is optional: a case the tape cannot
            continue       # record as one variable (the engine reports its errors) gets none
        out[case.name] = svg[svg.index("<svg"):]
    return out
