"""``jacrev``'s identity seed carried as a diagonal through the reverse sweep.

Sweeping back every output direction of an m-output function at once starts from the m×m
identity. Through an elementwise entry, row ``k`` of the batch stays ``d_k e_k`` (``g · ∂`` is
``diag(d · ∂)``), so the batch can travel as its diagonal ``d`` alone: O(m) per entry instead of
O(m²). Structural entries with a ``diag_vjp`` (matmul) turn the diagonal into the dense rows
they produce directly; every other entry gets the batch written out (:meth:`Diag.dense`).
:meth:`dualnum.tape.Tape.sweep` uses this when its seed passes :func:`is_identity_seed`.

>>> Diag(np.array([1.0, 2.0])).dense()
array([[1., 0.],
       [0., 2.]])
"""
from __future__ import annotations

from typing import Any

import numpy as np

from dualnum.adjoint import F64, SHAPED, to_input
from dualnum.primitive import ONE, Primitive, partial_at

__all__ = ["Diag", "diag_step", "is_identity_seed", "DIAG_MIN"]

DIAG_MIN = 64      # outputs: below this the dense identity seed costs less than the check


def is_identity_seed(seed: Any) -> bool:
    """Whether a batched seed (one leading axis) is the identity over the output: every
    output direction once, in order (what ``jacrev`` sweeps with). Exact: O(m²) reads."""
    if type(seed) is not np.ndarray or seed.dtype is not F64 or seed.ndim < 2:
        return False
    m = seed.shape[0]
    if m < DIAG_MIN or seed.size != m * m or not seed.flags.c_contiguous:
        return False
    flat = seed.reshape(-1)
    # ones on the diagonal, and no other word with a bit set (+0.0 everywhere else; counted
    # on the bits as integers, ~2.5× faster than on floats)
    return bool((flat[::m + 1] == 1.0).all()) and \
        int(np.count_nonzero(flat.view(np.uint64))) == m


class Diag:
    """A batch of cotangents (one leading axis of ``m`` = ``d.size`` rows) whose row ``k`` is
    ``d_k e_k``: the identity seed of ``jacrev`` carried through elementwise entries, where it
    stays diagonal (``g · ∂`` is ``diag(d · ∂)``), in O(m) rather than O(m²) per entry."""

    __slots__ = ("d",)

    def __init__(self, d: np.ndarray) -> None:
        self.d = d

    def dense(self) -> np.ndarray:
        m = self.d.size
        out = np.zeros((m,) + self.d.shape)
        out.reshape(m, m)[np.arange(m), np.arange(m)] = self.d.reshape(-1)
        return out


def diag_step(prim: Primitive, parents: tuple, vals: tuple, kw: dict, ans: Any, g: Diag,
               adj: list) -> bool:
    """One entry of the sweep for a diagonal adjoint ``g``: the contributions to the entry's
    inputs accumulated into ``adj`` (diagonal where they stay so); False, with nothing
    accumulated, when the entry needs the dense batch (a broadcast input, a complex or boxed
    partial, a structural rule without ``diag_vjp`` or that declines)."""
    d = g.d
    out: list = []
    if prim.partials is not None:
        for j, p in enumerate(parents):
            if p is None:
                continue
            x = vals[j]
            if type(x) not in SHAPED or x.shape != d.shape:
                return False
            part = prim.partials[j]
            if part is ONE:
                out.append((p, g))
                continue
            q = partial_at(part, vals, ans)
            if type(q) is not float and not (type(q) is np.ndarray and q.dtype is F64
                                             and q.shape in (d.shape, ())):
                if type(q) is np.ndarray and q.dtype == np.bool_ and q.shape == d.shape:
                    q = q.astype(float)                  # a mask (relu's, max's)
                else:
                    return False
            out.append((p, Diag(d * q)))
    else:
        fn = prim.diag_vjp
        if fn is None:
            return False
        contribs = fn(tuple(p is not None for p in parents), d, ans, vals, kw)
        if contribs is None:
            return False
        for j, p in enumerate(parents):
            if p is not None:
                out.append((p, to_input(contribs[j], vals[j], 1)))
    for p, c in out:
        a = adj[p]
        if a is None:
            adj[p] = c
        elif type(a) is Diag and type(c) is Diag:
            adj[p] = Diag(a.d + c.d)
        else:
            adj[p] = (a.dense() if type(a) is Diag else a) + (
                c.dense() if type(c) is Diag else c)
    return True
