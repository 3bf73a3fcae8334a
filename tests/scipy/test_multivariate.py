"""dualnum.scipy.stats.dirichlet and multivariate_normal against scipy.stats: values (the
shapes scipy accepts), errors (ValueError, as scipy), derivatives in the point and the
parameters against central differences of scipy's functions, second order."""
from __future__ import annotations

import numpy as np
import pytest

st = pytest.importorskip("scipy.stats", reason="dualnum.scipy needs scipy")

import scipy.special as sc  # noqa: E402

import dualnum as dn  # noqa: E402
import dualnum.numpy as dnp  # noqa: E402
from dualnum.scipy import stats as dst  # noqa: E402

from ..core.refs import assert_close, central_gradient, central_jacobian  # noqa: E402

RNG = np.random.default_rng(24)
ALPHA = np.array([0.7, 2.0, 3.5])
X3 = np.array([0.2, 0.3, 0.5])
XN = RNG.dirichlet(ALPHA, size=5).T          # (3, 5): components along the first axis


def _spd(n, seed):
    r = np.random.default_rng(seed)
    A = r.normal(size=(n, n))
    return A @ A.T + n * np.eye(n)


# ------------------------------------------------------------------------------- dirichlet

@pytest.mark.parametrize("x", [X3, XN, X3[:2], XN[:2], np.array([0.0, 0.4, 0.6])])
def test_dirichlet_values(x):
    alpha = ALPHA if np.all(x > 0) else np.array([1.5, 2.0, 3.5])   # x_i = 0 needs α_i >= 1
    np.testing.assert_allclose(dst.dirichlet.logpdf(x, alpha), st.dirichlet.logpdf(x, alpha),
                               rtol=1e-13)
    np.testing.assert_allclose(dst.dirichlet.pdf(x, alpha), st.dirichlet.pdf(x, alpha),
                               rtol=1e-13)


def test_dirichlet_derivatives_in_x_and_alpha():
    for x in (X3, XN, X3[:2]):
        f = lambda v, a: dst.dirichlet.logpdf(v, a)
        # scipy checks the simplex; central differences of a point on it leave it, so the
        # reference is the formula with scipy's gammaln (not the rule): -lnB + Σ (α-1) log x
        full = lambda v: v if v.shape[0] == 3 else np.concatenate(
            [v, 1.0 - v.sum(axis=0, keepdims=True)], axis=0)
        ref = lambda v, a: (np.sum((a - 1.0).reshape((3,) + (1,) * (v.ndim - 1))
                                   * np.log(full(v)), axis=0)
                            - np.sum(sc.gammaln(a)) + sc.gammaln(np.sum(a)))
        np.testing.assert_allclose(f(x, ALPHA), ref(x, ALPHA), rtol=1e-13)
        refs = central_jacobian(ref, [x, ALPHA], [0, 1])
        fwd = dn.jacfwd(f, argnums=(0, 1))(x, ALPHA)
        rev = dn.jacrev(f, argnums=(0, 1))(x, ALPHA)
        for k in range(2):
            assert_close(fwd[k], refs[k], 1e-6, 1e-8, f"dirichlet forward arg{k} {x.shape}")
            assert_close(rev[k], fwd[k], 1e-12, 1e-14, f"dirichlet reverse arg{k}")
    H = dn.hessian(lambda a: dst.dirichlet.logpdf(X3, a))(ALPHA)
    want = -np.diag(sc.polygamma(1, ALPHA)) + sc.polygamma(1, ALPHA.sum())
    np.testing.assert_allclose(H, want, rtol=1e-13)


@pytest.mark.parametrize("x,alpha", [
    (np.array([0.2, 0.3, 0.5, 0.0]), ALPHA),        # too many entries
    (np.array([-0.1, 0.6, 0.5]), ALPHA),            # negative
    (np.array([0.2, 0.3, 0.6]), ALPHA),             # off the simplex
    (np.array([0.0, 0.5, 0.5]), ALPHA),             # 0 with alpha < 1
    (X3, np.array([0.0, 1.0, 2.0])),                # alpha <= 0
    (X3, np.ones((3, 1))),                          # alpha not a vector
])
def test_dirichlet_errors_as_scipy(x, alpha):
    with pytest.raises(ValueError):
        st.dirichlet.logpdf(x, alpha)
    with pytest.raises(ValueError, match="dirichlet"):
        dst.dirichlet.logpdf(x, alpha)


# ------------------------------------------------------------------- multivariate_normal

MEAN = np.array([0.3, -0.5, 1.2])
COV = _spd(3, 1)


