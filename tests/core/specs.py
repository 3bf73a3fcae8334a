"""Sample calls for every primitive of the rule table.

Elementwise primitives get their cases generated from the table itself (their declared test
domain, over scalar / vector / matrix shapes and broadcasting pairs), so a new elementwise rule
is tested the day it is declared. Structural primitives list their calls here by name; a test
fails if a structural primitive has none.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from dualnum.rules import all_rules

UNARY_SHAPES = [(), (4,), (3, 4)]
# every pairing within the broadcasting groups [(), (3,4), (3,1), (1,4)] and [(2,3,4), (2,1,4)]
BINARY_SHAPES = [((), ()), ((4,), (4,)), ((3, 4), (3, 4)), ((3, 4), (3, 1)), ((3, 4), (1, 4)),
                 ((3, 4), ()), ((), (3, 4)), ((3, 1), (1, 4)), ((1, 4), (3, 1)), ((3, 1), ()),
                 ((2, 3, 4), (2, 1, 4)), ((2, 1, 4), (2, 3, 4))]


@dataclass
class Case:
    prim: str
    args: list
    wrt: list[int]
    kwargs: dict = field(default_factory=dict)
    label: str = ""
    symbolic: bool = True       # False: the rule has no sympy counterpart (eigh, svd, qr ...)

    @property
    def id(self) -> str:
        return f"{self.prim}[{self.label}]"


def _sample(rng: np.random.Generator, domain: tuple, shape: tuple) -> Any:
    lo, hi = domain
    x = rng.uniform(lo, hi, size=shape)
    return float(x) if shape == () else x


def elementwise_cases(seed: int = 0) -> list[Case]:
    rng = np.random.default_rng(seed)
    out: list[Case] = []
    for p in swept_rules():
        if p.partials is None or p.name in SPECIAL_CASES_BY_NAME:
            continue
        if p.name == "where":
            for s in [(4,), (3, 4)]:
                c = rng.uniform(size=s) > 0.5
                out.append(Case("where", [c, _sample(rng, (-3, 3), s),
                                          _sample(rng, (-3, 3), s)], [1, 2], label=str(s)))
            out.append(Case("where", [rng.uniform(size=(3, 4)) > 0.5,
                                      _sample(rng, (-3, 3), (3, 1)), 0.5], [1],
                            label="broadcast"))
            continue
        if p.name == "clip":
            for s in UNARY_SHAPES:
                out.append(Case("clip", [_sample(rng, (-3, 3), s), -0.7, 0.8], [0, 1, 2],
                                label=str(s)))
            # issue 10: a scalar x with array bounds (x inside hi's range, so some entries are
            # clipped and some not), bounds of other shapes than x (their own random stream,
            # so the draws of the cases after these do not move)
            r2 = np.random.default_rng(seed + 100)
            out.append(Case("clip", [float(r2.uniform(0.55, 0.95)), _sample(r2, (-1, -0.5), (4,)),
                                     _sample(r2, (0.5, 1), (4,))], [0, 1, 2],
                            label="float,(4,),(4,)"))
            out.append(Case("clip", [_sample(r2, (-3, 3), (3, 1)), _sample(r2, (-1, -0.5), (1, 4)),
                                     0.8], [0, 1, 2], label="(3,1),(1,4),()"))
            continue
        if len(p.partials) == 1:
            for s in UNARY_SHAPES:
                out.append(Case(p.name, [_sample(rng, p.domain, s)], [0], label=str(s)))
        else:
            dx, dy = p.domain
            for sx, sy in BINARY_SHAPES:
                out.append(Case(p.name, [_sample(rng, dx, sx), _sample(rng, dy, sy)], [0, 1],
                                label=f"{sx},{sy}"))
    return out + special_cases()


# Every argument of a multi-argument elementwise rule in turn a Python float, a 0-d array, or
# one of the shapes (3,), (2, 3), (2, 1), (1, 3) (any mix broadcasts to at most (2, 3)).
BROADCAST_KINDS = ["float", (), (3,), (2, 3), (2, 1), (1, 3)]


def _sample_kind(rng: np.random.Generator, domain: tuple | None, kind: Any) -> Any:
    shape = () if kind == "float" else kind
    if domain is None:                       # a condition (where's first argument)
        c = np.asarray(rng.uniform(size=shape) > 0.5)
        return bool(c) if kind == "float" else c
    x = rng.uniform(*domain, size=shape)
    return float(x) if kind == "float" else np.asarray(x)


def broadcast_cases(seed: int = 2) -> list[Case]:
    """Every elementwise primitive with two or more arguments, every argument over every kind
    of ``BROADCAST_KINDS`` (all combinations: the scalar-first mixes included), differentiated
    with respect to each argument that has a partial (not ``where``'s condition)."""
    import itertools

    rng = np.random.default_rng(seed)
    out: list[Case] = []
    for p in swept_rules():
        if p.partials is None or len(p.partials) < 2:
            continue
        wrt = [i for i, d in enumerate(p.partials) if d is not None]
        for kinds in itertools.product(BROADCAST_KINDS, repeat=len(p.partials)):
            args = [_sample_kind(rng, dom, k) for dom, k in zip(p.domain, kinds)]
            out.append(Case(p.name, args, wrt, label=",".join(
                "float" if k == "float" else str(k).replace(" ", "") for k in kinds)))
    return out


def structural_cases(seed: int = 1) -> list[Case]:
    rng = np.random.default_rng(seed)

    def r(*s: int) -> np.ndarray:
        return rng.uniform(-2.0, 2.0, size=s)

    with_zero = r(3, 4)
    with_zero[1, 2] = 0.0
    cases = [
        Case("sum", [r(3, 4)], [0], {}, "all"),
        Case("sum", [r(3, 4)], [0], {"axis": 0}, "axis0"),
        Case("sum", [r(3, 4)], [0], {"axis": 1, "keepdims": True}, "keepdims"),
        Case("sum", [r(2, 3, 4)], [0], {"axis": (0, 2)}, "two-axes"),
        Case("mean", [r(3, 4)], [0], {}, "all"),
        Case("mean", [r(3, 4)], [0], {"axis": 0}, "axis0"),
        Case("mean", [r(3, 4)], [0], {"axis": -1, "keepdims": True}, "keepdims"),
        Case("mean", [r(2, 3, 4)], [0], {"axis": (0, 2)}, "two-axes"),
        Case("prod", [r(3, 4)], [0], {"axis": 1}, "axis1"),
        Case("prod", [r(4)], [0], {}, "vector"),
        Case("prod", [with_zero], [0], {"axis": 1}, "with-a-zero"),
        Case("max", [r(3, 4)], [0], {"axis": 1}, "axis1"),
        Case("max", [r(3, 4)], [0], {}, "all"),
        Case("min", [r(3, 4)], [0], {"axis": 0, "keepdims": True}, "axis0"),
        Case("einsum", ["ij,jk->ik", r(2, 3), r(3, 4)], [1, 2], {}, "matmul"),
        Case("einsum", ["i,i->", r(4), r(4)], [1, 2], {}, "inner"),
        Case("einsum", ["ijk->kj", r(2, 3, 4)], [1], {}, "sum-out"),
        Case("einsum", ["bij,bjk->bik", r(2, 2, 3), r(2, 3, 2)], [1, 2], {}, "batched"),
        Case("einsum", ["...ij,jk", r(2, 2, 3), r(3, 2)], [1, 2], {}, "implicit-ellipsis"),
        Case("einsum", ["ij,k->ijk", r(2, 3), r(2)], [1, 2], {}, "outer"),
        # issue 10: ellipses not leading, broadcast length-1 axes, repeated labels (their own
        # random stream, so the draws of the cases below do not move)
        *[Case("einsum", [spec, *[g.uniform(-2.0, 2.0, size=s) for s in shapes]],
               list(range(1, len(shapes) + 1)), {}, label)
          for g in [np.random.default_rng(seed + 10)]
          for spec, shapes, label in [
              ("i...,i...->i...", [(3,), (3, 2)], "ellipsis-not-leading"),
              ("...ij,...jk->...ik", [(1, 2, 3), (2, 3, 2)], "ellipsis-broadcast-1"),
              ("ij,jk->ik", [(2, 1), (3, 2)], "label-broadcast-1"),
              ("ii->", [(3, 3)], "trace"),
              ("ii->i", [(3, 3)], "diagonal"),
              ("ij,jj->i", [(2, 3), (3, 3)], "repeated-in-one-operand"),
              ("ii", [(3, 3)], "implicit-trace"),
          ]],
        Case("matmul", [r(3, 4), r(4, 2)], [0, 1], {}, "2d@2d"),
        Case("matmul", [r(4), r(4, 2)], [0, 1], {}, "1d@2d"),
        Case("matmul", [r(3, 4), r(4)], [0, 1], {}, "2d@1d"),
        Case("matmul", [r(4), r(4)], [0, 1], {}, "1d@1d"),
        Case("matmul", [r(2, 3, 4), r(4, 2)], [0, 1], {}, "3d@2d"),
        Case("matmul", [r(3, 4), r(2, 4, 2)], [0, 1], {}, "2d@3d"),
        Case("transpose", [r(2, 3, 4)], [0], {"axes": (1, 0, 2)}, "axes"),
        Case("transpose", [r(3, 4)], [0], {}, "default"),
        Case("reshape", [r(3, 4), (2, 6)], [0], {}, "2x6"),
        Case("reshape", [r(3, 4), (-1,)], [0], {}, "flat"),
        Case("broadcast_to", [r(3, 1), (2, 3, 4)], [0], {}, "3x1->2x3x4"),
        Case("broadcast_to", [r(4), (3, 4)], [0], {}, "4->3x4"),
        Case("concatenate", [r(2, 3), r(4, 3)], [0, 1], {"axis": 0}, "axis0"),
        Case("concatenate", [r(2, 3), r(2, 1)], [0, 1], {"axis": 1}, "axis1"),
        Case("pad", [r(3, 4)], [0], {"pad_width": ((1, 2), (0, 1))}, "2d"),
        Case("getitem", [r(4, 5), 1], [0], {}, "int"),
        Case("getitem", [r(4, 5), slice(1, 3)], [0], {}, "slice"),
        Case("getitem", [r(4, 5), (slice(None), np.array([0, 2, 2]))], [0], {}, "repeat"),
        Case("getitem", [r(4, 5), (np.array([0, 1]), np.array([2, 3]))], [0], {}, "pairs"),
        Case("getitem", [r(4, 5), (Ellipsis, 0)], [0], {}, "ellipsis"),
        Case("getitem", [r(3, 4, 5), (np.array([0, 1]), slice(None), np.array([1, 2]))],
             [0], {}, "split-advanced"),
        Case("getitem", [r(3, 4), r(3, 4) > 0], [0], {}, "mask"),
        Case("index_add", [r(4), np.array([0, 2, 0, 1])], [0], {"shape": (3,)}, "repeat"),
        Case("index_add", [r(2, 5), slice(1, 3)], [0], {"shape": (4, 5)}, "slice"),
        Case("logsumexp", [r(3, 4)], [0], {"axis": -1}, "last"),
        Case("logsumexp", [r(3, 4)], [0], {"axis": 0, "keepdims": True}, "axis0"),
        Case("logsumexp", [r(3, 4)], [0], {"axis": None}, "all"),
        Case("softmax", [r(3, 4)], [0], {"axis": -1}, "last"),
        Case("softmax", [r(3, 4)], [0], {"axis": 0}, "axis0"),
        Case("log_softmax", [r(3, 4)], [0], {"axis": -1}, "last"),
        Case("log_softmax", [r(4)], [0], {"axis": 0}, "vector"),
        # the small-block path of max/min (slices and np.maximum; tests/core/test_windows.py
        # checks it against numpy's reduction, ties included) and the sliding windows (their
        # own random stream, so the draws of the cases below do not move)
        *[Case(prim, [g.uniform(-2.0, 2.0, size=shape)], [0], kw, label)
          for g in [np.random.default_rng(seed + 20)]
          for prim, shape, kw, label in [
              ("max", (4, 2, 8, 2, 4), {"axis": (1, 3)}, "pool-block"),
              ("min", (100, 3), {"axis": 1, "keepdims": True}, "small-last-axis"),
              ("sliding_window_view", (6,), {"window_shape": 3}, "1d"),
              ("sliding_window_view", (2, 4, 5, 2), {"window_shape": (2, 3), "axis": (1, 2)},
               "batched-2d"),
              ("sliding_window_view", (3, 4), {"window_shape": (2, 2)}, "all-axes"),
              ("window_add", (4, 3), {"window_shape": 3, "axis": 0, "shape": (6,)}, "1d"),
              ("window_add", (2, 3, 2, 2, 2),
               {"window_shape": (2, 2), "axis": (0, 1), "shape": (3, 4, 2)}, "2d"),
          ]],
        # b[:, None] and x[None, ..., None]: only new axes (the VJP is a reshape)
        *[Case("getitem", [g.uniform(-2.0, 2.0, size=shape), idx], [0], {}, label)
          for g in [np.random.default_rng(seed + 30)]
          for shape, idx, label in [((3,), (slice(None), None), "new-axis"),
                                    ((2, 3), (None, Ellipsis, None), "new-axes-ellipsis")]],
        # on real input (complex input: tests/core/test_complex.py)
        Case("real", [r(3, 4)], [0], {}, "real-input"),
        Case("imag", [r(4)], [0], {}, "real-input"),
        Case("conj", [r(3, 4)], [0], {}, "real-input"),
        # ---- the fft family (issue 12; their own random stream): real inputs here, since
        # the sweeps compare real numbers (a complex output is checked as its real and
        # imaginary parts); complex inputs, every norm, batches and the Hermitian halving at
        # every length: tests/core/test_fft_*.py
        *[Case(name, [g.uniform(-2.0, 2.0, size=shape)], [0], kw, label)
          for g in [np.random.default_rng(seed + 20)]
          for name, shape, kw, label in [
              ("fft", (6,), {}, "even"),
              ("fft", (5,), {"n": 8, "norm": "ortho"}, "pad-ortho"),
              ("fft", (3, 4), {"axis": 0, "n": 2}, "cut-axis0"),
              ("ifft", (5,), {}, "odd"),
              ("ifft", (2, 4), {"n": 6, "norm": "forward"}, "pad-forward"),
              ("rfft", (6,), {}, "even"),
              ("rfft", (7,), {"norm": "ortho"}, "odd-ortho"),
              ("rfft", (2, 5), {"n": 8}, "pad-even"),
              ("rfft", (9,), {"n": 5, "norm": "forward"}, "cut-odd"),
              ("irfft", (4,), {}, "even-default"),
              ("irfft", (4,), {"n": 7}, "odd"),
              ("irfft", (3, 5), {"n": 6, "axis": 0, "norm": "ortho"}, "pad-axis0"),
              ("irfft", (6,), {"n": 4, "norm": "forward"}, "cut"),
          ]],
    ]
    return cases + linalg_cases(seed)


# ------------------------------------------------------------------ the matrix rules (issue 12)
def linalg_cases(seed: int = 1) -> list[Case]:
    """The rows of rules/solves.py and rules/decompositions.py, each matrix argument drawn from
    its row's declared domain (well-conditioned, SPD, well-separated spectra ...), over single
    matrices, stacks, non-square shapes and numpy 2's solve shapes (their own random stream)."""
    rng = np.random.default_rng(seed + 20)
    rule = {p.name: p for p in all_rules()}

    def m(name: str, *shape: int) -> np.ndarray:
        return rule[name].domain[0].sample(rng, shape)

    def v(*shape: int) -> np.ndarray:
        return rng.uniform(-2.0, 2.0, size=shape)

    negative_det = m("slogdet", 3, 3)
    negative_det[0] *= -1.0
    cases = [
        Case("inv", [m("inv", 3, 3)], [0], {}, "3x3"),
        Case("inv", [m("inv", 2, 3, 3)], [0], {}, "stack"),
        Case("solve", [m("solve", 3, 3), v(3)], [0, 1], {}, "vector"),
        Case("solve", [m("solve", 3, 3), v(3, 2)], [0, 1], {}, "matrix"),
        Case("solve", [m("solve", 2, 3, 3), v(3)], [0, 1], {}, "stack,vector"),
        Case("solve", [m("solve", 3, 3), v(2, 3, 2)], [0, 1], {}, "matrix,stack"),
        Case("solve", [m("solve", 2, 1, 2, 2), v(3, 2, 1)], [0, 1], {}, "broadcast-batch"),
        Case("det", [m("det", 3, 3)], [0], {}, "3x3"),
        Case("det", [m("det", 2, 3, 3)], [0], {}, "stack"),
        Case("adjugate", [m("adjugate", 3, 3)], [0], {}, "3x3"),
        Case("adjugate", [m("adjugate", 2, 3, 3)], [0], {}, "stack"),
        Case("slogdet", [m("slogdet", 3, 3)], [0], {}, "3x3"),
        Case("slogdet", [negative_det], [0], {}, "negative-det"),
        Case("slogdet", [m("slogdet", 2, 3, 3)], [0], {}, "stack"),
        Case("pinv", [m("pinv", 3, 2)], [0], {}, "tall", symbolic=False),
        Case("pinv", [m("pinv", 2, 3)], [0], {}, "wide", symbolic=False),
        Case("pinv", [m("pinv", 3, 3)], [0], {"hermitian": False}, "square", symbolic=False),
        Case("pinv", [m("eigh", 3, 3)], [0], {"hermitian": True}, "hermitian", symbolic=False),
        Case("cholesky", [m("cholesky", 3, 3)], [0], {}, "3x3"),
        Case("cholesky", [m("cholesky", 2, 3, 3)], [0], {}, "stack"),
        Case("cholesky", [m("cholesky", 3, 3)], [0], {"upper": True}, "upper"),
        Case("eigh", [m("eigh", 3, 3)], [0], {}, "3x3", symbolic=False),
        Case("eigh", [m("eigh", 2, 3, 3)], [0], {}, "stack", symbolic=False),
        Case("eigh", [m("eigh", 3, 3)], [0], {"UPLO": "U"}, "upper", symbolic=False),
        Case("eigvalsh", [m("eigvalsh", 3, 3)], [0], {}, "3x3", symbolic=False),
        Case("eigvalsh", [m("eigvalsh", 2, 3, 3)], [0], {"UPLO": "U"}, "stack,upper",
             symbolic=False),
        Case("svd", [m("svd", 3, 3)], [0], {}, "3x3", symbolic=False),
        Case("svd", [m("svd", 4, 3)], [0], {}, "tall", symbolic=False),
        Case("svd", [m("svd", 3, 4)], [0], {}, "wide", symbolic=False),
        Case("svd", [m("svd", 2, 3, 2)], [0], {}, "stack", symbolic=False),
        Case("svdvals", [m("svdvals", 3, 3)], [0], {}, "3x3", symbolic=False),
        Case("svdvals", [m("svdvals", 4, 3)], [0], {}, "tall", symbolic=False),
        Case("svdvals", [m("svdvals", 2, 2, 3)], [0], {}, "stack,wide", symbolic=False),
        Case("qr", [m("qr", 3, 3)], [0], {}, "3x3", symbolic=False),
        Case("qr", [m("qr", 4, 3)], [0], {}, "tall", symbolic=False),
        Case("qr", [m("qr", 3, 4)], [0], {}, "wide", symbolic=False),
        Case("qr", [m("qr", 2, 3, 2)], [0], {}, "stack", symbolic=False),
    ]
    return cases


def all_cases() -> list[Case]:
    return elementwise_cases() + structural_cases()


def quick_first(items: list, key: Any, ids: list, unpack: bool = False) -> list:
    """A sweep as ``pytest.param``s: the first item of each ``key(item)`` (e.g. each rule's
    first shape) runs in the quick loop, the others are marked ``slow``; ``pytest -m "not
    slow"`` leaves them out, a plain ``pytest`` (CI) runs them all. A key of ``None``: always
    slow. ``unpack``: an item is a tuple of several parameters."""
    import pytest

    seen: set = set()
    out = []
    for item, id_ in zip(items, ids, strict=True):
        k = key(item)
        out.append(pytest.param(*(item if unpack else (item,)), id=id_,
                                marks=(pytest.mark.slow,) if k is None or k in seen else ()))
        seen.add(k)
    return out


# ================= the scipy.special rows (rules/special.py; issue 13, item 3) =================
# They compute with scipy, an optional extra. Without it every sweep leaves them out
# (swept_rules), and tests/core/test_special_rows.py skips, saying so (SCIPY_MISSING). Their
# unary and binary rows take the generic cases above from their declared domains; the rows
# with an order or shape parameter (never differentiated) and three-argument betainc list
# theirs here, as do the points off the sampling domain (negative x, poles' neighbours).
try:
    import scipy.special as _scipy_special
except ImportError:
    _scipy_special = None

from dualnum.rules.special import SPECIAL  # noqa: E402  (the block stays in one place)

SPECIAL_ROWS = tuple(p.name for p in SPECIAL)
SCIPY_MISSING = None if _scipy_special is not None else (
    "scipy is not installed (pip install dualnum-toolkit[scipy]): the rule sweeps leave out "
    f"the {len(SPECIAL_ROWS)} scipy.special rows ({', '.join(SPECIAL_ROWS)})")


def swept_rules() -> list:
    """``all_rules()``, less the scipy.special rows when scipy is missing."""
    return [p for p in all_rules() if _scipy_special is not None or p.name not in SPECIAL_ROWS]


def scipy_reference(name: str) -> Any:
    """scipy.special's function of a row's name (the numeric reference of the sweeps that
    compare with a library function), or None."""
    return getattr(_scipy_special, name, None) if name in SPECIAL_ROWS else None


def _special_order_cases(rng: np.random.Generator) -> list[Case]:
    out: list[Case] = []
    for n in (0, 1, 2, 3):
        out.append(Case("polygamma", [n, float(rng.uniform(0.3, 3.0))], [1], label=f"n={n}"))
    out.append(Case("polygamma", [np.array([0, 1, 2, 3]), rng.uniform(0.3, 3.0, (3, 1))], [1],
                    label="n(4,),x(3,1)"))
    out.append(Case("polygamma", [1, rng.uniform(-2.9, -2.1, (4,))], [1], label="x<0"))
    for name, lo in (("iv", -3.0), ("ive", -3.0), ("jv", -3.0), ("yv", 0.2)):
        for v in (0, 1, 2):
            out.append(Case(name, [v, float(rng.uniform(lo, 3.0))], [1], label=f"v={v}"))
        # real orders (then x > 0: a real power of a negative x is not real)
        out.append(Case(name, [np.array([0.5, 1.5, 2.5]), rng.uniform(0.2, 3.0, (4, 1))], [1],
                        label="v(3,)real,x(4,1)"))
        out.append(Case(name, [1, rng.uniform(lo, 3.0, (3, 4))], [1], label="(3,4)"))
    for df in (1.0, 2.5, 30.0):
        out.append(Case("stdtr", [df, float(rng.uniform(-3.0, 3.0))], [1], label=f"df={df}"))
    out.append(Case("stdtr", [np.array([1.0, 4.0, 9.0]), rng.uniform(-3.0, 3.0, (2, 1))], [1],
                    label="df(3,),t(2,1)"))
    out.append(Case("betainc", [2.0, 3.0, float(rng.uniform(0.05, 0.95))], [2], label="float"))
    out.append(Case("betainc", [rng.uniform(0.5, 3.0, (3,)), 1.5, rng.uniform(0.05, 0.95, (2, 3))],
                    [2], label="a(3,),x(2,3)"))
    return out


def _special_off_domain_cases(rng: np.random.Generator) -> list[Case]:
    """Points the declared domains do not sample: negative x between the poles of the gamma
    family, the tails of the normal cdf, far into the Bessel functions' oscillations."""
    out: list[Case] = []
    between_poles = np.array([-2.7, -1.4, -0.6, 0.05])
    for name in ("gammaln", "gamma", "digamma"):
        out.append(Case(name, [between_poles + rng.uniform(-0.05, 0.05, 4)], [0],
                        label="between-poles"))
    out.append(Case("log_ndtr", [np.array([-12.0, -5.0, 0.0, 6.0])], [0], label="tails"))
    out.append(Case("ndtr", [np.array([-8.0, -2.0, 2.0, 8.0])], [0], label="tails"))
    for name, far in (("j0", 15.0), ("j1", 15.0), ("y0", 15.0), ("y1", 15.0), ("i0", 6.0),
                      ("i1", 6.0)):       # (i grows like e^x: central differences lose digits)
        out.append(Case(name, [np.array([0.0 if name[0] != "y" else 0.1, 4.5, far])], [0],
                        label="zero-and-far"))
    # (near, not at, the edges: central differences, the sweeps' reference, need room; the
    # edges themselves are tests/scipy/test_special_edges.py's, against closed forms)
    out.append(Case("erfinv", [np.array([-0.99, -1e-8, 0.5, 0.95])], [0], label="near-1"))
    out.append(Case("logit", [np.array([0.01, 0.5, 0.99])], [0], label="near-0-1"))
    out.append(Case("xlogy", [np.array([0.0, 2.0, -1.5]), np.array([0.7, 0.05, 4.0])], [0, 1],
                    label="x=0"))
    return out


def special_cases(seed: int = 11) -> list[Case]:
    """The block's explicit cases (empty without scipy)."""
    if _scipy_special is None:
        return []
    rng = np.random.default_rng(seed)
    return _special_order_cases(rng) + _special_off_domain_cases(rng)


# rows whose cases are only the explicit ones (the generic generator would give an order
# parameter random reals, or cannot unpack three domains)
SPECIAL_CASES_BY_NAME = ("polygamma", "iv", "ive", "jv", "yv", "stdtr", "betainc")
