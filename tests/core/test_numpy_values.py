"""dualnum.numpy against numpy, name by name: every public name gives numpy's value (or
scipy.special's, or a closed form where numpy has none) on 0-D to 3-D inputs, with default and
non-default keyword arguments, on plain values and on the primal of a Dual and the value of a
tape variable.

The table below must cover every name of ``dnp.__all__``: a new name fails
``test_every_name_has_value_cases`` until it gets cases here. References are numpy's (never
dualnum's own output).
"""
from __future__ import annotations

import inspect as _inspect
import math
import warnings
from typing import Any, Callable, NamedTuple

import numpy as np
import pytest

import dualnum as dn
import dualnum.numpy as dnp

try:
    import scipy.special as sps
except ImportError:     # pragma: no cover - scipy is optional: closed forms instead
    sps = None

RNG = np.random.default_rng(1010)
SHAPES = [(), (4,), (3, 4), (2, 3, 4)]


class Case(NamedTuple):
    label: str
    f: Callable[..., Any]       # the dnp call; its first argument is the one boxed
    ref: Callable[..., Any]     # numpy's value
    args: tuple
    mode: str                   # "diff": also via jvp/vjp; "box": called on boxes; "plain"


CASES: dict[str, list[Case]] = {}


def case(name: str, label: str, f: Callable, ref: Callable, *args: Any,
         mode: str = "diff") -> None:
    CASES.setdefault(name, []).append(Case(f"{name}[{label}]", f, ref, args, mode))


def u(shape: tuple, lo: float = -2.0, hi: float = 2.0) -> np.ndarray:
    return RNG.uniform(lo, hi, size=shape)


def inputs(shape: tuple, lo: float = -2.0, hi: float = 2.0) -> list[tuple[str, Any]]:
    """Test inputs of ``shape``: 0-D both as a Python float and as a 0-d array."""
    if shape == ():
        v = float(RNG.uniform(lo, hi))
        return [("float", v), ("0d", np.array(v))]
    return [(str(shape), u(shape, lo, hi))]


def axis_choices(nd: int) -> list[Any]:
    out: list[Any] = [None]
    if nd == 0:
        return out + [0, -1]
    out += [0, -1]
    if nd >= 2:
        out += [1, (0, -1), (-2,)]
    if nd == 3:
        out += [(0, 1, 2), (2, 0), ()]
    return out


# ------------------------------------------------------------------------- references

def _lse(x, axis=None, keepdims=False):
    if np.ndim(x) == 0:     # one element (numpy's reductions: any axis 0, shape kept ())
        return np.asarray(x, dtype=float)[()]
    if sps is not None:
        return sps.logsumexp(x, axis=axis, keepdims=keepdims)
    m = np.max(x, axis=axis, keepdims=True)
    out = np.log(np.sum(np.exp(x - m), axis=axis, keepdims=True)) + m
    return out if keepdims else np.squeeze(out, axis=axis)


def _softmax(x, axis=None):
    if np.ndim(x) == 0:
        return np.float64(1.0)
    if sps is not None:
        return sps.softmax(x, axis=axis)
    e = np.exp(x - np.max(x, axis=axis, keepdims=True))
    return e / np.sum(e, axis=axis, keepdims=True)


def _log_softmax(x, axis=None):
    if np.ndim(x) == 0:
        return np.float64(0.0)
    if sps is not None:
        return sps.log_softmax(x, axis=axis)
    return x - _lse(x, axis=axis, keepdims=True)


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
_Z = u((2, 3)) + 1j * u((2, 3))
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

# ------------------------------------------------------------------------- reductions

REDUCTIONS = {
    "sum": (dnp.sum, np.sum), "prod": (dnp.prod, np.prod), "max": (dnp.max, np.max),
    "min": (dnp.min, np.min), "amax": (dnp.amax, np.amax), "amin": (dnp.amin, np.amin),
    "mean": (dnp.mean, np.mean), "var": (dnp.var, np.var), "std": (dnp.std, np.std),
    "logsumexp": (dnp.logsumexp, _lse),
}
for _name, (_f, _ref) in REDUCTIONS.items():
    lo, hi = (0.5, 1.5) if _name == "prod" else (-2.0, 2.0)
    for _shape in SHAPES:
        for _lab, _x in inputs(_shape, lo, hi):
            case(_name, f"{_lab},default", _f, _ref, _x)
            for _ax in axis_choices(len(_shape)):
                for _keep in (False, True):
                    case(_name, f"{_lab},axis={_ax},keepdims={_keep}",
                         lambda x, a=_ax, k=_keep, f=_f: f(x, axis=a, keepdims=k),
                         lambda x, a=_ax, k=_keep, r=_ref: r(x, axis=a, keepdims=k), _x)
    case(_name, "list", _f, _ref, [[0.5, 1.0], [1.5, 0.75]], mode="plain")
for _name in ("var", "std"):
    _f, _ref = REDUCTIONS[_name]
    for _shape in SHAPES[1:]:
        for _ax in (None, 0, -1):
            case(_name, f"{_shape},ddof=1,axis={_ax}", lambda x, a=_ax, f=_f: f(x, a, ddof=1),
                 lambda x, a=_ax, r=_ref: r(x, a, ddof=1), u(_shape))
    case(_name, "one element", _f, _ref, 3.5)
    case(_name, "length-1 axis", lambda x, f=_f: f(x, axis=0), lambda x, r=_ref: r(x, axis=0),
         np.ones((1, 3)))
    case(_name, "complex", _f, _ref, _Z)
    case(_name, "complex axis", lambda x, f=_f: f(x, axis=-1, ddof=1),
         lambda x, r=_ref: r(x, axis=-1, ddof=1), _Z)
case("max", "ties", lambda x: dnp.max(x, axis=1), lambda x: np.max(x, axis=1),
     np.array([[1.0, 3.0, 3.0], [0.0, 0.0, -1.0]]))
case("prod", "zeros", lambda x: dnp.prod(x, axis=0), lambda x: np.prod(x, axis=0),
     np.array([[0.0, 2.0], [3.0, 0.0], [0.5, 1.0]]))
case("mean", "complex", lambda x: dnp.mean(x, axis=0), lambda x: np.mean(x, axis=0), _Z)
case("logsumexp", "large", lambda x: dnp.logsumexp(x, axis=-1),
     lambda x: _lse(x, axis=-1), np.array([[1000.0, 1000.0], [-1000.0, 0.0]]))