@pytest.mark.parametrize("x,mean,cov", [
    (RNG.normal(size=3), MEAN, COV),
    (RNG.normal(size=(5, 3)), MEAN, COV),
    (RNG.normal(size=(2, 4, 3)), MEAN, COV),
    (RNG.normal(size=3), None, COV),
    (RNG.normal(size=3), MEAN, 2.5),
    (RNG.normal(size=(4, 3)), MEAN, np.array([0.5, 2.0, 1.5])),
    (0.7, None, 1),                                 # one dimension, scalars
    (RNG.normal(size=6), None, 2.0),                # one dimension, six points
    (RNG.normal(size=6), 0.4, 2.0),
    (RNG.normal(size=(6, 1)), [0.4], [[2.0]]),
    (RNG.normal(size=(1, 5)), np.zeros(5), _spd(5, 2)),
])
def test_multivariate_normal_values(x, mean, cov):
    want = st.multivariate_normal.logpdf(x, mean, cov)
    got = dst.multivariate_normal.logpdf(x, mean, cov)
    assert np.shape(got) == np.shape(want)
    np.testing.assert_allclose(got, want, rtol=1e-12)
    np.testing.assert_allclose(dst.multivariate_normal.pdf(x, mean, cov),
                               st.multivariate_normal.pdf(x, mean, cov), rtol=1e-12)
    np.testing.assert_allclose(dst.multivariate_normal(mean, cov).logpdf(x), want, rtol=1e-12)


def test_multivariate_normal_derivatives_in_x_mean_and_cov():
    x = RNG.normal(size=(4, 3))
    f = lambda v, m, c: dst.multivariate_normal.logpdf(v, m, c)
    ref = lambda v, m, c: st.multivariate_normal.logpdf(v, m, c)
    fwd = dn.jacfwd(f, argnums=(0, 1, 2))(x, MEAN, COV)
    rev = dn.jacrev(f, argnums=(0, 1, 2))(x, MEAN, COV)
    # scipy reads cov's lower triangle (as we do): differences of the upper one are 0
    refs = central_jacobian(ref, [x, MEAN, COV], [0, 1, 2])
    for k, what in enumerate(("x", "mean", "cov")):
        assert_close(fwd[k], refs[k], 1e-6, 1e-8, f"mvn forward d/d{what}")
        assert_close(rev[k], fwd[k], 1e-11, 1e-13, f"mvn reverse d/d{what}")
    # closed forms: d/dx = -cov⁻¹ (x - μ); through a symmetric parametrisation of cov,
    # d/dcov = (cov⁻¹ d dᵀ cov⁻¹ - cov⁻¹) / 2 per point
    P = np.linalg.inv(COV)
    np.testing.assert_allclose(fwd[0].diagonal(axis1=0, axis2=1).T, -(x - MEAN) @ P, rtol=1e-12)
    d = x[0] - MEAN
    sym = lambda c: dst.multivariate_normal.logpdf(x[0], MEAN, 0.5 * (c + dnp.transpose(c)))
    g = dn.grad(sym)(COV)
    np.testing.assert_allclose(g, 0.5 * (P @ np.outer(d, d) @ P - P), rtol=1e-11, atol=1e-13)


def test_multivariate_normal_second_order():
    x0 = RNG.normal(size=3)
    L0 = np.linalg.cholesky(COV)

    def s(v):          # in the mean and a Cholesky-like parametrisation of the covariance
        m, A = v[:3], dnp.reshape(v[3:], (3, 3))
        return dst.multivariate_normal.logpdf(x0, m, A @ dnp.transpose(A) + 0.1 * np.eye(3))

    v0 = np.concatenate([MEAN, L0.ravel()])
    H = dn.hessian(s)(v0)
    ref = central_gradient(lambda v: dn.grad(s)(v), v0)
    assert_close(H, ref, 1e-5, 1e-6, "mvn Hessian vs differences of the gradient")
    assert_close(H, H.T, 1e-9, 1e-11, "mvn Hessian symmetry")
    # the mean block is -cov⁻¹
    C = L0 @ L0.T + 0.1 * np.eye(3)
    np.testing.assert_allclose(H[:3, :3], -np.linalg.inv(C), rtol=1e-11)


@pytest.mark.parametrize("x,mean,cov,kw", [
    (np.zeros(2), [0.0, 0.0], [[1.0, 2.0], [2.0, 1.0]], {}),   # not positive definite
    (np.zeros(2), [0.0, 0.0], [[1.0, 0.0], [0.0, 0.0]], {}),   # singular
    (np.zeros(3), [0.0, 0.0], np.eye(3), {}),                  # dimension mismatch
    (np.zeros(2), [0.0, 0.0], np.ones((2, 3)), {}),            # not square
    (np.zeros(2), np.zeros((2, 1)), np.eye(2), {}),            # mean not a vector
])
def test_multivariate_normal_errors_as_scipy(x, mean, cov, kw):
    with pytest.raises(ValueError):
        st.multivariate_normal.logpdf(x, mean, cov, **kw)
    with pytest.raises(ValueError, match="multivariate_normal"):
        dst.multivariate_normal.logpdf(x, mean, cov, **kw)


def test_allow_singular_is_refused_not_ignored():
    with pytest.raises(ValueError, match="allow_singular"):
        dst.multivariate_normal.logpdf(np.zeros(2), None, np.eye(2), allow_singular=True)
