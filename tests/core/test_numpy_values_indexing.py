"""dualnum.numpy against numpy, name by name: shapes and indexing (issue 13) — joining and
splitting (``dualnum/numpy/_stacking.py``), gathers and index_add (``_indexing.py``),
rearranging (``_rearranging.py``), kron and cross (``_kron_cross.py``), r_, c_ and meshgrid
(``_index_tricks.py``). A list result is compared as a tuple, piece by piece. How a case is
checked: numpy_value_cases.py."""
from __future__ import annotations

import inspect as _inspect
import warnings
from typing import Callable

import numpy as np
import pytest

import dualnum.numpy as dnp

from .numpy_value_cases import SHAPES, ValueCases
from .numpy_value_cases import Z as _Z

T = ValueCases(seed=1014)
CASES, case, u, inputs = T.cases, T.case, T.u, T.inputs


def _tup(f: Callable) -> Callable:
    return lambda *a: tuple(f(*a))


def _quiet(f: Callable) -> Callable:
    """``f`` without numpy 2's DeprecationWarning (row_stack, cross of 2-vectors), which
    numpy's reference and dnp both give (test_shape_names.py checks that they do)."""
    def run(*a):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            return f(*a)
    return run


def _add_at(x, idx, v):
    out = np.array(x, dtype=np.result_type(np.asarray(x), np.asarray(v), float))
    np.add.at(out, idx, v)
    return out


