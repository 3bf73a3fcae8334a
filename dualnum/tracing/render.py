"""Renderers for :class:`~dualnum.tracing.model.Trace`: one class per format (text, Markdown,
LaTeX, JSON-ready dict), all reading one data model.

Like sympy's printers, each renderer knows only how to write a row, an operand and a number in
its own notation; the names of the operations are data (``INFIX`` and ``PREFIX`` in
:mod:`~dualnum.tracing.notation`). The layout follows Lepetit's slides: the forward primal
trace (``v_i = op(v_j, ...) = value``) with the tangent and adjoint columns beside it, the
tangent trace of each seed (``v̇_i = Σ_j ∂v_i/∂v_j · v̇_j``), and the reverse sweep step by step
(``v̄_j = v̄_j + v̄_i · ∂v_i/∂v_j``).

The model's ``Trace.to_text`` and friends call these classes, one module each
(:mod:`~dualnum.tracing.render_text`, :mod:`~dualnum.tracing.render_markdown`,
:mod:`~dualnum.tracing.render_latex`, :mod:`~dualnum.tracing.render_dict`), all built on
:mod:`~dualnum.tracing.notation`; they read the model's types only for annotations, so the
import runs one way (model -> render).

>>> fmt(0.6931471805599453), fmt(10.0), fmt(-0.9589242746631385), fmt(1.2e-7)
('0.693', '10', '-0.959', '1.2e-07')
"""

from dualnum.tracing.notation import INFIX, PREFIX  # noqa: F401 - the name tables, kept here
from dualnum.tracing.notation import encodable, fmt, plain, subscript_name
from dualnum.tracing.render_dict import DictRenderer
from dualnum.tracing.render_latex import LatexRenderer
from dualnum.tracing.render_markdown import LATEX_FUNCS, LATEX_INFIX  # noqa: F401 - as INFIX
from dualnum.tracing.render_markdown import MarkdownRenderer
from dualnum.tracing.render_text import TextRenderer

__all__ = ["fmt", "plain", "encodable", "subscript_name", "TextRenderer", "MarkdownRenderer",
           "LatexRenderer", "DictRenderer"]
