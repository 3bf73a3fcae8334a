"""eigh and svd in reverse mode where eigenvalues (singular values) tie, or a singular value is
zero, but the function does not read those vectors at all (PCA's leading vectors of a low-rank
covariance, whose zero eigenvalues coincide; the leading components of centred or rank-deficient
data, with a zero singular value). The references are central
differences of numpy's own ``eigh``/``svd``: the function is smooth there even though the tied
vectors are not unique. Where the function does read them, and in forward mode (which cannot
know what will be read), the error stays."""
from __future__ import annotations

import numpy as np
import pytest

import dualnum as dn
import dualnum.numpy as dnp
from dualnum.rules._matrix import DegenerateSpectrumError


def _central(f, A, h=1e-6):
    G = np.zeros_like(A)
    for idx in np.ndindex(A.shape):
        E = np.zeros_like(A)
        E[idx] = h
        G[idx] = (f(A + E) - f(A - E)) / (2 * h)
    return G


def _vectors(A, xp):
    return xp.linalg.eigh(A).eigenvectors if xp is dnp else np.linalg.eigh(A)[1]


def _tied(seed, values):
    Q, _ = np.linalg.qr(np.random.default_rng(seed).normal(size=(len(values),) * 2))
    return Q @ np.diag(values) @ Q.T


def _low_rank_covariance():
    X = np.random.default_rng(1).normal(size=(3, 5))
    return X.T @ X          # rank 3: two (numerically) zero eigenvalues that tie


WEIGHTS = np.linspace(0.5, 2.0, 5)


@pytest.mark.parametrize("A", [_low_rank_covariance(), _tied(2, [1.0, 1.0, 1.0, 2.0, 5.0])],
                         ids=["low-rank-covariance", "triple-tie"])
def test_a_separated_eigenvector_is_differentiable_beside_a_tie(A):
    def f(A, xp=dnp):
        v = _vectors(A, xp)[:, -1]
        return xp.sum(v ** 4 * WEIGHTS) + xp.sum(v[:2]) ** 2    # sign-invariant
    want = np.tril(_central(lambda A: f(A, np), A))     # eigh reads the lower triangle
    got = dn.grad(f)(A)
    np.testing.assert_allclose(got, want, atol=1e-7 * np.abs(want).max())
    # the eigenvalues' cotangent takes part too (a function symmetric in the tied ones)
    g2 = dn.grad(lambda A: f(A) + dnp.sum(dnp.linalg.eigh(A).eigenvalues ** 2))(A)
    want2 = want + np.tril(_central(lambda A: np.sum(np.linalg.eigvalsh(A) ** 2), A))
    np.testing.assert_allclose(g2, want2, atol=1e-6 * np.abs(want2).max())


def test_a_projector_onto_the_tied_eigenspace_still_raises():
    # smooth in A, but its cotangent cannot be told from that of a function of one tied
    # vector (at V = I, (V Vᵀ)[0, 0] / 2 and V[0, 0] have the same one): refused, not guessed
    A = _tied(3, [1.0, 1.0, 4.0, 6.0])
    with pytest.raises(DegenerateSpectrumError, match="reads its vectors"):
        dn.grad(lambda A: dnp.sum(_vectors(A, dnp)[:, :2] @ _vectors(A, dnp)[:, :2].T))(A)


def test_the_first_order_invariant_read_of_a_tied_vector_raises():
    # V[0, 0] at A = I: its cotangent is symmetric against V, yet V jumps with the direction
    # of the perturbation, so there is no derivative
    with pytest.raises(DegenerateSpectrumError, match="eigh: eigenvalues 0 and 1 coincide"):
        dn.grad(lambda a: dnp.linalg.eigh(a).eigenvectors[0, 0])(np.eye(3))


def test_reading_one_tied_eigenvector_still_raises_naming_eigh():
    A = _tied(4, [1.0, 1.0, 3.0])
    with pytest.raises(DegenerateSpectrumError,
                       match=r"eigh: eigenvalues 0 and 1 coincide.*reads its vectors"):
        dn.grad(lambda A: dnp.sum(dnp.linalg.eigh(A).eigenvectors[:, 0]))(A)


