"""dualnum.numpy against numpy, name by name: constructors, queries and constants — linspace,
arange, zeros, ones, full, eye, the *_like, shape, ndim, size, argmax, argmin, isfinite, value
(``dualnum/numpy/_creation.py``), array, asarray (``_base.py``), pi, e, inf, nan, newaxis. How
a case is checked: numpy_value_cases.py."""
from __future__ import annotations

import numpy as np
import pytest

import dualnum.numpy as dnp

from .numpy_value_cases import SHAPES, ValueCases
from .numpy_value_cases import Z as _Z

T = ValueCases(seed=1016)
CASES, case, u, inputs = T.cases, T.case, T.u, T.inputs


# ------------------------------------------------------------------------- linspace

for _num in (0, 1, 2, 5):
    for _end in (True, False):
        case("linspace", f"num={_num},endpoint={_end}",
             lambda a, n=_num, e=_end: dnp.linspace(a, 2.0, n, endpoint=e),
             lambda a, n=_num, e=_end: np.linspace(a, 2.0, n, endpoint=e), -1.0)
        case("linspace", f"stop,num={_num},endpoint={_end}",
             lambda b, n=_num, e=_end: dnp.linspace(0.5, b, n, e),
             lambda b, n=_num, e=_end: np.linspace(0.5, b, n, e), 3.0)
case("linspace", "default num", lambda a: dnp.linspace(a, 1.0), lambda a: np.linspace(a, 1.0),
     0.0)
case("linspace", "array ends", lambda a: dnp.linspace(a, [1.0, 2.0, 3.0], 4),
     lambda a: np.linspace(a, [1.0, 2.0, 3.0], 4), u((3,)))
case("linspace", "axis=-1", lambda a: dnp.linspace(a, 5.0, 4, axis=-1),
     lambda a: np.linspace(a, 5.0, 4, axis=-1), u((2, 3)))
case("linspace", "axis=1", lambda a: dnp.linspace(a, 5.0, 4, axis=1),
     lambda a: np.linspace(a, 5.0, 4, axis=1), u((2, 3)))
case("linspace", "retstep", lambda a: dnp.linspace(a, 4.0, 5, retstep=True),
     lambda a: np.linspace(a, 4.0, 5, retstep=True), 0.0, mode="box")
case("linspace", "retstep num=1", lambda a: dnp.linspace(a, 4.0, 1, retstep=True),
     lambda a: np.linspace(a, 4.0, 1, retstep=True), 0.0, mode="box")
case("linspace", "int ends", lambda: dnp.linspace(0, 10, 6), lambda: np.linspace(0, 10, 6),
     mode="plain")
case("linspace", "dtype int", lambda: dnp.linspace(0, 10, 4, dtype=int),
     lambda: np.linspace(0, 10, 4, dtype=int), mode="plain")

# ------------------------------------------------------------------------- constants, queries

for _shape in SHAPES:
    for _lab, _x in inputs(_shape):
        for _name, _ref in (("zeros_like", np.zeros_like), ("ones_like", np.ones_like),
                            ("shape", np.shape), ("ndim", np.ndim), ("size", np.size),
                            ("isfinite", np.isfinite), ("argmax", np.argmax),
                            ("argmin", np.argmin), ("value", lambda x: x),
                            ("asarray", np.asarray), ("array", np.array)):
            case(_name, _lab, getattr(dnp, _name), _ref, _x, mode="box")
        for _ax in range(len(_shape)):
            case("argmax", f"{_lab},{_ax}", lambda x, a=_ax: dnp.argmax(x, a),
                 lambda x, a=_ax: np.argmax(x, a), _x, mode="box")
            case("argmin", f"{_lab},{-1 - _ax}", lambda x, a=-1 - _ax: dnp.argmin(x, axis=a),
                 lambda x, a=-1 - _ax: np.argmin(x, axis=a), _x, mode="box")
case("isfinite", "inf", dnp.isfinite, np.isfinite, np.array([1.0, np.inf, np.nan]), mode="box")
for _name, _ref in (("zeros_like", np.zeros_like), ("ones_like", np.ones_like),
                    ("shape", np.shape), ("ndim", np.ndim), ("size", np.size),
                    ("isfinite", np.isfinite), ("argmax", np.argmax), ("argmin", np.argmin),
                    ("value", np.asarray), ("asarray", np.asarray), ("array", np.array)):
    # a list mixing boxes and numbers (numpy's reference: the same list of plain values)
    case(_name, "list of boxes", lambda x, n=_name: getattr(dnp, n)([x, 2 * x, [1.0, 2.0, 3.0]]),
         lambda x, r=_ref: r([x, 2 * x, [1.0, 2.0, 3.0]]), u((3,)), mode="box")
for _name in ("zeros_like", "ones_like"):
    case(_name, "complex", getattr(dnp, _name), getattr(np, _name), _Z, mode="box")
for _name in ("asarray", "array"):
    case(_name, "int list", getattr(dnp, _name), lambda x: np.asarray(x, float), [[1, 2], [3, 4]],
         mode="plain")
    case(_name, "complex list", getattr(dnp, _name), np.asarray, [1 + 1j, 2.0], mode="plain")
for _name, _args in (("zeros", ((2, 3),)), ("zeros", (3,)), ("ones", ((2, 1),)), ("ones", (0,)),
                     ("full", ((2, 2), 7)), ("full", (3, 1.5)), ("full", (2, 1 - 1j)),
                     ("eye", (3,)), ("eye", (2, 4)), ("eye", (3, 4, -1)),
                     ("arange", (4,)), ("arange", (1, 7, 2)), ("arange", (0.5, 2.0, 0.5))):
    case(_name, str(_args), lambda *a, n=_name: getattr(dnp, n)(*a),
         lambda *a, n=_name: getattr(np, n)(*a), *_args, mode="plain")
for _name in ("pi", "e", "inf", "nan", "newaxis"):
    case(_name, "value", lambda n=_name: getattr(dnp, n), lambda n=_name: getattr(np, n),
         mode="plain")
# keyword forms (names-elem): arange's keywords and dtype=
for _args, _kw in (((3,), {"dtype": int}), ((1, 7, 2), {"dtype": float}), ((), {"stop": 5}),
                   ((), {"start": 1, "stop": 5}), ((1,), {"stop": 5, "step": 2}),
                   ((5,), {"dtype": np.int32}), ((3,), {"dtype": complex}), ((0,), {}),
                   ((5, 1), {}), ((2.5,), {"dtype": int})):
    case("arange", f"{_args},{_kw}", lambda *a, k=_kw: dnp.arange(*a, **k),
         lambda *a, k=_kw: np.arange(*a, **k), *_args, mode="plain")


@pytest.mark.parametrize("name", sorted(CASES))
def test_value_matches_numpy(name):
    T.check(name)