for _shape in SHAPES:
    for _lab, _x in inputs(_shape):
        case("norm", f"{_lab},default", dnp.norm, np.linalg.norm, _x)
        case("norm", f"{_lab},keepdims", lambda x: dnp.norm(x, keepdims=True),
             lambda x: np.linalg.norm(x, keepdims=True), _x)
        for _ax in range(len(_shape)):
            for _ord in (None, 2, 1, np.inf, -np.inf, 0, 3, -1.5):
                case("norm", f"{_lab},axis={_ax},ord={_ord}",
                     lambda x, a=_ax, o=_ord: dnp.norm(x, o, a),
                     lambda x, a=_ax, o=_ord: np.linalg.norm(x, o, a), _x)
        if len(_shape) >= 2:
            for _ax in ((0, 1), (-1, 0)):
                for _ord in (None, "fro", 1, -1, np.inf, -np.inf):
                    for _keep in (False, True):
                        case("norm", f"{_lab},axis={_ax},ord={_ord},keep={_keep}",
                             lambda x, a=_ax, o=_ord, k=_keep: dnp.norm(x, o, a, k),
                             lambda x, a=_ax, o=_ord, k=_keep: np.linalg.norm(x, o, a, k), _x)
for _ord in (1, np.inf, -np.inf, 0, 3):
    case("norm", f"vector ord={_ord}", lambda x, o=_ord: dnp.norm(x, ord=o),
         lambda x, o=_ord: np.linalg.norm(x, ord=o), np.array([1.0, -2.0, 0.0, 0.5]))
for _ord in ("fro", 1, -1, np.inf, -np.inf):
    case("norm", f"matrix ord={_ord}", lambda x, o=_ord: dnp.norm(x, ord=o),
         lambda x, o=_ord: np.linalg.norm(x, ord=o), u((3, 4)))
case("norm", "complex", dnp.norm, np.linalg.norm, np.array([1 + 2j, 3 - 1j]))
case("norm", "complex axis", lambda x: dnp.norm(x, axis=0),
     lambda x: np.linalg.norm(x, axis=0), _Z)
case("norm", "complex ord=1", lambda x: dnp.norm(x, 1, -1), lambda x: np.linalg.norm(x, 1, -1),
     _Z)
case("norm", "list", dnp.norm, np.linalg.norm, [3.0, 4.0], mode="plain")

for _name, _f, _ref in (("softmax", dnp.softmax, _softmax),
                        ("log_softmax", dnp.log_softmax, _log_softmax)):
    for _shape in SHAPES:
        for _lab, _x in inputs(_shape):
            if _shape:      # the default is the last axis (scipy's is None: see the docstring)
                case(_name, f"{_lab},default", _f, lambda x, r=_ref: r(x, axis=-1), _x)
            for _ax in axis_choices(len(_shape)):
                if _ax == ():
                    continue
                case(_name, f"{_lab},axis={_ax}", lambda x, a=_ax, f=_f: f(x, axis=a),
                     lambda x, a=_ax, r=_ref: r(x, axis=a), _x)
    case(_name, "large", _f, lambda x, r=_ref: r(x, axis=-1), np.array([1000.0, 0.0, -1000.0]))

# ------------------------------------------------------------------------- shapes

for _shape in SHAPES:
    for _lab, _x in inputs(_shape):
        case("transpose", f"{_lab},default", dnp.transpose, np.transpose, _x)
        case("reshape", f"{_lab},flat", lambda x: dnp.reshape(x, -1),
             lambda x: np.reshape(x, -1), _x)
        case("reshape", f"{_lab},column", lambda x: dnp.reshape(x, (-1, 1)),
             lambda x: np.reshape(x, (-1, 1)), _x)
        case("broadcast_to", _lab, lambda x: dnp.broadcast_to(x, (2,) + np.shape(x)),
             lambda x: np.broadcast_to(x, (2,) + np.shape(x)), _x)
        case("flip", f"{_lab},default", dnp.flip, np.flip, _x)
        case("squeeze", f"{_lab},default", dnp.squeeze, np.squeeze, _x)
        case("expand_dims", f"{_lab},0", lambda x: dnp.expand_dims(x, 0),
             lambda x: np.expand_dims(x, 0), _x)
        case("expand_dims", f"{_lab},-1", lambda x: dnp.expand_dims(x, -1),
             lambda x: np.expand_dims(x, -1), _x)
        case("expand_dims", f"{_lab},(0,-1)", lambda x: dnp.expand_dims(x, (0, -1)),
             lambda x: np.expand_dims(x, (0, -1)), _x)
        case("cumsum", f"{_lab},default", dnp.cumsum, np.cumsum, _x)
        case("stack", f"{_lab},0", lambda x: dnp.stack([x, 2 * x, x * x]),
             lambda x: np.stack([x, 2 * x, x * x]), _x)
        case("stack", f"{_lab},-1", lambda x: dnp.stack([x, -x], axis=-1),
             lambda x: np.stack([x, -x], axis=-1), _x)
        case("outer", _lab, lambda x: dnp.outer(x, x[..., :2] if np.ndim(x) else x),
             lambda x: np.outer(x, x[..., :2] if np.ndim(x) else x), _x)
        for _ax in range(len(_shape)):
            case("flip", f"{_lab},{_ax}", lambda x, a=_ax: dnp.flip(x, a),
                 lambda x, a=_ax: np.flip(x, a), _x)
            case("cumsum", f"{_lab},{_ax}", lambda x, a=_ax: dnp.cumsum(x, a),
                 lambda x, a=_ax: np.cumsum(x, a), _x)
            _neg = _ax - len(_shape)
            case("cumsum", f"{_lab},{_neg}", lambda x, a=_neg: dnp.cumsum(x, axis=a),
                 lambda x, a=_neg: np.cumsum(x, axis=a), _x)
            case("stack", f"{_lab},{_ax + 1}", lambda x, a=_ax + 1: dnp.stack([x, x], a),
                 lambda x, a=_ax + 1: np.stack([x, x], a), _x)
            case("concatenate", f"{_lab},{_ax}", lambda x, a=_ax: dnp.concatenate([x, 2 * x], a),
                 lambda x, a=_ax: np.concatenate([x, 2 * x], a), _x)
        case("concatenate", f"{_lab},None",
             lambda x: dnp.concatenate([x, np.ones((2, 1))], axis=None),
             lambda x: np.concatenate([x, np.ones((2, 1))], axis=None), _x)
