"""dualnum.numpy against numpy, name by name: the products — matmul, dot, inner, outer,
tensordot and einsum (``dualnum/numpy/_products.py``), einsum's sublist form included. How a
case is checked: numpy_value_cases.py."""
from __future__ import annotations

import numpy as np
import pytest

import dualnum.numpy as dnp

from .numpy_value_cases import SHAPES, ValueCases

T = ValueCases(seed=1013)
CASES, case, u, inputs = T.cases, T.case, T.u, T.inputs


def _sub_form(ops, sub, mod):
    """``einsum(op0, sublist0, op1, sublist1, ..., [output sublist])``."""
    args = [v for pair in zip(ops, sub) for v in pair] + list(sub[len(ops):])
    return mod.einsum(*args)


# ------------------------------------------------------------------------- products

_MM = [((3,), (3,)), ((2, 3), (3,)), ((3,), (3, 4)), ((2, 3), (3, 4)), ((2, 2, 3), (3, 4)),
       ((2, 2, 3), (2, 3, 4)), ((3,), (2, 3, 4))]
for _sa, _sb in _MM:
    _a, _b = u(_sa), u(_sb)
    case("matmul", f"{_sa}@{_sb}", dnp.matmul, np.matmul, _a, _b)
    case("matmul", f"{_sa}@{_sb}-second", lambda b, a: dnp.matmul(a, b),
         lambda b, a: np.matmul(a, b), _b, _a)
for _sa, _sb in _MM + [((), (3,)), ((2, 3), ()), ((), ()), ((2, 3, 4), (4,)),
                       ((4,), (2, 4, 3)), ((2, 3, 4), (2, 4, 5))]:
    _a, _b = u(_sa), u(_sb)
    case("dot", f"{_sa}.{_sb}", dnp.dot, np.dot, _a, _b)
    case("dot", f"{_sa}.{_sb}-second", lambda b, a: dnp.dot(a, b), lambda b, a: np.dot(a, b),
         _b, _a)
for _sa, _sb in (((3,), (3,)), ((2, 3), (3,)), ((2, 3), (4, 3)), ((2, 2, 3), (4, 3)),
                 ((), (3,)), ((3, 2), ()), ((), ()), ((2, 3), (2, 2, 3))):
    _a, _b = u(_sa), u(_sb)
    case("inner", f"{_sa}.{_sb}", dnp.inner, np.inner, _a, _b)
    case("inner", f"{_sa}.{_sb}-second", lambda b, a: dnp.inner(a, b),
         lambda b, a: np.inner(a, b), _b, _a)
case("inner", "1.5 * v", lambda v: dnp.inner(1.5, v), lambda v: np.inner(1.5, v), u((3,)))
for _sa, _sb, _ax in (((3, 4), (4, 2), 1), ((2, 3, 4), (3, 4, 5), 2), ((3,), (2,), 0),
                      ((), (2,), 0), ((2, 3), (2, 3), 2), ((3, 2), (4, 3), ((0,), (1,))),
                      ((3, 2), (4, 3), (0, -1)), ((2, 3, 4), (4, 2), ([0, 2], [1, 0])),
                      ((2, 3), (3,), ((-1,), (-1,)))):
    _a, _b = u(_sa), u(_sb)
    case("tensordot", f"{_sa},{_sb},{_ax}", lambda a, b, x=_ax: dnp.tensordot(a, b, x),
         lambda a, b, x=_ax: np.tensordot(a, b, x), _a, _b)
    case("tensordot", f"{_sa},{_sb},{_ax}-second", lambda b, a, x=_ax: dnp.tensordot(a, b, x),
         lambda b, a, x=_ax: np.tensordot(a, b, x), _b, _a)
case("tensordot", "default", dnp.tensordot, np.tensordot, u((2, 3, 4)), u((3, 4, 2)))
for _sa, _sb in (((3,), (2,)), ((2, 2), (3,)), ((), (3,)), ((), ())):
    case("outer", f"{_sa},{_sb}", dnp.outer, np.outer, u(_sa), u(_sb))
for _sub, _shapes in (("ij,jk->ik", [(2, 3), (3, 4)]), ("ii", [(3, 3)]), ("ij->", [(2, 3)]),
                      ("...i,i->...", [(2, 3, 4), (4,)]), ("i,j->ij", [(2,), (3,)])):
    _ops = [u(s) for s in _shapes]
    case("einsum", _sub, lambda *o, s=_sub: dnp.einsum(s, *o),
         lambda *o, s=_sub: np.einsum(s, *o), *_ops)
case("einsum", "sublists", lambda a, b: dnp.einsum(a, [0, 1], b, [1]),
     lambda a, b: np.einsum(a, [0, 1], b, [1]), u((2, 3)), u((3,)))
for _shape in SHAPES:
    for _lab, _x in inputs(_shape):
        case("outer", _lab, lambda x: dnp.outer(x, x[..., :2] if np.ndim(x) else x),
             lambda x: np.outer(x, x[..., :2] if np.ndim(x) else x), _x)
for _ops, _sub in (((u((2, 3)), u((3, 4))), ([0, 1], [1, 2], [0, 2])),
                   ((u((2, 3, 4)),), ([Ellipsis, 1], [Ellipsis])),
                   ((u((3, 3)),), ([0, 0],)), ((u((3,)), u((4,))), ([0], [1], [1, 0])),
                   ((u((2, 3)), u((2, 3))), ([0, 1], [0, 1], [])),
                   ((u((2, 3, 4)), u((4, 5))), ([Ellipsis, 30], [30, 51], [Ellipsis, 51]))):
    case("einsum", f"sublists {_sub}", lambda *o, s=_sub: _sub_form(o, s, dnp),
         lambda *o, s=_sub: _sub_form(o, s, np), *_ops)
    case("einsum", f"sublists {_sub} optimize", lambda *o, s=_sub: dnp.einsum(
        *[v for pair in zip(o, s) for v in pair], *s[len(o):], optimize=True),
        lambda *o, s=_sub: np.einsum(*[v for pair in zip(o, s) for v in pair], *s[len(o):],
                                     optimize=True), *_ops)


@pytest.mark.parametrize("name", sorted(CASES))
def test_value_matches_numpy(name):
    T.check(name)
