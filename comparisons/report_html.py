"""HTML renderer of the comparison report (reads the report dict; one self-contained page).

Holds the summary, the agreement matrix (method × reference: on how many cases they agree),
the case × method table, "the notes vs the math", and for the chosen case the error-vs-step
curve of the forward and central differences — truncation error falling as the step shrinks,
then round-off rising — drawn with matplotlib when the ``plot`` extra is installed, and always
given as a table.

>>> "<table" in render_html({"summary": {"cases": 0, "methods": 0, "agreements": 0,
...     "kinks": 0, "failures": 0, "slips": 0, "refused": 0, "skipped": 0, "failed_cases": [],
...     "slowest_case": None, "time": 0.0}, "methods": [], "cases": [], "notes_vs_math": [],
...     "tolerances": {}})
True
"""

from __future__ import annotations

import base64
import html
import io
import math
import re

from .report_text import _sections, _summary_line, cell

__all__ = ["render_html", "html_fragment", "agreement_matrix", "sweep_rows"]

_CSS = """body{font-family:system-ui,sans-serif;margin:2em;color:#222}
table{border-collapse:collapse;margin:1em 0;font-size:13px}
td,th{border:1px solid #ccc;padding:3px 7px;text-align:left}
th{background:#f3f3f3}.agree{background:#e5f5e5}.kink{background:#fff4cc}
.slip{background:#f3e1f7}.fail,.error{background:#f9d0d0}.refused,.skipped{color:#888}
code{font-size:12px}"""


def agreement_matrix(data: dict) -> tuple[list, list, dict]:
    """``(rows, cols, counts)``: for every pair (method, reference) the number of cases where
    the method agrees with that reference (within the looser tolerance) over those where both
    ran. Reads the per-case ``matrix`` of relative differences.

    >>> agreement_matrix({"methods": ["forward", "central"], "tolerances":
    ...     {"forward": 1e-12, "central": 1e-6}, "cases": [{"matrix": {"forward":
    ...     {"central": 1e-8}}}]})[2][("forward", "central")]
    (1, 1)
    """
    methods = data["methods"]
    tol = data["tolerances"]
    counts: dict = {}
    for a in methods:
        for b in methods:
            agree = total = 0
            for c in data["cases"]:
                rel = c.get("matrix", {}).get(a, {}).get(b)
                if rel is None or a == b:
                    continue
                total += 1
                limit = 2.0 * max(tol.get(a, 1e-6), tol.get(b, 1e-6))
                if isinstance(rel, (int, float)) and rel <= limit:
                    agree += 1
            counts[(a, b)] = (agree, total)
    return methods, methods, counts


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


def _plot(rows: list, title: str) -> str:
    """An inline PNG of the sweep, or "" when matplotlib is not installed.

    >>> _plot([(0.1, 1e-2, 1e-4), (0.01, 1e-3, 1e-6)], "t").startswith(("<img", ""))
    True
    """
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return ""
    # an exact hit (error 0, a lucky rounding at some tiny h) has no place on a log axis: it is
    # left out (a gap in the line) rather than drawn as a dip to an invented floor
    nan = float("nan")
    fig, ax = plt.subplots(figsize=(6, 4))
    hs = [r[0] for r in rows]
    ax.loglog(hs, [r[1] if r[1] > 0 else nan for r in rows], "o-", label="forward difference")
    ax.loglog(hs, [r[2] if r[2] > 0 else nan for r in rows], "s-", label="central difference")
    ax.set_xlabel("step h")
    ax.set_ylabel("|error|")
    ax.set_title(title)
    ax.legend()
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=90, bbox_inches="tight")
    plt.close(fig)
    return f'<img alt="error vs step" src="data:image/png;base64,' \
           f'{base64.b64encode(buf.getvalue()).decode()}">'


def _e(text) -> str:
    return html.escape(str(text))


def render_html(data: dict) -> str:
    """The report as one HTML page.

    >>> from dualnum.comparisons.engine import run
    >>> from dualnum.comparisons.results import report_to_dict
    >>> page = render_html(report_to_dict(run([])))
    >>> page.startswith("<!doctype html>"), "Agreement matrix" in page
    (True, True)
    """
    return ("<!doctype html><html><head><meta charset='utf-8'><title>dualnum compare</title>\n"
            f"<style>{_CSS}</style></head><body>\n" + "\n".join(_body(data))
            + "\n</body></html>")


