"""dnp.linalg's derivatives as a user meets them (the public functions, their named results,
stacks of matrices): forward and reverse against central differences; complex step for the
analytic ones; complex matrices; second order in the three Hessian modes against differences
of the gradient. (The rows themselves are swept with the rest of the table in
test_rule_sweep.py, from tests/core/specs.py.)
"""
from __future__ import annotations

import numpy as np
import pytest

import dualnum as dn
import dualnum.numpy as dnp
from dualnum.rules import _matrix as M

from .refs import assert_close, central_gradient, central_jacobian
from .specs import quick_first

L = dnp.linalg
RNG = np.random.default_rng(2024)


def s(domain: M.MatrixDomain, *shape: int) -> np.ndarray:
    return domain.sample(RNG, shape)


GOOD, SPD, SYM, SEP = M.WELL_CONDITIONED, M.SPD, M.SEPARATED_SPECTRUM, M.SEPARATED_SINGULAR
B3 = RNG.uniform(-1, 1, size=3)
B32 = RNG.uniform(-1, 1, size=(3, 2))
A3 = s(GOOD, 3, 3)
A233 = s(GOOD, 2, 3, 3)

# (label, f of one array, the point): every differentiable name, single and stacked
FIRST = [
    ("inv", L.inv, s(GOOD, 3, 3)),
    ("inv stack", L.inv, s(GOOD, 2, 2, 2)),
    ("solve wrt a", lambda a: L.solve(a, B3), s(GOOD, 3, 3)),
    ("solve wrt b", lambda b: L.solve(A3, b), B3),
    ("solve wrt B", lambda b: L.solve(A3, b), B32),
    ("solve stack wrt a, vector b", lambda a: L.solve(a, B3), s(GOOD, 2, 3, 3)),
    ("solve stack wrt b", lambda b: L.solve(A233, b), B3),
    ("solve triangular", lambda a: L.solve(a * np.triu(np.ones((3, 3))), B3), s(GOOD, 3, 3)),
    ("det", L.det, s(GOOD, 3, 3)),
    ("det stack", L.det, s(GOOD, 2, 3, 3)),
    ("slogdet logabsdet", lambda a: L.slogdet(a).logabsdet, s(GOOD, 3, 3)),
    ("slogdet sign", lambda a: L.slogdet(a).sign, s(GOOD, 3, 3)),
    ("slogdet stack", lambda a: L.slogdet(a)[1], s(GOOD, 2, 3, 3)),
    ("pinv tall", L.pinv, s(SEP, 4, 2)),
    ("pinv wide stack", L.pinv, s(SEP, 2, 2, 3)),
    ("pinv hermitian", lambda a: L.pinv(a, hermitian=True), s(SYM, 3, 3)),
    ("matrix_power 4", lambda a: L.matrix_power(a, 4), s(GOOD, 3, 3) / 3),
    ("matrix_power -3", lambda a: L.matrix_power(a, -3), s(GOOD, 2, 3, 3)),
    ("matrix_power 0", lambda a: L.matrix_power(a, 0), s(GOOD, 3, 3)),
    ("cholesky", L.cholesky, s(SPD, 3, 3)),
    ("cholesky upper stack", lambda a: L.cholesky(a, upper=True), s(SPD, 2, 3, 3)),
    ("eigh eigenvalues", lambda a: L.eigh(a).eigenvalues, s(SYM, 3, 3)),
    ("eigh eigenvectors", lambda a: L.eigh(a).eigenvectors, s(SYM, 3, 3)),
    ("eigh upper stack", lambda a: L.eigh(a, "U")[1], s(SYM, 2, 3, 3)),
    ("eigvalsh", L.eigvalsh, s(SYM, 4, 4)),
    ("svd U", lambda a: L.svd(a, full_matrices=False).U, s(SEP, 4, 3)),
    ("svd S", lambda a: L.svd(a, full_matrices=False).S, s(SEP, 3, 4)),
    ("svd Vh", lambda a: L.svd(a, full_matrices=False).Vh, s(SEP, 3, 4)),
    ("svd square full", lambda a: L.svd(a)[0], s(SEP, 3, 3)),
    ("svd stack", lambda a: L.svd(a, full_matrices=False)[2], s(SEP, 2, 4, 3)),
    ("svd compute_uv=False", lambda a: L.svd(a, compute_uv=False), s(SEP, 2, 3, 4)),
    ("svdvals", L.svdvals, s(SEP, 3, 2)),
    ("qr Q tall", lambda a: L.qr(a).Q, s(SEP, 4, 3)),
    ("qr R wide", lambda a: L.qr(a).R, s(SEP, 3, 5)),
    ("qr Q wide", lambda a: L.qr(a).Q, s(SEP, 3, 5)),
    ("qr r mode stack", lambda a: L.qr(a, "r"), s(SEP, 2, 3, 3)),
    ("qr complete wide", lambda a: L.qr(a, "complete")[1], s(SEP, 2, 3)),
    ("norm 2", lambda a: L.norm(a, 2), s(SEP, 3, 4)),
    ("norm -2", lambda a: L.norm(a, -2), s(SEP, 4, 3)),
    ("norm nuc stack keepdims", lambda a: L.norm(a, "nuc", (1, 2), True), s(SEP, 2, 3, 3)),
    ("norm nuc axes (2, 0)", lambda a: L.norm(a, "nuc", (2, 0)), s(SEP, 3, 2, 3)),
    ("matrix_norm fro", lambda a: L.matrix_norm(a), s(SEP, 2, 3, 3)),
    ("vector_norm tuple axis", lambda a: L.vector_norm(a, axis=(0, 2), ord=3), s(SEP, 2, 3, 3)),
    ("cond", L.cond, s(SEP, 3, 3)),
    ("cond fro", lambda a: L.cond(a, "fro"), s(SEP, 3, 3)),
    ("trace", lambda a: L.trace(a, offset=-1), s(GOOD, 2, 3, 3)),
    ("diagonal", L.diagonal, s(GOOD, 3, 4)),
    ("matrix_transpose", L.matrix_transpose, s(GOOD, 2, 3, 4)),
    ("vecdot", lambda a: L.vecdot(a, B3), s(GOOD, 2, 3)),
    ("outer", lambda a: L.outer(a, B3), B3 + 1.0),
    ("tensordot", lambda a: L.tensordot(a, B32, axes=1), s(GOOD, 2, 3)),
    ("multi_dot", lambda a: L.multi_dot([B3, a, B32, a[:2]]), s(GOOD, 3, 3)),
    ("matmul", lambda a: L.matmul(a, a), s(GOOD, 2, 3, 3)),
    ("np.linalg route", lambda a: np.linalg.solve(a, np.linalg.inv(a) @ B3), s(GOOD, 3, 3)),
]


