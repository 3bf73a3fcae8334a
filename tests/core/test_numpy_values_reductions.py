"""dualnum.numpy against numpy, name by name: the reductions — sum, prod, max, min, amax,
amin, logsumexp, softmax, log_softmax (``dualnum/numpy/_structural.py``), mean, var, std
(``_statistics.py``) and norm (``dnp.linalg.norm``), with their keyword forms. How a case is
checked: numpy_value_cases.py."""
from __future__ import annotations

import warnings

import numpy as np
import pytest

import dualnum.numpy as dnp

from .numpy_value_cases import SHAPES, ValueCases, axis_choices, sps
from .numpy_value_cases import X3 as _X3
from .numpy_value_cases import Z as _Z

T = ValueCases(seed=1011)
CASES, case, u, inputs = T.cases, T.case, T.u, T.inputs


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

# max/min over a small block of many results: reduced as slices (ties and nan included)
_xb = np.round(u((8, 2, 8, 2, 4)), 1)
_xb[0, 0, 0, 0, 0] = np.nan
for _name in ("max", "min"):
    case(_name, "small block", lambda x, n=_name: getattr(dnp, n)(x, axis=(1, 3)),
         lambda x, n=_name: getattr(np, n)(x, axis=(1, 3)), _xb)
    case(_name, "small block keepdims",
         lambda x, n=_name: getattr(dnp, n)(x, axis=(-4, -2), keepdims=True),
         lambda x, n=_name: getattr(np, n)(x, axis=(-4, -2), keepdims=True), _xb)

# keyword forms (names-elem): numpy's argument order for var/std/mean, the correction=
# spelling
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


@pytest.mark.parametrize("name", sorted(CASES))
def test_value_matches_numpy(name):
    T.check(name)


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
