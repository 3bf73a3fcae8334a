"""Terminal and Markdown renderers of the comparison report (both read the report dict).

The main table is case × method: each cell holds the method's worst relative error against its
reference when it agrees, else its status (``kink``, ``slip``, ``FAIL``, ``n/a`` refused,
``skip`` over budget). Sections follow: failures with their location, kinks with the
convention used, references refused or skipped and why, "the notes vs the math", the notes'
printed numbers, and the summary.

>>> "0 cases · 0 method runs" in render_text({"summary": {"cases": 0, "methods": 0,
...     "agreements": 0, "kinks": 0, "failures": 0, "slips": 0, "refused": 0, "skipped": 0,
...     "failed_cases": [],
...     "slowest_case": None, "time": 0.0}, "methods": [], "cases": [], "notes_vs_math": [],
...     "tolerances": {}})
True
"""

from __future__ import annotations

from .report_slips import SECTION as SLIP_SECTION
from .report_slips import slip_lines
from .results import USER_GROUP

__all__ = ["render_text", "render_markdown", "cell", "SHORT"]

SHORT = {"forward": "fwd", "reverse": "rev", "hand": "hand", "symbolic": "sym",
         "complex-step": "cstep", "richardson": "richard", "central": "central"}
_COLOURS = {"agree": "32", "kink": "33", "slip": "35", "fail": "31", "error": "31",
            "refused": "2", "skipped": "2"}


def cell(m: dict | None) -> str:
    """The table cell of one method result.

    >>> cell({"status": "agree", "max_rel": 2.2e-16}), cell({"status": "fail", "max_rel": 5e-4})
    ('2e-16', 'FAIL 5e-04')
    """
    if m is None:
        return ""
    st = m["status"]
    if m.get("method") == "hand" and st == "skipped":
        return "—"  # the notes give no hand-derived formula for this case
    if st == "agree":
        rel = m.get("max_rel")
        return "0" if rel in (0, 0.0) else (f"{rel:.0e}" if isinstance(rel, float) else str(rel))
    rel = m.get("max_rel")
    err = f" {rel:.0e}" if isinstance(rel, float) else ""
    return {"kink": "kink", "slip": "slip" + err, "fail": "FAIL" + err, "error": "ERROR",
            "refused": "n/a", "skipped": "skip"}.get(st, st)


def _second(case: dict) -> dict | None:
    so = case.get("second_order") or []
    if not so:
        return None
    worst = max(so, key=lambda m: ["agree", "kink", "fail", "error"].index(m["status"])
                if m["status"] in ("agree", "kink", "fail", "error") else 0)
    return worst


def count(n: int, word: str) -> str:
    """``n`` and ``word``, plural unless n is 1: ``count(1, "case") == '1 case'``."""
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _summary_line(s: dict) -> str:
    return (f"{count(s['cases'], 'case')} · {count(s['methods'], 'method run')} · "
            f"{s['agreements']} agree · {count(s['kinks'], 'kink')} · "
            f"{count(s['slips'], 'slip')} · {count(s['failures'], 'failure')} · "
            f"{s['refused']} refused · {s['skipped']} skipped")


def _sections(data: dict) -> list[tuple[str, list[str]]]:
    """The report's sections after the table, as (title, lines) — shared by both formats."""
    fails, kinks, skipped, worked = [], [], [], []
    for c in data["cases"]:
        for m in c["methods"] + c["second_order"]:
            if m["status"] in ("fail", "error"):
                fails.append(f"{c['name']} · {m['method']} vs {m['reference'] or '—'}: "
                             f"{m['reason']}")
            elif m["status"] in ("refused", "skipped") and m["method"] != "hand":
                skipped.append(f"{c['name']} · {m['method']}: {m['reason']}")
        for k in c["kinks"]:
            kinks.append(f"{c['name']}: {k['op']} at element(s) {k['elements']} — "
                         f"convention {k['convention']}")
        for w in c["worked"]:
            mark = "ok" if w["ok"] else "NOT REPRODUCED"
            got = "—" if w["got"] is None else f"{w['got']:.{max(w['decimals'], 0) + 3}f}"
            worked.append(f"{c['name']}: {w['label']} — notes {w['expected']}, "
                          f"computed {got} ({mark})")
    notes = [f"{r['case']} ({r['source']}): {r['formula']} — {r['status']}"
             + (f", off by {r['max_rel']:.2g} (relative)" if isinstance(r["max_rel"], float)
                else "") + f"; {r['reason']}" for r in data["notes_vs_math"]]
    s = data["summary"]
    slow = s.get("slowest_case")
    summary = [_summary_line(s)]
    if slow:
        summary.append(f"slowest case: {slow['name']} ({slow['time']:.2f} s); "
                       f"total {s['time']:.1f} s")
    summary.append("tolerances (rtol): " + ", ".join(f"{k} {v:g}"
                                                     for k, v in data["tolerances"].items()))
    return [("Failures", fails), (SLIP_SECTION, slip_lines(data)), ("Points on a kink", kinks),
            ("The notes vs the math", notes or (
                ["the notes' formulas agree with the references"]
                if any(c["group"] != USER_GROUP for c in data["cases"]) else [])),
            ("Worked numbers from the notes", worked),
            ("References refused or skipped", skipped), ("Summary", summary)]


