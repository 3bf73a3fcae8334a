"""dualnum.numpy against numpy, name by name: the elementwise names — the rule table's
elementwise rows, ``dualnum/numpy/_elementwise.py`` (reciprocal, softsign, fmax, fmin),
``clip`` and ``where``, rounding (``_rounding.py``), angles (``_angles.py``), remainders,
``logaddexp``, ``divmod``, ``select`` and ``nan_to_num`` (``_selection.py``) and the predicates
(``_predicates.py``). How a case is checked: numpy_value_cases.py."""
from __future__ import annotations

import math

import numpy as np
import pytest

import dualnum.numpy as dnp

from .numpy_value_cases import SHAPES, ValueCases, sps
from .numpy_value_cases import Z as _Z

T = ValueCases(seed=1010)
CASES, case, u, inputs, RNG = T.cases, T.case, T.u, T.inputs, T.rng


def _erf(x):
    return sps.erf(x) if sps is not None else np.vectorize(math.erf)(x)


# ------------------------------------------------------------------------- elementwise

UNARY = {
    "negative": (np.negative, -2, 2), "positive": (np.positive, -2, 2),
    "square": (np.square, -2, 2), "sqrt": (np.sqrt, 0.1, 3), "cbrt": (np.cbrt, -2, 2),
    "exp": (np.exp, -2, 2), "expm1": (np.expm1, -2, 2), "exp2": (np.exp2, -2, 2),
    "log": (np.log, 0.1, 3), "log1p": (np.log1p, -0.5, 2), "log2": (np.log2, 0.1, 3),
    "log10": (np.log10, 0.1, 3), "sin": (np.sin, -3, 3), "cos": (np.cos, -3, 3),
    "tan": (np.tan, -1.2, 1.2), "arcsin": (np.arcsin, -0.9, 0.9),
    "arccos": (np.arccos, -0.9, 0.9), "arctan": (np.arctan, -3, 3),
    "sinh": (np.sinh, -2, 2), "cosh": (np.cosh, -2, 2), "tanh": (np.tanh, -2, 2),
    "arcsinh": (np.arcsinh, -2, 2), "arccosh": (np.arccosh, 1.1, 3),
    "arctanh": (np.arctanh, -0.9, 0.9), "erf": (_erf, -2, 2),
    "sigmoid": (lambda x: 1.0 / (1.0 + np.exp(-x)), -3, 3),
    "softplus": (lambda x: np.logaddexp(0.0, x), -3, 3),
    "relu": (lambda x: np.maximum(x, 0.0), -2, 2), "abs": (np.abs, -2, 2),
    "absolute": (np.absolute, -2, 2), "sign": (np.sign, -2, 2),
    "heaviside": (lambda x: np.heaviside(x, 0.0), -2, 2),
    "step": (lambda x: np.heaviside(x, 0.0), -2, 2),
    "reciprocal": (np.reciprocal, 0.5, 2), "softsign": (lambda x: x / (1 + np.abs(x)), -3, 3),
    "real": (np.real, -2, 2), "imag": (np.imag, -2, 2), "conj": (np.conj, -2, 2),
    "conjugate": (np.conjugate, -2, 2),
}
for _name, (_ref, _lo, _hi) in UNARY.items():
    for _shape in SHAPES:
        for _lab, _x in inputs(_shape, _lo, _hi):
            case(_name, _lab, getattr(dnp, _name), _ref, _x)
    case(_name, "list", getattr(dnp, _name), lambda v, r=_ref: r(np.asarray(v)),
         list(u((3,), _lo, _hi)), mode="plain")
for _name in ("relu", "abs", "sign", "heaviside", "step"):      # exactly at the kink
    case(_name, "zeros", getattr(dnp, _name), UNARY[_name][0], np.array([-1.0, 0.0, 2.0]))
