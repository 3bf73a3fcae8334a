"""The notation every trace renderer shares: numbers as the slides print them (:func:`fmt`),
values as JSON-ready builtins (:func:`plain`), row names (:func:`subscript_name`), the names of
the operations as data (``INFIX``, ``PREFIX``), and the walk over a trace that each renderer
fills with its own symbols (``_Renderer``: one row's definition, its tangent terms, a seed).

The renderers (:mod:`~dualnum.tracing.render_text`, ``render_markdown``, ``render_latex``,
``render_dict``) build on this module; it reads the model's types only for annotations.
"""

from __future__ import annotations

import re
import sys
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:  # pragma: no cover - annotations only: the model imports the renderers
    from dualnum.tracing.model import Row, Trace

__all__ = ["fmt", "plain", "encodable", "subscript_name", "INFIX", "PREFIX"]

# How each primitive is written between operands ({0}, {1}: operands). Anything else is
# written as a prefix function, "sin v₀" for one operand and "arctan2(v₀, v₁)" for more.
INFIX = {"add": "{0} + {1}", "subtract": "{0} - {1}", "multiply": "{0} × {1}",
         "divide": "{0} / {1}", "power": "{0}^{1}", "negative": "-{0}", "positive": "+{0}",
         "square": "{0}^2", "abs": "|{0}|"}
PREFIX = {"log": "ln"}  # the slides write ln

_SUB = str.maketrans("-0123456789", "₋₀₁₂₃₄₅₆₇₈₉")


def fmt(v: Any, decimals: int = 3) -> str:
    """A number the way the slides print it: ``decimals`` places, trailing zeros dropped.

    Values below 1e-3 or above 1e6 (in magnitude) switch to ``decimals + 1`` significant
    digits, so small derivatives never print as 0.

    >>> fmt(11.652071455223084), fmt(5.0), fmt(-0.0), fmt(np.array([1.0, 0.5]))
    ('11.652', '5', '0', '[1, 0.5]')
    """
    if isinstance(v, (list, tuple)) or (isinstance(v, np.ndarray) and v.ndim > 0):
        return "[" + ", ".join(fmt(x, decimals) for x in np.asarray(v)) + "]"
    if v is None:
        return ""
    if not isinstance(v, (int, float, complex, np.generic, np.ndarray)):
        return str(v)      # an operand that is no number (the slice in x[:2]) reads as itself
    if isinstance(v, complex) or np.iscomplexobj(v):
        return str(complex(v))
    x = float(v)
    if x == 0:
        return "0"
    if not np.isfinite(x):
        return str(x)
    if 1e-3 <= abs(x) < 1e6:
        s = f"{x:.{decimals}f}".rstrip("0").rstrip(".")
        return "0" if s in ("", "-0") else s
    return f"{x:.{decimals + 1}g}"


def plain(v: Any) -> Any:
    """A value as JSON-ready builtins: a float, a list of floats, ``{"re", "im"}`` for a complex
    number, a string for a sympy object.

    >>> plain(np.float64(2.5)), plain(np.array([1.0, 2.0])), plain(1 + 2j), plain(None)
    (2.5, [1.0, 2.0], {'re': 1.0, 'im': 2.0}, None)
    """
    if v is None:
        return None
    a = np.asarray(v)
    if a.dtype == object:
        return str(v)
    if np.iscomplexobj(a):
        return {"re": plain(a.real), "im": plain(a.imag)}
    return a.tolist() if a.ndim else float(a)


def encodable(text: str, stream: Any = None) -> bool:
    """Whether ``stream`` (default ``sys.stdout``) can print ``text`` (v₋₁, ∂, v̄) as it is.

    >>> import io
    >>> ascii_terminal = io.TextIOWrapper(io.BytesIO(), encoding="ascii")
    >>> encodable("v[-1]", ascii_terminal), encodable("v₋₁", ascii_terminal)
    (True, False)
    """
    enc = getattr(stream or sys.stdout, "encoding", None) or "utf-8"
    try:
        text.encode(enc)
    except (UnicodeEncodeError, LookupError):
        return False
    return True


