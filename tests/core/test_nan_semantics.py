"""The float fast paths keep numpy's nan/inf semantics (issue 10, part of 13).

Every elementwise primitive of the table (looped over: a new rule is checked the day it is
declared) on the float edge set {nan, ±inf, ±0, ±1e308, ±1e-320, domain edges ...}: the
Python-float path (the math/operator fast function, or its numpy fallback), the same number
as a 0-d and as a 1-element array, and numpy's own function where numpy has one (mpmath for
erf, sigmoid, softplus) give the same answer: the same nan, the same ±inf, the same signed
zero, and finite values within a few ulp (libm and numpy's vectorised loops may round
differently; tanh and exp2 do, by at most 2 ulp here). The derivative, forward and reverse,
float path against the array paths, likewise.
"""
from __future__ import annotations

import itertools
import math
import warnings

import mpmath
import numpy as np
import pytest

import dualnum as dn
import dualnum.numpy as dnp

from .specs import scipy_reference, swept_rules

NAN, INF = math.nan, math.inf
EDGE_1 = (NAN, INF, -INF, 0.0, -0.0, 1e308, -1e308, 1e-320, -1e-320, 1.0, -1.0, 0.5, -0.5,
          2.0, -2.0, 1.5, -1.5, 0.9999999999, 36.0, -36.0, 709.78, 710.0, -745.2, 800.0,
          -800.0, 1100.0, -1100.0, 1e-300, 1.0 / 3.0, -8.0)
EDGE_2 = (NAN, INF, -INF, 0.0, -0.0, 1e308, -1e308, 1e-320, 1.0, -1.0, 0.5, -2.0, 3.0,
          1.0 / 3.0, 1100.0)
EDGE_3 = (NAN, INF, -INF, 0.0, -0.0, 1.0, -2.0)
ULPS = 4
DERIVATIVE_ULPS = 64

# numpy's spelling where it differs from the rule's; mpmath where numpy has no such function
NUMPY = {"power": np.float_power, "heaviside": lambda x: np.heaviside(x, 0.0),
         "relu": lambda x: np.maximum(x, 0.0)}


def _mp(fn):
    def ref(x):
        x = float(x)
        if x != x:
            return NAN
        with mpmath.workdps(40):
            return float(fn(mpmath.mpf(x)))
    return ref


MPMATH = {"erf": _mp(mpmath.erf),
          "sigmoid": _mp(lambda x: 1 / (1 + mpmath.exp(-x))),
          "softplus": _mp(lambda x: mpmath.log1p(mpmath.exp(x)))}

PRIMS = [p for p in swept_rules()
         if p.partials is not None or (p.fast is not None and p.nargs == 1)]


def _points(p):
    n = p.nargs
    grid = EDGE_1 if n == 1 else EDGE_2 if n == 2 else EDGE_3
    doms = p.domain if n > 1 else (p.domain,)
    axes = [(True, False) if d is None else grid for d in doms]   # None: a condition
    return list(itertools.product(*axes))


def _scalar(v):
    """The one number in a float, numpy scalar or one-element array (a string: an error)."""
    if isinstance(v, str):
        return v
    a = np.asarray(v).reshape(-1)
    assert a.size == 1, f"expected one number, got shape {np.shape(v)}"
    return complex(a[0]) if np.iscomplexobj(a) else float(a[0])


def _run(f):
    try:
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore", RuntimeWarning)
            return _scalar(f())
    except Exception as e:  # compared by type: both paths must raise alike, or neither
        return type(e).__name__


def _agree(a, b, signed_zero: bool = True, ulps: float = ULPS) -> bool:
    if isinstance(a, str) or isinstance(b, str):
        return a == b
    if isinstance(a, complex) or isinstance(b, complex):
        return complex(a) == complex(b) or (a != a and b != b)
    if a != a or b != b:
        return a != a and b != b
    if a == b:
        return not signed_zero or a != 0 or math.copysign(1, a) == math.copysign(1, b)
    if math.isinf(a) or math.isinf(b):
        return False
    return abs(a - b) <= ulps * np.spacing(max(abs(a), abs(b)))


def _as_arrays(args, shape):
    return [a if isinstance(a, bool) and shape is None else np.full(shape, a)
            for a in args]


def _numpy_reference(p, args):
    """numpy's answer on a 0-d array, and whether its own loops (0-d, 1-element, 17-element
    arrays) agree on the sign of a zero (np.clip's do not: clip(0.0, -0.0, 1.0) is 0.0 on a
    scalar, -0.0 on an array); where they do not, either sign is accepted."""
    fn = NUMPY.get(p.name) or getattr(np, p.name, None) or scipy_reference(p.name)
    if fn is None:
        if p.name in MPMATH:          # mpmath has no -0.0: zeros compare without sign
            return MPMATH[p.name](*args), False
        raise AssertionError(f"{p.name}: add its numpy (NUMPY) or mpmath (MPMATH) reference")
    outs = [_run(lambda s=s: np.asarray(fn(*[np.full(s, a) for a in args])).reshape(-1)[:1])
            for s in ((), (1,), (17,))]
    return outs[0], all(_agree(o, outs[0]) for o in outs)