def html_fragment(data: dict) -> str:
    """The page's content as one ``<div>`` with its styles scoped to it (a notebook's
    ``Report._repr_html_``: the same tables, without restyling the notebook).

    >>> from dualnum.comparisons.engine import run
    >>> from dualnum.comparisons.results import report_to_dict
    >>> frag = html_fragment(report_to_dict(run([])))
    >>> frag.startswith("<div class='dualnum-report'>"), "Agreement matrix" in frag
    (True, True)
    """
    rules = []
    for sel, body in re.findall(r"([^{}]+)\{([^{}]*)\}", _CSS):
        sel = ",".join(".dualnum-report" if s.strip() == "body" else
                       f".dualnum-report {s.strip()}" for s in sel.split(","))
        rules.append(f"{sel}{{{body}}}")
    return ("<div class='dualnum-report'><style>" + "\n".join(rules) + "</style>\n"
            + "\n".join(_body(data)) + "\n</div>")


def _body(data: dict) -> list[str]:
    methods = data["methods"]
    out = ["<h1>dualnum compare</h1>",
           f"<p><b>{_e(_summary_line(data['summary']))}</b></p>"]
    rows, cols, counts = agreement_matrix(data)
    out.append("<h2>Agreement matrix</h2><p>cases where the row method agrees with the column "
               "method / cases where both ran</p><table><tr><th></th>"
               + "".join(f"<th>{_e(c)}</th>" for c in cols) + "</tr>")
    for r in rows:
        tds = []
        for c in cols:
            agree, total = counts[(r, c)]
            klass = "" if total == 0 else ("agree" if agree == total else "kink")
            tds.append(f"<td class='{klass}'>{'—' if r == c else f'{agree}/{total}'}</td>")
        out.append(f"<tr><th>{_e(r)}</th>{''.join(tds)}</tr>")
    out.append("</table>")
    out.append("<h2>Cases</h2><table><tr><th>case</th><th>group</th><th>status</th>"
               + "".join(f"<th>{_e(m)}</th>" for m in methods)
               + "<th>2nd order</th><th>time</th></tr>")
    for c in data["cases"]:
        by = {m["method"]: m for m in c["methods"]}
        tds = "".join(
            f"<td class='{by[m]['status']}' title='{_e(by[m]['reason'])}'>{_e(cell(by[m]))}</td>"
            if m in by else "<td></td>" for m in methods)
        so = c["second_order"]
        worst = next((m for m in so if m["status"] != "agree"), so[0] if so else None)
        so_td = (f"<td class='{worst['status']}'>{_e(cell(worst))}</td>" if worst
                 else "<td>—</td>")
        out.append(f"<tr><td title='{_e(c['description'])}'><code>{_e(c['name'])}</code></td>"
                   f"<td>{_e(c['group'])}</td><td class='{c['status']}'>{_e(c['status'])}</td>"
                   f"{tds}{so_td}<td>{c['time']:.2f}s</td></tr>")
    out.append("</table>")
    for title, lines in _sections(data):
        if lines:
            out.append(f"<h2>{_e(title)}</h2><ul>"
                       + "".join(f"<li>{_e(ln)}</li>" for ln in lines) + "</ul>")
    for c in data["cases"]:
        sweep = c.get("sweep")
        if not sweep:
            continue
        srows = sweep_rows(sweep)
        title = f"error vs step: {c['name']}, ∂/∂x[0]"
        out.append(f"<h2>{_e(title)}</h2><p>truncation error shrinks with h (forward ∝ h, "
                   "central ∝ h²) until round-off (∝ ε/h) takes over</p>")
        out.append(_plot(srows, title))
        out.append("<table><tr><th>h</th><th>|forward − ref|</th><th>|central − ref|</th></tr>")
        for h, ef, ec in srows:
            out.append(f"<tr><td>{h:.1e}</td><td>{_fmt(ef)}</td><td>{_fmt(ec)}</td></tr>")
        out.append("</table>")
    return out


def _fmt(v: float) -> str:
    return f"{v:.2e}" if math.isfinite(v) else str(v)
