"""Identities that need no reference at all, the degeneracy rule, and the errors.

* d log|det A| = tr(A⁻¹ dA), d det A = det A · tr(A⁻¹ dA) (the trace from numpy's solve);
* A·inv(A) = I and inv(A)·b after solve: derivatives that must vanish;
* every decomposition reconstructs its input to first order (V diag(w) Vᵀ, L Lᵀ, Q R,
  U diag(S) Vh), and the orthogonal factors stay orthogonal (Qᵀ dQ skew);
* ⟨u, J v⟩ = ⟨Jᵀ u, v⟩ for every matrix row, on stacks, with many directions at once;
* degenerate spectra: eigenvectors and singular vectors raise, naming the gap; eigenvalues and
  singular values alone follow the tie convention (checked against closed forms) and are
  reported as kinks; singular, non-square, indefinite and rank-deficient input raise.
"""
from __future__ import annotations

import numpy as np
import pytest

import dualnum as dn
import dualnum.numpy as dnp
from dualnum.rules import _matrix as M, get_rule
from dualnum.rules._matrix import DegenerateSpectrumError

from .refs import assert_close

L = dnp.linalg
RNG = np.random.default_rng(77)
GOOD, SPD, SYM, SEP = M.WELL_CONDITIONED, M.SPD, M.SEPARATED_SPECTRUM, M.SEPARATED_SINGULAR


def s(domain: M.MatrixDomain, *shape: int) -> np.ndarray:
    return domain.sample(RNG, shape)


def jvp(f, x, t):
    return dn.jvp(f, (x,), (t,))[1]


def sym(t):
    return (t + np.swapaxes(t, -1, -2)) / 2


# ------------------------------------------------------------------ determinants
@pytest.mark.parametrize("shape", [(3, 3), (2, 4, 4), (1, 1)])
def test_dlogdet_is_the_trace_of_the_inverse_times_da(shape):
    A, E = s(GOOD, *shape), RNG.normal(size=shape)
    want = np.trace(np.linalg.solve(A, E), axis1=-2, axis2=-1)
    assert_close(jvp(lambda a: L.slogdet(a).logabsdet, A, E), want, 1e-12, 1e-13, "slogdet")
    assert_close(jvp(L.det, A, E), np.linalg.det(A) * want, 1e-12, 1e-13, "det")
    g = dn.grad(lambda a: dnp.sum(L.slogdet(a)[1]))(A)
    assert_close(np.sum(g * E, axis=(-2, -1)), want, 1e-12, 1e-13, "slogdet gradient")


# ------------------------------------------------------------------ derivatives that vanish
@pytest.mark.parametrize("shape", [(3, 3), (2, 3, 3)])
def test_a_times_its_inverse_has_derivative_zero(shape):
    A, E = s(GOOD, *shape), RNG.normal(size=shape)
    d = jvp(lambda a: a @ L.inv(a), A, E)
    assert np.max(np.abs(d)) < 1e-13
    W = RNG.normal(size=shape)
    g = dn.grad(lambda a: dnp.sum(W * (L.inv(a) @ a)))(A)
    assert np.max(np.abs(g)) < 1e-13
    x = RNG.normal(size=shape[-1])
    d = jvp(lambda a: L.solve(a, (a @ x)[..., None]), A, E)     # solve(A, A x) = x, any A
    assert np.max(np.abs(d)) < 1e-13
    d = jvp(lambda a: L.pinv(a) @ a, A, E)              # pinv(A) A = I for an invertible A
    assert np.max(np.abs(d)) < 1e-12


# ------------------------------------------------------------------ reconstructions
@pytest.mark.parametrize("uplo", ["L", "U"])
def test_eigh_reconstructs_a_to_first_order(uplo):
    A, E = s(SYM, 2, 4, 4), RNG.normal(size=(2, 4, 4))
    tri = np.tril if uplo == "L" else np.triu
    E_seen = tri(E) + np.swapaxes(tri(E, -1 if uplo == "L" else 1), -1, -2)  # what eigh reads

    def rebuilt(a):
        w, V = L.eigh(a, uplo)
        return (V * w[..., None, :]) @ L.matrix_transpose(V)

    assert_close(jvp(rebuilt, A, E), E_seen, 1e-11, 1e-12, "V diag(w) Vᵀ")
    orth = jvp(lambda a: L.matrix_transpose(L.eigh(a, uplo)[1]) @ L.eigh(a, uplo)[1], A, E)
    assert np.max(np.abs(orth)) < 1e-12
    assert_close(jvp(lambda a: L.eigvalsh(a, uplo), A, E), jvp(lambda a: L.eigh(a, uplo)[0], A, E),
                 1e-12, 1e-13, "eigvalsh vs eigh")


