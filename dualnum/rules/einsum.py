"""The rule table, part 4a: ``einsum``, the general tensor contraction.

Every einsum call is first resolved against its operands' shapes (``_plan``: validated, each
``...`` spelled out as letters, broadcast length-1 axes found), so the rules build only
explicit, broadcast-free specs and hand back adjoints of exactly each operand's shape. The JVP
and the VJP are einsums themselves, so they differentiate again. ``einsum_args`` reads
numpy's call forms (the subscripts string, or the sublist form) into one.
"""
from __future__ import annotations

import functools
import math
import string
from typing import Any

import numpy as np

from dualnum.primitive import Primitive, shape_of
from dualnum.rules._declare import REAL, as_objects, numeric_or_symbolic
from dualnum.rules.shape import broadcast_to, reshape

_LETTERS = string.ascii_letters
# numpy's sublist form numbers labels 0..51; its C parser maps 0..25 to 'A'..'Z' and 26..51 to
# 'a'..'z', so that implicit mode's alphabetical output order is the integers' order
_SUBLIST_LETTERS = string.ascii_uppercase + string.ascii_lowercase


def _check_term(term: str, what: str, subscripts: str) -> None:
    for c in term:
        if c not in _LETTERS and c != ".":
            raise ValueError(f"einsum: invalid character {c!r} in {what} of subscripts "
                             f"{subscripts!r} (labels are letters; '...' is the ellipsis)")
    if "." in term and (term.count(".") != 3 or "..." not in term):
        raise ValueError(f"einsum: {what} of subscripts {subscripts!r} has a '.' that is not "
                         f"part of a single '...': {term!r}")


def parse_einsum(subscripts: str, n: int) -> tuple[list[str], str]:
    """Explicit form of an einsum spec: the input subscripts and the output subscript.

    Without ``->`` (implicit mode) the output is, as in numpy, ``...`` if an input has one,
    then the labels that appear exactly once over all inputs, sorted (upper case first); a
    label repeated, within one operand or across several, is summed.

    >>> parse_einsum("ij,jk", 2)
    (['ij', 'jk'], 'ik')
    >>> parse_einsum("ii", 1)               # the trace
    (['ii'], '')
    >>> parse_einsum("j...,ij", 2)
    (['j...', 'ij'], '...i')
    """
    if not isinstance(subscripts, str):
        raise TypeError(f"einsum: subscripts must be a string, got {type(subscripts).__name__}"
                        " (for the sublist form use dualnum.numpy.einsum)")
    s = subscripts.replace(" ", "")
    if s.count("->") > 1:
        raise ValueError(f"einsum: subscripts {subscripts!r} contain '->' more than once")
    explicit = "->" in s
    ins, out = s.split("->") if explicit else (s, "")
    parts = ins.split(",")
    if len(parts) != n:
        raise ValueError(f"einsum: subscripts {subscripts!r} name {len(parts)} operand"
                         f"{'s' if len(parts) != 1 else ''}, but {n} "
                         f"{'were' if n != 1 else 'was'} given")
    for k, p in enumerate(parts):
        _check_term(p, f"operand {k}", subscripts)
    labels = ins.replace("...", "").replace(",", "")
    if explicit:
        _check_term(out, "the output", subscripts)
        plain = out.replace("...", "")
        for c in plain:
            if plain.count(c) > 1:
                raise ValueError(f"einsum: the output of {subscripts!r} repeats label {c!r}")
            if c not in labels:
                raise ValueError(f"einsum: output label {c!r} of {subscripts!r} appears in "
                                 "no input")
    else:
        out = ("..." if "..." in ins else "") + "".join(
            sorted(c for c in set(labels) if labels.count(c) == 1))
    return parts, out


