"""The rule table, part 4: linear algebra (``matmul``; ``einsum`` is declared in
:mod:`dualnum.rules.einsum` and sits in this family's tuple beside it).

``matmul``'s rules use numpy's matmul broadcasting, so a batch axis of directions rides along
for free in the common cases; where it cannot (a vector times a stack), the JVP is einsum's.
"""
from __future__ import annotations

from contextlib import contextmanager
from typing import Any, Iterator

import numpy as np

from dualnum.primitive import Primitive, shape_of
from dualnum.rules._declare import REAL, as_objects, numeric_or_symbolic
from dualnum.rules.einsum import _einsum_jvp, einsum
from dualnum.rules.reduce import sum
from dualnum.rules.shape import lead_axes, reshape, transpose

_IDENTITY_SEEDS: dict[int, np.ndarray] = {}     # id -> the very array, while its pass runs


@contextmanager
def identity_seeds(*seeds: np.ndarray) -> Iterator[None]:
    """While the block runs, matmul's JVP knows that these (k, k) arrays are identities: the
    directions ``jacfwd`` pushes through when one pass carries every direction of a vector
    input. It then skips the product with one (``I @ Aᵀ`` is a copy of ``Aᵀ``), as JAX skips
    symbolic zeros. Only the very arrays are known, and only inside the block.

    >>> s = np.eye(3)
    >>> with identity_seeds(s):
    ...     _is_identity_seed(s), _is_identity_seed(np.eye(3))
    (True, False)
    >>> _is_identity_seed(s)
    False
    """
    for s in seeds:
        _IDENTITY_SEEDS[id(s)] = s
    try:
        yield
    finally:
        for s in seeds:
            if _IDENTITY_SEEDS.get(id(s)) is s:
                del _IDENTITY_SEEDS[id(s)]


def _is_identity_seed(t: Any) -> bool:
    return type(t) is np.ndarray and _IDENTITY_SEEDS.get(id(t)) is t


def matmul_subscripts(na: int, nb: int) -> str:
    """The einsum spec equal to ``matmul`` for operands of ``na`` and ``nb`` dimensions."""
    sa = "...ij" if na >= 2 else "j"
    sb = "...jk" if nb >= 2 else "j"
    so = ("..." if na >= 2 or nb >= 2 else "") + ("i" if na >= 2 else "") + \
        ("k" if nb >= 2 else "")
    return f"{sa},{sb}->{so}"


def _check_matmul(a: Any, b: Any) -> None:
    sa, sb = shape_of(a), shape_of(b)
    if not sa or not sb:
        raise ValueError(f"matmul: operands must be at least 1-D, got shapes {sa} and {sb} "
                         "(use * for scalars)")
    ka = sa[-1]
    kb = sb[-2] if len(sb) >= 2 else sb[0]
    if ka != kb:
        raise ValueError(f"matmul: shapes {sa} and {sb} are not aligned "
                         f"({ka} (dim {len(sa) - 1}) != {kb} (dim {max(len(sb) - 2, 0)}))")


def _matmul_impl(a: Any, b: Any) -> Any:
    if (type(a) is np.ndarray and type(b) is np.ndarray and a.ndim and b.ndim
            and a.dtype.char != "O" and b.dtype.char != "O"):
        try:
            return np.matmul(a, b)
        except ValueError:
            pass                        # misaligned: _check_matmul names the shapes
    return _matmul_general(a, b)


def _matmul_checked(a: Any, b: Any) -> Any:
    _check_matmul(a, b)
    return np.matmul(a, b)


# two numeric arrays take the fast path above (the MLPs' every product); everything else,
# sympy values included, the general one
_matmul_general = numeric_or_symbolic(
    _matmul_checked, lambda a, b: _matmul_checked(*as_objects(a, b)))


def _mT(x: Any) -> Any:
    if type(x) is np.ndarray:   # a constant operand: a view, no dispatch
        return x.swapaxes(-1, -2)
    n = len(shape_of(x))
    return transpose(x, tuple(range(n - 2)) + (n - 1, n - 2))


def _own(x: Any) -> Any:
    """A fresh contiguous copy of a constant operand (a tangent must never alias the user's
    arrays: a Jacobian handed back could otherwise be a view of ``A``)."""
    return np.array(x) if type(x) is np.ndarray else x


def _col(g: Any) -> Any:
    return reshape(g, shape_of(g) + (1,))