for _shape in SHAPES:
    for _lab, _x in inputs(_shape):
        for _name in ("atleast_1d", "atleast_2d", "atleast_3d", "ravel", "flipud", "fliplr",
                      "tril", "triu"):
            case(_name, _lab, getattr(dnp, _name), getattr(np, _name), _x)
        for _name in ("atleast_1d", "atleast_2d", "atleast_3d"):
            case(_name, f"{_lab},several", lambda x, n=_name: getattr(dnp, n)(x, 2.0, [x, x]),
                 lambda x, n=_name: getattr(np, n)(x, 2.0, [x, x]), _x)
        for _name in ("vstack", "hstack", "dstack", "column_stack", "append"):
            case(_name, _lab, lambda x, n=_name: getattr(dnp, n)([x, 2 * x]),
                 lambda x, n=_name: getattr(np, n)([x, 2 * x]), _x)
        case("ravel", f"{_lab},F", lambda x: dnp.ravel(x, order="F"),
             lambda x: np.ravel(x, order="F"), _x)
        case("append", f"{_lab},values", lambda x: dnp.append(x, [[1.0], [2.0]]),
             lambda x: np.append(x, [[1.0], [2.0]]), _x)
        case("append", f"{_lab},to", lambda v: dnp.append([1.0, 2.0], v),
             lambda v: np.append([1.0, 2.0], v), _x)
        for _r in (0, 1, 3, np.int64(2)):
            case("repeat", f"{_lab},{_r}", lambda x, r=_r: dnp.repeat(x, r),
                 lambda x, r=_r: np.repeat(x, r), _x)
        for _reps in (2, (2, 1), (1, 2, 3), (), (0, 2), [2, 1, 1, 2]):
            case("tile", f"{_lab},{_reps}", lambda x, r=_reps: dnp.tile(x, r),
                 lambda x, r=_reps: np.tile(x, r), _x)
        for _sh in (1, -2, 7, 0, (1, 2)):
            case("roll", f"{_lab},{_sh}", lambda x, s=_sh: dnp.roll(x, s),
                 lambda x, s=_sh: np.roll(x, s), _x)
        for _idx in ([0, -1, 0], 0, [[0, 1], [1, 0]], np.array([], dtype=int)):
            case("take", f"{_lab},{_idx!r}", lambda x, i=_idx: dnp.take(x, i),
                 lambda x, i=_idx: np.take(x, i), _x)
        for _mode in ("wrap", "clip"):
            case("take", f"{_lab},{_mode}", lambda x, m=_mode: dnp.take(x, [5, -7, 1], mode=m),
                 lambda x, m=_mode: np.take(x, [5, -7, 1], mode=m), _x)
        case("take", f"{_lab},out of bounds", lambda x: dnp.take(x, [100]),
             lambda x: np.take(x, [100]), _x)
        case("take_along_axis", f"{_lab},None", lambda x: dnp.take_along_axis(x, [0, -1, 0],
                                                                             axis=None),
             lambda x: np.take_along_axis(np.asarray(x), np.array([0, -1, 0]), axis=None), _x)
        for _k in (0, 1, -1, 3, -5):
            for _name in ("tril", "triu"):
                case(_name, f"{_lab},k={_k}", lambda x, k=_k, n=_name: getattr(dnp, n)(x, k=k),
                     lambda x, k=_k, n=_name: getattr(np, n)(x, k=k), _x)
        case("kron", f"{_lab},first", lambda x: dnp.kron(x, [1.0, -2.0]),
             lambda x: np.kron(x, [1.0, -2.0]), _x)
        case("kron", f"{_lab},second", lambda x: dnp.kron([[1.0], [3.0]], x),
             lambda x: np.kron([[1.0], [3.0]], x), _x)
        case("kron", f"{_lab},square", lambda x: dnp.kron(x, x), lambda x: np.kron(x, x), _x)
        case("meshgrid", _lab, _tup(lambda x: dnp.meshgrid(x, [1.0, 2.0, 3.0])),
             _tup(lambda x: np.meshgrid(x, [1.0, 2.0, 3.0])), _x)
        if _lab == "float":     # numpy's split and rollaxis read .shape/.ndim: not of a float
            continue
        for _name, _splits in (("split", 1), ("array_split", 3), ("array_split", [1, 3]),
                               ("split", [0, 2, 2, 10])):
            case(_name, f"{_lab},{_splits}",
                 _tup(lambda x, n=_name, s=_splits: getattr(dnp, n)(x, s)),
                 _tup(lambda x, n=_name, s=_splits: getattr(np, n)(x, s)), _x)
        for _name in ("vsplit", "hsplit", "dsplit"):
            case(_name, f"{_lab},1", _tup(lambda x, n=_name: getattr(dnp, n)(x, 1)),
                 _tup(lambda x, n=_name: getattr(np, n)(x, 1)), _x)
            case(_name, f"{_lab},[1]", _tup(lambda x, n=_name: getattr(dnp, n)(x, [1])),
                 _tup(lambda x, n=_name: getattr(np, n)(x, [1])), _x)
        for _ax in list(range(len(_shape))) + [-1, len(_shape)]:
            case("repeat", f"{_lab},axis={_ax}", lambda x, a=_ax: dnp.repeat(x, 2, axis=a),
                 lambda x, a=_ax: np.repeat(x, 2, axis=a), _x)
            case("roll", f"{_lab},axis={_ax}", lambda x, a=_ax: dnp.roll(x, -1, axis=a),
                 lambda x, a=_ax: np.roll(x, -1, axis=a), _x)
            case("take", f"{_lab},axis={_ax}",
                 lambda x, a=_ax: dnp.take(x, [[1, 0, 1]], axis=a, mode="wrap"),
                 lambda x, a=_ax: np.take(x, [[1, 0, 1]], axis=a, mode="wrap"), _x)
            case("append", f"{_lab},axis={_ax}", lambda x, a=_ax: dnp.append(x, x, axis=a),
                 lambda x, a=_ax: np.append(x, x, axis=a), _x)
            for _name, _splits in (("split", 2), ("array_split", 3), ("split", [1, -1])):
                case(_name, f"{_lab},{_splits},axis={_ax}",
                     _tup(lambda x, n=_name, s=_splits, a=_ax: getattr(dnp, n)(x, s, axis=a)),
                     _tup(lambda x, n=_name, s=_splits, a=_ax: getattr(np, n)(x, s, axis=a)),
                     _x)
            case("rollaxis", f"{_lab},{_ax}", lambda x, a=_ax: dnp.rollaxis(x, a),
                 lambda x, a=_ax: np.rollaxis(x, a), _x)
            for _st in (0, 1, -1, len(_shape), len(_shape) + 1):
                case("rollaxis", f"{_lab},{_ax},start={_st}",
                     lambda x, a=_ax, s=_st: dnp.rollaxis(x, a, start=s),
                     lambda x, a=_ax, s=_st: np.rollaxis(x, a, start=s), _x)
            _ind = np.argsort(_x, axis=_ax) if 0 <= _ax < len(_shape) else None
            if _ind is not None:
                case("take_along_axis", f"{_lab},argsort,{_ax}",
                     lambda x, i=_ind, a=_ax: dnp.take_along_axis(x, i, axis=a),
                     lambda x, i=_ind, a=_ax: np.take_along_axis(x, i, axis=a), _x)
                _first = np.take(_ind, [0, 0], axis=_ax)    # broadcasting, repeats
                _neg = _ax - len(_shape)
                case("take_along_axis", f"{_lab},first twice,{_neg}",
                     lambda x, i=_first, a=_neg: dnp.take_along_axis(x, i, a),
                     lambda x, i=_first, a=_neg: np.take_along_axis(x, i, a), _x)
        if len(_shape) >= 2:
            for _k in (0, 1, 2, 3, -1, 6):
                case("rot90", f"{_lab},k={_k}", lambda x, k=_k: dnp.rot90(x, k),
                     lambda x, k=_k: np.rot90(x, k), _x)
            for _axes in ((1, 0), (0, -1), (-1, -2), (0, 0), (0, 2)):
                case("rot90", f"{_lab},axes={_axes}", lambda x, a=_axes: dnp.rot90(x, axes=a),
                     lambda x, a=_axes: np.rot90(x, axes=a), _x)
        case("rot90", f"{_lab},default", dnp.rot90, np.rot90, _x)