@pytest.mark.parametrize("p", PRIMS, ids=[p.name for p in PRIMS])
def test_float_path_array_paths_and_numpy_agree_on_the_edge_set(p):
    bad = []
    for args in _points(p):
        fl = _run(lambda: p(*args))
        ref, signs = _numpy_reference(p, args)
        for name, got in (("0-d", _run(lambda: p(*_as_arrays(args, ())))),
                          ("1-element", _run(lambda: p(*_as_arrays(args, (1,)))))):
            if not _agree(fl, got, signed_zero=signs):
                bad.append(f"{p.name}{args}: float path {fl!r}, {name} array {got!r}")
        if not _agree(fl, ref, signed_zero=signs):
            bad.append(f"{p.name}{args}: float path {fl!r}, reference {ref!r}")
    assert not bad, "\n".join(bad[:20]) + f"\n({len(bad)} disagreements)"


# the quick loop (-m "not slow") takes the one-argument rules; the grids of the two- and
# three-argument ones (the edge set to the power 2 or 3) are marked slow
@pytest.mark.parametrize("p", [
    pytest.param(p, id=p.name, marks=() if p.nargs == 1 else pytest.mark.slow) for p in PRIMS])
def test_derivatives_on_floats_and_on_arrays_agree_on_the_edge_set(p):
    # which arguments are differentiated: those with a partial (where's condition has none);
    # structural one-argument maps (real, imag, conj) through their JVP/VJP
    wrt = [k for k in range(p.nargs)
           if p.partials is None or p.partials[k] is not None]
    bad = []
    for args in _points(p):
        for k in wrt:
            def f(v, k=k, args=args):
                a = list(args)
                a[k] = v
                return p(*a)

            def f_arr(v, k=k, args=args):
                a = _as_arrays(args, (1,))
                a[k] = v
                return p(*a)

            x = args[k]
            fwd = _run(lambda: dn.derivative(f, x))
            others = {
                "reverse on floats": _run(lambda: dn.grad(f)(x)),
                "forward on a 0-d array": _run(lambda: dn.jacfwd(f)(np.array(x))),
                "forward on 1-element arrays": _run(lambda: dn.jacfwd(f_arr)(np.array([x]))),
                "reverse on 1-element arrays": _run(
                    lambda: dn.grad(lambda v: dnp.sum(f_arr(v)))(np.array([x]))),
            }
            for name, got in others.items():
                # a derivative's zero sign is not part of the contract (0·t vs t·0), and
                # values a few ulp apart give derivatives further apart (1 - tanh² cancels)
                if not _agree(fwd, got, signed_zero=False, ulps=DERIVATIVE_ULPS):
                    bad.append(f"d{p.name}/darg{k} at {args}: forward on floats {fwd!r}, "
                               f"{name} {got!r}")
    assert not bad, "\n".join(bad[:20]) + f"\n({len(bad)} disagreements)"


@pytest.mark.parametrize("fn,x,want", [
    (dnp.relu, NAN, NAN), (dnp.sign, NAN, NAN), (dnp.heaviside, NAN, NAN),
    (dnp.sign, -0.0, 0.0), (dnp.cbrt, -8.0, -2.0), (dnp.cbrt, 1e308, float(np.cbrt(1e308))),
    (dnp.sigmoid, INF, 1.0), (dnp.sigmoid, -INF, 0.0), (dnp.sigmoid, NAN, NAN),
    (dnp.softplus, INF, INF), (dnp.softplus, -INF, 0.0), (dnp.softplus, NAN, NAN),
    (dnp.exp2, 1100.0, INF), (dnp.log1p, -1.0, -INF), (dnp.arccos, 1.0, 0.0),
])
def test_the_issue_examples_on_floats(fn, x, want):
    with np.errstate(all="ignore"):
        got = fn(x)
    assert type(got) in (float, np.float64)
    assert _agree(float(got), want), f"{fn.name}({x}) = {got}, want {want}"


@pytest.mark.parametrize("fn", [dnp.maximum, dnp.minimum])
def test_maximum_and_minimum_propagate_nan_from_either_side(fn):
    for a, b in [(NAN, 1.0), (1.0, NAN), (NAN, -INF), (INF, NAN), (NAN, NAN)]:
        assert math.isnan(fn(a, b)), f"{fn.name}({a}, {b}) = {fn(a, b)}"
    assert fn(1.0, 2.0) == (2.0 if fn is dnp.maximum else 1.0)
    # the power of a negative base with a fractional exponent is nan (not a complex number)
    with np.errstate(invalid="ignore"):
        assert math.isnan(dnp.power(-8.0, 1.0 / 3.0))


def test_hypot_keeps_its_derivative_where_the_hypotenuse_is_subnormal():
    # hypot(x, x) at x = 5e-324 rounds to 5e-324, so x / hypot would be 1 instead of 1/√2
    import dualnum as dn
    import dualnum.numpy as dnp
    for x in (5e-324, 1e-310, 2.2e-308, 1.0, 3e300):
        g = dn.grad(lambda v: dnp.hypot(v, v))(x)
        assert abs(g - np.sqrt(2.0)) < 1e-15, (x, g)
    g = dn.grad(lambda v: dnp.sum(dnp.hypot(v, 2.0 * v)))(np.array([5e-324, 1e-310, 1.0]))
    np.testing.assert_allclose(g, np.sqrt(5.0), rtol=1e-15)
    assert dn.grad(lambda v: dnp.hypot(v, 0.0))(0.0) == 0.0        # the kink's convention