class _Plan:
    """One einsum spec resolved against its operands' shapes (see :func:`_plan`)."""

    __slots__ = ("labels", "out", "eff", "effshape", "keep", "squeeze", "squeezed", "sizes",
                 "free", "spec", "big", "vjps")

    def __init__(self, labels: list[str], out: str, sizes: dict, shapes: tuple,
                 free: list[str]) -> None:
        self.labels = labels        # one letter per axis of each operand ('...' spelled out)
        self.out = out              # the output's letters
        self.sizes = sizes          # label -> size after broadcasting
        self.free = free            # letters no axis uses
        # an axis of length 1 whose label is longer elsewhere is broadcast: the rules drop it
        # (reshape), so every einsum they build is free of broadcasting, and put it back
        self.keep, self.eff, self.effshape, self.squeeze = [], [], [], []
        for lab, s in zip(labels, shapes):
            keep = tuple(p for p, (c, d) in enumerate(zip(lab, s))
                         if not (d == 1 and sizes[c] != 1))
            self.keep.append(keep)
            self.eff.append("".join(lab[p] for p in keep))
            self.effshape.append(tuple(s[p] for p in keep))
            self.squeeze.append(len(keep) != len(lab))
        self.squeezed = True in self.squeeze
        self.spec = ",".join(self.eff) + "->" + out
        # numpy's contraction-order search pays off only for many or large operands
        self.big = len(shapes) > 2 or any(math.prod(s) > 2000 for s in shapes)
        self.vjps: dict = {}


def _label_name(c: str, ell: str) -> str:
    if c in ell:
        return f"'...' axis {ell.index(c) - len(ell)} (counted from the right)"
    return f"label {c!r}"


@functools.lru_cache(maxsize=1024)
def _plan(subscripts: str, shapes: tuple) -> _Plan:
    """Validate ``subscripts`` against the operand ``shapes`` and spell everything out: each
    ``...`` becomes letters (right-aligned, broadcast like numpy's), every label gets its
    broadcast size. Raises ``ValueError`` naming the problem."""
    parts, out = parse_einsum(subscripts, len(shapes))
    counts = []
    for k, (p, s) in enumerate(zip(parts, shapes)):
        named = len(p) - (3 if "..." in p else 0)
        if "..." in p:
            if len(s) < named:
                raise ValueError(f"einsum: operand {k} has {len(s)} dimensions but subscripts "
                                 f"{p!r} name at least {named}")
            counts.append(len(s) - named)
        elif len(s) != named:
            raise ValueError(f"einsum: operand {k} has {len(s)} dimensions but subscripts "
                             f"{p!r} name {named}")
        else:
            counts.append(0)
    m = max(counts, default=0)
    used = set("".join(parts) + out) - {"."}
    free = [c for c in _LETTERS if c not in used]
    if m > len(free):
        raise ValueError(f"einsum: {subscripts!r} needs more than the 52 labels numpy allows")
    if m and "..." not in out:
        # numpy's own einsum refuses this too (only its optimize path would sum them)
        raise ValueError(f"einsum: in {subscripts!r} the '...' covers {m} dimension(s) but "
                         "the output has no '...'; write '...' in the output (and sum after)")
    ell = "".join(free[:m])
    labels = [p.replace("...", ell[m - c:]) for p, c in zip(parts, counts)]
    sizes: dict = {}
    first: dict = {}
    for k, (lab, s) in enumerate(zip(labels, shapes)):
        own: dict = {}
        for c, d in zip(lab, s):
            if c in own and own[c] != d:
                raise ValueError(f"einsum: operand {k} repeats {_label_name(c, ell)} on axes "
                                 f"of sizes {own[c]} and {d} (a diagonal needs equal sizes)")
            own[c] = d
        for c, d in own.items():
            e = sizes.get(c)
            if e is None or (e == 1 and d != 1):
                sizes[c], first[c] = d, k
            elif d != 1 and d != e:
                raise ValueError(f"einsum: {_label_name(c, ell)} has size {e} in operand "
                                 f"{first[c]} but {d} in operand {k} (sizes must match or be 1)")
    return _Plan(labels, out.replace("...", ell), sizes, shapes, free[m:])


def _shapes(ops: tuple) -> tuple:
    return tuple([o.shape if type(o) is np.ndarray else shape_of(o) for o in ops])


def _einsum_prepared(subscripts: str, ops: tuple) -> tuple[str, tuple, _Plan]:
    """The spec and operands numpy's einsum runs, and the plan (checked as numpy checks)."""
    if type(subscripts) is not str:
        parse_einsum(subscripts, len(ops))      # raises, naming the sublist form's entry
    if not ops:
        raise ValueError(f"einsum: subscripts {subscripts!r} but no operands given")
    P = _plan(subscripts, _shapes(ops))
    if P.squeezed or P.big:
        # the spelled-out, broadcast-free spec: numpy's optimize path (its own parser) neither
        # broadcasts labels nor refuses what its plain path refuses
        ops = tuple(np.reshape(o, s) if q else o
                    for o, s, q in zip(ops, P.effshape, P.squeeze))
        subscripts = P.spec
    return subscripts, ops, P