def test_forward_mode_still_raises_at_a_tie():
    A = _tied(5, [1.0, 1.0, 3.0])
    with pytest.raises(DegenerateSpectrumError, match="eigh"):
        dn.jacfwd(lambda A: dnp.linalg.eigh(A).eigenvectors[:, -1])(A)


def test_a_stack_with_a_tie_in_one_matrix():
    A = np.stack([_tied(6, [1.0, 1.0, 3.0]), _tied(7, [1.0, 2.0, 3.0])])

    def f(A, xp=dnp):
        return xp.sum(_vectors(A, xp)[..., -1] ** 4)
    want = np.tril(_central(lambda A: f(A, np), A))
    np.testing.assert_allclose(dn.grad(f)(A), want, atol=1e-7 * np.abs(want).max())
    with pytest.raises(DegenerateSpectrumError, match=r"matrix \(0,\) of the stack"):
        dn.grad(lambda A: dnp.sum(dnp.linalg.eigh(A).eigenvectors[..., 0]))(A)


def _rank_deficient(shape, seed):
    X = np.random.default_rng(seed).normal(size=shape)
    if shape[0] < shape[1]:
        return X - X.mean(axis=0)           # centred rows: the last singular value is 0
    X[:, -1] = X[:, 0] + X[:, 1]            # a dependent column
    return X


def _singular(seed, shape, values):
    rng = np.random.default_rng(seed)
    U, _ = np.linalg.qr(rng.normal(size=(shape[0], len(values))))
    V, _ = np.linalg.qr(rng.normal(size=(shape[1], len(values))))
    return U @ np.diag(values) @ V.T


def _svd(X, xp):
    return (dnp.linalg.svd(X, full_matrices=False) if xp is dnp
            else np.linalg.svd(X, full_matrices=False))


@pytest.mark.parametrize("X", [_rank_deficient((5, 8), 8), _rank_deficient((8, 5), 9),
                               _rank_deficient((6, 6), 10),
                               _singular(11, (4, 3), [3.0, 2.0, 2.0])],
                         ids=["wide-centred", "tall-dependent", "square-singular", "tie"])
def test_leading_singular_vectors_are_differentiable_beside_a_zero_or_a_tie(X):
    w = np.linspace(1.0, 2.0, X.shape[1])

    def f(X, xp=dnp):
        U, s, Vh = _svd(X, xp)
        return xp.sum(Vh[0] ** 4 * w) + xp.sum(U[:, 0] ** 4) + s[0] * xp.sum(U[:2, 0] ** 2)
    s = np.linalg.svd(X, compute_uv=False)
    assert s[-1] < 1e-12 * s[0] or np.min(np.abs(np.diff(s))) < 1e-12     # degenerate
    want = _central(lambda X: f(X, np), X)
    np.testing.assert_allclose(dn.grad(f)(X), want, atol=1e-7 * np.abs(want).max())
    with pytest.raises(DegenerateSpectrumError, match="svd: singular value"):
        dn.grad(lambda X: dnp.sum(_svd(X, dnp).Vh[-1] ** 4))(X)
    with pytest.raises(DegenerateSpectrumError, match="svd"):
        dn.jacfwd(lambda X: _svd(X, dnp).Vh[0])(X)


def test_reading_a_zero_singular_value_itself_raises():
    X = _rank_deficient((5, 8), 13)
    with pytest.raises(DegenerateSpectrumError, match="singular value 4 is zero"):
        dn.grad(lambda X: dnp.sum(_svd(X, dnp).S))(X)


