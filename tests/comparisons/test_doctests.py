"""Every docstring example in dualnum.comparisons runs and prints what it says."""

import doctest
import importlib

import pytest

MODULES = ["case", "cases", "cases_notes", "check", "cli", "diff_cmd", "diff_render", "engine",
           "finite_differences", "references", "report", "report_html", "report_text",
           "results", "schema", "symbolic_reference", "tape_inspect",
           "check_user", "layers", "loader", "probe", "report_slips", "slips", "user_cases"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(f"dualnum.comparisons.{name}")
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
    assert result.attempted > 0