case("rot90", "3-D", lambda x: dnp.rot90(x, -1, axes=(2, 0)),
     lambda x: np.rot90(x, -1, axes=(2, 0)), u((2, 3, 4)))
case("rot90", "one axis", lambda x: dnp.rot90(x, axes=(0,)), lambda x: np.rot90(x, axes=(0,)),
     u((2, 2)))
case("repeat", "per element", lambda x: dnp.repeat(x, [2, 0, 1]), lambda x: np.repeat(x, [2, 0, 1]),
     u((3,)))
case("repeat", "per row", lambda x: dnp.repeat(x, [1, 3, 0], axis=0),
     lambda x: np.repeat(x, [1, 3, 0], axis=0), u((3, 4)))
case("repeat", "per column, negative axis", lambda x: dnp.repeat(x, np.array([1, 2, 0, 1]), -1),
     lambda x: np.repeat(x, np.array([1, 2, 0, 1]), -1), u((2, 3, 4)))
case("repeat", "one count broadcast", lambda x: dnp.repeat(x, [2], axis=1),
     lambda x: np.repeat(x, [2], axis=1), u((3, 4)))
case("repeat", "wrong length", lambda x: dnp.repeat(x, [1, 2], axis=1),
     lambda x: np.repeat(x, [1, 2], axis=1), u((3, 4)))
case("repeat", "negative", lambda x: dnp.repeat(x, -1), lambda x: np.repeat(x, -1), u((3,)))
case("repeat", "complex", lambda x: dnp.repeat(x, 2, axis=1), lambda x: np.repeat(x, 2, axis=1),
     _Z)
case("tile", "negative", lambda x: dnp.tile(x, -1), lambda x: np.tile(x, -1), u((3,)))
case("tile", "float reps", lambda x: dnp.tile(x, 1.5), lambda x: np.tile(x, 1.5), u((3,)))
case("tile", "complex", lambda x: dnp.tile(x, (2, 2)), lambda x: np.tile(x, (2, 2)), _Z)
for _sh, _ax in (((1, 2), (0, 1)), ((1, 2), 1), (3, (0, 1)), ((1, -1, 2), (0, 1, 0)),
                 ((2,), (1, 1)), ([[1]], 0)):
    case("roll", f"{_sh},{_ax}", lambda x, s=_sh, a=_ax: dnp.roll(x, s, axis=a),
         lambda x, s=_sh, a=_ax: np.roll(x, s, axis=a), u((3, 4)))
