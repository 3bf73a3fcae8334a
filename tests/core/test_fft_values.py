"""dualnum.numpy.fft against numpy.fft, name by name: every transform with every argument
combination (``n``/``s`` smaller and larger than the axis, odd and even, every ``axis``/
``axes`` and ``norm``, 1-D to 3-D, complex input where numpy takes it), on plain arrays, on the
primal of a Dual and the value of a tape variable, through ``np.fft.X(box)``, and on sympy
values (the DFT's definition); the shifts and frequencies; bad input raising numpy's exception
types with a message naming the function and the argument. References are numpy's values.
"""
from __future__ import annotations

import inspect
import warnings

import numpy as np
import pytest
import sympy

import dualnum as dn
import dualnum.numpy as dnp
from dualnum import rules as R
from dualnum.rules.fft import check_norm, transform_geometry

from .fft_helpers import (
    N_AXES, NORMS, ONE_AXIS, REAL_INPUT, close, dnp_call, label, np_call, one_axis_kwargs,
    rng_for, sample,
)
from .specs import quick_first

# ------------------------------------------------------------------ one-axis transforms

SHAPES_AXES = [((5,), -1), ((6,), 0), ((3, 6), 0), ((2, 3, 5), 1), ((2, 4, 3), -3)]
ONE = []
for _name in ONE_AXIS:
    for _shape, _axis in SHAPES_AXES:
        for _kw in one_axis_kwargs(_name, _shape[_axis]):
            for _cplx in ((False,) if _name in REAL_INPUT else (False, True)):
                ONE.append((_name, _shape, _axis, _kw, _cplx))
ONE_IDS = [f"{n}[{s},axis={a},{label(k)}{',complex' if c else ''}]" for n, s, a, k, c in ONE]


@pytest.mark.parametrize("name,shape,axis,kw,cplx",
                         quick_first(ONE, lambda c: c[0], ONE_IDS, unpack=True))
def test_one_axis_transform_matches_numpy(name, shape, axis, kw, cplx):
    x = sample(rng_for(name, shape, axis, kw, cplx), shape, cplx)
    want = np_call(name, x, axis=axis, **kw)
    got = dnp_call(name, x, axis=axis, **kw)
    assert type(got) is np.ndarray and got.dtype == want.dtype, (got.dtype, want.dtype)
    close(got, want, f"{name} value", 1e-14, 1e-14)
    # positional arguments, numpy's order
    close(getattr(dnp.fft, name)(x, kw["n"], axis, kw["norm"]), want, f"{name} positional",
          1e-14, 1e-14)


# one call per function on every kind of value, and through numpy's protocol
@pytest.mark.parametrize("name", ONE_AXIS + N_AXES)
def test_values_on_boxes_and_through_numpy(name):
    rng = rng_for("boxes", name)
    x = sample(rng, (3, 4), name not in REAL_INPUT)
    kw = {"norm": "ortho"}
    want = np_call(name, x, **kw)
    close(dnp_call(name, dn.Dual(x, np.ones_like(x)), **kw).primal, want, f"{name} on a Dual",
          1e-14, 1e-14)
    with dn.Tape() as tape:
        v = tape.var(x)
        y = dnp_call(name, v, **kw)
        z = np_call(name, v, **kw)           # np.fft.X(box) is dnp.fft.X(box)
    close(y.value, want, f"{name} on a tape variable", 1e-14, 1e-14)
    assert isinstance(z, dn.TapeVar), f"np.fft.{name}(box) returned {type(z).__name__}"
    close(z.value, want, f"np.fft.{name}(box)", 1e-14, 1e-14)


def test_lists_and_integers_become_float_arrays():
    close(dnp.fft.fft([1, 2, 3]), np.fft.fft([1, 2, 3]), "fft of a list of ints", 1e-15, 1e-15)
    close(dnp.fft.rfft([[1, 2], [3, 4]], axis=0), np.fft.rfft([[1, 2], [3, 4]], axis=0),
          "rfft of nested lists", 1e-15, 1e-15)
    close(dnp.fft.fftn([[1, 2], [3, 4]]), np.fft.fftn([[1, 2], [3, 4]]), "fftn of lists",
          1e-15, 1e-15)


# ------------------------------------------------------------------ several axes