case("cumsum", "0d,axis=0", lambda x: dnp.cumsum(x, axis=0), lambda x: np.cumsum(x, axis=0),
     np.array(2.5))
case("cumsum", "long", dnp.cumsum, np.cumsum, u((600,)))
case("cumsum", "long axis 0", lambda x: dnp.cumsum(x, 0), lambda x: np.cumsum(x, 0),
     u((300, 2)))
case("cumsum", "complex", dnp.cumsum, np.cumsum, _Z)
case("cumsum", "list", dnp.cumsum, np.cumsum, [[1.0, 2.0], [3.0, 4.0]], mode="plain")
case("concatenate", "-1", lambda x: dnp.concatenate([x, x[:, :1]], axis=-1),
     lambda x: np.concatenate([x, x[:, :1]], axis=-1), u((3, 4)))
case("concatenate", "lists", lambda x: dnp.concatenate([x, [9.0, 8.0]]),
     lambda x: np.concatenate([x, [9.0, 8.0]]), u((3,)))

_X3 = u((2, 3, 4))
for _axes in ((1, 0, 2), (-1, 0, 1), (2, 1, 0), [0, 2, 1]):
    case("transpose", str(_axes), lambda x, a=_axes: dnp.transpose(x, a),
         lambda x, a=_axes: np.transpose(x, a), _X3)
case("reshape", "int", lambda x: dnp.reshape(x, 12), lambda x: np.reshape(x, 12), u((3, 4)))
case("reshape", "np.int64", lambda x: dnp.reshape(x, (np.int64(2), -1)),
     lambda x: np.reshape(x, (2, -1)), u((3, 4)))
case("broadcast_to", "int shape", lambda x: dnp.broadcast_to(x, np.int64(3)),
     lambda x: np.broadcast_to(x, 3), 1.5)
case("broadcast_to", "inner 1", lambda x: dnp.broadcast_to(x, (2, 3, 4)),
     lambda x: np.broadcast_to(x, (2, 3, 4)), u((3, 1)))
_S = u((1, 3, 1))
for _ax in (0, -1, (0, 2), (-3,), 2):
    case("squeeze", str(_ax), lambda x, a=_ax: dnp.squeeze(x, a),
         lambda x, a=_ax: np.squeeze(x, a), _S)
case("squeeze", "0d axis 0", lambda x: dnp.squeeze(x, 0), lambda x: np.squeeze(x, 0),
     np.array(1.5))
case("squeeze", "all ones", dnp.squeeze, np.squeeze, u((1, 1)))
for _ax in (1, (0, 2), (-1, 1), (3, 0), -4):
    case("expand_dims", str(_ax), lambda x, a=_ax: dnp.expand_dims(x, a),
         lambda x, a=_ax: np.expand_dims(x, a), u((2, 3)))
for _ax in ((0, 1), (0, -1), (2, 0)):
    case("flip", str(_ax), lambda x, a=_ax: dnp.flip(x, a), lambda x, a=_ax: np.flip(x, a),
         _X3)
for _src, _dst in ((0, -1), (-1, 0), (1, 2), ((0, 1), (1, 2)), ((0, 1), (-1, -2)),
                   ([2, 0], [0, 1]), ((), ())):
    case("moveaxis", f"{_src}->{_dst}", lambda x, s=_src, d=_dst: dnp.moveaxis(x, s, d),
         lambda x, s=_src, d=_dst: np.moveaxis(x, s, d), _X3)
for _a, _b in ((0, 1), (0, -1), (2, 2), (-1, -3)):
    case("swapaxes", f"{_a},{_b}", lambda x, a=_a, b=_b: dnp.swapaxes(x, a, b),
         lambda x, a=_a, b=_b: np.swapaxes(x, a, b), _X3)
case("swapaxes", "keywords", lambda x: dnp.swapaxes(x, axis1=0, axis2=2),
     lambda x: np.swapaxes(x, axis1=0, axis2=2), _X3)
case("stack", "lists", lambda x: dnp.stack([x, [1.0, 2.0, 3.0]], axis=1),
     lambda x: np.stack([x, [1.0, 2.0, 3.0]], axis=1), u((3,)))

for _pw in (1, (2, 1), ((1, 0), (0, 2)), ((0, 0), (3, 1))):
    for _mode, _kw in (("constant", {}), ("constant", {"constant_values": 2.5}),
                       ("constant", {"constant_values": ((1.0, 2.0), (3.0, 4.0))}),
                       ("edge", {}), ("reflect", {}), ("symmetric", {}), ("wrap", {})):
        if _mode == "constant" and isinstance(_kw.get("constant_values"), tuple) and \
                not isinstance(_pw, tuple):
            continue
        case("pad", f"{_pw},{_mode},{_kw}",
             lambda x, p=_pw, m=_mode, k=_kw: dnp.pad(x, p, mode=m, **k),
             lambda x, p=_pw, m=_mode, k=_kw: np.pad(x, p, mode=m, **k), u((3, 4)))
for _mode in ("constant", "edge", "reflect", "symmetric", "wrap"):
    case("pad", f"1-D wide {_mode}", lambda x, m=_mode: dnp.pad(x, (5, 4), mode=m),
         lambda x, m=_mode: np.pad(x, (5, 4), mode=m), u((3,)))
    case("pad", f"3-D {_mode}", lambda x, m=_mode: dnp.pad(x, 1, mode=m),
         lambda x, m=_mode: np.pad(x, 1, mode=m), _X3)
case("pad", "reflect length 1", lambda x: dnp.pad(x, 2, mode="reflect"),
     lambda x: np.pad(x, 2, mode="reflect"), u((1,)))

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

# ------------------------------------------------------------------------- diagonals

