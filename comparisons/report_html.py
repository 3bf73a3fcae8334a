"""HTML renderer of the comparison report (reads the report dict; one self-contained page).

Holds the summary, a legend of every colour and cell, the agreement matrix (method ×
reference: on how many cases they agree), the case × method table, "the notes vs the math",
the error-vs-step curves of every case as small multiples (forward and central differences —
truncation error falling as the step shrinks, then round-off rising — drawn with matplotlib
when the ``plot`` extra is installed, a one-line hint when not), and a section per case with its
formula, worst entries, curve and numbers, and the graph of small cases
(:mod:`~dualnum.comparisons.report_html_cases`). Self-contained: no network.

>>> "<table" in render_html({"summary": {"cases": 0, "methods": 0, "agreements": 0,
...     "kinks": 0, "failures": 0, "slips": 0, "refused": 0, "skipped": 0, "failed_cases": [],
...     "slowest_case": None, "time": 0.0}, "methods": [], "cases": [], "notes_vs_math": [],
...     "tolerances": {}})
True
"""

from __future__ import annotations

import html
import re

from .report_html_cases import case_sections, legend_html, small_multiples, sweep_rows
from .report_text import _sections, _summary_line, cell

__all__ = ["render_html", "html_fragment", "agreement_matrix", "sweep_rows"]

_CSS = """body{font-family:system-ui,sans-serif;margin:2em;color:#222}
table{border-collapse:collapse;margin:1em 0;font-size:13px}
td,th{border:1px solid #ccc;padding:3px 7px;text-align:left}
th{background:#f3f3f3}.agree{background:#e5f5e5}.kink{background:#fff4cc}
.slip{background:#f3e1f7}.fail,.error{background:#f9d0d0}.refused,.skipped{color:#888}
code{font-size:12px}.hint{color:#7a5b00}.legend td:first-child{width:6em}
.multiples{display:flex;flex-wrap:wrap;gap:4px}.multiples img{border:1px solid #eee}
section{border-top:1px solid #ddd;margin-top:1.5em}details svg{max-width:100%;height:auto}"""


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


def _e(text) -> str:
    return html.escape(str(text))


def render_html(data: dict, graphs: dict[str, str] | None = None) -> str:
    """The report as one HTML page (``graphs``: inline SVG by case name, for small cases).

    >>> from dualnum.comparisons.engine import run
    >>> from dualnum.comparisons.results import report_to_dict
    >>> page = render_html(report_to_dict(run([])))
    >>> page.startswith("<!doctype html>"), "Agreement matrix" in page
    (True, True)
    """
    return ("<!doctype html><html><head><meta charset='utf-8'><title>dualnum compare</title>\n"
            f"<style>{_CSS}</style></head><body>\n" + "\n".join(_body(data, graphs))
            + "\n</body></html>")


def html_fragment(data: dict, graphs: dict[str, str] | None = None) -> str:
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
            + "\n".join(_body(data, graphs)) + "\n</div>")


def _body(data: dict, graphs: dict[str, str] | None = None) -> list[str]:
    methods = data["methods"]
    out = ["<h1>dualnum compare</h1>",
           f"<p><b>{_e(_summary_line(data['summary']))}</b></p>", legend_html()]
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
    out += small_multiples(data)
    out += case_sections(data, graphs)
    return out