case("roll", "empty axis", lambda x: dnp.roll(x, 2, axis=1), lambda x: np.roll(x, 2, axis=1),
     np.zeros((3, 0)))
case("take", "scalar from 0-D, axis=0", lambda x: dnp.take(x, 0, axis=0),
     lambda x: np.take(x, 0, axis=0), np.array(3.5))
case("take", "from empty, clip", lambda x: dnp.take(x, [0], axis=1, mode="clip"),
     lambda x: np.take(x, [0], axis=1, mode="clip"), np.ones((2, 0)))
case("take", "float indices", lambda x: dnp.take(x, [0.5]), lambda x: np.take(x, [0.5]), u((3,)))
case("take", "bad mode", lambda x: dnp.take(x, [0], mode="nearest"),
     lambda x: np.take(x, [0], mode="nearest"), u((3,)))
case("take", "complex", lambda x: dnp.take(x, [[2, 0]], axis=1),
     lambda x: np.take(x, [[2, 0]], axis=1), _Z)
case("take", "list", lambda x: dnp.take(x, [1, 1]), lambda x: np.take(x, [1, 1]),
     [[1.0, 2.0], [3.0, 4.0]], mode="plain")
_X34 = u((3, 4))
_ORDER = np.argsort(-_X34)
if _inspect.signature(np.take_along_axis).parameters["axis"].default is not \
        _inspect.Parameter.empty:   # numpy >= 2.3 defaults axis to -1 (dnp too); older: required
    case("take_along_axis", "default axis", lambda x: dnp.take_along_axis(x, _ORDER),
         lambda x: np.take_along_axis(x, _ORDER), _X34)
case("take_along_axis", "wider indices",
     lambda x: dnp.take_along_axis(x, np.array([[0, 3, 3, 1, 2]]), axis=1),
     lambda x: np.take_along_axis(x, np.array([[0, 3, 3, 1, 2]]), axis=1), u((3, 4)))
case("take_along_axis", "negative indices",
     lambda x: dnp.take_along_axis(x, np.array([[-1], [-4], [0]]), axis=1),
     lambda x: np.take_along_axis(x, np.array([[-1], [-4], [0]]), axis=1), u((3, 4)))
case("take_along_axis", "float indices",
     lambda x: dnp.take_along_axis(x, np.zeros((3, 1)), axis=1),
     lambda x: np.take_along_axis(x, np.zeros((3, 1)), axis=1), u((3, 4)))
case("take_along_axis", "too few dimensions",
     lambda x: dnp.take_along_axis(x, np.zeros(4, int), axis=1),
     lambda x: np.take_along_axis(x, np.zeros(4, int), axis=1), u((3, 4)))
case("take_along_axis", "None with 2-D indices",
     lambda x: dnp.take_along_axis(x, np.zeros((1, 1), int), axis=None),
     lambda x: np.take_along_axis(x, np.zeros((1, 1), int), axis=None), u((3, 4)))
_ZORDER = np.argsort(_Z.real, axis=0)
case("take_along_axis", "complex", lambda x: dnp.take_along_axis(x, _ZORDER, 0),
     lambda x: np.take_along_axis(x, _ZORDER, 0), _Z)
for _idx, _v in (([0, 2, 0], u((3, 4))), ((1, [0, 0, 3]), u((3,))), ((slice(None), 1), 2.5),
                 ((Ellipsis, [1, 1]), u((3, 1))), (_X34 > 0, u((int((_X34 > 0).sum()),))),
                 (([0, 2, 2], [1, 3, 1]), u((3,))), ((slice(1, None), slice(None, 2)), u((2,))),
                 (2, u((4,))), (np.array([[0, 1], [1, 1]]), u((2, 2, 4))), ([], u((0, 4)))):
    case("index_add", f"x,{_idx!r}", lambda x, i=_idx, v=_v: dnp.index_add(x, i, v),
         lambda x, i=_idx, v=_v: _add_at(x, i, v), u((3, 4)))
    case("index_add", f"values,{_idx!r}", lambda v, i=_idx: dnp.index_add(_X34, i, v),
         lambda v, i=_idx: _add_at(_X34, i, v), _v)