for _shape in ((3, 3), (3, 5), (5, 2), (2, 3, 4), (4, 3, 2, 2)):
    _x = u(_shape)
    for _off in (0, 1, -1, 2, -3, 7):
        case("trace", f"{_shape},offset={_off}", lambda x, o=_off: dnp.trace(x, o),
             lambda x, o=_off: np.trace(x, o), _x)
        case("diagonal", f"{_shape},offset={_off}", lambda x, o=_off: dnp.diagonal(x, o),
             lambda x, o=_off: np.diagonal(x, o), _x)
    if len(_shape) >= 3:
        for _a1, _a2 in ((1, 2), (2, 0), (-1, 1), (0, -1)):
            for _off in (0, 1, -1):
                case("trace", f"{_shape},{_a1},{_a2},{_off}",
                     lambda x, o=_off, a=_a1, b=_a2: dnp.trace(x, offset=o, axis1=a, axis2=b),
                     lambda x, o=_off, a=_a1, b=_a2: np.trace(x, offset=o, axis1=a, axis2=b),
                     _x)
                case("diagonal", f"{_shape},{_a1},{_a2},{_off}",
                     lambda x, o=_off, a=_a1, b=_a2: dnp.diagonal(x, o, a, b),
                     lambda x, o=_off, a=_a1, b=_a2: np.diagonal(x, o, a, b), _x)
case("trace", "issue 3-D", dnp.trace, np.trace, np.arange(24.0).reshape(2, 3, 4))
case("trace", "list", dnp.trace, np.trace, [[1.0, 2.0], [3.0, 4.0]], mode="plain")
for _shape in ((3,), (1,), (3, 3), (2, 4), (4, 2)):
    for _k in (0, 1, -1, 2, -2):
        case("diag", f"{_shape},k={_k}", lambda x, k=_k: dnp.diag(x, k),
             lambda x, k=_k: np.diag(x, k), u(_shape))
case("diag", "complex", dnp.diag, np.diag, _Z[0])
case("diag", "list", dnp.diag, np.diag, [1.0, 2.0], mode="plain")

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

# ------------------------------------------------------------------------- sliding windows
# (their own random stream: the draws of the cases above do not move)
_RW = np.random.default_rng(2020)
_SWV = np.lib.stride_tricks.sliding_window_view
for _shape, _w, _ax in (((6,), 3, None), ((6,), 6, 0), ((3, 4), (2, 2), None),
                        ((2, 5, 4, 3), (3, 2), (1, 2)), ((2, 5, 4), 2, -1),
                        ((4, 5), (2, 3), (1, 0))):
    _x = _RW.uniform(-2.0, 2.0, size=_shape)
    case("sliding_window_view", f"{_shape},{_w},{_ax}",
         lambda x, w=_w, a=_ax: dnp.sliding_window_view(x, w, axis=a),
         lambda x, w=_w, a=_ax: _SWV(x, w, axis=a), _x)
case("sliding_window_view", "complex", lambda x: dnp.sliding_window_view(x, 2),
     lambda x: _SWV(x, 2), np.array([1 + 2j, 3.0, -1j]))
# max/min over a small block of many results: reduced as slices (ties and nan included)
_xb = np.round(_RW.uniform(-2.0, 2.0, size=(8, 2, 8, 2, 4)), 1)
_xb[0, 0, 0, 0, 0] = np.nan
for _name in ("max", "min"):
    case(_name, "small block", lambda x, n=_name: getattr(dnp, n)(x, axis=(1, 3)),
         lambda x, n=_name: getattr(np, n)(x, axis=(1, 3)), _xb)
    case(_name, "small block keepdims",
         lambda x, n=_name: getattr(dnp, n)(x, axis=(-4, -2), keepdims=True),
         lambda x, n=_name: getattr(np, n)(x, axis=(-4, -2), keepdims=True), _xb)


# ------------------------------------------------------------------------- shapes and indexing
# (issue 13: joining and splitting, gathers and index_add, rearranging, kron, cross, r_, c_,
# meshgrid). A list result is compared as a tuple, piece by piece.

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


def _sub_form(ops, sub, mod):
    """``einsum(op0, sublist0, op1, sublist1, ..., [output sublist])``."""
    args = [v for pair in zip(ops, sub) for v in pair] + list(sub[len(ops):])
    return mod.einsum(*args)


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
case("swapaxes", "axis2 keyword only", lambda x: dnp.swapaxes(x, 0, axis2=-1),
     lambda x: np.swapaxes(x, 0, axis2=-1), u((2, 3, 4)))
# ========================================================================= issue 13:
# rounding, remainders, piecewise and smooth elementwise rows, predicates, sorting and order
# statistics, differences, averages (names-elem)

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

