"""pytest plugin: your registered cases as test items, and a ``dualnum_compare`` fixture.

Installed with the package (entry point ``pytest11``), or loaded with
``-p dualnum.comparisons.pytest_plugin``:

* ``pytest --dualnum-cases my_model.py`` (repeatable; also ``my_model.py::name`` and
  ``module:name``, as ``dualnum compare`` takes them) adds one test item per case the file
  registers; an item fails when the case does, with the report's table for that case — which
  block of your gradient is wrong and how — as its failure message. A file that cannot be
  loaded gives one failing item with the one-line reason. Loading the file runs its code.
* the fixture ``dualnum_compare(target_or_cases)`` runs :func:`dualnum.comparisons.compare` on
  a target string (a file, ``file.py::name``, ``module:name``), a case or a list of cases,
  fails the test with the table when anything disagrees, and returns the report otherwise::

      def test_my_backprop(dualnum_compare):
          dualnum_compare("my_model.py")

Every session of an environment with the package installed loads this module, so it imports
nothing of the comparison machinery until a case file is given or the fixture is used.
"""

from __future__ import annotations

from pathlib import Path

import pytest

__all__ = ["pytest_addoption", "pytest_collection_modifyitems", "dualnum_compare",
           "CaseFile", "CaseItem", "LoadErrorItem", "CaseFailed"]


class CaseFailed(Exception):
    """A user case disagreed; the message is the report's text for that case."""


def pytest_addoption(parser) -> None:
    group = parser.getgroup("dualnum", "dualnum: your own gradients against the references")
    group.addoption("--dualnum-cases", action="append", default=[], metavar="FILE",
                    help="run the cases FILE registers with dualnum.comparisons.case as test "
                         "items (FILE.py, FILE.py::NAME, MODULE:NAME; loading runs FILE's "
                         "code); repeatable")
    group.addoption("--dualnum-no-second-order", action="store_true", default=False,
                    help="skip Hessians and Hessian-vector products of the small cases")


def _report_text(report) -> str:
    """A headline per case (which blocks are wrong, and how), then the report's text."""
    # the renderers only when something is reported (see the module docstring)
    from dualnum.comparisons.report import render

    heads = []
    for c in report.cases:
        check = c.hand_check or {}
        slips = [f"{b['block']}: {b['diagnosis']}" for b in check.get("blocks", [])]
        if check.get("first_wrong_layer"):
            slips.append(f"the first wrong δ from the output is {check['first_wrong_layer']}")
        if slips:
            heads.append(f"{c.name}: " + "; ".join(slips))
        elif c.status == "fail":
            heads.append(f"{c.name}: " + "; ".join(f"{f['method']}: {f['reason']}"
                                                   for f in report.failures
                                                   if f["case"] == c.name))
    return "\n".join(heads + ["", render(report, "text")])


class CaseFile(pytest.File):
    """The file a ``--dualnum-cases`` target names: the parent of its items (their node ids
    read ``my_model.py::case_name``). Its items are made by the collection hook below."""

    def collect(self):
        return []


class CaseItem(pytest.Item):
    """One user case, compared by every method."""

    def __init__(self, *, case, second_order: bool = True, **kwargs):
        super().__init__(**kwargs)
        self.case = case
        self.second_order = second_order

    def runtest(self) -> None:
        from dualnum.comparisons.user_cases import compare  # imported on use (module doc)

        report = compare([self.case], second_order=self.second_order)
        if not report.ok:
            raise CaseFailed(_report_text(report))

    def repr_failure(self, excinfo, style=None):
        if isinstance(excinfo.value, CaseFailed):
            return str(excinfo.value)
        return super().repr_failure(excinfo, style=style)

    def reportinfo(self):
        return Path(self.case.file or self.path), max(self.case.line - 1, 0), \
            f"dualnum case {self.case.name}"


class LoadErrorItem(pytest.Item):
    """A ``--dualnum-cases`` target that could not be loaded: fails with the reason."""

    def __init__(self, *, message: str, **kwargs):
        super().__init__(**kwargs)
        self.message = message

    def runtest(self) -> None:
        raise CaseFailed(self.message)

    def repr_failure(self, excinfo, style=None):
        return str(excinfo.value)

    def reportinfo(self):
        return self.path, None, f"dualnum cases {self.name}: not loaded"


def pytest_collection_modifyitems(session, config, items) -> None:
    targets = config.getoption("dualnum_cases") or []
    if not targets:
        return
    from dualnum.comparisons.loader import UserFileError, load  # imported on use

    second = not config.getoption("dualnum_no_second_order")
    for target in targets:
        file = (target.split(".py::")[0] + ".py" if ".py::" in target
                else target if target.endswith(".py") else "")
        parent = session
        if file and Path(file).is_file():
            parent = CaseFile.from_parent(session, path=Path(file).resolve())
        try:
            cases = load(target)
        except UserFileError as exc:
            items.append(LoadErrorItem.from_parent(parent, name=target, message=str(exc)))
            continue
        for c in cases:
            items.append(CaseItem.from_parent(parent, name=c.name, case=c,
                                              second_order=second))


@pytest.fixture
def dualnum_compare():
    """``dualnum_compare(target_or_cases, **kwargs)``: compare, fail the test with the table
    on a disagreement, else return the report."""
    from dualnum.comparisons.loader import load  # imported on use (module doc)
    from dualnum.comparisons.user_cases import compare

    def run(what, **kwargs):
        if isinstance(what, str):
            cases = load(what)
        elif isinstance(what, (list, tuple)):
            cases = list(what)
        else:
            cases = [what]
        report = compare(cases, **kwargs)
        if not report.ok:
            pytest.fail(_report_text(report), pytrace=False)
        return report

    return run