case("index_add", "complex values", lambda v: dnp.index_add(np.zeros(3), [0, 0], v),
     lambda v: _add_at(np.zeros(3), [0, 0], v), np.array([1 + 2j, 3j]))
case("index_add", "out of bounds", lambda x: dnp.index_add(x, [5], 1.0),
     lambda x: _add_at(x, [5], 1.0), u((3,)))
case("index_add", "values too long", lambda x: dnp.index_add(x, [0, 1], [1.0, 2.0, 3.0]),
     lambda x: _add_at(x, [0, 1], [1.0, 2.0, 3.0]), u((3,)))
case("index_add", "0-D", lambda x: dnp.index_add(x, (), 2.0), lambda x: _add_at(x, (), 2.0),
     np.array(1.5))
for _name in ("vstack", "hstack", "dstack", "column_stack"):
    for _sa, _sb in (((3,), (3,)), ((2, 3), (3,)), ((2, 3), (4, 3)), ((3, 2), (3, 1)),
                     ((2, 3, 1), (2, 3, 2)), ((), ()), ((3,), ())):
        _a, _b = u(_sa), u(_sb)
        case(_name, f"{_sa},{_sb}", lambda a, b=_b, n=_name: getattr(dnp, n)((a, b)),
             lambda a, b=_b, n=_name: getattr(np, n)((a, b)), _a)
        case(_name, f"{_sa},{_sb}-second", lambda b, a=_a, n=_name: getattr(dnp, n)([a, b]),
             lambda b, a=_a, n=_name: getattr(np, n)([a, b]), _b)
    case(_name, "one", lambda x, n=_name: getattr(dnp, n)([x]),
         lambda x, n=_name: getattr(np, n)([x]), u((2, 3)))
    case(_name, "none", lambda n=_name: getattr(dnp, n)([]), lambda n=_name: getattr(np, n)([]),
         mode="plain")
    case(_name, "generator", lambda x, n=_name: getattr(dnp, n)(v for v in [x, x]),
         lambda x, n=_name: getattr(np, n)(v for v in [x, x]), u((2, 3)))
    case(_name, "rows of an array", lambda x, n=_name: getattr(dnp, n)(x),
         lambda x, n=_name: getattr(np, n)(x), u((2, 3)))
    case(_name, "complex", lambda x, n=_name: getattr(dnp, n)([x, x]),
         lambda x, n=_name: getattr(np, n)([x, x]), _Z)
for _name in ("vstack", "hstack"):
    for _dt in (float, "float64", complex, int):
        case(_name, f"dtype={_dt}",
             lambda n=_name, d=_dt: getattr(dnp, n)([[1, 2], [3, 4]], dtype=d),
             lambda n=_name, d=_dt: getattr(np, n)([[1, 2], [3, 4]], dtype=d), mode="plain")
    case(_name, "dtype=int same_kind",
         lambda n=_name: getattr(dnp, n)([[1.5], [2.0]], dtype=int),
         lambda n=_name: getattr(np, n)([[1.5], [2.0]], dtype=int), mode="plain")
    case(_name, "dtype=int unsafe",
         lambda n=_name: getattr(dnp, n)([[1.5], [2.0]], dtype=int, casting="unsafe"),
         lambda n=_name: getattr(np, n)([[1.5], [2.0]], dtype=int, casting="unsafe"),
         mode="plain")
    case(_name, "dtype=float on a box", lambda x, n=_name: getattr(dnp, n)([x, x], dtype=float),
         lambda x, n=_name: getattr(np, n)([x, x], dtype=float), u((2,)))