def subscript_name(i: int) -> str:
    """The text name of row ``i``: ``v₋₁``, ``v₀``, ``v₁₂``.

    >>> subscript_name(-1), subscript_name(12)
    ('v₋₁', 'v₁₂')
    """
    return "v" + str(i).translate(_SUB)


def _latex_name(name: str) -> str:
    m = re.fullmatch(r"([A-Za-z]+)_?(\d+)", name)
    if m:
        return f"{m.group(1)}_{{{m.group(2)}}}"
    return name if len(name) == 1 else f"\\mathit{{{name}}}"


def _kwargs(kwargs: dict, pattern: str) -> list[str]:
    # only what differs from the usual defaults (axis=None, keepdims=False) is worth a look
    return [pattern.format(k, v) for k, v in kwargs.items() if v is not None and v is not False]


class _Renderer:
    """Shared walk over the trace; subclasses supply the notation."""

    def __init__(self, trace: "Trace", decimals: int = 3) -> None:
        self.t = trace
        self.d = decimals

    # notation hooks -------------------------------------------------------------------
    def v(self, i: int) -> str:
        raise NotImplementedError

    def dot(self, s: str) -> str:
        raise NotImplementedError

    def bar(self, s: str) -> str:
        raise NotImplementedError

    def num(self, x: Any) -> str:
        return fmt(x, self.d)

    def operand(self, o: Any) -> str:
        return self.v(o) if isinstance(o, int) else self.num(o.value)

    def definition(self, row: "Row") -> str:
        """Right-hand side ``ln v₋₁`` / ``v₋₁ × v₀`` / ``x1`` of a row."""
        if row.op is None:
            return self.input_name(row.name)
        ops = [self.operand(o) for o in row.operands]
        return self.apply(row.op, ops, row)

    def input_name(self, name: str) -> str:
        return name

    def apply(self, op: str, ops: list[str], row: "Row") -> str:
        if op in INFIX and len(ops) == INFIX[op].count("{"):
            return INFIX[op].format(*ops)
        name = PREFIX.get(op, op)
        if len(ops) == 1 and not row.kwargs:
            return f"{name} {ops[0]}"
        return f"{name}({', '.join(ops + _kwargs(row.kwargs, '{}={}'))})"

    # shared pieces ----------------------------------------------------------------------
    #: between a tangent and its partial in a formula, and between two numbers
    CDOT = " · "
    TIMES = " × "

    def partial_symbol(self, i: int, j: int) -> str:
        """``∂v_i/∂v_j``, shown when the partial has no formula (``formulas=False``)."""
        return f"∂{self.v(i)}/∂{self.v(j)}"

    def jvp_label(self, op: str, dots: str) -> str:
        return f"jvp of {op}({dots})"

    def tangent_terms(self, row: "Row", k: int) -> tuple[str, str]:
        """(formula, numbers) of ``v̇_i = Σ ∂v_i/∂v_j · v̇_j`` for seed ``k``."""
        forms, nums = [], []
        for p in row.partials:
            if p.partial is None:   # structural op: its JVP rule, no scalar partial to show
                dots = ", ".join(self.dot(self.v(q.source)) for q in row.partials)
                return self.jvp_label(row.op, dots), ""
            pf = p.formula(self.kind)
            factor = self.paren(pf) if pf else self.partial_symbol(row.index, p.source)
            forms.append(f"{self.dot(self.v(p.source))}{self.CDOT}{factor}")
            tangent = self.num(self.t.row(p.source).tangents[k])
            nums.append(f"{self.paren(tangent) if nums else tangent}{self.TIMES}"
                        f"{self.paren(self.num(p.partial))}")
        return " + ".join(forms) or "0", " + ".join(nums) or "0"

    def seed_text(self, w: str, name: Any = None) -> str:
        """``ẋ1 = 1, ẋ2 = 0``: the seed of the tangent column for input ``w``."""
        name = name or (lambda n: n)
        return ", ".join(f"{self.dot(name(n))} = {1 if n == w else 0}"
                         for n in self.t.variables if n in self.t.point)

    def paren(self, s: str) -> str:
        wrap = s.startswith("-") or " + " in s or " - " in s or "/" in s
        return f"({s})" if wrap and not s.startswith("(") else s
