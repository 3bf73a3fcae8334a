"""Render a comparison report in one of the formats (one renderer per format, one data model).

>>> from dualnum.comparisons.results import Report
>>> print(render(Report([], {"cases": 0, "methods": 0, "agreements": 0, "kinks": 0,
...     "failures": 0, "slips": 0, "refused": 0, "skipped": 0, "failed_cases": [],
...     "slowest_case": None, "time": 0.0}, {}, []), "json").splitlines()[1])
  "schema_version": "1",
"""

from __future__ import annotations

import json

from .report_html import render_html
from .report_text import render_markdown, render_text
from .results import Report, report_to_dict

__all__ = ["FORMATS", "render"]

FORMATS = ("text", "markdown", "json", "html")


def render(report: Report, fmt: str = "text", colour: bool = False,
           graphs: dict[str, str] | None = None) -> str:
    """The report as text (optionally ANSI-coloured), Markdown, JSON or HTML (``graphs``:
    inline SVG of small cases' evaluations, by case name, for the HTML page).

    >>> from dualnum.comparisons.engine import run
    >>> render(run([]), "markdown").splitlines()[0]
    '# dualnum compare'
    """
    data = report_to_dict(report)
    if fmt == "text":
        return render_text(data, colour=colour)
    if fmt == "markdown":
        return render_markdown(data)
    if fmt == "json":
        return json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False)
    if fmt == "html":
        return render_html(data, graphs)
    raise ValueError(f"unknown report format {fmt!r}; expected one of {', '.join(FORMATS)}")
