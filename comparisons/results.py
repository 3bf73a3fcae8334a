"""The report's data model: what the engine measured, case by case (renderers only read this).

Plain dataclasses; :func:`report_to_dict` gives the JSON form described by
:data:`dualnum.comparisons.schema.REPORT_SCHEMA`.

>>> r = MethodResult("forward", "agree", reference="symbolic", max_abs=0.0, max_rel=0.0)
>>> r.to_dict()["status"]
'agree'
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

__all__ = [
    "STATUSES",
    "BlockError",
    "Location",
    "MethodResult",
    "CaseResult",
    "Report",
    "report_to_dict",
]

#: every status a method or case can have, in order of severity for a case's overall status
STATUSES = ("agree", "skipped", "refused", "slip", "kink", "error", "fail")


@dataclass
class BlockError:
    """Worst absolute and (block-normwise) relative error of one parameter block."""

    name: str
    max_abs: float
    max_rel: float


@dataclass
class Location:
    """The worst entry: output index, input block and index inside the block, both values."""

    output: list
    block: str
    index: list
    value: float
    reference_value: float


@dataclass
class MethodResult:
    """One method on one case, compared with its reference (the best other one available)."""

    method: str
    status: str
    reason: str = ""
    reference: str = ""
    max_abs: float | None = None
    max_rel: float | None = None
    rtol: float | None = None
    time: float = 0.0
    blocks: list = field(default_factory=list)
    worst: Location | None = None

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class CaseResult:
    """Everything measured on one case."""

    name: str
    group: str
    source: str
    description: str
    n_inputs: int
    out_shape: list
    status: str
    methods: list = field(default_factory=list)
    matrix: dict = field(default_factory=dict)
    second_order: list = field(default_factory=list)
    kinks: list = field(default_factory=list)
    worked: list = field(default_factory=list)
    hand_label: str = ""
    literal: bool = False
    time: float = 0.0
    sweep: dict | None = None

    def method(self, name: str) -> MethodResult | None:
        for m in self.methods:
            if m.method == name:
                return m
        return None


@dataclass
class Report:
    """A whole run: the cases, the summary, and the tolerances used."""

    cases: list
    summary: dict
    tolerances: dict
    methods: list
    version: str = "1"


def report_to_dict(report: Report) -> dict:
    """The JSON-ready dict of a report (see :data:`dualnum.comparisons.schema.REPORT_SCHEMA`).

    >>> report_to_dict(Report([], {"cases": 0}, {}, []))["schema_version"]
    '1'
    """
    return {
        "schema_version": report.version,
        "summary": report.summary,
        "tolerances": report.tolerances,
        "methods": list(report.methods),
        "cases": [asdict(c) for c in report.cases],
    }