def _einsum_impl(subscripts: str, *ops: Any) -> Any:
    subscripts, ops, P = _einsum_prepared(subscripts, ops)
    return np.einsum(subscripts, *ops, optimize=P.big)


def _einsum_sym(subscripts: str, *ops: Any) -> Any:
    # numpy's plain (unoptimized) loop is the one that runs on object arrays
    subscripts, ops, _ = _einsum_prepared(subscripts, ops)
    return np.einsum(subscripts, *as_objects(*ops))


def _effective(P: _Plan, ops: tuple) -> list:
    """The operands with their broadcast (length-1) axes dropped."""
    return [reshape(o, P.effshape[j]) if P.squeeze[j] else o for j, o in enumerate(ops)]


def _einsum_jvp(ts, ans, args, kw, lead):
    # Σ_i einsum(..., ṫ_i, ...): einsum is linear in each operand; the batch axes of the
    # tangent ride along as a leading '...' (the spelled-out spec has no ellipsis left)
    ops = args[1:]
    P = _plan(args[0], _shapes(ops))
    bt = "..." if lead else ""
    eff = None
    total = None
    for i, t in enumerate(ts[1:]):
        if t is None:
            continue
        if eff is None:
            eff = _effective(P, ops)
        if P.squeeze[i]:
            t = reshape(t, shape_of(t)[:lead] + P.effshape[i])
        p = list(P.eff)
        p[i] = bt + p[i]
        lhs = ",".join(p)
        term = t if lhs == bt + P.out else einsum(
            lhs + "->" + bt + P.out, *eff[:i], t, *eff[i + 1:])
        total = term if total is None else total + term
    return total


def _vjp_recipe(P: _Plan, i: int, lead: bool) -> tuple:
    """How to build operand ``i``'s adjoint: (spec, masks, mid shape or None, broadcast?).

    One einsum of the output adjoint with the other operands gives the adjoint over the
    labels operand ``i`` shares with them. A label repeated within the operand (a diagonal)
    gets a fresh letter per extra occurrence plus an identity matrix joining the two, so the
    adjoint is zero off the diagonal. A label found nowhere else (summed inside the operand
    only) is left out and broadcast back; broadcast axes of length 1 come back as 1.
    """
    key = (i, lead)
    r = P.vjps.get(key)
    if r is not None:
        return r
    bt = "..." if lead else ""
    fresh = iter(P.free)
    seen: set = set()
    outl, masks, mask_arrays = [], [], []
    for c in P.eff[i]:
        if c in seen:
            f = next(fresh, None)
            if f is None:
                raise ValueError("einsum: too many repeated labels to differentiate within "
                                 "numpy's 52 letters")
            masks.append(c + f)
            eye = np.eye(P.sizes[c])
            eye.flags.writeable = False
            mask_arrays.append(eye)
            outl.append(f)
        else:
            seen.add(c)
            outl.append(c)
    others = [P.eff[j] for j in range(len(P.eff)) if j != i]
    avail = set(P.out).union(*others, *masks)
    present = "".join(c for c in outl if c in avail)
    ins = ",".join([bt + P.out] + others + masks)
    spec = None if ins == bt + present else ins + "->" + bt + present
    bcast = len(present) != len(outl)
    mid = None
    if bcast or P.squeeze[i]:
        keep = P.keep[i]
        shape = [1] * len(P.labels[i])
        for q, p in enumerate(keep):
            if outl[q] in avail:
                shape[p] = P.effshape[i][q]
        mid = tuple(shape)
    r = P.vjps[key] = (spec, tuple(mask_arrays), mid, bcast)
    return r