ND = []
for _name in N_AXES:
    two = _name.endswith("2")
    for _shape in [(4, 6), (3, 5), (2, 3, 4), (2, 5, 3)]:
        if two:
            choices = [{}, {"axes": (0, 1)}, {"axes": (-1, -2)}, {"s": (3, 8)},
                       {"s": (5, 2), "axes": (0, -1)}, {"s": (-1, 7)}]
        else:
            nd = len(_shape)
            choices = [{}, {"axes": (0,)}, {"axes": (-1, 0)}, {"axes": tuple(range(nd))[::-1]},
                       {"s": (3,) * nd, "axes": tuple(range(nd))},
                       {"s": (7, 2), "axes": (nd - 1, 0)}, {"axes": (1, -1)},
                       {"s": (5, -1), "axes": (0, 1)}]
            if _name in ("fftn", "ifftn"):
                choices += [{"axes": (0, 0)}, {"axes": ()}, {"s": (3, 5), "axes": (-1, -1)}]
        for _kw in choices:
            for _norm in NORMS:
                for _cplx in ((False,) if _name in REAL_INPUT else (False, True)):
                    ND.append((_name, _shape, {**_kw, "norm": _norm}, _cplx))
ND_IDS = [f"{n}[{s},{label(k)}{',complex' if c else ''}]" for n, s, k, c in ND]


@pytest.mark.parametrize("name,shape,kw,cplx", quick_first(ND, lambda c: c[0], ND_IDS,
                                                           unpack=True))
def test_n_axes_transform_matches_numpy(name, shape, kw, cplx):
    x = sample(rng_for(name, shape, kw, cplx), shape, cplx)
    want = np_call(name, x, **kw)
    got = dnp_call(name, x, **kw)
    assert np.shape(got) == want.shape
    close(got, want, f"{name} value", 1e-13, 1e-13)


@pytest.mark.parametrize("name", [n for n in N_AXES if not n.endswith("2")])
def test_s_without_axes_is_numpys_deprecated_default(name):
    # numpy 2 warns, and transforms the last len(s) axes; dnp does the same, warning alike
    x = sample(rng_for("s-only", name), (3, 4, 5), name not in REAL_INPUT)
    with pytest.warns(DeprecationWarning):
        want = np_call(name, x, s=(6, 4))
    with pytest.warns(DeprecationWarning, match=name) as rec:
        got = getattr(dnp.fft, name)(x, s=(6, 4))
    close(got, want, f"{name} s without axes", 1e-13, 1e-13)
    assert rec[0].filename == __file__, "the warning should point at the caller's line"
    with pytest.warns(DeprecationWarning):
        want = np_call(name, x, s=(None, 6), axes=(0, 2))
    with pytest.warns(DeprecationWarning, match="None"):
        got = dnp_call(name, x, s=(None, 6), axes=(0, 2))
    close(got, want, f"{name} None in s", 1e-13, 1e-13)


# ------------------------------------------------------------------ shifts and frequencies

SHIFTS = [((5,), None), ((6,), None), ((6,), 0), ((3, 4), None), ((3, 4), 1), ((3, 4), -2),
          ((3, 5), (0, 1)), ((3, 5), (1, 1)), ((2, 3, 5), (2, 0)), ((1,), None), ((0,), None)]


@pytest.mark.parametrize("shape,axes", SHIFTS, ids=[f"{s},{a}" for s, a in SHIFTS])
@pytest.mark.parametrize("name", ["fftshift", "ifftshift"])
def test_shifts_match_numpy(name, shape, axes):
    x = sample(rng_for(name, shape, axes), shape, False)
    want = getattr(np.fft, name)(x, axes=axes)
    close(getattr(dnp.fft, name)(x, axes=axes), want, f"{name} value", 0, 0)
    with dn.Tape() as tape:
        v = tape.var(x)
        y = getattr(np.fft, name)(v, axes=axes)
    close(np.asarray(y.value if isinstance(y, dn.TapeVar) else y), want, f"np.fft.{name}(box)",
          0, 0)


def test_shift_of_a_0d_value_is_the_value():
    # numpy fails on 0-D input (an empty roll); a roll of nothing is the identity
    assert dnp.fft.fftshift(2.5) == 2.5 and dnp.fft.ifftshift(np.array(1.5)) == 1.5


@pytest.mark.parametrize("n", range(1, 10))
@pytest.mark.parametrize("d", [1.0, 0.1, 2, 0.25])
def test_frequencies_match_numpy(n, d):
    close(dnp.fft.fftfreq(n, d), np.fft.fftfreq(n, d), "fftfreq", 0, 0)
    close(dnp.fft.rfftfreq(n, d), np.fft.rfftfreq(n, d), "rfftfreq", 0, 0)
    assert dnp.fft.fftfreq(n).dtype == np.fft.fftfreq(n).dtype