if hasattr(dnp, "row_stack"):
    for _sa, _sb in (((3,), (3,)), ((2, 3), (3,)), ((), ())):
        _b = u(_sb)
        case("row_stack", f"{_sa},{_sb}", _quiet(lambda a, b=_b: dnp.row_stack((a, b))),
             _quiet(lambda a, b=_b: np.row_stack((a, b))), u(_sa))
    case("row_stack", "dtype", _quiet(lambda: dnp.row_stack([[1, 2]], dtype=complex)),
         _quiet(lambda: np.row_stack([[1, 2]], dtype=complex)), mode="plain")
case("append", "axis mismatch", lambda x: dnp.append(x, [1.0, 2.0], axis=0),
     lambda x: np.append(x, [1.0, 2.0], axis=0), u((2, 2)))
case("append", "axis out of range", lambda x: dnp.append(x, x, axis=2),
     lambda x: np.append(x, x, axis=2), u((2, 2)))
case("append", "lists", lambda: dnp.append([[1, 2]], [3]), lambda: np.append([[1, 2]], [3]),
     mode="plain")
for _name, _s in (("array_split", 0), ("array_split", 7), ("array_split", 5),
                  ("split", 3), ("split", np.array([2])), ("array_split", np.int64(2)),
                  ("split", [4, 1]), ("split", []), ("split", 2.0)):
    case(_name, f"{_s!r}", _tup(lambda x, n=_name, s=_s: getattr(dnp, n)(x, s)),
         _tup(lambda x, n=_name, s=_s: getattr(np, n)(x, s)), u((5, 2)))
case("split", "0-D", _tup(lambda x: dnp.split(x, 1)), _tup(lambda x: np.split(x, 1)),
     np.array(1.5))
case("array_split", "float points", _tup(lambda x: dnp.array_split(x, [1.5])),
     _tup(lambda x: np.array_split(x, [1.5])), u((4,)))
for _name, _s in (("vsplit", (4, 2)), ("hsplit", (2, 4)), ("dsplit", (2, 2, 4)), ("hsplit", (4,))):
    for _how in (2, [1, 3], [3, 1]):
        case(_name, f"{_s},{_how}", _tup(lambda x, n=_name, h=_how: getattr(dnp, n)(x, h)),
             _tup(lambda x, n=_name, h=_how: getattr(np, n)(x, h)), u(_s))
case("hsplit", "unequal", _tup(lambda x: dnp.hsplit(x, 3)), _tup(lambda x: np.hsplit(x, 3)),
     u((2, 4)))
for _name in ("ravel", "flipud", "fliplr", "rot90", "tril", "triu"):
    case(_name, "complex", getattr(dnp, _name), getattr(np, _name), _Z)
    case(_name, "list", getattr(dnp, _name), getattr(np, _name), [[1.0, 2.0], [3.0, 4.0]],
         mode="plain")
case("ravel", "order=X", lambda x: dnp.ravel(x, order="X"), lambda x: np.ravel(x, order="X"),
     u((3, 4)))
case("tril", "batched", lambda x: dnp.tril(x, -1), lambda x: np.tril(x, -1), u((2, 3, 3)))
case("triu", "batched wide", lambda x: dnp.triu(x, 2), lambda x: np.triu(x, 2), u((2, 2, 5)))
case("tril", "nan above", dnp.tril, np.tril, np.array([[1.0, np.nan], [2.0, 3.0]]))
case("triu", "inf below", dnp.triu, np.triu, np.array([[1.0, 0.5], [np.inf, 3.0]]))
case("rollaxis", "start out of range", lambda x: dnp.rollaxis(x, 0, 4),
     lambda x: np.rollaxis(x, 0, 4), u((2, 3)))
case("rollaxis", "axis out of range", lambda x: dnp.rollaxis(x, 2), lambda x: np.rollaxis(x, 2),
     u((2, 3)))
