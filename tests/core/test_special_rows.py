"""The scipy.special rows of the table (rules/special.py) in the sweeps: each has sample
cases in specs.py, so every table-driven sweep (central differences, sympy, second order, the
reads column, the hot paths, nan semantics, broadcasting, complex) takes it in. Without scipy,
the sweeps leave them out, and this file says so by skipping with the reason.
"""
from __future__ import annotations

import pytest

from dualnum.rules import all_rules, get_rule
from dualnum.rules.special import FAMILY

from .specs import SCIPY_MISSING, SPECIAL_ROWS, all_cases, broadcast_cases, swept_rules


def test_the_family_is_the_special_rows():
    assert sorted(p.name for p in all_rules() if p.family == FAMILY) == sorted(SPECIAL_ROWS)


@pytest.mark.skipif(SCIPY_MISSING is not None, reason=SCIPY_MISSING or "")
def test_every_special_row_is_swept():
    covered = {c.prim for c in all_cases()}
    assert set(SPECIAL_ROWS) <= covered, sorted(set(SPECIAL_ROWS) - covered)
    assert {p.name for p in swept_rules()} == {p.name for p in all_rules()}
    multi = {c.prim for c in broadcast_cases()}
    assert {n for n in SPECIAL_ROWS if len(get_rule(n).partials) > 1} <= multi


@pytest.mark.skipif(SCIPY_MISSING is None, reason="scipy is installed: the rows are swept")
def test_without_scipy_the_sweeps_leave_the_rows_out():
    assert not {p.name for p in swept_rules()} & set(SPECIAL_ROWS)
    pytest.skip(SCIPY_MISSING)
