"""dualnum.scipy.special.logsumexp (with b=, axis=, keepdims=, return_sign=), softmax and
log_softmax against scipy's values, central differences in a and in b, and second order."""
from __future__ import annotations

import itertools

import numpy as np
import pytest

sc = pytest.importorskip("scipy.special", reason="dualnum.scipy needs scipy")

import dualnum as dn  # noqa: E402
import dualnum.numpy as dnp  # noqa: E402
import dualnum.scipy.special as dsp  # noqa: E402

from ..core.refs import assert_close, central_jacobian  # noqa: E402
from ..core.specs import quick_first  # noqa: E402

RNG = np.random.default_rng(22)
A = RNG.normal(size=(3, 4)) * 3.0
B_POS = RNG.uniform(0.2, 2.0, size=(3, 4))
B_MIXED = RNG.uniform(-2.0, 2.0, size=(3, 4))
B_ROW = np.array([1.0, -0.5, 2.0, 0.3])       # broadcast against A's last axis

AXES = [None, 0, 1, -1, (0, 1)]
BS = [("no-b", None), ("b>0", B_POS), ("b mixed", B_MIXED), ("b row", B_ROW),
      ("b scalar", 2.5)]
GRID = [(axis, keep, label, b, sign) for axis, keep, (label, b), sign in itertools.product(
    AXES, (False, True), BS, (False, True))]


def _ids(g):
    return f"axis={g[0]}-keep={g[1]}-{g[2]}-sign={g[4]}"


# the quick loop takes the first case of each kind of b (and sign); the others are slow
@pytest.mark.parametrize("axis,keep,label,b,sign", quick_first(
    GRID, lambda g: (g[2], g[4]), [_ids(g) for g in GRID], unpack=True))
def test_values_match_scipy(axis, keep, label, b, sign):
    want = sc.logsumexp(A, axis=axis, b=b, keepdims=keep, return_sign=sign)
    with np.errstate(invalid="ignore"):
        got = dsp.logsumexp(A, axis=axis, b=b, keepdims=keep, return_sign=sign)
    if sign:
        assert isinstance(got, tuple) and len(got) == 2
        for g, w in zip(got, want):
            assert np.shape(g) == np.shape(w)
            np.testing.assert_allclose(g, w, rtol=1e-14, atol=1e-14)
    else:
        assert np.shape(got) == np.shape(want)
        np.testing.assert_allclose(got, want, rtol=1e-14, atol=1e-14, equal_nan=True)


@pytest.mark.parametrize("axis,keep,label,b", quick_first(
    [g[:4] for g in GRID if g[4]], lambda g: g[2], [_ids(g) for g in GRID if g[4]],
    unpack=True))
def test_derivatives_in_a_and_b_against_central_differences(axis, keep, label, b):
    # log|Σ b e^a|: the sign is constant away from a zero sum, so the log-magnitude is smooth
    def ours(a, bb):
        return dsp.logsumexp(a, axis=axis, b=bb, keepdims=keep, return_sign=True)[0]

    def ref(a, bb):
        return sc.logsumexp(a, axis=axis, b=bb, keepdims=keep, return_sign=True)[0]

    if b is None:
        Ja = dn.jacfwd(lambda a: ours(a, None))(A)
        Jr = dn.jacrev(lambda a: ours(a, None))(A)
        (ra,) = central_jacobian(lambda a: ref(a, None), [A], [0])
        assert_close(Ja, ra, 1e-7, 1e-9, "d/da forward")
        assert_close(Jr, Ja, 1e-12, 1e-14, "d/da reverse")
        return
    bb = np.asarray(b, dtype=float)
    fwd = dn.jacfwd(ours, argnums=(0, 1))(A, bb)
    rev = dn.jacrev(ours, argnums=(0, 1))(A, bb)
    refs = central_jacobian(ref, [A, bb], [0, 1])
    for k, what in enumerate(("a", "b")):
        assert_close(fwd[k], refs[k], 1e-6, 1e-8, f"d/d{what} forward")
        assert_close(rev[k], fwd[k], 1e-12, 1e-14, f"d/d{what} reverse")


def test_the_gradient_in_b_is_the_softmax_over_b():
    # d/db_i log Σ b e^a = e^{a_i} / Σ b e^a; d/da_i = b_i e^{a_i} / Σ b e^a
    a, b = np.array([0.3, -1.2, 2.0]), np.array([1.5, 0.5, 2.0])
    s = np.sum(b * np.exp(a))
    ga, gb = dn.grad(lambda x, y: dsp.logsumexp(x, b=y), argnums=(0, 1))(a, b)
    np.testing.assert_allclose(ga, b * np.exp(a) / s, rtol=1e-14)
    np.testing.assert_allclose(gb, np.exp(a) / s, rtol=1e-14)