case("reciprocal", "negative", dnp.reciprocal, np.reciprocal, u((3,), -2, -0.5))
case("reciprocal", "int", dnp.reciprocal, lambda x: 1.0 / np.asarray(x, float),
     np.array([1, 2, 4]), mode="plain")
for _name in ("real", "imag", "conj", "conjugate", "abs", "absolute", "square", "exp",
              "negative", "sign"):
    case(_name, "complex", getattr(dnp, _name), UNARY[_name][0], _Z)

BINARY = {
    "add": (np.add, -2, 2), "subtract": (np.subtract, -2, 2), "multiply": (np.multiply, -2, 2),
    "divide": (np.divide, 0.5, 2), "true_divide": (np.true_divide, 0.5, 2),
    "power": (np.power, 0.5, 2), "arctan2": (np.arctan2, -2, 2), "hypot": (np.hypot, -2, 2),
    "maximum": (np.maximum, -2, 2), "minimum": (np.minimum, -2, 2),
}
PAIRS = [((3, 4), (3, 4)), ((3, 4), (4,)), ((2, 1, 4), (3, 1)), ((), (3,)), ((4,), ()),
         ((), ())]
for _name, (_ref, _lo, _hi) in BINARY.items():
    _f = getattr(dnp, _name)
    for _sa, _sb in PAIRS:
        _a, _b = u(_sa, _lo, _hi), u(_sb, _lo, _hi)
        case(_name, f"{_sa}{_sb}", _f, _ref, _a, _b)
        case(_name, f"{_sa}{_sb}-second", lambda b, a, _f=_f: _f(a, b),
             lambda b, a, _r=_ref: _r(a, b), _b, _a)
case("maximum", "ties", dnp.maximum, np.maximum, np.array([1.0, 2.0]), np.array([1.0, 3.0]))
for _name in ("fmax", "fmin"):      # nan-ignoring, unlike maximum/minimum
    _nx, _ny = u((3, 4)), u((4,))
    _nx[0, 1] = _ny[2] = _nx[1, 3] = np.nan
    _ny[3] = np.nan
    case(_name, "nan", getattr(dnp, _name), getattr(np, _name), _nx, _ny, mode="box")
    case(_name, "plain", getattr(dnp, _name), getattr(np, _name), u((3, 4)), u((3, 1)))

for _lab, _lo, _hi in (("both", -1.0, 1.0), ("arrays", u((3, 4), -1.5, -0.5), u((4,), 0.5, 1)),
                       ("lo only", 0.0, None), ("hi only", None, 0.5)):
    for _shape in SHAPES:
        for _l2, _x in inputs(_shape):
            case("clip", f"{_lab},{_l2}", lambda x, lo=_lo, hi=_hi: dnp.clip(x, lo, hi),
                 lambda x, lo=_lo, hi=_hi: np.clip(x, lo, hi), _x)
case("clip", "keywords", lambda x: dnp.clip(x, min=-0.5, max=0.5),
     lambda x: np.clip(x, -0.5, 0.5), u((3, 4)))
case("clip", "lo > hi", lambda x: dnp.clip(x, 1.0, -1.0), lambda x: np.clip(x, 1.0, -1.0),
     u((4,)))
case("clip", "no bounds", lambda x: dnp.clip(x, None, None), lambda x: np.asarray(x, float),
     u((4,)))

_C = RNG.uniform(size=(3, 4)) > 0.5
for _sx, _sy in (((3, 4), (3, 4)), ((4,), ()), ((), (3, 4))):
    case("where", f"{_sx}{_sy}", lambda x, y: dnp.where(_C, x, y),
         lambda x, y: np.where(_C, x, y), u(_sx), u(_sy))
    case("where", f"{_sx}{_sy}-second", lambda y, x: dnp.where(_C, x, y),
         lambda y, x: np.where(_C, x, y), u(_sy), u(_sx))
case("where", "keywords", lambda x: dnp.where(condition=_C, x=x, y=0.0),
     lambda x: np.where(_C, x, 0.0), u((3, 4)))