@pytest.mark.parametrize("label, f, x", quick_first(FIRST, lambda e: e[0].split()[0],
                                                    [e[0] for e in FIRST], unpack=True))
def test_forward_and_reverse_against_central_differences(label, f, x):
    (ref,) = central_jacobian(f, [x], [0])
    fwd = dn.jacfwd(f)(x)
    rev = dn.jacrev(f)(x)
    assert_close(fwd, ref, 1e-6, 1e-7, f"{label} forward")
    assert_close(rev, ref, 1e-6, 1e-7, f"{label} reverse")
    assert_close(rev, fwd, 1e-11, 1e-12, f"{label} reverse vs forward")


def test_a_named_result_returns_whole_to_jvp_and_vjp():
    a = s(SYM, 3, 3)
    t = RNG.normal(size=(3, 3))
    (w, V), (dw, dV) = dn.jvp(L.eigh, (a,), (t,))
    np.testing.assert_allclose(dw, dn.jvp(L.eigvalsh, (a,), (t,))[1], rtol=1e-12)
    out, back = dn.vjp(L.eigh, a)
    (gA,) = back((np.ones(3), np.zeros((3, 3))))
    np.testing.assert_allclose(gA, dn.grad(lambda a: dnp.sum(L.eigvalsh(a)))(a), rtol=1e-12)


# ------------------------------------------------------------------ complex step (analytic)
ANALYTIC = [
    ("inv", L.inv, s(GOOD, 3, 3)),
    ("inv stack", L.inv, s(GOOD, 2, 3, 3)),
    ("solve wrt a", lambda a: L.solve(a, B32), s(GOOD, 3, 3)),
    ("solve wrt b", lambda b: L.solve(A3, b), B3),
    ("det", L.det, s(GOOD, 2, 3, 3)),
    ("matrix_power -2", lambda a: L.matrix_power(a, -2), s(GOOD, 3, 3)),
    ("multi_dot", lambda a: L.multi_dot([a, B32, B32.T]), s(GOOD, 3, 3)),
    ("trace of inv", lambda a: L.trace(L.inv(a)), s(GOOD, 3, 3)),
]


