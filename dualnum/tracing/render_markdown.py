"""The Markdown trace (GitHub, Jupyter): tables with inline ``$...$`` math; its LaTeX notation
(``LATEX_INFIX``, ``LATEX_FUNCS``) serves :mod:`~dualnum.tracing.render_latex` too."""

from __future__ import annotations

from typing import TYPE_CHECKING

from dualnum.tracing.notation import _kwargs, _latex_name, _Renderer

if TYPE_CHECKING:  # pragma: no cover - annotations only: the model imports this module
    from dualnum.tracing.model import Row, Step

__all__ = ["MarkdownRenderer", "LATEX_INFIX", "LATEX_FUNCS"]

LATEX_INFIX = {"add": "{0} + {1}", "subtract": "{0} - {1}", "multiply": "{0} \\times {1}",
               "divide": "{0} / {1}", "power": "{{{0}}}^{{{1}}}", "negative": "-{0}",
               "positive": "+{0}", "square": "{{{0}}}^{{2}}", "abs": "\\left|{0}\\right|"}
LATEX_FUNCS = {"log": "\\ln", "exp": "\\exp", "sin": "\\sin", "cos": "\\cos", "tan": "\\tan",
               "sinh": "\\sinh", "cosh": "\\cosh", "tanh": "\\tanh", "arcsin": "\\arcsin",
               "arccos": "\\arccos", "arctan": "\\arctan", "log10": "\\log_{10}",
               "log2": "\\log_{2}"}

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