case("where", "list condition", lambda x: dnp.where([True, False, True, False], x, -x),
     lambda x: np.where([True, False, True, False], x, -x), u((4,)))
case("where", "condition only", dnp.where, np.where, np.array([[0.0, 1.5], [-2.0, 0.0]]),
     mode="box")
case("where", "boxed condition", lambda c: dnp.where(c, 1.0, 2.0),
     lambda c: np.where(c, 1.0, 2.0), np.array([0.0, 1.5, -2.0]), mode="box")

# ------------------------------------------------------------------------- issue 13
# rounding, remainders, angles, selection and predicates (names-elem)

_EDGE = np.array([-2.5, -1.5, -0.5, -0.0, 0.0, 0.5, 1.5, 2.5, 3.0, -3.0, 2.4999, 1e300,
                  np.inf, -np.inf, np.nan])
for _name in ("floor", "ceil", "trunc", "rint", "fix", "fabs", "sinc", "rad2deg", "deg2rad",
              "degrees", "radians"):
    _ref = getattr(np, _name)
    for _shape in SHAPES:
        for _lab, _x in inputs(_shape, -3.0, 3.0):
            case(_name, _lab, getattr(dnp, _name), _ref, _x)
    case(_name, "edges", getattr(dnp, _name), _ref, _EDGE)
    case(_name, "list", getattr(dnp, _name), lambda v, r=_ref: r(np.asarray(v)),
         [-1.5, 0.5, 2.0], mode="plain")
case("sinc", "zero", dnp.sinc, np.sinc, np.array([0.0, 1e-9, -0.05, 0.1, 1.0]))
case("sinc", "complex", dnp.sinc, np.sinc, _Z)
case("fabs", "complex", dnp.fabs, np.fabs, _Z, mode="box")     # both refuse: TypeError
for _name in ("round", "around"):
    _f, _ref = getattr(dnp, _name), getattr(np, _name)
    for _shape in SHAPES:
        for _lab, _x in inputs(_shape, -300.0, 300.0):
            for _d in (0, 1, 2, -1, -2):
                case(_name, f"{_lab},decimals={_d}", lambda x, d=_d, f=_f: f(x, d),
                     lambda x, d=_d, r=_ref: r(x, d), _x)
    case(_name, "halves", _f, _ref, np.array([0.5, 1.5, 2.5, -0.5, -2.5, 0.125, np.nan]))
    case(_name, "keyword", lambda x, f=_f: f(x, decimals=2), lambda x, r=_ref: r(x, decimals=2),
         np.array([0.125, 0.135, 2.675, -1.005]))
    case(_name, "complex", lambda x, f=_f: f(x, 1), lambda x, r=_ref: r(x, 1), _Z)
    case(_name, "list", _f, _ref, [0.5, 1.5, 2.25], mode="plain")

_SAW = {"floor_divide": np.floor_divide, "remainder": np.remainder, "mod": np.mod,
        "fmod": np.fmod, "copysign": np.copysign, "logaddexp": np.logaddexp,
        "logaddexp2": np.logaddexp2}
for _name, _ref in _SAW.items():
    _f = getattr(dnp, _name)
    for _sa, _sb in PAIRS:
        _a, _b = u(_sa, -5.0, 5.0), u(_sb, 0.5, 2.0)
        _b = -_b if _name != "copysign" else _b - 1.25   # negative divisors, either sign
        case(_name, f"{_sa}{_sb}", _f, _ref, _a, _b)
        case(_name, f"{_sa}{_sb}-second", lambda b, a, _f=_f: _f(a, b),
             lambda b, a, _r=_ref: _r(a, b), _b, _a)
        case(_name, f"{_sa}{_sb}-positive", _f, _ref, _a, np.abs(_b) + 0.25)
    _ea, _eb = np.meshgrid([-7.0, -0.0, 0.0, 6.0, 7.5, np.inf, np.nan], [2.0, -2.0, 0.5, np.inf])
    case(_name, "edges", _f, _ref, _ea, _eb)
    case(_name, "ints", _f, _ref, np.array([7.0, -7.0, 6.0]), 3)