def _singular_matrices():
    rng = np.random.default_rng(14)
    U, _ = np.linalg.qr(rng.normal(size=(4, 4)))
    V, _ = np.linalg.qr(rng.normal(size=(4, 4)))
    return {"1..9": np.arange(1.0, 10.0).reshape(3, 3),
            "rank-1": np.outer([1.0, 2.0], [2.0, 4.0]) / 2,
            "zero": np.zeros((3, 3)),
            "rank-3 of 4": U @ np.diag([3.0, 2.0, 1.0, 0.0]) @ V.T,
            "stack": np.stack([np.diag([1.0, 2.0, 0.0]), 2 * np.eye(3)])}


@pytest.mark.parametrize("name", list(_singular_matrices()))
def test_det_is_differentiable_at_a_singular_matrix(name):
    # det is a polynomial: its derivative at a singular matrix is the adjugate's transpose
    # (central differences of numpy's det are exact up to rounding there)
    A = _singular_matrices()[name]
    f = lambda a, xp=dnp: xp.sum(xp.linalg.det(a))      # noqa: E731
    want = _central(lambda a: f(a, np), A)
    np.testing.assert_allclose(dn.grad(f)(A), want, atol=1e-8)
    T = np.random.default_rng(15).normal(size=A.shape)
    assert dn.jvp(f, (A,), (T,))[1] == pytest.approx(np.sum(want * T), abs=1e-8)
    np.testing.assert_allclose(dn.jacfwd(f)(A), want, atol=1e-8)
    # and its second derivative (the (n-2)-minors), from the adjugate row's SVD: against
    # second central differences of numpy's det (exact for a polynomial up to rounding)
    H = dn.hessian(f)(A).reshape(A.size, A.size)
    h, n = 1e-3, A.size
    E = np.eye(n).reshape((n,) + A.shape) * h
    want_H = np.array([[(f(A + E[i] + E[j], np) - f(A + E[i] - E[j], np)
                         - f(A - E[i] + E[j], np) + f(A - E[i] - E[j], np)) / (4 * h * h)
                        for j in range(n)] for i in range(n)])
    np.testing.assert_allclose(H, want_H, atol=1e-6)
    np.testing.assert_allclose(dn.hessian(f, mode="forward")(A).reshape(n, n), want_H,
                               atol=1e-6)


def test_det_of_a_singular_complex_matrix_is_holomorphic():
    A = np.array([[1 + 1j, 2.0], [1 + 1j, 2.0]])
    adjT = np.array([[2.0, -(1 + 1j)], [-2.0, 1 + 1j]])     # [[d, −c], [−b, a]]
    np.testing.assert_allclose(dn.grad(lambda a: dnp.real(dnp.linalg.det(a)))(A), adjT,
                               atol=1e-14)


def test_det_near_a_singular_matrix_keeps_its_second_derivative():
    # det(A)·A⁻¹ differentiated cancels terms of size cond(A): at cond 3e14 it was wrong by
    # 100 %. The (n-2)-minors do not depend on how close A is to singular
    rng = np.random.default_rng(16)
    U, _ = np.linalg.qr(rng.normal(size=(4, 4)))
    V, _ = np.linalg.qr(rng.normal(size=(4, 4)))
    for small in (1e-2, 1e-8, 1e-14):
        A = U @ np.diag([3.0, 2.0, 1.0, small]) @ V.T
        H = dn.hessian(dnp.linalg.det)(A).reshape(16, 16)
        # numpy's det·inv(A)ᵀ is det's gradient to rounding even there (LU's errors cancel)
        g = lambda a: (np.linalg.det(a) * np.linalg.inv(a)).T     # noqa: E731
        want = np.stack([((g(A + 1e-5 * e.reshape(4, 4)) - g(A - 1e-5 * e.reshape(4, 4)))
                          / 2e-5).ravel() for e in np.eye(16)], axis=1)
        np.testing.assert_allclose(H, want, atol=1e-8)


def test_det_third_derivative_at_a_singular_matrix_raises_naming_the_adjugate():
    A = np.arange(1.0, 10.0).reshape(3, 3)
    with pytest.raises(NotImplementedError, match="adjugate: at a singular matrix"):
        dn.jacfwd(dn.hessian(dnp.linalg.det))(A)