@pytest.mark.parametrize("n", [1, 4, 5])
def test_frequencies_are_differentiable_in_the_spacing(n):
    # f_k = k/(n·d): df/dd = −k/(n·d²) = −f/d, closed form from numpy's own frequencies
    d = 0.3
    for name in ("fftfreq", "rfftfreq"):
        fn = getattr(dnp.fft, name)
        want = -getattr(np.fft, name)(n, d) / d
        close(dn.jacfwd(lambda s: fn(n, s))(d), want, f"{name} forward", 1e-13, 1e-14)
        close(dn.jacrev(lambda s: fn(n, s))(d), want, f"{name} reverse", 1e-13, 1e-14)
        close(dn.jvp(lambda s: fn(n, s), (d,), (1.0,))[0], getattr(np.fft, name)(n, d),
              f"{name} value on a Dual", 1e-15, 0)


# ------------------------------------------------------------------ sympy values

SYMBOLIC = [("fft", (5,), {}), ("fft", (4,), {"n": 6, "norm": "ortho"}),
            ("ifft", (3, 4), {"axis": 0, "n": 2}), ("rfft", (6,), {"norm": "forward"}),
            ("rfft", (5,), {"n": 8}), ("irfft", (4,), {}), ("irfft", (3,), {"n": 5}),
            ("irfft", (5,), {"n": 4, "norm": "ortho"}), ("hfft", (3,), {}), ("ihfft", (5,), {}),
            ("fft2", (2, 3), {}), ("rfftn", (2, 4), {"norm": "ortho"}),
            ("irfftn", (2, 3), {"s": (3, 5), "axes": (0, 1)})]


@pytest.mark.parametrize("name,shape,kw", SYMBOLIC,
                         ids=[f"{n}[{s},{label(k)}]" for n, s, k in SYMBOLIC])
def test_sympy_values_sum_the_definition(name, shape, kw):
    # exact rationals in, sympy's exact sums out; numerically numpy's transform
    rng = rng_for("sym", name, shape)
    ints = rng.integers(-5, 6, size=shape)
    xs = np.array([sympy.Rational(int(v), 3) for v in ints.ravel()], dtype=object).reshape(shape)
    if name in ("irfft", "hfft", "irfftn", "ifft"):
        im = rng.integers(-5, 6, size=shape)
        xs = xs + np.array([sympy.I * int(v) for v in im.ravel()], dtype=object).reshape(shape)
        x = ints / 3 + 1j * im
    else:
        x = ints / 3
    got = dnp_call(name, xs, **kw)
    assert np.asarray(got).dtype == object
    num = np.array([complex(sympy.N(v, 30)) for v in np.ravel(got)]).reshape(np.shape(got))
    close(num, np_call(name, x, **kw), f"{name} on sympy values", 1e-13, 1e-13)


def test_sympy_symbols_give_the_textbook_sums():
    a, b, c = sympy.symbols("a b c", real=True)
    X = dnp.fft.rfft(np.array([a, b, c], dtype=object))
    assert sympy.simplify(X[0] - (a + b + c)) == 0
    assert sympy.simplify(X[1] - (a - (b + c) / 2 - sympy.sqrt(3) * sympy.I * (b - c) / 2)) == 0
    y = dnp.fft.irfft(np.array([a, b * (1 + sympy.I)], dtype=object), n=2)
    assert [sympy.simplify(v) for v in y] == [(a + b) / 2, (a - b) / 2]    # Im b ignored


# ------------------------------------------------------------------ bad input

X4, Z4 = np.arange(4.0), np.arange(4.0) + 1j