for _sa, _sb in (((2, 3), (3, 2)), ((2,), (2, 2, 2)), ((2, 1, 3), (3,)), ((), (3,)), ((2,), ()),
                 ((0, 2), (2, 3)), ((2, 2), (1, 1))):
    _a, _b = u(_sa), u(_sb)
    case("kron", f"{_sa},{_sb}", lambda a, b=_b: dnp.kron(a, b), lambda a, b=_b: np.kron(a, b),
         _a)
    case("kron", f"{_sa},{_sb}-second", lambda b, a=_a: dnp.kron(a, b),
         lambda b, a=_a: np.kron(a, b), _b)
case("kron", "complex", lambda x: dnp.kron(x, [1j, 2.0]), lambda x: np.kron(x, [1j, 2.0]), _Z)
case("kron", "lists", lambda: dnp.kron([1, 2], [[1], [1]]), lambda: np.kron([1, 2], [[1], [1]]),
     mode="plain")
for _sa, _sb, _kw in (((3,), (3,), {}), ((4, 3), (3,), {}), ((2, 1, 3), (4, 3), {}),
                      ((3, 4), (3, 4), {"axis": 0}), ((3, 2), (2, 3), {"axisa": 0}),
                      ((2, 3), (3, 2), {"axisb": 0, "axisc": 0}),
                      ((2, 3), (2, 3), {"axisc": -2}), ((3, 5), (5, 3), {"axisa": 0, "axisc": 0}),
                      ((2,), (2,), {}), ((4, 2), (2,), {}), ((2,), (3,), {}), ((3,), (4, 2), {}),
                      ((2, 4), (3, 4), {"axis": 0}), ((3, 2), (2, 3), {"axisa": 0, "axisb": -1,
                                                                        "axisc": 1}),
                      ((4,), (3,), {}), ((3,), (3,), {"axisa": 1}),
                      ((3,), (3,), {"axisc": 1}), ((2,), (2,), {"axisc": 5})):
    _a, _b = u(_sa), u(_sb)
    case("cross", f"{_sa},{_sb},{_kw}", _quiet(lambda a, b=_b, k=_kw: dnp.cross(a, b, **k)),
         _quiet(lambda a, b=_b, k=_kw: np.cross(a, b, **k)), _a)
    case("cross", f"{_sa},{_sb},{_kw}-second",
         _quiet(lambda b, a=_a, k=_kw: dnp.cross(a, b, **k)),
         _quiet(lambda b, a=_a, k=_kw: np.cross(a, b, **k)), _b)
case("cross", "0-D", lambda a: dnp.cross(a, [1.0, 2.0, 3.0]),
     lambda a: np.cross(a, [1.0, 2.0, 3.0]), 1.5)
case("cross", "complex", lambda a: dnp.cross(a, [1.0, 2j, 3.0]),
     lambda a: np.cross(a, [1.0, 2j, 3.0]), _Z)
case("cross", "lists", lambda: dnp.cross([1, 0, 0], [0, 1, 0]),
     lambda: np.cross([1, 0, 0], [0, 1, 0]), mode="plain")
for _kw in ({}, {"indexing": "ij"}, {"sparse": True}, {"sparse": True, "indexing": "ij"},
            {"copy": False}):
    for _others in ([], [[1.0, 2.0, 3.0]], [[1.0, 2.0, 3.0], [5.0, 6.0]]):
        case("meshgrid", f"{len(_others) + 1} inputs,{_kw}",
             _tup(lambda x, o=_others, k=_kw: dnp.meshgrid(x, *o, **k)),
             _tup(lambda x, o=_others, k=_kw: np.meshgrid(x, *o, **k)), u((4,)))
        case("meshgrid", f"{len(_others) + 1} inputs,{_kw}-last",
             _tup(lambda x, o=_others, k=_kw: dnp.meshgrid(*o, x, **k)),
             _tup(lambda x, o=_others, k=_kw: np.meshgrid(*o, x, **k)), u((2,)))
case("meshgrid", "no inputs", _tup(dnp.meshgrid), _tup(np.meshgrid), mode="plain")
case("meshgrid", "bad indexing", _tup(lambda x: dnp.meshgrid(x, x, indexing="yx")),
     _tup(lambda x: np.meshgrid(x, x, indexing="yx")), u((3,)))