# sorting and order statistics; ties and nan included
_TIES = np.array([[2.0, 1.0, 2.0, 0.5], [3.0, 3.0, -1.0, 3.0], [0.0, np.nan, 1.0, -2.0]])
for _shape in SHAPES:
    for _lab, _x in inputs(_shape):
        _nd = len(_shape)
        for _ax in ([-1, None] + list(range(_nd)) if _nd else [-1, None, 0]):
            case("sort", f"{_lab},axis={_ax}", lambda x, a=_ax: dnp.sort(x, axis=a),
                 lambda x, a=_ax: np.sort(x, axis=a), _x)
            case("argsort", f"{_lab},axis={_ax}", lambda x, a=_ax: dnp.argsort(x, axis=a),
                 lambda x, a=_ax: np.argsort(x, axis=a, kind="stable"), _x, mode="box")
            if _nd:
                _n = _shape[-1 if _ax is None else _ax] if _ax is not None else int(np.prod(_shape))
                for _k in sorted({0, _n // 2, _n - 1, -1}):
                    case("partition", f"{_lab},axis={_ax},kth={_k}",
                         lambda x, a=_ax, k=_k: dnp.partition(x, k, axis=a),
                         lambda x, a=_ax, k=_k: np.partition(x, k, axis=a), _x)
        for _ax in axis_choices(_nd):
            if _ax == ():
                continue
            for _keep in (False, True):
                case("median", f"{_lab},axis={_ax},keepdims={_keep}",
                     lambda x, a=_ax, k=_keep: dnp.median(x, axis=a, keepdims=k),
                     lambda x, a=_ax, k=_keep: np.median(x, axis=a, keepdims=k), _x)
                for _q in (0.3, [0.0, 0.5, 1.0], np.array([[0.1, 0.9], [0.25, 0.75]])):
                    case("quantile", f"{_lab},axis={_ax},keepdims={_keep},q={_q}",
                         lambda x, a=_ax, k=_keep, q=_q: dnp.quantile(x, q, a, keepdims=k),
                         lambda x, a=_ax, k=_keep, q=_q: np.quantile(x, q, a, keepdims=k), _x)
                case("percentile", f"{_lab},axis={_ax},keepdims={_keep}",
                     lambda x, a=_ax, k=_keep: dnp.percentile(x, [10, 62.5], axis=a, keepdims=k),
                     lambda x, a=_ax, k=_keep: np.percentile(x, [10, 62.5], axis=a, keepdims=k),
                     _x)
case("sort", "ties and nan", lambda x: dnp.sort(x, axis=1), lambda x: np.sort(x, axis=1), _TIES)
case("sort", "kind", lambda x: dnp.sort(x, kind="quicksort", stable=True),
     lambda x: np.sort(x, kind="quicksort"), _TIES)
case("sort", "complex", dnp.sort, np.sort, _Z)
case("sort", "list", dnp.sort, np.sort, [3.0, 1.0, 2.0], mode="plain")
case("sort", "empty", dnp.sort, np.sort, np.zeros((2, 0)))
case("argsort", "ties and nan", lambda x: dnp.argsort(x, axis=0, stable=True),
     lambda x: np.argsort(x, axis=0, stable=True), _TIES, mode="box")
case("argsort", "list of boxes", lambda x: dnp.argsort([x, 0.5 * x]),
     lambda x: np.argsort([x, 0.5 * x]), u((3,)), mode="box")
case("partition", "kth list", lambda x: dnp.partition(x, [0, 2], axis=0),
     lambda x: np.partition(x, [0, 2], axis=0), _TIES)
case("partition", "ties and nan", lambda x: dnp.partition(x, 1), lambda x: np.partition(x, 1),
     _TIES)
case("partition", "kth out of range", lambda x: dnp.partition(x, 4),
     lambda x: np.partition(x, 4), u((4,)))
case("median", "ties and nan", lambda x: dnp.median(x, axis=1), lambda x: np.median(x, axis=1),
     _TIES)
case("median", "nan all", dnp.median, np.median, _TIES)
case("median", "empty", dnp.median, np.median, np.zeros(0), mode="box")
case("median", "complex", dnp.median, np.median, _Z)
case("median", "list", dnp.median, np.median, [[1.0, 5.0], [2.0, 3.0]], mode="plain")
_Q = u((5, 6), -3.0, 3.0)
_Q[0, 1] = _Q[0, 4]     # a tie
# numpy 2.0 gives other closest_observation values (numpy 2.1 changed that method's rounding,
# and dnp follows numpy >= 2.1): on the oldest numpy CI runs that method is left out here
_METHODS = ("linear", "lower", "higher", "nearest", "midpoint", "inverted_cdf",
            "averaged_inverted_cdf", "closest_observation", "interpolated_inverted_cdf",
            "hazen", "weibull", "median_unbiased", "normal_unbiased")
if np.lib.NumpyVersion(np.__version__) < "2.1.0":
    _METHODS = tuple(m for m in _METHODS if m != "closest_observation")
for _m in _METHODS:
    for _q in (0.0, 0.1, 0.5, 0.55, 1.0, [0.2, 0.4, 0.6, 0.8, 1 / 3]):
        for _ax in (None, 1, (0, 1)):
            case("quantile", f"method={_m},q={_q},axis={_ax}",
                 lambda x, m=_m, q=_q, a=_ax: dnp.quantile(x, q, axis=a, method=m),
                 lambda x, m=_m, q=_q, a=_ax: np.quantile(x, q, axis=a, method=m), _Q)
    case("percentile", f"method={_m}", lambda x, m=_m: dnp.percentile(x, [5, 50, 95], 0, method=m),
         lambda x, m=_m: np.percentile(x, [5, 50, 95], 0, method=m), _Q)
case("quantile", "ties and nan", lambda x: dnp.quantile(x, 0.4, axis=1),
     lambda x: np.quantile(x, 0.4, axis=1), _TIES)
case("quantile", "q out of range", lambda x: dnp.quantile(x, 1.5), lambda x: np.quantile(x, 1.5),
     u((4,)))
case("quantile", "bad method", lambda x: dnp.quantile(x, 0.5, method="cubic"),
     lambda x: np.quantile(x, 0.5, method="cubic"), u((4,)))
case("quantile", "empty", lambda x: dnp.quantile(x, 0.5), lambda x: np.quantile(x, 0.5),
     np.zeros(0), mode="box")
case("quantile", "3-D q", lambda x: dnp.quantile(x, np.full((2, 2, 2), 0.5)),
     lambda x: np.quantile(x, np.full((2, 2, 2), 0.5)), u((4,)))
case("quantile", "boxed q", lambda q: dnp.quantile(_Q, q, axis=0),
     lambda q: np.quantile(_Q, q, axis=0), np.array([0.05, 0.5, 0.83]))
case("quantile", "int q", lambda x: dnp.quantile(x, 1), lambda x: np.quantile(x, 1), u((5,)))
case("percentile", "out of range", lambda x: dnp.percentile(x, -1.0),
     lambda x: np.percentile(x, -1.0), u((4,)))
case("percentile", "boxed q", lambda q: dnp.percentile(_Q, q, axis=1),
     lambda q: np.percentile(_Q, q, axis=1), 37.5)
case("percentile", "list", dnp.percentile, np.percentile, [1.0, 3.0, 2.0], 50, mode="plain")

# differences, gradients, running products, averages
for _shape in SHAPES[1:]:
    for _lab, _x in inputs(_shape):
        for _ax in range(-len(_shape), len(_shape)):
            for _n in (0, 1, 2, 3):
                case("diff", f"{_lab},n={_n},axis={_ax}",
                     lambda x, n=_n, a=_ax: dnp.diff(x, n, a),
                     lambda x, n=_n, a=_ax: np.diff(x, n, a), _x)
            case("cumprod", f"{_lab},axis={_ax}", lambda x, a=_ax: dnp.cumprod(x, axis=a),
                 lambda x, a=_ax: np.cumprod(x, axis=a), _x)
            for _e in (1, 2):
                if _shape[_ax] > _e:
                    case("gradient", f"{_lab},axis={_ax},edge_order={_e}",
                         lambda x, a=_ax, e=_e: dnp.gradient(x, axis=a, edge_order=e),
                         lambda x, a=_ax, e=_e: np.gradient(x, axis=a, edge_order=e), _x)
                    _coords = np.cumsum(RNG.uniform(0.5, 1.5, size=_shape[_ax]))
                    case("gradient", f"{_lab},axis={_ax},edge_order={_e},coordinates",
                         lambda x, a=_ax, e=_e, c=_coords: dnp.gradient(x, c, axis=a, edge_order=e),
                         lambda x, a=_ax, e=_e, c=_coords: np.gradient(x, c, axis=a, edge_order=e),
                         _x)
        case("cumprod", f"{_lab},default", dnp.cumprod, np.cumprod, _x)
        case("gradient", f"{_lab},all axes", dnp.gradient, np.gradient, _x, mode="box")
        case("gradient", f"{_lab},spacing 0.5", lambda x: dnp.gradient(x, 0.5),
             lambda x: np.gradient(x, 0.5), _x, mode="box")
        for _ax in axis_choices(len(_shape)):
            if _ax == ():
                continue
            for _keep in (False, True):
                case("average", f"{_lab},axis={_ax},keepdims={_keep}",
                     lambda x, a=_ax, k=_keep: dnp.average(x, axis=a, keepdims=k),
                     lambda x, a=_ax, k=_keep: np.average(x, axis=a, keepdims=k), _x)
                for _name in ("nansum", "nanmean"):
                    case(_name, f"{_lab},axis={_ax},keepdims={_keep}",
                         lambda x, a=_ax, k=_keep, n=_name: getattr(dnp, n)(x, axis=a, keepdims=k),
                         lambda x, a=_ax, k=_keep, n=_name: getattr(np, n)(x, axis=a, keepdims=k),
                         _x)
            _w = u(_shape, 0.5, 1.5)
            case("average", f"{_lab},axis={_ax},weights full",
                 lambda x, a=_ax, w=_w: dnp.average(x, axis=a, weights=w),
                 lambda x, a=_ax, w=_w: np.average(x, axis=a, weights=w), _x)
case("diff", "prepend append", lambda x: dnp.diff(x, prepend=0.0, append=[[9.0], [8.0], [7.0]]),
     lambda x: np.diff(x, prepend=0.0, append=[[9.0], [8.0], [7.0]]), u((3, 4)))
case("diff", "boxed append", lambda b: dnp.diff(_X3, axis=1, append=b),
     lambda b: np.diff(_X3, axis=1, append=b), u((2, 1, 4)))
case("diff", "n beyond the length", lambda x: dnp.diff(x, 5), lambda x: np.diff(x, 5), u((3,)))
case("diff", "0-D", dnp.diff, np.diff, 1.5, mode="box")
case("diff", "0-D n=0", lambda x: dnp.diff(x, 0), lambda x: np.diff(x, 0), 1.5)
case("diff", "negative n", lambda x: dnp.diff(x, -1), lambda x: np.diff(x, -1), u((3,)),
     mode="box")
case("diff", "list", dnp.diff, np.diff, [1.0, 4.0, 2.0], mode="plain")
case("cumprod", "zeros", lambda x: dnp.cumprod(x, 1), lambda x: np.cumprod(x, 1),
     np.array([[2.0, 0.0, 3.0, 4.0], [0.0, 0.0, 1.5, -2.0]]))
case("cumprod", "0-D axis 0", lambda x: dnp.cumprod(x, axis=0), lambda x: np.cumprod(x, axis=0),
     2.5)
case("cumprod", "long", lambda x: dnp.cumprod(x), lambda x: np.cumprod(x), u((300,), 0.9, 1.1))
case("cumprod", "complex", dnp.cumprod, np.cumprod, _Z)
case("cumprod", "list", dnp.cumprod, np.cumprod, [[1.0, 2.0], [3.0, 4.0]], mode="plain")
_G = u((4, 5))
case("gradient", "two spacings", lambda x: dnp.gradient(x, 2.0, [0.0, 1.0, 1.5, 3.5, 4.0]),
     lambda x: np.gradient(x, 2.0, [0.0, 1.0, 1.5, 3.5, 4.0]), _G, mode="box")
case("gradient", "axis tuple", lambda x: dnp.gradient(x, axis=(1, 0), edge_order=2),
     lambda x: np.gradient(x, axis=(1, 0), edge_order=2), _G, mode="box")
case("gradient", "uniform coordinates", lambda x: dnp.gradient(x, np.arange(5) * 0.5, axis=-1),
     lambda x: np.gradient(x, np.arange(5) * 0.5, axis=-1), _G)
case("gradient", "boxed spacing", lambda h: dnp.gradient(_G, h, axis=1),
     lambda h: np.gradient(_G, h, axis=1), 0.25)
case("gradient", "boxed coordinates", lambda c: dnp.gradient(_G, c, axis=0, edge_order=2),
     lambda c: np.gradient(_G, c, axis=0, edge_order=2), np.array([0.0, 0.5, 1.75, 2.0]))
case("gradient", "too short", lambda x: dnp.gradient(x, edge_order=2),
     lambda x: np.gradient(x, edge_order=2), u((2,)), mode="box")
case("gradient", "edge_order 3", lambda x: dnp.gradient(x, edge_order=3),
     lambda x: np.gradient(x, edge_order=3), u((5,)), mode="box")
case("gradient", "spacing count", lambda x: dnp.gradient(x, 1.0, 2.0, 3.0),
     lambda x: np.gradient(x, 1.0, 2.0, 3.0), _G, mode="box")
case("gradient", "coordinates length", lambda x: dnp.gradient(x, [0.0, 1.0], axis=0),
     lambda x: np.gradient(x, [0.0, 1.0], axis=0), _G, mode="box")
case("gradient", "list", dnp.gradient, np.gradient, [1.0, 4.0, 9.0], mode="plain")
_A3 = u((2, 3, 4))
for _ax, _w in ((1, u((3,), 0.5, 1.5)), (-1, u((4,), 0.5, 1.5)), ((0, 2), u((2, 4), 0.5, 1.5)),
                ((2, 0), u((4, 2), 0.5, 1.5))):
    for _keep in (False, True):
        case("average", f"axis={_ax},1-D weights,keepdims={_keep}",
             lambda x, a=_ax, w=_w, k=_keep: dnp.average(x, a, w, keepdims=k),
             lambda x, a=_ax, w=_w, k=_keep: np.average(x, a, w, keepdims=k), _A3)
    case("average", f"axis={_ax},returned",
         lambda x, a=_ax, w=_w: dnp.average(x, a, w, returned=True),
         lambda x, a=_ax, w=_w: np.average(x, a, w, returned=True), _A3, mode="box")
    case("average", f"axis={_ax},boxed weights", lambda w, a=_ax: dnp.average(_A3, a, w),
         lambda w, a=_ax: np.average(_A3, a, w), _w)
case("average", "returned, no weights", lambda x: dnp.average(x, 0, returned=True),
     lambda x: np.average(x, 0, returned=True), _A3, mode="box")
case("average", "no axis for 1-D weights", lambda x: dnp.average(x, weights=[1.0, 2.0, 3.0]),
     lambda x: np.average(x, weights=[1.0, 2.0, 3.0]), u((2, 3)), mode="box")
case("average", "wrong weights", lambda x: dnp.average(x, 1, [1.0, 2.0]),
     lambda x: np.average(x, 1, [1.0, 2.0]), u((2, 3)), mode="box")
case("average", "list", dnp.average, np.average, [1.0, 2.0, 4.0], mode="plain")
for _name in ("nansum", "nanmean"):
    case(_name, "nan", lambda x, n=_name: getattr(dnp, n)(x, axis=1),
         lambda x, n=_name: getattr(np, n)(x, axis=1), _TIES)
    case(_name, "all nan slice", lambda x, n=_name: getattr(dnp, n)(x, axis=0),
         lambda x, n=_name: getattr(np, n)(x, axis=0), np.array([[np.nan, 1.0], [np.nan, 2.0]]))
    case(_name, "list", getattr(dnp, _name), getattr(np, _name), [1.0, float("nan")],
         mode="plain")


# keyword forms of existing names (names-elem): numpy's argument order for var/std/mean, the
# correction= spelling, trace's dtype=, arange's keywords and dtype=
for _name in ("var", "std", "mean"):
    _f, _ref = getattr(dnp, _name), getattr(np, _name)
    case(_name, "positional dtype, out", lambda x, f=_f: f(x, 1, float, None),
         lambda x, r=_ref: r(x, 1, float, None), u((3, 4)))
    if _name != "mean":
        case(_name, "positional ddof, keepdims", lambda x, f=_f: f(x, (0, 2), None, None, 1, True),
             lambda x, r=_ref: r(x, (0, 2), None, None, 1, True), _X3)
        case(_name, "correction", lambda x, f=_f: f(x, axis=-1, correction=1.5),
             lambda x, r=_ref: r(x, axis=-1, correction=1.5), _X3)
        case(_name, "ddof and correction", lambda x, f=_f: f(x, ddof=1, correction=1),
             lambda x, r=_ref: r(x, ddof=1, correction=1), _X3, mode="box")
        for _ax in (None, 0, (1, 2), (-1, 0)):
            for _keep in (False, True):
                case(_name, f"ddof=2,axis={_ax},keepdims={_keep}",
                     lambda x, a=_ax, k=_keep, f=_f: f(x, axis=a, ddof=2, keepdims=k),
                     lambda x, a=_ax, k=_keep, r=_ref: r(x, axis=a, ddof=2, keepdims=k), _X3)
    case(_name, "empty axis", lambda x, f=_f: f(x, axis=1), lambda x, r=_ref: r(x, axis=1),
         np.zeros((3, 0)), mode="box")
for _shape in ((0, 0), (1, 1), (0, 3), (3, 0, 2)):
    for _off in (0, 1, -1):
        case("trace", f"{_shape},offset={_off}", lambda x, o=_off: dnp.trace(x, offset=o),
             lambda x, o=_off: np.trace(x, offset=o), u(_shape))
case("trace", "dtype", lambda x: dnp.trace(x, dtype=float), lambda x: np.trace(x, dtype=float),
     u((3, 3)))
case("trace", "np.int64 offset", lambda x: dnp.trace(x, np.int64(1), axis2=0, axis1=1),
     lambda x: np.trace(x, np.int64(1), axis2=0, axis1=1), u((3, 4)))
for _shape in ((0,), (0, 0), (2, 0), (1, 3)):
    for _k in (0, 1, -2):
        case("diag", f"{_shape},k={_k}", lambda x, k=_k: dnp.diag(x, k=k),
             lambda x, k=_k: np.diag(x, k=k), u(_shape))
case("diag", "0-D", dnp.diag, np.diag, 1.5, mode="box")
for _args, _kw in (((3,), {"dtype": int}), ((1, 7, 2), {"dtype": float}), ((), {"stop": 5}),
                   ((), {"start": 1, "stop": 5}), ((1,), {"stop": 5, "step": 2}),
                   ((5,), {"dtype": np.int32}), ((3,), {"dtype": complex}), ((0,), {}),
                   ((5, 1), {}), ((2.5,), {"dtype": int})):
    case("arange", f"{_args},{_kw}", lambda *a, k=_kw: dnp.arange(*a, **k),
         lambda *a, k=_kw: np.arange(*a, **k), *_args, mode="plain")
# ------------------------------------------------------------------------- linalg (issue 12):
# matrix norms through the singular values; the dnp.linalg names: tests/core/test_linalg_values.py
for _shape in ((3, 4), (4, 3), (3, 3), (2, 3, 3), (2, 4, 3)):
    _x = u(_shape)
    for _ord in (2, -2, "nuc"):
        for _keep in (False, True):
            case("norm", f"{_shape},ord={_ord},keep={_keep}",
                 lambda x, o=_ord, k=_keep: dnp.norm(x, o, (-2, -1), k),
                 lambda x, o=_ord, k=_keep: np.linalg.norm(x, o, (-2, -1), k), _x)
        if len(_shape) == 2:
            case("norm", f"{_shape},ord={_ord},axes default",
                 lambda x, o=_ord: dnp.norm(x, ord=o), lambda x, o=_ord: np.linalg.norm(x, ord=o),
                 _x)
            case("norm", f"{_shape},ord={_ord},axis=(1, 0)",
                 lambda x, o=_ord: dnp.norm(x, o, (1, 0)),
                 lambda x, o=_ord: np.linalg.norm(x, o, (1, 0)), _x)
        else:
            case("norm", f"{_shape},ord={_ord},axis=(2, 0)",
                 lambda x, o=_ord: dnp.norm(x, o, (2, 0), True),
                 lambda x, o=_ord: np.linalg.norm(x, o, (2, 0), True), _x)


# ------------------------------------------------------------------------- the checks

def _same(got: Any, want: Any, what: str) -> None:
    if isinstance(want, tuple):
        assert isinstance(got, tuple) and len(got) == len(want), f"{what}: {got!r} vs {want!r}"
        for k, (g, w) in enumerate(zip(got, want)):
            _same(g, w, f"{what}[{k}]")
        return
    if want is None:
        assert got is None, what
        return
    got = dnp.value(got)
    assert np.shape(got) == np.shape(want), f"{what}: shape {np.shape(got)} vs {np.shape(want)}"
    assert np.iscomplexobj(got) == np.iscomplexobj(want), \
        f"{what}: dtype {np.asarray(got).dtype} vs numpy's {np.asarray(want).dtype}"
    np.testing.assert_allclose(np.asarray(got), np.asarray(want), rtol=1e-12, atol=1e-13,
                               err_msg=what, equal_nan=True)


def _tangent(x: Any) -> Any:
    t = np.ones(np.shape(x), dtype=complex if np.iscomplexobj(x) else float)
    return t if isinstance(x, np.ndarray) else t.item()     # a float for a float


def _run(c: Case) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)     # numpy's own nan/inf warnings
        try:
            want = c.ref(*c.args)
        except (ValueError, IndexError, TypeError) as e:
            # where numpy refuses (an axis 0-D numpy's mean does not take, ...), so must dnp
            with pytest.raises((ValueError, IndexError, TypeError)):
                c.f(*c.args)
            assert isinstance(e, Exception)
            return
        _same(c.f(*c.args), want, f"{c.label} plain")
        if c.mode == "plain":
            return
        x, rest = c.args[0], c.args[1:]
        g = lambda a: c.f(a, *rest)
        if c.mode == "diff":
            _same(dn.jvp(g, (x,), (_tangent(x),))[0], want, f"{c.label} Dual primal")
            _same(dn.vjp(g, x)[0], want, f"{c.label} tape value")
        else:
            _same(g(dn.Dual(x, _tangent(x))), want, f"{c.label} on a Dual")
            with dn.Tape() as tape:
                _same(g(tape.var(x)), want, f"{c.label} on a tape variable")


@pytest.mark.parametrize("name", sorted(CASES))
def test_value_matches_numpy(name):
    for c in CASES[name]:
        _run(c)


def test_every_name_has_value_cases():
    missing = sorted(set(dnp.__all__) - set(CASES))
    assert not missing, f"dnp names without value cases in test_numpy_values.py: {missing}"
    unknown = sorted(set(CASES) - set(dnp.__all__))
    assert not unknown, f"cases for names dnp does not export: {unknown}"


@pytest.mark.parametrize("f, ref", [(dnp.var, np.var), (dnp.std, np.std)])
def test_ddof_beyond_the_count_is_numpys_value_with_its_warning(f, ref):
    for x, ddof in ((3.5, 1), (np.array([1.0, 2.0, 4.0]), 3), (np.array([1.0, 2.0, 4.0]), 5)):
        said = []
        for fn in (ref, f):
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                said.append(fn(x, ddof=ddof))
            assert any("Degrees of freedom <= 0" in str(w.message) for w in caught), fn
        np.testing.assert_equal(said[1], said[0])


@pytest.mark.parametrize("call, err, match", [
    (lambda: dnp.expand_dims(np.zeros(3), (0, 0)), ValueError, r"repeated axis.*\(0, 0\)"),
    (lambda: dnp.expand_dims(np.zeros(3), (2, -1)), ValueError, r"repeated axis"),
    (lambda: dnp.expand_dims(np.zeros(3), 2), np.exceptions.AxisError, r"axis 2 .*dimension 2"),
    (lambda: dnp.expand_dims(np.zeros(3), -3), ValueError, r"axis -3 .*dimension 2"),
    (lambda: dnp.moveaxis(np.zeros((2, 3)), (0, 1), (0,)), ValueError,
     r"same number of elements"),
    (lambda: dnp.moveaxis(np.zeros((2, 3)), (0, 0), (0, 1)), ValueError,
     r"repeated axis in `source`"),
    (lambda: dnp.moveaxis(np.zeros((2, 3)), 0, 5), np.exceptions.AxisError, r"destination"),
    (lambda: dnp.swapaxes(np.zeros((2, 3)), 0, 2), IndexError, r"axis 2 in `axis2`"),
    (lambda: dnp.squeeze(np.zeros((1, 3)), 1), ValueError, r"axis 1, of length 3"),
    (lambda: dnp.squeeze(np.zeros((1, 3)), (0, 0)), ValueError, r"repeated"),
    (lambda: dnp.flip(np.zeros((2, 3)), (0, 0)), ValueError, r"repeated"),
    (lambda: dnp.transpose(np.zeros((2, 3)), (0,)), ValueError, r"don't match"),
    (lambda: dnp.trace(np.zeros(3)), ValueError, r"at least two dimensions"),
    (lambda: dnp.trace(np.zeros((2, 2)), axis1=1, axis2=-1), ValueError, r"cannot be the same"),
    (lambda: dnp.diag(np.zeros((2, 2, 2))), ValueError, r"1- or 2-d"),
    (lambda: dnp.tensordot(np.zeros(2), np.zeros(3), axes=([0], [0])), ValueError,
     r"does not match"),
    (lambda: dnp.tensordot(np.zeros((2, 3)), np.zeros(3), axes=([0, 1], [0])), ValueError,
     r"shape-mismatch"),
    (lambda: dnp.where([True], 1.0), ValueError, r"both x and y"),
    (lambda: dnp.linspace(0.0, 1.0, -1), ValueError, r"non-negative"),
    (lambda: dnp.norm(np.zeros((2, 2)), ord=3), ValueError, r"invalid norm order"),
    (lambda: dnp.norm(np.zeros(2), ord="fro", axis=0), ValueError, r"invalid norm order"),
    (lambda: dnp.norm(np.zeros((2, 2, 2)), ord=1), ValueError, r"1-D or 2-D"),
    (lambda: dnp.pad(np.zeros(2), 1, mode="mean"), ValueError, r"no derivative rule"),
    (lambda: dnp.cumsum(np.zeros((2, 3)), axis=2), ValueError, r"axis 2"),
])
def test_errors_like_numpys(call, err, match):
    with pytest.raises(err, match=match):
        call()