def _matmul_jvp(ts, ans, args, kw, lead):
    # tA @ B + A @ tB, with numpy's matmul broadcasting carrying the batch axis where it can
    A, B = args
    ta, tb = ts
    na, nb, no = len(shape_of(A)), len(shape_of(B)), len(shape_of(ans))
    if lead and ((ta is not None and na == 1 and nb > 2)
                 or (tb is not None and nb == 1 and na > 2)):
        spec = matmul_subscripts(na, nb)
        return _einsum_jvp((None, ta, tb), ans, (spec, A, B), {}, lead)
    out = None
    if ta is not None:
        if lead and na == 1 and nb == 2 and _is_identity_seed(ta):
            out = _own(B)               # jacfwd's identity seed: I @ B is B
        else:
            out = matmul(lead_axes(ta, shape_of(A), no) if lead and na >= 2 else ta, B)
    if tb is not None:
        if lead and nb == 1 and na == 2 and _is_identity_seed(tb):
            t = _own(_mT(A))            # jacfwd's identity seed: I @ Aᵀ is Aᵀ
        elif nb >= 2 or not lead:
            t = matmul(A, lead_axes(tb, shape_of(B), no) if lead else tb)
        else:   # tb is (k, n): (k, n) @ Aᵀ
            t = matmul(tb, _mT(A) if na == 2 else A)
        out = t if out is None else out + t
    return out


def _matmul_vjp(needs, g, ans, args, kw, lead):
    # gA = g Bᵀ, gB = Aᵀ g, with the 1-D cases as outer products; the tape sums broadcast
    # batch axes back to each operand's shape
    A, B = args
    if (type(g) is np.ndarray and type(A) is np.ndarray and type(B) is np.ndarray
            and A.ndim == 2 and B.ndim == 2 and g.ndim == 2):
        # the dense layer on plain arrays, the commonest entry of a network's sweep: numpy
        # directly (two dispatches through matmul cost ~5 % of a small MLP's gradient)
        return (g @ B.T if needs[0] else None), (A.T @ g if needs[1] else None)
    na, nb = len(shape_of(A)), len(shape_of(B))
    gA = gB = None
    if na >= 2 and nb >= 2:
        gA = matmul(g, _mT(B)) if needs[0] else None
        gB = matmul(_mT(A), g) if needs[1] else None
    elif na >= 2:                                   # B is a vector: out (..., m)
        gA = _col(g) * B if needs[0] else None
        if needs[1]:
            gB = matmul(g, A) if na == 2 else sum(_col(g) * A, axis=-2)
    elif nb >= 2:                                   # A is a vector: out (..., p)
        if needs[0]:
            gA = matmul(g, _mT(B)) if nb == 2 else sum(
                reshape(g, shape_of(g)[:-1] + (1,) + shape_of(g)[-1:]) * B, axis=-1)
        if needs[1]:
            gB = reshape(A, shape_of(A) + (1,)) * reshape(
                g, shape_of(g)[:-1] + (1,) + shape_of(g)[-1:])
    else:                                           # two vectors: out ()
        gA = _col(g) * B if needs[0] else None
        gB = _col(g) * A if needs[1] else None
    return gA, gB


def _matmul_diag_vjp(needs, d, ans, args, kw):
    """The VJP of a diagonal cotangent batch (row ``k`` = ``d_k e_k``, see
    :class:`~dualnum.primitive.Primitive`) for a matrix times a vector, either side: the
    vector's rows are ``d_k A[k, :]`` (``A @ x``) or ``d_k B[:, k]`` (``x @ B``), an O(m n)
    scaling instead of the O(m² n) product with the dense batch. Other shapes: None (the
    sweep then uses the dense batch).

    >>> A = np.arange(6.0).reshape(3, 2)
    >>> _matmul_diag_vjp((False, True), np.array([1.0, 2.0, 3.0]), None, (A, np.ones(2)), {})[1]
    array([[ 0.,  1.],
           [ 4.,  6.],
           [12., 15.]])
    """
    A, B = args
    if type(A) is not np.ndarray or type(B) is not np.ndarray or type(d) is not np.ndarray:
        return None
    m = d.shape[0] if d.ndim == 1 else -1
    if A.ndim == 2 and B.ndim == 1 and m == A.shape[0]:         # A @ x: (m, n) @ (n,)
        gA = None
        if needs[0]:
            gA = np.zeros((m, m, B.shape[0]))
            gA[np.arange(m), np.arange(m)] = d[:, None] * B
        return gA, (d[:, None] * A if needs[1] else None)
    if A.ndim == 1 and B.ndim == 2 and m == B.shape[1]:         # x @ B: (n,) @ (n, m)
        gB = None
        if needs[1]:
            gB = np.zeros((m, B.shape[0], m))
            gB[np.arange(m), :, np.arange(m)] = d[:, None] * A
        return (d[:, None] * B.T if needs[0] else None), gB
    return None


matmul = Primitive("matmul", _matmul_impl, sym=None, jvp=_matmul_jvp, vjp=_matmul_vjp,
                   domain=(REAL, REAL), family="linalg", nargs=2, reads="args",
                   diag_vjp=_matmul_diag_vjp, on_arrays=np.matmul)

LINALG = (einsum, matmul)

__all__ = [p.name for p in LINALG]
