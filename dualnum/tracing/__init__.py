"""``dn.trace``: evaluation traces like the slides, with primal, tangent and adjoint columns.

:mod:`~dualnum.tracing.record` fills one data model (:mod:`~dualnum.tracing.model`) from one
recording on a tape whose inputs hold Dual numbers, and one backward sweep over it;
:mod:`~dualnum.tracing.render` writes that model as text, Markdown, LaTeX or JSON.

>>> t = trace("ln(x1) + x1*x2 - sin(x2)", x1=2, x2=5, wrt="x1")
>>> [round(r.tangents[0], 3) for r in t.rows]      # Lepetit's tangent column for ẋ1 = 1
[1.0, 0.0, 0.5, 5.0, 0.0, 5.5, 5.5]
>>> print(t.to_text().splitlines()[-1])
gradient: x̄1 = v̄₋₁ = 5.5, x̄2 = v̄₀ = 1.716
"""

from dualnum.tracing.model import Constant, Partial, Row, Step, Trace
from dualnum.tracing.notation import encodable
from dualnum.tracing.record import trace

__all__ = ["trace", "Trace", "Row", "Step", "Partial", "Constant", "encodable"]