def test_second_order_in_a_and_b():
    a0 = np.array([0.4, -0.7, 1.1])
    b0 = np.array([1.3, -0.4, 0.8])

    def s(v):
        return dsp.logsumexp(v[:3], b=v[3:], return_sign=True)[0]

    v0 = np.concatenate([a0, b0])
    H = dn.hessian(s)(v0)

    def ref_grad(v):
        return np.array([(sc.logsumexp(v[:3] + e[:3], b=v[3:] + e[3:], return_sign=True)[0]
                          - sc.logsumexp(v[:3] - e[:3], b=v[3:] - e[3:], return_sign=True)[0])
                         / 2e-6 for e in np.eye(6) * 1e-6])
    ref = np.array([(ref_grad(v0 + e) - ref_grad(v0 - e)) / 2e-4 for e in np.eye(6) * 1e-4])
    assert_close(H, ref, 1e-4, 1e-5, "Hessian vs second differences of scipy")
    assert_close(dn.hessian(s, mode="reverse")(v0), H, 1e-11, 1e-12, "reverse-over-reverse")
    # without b: the Hessian of logsumexp is diag(p) - p pᵀ
    p = np.exp(a0) / np.sum(np.exp(a0))
    np.testing.assert_allclose(dn.hessian(dsp.logsumexp)(a0), np.diag(p) - np.outer(p, p),
                               rtol=1e-12, atol=1e-15)


def test_edges_as_scipy():
    inf = np.inf
    cases = [
        (dict(a=[1.0, 2.0], b=[1.0, -1.0]), "negative sum"),
        (dict(a=[1.0, 1.0], b=[1.0, -1.0], return_sign=True), "zero sum"),
        (dict(a=[-inf, -inf], return_sign=True), "all -inf"),
        (dict(a=[inf, 1.0], b=[0.0, 1.0]), "b = 0 drops an inf"),
        (dict(a=[1.0, 2.0], b=[0.0, 0.0], return_sign=True), "all b = 0"),
        (dict(a=[1000.0, 999.0]), "large a"),
        (dict(a=[1000.0, 999.0], b=[1.0, -1.0], return_sign=True), "large a, signs"),
        (dict(a=3.0), "0-d"), (dict(a=3.0, b=-2.0, return_sign=True), "0-d with b"),
        (dict(a=[inf, inf]), "inf"), (dict(a=[np.nan, 1.0], b=[1.0, 2.0]), "nan"),
    ]
    for kw, what in cases:
        want = sc.logsumexp(**kw)
        with np.errstate(all="ignore"):
            got = dsp.logsumexp(**kw)
        for g, w in zip(np.atleast_1d(got) if not isinstance(got, tuple) else got,
                        np.atleast_1d(want) if not isinstance(want, tuple) else want):
            np.testing.assert_array_equal(np.asarray(g, float), np.asarray(w, float),
                                          err_msg=what)


def test_a_zero_b_entry_still_has_its_derivative_in_b():
    a, b = np.array([0.5, 1.5]), np.array([2.0, 0.0])
    gb = dn.grad(lambda y: dsp.logsumexp(a, b=y))(b)
    np.testing.assert_allclose(gb, np.exp(a) / (2.0 * np.exp(0.5)), rtol=1e-14)


def test_lists_tape_variables_and_bad_axes():
    assert float(dsp.logsumexp([0.0, 0.0])) == pytest.approx(np.log(2.0), rel=1e-15)
    with dn.Tape() as t:
        x = t.var(A)
        y = dsp.logsumexp(x, axis=1, b=B_MIXED, return_sign=True)[0]
        z = dnp.sum(y)
    g = t.gradient(z, x)
    np.testing.assert_allclose(g, dn.grad(lambda v: dnp.sum(dsp.logsumexp(
        v, axis=1, b=B_MIXED, return_sign=True)[0]))(A), rtol=1e-15)
    with pytest.raises(ValueError):
        dsp.logsumexp(A, axis=2)
    with pytest.raises(ValueError):
        dsp.logsumexp(A, axis=2, b=B_POS)
    with pytest.raises(ValueError):
        dsp.logsumexp(A, b=np.ones(3))        # (3, 4) and (3,) do not broadcast


@pytest.mark.parametrize("axis", [None, 0, 1, -1, (0, 1)])
def test_softmax_and_log_softmax_as_scipy(axis):
    np.testing.assert_allclose(dsp.softmax(A, axis=axis), sc.softmax(A, axis=axis), rtol=1e-14)
    np.testing.assert_allclose(dsp.log_softmax(A, axis=axis), sc.log_softmax(A, axis=axis),
                               rtol=1e-13, atol=1e-14)
    w = RNG.normal(size=A.shape)
    for ours, theirs in ((dsp.softmax, sc.softmax), (dsp.log_softmax, sc.log_softmax)):
        g = dn.grad(lambda x: dnp.sum(w * ours(x, axis=axis)))(A)
        (ref,) = central_jacobian(lambda x: np.sum(w * theirs(x, axis=axis)), [A], [0])
        assert_close(g, ref, 1e-6, 1e-8, f"{ours.__name__} gradient, axis={axis}")