@pytest.mark.parametrize("label, f, x", ANALYTIC, ids=[e[0] for e in ANALYTIC])
def test_analytic_rows_against_complex_step(label, f, x):
    # Im f(x + i h e)/h: numpy's own complex LU on the plain values, no rule involved
    h = 1e-30
    for _ in range(3):
        e = RNG.normal(size=np.shape(x))
        ref = np.imag(f(x + 1j * h * e)) / h
        _, fwd = dn.jvp(f, (x,), (e,))
        assert_close(fwd, ref, 1e-12, 1e-13, f"{label} forward vs complex step")
        w = RNG.normal(size=np.shape(ref))
        g = dn.grad(lambda v: dnp.sum(w * f(v)))(x)
        assert abs(np.sum(g * e) - np.sum(w * ref)) <= 1e-11 * max(1.0, abs(np.sum(w * ref)))


def test_the_rule_table_marks_what_complex_step_may_run_through():
    from dualnum.rules import get_rule
    analytic = {n for n in L.RULES if get_rule(n).analytic}
    assert analytic == {"inv", "solve", "det"}


# ------------------------------------------------------------------ complex matrices
COMPLEX = [
    ("inv", L.inv, s(GOOD, 3, 3) + 0.5j * s(GOOD, 3, 3)),
    ("solve", lambda a: L.solve(a, B3 + 1j), s(GOOD, 2, 3, 3) + 0.5j * s(GOOD, 2, 3, 3)),
    ("det", L.det, s(GOOD, 3, 3) + 0.5j * s(GOOD, 3, 3)),
    ("slogdet logabsdet", lambda a: L.slogdet(a).logabsdet, s(GOOD, 3, 3) + 0.5j * np.eye(3)),
    ("slogdet sign", lambda a: L.slogdet(a).sign, s(GOOD, 2, 3, 3) + 0.5j * s(GOOD, 2, 3, 3)),
]


@pytest.mark.parametrize("label, f, z", COMPLEX, ids=[e[0] for e in COMPLEX])
def test_complex_matrices_forward_and_reverse(label, f, z):
    h = 1e-6
    for _ in range(3):
        e = RNG.normal(size=z.shape) + 1j * RNG.normal(size=z.shape)
        ref = (f(z + h * e) - f(z - h * e)) / (2 * h)       # the directional derivative
        _, fwd = dn.jvp(f, (z,), (e,))
        assert_close(np.real(fwd), np.real(ref), 1e-7, 1e-8, f"{label} forward, real part")
        assert_close(np.imag(fwd), np.imag(ref), 1e-7, 1e-8, f"{label} forward, imag part")
        # a real loss of it: Re(Σ ḡ·e) is its directional derivative (the Re(u·v) pairing)
        w = RNG.normal(size=np.shape(ref)) + 1j * RNG.normal(size=np.shape(ref))
        loss = lambda v: dnp.real(dnp.sum(w * f(v)))
        g = dn.grad(loss)(z)
        want = float(np.real(np.sum(w * ref)))
        assert abs(float(np.real(np.sum(g * e))) - want) <= 1e-6 * max(1.0, abs(want)), label


@pytest.mark.parametrize("call", [
    lambda z: L.cholesky(z), lambda z: L.eigh(z)[0], lambda z: L.eigvalsh(z),
    lambda z: L.svd(z, full_matrices=False)[1], lambda z: L.svdvals(z), lambda z: L.qr(z)[1],
    lambda z: L.pinv(z)], ids=["cholesky", "eigh", "eigvalsh", "svd", "svdvals", "qr", "pinv"])
def test_real_only_rows_refuse_complex_boxes(call):
    z = s(SPD, 3, 3) + 0j
    z[0, 1] += 0.1j
    z[1, 0] -= 0.1j
    call(z)                                    # plain values: numpy's complex routine
    for api in (lambda: dn.jvp(lambda v: dnp.real(dnp.sum(call(v))), (z,), (np.ones_like(z),)),
                lambda: dn.grad(lambda v: dnp.real(dnp.sum(call(v))))(z)):
        with pytest.raises(NotImplementedError, match="complex matrices are not supported"):
            api()


