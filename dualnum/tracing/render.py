"""Renderers for :class:`~dualnum.tracing.model.Trace`: one class per format (text, Markdown,
LaTeX, JSON-ready dict), all reading one data model.

Like sympy's printers, each renderer knows only how to write a row, an operand and a number in
its own notation; the names of the operations are data (``INFIX`` and ``PREFIX`` below). The
layout follows Lepetit's slides: the forward primal trace (``v_i = op(v_j, ...) = value``) with
the tangent and adjoint columns beside it, the tangent trace of each seed
(``v̇_i = Σ_j ∂v_i/∂v_j · v̇_j``), and the reverse sweep step by step
(``v̄_j = v̄_j + v̄_i · ∂v_i/∂v_j``).

The model's ``Trace.to_text`` and friends call these classes; this module reads the model's
types only for annotations, so the import runs one way (model -> render).

>>> fmt(0.6931471805599453), fmt(10.0), fmt(-0.9589242746631385), fmt(1.2e-7)
('0.693', '10', '-0.959', '1.2e-07')
"""

from __future__ import annotations

import re
import sys
import unicodedata
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:  # pragma: no cover - annotations only: the model imports this module
    from dualnum.tracing.model import Row, Step, Trace

__all__ = ["fmt", "plain", "encodable", "subscript_name", "TextRenderer", "MarkdownRenderer",
           "LatexRenderer", "DictRenderer"]

# How each primitive is written between operands ({0}, {1}: operands). Anything else is
# written as a prefix function, "sin v₀" for one operand and "arctan2(v₀, v₁)" for more.
INFIX = {"add": "{0} + {1}", "subtract": "{0} - {1}", "multiply": "{0} × {1}",
         "divide": "{0} / {1}", "power": "{0}^{1}", "negative": "-{0}", "positive": "+{0}",
         "square": "{0}^2", "abs": "|{0}|"}
PREFIX = {"log": "ln"}  # the slides write ln
LATEX_INFIX = {"add": "{0} + {1}", "subtract": "{0} - {1}", "multiply": "{0} \\times {1}",
               "divide": "{0} / {1}", "power": "{{{0}}}^{{{1}}}", "negative": "-{0}",
               "positive": "+{0}", "square": "{{{0}}}^{{2}}", "abs": "\\left|{0}\\right|"}
LATEX_FUNCS = {"log": "\\ln", "exp": "\\exp", "sin": "\\sin", "cos": "\\cos", "tan": "\\tan",
               "sinh": "\\sinh", "cosh": "\\cosh", "tanh": "\\tanh", "arcsin": "\\arcsin",
               "arccos": "\\arccos", "arctan": "\\arctan", "log10": "\\log_{10}",
               "log2": "\\log_{2}"}

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


def _width(s: str) -> int:
    return sum(0 if unicodedata.combining(c) else 1 for c in s)


def _pad(s: str, n: int) -> str:
    return s + " " * (n - _width(s))


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