for _name, _op in (("remainder", lambda x, y: x % y), ("floor_divide", lambda x, y: x // y)):
    case(_name, "operator", _op, _op, u((3, 4), -5, 5), 1.5, mode="box")
    case(_name, "reflected", lambda y, o=_op: o(7.5, y), lambda y, o=_op: o(7.5, y),
         u((4,), 0.5, 2.0), mode="box")
    case(_name, "np ufunc", lambda x, n=_name: getattr(np, n)(x, -1.25),
         lambda x, n=_name: getattr(np, n)(x, -1.25), u((3,), -5, 5), mode="box")
case("divmod", "arrays", dnp.divmod, np.divmod, u((3, 4), -5, 5), u((4,), 0.5, 2.0),
     mode="box")
case("divmod", "builtin", lambda x: divmod(x, 0.75), lambda x: np.divmod(x, 0.75),
     u((3,), -5, 5), mode="box")
case("divmod", "np ufunc", lambda x: np.divmod(x, -0.75), lambda x: np.divmod(x, -0.75),
     u((2, 3), -5, 5), mode="box")
case("divmod", "floats", dnp.divmod, np.divmod, -7.5, 2.0, mode="plain")

for _shape in SHAPES:
    for _lab, _x in inputs(_shape):
        case("angle", _lab, dnp.angle, np.angle, _x)
        case("angle", f"{_lab},deg", lambda x: dnp.angle(x, deg=True),
             lambda x: np.angle(x, deg=True), _x)
case("angle", "complex", dnp.angle, np.angle, _Z)
case("angle", "complex deg", lambda z: dnp.angle(z, True), lambda z: np.angle(z, True), _Z)
case("angle", "edges", dnp.angle, np.angle, np.array([-1.0, -0.0, 0.0, 2.0, np.inf, -np.inf]))
case("angle", "axes", dnp.angle, np.angle, np.array([1.0, 1j, -1.0, -1j, 0j, -1 - 1e-300j]))

_NANS = np.array([[np.nan, 1.0, np.inf, -2.5], [-np.inf, 0.0, np.nan, 3.0]])
case("nan_to_num", "default", dnp.nan_to_num, np.nan_to_num, _NANS)
case("nan_to_num", "keywords", lambda x: dnp.nan_to_num(x, nan=-1.0, posinf=9.0, neginf=-9.0),
     lambda x: np.nan_to_num(x, nan=-1.0, posinf=9.0, neginf=-9.0), _NANS)
case("nan_to_num", "copy=False", lambda x: dnp.nan_to_num(x, copy=False, posinf=5.0),
     lambda x: np.nan_to_num(x.copy(), copy=False, posinf=5.0), _NANS)
case("nan_to_num", "finite", dnp.nan_to_num, np.nan_to_num, u((3, 4)))
case("nan_to_num", "float", dnp.nan_to_num, np.nan_to_num, float("nan"), mode="plain")
case("nan_to_num", "complex", lambda z: dnp.nan_to_num(z, nan=2.0),
     lambda z: np.nan_to_num(z, nan=2.0),
     np.array([complex(np.nan, 1.0), complex(1.0, np.inf), 2 - 1j]))

_C1, _C2 = RNG.uniform(size=(3, 4)) > 0.6, RNG.uniform(size=(4,)) > 0.4
case("select", "two", lambda x: dnp.select([_C1, _C2], [x, -x], 0.5),
     lambda x: np.select([_C1, _C2], [x, -x], 0.5), u((3, 4)))
case("select", "broadcast", lambda x: dnp.select([_C1, _C2], [x, 2.0], default=x[0]),
     lambda x: np.select([_C1, _C2], [x, 2.0], default=x[0]), u((4,)))
case("select", "default only", lambda x: dnp.select([_C1 & False], [x]),
     lambda x: np.select([_C1 & False], [x]), u((3, 4)))
case("select", "scalar conditions", lambda x: dnp.select([False, True], [x, 2 * x], 0.0),
     lambda x: np.select([False, True], [x, 2 * x], 0.0), u((3,)))
case("select", "boxed default", lambda d: dnp.select([_C2], [1.0], d),
     lambda d: np.select([_C2], [1.0], d), u((4,)))
case("select", "empty", lambda x: dnp.select([], [], 0.0), lambda x: np.select([], [], 0.0),
     u((2,)), mode="box")
case("select", "lengths", lambda x: dnp.select([_C2], [x, x]),
     lambda x: np.select([_C2], [x, x]), u((4,)), mode="box")
case("select", "not boolean", lambda x: dnp.select([np.ones(4)], [x]),
     lambda x: np.select([np.ones(4)], [x]), u((4,)), mode="box")

_PREDICATES = {"isnan": np.isnan, "isinf": np.isinf, "signbit": np.signbit,
               "iscomplexobj": np.iscomplexobj}
for _name, _ref in _PREDICATES.items():
    for _shape in SHAPES:
        for _lab, _x in inputs(_shape):
            case(_name, _lab, getattr(dnp, _name), _ref, _x, mode="box")
    case(_name, "edges", getattr(dnp, _name), _ref, _EDGE, mode="box")
    case(_name, "complex", getattr(dnp, _name), _ref, _Z, mode="box")
    case(_name, "list of boxes", lambda x, n=_name: getattr(dnp, n)([x, -0.0 * x]),
         lambda x, r=_ref: r([x, -0.0 * x]), u((3,)), mode="box")
for _name in ("all", "any"):
    _f, _ref = getattr(dnp, _name), getattr(np, _name)
    _bits = np.array([[0.0, 1.0, 2.0], [0.0, 0.0, -1.0]])
    for _ax in (None, 0, 1, -1, (0, 1)):
        for _keep in (False, True):
            case(_name, f"axis={_ax},keepdims={_keep}",
                 lambda x, a=_ax, k=_keep, f=_f: f(x, axis=a, keepdims=k),
                 lambda x, a=_ax, k=_keep, r=_ref: r(x, axis=a, keepdims=k), _bits, mode="box")
    case(_name, "where", lambda x, f=_f: f(x, where=[True, False, True]),
         lambda x, r=_ref: r(x, where=[True, False, True]), _bits, mode="box")
    case(_name, "float", _f, _ref, 0.0, mode="box")
    case(_name, "nan", _f, _ref, np.array([np.nan, 1.0]), mode="box")
for _name in ("isclose", "allclose"):
    _f, _ref = getattr(dnp, _name), getattr(np, _name)
    _p = np.array([1.0, 2.0, np.nan, np.inf, 1e-9])
    _q = np.array([1.0 + 1e-6, 2.1, np.nan, np.inf, 0.0])
    case(_name, "default", _f, _ref, _p, _q, mode="box")
    case(_name, "second boxed", lambda b, a=_p, f=_f: f(a, b), lambda b, a=_p, r=_ref: r(a, b),
         _q, mode="box")
    case(_name, "keywords", lambda a, b, f=_f: f(a, b, rtol=0.1, atol=0.0, equal_nan=True),
         lambda a, b, r=_ref: r(a, b, rtol=0.1, atol=0.0, equal_nan=True), _p, _q, mode="box")
    case(_name, "broadcast", _f, _ref, u((3, 4)), 0.5, mode="box")
    case(_name, "same", _f, _ref, _p[:2], _p[:2].copy(), mode="box")


@pytest.mark.parametrize("name", sorted(CASES))
def test_value_matches_numpy(name):
    T.check(name)
