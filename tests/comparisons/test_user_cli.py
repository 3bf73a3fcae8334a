"""`dualnum compare FILE.py` (and FILE.py::NAME, module:name): the cases a user's file
registers, every format, the same exit codes; a file that cannot give cases is one line on
stderr and exit 2, never a traceback."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from dualnum.cli import main
from dualnum.comparisons.schema import REPORT_SCHEMA, validate

ROOT = Path(__file__).resolve().parents[2]

GOOD = """
import numpy as np
import dualnum.numpy as dnp
from dualnum.comparisons import case

W = np.array([[0.3, -0.4], [1.1, 0.2]])

def loss(p):
    return dnp.sum(dnp.tanh(p["W"] @ np.array([1.0, 2.0])) ** 2)

def grad(p):
    t = np.tanh(p["W"] @ np.array([1.0, 2.0]))
    return {"W": np.outer(2 * t * (1 - t ** 2), [1.0, 2.0])}

case(loss, at={"W": W}, hand=grad, name="good")
"""

BAD = GOOD + """
case(loss, at={"W": W}, hand=lambda p: {"W": -grad(p)["W"]}, name="bad")
"""


def _write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return str(path)


def _run(args, capsys):
    status = main(["compare", *args, "--no-second-order"])
    out, err = capsys.readouterr()
    return status, out, err


def test_a_file_of_correct_cases_exits_0(tmp_path, capsys):
    status, out, err = _run([_write(tmp_path, "good.py", GOOD)], capsys)
    assert status == 0, err
    assert "good" in out and "[your cases]" in out and "Traceback" not in err


def test_a_wrong_gradient_exits_1_with_the_slip_named(tmp_path, capsys):
    status, out, _ = _run([_write(tmp_path, "bad.py", BAD)], capsys)
    assert status == 1
    assert "bad · W (2×2): 4 of 4 entries wrong" in out and "sign flipped" in out


def test_path_colon_colon_name_runs_one_case(tmp_path, capsys):
    path = _write(tmp_path, "bad.py", BAD)
    status, out, _ = _run([path + "::good"], capsys)
    assert status == 0 and "bad ·" not in out


@pytest.mark.parametrize("fmt", ["json", "markdown", "html"])
def test_every_format(tmp_path, capsys, fmt):
    status, out, _ = _run([_write(tmp_path, "bad.py", BAD), "--format", fmt], capsys)
    assert status == 1
    if fmt == "json":
        data = json.loads(out)
        assert validate(data, REPORT_SCHEMA) == []
        (check,) = [c["hand_check"] for c in data["cases"] if c["name"] == "bad"]
        assert check["blocks"][0]["kind"] == "sign"
    else:
        assert "sign flipped" in out


def test_module_colon_name(tmp_path, capsys, monkeypatch):
    _write(tmp_path, "my_user_model14.py", BAD)
    monkeypatch.syspath_prepend(str(tmp_path))
    status, out, _ = _run(["my_user_model14:good"], capsys)
    assert status == 0 and "good" in out
    status, out, _ = _run(["my_user_model14:"], capsys)
    assert status == 1 and "sign flipped" in out


@pytest.mark.parametrize("name, text, message", [
    ("missing.py", None, "missing.py: no such file"),
    ("syntax.py", "x = (\n", "syntax.py, line 1: SyntaxError: '(' was never closed"),
    ("empty.py", "import numpy\n", "empty.py: registers no case"),
    ("raises.py", "import numpy\n\n\ndef g():\n    return {}['k']\n\n\ng()\n",
     "raises.py, line 5: KeyError: 'k' (while loading"),
    ("exits.py", "import sys\nsys.exit('bye')\n", "exits.py, line 2: SystemExit: bye"),
])
def test_a_file_that_cannot_give_cases_is_one_line_and_exit_2(tmp_path, capsys, name, text,
                                                              message):
    path = tmp_path / name
    if text is not None:
        path.write_text(text, encoding="utf-8")
    status, out, err = _run([str(path)], capsys)
    assert status == 2 and out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1 and message in lines[0] and "Traceback" not in err
    assert lines[0].startswith("dualnum compare: error: ")


def test_unknown_case_in_a_file_lists_its_cases(tmp_path, capsys):
    status, _, err = _run([_write(tmp_path, "bad.py", BAD) + "::nope"], capsys)
    assert status == 2 and "no case named 'nope' (its cases: good, bad)" in err


def test_a_non_scalar_case_is_one_line(tmp_path, capsys):
    text = GOOD.replace('name="good"', 'name="good")\ncase(lambda p: p["W"] * 2, at={"W": W}, '
                                       'name="vec"')
    status, _, err = _run([_write(tmp_path, "vec.py", text)], capsys)
    assert status == 2 and "case 'vec': f returns an array of shape (2, 2), not a real " \
                           "scalar" in err


def test_help_says_loading_runs_the_file():
    proc = subprocess.run([sys.executable, "-m", "dualnum", "compare", "--help"], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0
    text = " ".join(proc.stdout.split())
    assert "LOADING THE FILE RUNS ITS CODE" in text and "FILE.py::NAME" in text


# whole-program checks (subprocesses, sympy, full reports): CI runs them, the quick loop
# (pytest -m "not slow") leaves them out
pytestmark = pytest.mark.slow
