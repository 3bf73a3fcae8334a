"""The report renders in every format, the JSON validates, and `dualnum compare` exits right."""

import base64
import json
import re
import subprocess
import sys

import pytest

from dualnum.cli import main
from dualnum.comparisons import engine
from dualnum.comparisons.cases import select
from dualnum.comparisons.case import Case
from dualnum.comparisons.report import FORMATS, render
from dualnum.comparisons.schema import REPORT_SCHEMA, validate

SMALL = ["lepetit-f", "relu-at-kink", "bradbury-delta-K4", "loss.frobenius_penalty",
         "network.jiang_dnn"]


@pytest.fixture(scope="module")
def report():
    return engine.run(select(SMALL), sweep_case="lepetit-f")


@pytest.mark.slow   # the shared report runs five cases with sympy (~4 s)
def test_every_format_renders(report):
    for fmt in FORMATS:
        text = render(report, fmt)
        assert "lepetit-f" in text and "network.jiang_dnn" in text
    text = render(report, "text")
    assert "The notes vs the math" in text and "bradbury-delta-K4" in text.split("notes vs")[1]
    assert "relu'(0) = 0" in text and "kink" in text
    assert "\033[" not in text and "\033[" in render(report, "text", colour=True)
    md = render(report, "markdown")
    assert md.startswith("# dualnum compare") and "| `lepetit-f` |" in md
    page = render(report, "html")
    assert "Agreement matrix" in page and "error vs step: lepetit-f" in page
    with pytest.raises(ValueError, match="unknown report format 'pdf'"):
        render(report, "pdf")


@pytest.mark.slow   # the shared report runs five cases with sympy (~4 s)
def test_json_validates_against_its_schema(report):
    data = json.loads(render(report, "json"))
    assert validate(data, REPORT_SCHEMA) == []
    assert data["summary"]["cases"] == len(SMALL)
    slips = {r["case"] for r in data["notes_vs_math"]}
    assert slips == {"bradbury-delta-K4", "loss.frobenius_penalty"}
    lep = next(c for c in data["cases"] if c["name"] == "lepetit-f")
    assert lep["sweep"] and len(lep["sweep"]["steps"]) == len(lep["sweep"]["central"])
    # the validator does catch schema violations
    broken = dict(data, summary=dict(data["summary"], cases="five"))
    assert validate(broken, REPORT_SCHEMA) == ["$.summary.cases: expected integer, got str"]
    del broken["cases"][0]["status"]
    assert "$.cases[0]: missing required key 'status'" in validate(broken, REPORT_SCHEMA)


@pytest.mark.slow   # the shared report runs five cases with sympy (~4 s)
def test_json_schema_is_also_valid_for_jsonschema(report):
    import jsonschema  # a test dependency ([test] extra), not one of the package's

    jsonschema.validate(json.loads(render(report, "json")), REPORT_SCHEMA)


@pytest.mark.slow   # the shared report runs five cases with sympy (~4 s)
def test_error_vs_step_curve_shows_truncation_then_roundoff(report):
    from dualnum.comparisons.report_html import sweep_rows

    lep = next(c for c in report.cases if c.name == "lepetit-f")
    assert lep.sweep["reference"] == pytest.approx(5.5, rel=1e-15)  # ∂f/∂x1 = 1/x1 + x2
    rows = sweep_rows(lep.sweep)
    # truncation: forward error ∝ h (f''/2 · h, f'' = −1/x1² = −¼), central ∝ h²
    h0, fwd0, cen0 = rows[0]
    assert fwd0 == pytest.approx(h0 / 8, rel=0.05)
    central = [r[2] for r in rows]
    best = central.index(min(central))
    assert 0 < best < len(rows) - 1  # a minimum inside: truncation left, round-off right
    assert central[0] > 100 * central[best] and central[-1] > 100 * central[best]


@pytest.mark.slow   # the shared report runs five cases with sympy (~4 s)
def test_html_draws_the_error_vs_step_curve_with_matplotlib(report):
    import matplotlib  # noqa: F401 - the [test] extra installs it; the package runs without

    page = render(report, "html")
    m = re.search(r"<img alt='error vs step: lepetit-f' src='data:image/png;base64,"
                  r"([A-Za-z0-9+/=]+)'", page)
    assert m, "no inline plot"
    png = base64.b64decode(m.group(1))
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 5000
    assert _sweep_table_rows(page, "lepetit-f") == 29     # the numbers are there too


