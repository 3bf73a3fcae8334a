"""The HTML report explains itself: a legend for every colour, every case's error curve,
one section per case with its worst entry and (small cases) the graph, no network needed."""
from __future__ import annotations

import re
import sys

import pytest

from dualnum.comparisons import engine
from dualnum.comparisons.cases import select
from dualnum.comparisons.report import render
from dualnum.comparisons.report_html import _CSS
from dualnum.comparisons.report_html_cases import PLOT_HINT, case_graphs, legend_html
from dualnum.comparisons.results import report_to_dict
from dualnum.comparisons.schema import REPORT_SCHEMA

CASES = ["lepetit-f", "bradbury-graph", "relu-at-kink", "bradbury-chain"]


@pytest.fixture(scope="module")
def cases():
    return select(CASES)


@pytest.fixture(scope="module")
def page(cases):
    report = engine.run(cases, sweep_case="*", second_order=False)
    return render(report, "html", graphs=case_graphs(cases))


def _statuses() -> set[str]:
    """Every status a method or case can have, read from the report's JSON schema."""
    found: set[str] = set()

    def walk(node):
        if isinstance(node, dict):
            if "enum" in node and all(isinstance(v, str) for v in node["enum"]):
                found.update(node["enum"])
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)
    walk(REPORT_SCHEMA)
    return found


def test_the_legend_explains_every_status_and_its_colour():
    legend = legend_html()
    statuses = _statuses() & {"agree", "kink", "slip", "fail", "error", "refused", "skipped"}
    assert statuses >= {"agree", "kink", "fail"}
    for s in statuses:
        assert f"<td class='{s}'>" in legend, s          # the colour swatch
        assert re.search(rf"\.{s}[{{,]", _CSS), s           # that class has a style
    # kinks and slips are told apart by colour
    kink = re.search(r"\.kink\{background:([^}]+)\}", _CSS).group(1)
    slip = re.search(r"\.slip\{background:([^}]+)\}", _CSS).group(1)
    assert kink != slip


def test_every_case_has_a_section_with_source_formula_and_worst_entry(page):
    for name in CASES:
        m = re.search(rf"<section id='case-{re.escape(name)}'>(.*?)</section>", page, re.S)
        assert m, name
        body = m.group(1)
        assert "<th>worst entry</th>" in body
    lep = re.search(r"<section id='case-lepetit-f'>(.*?)</section>", page, re.S).group(1)
    assert "ln(x1) + x1·x2 − sin(x2) at (2, 5)" in lep and "Lepetit" in lep
    assert "worst entry: <b>" in lep


def test_every_case_with_a_curve_gets_one_and_small_cases_their_graph(page):
    pytest.importorskip("matplotlib")
    pytest.importorskip("networkx")
    multiples = page[page.index("<div class='multiples'>"):]
    multiples = multiples[:multiples.index("</div>")]
    # lepetit-f and bradbury-graph are curved; relu and 2·3x are linear: exact differences
    assert "alt='error vs step: lepetit-f'" in multiples
    assert "alt='error vs step: bradbury-graph'" in multiples
    assert "relu-at-kink" not in multiples
    assert "exact at every step" in page
    lep = re.search(r"<section id='case-lepetit-f'>(.*?)</section>", page, re.S).group(1)
    assert "<svg" in lep and "v̄" in lep                      # the graph, with adjoints


def test_the_page_needs_no_network(page):
    for attr in re.findall(r"(?:src|href)\s*=\s*['\"]([^'\"]+)", page):
        assert attr.startswith(("data:", "#")), attr
    assert "<link" not in page and "@import" not in page


def test_without_matplotlib_the_page_says_what_to_install(cases, monkeypatch):
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    report = engine.run(cases[:1], sweep_case="*", second_order=False)
    assert case_graphs(cases) == {}
    page = render(report, "html")
    assert "<img" not in page
    assert PLOT_HINT.split(":")[0] in page


def test_json_report_is_unchanged_by_the_html_sweeps(cases):
    data = report_to_dict(engine.run(cases[:1], sweep_case="lepetit-f", second_order=False))
    assert data["cases"][0]["sweep"]["steps"]


# whole-program checks (subprocesses, sympy, full reports): CI runs them, the quick loop
# (pytest -m "not slow") leaves them out
pytestmark = pytest.mark.slow