@pytest.mark.parametrize("upper", [False, True])
def test_cholesky_reconstructs_and_stays_triangular(upper):
    A, E = s(SPD, 2, 3, 3), RNG.normal(size=(2, 3, 3))
    dL = jvp(lambda a: L.cholesky(a, upper=upper), A, E)
    tri = np.triu if upper else np.tril
    assert np.all(dL == tri(dL)), "the factor's tangent stays triangular"
    E_seen = tri(E) + np.swapaxes(tri(E, 1 if upper else -1), -1, -2)

    def rebuilt(a):
        F = L.cholesky(a, upper=upper)
        return L.matrix_transpose(F) @ F if upper else F @ L.matrix_transpose(F)

    assert_close(jvp(rebuilt, A, E), E_seen, 1e-12, 1e-13, "L Lᵀ")


@pytest.mark.parametrize("shape", [(4, 3), (3, 3), (3, 5), (2, 4, 2)])
def test_qr_reconstructs_with_q_orthonormal_and_r_triangular(shape):
    A, E = s(SEP, *shape), RNG.normal(size=shape)
    dQ, dR = dn.jvp(L.qr, (A,), (E,))[1]
    Q, R = np.linalg.qr(A)
    assert_close(dQ @ R + Q @ dR, E, 1e-12, 1e-13, "dQ R + Q dR")
    k = min(shape[-2:])
    assert np.all(dR[..., :, :k] == np.triu(dR[..., :, :k]))
    skew = np.swapaxes(Q, -1, -2) @ dQ
    assert_close(skew, -np.swapaxes(skew, -1, -2), 1e-12, 1e-13, "Qᵀ dQ skew")


@pytest.mark.parametrize("shape", [(4, 3), (3, 3), (3, 5), (2, 4, 2)])
def test_svd_reconstructs_to_first_order(shape):
    A, E = s(SEP, *shape), RNG.normal(size=shape)

    def rebuilt(a):
        U, S, Vh = L.svd(a, full_matrices=False)
        return (U * S[..., None, :]) @ Vh

    assert_close(jvp(rebuilt, A, E), E, 1e-11, 1e-12, "U diag(S) Vh")
    dU = jvp(lambda a: L.svd(a, full_matrices=False)[0], A, E)
    U = np.linalg.svd(A, full_matrices=False)[0]
    UtdU = np.swapaxes(U, -1, -2) @ dU
    assert_close(UtdU, -np.swapaxes(UtdU, -1, -2), 1e-11, 1e-12, "Uᵀ dU skew")
    assert_close(jvp(L.svdvals, A, E), jvp(lambda a: L.svd(a, full_matrices=False)[1], A, E),
                 1e-12, 1e-13, "svdvals vs svd")


def test_pinv_keeps_the_penrose_identity_to_first_order():
    A, E = s(SEP, 4, 2), RNG.normal(size=(4, 2))
    d = jvp(lambda a: a @ L.pinv(a) @ a, A, E)          # A A⁺ A = A at every full-rank A
    assert_close(d, E, 1e-12, 1e-13, "d(A A⁺ A) = dA")


# ------------------------------------------------------------------ transposition, batched
ROWS = [
    ("inv", lambda a: L.inv(a), (GOOD, (2, 3, 3))),
    ("solve", lambda a: L.solve(a, a[..., :1]), (GOOD, (2, 3, 3))),
    ("det", L.det, (GOOD, (2, 3, 3))),
    ("slogdet", lambda a: L.slogdet(a)[1], (GOOD, (2, 3, 3))),
    ("pinv", L.pinv, (SEP, (2, 4, 3))),
    ("cholesky", L.cholesky, (SPD, (2, 3, 3))),
    ("eigh", lambda a: L.eigh(a)[1], (SYM, (2, 3, 3))),
    ("eigvalsh", L.eigvalsh, (SYM, (2, 3, 3))),
    ("svd", lambda a: L.svd(a, full_matrices=False)[2], (SEP, (2, 4, 3))),
    ("svdvals", L.svdvals, (SEP, (2, 3, 4))),
    ("qr", lambda a: L.qr(a)[0], (SEP, (2, 3, 4))),
]