class TextRenderer(_Renderer):
    """Plain text with unicode subscripts and accents (``ascii=True`` for v[-1], vdot, vbar)."""

    kind = "text"

    def __init__(self, trace: "Trace", decimals: int = 3, ascii: bool = False) -> None:
        super().__init__(trace, decimals)
        self.ascii = ascii
        if ascii:
            self.CDOT = self.TIMES = " * "

    def partial_symbol(self, i: int, j: int) -> str:
        d = "d" if self.ascii else "∂"
        return f"{d}{self.v(i)}/{d}{self.v(j)}"

    def v(self, i: int) -> str:
        return f"v[{i}]" if self.ascii else subscript_name(i)

    def dot(self, s: str) -> str:
        return ("d" + s) if self.ascii else s[0] + "\u0307" + s[1:]

    def bar(self, s: str) -> str:
        return (s + "bar") if self.ascii else s[0] + "\u0304" + s[1:]

    def apply(self, op: str, ops: list[str], row: "Row") -> str:
        s = super().apply(op, ops, row)
        return s.replace("×", "*") if self.ascii else s.replace(" - ", " − ").replace("-v", "−v")

    def table(self, header: list[str], rows: list[list[str]]) -> list[str]:
        widths = [max(_width(r[c]) for r in [header] + rows) for c in range(len(header))]
        out = ["  ".join(_pad(h, w) for h, w in zip(header, widths, strict=True)).rstrip()]
        out.append("  ".join("-" * w for w in widths))
        out += ["  ".join(_pad(c, w) for c, w in zip(r, widths, strict=True)).rstrip()
                for r in rows]
        return out

    def render(self) -> str:
        t = self.t
        wrt = t.wrt
        lines = [f"trace of {t.expression} at "
                 + ", ".join(f"{n} = {self.num(v)}" for n, v in t.point.items()), ""]
        header = ["trace", "value"] + [("d/d" if self.ascii else "∂/∂") + w for w in wrt] + [
            self.bar("v"), "note"]
        body = []
        for r in t.rows:
            body.append([f"{self.v(r.index)} = {self.definition(r)}", self.num(r.value)]
                        + [self.num(x) for x in r.tangents]
                        + [self.num(r.adjoint), f"kink: {r.kink}" if r.kink else ""])
        if not any(r.kink for r in t.rows):
            header.pop()
            body = [b[:-1] for b in body]
        lines += ["forward primal trace, tangent columns and adjoints:"]
        lines += self.table(header, body)
        out = t.rows[-1]
        lines.append(f"f = {self.v(out.index)} = {self.num(out.value)}")
        for k, w in enumerate(wrt):
            seed = self.seed_text(w)
            lines += ["", f"forward tangent trace for ∂/∂{w} ({seed}):"
                      if not self.ascii else f"forward tangent trace for d/d{w} ({seed}):"]
            for r in t.rows:
                lhs = self.dot(self.v(r.index))
                if r.op is None:
                    lines.append(f"  {lhs} = {self.dot(r.name)} = {self.num(r.tangents[k])}")
                    continue
                form, nums = self.tangent_terms(r, k)
                nums = f" = {nums}" if nums else ""
                lines.append(f"  {lhs} = {form}{nums} = {self.num(r.tangents[k])}")
            if t.symbolic:
                lines.append("  symbolic: " + "; ".join(
                    f"{self.dot(self.v(r.index))} = {r.tangent_formulas[k]}"
                    for r in t.rows if r.op is not None and r.tangent_formulas))
        lines += ["", f"reverse adjoint trace ({self.bar(self.v(out.index))} = 1, "
                  "sweep from the output back to the inputs):"]
        for s in t.steps:
            lines.append("  " + self.step(s))
        grads = ", ".join(f"{self.bar(r.name)} = {self.bar(self.v(r.index))} = "
                          f"{self.num(r.adjoint)}" for r in t.rows if r.op is None)
        lines += ["", f"gradient: {grads}"]
        text = "\n".join(lines)
        return _ascii(text) if self.ascii else text

    def step(self, s: "Step") -> str:
        j, i = self.bar(self.v(s.target)), self.bar(self.v(s.source))
        d = "d" if self.ascii else "∂"
        partial = f"{d}{self.v(s.source)}/{d}{self.v(s.target)}"
        if s.partial is None:     # structural op: the VJP rule maps the whole adjoint
            acc = "" if s.first else f"{j} + "
            before = "" if s.first else f"{self.num(s.before)} + "
            nums = f" = {before}{self.num(s.contribution)}" if not s.first else ""
            return f"{j} = {acc}vjp of {self.t.row(s.source).op}({i}){nums} = {self.num(s.after)}"
        form = s.formula(self.kind)
        shown = f"{partial} = {form}" if form else partial
        acc = f"{j} + " if not s.first else ""
        adj = self.num(s.adjoint_in)
        nums = (f"{self.num(s.before)} + {self.paren(adj)}" if not s.first else adj) + \
            f"{self.TIMES}{self.paren(self.num(s.partial))}"
        return f"{j} = {acc}{i} · [{shown}] = {nums} = {self.num(s.after)}"