def render_text(data: dict, colour: bool = False) -> str:
    """The terminal report (ANSI colours when ``colour``).

    >>> from dualnum.comparisons.engine import run
    >>> from dualnum.comparisons.results import report_to_dict
    >>> render_text(report_to_dict(run([]))).splitlines()[0].split()
    ['case', 'status', 'fwd', 'rev', 'hand', 'sym', 'cstep', 'richard', 'central', '2nd', 'time']
    """
    methods = data["methods"]
    heads = ["case", "status"] + [SHORT.get(m, m) for m in methods] + ["2nd", "time"]
    rows = []
    for c in data["cases"]:
        by = {m["method"]: m for m in c["methods"]}
        so = _second(c)
        rows.append([(c["name"], None), (c["status"], c["status"])]
                    + [(cell(by.get(m)), by[m]["status"] if m in by else None) for m in methods]
                    + [(cell(so) if so else "—", so["status"] if so else None),
                       (f"{c['time']:.2f}s", None)])
    widths = [max([len(h)] + [len(r[i][0]) for r in rows]) for i, h in enumerate(heads)]

    def paint(text: str, status: str | None, width: int) -> str:
        padded = text.ljust(width)
        if colour and status in _COLOURS:
            return f"\033[{_COLOURS[status]}m{padded}\033[0m"
        return padded

    out = ["  ".join(h.ljust(w) for h, w in zip(heads, widths, strict=True)),
           "  ".join("-" * w for w in widths)]
    group = None
    for c, r in zip(data["cases"], rows, strict=True):
        if c["group"] != group:
            group = c["group"]
            out.append(f"[{group}]")
        out.append("  ".join(paint(t, st, w) for (t, st), w in zip(r, widths, strict=True)))
    out.append("cells: worst relative error vs the best other reference; kink = point on a "
               "kink (convention differs), slip = the notes' formula as written, n/a = refused, "
               "skip = over the symbolic budget")
    for title, lines in _sections(data):
        if lines:
            out += ["", title, "-" * len(title)] + [f"  {ln}" for ln in lines]
    return "\n".join(out)


def render_markdown(data: dict) -> str:
    """The report as GitHub-flavoured Markdown.

    >>> from dualnum.comparisons.engine import run
    >>> from dualnum.comparisons.results import report_to_dict
    >>> render_markdown(report_to_dict(run([]))).splitlines()[4].split(" | ")[:5]
    ['| case', 'group', 'status', 'forward', 'reverse']
    """
    methods = data["methods"]
    out = ["# dualnum compare", "", f"**{_summary_line(data['summary'])}**", "",
           "| case | group | status | " + " | ".join(methods) + " | 2nd order |",
           "|---|---|---|" + "---|" * len(methods) + "---|"]
    for c in data["cases"]:
        by = {m["method"]: m for m in c["methods"]}
        so = _second(c)
        cells = [cell(by.get(m)) for m in methods]
        out.append(f"| `{c['name']}` | {c['group']} | {c['status']} | " + " | ".join(cells)
                   + f" | {cell(so) if so else '—'} |")
    for title, lines in _sections(data):
        if lines:
            out += ["", f"## {title}", ""] + [f"- {ln}" for ln in lines]
    return "\n".join(out) + "\n"