BAD = [
    # (dnp call, numpy call or None, exception type, words the message must contain)
    (lambda: dnp.fft.fft(X4, n=0), lambda: np.fft.fft(X4, n=0), ValueError, "fft: invalid.*n=0"),
    (lambda: dnp.fft.rfft(X4, n=-3), lambda: np.fft.rfft(X4, n=-3), ValueError, "rfft: .*n=-3"),
    (lambda: dnp.fft.fft(X4, n=2.5), lambda: np.fft.fft(X4, n=2.5), TypeError,
     "fft: n must be an integer"),
    (lambda: dnp.fft.fft(X4, axis=1), lambda: np.fft.fft(X4, axis=1), IndexError,
     "fft: axis 1 is out of bounds"),
    (lambda: dnp.fft.ifft(np.float64(1.0)), lambda: np.fft.ifft(np.float64(1.0)), IndexError,
     "ifft: axis -1 .* dimension 0"),
    (lambda: dnp.fft.fft(X4, norm="unitary"), lambda: np.fft.fft(X4, norm="unitary"),
     ValueError, "fft: invalid norm value 'unitary'"),
    (lambda: dnp.fft.irfft(np.ones(1)), lambda: np.fft.irfft(np.ones(1)), ValueError,
     "irfft: .*length 1.*give n"),
    (lambda: dnp.fft.rfft(Z4), lambda: np.fft.rfft(Z4), TypeError, "rfft: the input is complex"),
    (lambda: dnp.fft.rfft(dn.Dual(Z4, Z4)), None, TypeError, "rfft: the input is complex"),
    (lambda: dnp.fft.ihfft(Z4), lambda: np.fft.ihfft(Z4), TypeError,
     "ihfft: the input is complex"),
    (lambda: dnp.fft.rfft2(np.ones((2, 2)) * 1j), lambda: np.fft.rfft2(np.ones((2, 2)) * 1j),
     TypeError, "rfft2: the input is complex"),
    (lambda: R.rfft(Z4), None, TypeError, "rfft: the input is complex"),
    (lambda: dnp.fft.fft(X4, out=np.zeros(4, complex)), None, TypeError, "fft: out="),
    (lambda: dnp.fft.fftn(np.ones((2, 3)), s=(4,), axes=(0, 1)),
     lambda: np.fft.fftn(np.ones((2, 3)), s=(4,), axes=(0, 1)), ValueError,
     "fftn: s and axes have different lengths"),
    (lambda: dnp.fft.fft2(X4), lambda: np.fft.fft2(X4), IndexError, "fft2: axis -2 in `axes`"),
    (lambda: dnp.fft.fftn(np.ones((2, 3)), s=3, axes=(0,)),
     lambda: np.fft.fftn(np.ones((2, 3)), s=3, axes=(0,)), TypeError,
     "fftn: s must be a sequence of integers"),
    (lambda: dnp.fft.ifftn(np.ones((2, 3)), axes=1), lambda: np.fft.ifftn(np.ones((2, 3)), axes=1),
     TypeError, "ifftn: axes must be a sequence"),
    (lambda: dnp.fft.rfftn(np.ones((2, 3)), axes=()),
     lambda: np.fft.rfftn(np.ones((2, 3)), axes=()), IndexError, "rfftn: `axes` is empty"),
    (lambda: dnp.fft.irfftn(np.ones((2, 3)), axes=(0, 3)),
     lambda: np.fft.irfftn(np.ones((2, 3)), axes=(0, 3)), IndexError, "irfftn: axis 3"),
    (lambda: dnp.fft.fftshift(np.ones(3), axes=3), lambda: np.fft.fftshift(np.ones(3), axes=3),
     IndexError, "fftshift: axis 3"),
    (lambda: dnp.fft.fftfreq(2.5), lambda: np.fft.fftfreq(2.5), ValueError,
     "fftfreq: n should be an integer"),
    (lambda: dnp.fft.fftfreq(0), lambda: np.fft.fftfreq(0), ZeroDivisionError, "fftfreq: n = 0"),
    (lambda: dnp.fft.rfftfreq(4, 0.0), lambda: np.fft.rfftfreq(4, 0.0), ZeroDivisionError,
     "rfftfreq: the sample spacing d is 0"),
    (lambda: dnp.fft.fftfreq(-1), lambda: np.fft.fftfreq(-1), ValueError, "fftfreq: n = -1"),
]


@pytest.mark.parametrize("call,np_call_,err,match", BAD, ids=[b[3] for b in BAD])
def test_bad_input_raises_numpys_exception_type_naming_the_argument(call, np_call_, err, match):
    if np_call_ is not None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with pytest.raises(err):
                np_call_()                 # numpy raises this type too (its own message)
    with pytest.raises(err, match=match):
        call()


def test_the_argument_checks_directly():
    assert transform_geometry("rfft", (2, 7), 4, 0) == (-2, 4, 2)
    assert transform_geometry("irfft", (2, 7), None, 1) == (-1, 12, 7)
    assert [check_norm("ifft", v) for v in NORMS] == ["backward", "backward", "ortho", "forward"]
    with pytest.raises(ValueError, match="ifft: invalid norm"):
        check_norm("ifft", 3)


def test_numpy_fft_with_out_on_a_box_is_refused_by_name():
    with dn.Tape() as tape:
        v = tape.var(np.ones(4))
        with pytest.raises(TypeError, match=r"^fft: out= is not supported"):
            np.fft.fft(v, out=np.zeros(4, complex))


# ------------------------------------------------------------------ the namespace

def test_dnp_fft_names_are_classified_and_numpys():
    mod = dnp.fft
    public = {n for n, v in vars(mod).items() if not n.startswith("_")
              and inspect.isfunction(v) and v.__module__.startswith("dualnum.numpy")}
    listed = set(mod.PRIMITIVES + mod.COMPOSITES + mod.CONSTANTS)
    assert public == listed == set(mod.__all__)
    assert listed <= set(np.fft.__all__)          # numpy's names, every one of numpy's
    assert set(np.fft.__all__) - listed == set()
    for name in mod.__all__:
        assert inspect.signature(getattr(mod, name)).parameters.keys() == \
            inspect.signature(getattr(np.fft, name)).parameters.keys(), name
    assert not set(mod.__all__) & set(dnp.__all__)     # dnp's own names stay numpy's top level