def _einsum_vjp(needs, g, ans, args, kw, lead):
    # each operand's adjoint is an einsum of g with the other operands, of exactly that
    # operand's shape (plus the b batch axes): broadcast axes are summed here, in place,
    # never left to the tape's unbroadcast (which sums leading axes only)
    ops = args[1:]
    P = _plan(args[0], _shapes(ops))
    lead = shape_of(g)[:lead]
    eff = None
    res: list[Any] = [None]
    for i, op in enumerate(ops):
        if not needs[i + 1]:
            res.append(None)
            continue
        if eff is None:
            eff = _effective(P, ops)
        spec, masks, mid, bcast = _vjp_recipe(P, i, bool(lead))
        r = g if spec is None else einsum(spec, g, *eff[:i], *eff[i + 1:], *masks)
        if mid is not None:
            r = reshape(r, lead + mid)
            if bcast:
                r = broadcast_to(r, lead + shape_of(op))
        res.append(r)
    return tuple(res)


einsum = Primitive("einsum", numeric_or_symbolic(_einsum_impl, _einsum_sym), sym=None,
                   jvp=_einsum_jvp, vjp=_einsum_vjp, domain=(None, REAL, REAL), family="linalg",
                   reads="args")


def _sublist(seq: Any, what: str) -> str:
    if isinstance(seq, (str, bytes)) or not isinstance(seq, (list, tuple, np.ndarray)):
        raise TypeError(f"einsum: the sublist of {what} must be a list of integers 0..51 and "
                        f"Ellipsis, got {type(seq).__name__}")
    out = []
    for v in seq:
        if v is Ellipsis:
            if "..." in out:
                raise ValueError(f"einsum: the sublist of {what} has more than one Ellipsis")
            out.append("...")
        elif isinstance(v, (int, np.integer)) and not isinstance(v, (bool, np.bool_)):
            if not 0 <= v < 52:
                raise ValueError(f"einsum: label {int(v)} in the sublist of {what} is not "
                                 "within [0, 52)")
            out.append(_SUBLIST_LETTERS[int(v)])
        else:
            raise TypeError(f"einsum: the sublist of {what} holds {v!r}; labels are integers "
                            "0..51 or Ellipsis")
    return "".join(out)


_EINSUM_DEFAULTS = {"dtype": None, "order": "K", "casting": "safe"}


def einsum_args(operands: tuple, kwargs: dict | None = None) -> tuple[str, tuple]:
    """numpy's two calling forms of einsum as ``(subscripts, operands)``: the subscripts form
    ``(subscripts, op0, op1, ...)`` and the sublist form ``(op0, sublist0, op1, sublist1, ...,
    [sublistout])`` (labels 0..51 and ``Ellipsis``). ``optimize`` is accepted and ignored (the
    implementation picks its own contraction); ``out=`` and non-default ``dtype``, ``order``,
    ``casting`` are refused.

    >>> import numpy as np
    >>> x = np.ones((2, 3))
    >>> einsum_args((x, [0, 1], x, [2, 1], [0, 2]))[0]
    'AB,CB->AC'
    >>> einsum_args((x, [Ellipsis, 0], [Ellipsis]))[0]
    '...A->...'
    """
    for k, v in (kwargs or {}).items():
        if k == "optimize" or (k in _EINSUM_DEFAULTS and v == _EINSUM_DEFAULTS[k]):
            continue
        raise TypeError(f"einsum: the keyword {k}={v!r} is not supported (out= would write "
                        "into an array derivatives cannot follow)" if k == "out" else
                        f"einsum: the keyword {k}={v!r} is not supported")
    if not operands:
        raise TypeError("einsum: give a subscripts string and operands, or operands each "
                        "followed by its sublist")
    if isinstance(operands[0], str):
        if len(operands) < 2:
            raise ValueError(f"einsum: subscripts {operands[0]!r} but no operands given")
        return operands[0], tuple(operands[1:])
    rest = list(operands)
    out = rest.pop() if len(rest) % 2 else None
    if not rest:
        raise TypeError("einsum: the sublist form is einsum(op0, sublist0, op1, sublist1, "
                        "..., [sublistout])")
    ops = tuple(rest[0::2])
    subs = [_sublist(s, f"operand {k}") for k, s in enumerate(rest[1::2])]
    spec = ",".join(subs) + ("" if out is None else "->" + _sublist(out, "the output"))
    return spec, ops

__all__ = ["einsum"]