class MarkdownRenderer(_Renderer):
    """GitHub/Jupyter Markdown: tables with inline ``$...$`` math.

    The same three parts as the text: the trace table (values, tangent and adjoint columns,
    kinks, optional sympy tangents), the forward tangent trace of each seed, and the reverse
    sweep, each step with its formula and its numbers.
    """

    kind = "latex"
    CDOT = "\\,"
    TIMES = " \\times "

    def v(self, i: int) -> str:
        return f"v_{{{i}}}"

    def dot(self, s: str) -> str:
        return f"\\dot{{{s}}}" if "_" not in s else f"\\dot{{{s.split('_', 1)[0]}}}_" + \
            s.split("_", 1)[1]

    def bar(self, s: str) -> str:
        return f"\\bar{{{s}}}" if "_" not in s else f"\\bar{{{s.split('_', 1)[0]}}}_" + \
            s.split("_", 1)[1]

    def input_name(self, name: str) -> str:
        return _latex_name(name)

    def partial_symbol(self, i: int, j: int) -> str:
        return f"\\frac{{\\partial {self.v(i)}}}{{\\partial {self.v(j)}}}"

    def jvp_label(self, op: str, dots: str) -> str:
        return f"\\operatorname{{jvp}}_{{\\text{{{op}}}}}({dots})"

    def apply(self, op: str, ops: list[str], row: "Row") -> str:
        if op in LATEX_INFIX and len(ops) == LATEX_INFIX[op].count("{") - \
                LATEX_INFIX[op].count("{{") * 2:
            return LATEX_INFIX[op].format(*ops)
        name = LATEX_FUNCS.get(op, f"\\operatorname{{{op}}}")
        if len(ops) == 1 and op in LATEX_FUNCS and not row.kwargs:
            return f"{name} {ops[0]}"
        extra = _kwargs(row.kwargs, "\\text{{{}={}}}")
        return f"{name}\\left({', '.join(ops + extra)}\\right)"

    def paren(self, s: str) -> str:
        wrap = s.startswith("-") or " + " in s or " - " in s
        return f"\\left({s}\\right)" if wrap else s

    @staticmethod
    def math(s: str) -> str:
        """``$s$`` for a table cell: a ``|`` (``\\left|x\\right|``) would split the cell."""
        return "$" + s.replace("|", "\\vert ") + "$" if s else ""

    def rows(self) -> list[list[str]]:
        kinks = any(r.kink for r in self.t.rows)
        out = []
        for r in self.t.rows:
            formulas = ([f"`{r.tangent_formulas[k]}`" if r.tangent_formulas else ""
                         for k in range(len(self.t.wrt))] if self.t.symbolic else [])
            out.append([self.math(self.v(r.index)), self.math(self.definition(r)),
                        self.num(r.value)]
                       + [self.num(x) for x in r.tangents] + [self.num(r.adjoint)]
                       + ([r.kink or ""] if kinks else []) + formulas)
        return out

    def tangent_cells(self, r: "Row", k: int) -> list[str]:
        """[update, numbers, result] of ``v̇_i`` in the tangent trace of seed ``k``."""
        lhs = self.dot(self.v(r.index))
        if r.op is None:
            return [f"{lhs} = {self.dot(_latex_name(r.name))}", "", self.num(r.tangents[k])]
        form, nums = self.tangent_terms(r, k)
        return [f"{lhs} = {form}", nums, self.num(r.tangents[k])]

    def seed_heading(self, w: str) -> str:
        return (f"\\partial/\\partial {_latex_name(w)}",
                self.seed_text(w, _latex_name))

    def step_cells(self, s: "Step") -> list[str]:
        j, i = self.bar(self.v(s.target)), self.bar(self.v(s.source))
        partial = self.partial_symbol(s.source, s.target)
        form = s.formula("latex")
        acc = "" if s.first else f"{j} + "
        update = f"{j} = {acc}{i}\\,{partial}" + (f" = {acc}{i}\\,{self.paren(form)}"
                                                  if form else "")
        if s.partial is None:     # structural op: the VJP rule maps the whole adjoint
            op = self.t.row(s.source).op
            update = f"{j} = {acc}\\operatorname{{vjp}}_{{\\text{{{op}}}}}({i})"
            nums = ("" if s.first else f"{self.num(s.before)} + ") + self.num(s.contribution)
            return [update, nums, self.num(s.after)]
        adj = self.num(s.adjoint_in)
        nums = ((adj if s.first else f"{self.num(s.before)} + {self.paren(adj)}")
                + f"{self.TIMES}{self.paren(self.num(s.partial))}")
        return [update, nums, self.num(s.after)]

    def render(self) -> str:
        t = self.t
        head = ["$v_i$", "definition", "value"] + [
            f"$\\partial/\\partial {_latex_name(w)}$" for w in t.wrt] + ["$\\bar{v}_i$"] + (
            ["kink (convention used)"] if any(r.kink for r in t.rows) else []) + (
            [f"$\\dot v_i$ (∂/∂{w}, sympy)" for w in t.wrt] if t.symbolic else [])
        lines = [f"**Trace of** `{t.expression}` at "
                 + ", ".join(f"${_latex_name(n)} = {self.num(v)}$" for n, v in t.point.items()),
                 "", "| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        lines += ["| " + " | ".join(c) + " |" for c in self.rows()]
        for k, w in enumerate(t.wrt):
            wrt, seed = self.seed_heading(w)
            lines += ["", f"**Forward tangent trace** for ${wrt}$ (${seed}$):", "",
                      "| update | numbers | result |", "|---|---|---|"]
            for r in t.rows:
                u, nums, res = self.tangent_cells(r, k)
                lines.append(f"| {self.math(u)} | {self.math(nums)} | {res} |")
        lines += ["", f"**Reverse sweep** (${self.bar(self.v(t.rows[-1].index))} = 1$):", "",
                  "| step | update | numbers | result |", "|---|---|---|---|"]
        for n, s in enumerate(t.steps, 1):
            u, nums, res = self.step_cells(s)
            lines.append(f"| {n} | {self.math(u)} | {self.math(nums)} | {res} |")
        grads = ", ".join(f"${self.bar(_latex_name(r.name))} = {self.num(r.adjoint)}$"
                          for r in t.rows if r.op is None)
        lines += ["", f"**Value** $f = {self.num(t.value)}$; **gradient** {grads}"]
        return "\n".join(lines)


class LatexRenderer(MarkdownRenderer):
    """LaTeX: an ``array`` like the slides' trace table, an ``aligned`` forward tangent trace
    per seed (with the sympy tangent when ``symbolic``), and an ``aligned`` reverse sweep."""

    def render(self, delimiters: tuple[str, str] = ("\\[", "\\]")) -> str:
        t = self.t
        o, c = delimiters
        head = ["", "", "\\text{value}"] + [f"\\partial/\\partial {_latex_name(w)}"
                                            for w in t.wrt] + ["\\bar{v}_i"]
        lines = [f"% trace of {t.expression}"] if o == "\\[" else []
        lines += [o, "\\begin{array}{rl|r|" + "r" * len(t.wrt) + "|r}",
                  " & ".join(head) + " \\\\ \\hline"]
        for r in t.rows:
            cells = [self.v(r.index), "= " + self.definition(r), self.num(r.value)] + \
                [self.num(x) for x in r.tangents] + [self.num(r.adjoint)]
            kink = f" \\quad \\text{{(kink: {_latex_text(r.kink)})}}" if r.kink else ""
            # a rule under the inputs, like the slides
            rule = " \\hline" if r.op is None and r.index == 0 else ""
            lines.append(" & ".join(cells) + kink + " \\\\" + rule)
        lines += ["\\end{array}", c]
        for k, w in enumerate(t.wrt):
            wrt, seed = self.seed_heading(w)
            lines += ["", o, "\\begin{aligned}",
                      f"&\\text{{forward tangent trace for }} {wrt}\\ ({seed}): \\\\"]
            for r in t.rows:
                u, nums, res = self.tangent_cells(r, k)
                sym = (f" \\qquad \\left(\\text{{sympy: }} {r.tangent_latex[k]}\\right)"
                       if t.symbolic and r.op is not None and r.tangent_latex else "")
                nums = f" = {nums}" if nums else ""
                lines.append(f"{u.replace(' = ', ' &= ', 1)}{nums} = {res}{sym} \\\\")
            lines += ["\\end{aligned}", c]
        lines += ["", o, "\\begin{aligned}",
                  f"&\\text{{reverse sweep from }} {self.bar(self.v(t.rows[-1].index))} = 1: "
                  "\\\\"]
        for s in t.steps:
            u, nums, res = self.step_cells(s)
            lines.append(f"{u.replace(' = ', ' &= ', 1)} = {nums} = {res} \\\\")
        grads = ",\\quad ".join(f"{self.bar(_latex_name(r.name))} = {self.num(r.adjoint)}"
                                for r in t.rows if r.op is None)
        lines += ["\\end{aligned}", c, "", o,
                  f"f = {self.num(t.value)},\\quad {grads}", c]
        return "\n".join(lines)


_ASCII_SUBSCRIPT = re.compile("v([₋₀₁₂₃₄₅₆₇₈₉]+)")
_ASCII_SIGNS = str.maketrans({"·": "*", "×": "*", "−": "-", "∂": "d", "½": "1/2"})


def _ascii(text: str) -> str:
    """The ``ascii=True`` text: subscripted names in formulas as ``v[-1]``, signs spelled out,
    and anything else outside ASCII escaped, so it prints on any terminal.

    >>> _ascii("∂v₁/∂v₋₁ = 1/v₋₁ · 2 × 3")
    'dv[1]/dv[-1] = 1/v[-1] * 2 * 3'
    """
    sub = str.maketrans("₋₀₁₂₃₄₅₆₇₈₉", "-0123456789")
    text = _ASCII_SUBSCRIPT.sub(lambda m: f"v[{m.group(1).translate(sub)}]", text)
    text = text.translate(_ASCII_SIGNS)
    return text.encode("ascii", "backslashreplace").decode("ascii")


def _latex_text(s: str) -> str:
    return s.replace("\\", "\\textbackslash{}").replace("_", "\\_").replace("&", "\\&")


class DictRenderer:
    """Everything as JSON-ready builtins (floats, lists, strings): the ``--format json`` form.

    Each row carries its definition in the ASCII text notation (``ln v[-1]``) and every number
    at full precision.
    """

    def __init__(self, trace: "Trace") -> None:
        self.t = trace
        self.text = TextRenderer(trace, 17, ascii=True)

    def row(self, r: "Row") -> dict[str, Any]:
        wrt = self.t.wrt
        return {"index": r.index, "op": r.op, "name": r.name,
                "operands": [o if isinstance(o, int) else {"constant": plain(o.value)}
                             for o in r.operands],
                "kwargs": {k: plain(v) for k, v in r.kwargs.items()},
                "definition": self.text.definition(r),
                "value": plain(r.value),
                "partials": [{"source": p.source, "value": plain(p.partial),
                              "formula": p.formula("text")} for p in r.partials],
                "tangents": {w: plain(r.tangents[k]) for k, w in enumerate(wrt)},
                "tangent_formulas": ({w: r.tangent_formulas[k] for k, w in enumerate(wrt)}
                                     if r.tangent_formulas else None),
                "adjoint": plain(r.adjoint), "kink": r.kink}

    def step(self, s: "Step") -> dict[str, Any]:
        return {"target": s.target, "source": s.source, "partial": plain(s.partial),
                "formula": s.formula("text"), "adjoint_in": plain(s.adjoint_in),
                "contribution": plain(s.contribution), "before": plain(s.before),
                "after": plain(s.after), "first": s.first}

    def render(self) -> dict[str, Any]:
        t = self.t
        return {"expression": t.expression,
                "point": {k: plain(v) for k, v in t.point.items()},
                "variables": list(t.variables), "wrt": list(t.wrt),
                "value": plain(t.value),
                "gradient": {k: plain(v) for k, v in t.gradient.items()},
                "tangents": {k: plain(v) for k, v in t.tangents.items()},
                "rows": [self.row(r) for r in t.rows],
                "adjoint_steps": [self.step(s) for s in t.steps]}