@pytest.mark.parametrize("name, f, where", ROWS, ids=[r[0] for r in ROWS])
def test_vjp_is_the_transpose_of_the_jvp_for_every_row(name, f, where):
    domain, shape = where
    A = s(domain, *shape)
    assert name in L.RULES
    V = RNG.normal(size=(5,) + shape)                   # five directions
    J = dn.jacfwd(f)(A)                                  # all directions in one pass
    Jr = dn.jacrev(f)(A)                                 # all cotangents in one sweep
    out_shape = J.shape[:J.ndim - len(shape)]
    Ubar = RNG.normal(size=(5,) + out_shape)
    for v, ubar in zip(V, Ubar):
        y, jv = dn.jvp(f, (A,), (v,))
        _, back = dn.vjp(f, A)
        (jtu,) = back(ubar)
        lhs, rhs = np.sum(ubar * jv), np.sum(jtu * v)
        assert abs(lhs - rhs) <= 1e-12 * max(1.0, abs(lhs)), f"{name}: {lhs} vs {rhs}"
        axes = tuple(range(len(out_shape), J.ndim))
        assert_close(np.tensordot(J, v, axes=(axes, tuple(range(len(shape))))), jv, 1e-12,
                     1e-13, f"{name} batched jacfwd vs jvp")
    assert_close(Jr, J, 1e-12, 1e-13, f"{name} jacrev vs jacfwd")


# ------------------------------------------------------------------ degenerate spectra
def test_eigenvectors_at_a_repeated_eigenvalue_raise_naming_the_gap():
    A = np.diag([1.0, 1.0, 3.0])
    for api in (lambda: jvp(lambda a: L.eigh(a)[1], A, np.ones((3, 3))),
                lambda: dn.grad(lambda a: dnp.sum(L.eigh(a)[1]))(A),
                lambda: np.linalg.eigh(dn.Dual(A, np.eye(3)))):
        with pytest.raises(DegenerateSpectrumError,
                           match=r"eigh: eigenvalues 0 and 1 coincide \(1.0 and 1.0 are 0 apart"
                                 r".*use eigvalsh"):
            api()
    nearly = np.diag([1.0, 1.0 + 1e-15, 3.0])            # within the tolerance: still equal
    with pytest.raises(DegenerateSpectrumError, match="tolerance"):
        dn.grad(lambda a: dnp.sum(L.eigh(a)[1]))(nearly)
    assert issubclass(DegenerateSpectrumError, np.linalg.LinAlgError)


def test_close_but_distinct_eigenvalues_are_differentiated():
    gap = 1e-6
    A = np.diag([1.0, 1.0 + gap, 3.0])
    A[0, 2] = A[2, 0] = 0.1
    E = sym(RNG.normal(size=(3, 3)))
    d = jvp(lambda a: L.eigh(a)[0], A, E)
    w, V = np.linalg.eigh(A)
    assert_close(d, np.einsum("ki,kl,li->i", V, E, V), 1e-9, 1e-12, "dw = diag(Vᵀ E V)")


def test_singular_vectors_at_a_tie_or_a_zero_raise():
    for A, what in ((np.diag([2.0, 2.0, 1.0]), "singular values 0 and 1 coincide"),
                    (np.diag([2.0, 1.0, 0.0]), "singular value 2 is zero")):
        with pytest.raises(DegenerateSpectrumError, match=what):
            dn.grad(lambda a: dnp.sum(L.svd(a, full_matrices=False)[0]))(A)
        L.svdvals(dn.Dual(A, np.eye(3)))                 # the values alone: differentiable


