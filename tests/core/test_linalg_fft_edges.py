"""Edge inputs of dnp.linalg and dnp.fft that an adversarial probe found answered unlike
numpy (session 6): each case is compared with numpy itself, or with central differences."""
from __future__ import annotations

import numpy as np
import pytest
import sympy

import dualnum as dn
import dualnum.numpy as dnp

from .refs import central_jacobian

SINGULAR = np.array([[1.0, 2.0], [2.0, 4.0]])


@pytest.mark.parametrize("p", [1, -1, "fro", np.inf, -np.inf, None, 2, -2])
def test_cond_of_plain_arrays_is_numpys_also_where_singular(p):
    for x in (SINGULAR, np.stack([SINGULAR, np.eye(2)]), np.array([[2.0, 1.0], [0.5, 3.0]])):
        np.testing.assert_allclose(dnp.linalg.cond(x, p), np.linalg.cond(x, p), rtol=1e-12)


def test_cond_of_a_singular_box_names_cond_and_a_regular_one_differentiates():
    with pytest.raises(np.linalg.LinAlgError, match="cond: .* singular"):
        dn.grad(lambda A: dnp.linalg.cond(A, 1))(SINGULAR)
    A = np.array([[2.0, 1.0], [0.3, 3.0]])
    for p in (1, "fro", np.inf):
        (want,) = central_jacobian(lambda a: np.linalg.cond(a, p), [A], [0])
        np.testing.assert_allclose(dn.grad(lambda a: dnp.linalg.cond(a, p))(A), want,
                                   rtol=1e-6, atol=1e-8)


def test_norm_takes_any_axis_int_takes_as_numpy_and_names_the_rest():
    x = np.arange(6.0).reshape(2, 3)
    np.testing.assert_allclose(dnp.linalg.norm(x, axis=1.0), np.linalg.norm(x, axis=1.0))
    np.testing.assert_allclose(dnp.linalg.norm(x, axis=np.int64(0)), np.linalg.norm(x, axis=0))
    for bad in ("a", [0, 1]):
        with pytest.raises(TypeError, match="norm: 'axis' must be None, an integer or a tuple"):
            dnp.linalg.norm(x, axis=bad)


def test_matrix_power_zero_keeps_the_dtype_of_a_plain_array():
    for a in (np.array([[2, 0], [0, 4]]), np.array([[2.0, 1.0], [0.0, 4.0]])):
        got, want = dnp.linalg.matrix_power(a, 0), np.linalg.matrix_power(a, 0)
        assert got.dtype == want.dtype
        np.testing.assert_array_equal(got, want)


@pytest.mark.parametrize("name", ["rfft", "ihfft", "rfftn", "rfft2"])
def test_real_transforms_refuse_complex_entries_of_object_arrays(name):
    z = np.array([[1j, 2, 3], [1, 2, 3]], dtype=object)
    with pytest.raises(TypeError, match=f"{name}: the input is complex"):
        getattr(dnp.fft, name)(z if name.endswith(("n", "2")) else z[0])
    x = sympy.Symbol("x")
    with pytest.raises(TypeError, match=f"{name}: the input is complex"):
        getattr(dnp.fft, name)(np.array([[x * sympy.I, 2, 3]] * 2, dtype=object)
                               if name.endswith(("n", "2")) else
                               np.array([x * sympy.I, 2, 3], dtype=object))
    # a real symbol stays allowed, and gives the DFT's sums
    got = dnp.fft.rfft(np.array([x, 2, 3], dtype=object))
    assert sympy.simplify(got[0] - (x + 5)) == 0


