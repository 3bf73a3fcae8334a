"""The rule table, part 4: linear algebra (einsum, matmul).

``matmul``'s rules use numpy's matmul broadcasting, so a batch axis of directions rides along
for free in the common cases; ``einsum``'s JVP and VJP are einsums themselves.
"""
from __future__ import annotations

import string
from typing import Any

import numpy as np

from dualnum.primitive import Primitive, is_identity_seed, shape_of
from dualnum.rules_elementwise import REAL, is_symbolic
from dualnum.rules_reduce import sum
from dualnum.rules_shape import broadcast_to, lead_axes, reshape, transpose

# ============================== linear algebra ==============================

_LETTERS = string.ascii_letters


def parse_einsum(subscripts: str, n: int) -> tuple[list[str], str]:
    """Explicit form of an einsum spec: input subscripts and output subscript."""
    s = subscripts.replace(" ", "")
    if "->" in s:
        ins, out = s.split("->")
    else:
        ins = s
        labels = ins.replace("...", "").replace(",", "")
        out = ("..." if "..." in ins else "") + "".join(
            sorted(c for c in set(labels) if labels.count(c) == 1))
    parts = ins.split(",")
    if len(parts) != n:
        raise ValueError(f"einsum: subscripts {subscripts!r} name {len(parts)} operands, "
                         f"but {n} were given")
    return parts, out


def _fresh_label(parts: list[str], out: str) -> str:
    used = set("".join(parts) + out)
    return next(c for c in _LETTERS if c not in used)


def _einsum_impl(subscripts: str, *ops: Any) -> Any:
    if any(is_symbolic(o) for o in ops):
        return np.einsum(subscripts, *[np.asarray(o, dtype=object) for o in ops])
    big = any(np.size(o) > 2000 for o in ops) or len(ops) > 2
    return np.einsum(subscripts, *ops, optimize=big)


def _einsum_jvp(ts, ans, args, kw, b):
    subs, ops = args[0], args[1:]
    parts, out = parse_einsum(subs, len(ops))
    z = _fresh_label(parts, out) if b else ""
    total = None
    for i, t in enumerate(ts[1:]):
        if t is None:
            continue
        p = list(parts)
        p[i] = z + p[i]
        term = einsum(",".join(p) + "->" + z + out, *ops[:i], t, *ops[i + 1:])
        total = term if total is None else total + term
    return total


def _einsum_vjp(needs, g, ans, args, kw, b):
    subs, ops = args[0], args[1:]
    parts, out = parse_einsum(subs, len(ops))
    z = _fresh_label(parts, out) if b else ""
    res: list[Any] = [None]
    for i, op in enumerate(ops):
        if not needs[i + 1]:
            res.append(None)
            continue
        target = parts[i]
        plain = target.replace("...", "")
        if len(set(plain)) != len(plain):
            raise NotImplementedError(
                f"einsum {subs!r}: the derivative of a repeated index within one operand "
                "(a diagonal) is not supported; take the diagonal explicitly")
        others = "".join(p for j, p in enumerate(parts) if j != i) + out
        kept = "".join(c for c in target if c == "." or c in others)
        kept = kept.replace("...", "\0").replace(".", "").replace("\0", "...")
        if "..." in out and "..." not in kept:
            kept = "..." + kept   # broadcast dims: the tape sums them back to the operand
        spec = ",".join([z + out] + [p for j, p in enumerate(parts) if j != i]) + "->" + z + kept
        r = einsum(spec, g, *ops[:i], *ops[i + 1:])
        if kept.replace("...", "") != plain:  # labels summed inside operand i only
            xs = shape_of(op)
            shape = tuple(xs[k] if c in kept else 1 for k, c in enumerate(plain)) \
                if "..." not in target else None
            if shape is None:
                raise NotImplementedError(f"einsum {subs!r}: derivative not supported")
            r = broadcast_to(reshape(r, shape_of(r)[:b] + shape), shape_of(r)[:b] + xs)
        res.append(r)
    return tuple(res)


einsum = Primitive("einsum", _einsum_impl, sym=None, jvp=_einsum_jvp, vjp=_einsum_vjp,
                   domain=(None, REAL, REAL), family="linalg")


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
    _check_matmul(a, b)
    if is_symbolic(a) or is_symbolic(b):
        return np.matmul(np.asarray(a, dtype=object), np.asarray(b, dtype=object))
    return np.matmul(a, b)


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


def _matmul_jvp(ts, ans, args, kw, b):
    # tA @ B + A @ tB, with numpy's matmul broadcasting carrying the batch axis where it can
    A, B = args
    ta, tb = ts
    na, nb, no = len(shape_of(A)), len(shape_of(B)), len(shape_of(ans))
    if b and ((ta is not None and na == 1 and nb > 2) or (tb is not None and nb == 1 and na > 2)):
        spec = matmul_subscripts(na, nb)
        return _einsum_jvp((None, ta, tb), ans, (spec, A, B), {}, b)
    out = None
    if ta is not None:
        if b and na == 1 and nb == 2 and is_identity_seed(ta):
            out = _own(B)               # jacfwd's identity seed: I @ B is B
        else:
            out = matmul(lead_axes(ta, shape_of(A), no) if b and na >= 2 else ta, B)
    if tb is not None:
        if b and nb == 1 and na == 2 and is_identity_seed(tb):
            t = _own(_mT(A))            # jacfwd's identity seed: I @ Aᵀ is Aᵀ
        elif nb >= 2 or not b:
            t = matmul(A, lead_axes(tb, shape_of(B), no) if b else tb)
        else:   # tb is (k, n): (k, n) @ Aᵀ
            t = matmul(tb, _mT(A) if na == 2 else A)
        out = t if out is None else out + t
    return out


def _matmul_vjp(needs, g, ans, args, kw, b):
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


matmul = Primitive("matmul", _matmul_impl, sym=None, jvp=_matmul_jvp, vjp=_matmul_vjp,
                   domain=(REAL, REAL), family="linalg", nargs=2)

LINALG = (einsum, matmul)

__all__ = [p.name for p in LINALG] + ["parse_einsum", "matmul_subscripts"]
