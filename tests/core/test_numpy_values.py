"""dualnum.numpy against numpy, name by name: every public name gives numpy's value (or
scipy.special's, or a closed form where numpy has none) on 0-D to 3-D inputs, with default and
non-default keyword arguments, on plain values and on the primal of a Dual and the value of a
tape variable.

The table below must cover every name of ``dnp.__all__``: a new name fails
``test_every_name_has_value_cases`` until it gets cases here. References are numpy's (never
dualnum's own output).
"""
from __future__ import annotations

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
    (lambda: dnp.norm(np.zeros((2, 2)), ord=2), NotImplementedError, r"singular values"),
    (lambda: dnp.norm(np.zeros(2), ord="fro", axis=0), ValueError, r"invalid norm order"),
    (lambda: dnp.norm(np.zeros((2, 2, 2)), ord=1), ValueError, r"1-D or 2-D"),
    (lambda: dnp.pad(np.zeros(2), 1, mode="mean"), ValueError, r"no derivative rule"),
    (lambda: dnp.cumsum(np.zeros((2, 3)), axis=2), ValueError, r"axis 2"),
])
def test_errors_like_numpys(call, err, match):
    with pytest.raises(err, match=match):
        call()
