"""``check_grads(f, args, grad=my_grad)``: your own gradient against the references.

``grad`` is called like ``f`` and returns the gradient with respect to every argument: for one
argument, a tree shaped like it (``{"W1": …, "b1": …}``); for several, a tuple of such trees
— what ``dn.grad(f, argnums=(0, 1, …))`` returns. It may also return ``(grads, deltas)``, the
deltas of the values ``f`` marks with ``dn.mark`` (checked layer by layer). The gradient is
compared with the most precise reference of ``references`` that runs (sympy within its budget,
then complex step, Richardson, central differences), block by block with the engine's
allowance, and a disagreement raises :class:`GradientMismatch` — an ``AssertionError`` whose
message is the slip table of :mod:`.slips` (which block, how many entries, the worst one,
what kind of slip) and which renders itself as a table in a notebook.

>>> import numpy as np
>>> import dualnum.numpy as dnp
>>> f = lambda p: dnp.sum(p["W"] ** 2) + p["b"] ** 3
>>> good = lambda p: {"W": 2 * p["W"], "b": 3 * p["b"] ** 2}
>>> bad = lambda p: {"W": -2 * p["W"], "b": 3 * p["b"] ** 2}
>>> p = {"W": np.array([[1.0, 2.0], [3.0, 4.0]]), "b": 0.5}
>>> check_gradient(f, (p,), good)
>>> try:
...     check_gradient(f, (p,), bad)
... except GradientMismatch as exc:
...     print(str(exc).splitlines()[1].split(" — ")[1])
sign flipped: hand = −reference
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence

import numpy as np

from dualnum import tree as tree_

from . import engine
from . import references as refs
from .case import blocks_of
from .layers import check_deltas
from .probe import probe
from .report_slips import shape_text, slip_lines
from .slips import diagnose_blocks
from .user_cases import split_hand_output

__all__ = ["GradientMismatch", "check_gradient", "PRECISION_ORDER"]

#: the references from the most precise to the least
PRECISION_ORDER = ("symbolic", "complex-step", "richardson", "central", "forward-difference")
_RTOL = {"symbolic": 1e-10, "complex-step": 1e-10, "richardson": 1e-8, "central": 1e-6,
         "forward-difference": 1e-4}


class GradientMismatch(AssertionError):
    """A user-supplied gradient disagrees with the references. ``check`` holds the slip data
    (``blocks``, ``layers`` …); in a notebook the exception renders as a table.

    >>> e = GradientMismatch("text", {"blocks": [], "layers": [], "reference": "central"})
    >>> isinstance(e, AssertionError), e._repr_markdown_().splitlines()[0]
    (True, '**check_grads: your gradient disagrees with central**')
    """

    def __init__(self, text: str, check: dict):
        super().__init__(text)
        self.check = check

    def _rows(self) -> list[list[str]]:
        rows = []
        for b in self.check.get("blocks", []):
            w = b["worst"]
            rows.append([b["block"], shape_text(b["shape"]), f"{b['wrong']}/{b['size']}",
                         w["entry"], f"{w['hand']:.6g}", f"{w['reference']:.6g}",
                         b["diagnosis"]])
        for r in self.check.get("layers", []):
            if r["status"] == "wrong":
                w = r.get("worst") or {}
                rows.append([f"δ {r['name']}", shape_text(r["shape"]),
                             f"{r.get('wrong', '?')}/{r.get('size', '?')}",
                             w.get("entry", ""), f"{w.get('hand', float('nan')):.6g}",
                             f"{w.get('reference', float('nan')):.6g}", r["diagnosis"]])
        return rows

    _HEAD = ["block", "shape", "wrong", "worst entry", "yours", "reference", "diagnosis"]

    def _repr_markdown_(self) -> str:
        ref = self.check.get("reference", "")
        out = [f"**check_grads: your gradient disagrees with {ref}**", "",
               "| " + " | ".join(self._HEAD) + " |", "|" + "---|" * len(self._HEAD)]
        out += ["| " + " | ".join(c.replace("|", "\\|") for c in r) + " |"
                for r in self._rows()]
        return "\n".join(out) + "\n"

    def _repr_html_(self) -> str:
        ref = html.escape(self.check.get("reference", ""))
        head = "".join(f"<th>{html.escape(h)}</th>" for h in self._HEAD)
        body = "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in r) + "</tr>"
                       for r in self._rows())
        return (f"<div class='dualnum-report'><p><b>check_grads: your gradient disagrees with "
                f"{ref}</b></p><table><tr>{head}</tr>{body}</table></div>")


def _reference(h: Callable, x: np.ndarray, references: Sequence[str]):
    tried = []
    for ref in sorted(references, key=lambda r: PRECISION_ORDER.index(r)
                      if r in PRECISION_ORDER else len(PRECISION_ORDER)):
        if ref not in refs.REFERENCES:
            raise ValueError(f"check_grads: unknown reference {ref!r}; expected one of "
                             f"{', '.join(refs.REFERENCES)}")
        try:
            return ref, refs.REFERENCES[ref](h, x)
        except refs.Refused as exc:
            tried.append(f"{ref}: {exc.reason}")
    raise AssertionError("check_grads: no reference could check the gradient ("
                         + ("; ".join(tried) or "no reference given") + ")")


def check_gradient(f: Callable, args, grad: Callable,
                   references: Sequence[str] = ("symbolic", "central"),
                   atol: float | None = None, rtol: float | None = None) -> None:
    """Check ``grad(*args)`` against the references; raise :class:`GradientMismatch` with the
    slip table on a disagreement (see the module docstring). ``check_grads(..., grad=)``
    calls this first."""
    args = tuple(args) if isinstance(args, (tuple, list)) else (args,)
    like = args[0] if len(args) == 1 else tuple(args)
    x, unravel = tree_.ravel(like, leaf_lists=False)
    spec = tree_.flatten(like, leaf_lists=False)[1]
    blocks = blocks_of(like)
    if len(args) > 1:  # name the blocks by argument: args[1].W
        blocks = [type(b)(f"args{b.name}", b.start, b.stop, b.shape) for b in blocks]

    def call(tree):
        return f(tree) if len(args) == 1 else f(*tree)

    out = np.asarray(call(like))
    if out.shape != () or np.iscomplexobj(out):
        raise ValueError(f"check_grads(grad=...): f returns an array of shape {out.shape}, "
                         "not a real scalar; a gradient is defined for a scalar function")
    got = grad(*args)
    shapes = [tuple(np.shape(leaf)) for leaf in tree_.tree_leaves(like, leaf_lists=False)]
    name = getattr(grad, "__name__", "grad")
    leaves, deltas = split_hand_output(got, like, spec, shapes, name)
    H = np.concatenate([np.asarray(g, dtype=np.float64).reshape(-1) for g in leaves]
                       or [np.zeros(0)])

    def h(v):
        return call(unravel(v))

    ref, est = _reference(h, x, references)
    R = np.asarray(est.value, dtype=np.float64).reshape(1, -1)
    E = np.abs(np.asarray(est.error, dtype=np.float64)).reshape(1, -1)
    r_tol = _RTOL.get(ref, 1e-6) if rtol is None else rtol
    allowed = engine.allowance(R, E, blocks, r_tol)[0][0] + (0.0 if atol is None else atol)
    wrong = bool(np.any(~(np.abs(H - R[0]) <= allowed)))
    if not wrong and deltas is None:
        return
    pr = probe(call, like)
    cut = [(b.start, b.stop, b.shape) for b in blocks]
    check = {"reference": ref, "blocks": [], "layers": [], "first_wrong_layer": None,
             "delta_problems": [], "batch_sizes": []}
    if wrong:
        check["blocks"] = diagnose_blocks(
            [H[a:b].reshape(s) for a, b, s in cut], [R[0, a:b].reshape(s) for a, b, s in cut],
            [allowed[a:b].reshape(s) for a, b, s in cut], [b.name for b in blocks],
            probe=pr, reference=ref)
    if deltas is not None:
        rows, first, problems = check_deltas(deltas, pr)
        check.update(layers=rows, first_wrong_layer=first, delta_problems=problems)
    if not wrong and not check["first_wrong_layer"] and not check["delta_problems"]:
        return
    lines = slip_lines({"cases": [{"name": name, "hand_check": check}]})
    pt = np.array2string(x, precision=6, threshold=8)
    head = (f"check_grads: your gradient ({name}) disagrees with {ref} in "
            f"{len(check['blocks'])} block(s) at x = {pt}" if wrong else
            f"check_grads: your gradient ({name}) agrees with {ref}, but not every delta does")
    raise GradientMismatch(head + "\n" + "\n".join(lines), check)