# ------------------------------------------------------------------ second order
def _flat(f, shape):
    n = int(np.prod(shape))
    return lambda v: f(dnp.reshape(v[:n], shape))


S33, SYM33, SEP43 = s(SPD, 3, 3), s(SYM, 3, 3), s(SEP, 4, 3)
Y3 = RNG.normal(size=3)
W33 = RNG.normal(size=(3, 3))
W43 = RNG.normal(size=(4, 3))
SECOND = [
    ("inv", lambda a: dnp.sum(W33 * L.inv(a)), s(GOOD, 3, 3)),
    ("solve a and b", lambda v: dnp.sum(W33[0] * L.solve(dnp.reshape(v[:9], (3, 3)), v[9:])),
     np.concatenate([s(GOOD, 3, 3).ravel(), Y3])),
    ("slogdet stack", lambda a: dnp.sum(L.slogdet(a)[1]), s(GOOD, 2, 2, 2)),
    ("det", lambda a: L.det(a), s(GOOD, 3, 3)),
    ("gaussian nll", lambda a: 0.5 * dnp.sum(Y3 * L.solve(a @ a.T + np.eye(3), Y3))
     + dnp.sum(dnp.log(L.diagonal(L.cholesky(a @ a.T + np.eye(3))))), s(GOOD, 3, 3) / 3),
    ("cholesky upper", lambda a: dnp.sum(W33 * L.cholesky(a, upper=True)), S33),
    ("eigh", lambda a: dnp.sum(W33 * L.eigh(a)[1]) + dnp.sum(L.eigh(a)[0] ** 3), SYM33),
    ("eigvalsh", lambda a: dnp.sum(W33[0] * L.eigvalsh(a, "U")), SYM33),
    ("svd", lambda a: dnp.sum(W43 * L.svd(a, full_matrices=False)[0])
     + dnp.sum(W33 * L.svd(a, full_matrices=False)[2]), SEP43),
    ("svd wide", lambda a: dnp.sum(W43.T * L.svd(a, full_matrices=False)[2]), SEP43.T.copy()),
    ("nuclear norm", lambda a: L.norm(a, "nuc"), SEP43),
    ("qr tall", lambda a: dnp.sum(W43 * L.qr(a)[0]) + dnp.sum(W33 * L.qr(a)[1]), SEP43),
    ("qr wide", lambda a: dnp.sum(W43.T * L.qr(a)[1]), SEP43.T.copy()),
    ("pinv", lambda a: dnp.sum(W43.T * L.pinv(a)), SEP43),
    ("matrix_power -2", lambda a: dnp.sum(W33 * L.matrix_power(a, -2)), s(GOOD, 3, 3)),
]


@pytest.mark.parametrize("label, f, x", quick_first(SECOND, lambda e: e[0].split()[0],
                                                    [e[0] for e in SECOND], unpack=True))
def test_second_order_in_the_three_modes(label, f, x):
    shape = np.shape(x)
    flat = f if x.ndim == 1 else _flat(f, shape)
    x0 = np.ravel(x).astype(float)
    H = dn.hessian(flat)(x0)                                   # forward-over-reverse
    ref = central_gradient(lambda v: dn.grad(flat)(v), x0)     # differences of the gradient
    assert_close(H, ref, 1e-5, 1e-6, f"{label} Hessian vs differences of the gradient")
    assert_close(H, H.T, 1e-9, 1e-10, f"{label} Hessian symmetry")
    assert_close(dn.hessian(flat, mode="forward")(x0), H, 1e-10, 1e-11, f"{label} fwd-fwd")
    assert_close(dn.hessian(flat, mode="reverse")(x0), H, 1e-10, 1e-11, f"{label} rev-rev")


def test_a_gradient_wrt_a_stack_matches_one_matrix_at_a_time():
    A = s(GOOD, 4, 3, 3)
    g = dn.grad(lambda a: dnp.sum(L.slogdet(L.inv(a) + np.eye(3)).logabsdet))(A)
    for k in range(4):
        gk = dn.grad(lambda a: L.slogdet(L.inv(a) + np.eye(3)).logabsdet)(A[k])
        np.testing.assert_allclose(g[k], gk, rtol=1e-13, atol=1e-14)