@pytest.mark.parametrize("call, message", [
    (lambda: dnp.fft.fftn(np.ones((3, 4)), norm="bogus"), "fftn: invalid norm"),
    (lambda: dnp.fft.irfft2(np.ones((3, 4)), norm="x"), "irfft2: invalid norm"),
    (lambda: dnp.fft.rfft2(np.ones((3, 4)), s=(0, 2)), r"rfft2: invalid number of FFT data "
                                                        r"points \(0\) for axis -2 in s"),
    (lambda: dnp.fft.irfft2(np.ones((1, 2)), axes=(0,)), r"irfft2: .*\(0\) for axis 0 .*"
                                                          r"give s"),
])
def test_multi_axis_transforms_name_themselves_in_their_errors(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_a_bool_length_is_refused():
    # numpy refuses n=True in fft, ifft, irfft and hfft ("an integer is required") and takes
    # it as 1 in rfft and ihfft; dnp refuses it in all six
    for name in ("fft", "ifft", "rfft", "irfft", "hfft", "ihfft"):
        with pytest.raises(TypeError, match=f"{name}: n must be an integer"):
            getattr(dnp.fft, name)(np.ones(4), n=True)
    with pytest.raises(TypeError, match="fftn: s must be a sequence of integers"):
        dnp.fft.fftn(np.ones((3, 4)), s=(True, 2), axes=(0, 1))


# ---- pinv with a cutoff that drops nonzero singular values: the truncation turns with A

def _dropped_nonzero(A, r):
    s = np.linalg.svd(A, compute_uv=False)
    return bool(np.any((s <= r * s.max(axis=-1, keepdims=True)) & (s > 1e-8)))


def _with_singular_values(m, n, s, seed):
    """A random m×n matrix whose singular values are ``s`` (min(m, n) of them)."""
    rng = np.random.default_rng(seed)
    U = np.linalg.qr(rng.normal(size=(m, len(s))))[0]
    V = np.linalg.qr(rng.normal(size=(n, len(s))))[0]
    return (U * s) @ V.T


PINV_CASES = [
    ("diag", np.diag([3.0, 1.0]), {"rcond": 0.5}),
    ("tall", _with_singular_values(5, 3, [3.0, 2.0, 0.6], 61), {"rcond": 0.5}),
    ("wide", _with_singular_values(3, 5, [2.5, 0.9, 0.4], 62), {"rtol": 0.5}),
    ("square", _with_singular_values(4, 4, [4.0, 3.0, 1.0, 0.5], 63), {"rtol": 0.3}),
    ("stack", np.stack([_with_singular_values(5, 3, [3.0, 2.0, 0.6], 64),      # drops one
                        _with_singular_values(5, 3, [3.0, 1.0, 0.5], 66)]),   # drops two
     {"rcond": 0.5}),
    ("hermitian", (lambda Q: (Q * [3.0, -2.5, 0.7, -0.2]) @ Q.T)(
        np.linalg.qr(np.random.default_rng(65).normal(size=(4, 4)))[0]),
     {"rcond": 0.4, "hermitian": True}),
    ("rank-deficient", _with_singular_values(4, 3, [2.0, 1.0, 0.0], 67) + 0.0,
     {"rcond": 0.6}),
]


@pytest.mark.parametrize("label, A, kw", PINV_CASES, ids=[c[0] for c in PINV_CASES])
def test_pinv_with_a_truncating_cutoff_against_central_differences(label, A, kw):
    r = kw.get("rcond", kw.get("rtol"))
    assert _dropped_nonzero(A if not kw.get("hermitian") else np.tril(A) + np.tril(A, -1).T,
                            r), "the case must drop a nonzero singular value"
    (want,) = central_jacobian(lambda a: np.linalg.pinv(a, **kw), [A], [0], h=1e-6)
    f = lambda a: dnp.linalg.pinv(a, **kw)                       # noqa: E731
    for J in (dn.jacfwd(f)(A), dn.jacrev(f)(A)):
        np.testing.assert_allclose(J, want, rtol=1e-6, atol=1e-7)
    G = np.random.default_rng(7).normal(size=np.linalg.pinv(A, **kw).shape)
    g = dn.grad(lambda a: dnp.sum(dnp.linalg.pinv(a, **kw) * G))(A)
    np.testing.assert_allclose(g, np.tensordot(G, want, axes=G.ndim), rtol=1e-6, atol=1e-7)


def test_pinv_truncation_second_order_is_refused_by_name():
    with pytest.raises(NotImplementedError, match="pinv: the cutoff .* drops a nonzero"):
        dn.hessian(lambda X: dnp.sum(dnp.linalg.pinv(X, rcond=0.5)))(np.diag([3.0, 1.0]))
    # without truncation the second order still differentiates (against differences)
    A = np.array([[2.0, 0.3], [0.1, 1.5], [0.4, 0.2]])
    H = dn.hessian(lambda X: dnp.sum(dnp.linalg.pinv(X) ** 2))(A)
    g = lambda a: dn.grad(lambda X: dnp.sum(dnp.linalg.pinv(X) ** 2))(a)   # noqa: E731
    (want,) = central_jacobian(g, [A], [0], h=1e-5)
    np.testing.assert_allclose(H, want, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("f, name", [
    (lambda z: dnp.linalg.norm(z, "nuc"), "norm: ord='nuc'"),
    (lambda z: dnp.linalg.norm(z, 2), "norm: ord=2"),
    (lambda z: dnp.linalg.cond(z), "cond: p=None"),
])
def test_singular_values_of_a_complex_box_are_refused_by_the_function_called(f, name):
    Z = np.array([[1 + 1j, 2.0], [0.0, 1j]])
    np.testing.assert_allclose(f(Z), {"norm: ord='nuc'": np.linalg.norm(Z, "nuc"),
                                      "norm: ord=2": np.linalg.norm(Z, 2),
                                      "cond: p=None": np.linalg.cond(Z)}[name])
    for mode in (lambda: dn.jvp(f, (Z,), (Z,)), lambda: dn.grad(lambda z: f(z))(Z)):
        with pytest.raises(NotImplementedError, match=name):
            mode()


def test_graded_spectra_keep_apart_what_lapack_keeps_apart():
    # diagonal matrices: the derivatives are e_i e_iᵀ exactly (central differences agree)
    A = np.diag([1.0, 1.00001, 1e9])
    D = np.diag([1e14, 1.0])
    np.testing.assert_allclose(dn.grad(lambda a: dnp.linalg.eigvalsh(a)[0])(A).diagonal(),
                               [1.0, 0.0, 0.0], atol=1e-12)
    np.testing.assert_allclose(dn.grad(lambda a: dnp.linalg.svdvals(a)[1])(D),
                               [[0.0, 0.0], [0.0, 1.0]], atol=1e-12)
    assert np.linalg.matrix_rank(D) == 2
    np.testing.assert_allclose(dn.grad(lambda a: dnp.linalg.qr(a).R[1, 1])(D),
                               [[0.0, 0.0], [0.0, 1.0]], atol=1e-12)
    dn.grad(lambda a: dnp.linalg.svd(a).U[0, 0])(D)          # no DegenerateSpectrumError
    # an exact tie still counts as one, and so does a singular value numpy calls zero
    with pytest.raises(np.linalg.LinAlgError, match="eigh: eigenvalues 0 and 1 coincide"):
        dn.grad(lambda a: dnp.linalg.eigh(a).eigenvectors[0, 0])(np.eye(3))
    np.testing.assert_allclose(dn.grad(lambda a: dnp.linalg.svdvals(a)[1])(np.diag([1e16, 1.0])),
                               0.0)
    assert np.linalg.matrix_rank(np.diag([1e16, 1.0])) == 1
