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
    for p in all_rules():
        if p.partials is None:
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
    return out


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
    for p in all_rules():
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
