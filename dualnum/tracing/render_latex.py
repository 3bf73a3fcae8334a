"""The LaTeX trace: an ``array`` like the slides' trace table and ``aligned`` tangent and
reverse sweeps, in the notation of the Markdown renderer."""

from __future__ import annotations

from dualnum.tracing.notation import _latex_name
from dualnum.tracing.render_markdown import MarkdownRenderer

__all__ = ["LatexRenderer"]


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


def _latex_text(s: str) -> str:
    return s.replace("\\", "\\textbackslash{}").replace("_", "\\_").replace("&", "\\&")