case("meshgrid", "complex", _tup(lambda x: dnp.meshgrid(x, [1.0, 2.0])),
     _tup(lambda x: np.meshgrid(x, [1.0, 2.0])), _Z[0])
for _label, _dr, _nr in (
        ("vectors", lambda x: dnp.r_[x, 0.5, [1.0, 2.0]], lambda x: np.r_[x, 0.5, [1.0, 2.0]]),
        ("slices", lambda x: dnp.r_[x, 1:4, 5:0:-2, :3], lambda x: np.r_[x, 1:4, 5:0:-2, :3]),
        ("float slice", lambda x: dnp.r_[x, 0.5:2.0:0.5], lambda x: np.r_[x, 0.5:2.0:0.5]),
        ("linspace slice", lambda x: dnp.r_[-1:1:5j, x], lambda x: np.r_[-1:1:5j, x]),
        ("axis directive", lambda x: dnp.r_["-1", x, x], lambda x: np.r_["-1", x, x]),
        ("ndmin directive", lambda x: dnp.r_["0,2", x, x], lambda x: np.r_["0,2", x, x]),
        ("trans1d directive", lambda x: dnp.r_["0,2,0", x, [1.0, 2.0, 3.0, 4.0]],
         lambda x: np.r_["0,2,0", x, [1.0, 2.0, 3.0, 4.0]]),
        ("3-D directive", lambda x: dnp.r_["1,3,1", x, x], lambda x: np.r_["1,3,1", x, x]),
        ("ndmin slice", lambda x: dnp.r_["0,2", x, 0:4], lambda x: np.r_["0,2", x, 0:4]),
        ("trans1d slice", lambda x: dnp.r_["1,2,0", x[:, None], 0:4],
         lambda x: np.r_["1,2,0", x[:, None], 0:4]),
        ("directive not first", lambda x: dnp.r_[x, "0"], lambda x: np.r_[x, "0"]),
        ("unknown directive", lambda x: dnp.r_["a,b", x], lambda x: np.r_["a,b", x]),
        ("c_ vectors", lambda x: dnp.c_[x, 2 * x], lambda x: np.c_[x, 2 * x]),
        ("c_ scalars", lambda x: dnp.c_[x[:1], 3.0], lambda x: np.c_[x[:1], 3.0]),
        ("c_ matrix", lambda x: dnp.c_[x[:, None], np.ones((4, 2))],
         lambda x: np.c_[x[:, None], np.ones((4, 2))]),
        ("c_ slice", lambda x: dnp.c_[x, 0:4, 0:1:4j], lambda x: np.c_[x, 0:4, 0:1:4j])):
    case("c_" if _label.startswith("c_") else "r_", _label, _dr, _nr, u((4,)))
case("r_", "one scalar", lambda x: dnp.r_[x], lambda x: np.r_[x], 2.5)
case("r_", "0-D and 2-D", lambda x: dnp.r_[x, np.ones((2, 2))],
     lambda x: np.r_[x, np.ones((2, 2))], 2.5)
case("r_", "2-D rows", lambda x: dnp.r_[x, x], lambda x: np.r_[x, x], u((2, 3)))
case("r_", "complex", lambda x: dnp.r_[x[0], 1j], lambda x: np.r_[x[0], 1j], _Z)
case("r_", "constants", lambda: dnp.r_[1:4, 7], lambda: np.r_[1:4, 7], mode="plain")
case("r_", "empty", lambda: dnp.r_[()], lambda: np.r_[()], mode="plain")
case("c_", "3-D", lambda x: dnp.c_[x, x], lambda x: np.c_[x, x], u((2, 3, 2)))
case("c_", "constants", lambda: dnp.c_[1:3, 4:6], lambda: np.c_[1:3, 4:6], mode="plain")
case("c_", "linspace ends", lambda a: dnp.c_[a:3.0:3j, 0:3], lambda a: np.c_[a:3.0:3j, 0:3], 1.0)


@pytest.mark.parametrize("name", sorted(CASES))
def test_value_matches_numpy(name):
    T.check(name)
