"""The report's data model: what the engine measured, case by case (renderers only read this).

Plain dataclasses; :func:`report_to_dict` gives the JSON form described by
:data:`dualnum.comparisons.schema.REPORT_SCHEMA`.

>>> r = MethodResult("forward", "agree", reference="symbolic", max_abs=0.0, max_rel=0.0)
>>> r.to_dict()["status"]
'agree'
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass, field

__all__ = [
    "STATUSES",
    "USER_GROUP",
    "BlockError",
    "Location",
    "MethodResult",
    "CaseResult",
    "Report",
    "notes_vs_math",
    "report_to_dict",
]

#: the group of the cases users register (``dualnum.comparisons.case``): their hand gradients
#: are the user's, not the notes', so "the notes vs the math" leaves them out
USER_GROUP = "your cases"

#: every status a method or case can have, in order of severity for a case's overall status
STATUSES = ("agree", "skipped", "refused", "slip", "kink", "error", "fail")


@dataclass
class BlockError:
    """Worst absolute and (block-normwise) relative error of one parameter block.

    >>> BlockError("W1", 2e-16, 1e-16).max_rel
    1e-16
    """

    name: str
    max_abs: float
    max_rel: float


@dataclass
class Location:
    """The worst entry: output index, input block and index inside the block, both values.

    >>> loc = Location([], "W", [1, 0], 0.6445, 0.6442)
    >>> f"{loc.block}{loc.index}"
    'W[1, 0]'
    """

    output: list
    block: str
    index: list
    value: float
    reference_value: float


@dataclass
class MethodResult:
    """One method on one case, compared with its reference (the best other one available).

    >>> MethodResult("complex-step", "refused", "complex step: f passes through abs").reference
    ''
    """

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
        """A plain dict (nested dataclasses too), as written to the JSON report.

        >>> MethodResult("forward", "agree", worst=Location([], "x", [0], 1.0, 1.0)).to_dict()[
        ...     "worst"]["block"]
        'x'
        """
        return asdict(self)


@dataclass
class CaseResult:
    """Everything measured on one case.

    >>> r = CaseResult("lepetit-f", "vector→scalar", "", "", 2, [], "agree",
    ...                methods=[MethodResult("forward", "agree")])
    >>> r.method("forward").status, r.method("hand") is None
    ('agree', True)
    """

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
    #: user cases whose hand gradient is wrong or returns deltas: the slip, block by block
    #: and layer by layer (see comparisons/user_cases.py); None elsewhere
    hand_check: dict | None = None

    def method(self, name: str) -> MethodResult | None:
        """The result of method ``name`` on this case, or ``None`` if it was not run.

        >>> CaseResult("c", "g", "", "", 1, [], "agree").method("forward") is None
        True
        """
        for m in self.methods:
            if m.method == name:
                return m
        return None


@dataclass
class Report:
    """A whole run: the cases, the summary, and the tolerances used.

    >>> Report([], {"cases": 0}, {"central": 1e-6}, ["central"]).version
    '1'
    """

    cases: list
    summary: dict
    tolerances: dict
    methods: list
    version: str = "1"

    @property
    def ok(self) -> bool:
        """True when nothing failed (agreements, kinks and the notes' slips are fine).

        >>> Report([], {"failures": 0, "failed_cases": []}, {}, []).ok
        True
        """
        return not self.summary.get("failed_cases") and not self.summary.get("failures")

    @property
    def failures(self) -> list[dict]:
        """What failed: ``{case, method, reference, reason}`` per failing method (a wrong δ is
        method ``"deltas"``, a printed number not reproduced ``"worked"``).

        >>> Report([], {}, {}, []).failures
        []
        """
        out = []
        for c in self.cases:
            for m in list(c.methods) + list(c.second_order):
                if m.status in ("fail", "error"):
                    out.append({"case": c.name, "method": m.method, "reference": m.reference,
                                "reason": m.reason})
            for w in c.worked:
                if not w["ok"]:
                    out.append({"case": c.name, "method": "worked", "reference": "",
                                "reason": f"{w['label']}: the notes print {w['expected']}, "
                                          f"the math gives {w['got']}"})
            first = (c.hand_check or {}).get("first_wrong_layer")
            if first:
                out.append({"case": c.name, "method": "deltas", "reference": "reverse",
                            "reason": f"the first wrong delta from the output is {first}"})
        return out

    def to_json(self) -> str:
        """The report as JSON (the schema of ``dualnum compare --format json``).

        >>> Report([], {}, {}, []).to_json().splitlines()[1]
        '  "schema_version": "1",'
        """
        return json.dumps(report_to_dict(self), indent=2, ensure_ascii=False, allow_nan=False)

    # report.py and report_html.py (the renderers) import this module, so they are imported
    # when a report renders itself, not at the top
    def _repr_markdown_(self) -> str:
        from .report import render

        return render(self, "markdown")

    def _repr_html_(self) -> str:
        from .report_html import html_fragment

        return html_fragment(report_to_dict(self))


def notes_vs_math(report: Report) -> list[dict]:
    """Where the notes' own formulas (hand-derived, or printed numbers) disagree with the math.

    Found by the engine: every case whose ``hand`` method is a *slip* (a formula transcribed as
    written that the references contradict) or a *fail*, and every printed number not
    reproduced.

    >>> notes_vs_math(Report([], {}, {}, []))
    []
    """
    rows = []
    for c in report.cases:
        if c.group == USER_GROUP:
            continue
        hand = c.method("hand")
        if hand is not None and hand.status in ("slip", "fail", "error"):
            rows.append({"case": c.name, "source": c.source, "formula": c.hand_label,
                         "status": hand.status, "max_rel": hand.max_rel,
                         "reason": c.description if hand.status == "slip" else hand.reason})
        for w in c.worked:
            if not w["ok"]:
                rows.append({"case": c.name, "source": c.source, "formula": w["label"],
                             "status": "fail", "max_rel": None,
                             "reason": f"the notes print {w['expected']}, the math gives "
                                       f"{w['got']}"})
    return rows


def _finite(value):
    """Strict-JSON copy: non-finite floats become "inf" / "-inf" / "nan"."""
    if isinstance(value, dict):
        return {str(k): _finite(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf")
    return value


def report_to_dict(report: Report) -> dict:
    """The JSON-ready dict of a report (see :data:`dualnum.comparisons.schema.REPORT_SCHEMA`).

    >>> report_to_dict(Report([], {"cases": 0}, {}, []))["schema_version"]
    '1'
    """
    return _finite({
        "schema_version": report.version,
        "summary": report.summary,
        "tolerances": report.tolerances,
        "methods": list(report.methods),
        "notes_vs_math": notes_vs_math(report),
        "cases": [asdict(c) for c in report.cases],
    })