def test_eigenvalues_at_a_tie_get_the_cluster_mean():
    # A = Q diag(1, 1, 3) Qᵀ: at the double eigenvalue each gets (tr of Vcᵀ E Vc)/2, the mean
    # of the one-sided derivatives, whatever basis LAPACK chose for the eigenspace
    Q = np.linalg.qr(RNG.normal(size=(3, 3)))[0]
    A = Q @ np.diag([1.0, 1.0, 3.0]) @ Q.T
    E = sym(RNG.normal(size=(3, 3)))
    Vc = Q[:, :2]
    mean = np.trace(Vc.T @ E @ Vc) / 2
    want = np.array([mean, mean, Q[:, 2] @ E @ Q[:, 2]])
    assert_close(jvp(L.eigvalsh, A, E), want, 1e-11, 1e-12, "eigvalsh at a tie")
    g = dn.grad(lambda a: L.eigvalsh(a)[0])(A)
    assert_close(np.sum(g * E), mean, 1e-11, 1e-12, "the gradient too")
    # a function symmetric in the cluster is exact: Σ log w = log det of what eigvalsh reads
    # (the lower triangle: an entry below the diagonal stands for both mirror images)
    G = np.linalg.inv(A)
    assert_close(dn.grad(lambda a: dnp.sum(dnp.log(L.eigvalsh(a))))(A),
                 np.tril(2 * G) - np.diag(np.diag(G)), 1e-11, 1e-12, "Σ log w")
    # and the one-sided derivatives of w0 and w1 average to it (central differences)
    h = 1e-6
    up, down = np.linalg.eigvalsh(A + h * E), np.linalg.eigvalsh(A - h * E)
    assert abs((up[:2] - down[:2]).mean() / (2 * h) - mean) < 1e-6


def test_singular_values_at_a_tie_and_at_zero():
    # the nuclear norm is differentiable at a full-rank matrix whatever the ties: U Vᵀ
    U, _ = np.linalg.qr(RNG.normal(size=(4, 3)))
    V, _ = np.linalg.qr(RNG.normal(size=(3, 3)))
    A = U @ np.diag([2.0, 2.0, 1.0]) @ V.T
    assert_close(dn.grad(lambda a: L.norm(a, "nuc"))(A), U @ V.T, 1e-11, 1e-12, "d‖A‖_* = UVᵀ")
    E = RNG.normal(size=(4, 3))
    d = jvp(L.svdvals, A, E)
    P = U.T @ E @ V
    assert_close(d, [(P[0, 0] + P[1, 1]) / 2] * 2 + [P[2, 2]], 1e-11, 1e-12, "tie: the mean")
    # a zero singular value gets 0 (abs'(0) = 0), the others theirs
    B = U @ np.diag([3.0, 1.0, 0.0]) @ V.T
    d = jvp(L.svdvals, B, E)
    assert_close(d, [P[0, 0], P[1, 1], 0.0], 1e-11, 1e-12, "zero: 0")


def test_ties_are_reported_as_kinks():
    from dualnum.comparisons.tape_inspect import kinks
    A = np.diag([1.0, 1.0, 3.0])
    found = kinks(lambda a: dnp.sum(L.eigvalsh(a)), A)
    assert [k.op for k in found] == ["eigvalsh"] and found[0].where == [0, 1]
    assert "mean derivative" in found[0].convention
    found = kinks(lambda a: L.norm(a, "nuc"), np.diag([2.0, 0.0]))
    assert [k.op for k in found] == ["svdvals"] and found[0].where == [1]
    assert kinks(lambda a: dnp.sum(L.eigvalsh(a)), s(SYM, 3, 3)) == []
    assert get_rule("eigvalsh").kink is not None and get_rule("svdvals").kink is not None


# ------------------------------------------------------------------ errors
def test_singular_matrices():
    S = np.array([[1.0, 2.0], [2.0, 4.0]])
    for call in (lambda: L.inv(S), lambda: L.solve(S, np.ones(2)),
                 lambda: dn.grad(lambda a: dnp.sum(L.inv(a)))(S)):
        with pytest.raises(np.linalg.LinAlgError, match="Singular matrix"):
            call()
    assert L.det(S) == 0.0 and L.slogdet(S) == (0.0, -np.inf)       # values, as numpy's
    f = lambda a: L.slogdet(a)[1]      # noqa: E731 (log|det| is -inf there: no derivative)
    for api in (lambda: dn.grad(f)(S), lambda: dn.jvp(f, (S,), (np.eye(2),))):
        with pytest.raises(np.linalg.LinAlgError,
                           match="slogdet: the derivative needs A⁻¹, and A .* is singular"):
            api()
    # det is a polynomial: its derivative there is the adjugate's transpose [[4, -2], [-2, 1]]
    np.testing.assert_allclose(dn.grad(L.det)(S), [[4.0, -2.0], [-2.0, 1.0]], atol=1e-14)
    assert dn.jvp(L.det, (S,), (np.eye(2),))[1] == pytest.approx(5.0, abs=1e-14)


