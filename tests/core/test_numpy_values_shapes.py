"""dualnum.numpy against numpy, name by name: the shapes — transpose, reshape, broadcast_to,
concatenate, pad (``dualnum/numpy/_structural.py``), flip, squeeze, expand_dims, stack,
moveaxis, swapaxes and the diagonals trace, diagonal, diag (``_shapes.py``), cumsum
(``_statistics.py``) and sliding_window_view. How a case is checked: numpy_value_cases.py."""
from __future__ import annotations

import numpy as np
import pytest

import dualnum.numpy as dnp

from .numpy_value_cases import SHAPES, ValueCases
from .numpy_value_cases import X3 as _X3
from .numpy_value_cases import Z as _Z

T = ValueCases(seed=1012)
CASES, case, u, inputs = T.cases, T.case, T.u, T.inputs


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
case("swapaxes", "axis2 keyword only", lambda x: dnp.swapaxes(x, 0, axis2=-1),
     lambda x: np.swapaxes(x, 0, axis2=-1), u((2, 3, 4)))

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
# keyword forms (names-elem): trace's dtype=, empty and 0-D inputs
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


@pytest.mark.parametrize("name", sorted(CASES))
def test_value_matches_numpy(name):
    T.check(name)
