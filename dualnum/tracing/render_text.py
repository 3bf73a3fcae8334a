"""The plain-text trace: unicode subscripts and accents (v₋₁, v̇, v̄) or, with ``ascii=True``,
v[-1], dv, vbar for terminals that cannot print them."""

from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING

from dualnum.tracing.notation import _Renderer, subscript_name

if TYPE_CHECKING:  # pragma: no cover - annotations only: the model imports this module
    from dualnum.tracing.model import Row, Step, Trace

__all__ = ["TextRenderer"]


def _width(s: str) -> int:
    return sum(0 if unicodedata.combining(c) else 1 for c in s)


def _pad(s: str, n: int) -> str:
    return s + " " * (n - _width(s))


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