def test_not_square_not_positive_definite_not_full_rank():
    with pytest.raises(np.linalg.LinAlgError, match=r"inv: Last 2 dimensions .* \(2, 3\)"):
        dn.grad(lambda a: dnp.sum(L.inv(a)))(np.ones((2, 3)))
    with pytest.raises(np.linalg.LinAlgError, match="cholesky: Matrix is not positive definite"):
        dn.grad(lambda a: dnp.sum(L.cholesky(a)))(np.diag([1.0, -1.0]))
    with pytest.raises(np.linalg.LinAlgError, match=r"qr: R\[1, 1\] is zero.*dependent columns"):
        dn.grad(lambda a: dnp.sum(L.qr(a)[0]))(np.ones((3, 2)))
    with pytest.raises(np.linalg.LinAlgError, match=r"first 2 columns of A are dependent"):
        dn.grad(lambda a: dnp.sum(L.qr(a)[1]))(np.array([[1.0, 2.0, 0.0], [2.0, 4.0, 1.0]]))
    with pytest.raises(ValueError, match="full_matrices=True .* pass full_matrices=False"):
        dn.grad(lambda a: dnp.sum(L.svd(a)[0]))(np.ones((3, 2)))
    with pytest.raises(ValueError, match="mode='complete' on a 3×2 matrix"):
        dn.grad(lambda a: dnp.sum(L.qr(a, "complete")[0]))(s(SEP, 3, 2))
    with pytest.raises(NotImplementedError, match="hermitian=True with compute_uv=True"):
        dn.grad(lambda a: dnp.sum(L.svd(a, hermitian=True)[0]))(s(SYM, 3, 3))
    with pytest.raises(NotImplementedError, match="not supported: use eigh for symmetric"):
        dn.grad(lambda a: dnp.sum(dnp.real(L.eig(a)[0])))(s(SYM, 3, 3))
    with pytest.raises(NotImplementedError, match="not supported: use eigh for symmetric"):
        dn.jvp(L.eigvals, (s(SYM, 3, 3),), (np.eye(3),))


def test_eigh_has_no_symbolic_counterpart_and_says_so():
    import sympy
    x = np.array([[sympy.Symbol("a"), 1], [1, sympy.Symbol("b")]], dtype=object)
    with pytest.raises(TypeError, match="eigh has no symbolic counterpart"):
        L.eigh(x)
    inv = L.inv(x)                                       # inv, det, solve, cholesky have one
    assert sympy.simplify(inv[0, 0] - x[1, 1] / (x[0, 0] * x[1, 1] - 1)) == 0
    assert sympy.simplify(L.det(x) - (x[0, 0] * x[1, 1] - 1)) == 0
    assert sympy.simplify(L.trace(x) - (x[0, 0] + x[1, 1])) == 0
    sol = L.solve(x, np.array([1, 0], dtype=object))
    assert sympy.simplify(sol[1] + 1 / (x[0, 0] * x[1, 1] - 1)) == 0
    a, c = sympy.symbols("a c", positive=True)
    chol = L.cholesky(np.array([[a, 1], [1, c]], dtype=object))
    assert sympy.simplify(chol[1, 1] - sympy.sqrt(c - 1 / a)) == 0 and chol[0, 1] == 0


# ------------------------------------------------------------------ the smallest matrices
def test_one_by_one_matrices_are_the_scalar_formulas():
    a = 2.5
    A = np.array([[a]])
    for f, want in ((L.inv, -1 / a ** 2), (L.det, 1.0), (lambda m: L.slogdet(m)[1], 1 / a),
                    (L.cholesky, 0.5 / np.sqrt(a)), (L.eigvalsh, 1.0), (L.svdvals, 1.0),
                    (L.pinv, -1 / a ** 2), (lambda m: L.matrix_power(m, -2), -2 / a ** 3)):
        assert float(np.ravel(dn.jacfwd(f)(A))[0]) == pytest.approx(want, rel=1e-14)
        assert float(np.ravel(dn.jacrev(f)(A))[0]) == pytest.approx(want, rel=1e-14)


@pytest.mark.parametrize("shape", [(0, 0), (3, 0, 0)])
def test_empty_matrices_have_empty_derivatives(shape):
    A = np.zeros(shape)
    for f in (L.inv, L.det, L.cholesky, L.eigvalsh, lambda m: L.eigh(m)[1], L.svdvals,
              lambda m: L.svd(m, full_matrices=False)[0], lambda m: L.qr(m)[1], L.pinv):
        J = dn.jacfwd(f)(A)
        assert J.size == 0 and J.shape == np.shape(f(A)) + shape
        assert dn.jacrev(f)(A).shape == J.shape