def _sweep_table_rows(page: str, case: str) -> int:
    section = page[page.index(f"<section id='case-{case}'>"):]
    section = section[:section.index("</section>")]
    table = section[section.index("<table class='sweep'>"):]
    return table[:table.index("</table>")].count("<tr><td>")


@pytest.mark.slow   # the shared report runs five cases with sympy (~4 s)
def test_html_without_matplotlib_gives_the_table_and_a_hint(report, monkeypatch):
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # `import matplotlib` now fails
    page = render(report, "html")
    assert "<img" not in page
    assert "pip install &#x27;dualnum-toolkit[plot]&#x27;" in page
    assert _sweep_table_rows(page, "lepetit-f") == 29


def test_compare_exit_status_and_output_file(tmp_path, capsys):
    out = tmp_path / "r.json"
    assert main(["compare", "lepetit-f", "relu-at-kink", "--format", "json",
                 "--output", str(out)]) == 0
    data = json.loads(out.read_text())
    assert validate(data, REPORT_SCHEMA) == []
    assert main(["compare", "no-such-case"]) == 2
    assert "unknown case" in capsys.readouterr().err
    assert main(["compare", "lepetit-f", "--format", "pdf"]) == 2
    assert main(["compare", "lepetit-f", "--output", str(tmp_path / "no" / "dir.txt")]) == 2


def test_compare_exits_1_when_a_comparison_fails(monkeypatch, capsys):
    from dualnum.comparisons import cli

    bad = Case("wrong", "scalar→scalar", lambda x: x[0] ** 2, [3.0],
               hand=lambda x: [6.5], hand_label="a wrong formula")
    monkeypatch.setattr("dualnum.comparisons.cases.select", lambda names, cases=None: [bad])

    class Args:
        cases, format, output, sweep, no_second_order = [], "text", None, None, True

    assert cli.run_compare(Args()) == 1
    assert "FAIL" in capsys.readouterr().out


def test_cases_lists_the_catalogue_grouped(capsys):
    assert main(["cases"]) == 0
    out = capsys.readouterr().out
    assert "[params → loss]" in out and "network.transformer" in out and "lepetit-f" in out


@pytest.mark.slow
def test_full_catalogue_exits_0(tmp_path):
    # its speed is measured where speed targets live (benchmarks/), not by a wall-clock
    # assertion here: a busy CI machine must not turn a timing into a failure
    out = tmp_path / "all.json"
    proc = subprocess.run([sys.executable, "-m", "dualnum", "compare", "--format", "json",
                           "--output", str(out)], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    data = json.loads(out.read_text())
    assert validate(data, REPORT_SCHEMA) == []
    s = data["summary"]
    assert s["failures"] == 0 and s["cases"] >= 60
    skipped = [m["reason"] for c in data["cases"] for m in c["methods"]
               if m["method"] == "symbolic" and m["status"] == "skipped"]
    assert skipped and all(re.match(r"skipped: too large for symbolic \(\d+ ops\)", r)
                           for r in skipped), skipped


class _Stream:
    def __init__(self, tty):
        self.tty, self.text = tty, ""

    def isatty(self):
        return self.tty

    def write(self, s):
        self.text += s

    def flush(self):
        pass


def test_progress_line_on_a_terminal_and_one_line_elsewhere(monkeypatch):
    from dualnum.comparisons.cli import _colour_ok, _progress

    tty = _Stream(True)
    show = _progress(tty)
    for i, name in enumerate(["a", "b"]):
        show(i, 2, name)
    show(2, 2, "")
    # rewritten in place, then cleared, so the report starts on a clean line
    assert tty.text == "\r\033[K[1/2] a\r\033[K[2/2] b\r\033[K"
    pipe = _Stream(False)
    show = _progress(pipe)
    show(0, 1, "a")
    show(1, 1, "")
    assert pipe.text == "1 case compared\n"
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")
    assert _colour_ok(_Stream(True)) and not _colour_ok(_Stream(False))
    monkeypatch.setenv("TERM", "dumb")
    assert not _colour_ok(_Stream(True))
    monkeypatch.setenv("TERM", "xterm")
    monkeypatch.setenv("NO_COLOR", "1")
    assert not _colour_ok(_Stream(True))
