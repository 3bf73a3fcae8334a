"""The pytest plugin: --dualnum-cases FILE turns each case into a test item whose failure
message is the report's table; the dualnum_compare fixture does the same inside a test."""

from __future__ import annotations

import textwrap

pytest_plugins = ["pytester"]

MODEL = """
import numpy as np
import dualnum.numpy as dnp
from dualnum.comparisons import case

x = np.array([1.0, -2.0])
W = np.array([[0.3, 0.5], [-0.2, 0.8]])

def loss(p):
    return dnp.sum(dnp.sin(p["W"] @ x))

def right(p):
    return {"W": np.outer(np.cos(p["W"] @ x), x)}

def halved(p):
    return {"W": 0.5 * right(p)["W"]}

case(loss, at={"W": W}, hand=right, name="right")
case(loss, at={"W": W}, hand=halved, name="halved")
"""

PLUGIN = ("-p", "dualnum.comparisons.pytest_plugin", "-p", "no:cacheprovider")


def test_each_case_is_an_item_and_a_failure_shows_the_table(pytester):
    pytester.makepyfile(my_model=textwrap.dedent(MODEL))
    result = pytester.runpytest(*PLUGIN, "--dualnum-cases", "my_model.py",
                                "--dualnum-no-second-order", "-v")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines([
        "*my_model.py::right PASSED*",
        "*my_model.py::halved FAILED*",
        "*halved: W: a constant factor ×1/2*",
        "*halved · W (2×2): 4 of 4 entries wrong; worst W*",
    ])
    assert "Traceback" not in result.stdout.str()


def test_one_case_by_name_and_a_file_that_does_not_load(pytester):
    pytester.makepyfile(my_model=textwrap.dedent(MODEL))
    result = pytester.runpytest(*PLUGIN, "--dualnum-cases", "my_model.py::right",
                                "--dualnum-cases", "nowhere.py", "--dualnum-no-second-order")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(["*nowhere.py: no such file*"])


def test_the_fixture(pytester):
    pytester.makepyfile(my_model=textwrap.dedent(MODEL))
    pytester.makepyfile(test_mine=textwrap.dedent("""
        def test_right(dualnum_compare):
            report = dualnum_compare("my_model.py::right", second_order=False)
            assert report.ok and report.cases[0].name == "right"

        def test_halved(dualnum_compare):
            dualnum_compare("my_model.py::halved", second_order=False)
    """))
    result = pytester.runpytest(*PLUGIN, "test_mine.py")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(["*halved: W: a constant factor ×1/2*"])
