"""The LU that ``det`` and ``slogdet`` keep on the tape (``dualnum.rules._lu``, the rows'
``saves`` column): the values are numpy's, the gradients are the closed forms computed here
with numpy alone (``∇ log|det A| = A⁻ᵀ``, ``∇ det A = det A · A⁻ᵀ``) and central differences,
on matrices whose LU pivots and whose determinant is negative; a singular or non-finite matrix
keeps numpy's value and error; without scipy the rows compute as before; the kept factors
never show in ``Tape.entries`` and survive a second sweep.
"""
from __future__ import annotations

import importlib

import numpy as np
import pytest

import dualnum as dn
import dualnum.numpy as dnp
from dualnum.primitive import SAVED, unbox_all

from .refs import central_jacobian

_lu = importlib.import_module("dualnum.rules._lu")
HAS_SCIPY = _lu.lapack() is not None
needs_scipy = pytest.mark.skipif(not HAS_SCIPY, reason="the kept LU needs scipy's LAPACK")


def _matrix(n: int, seed: int, flip: bool = False) -> np.ndarray:
    """A well-conditioned n×n matrix whose LU pivots (a permuted diagonal-heavy matrix);
    det < 0 exactly when ``flip`` (one row negated if the permutation's sign disagrees)."""
    rng = np.random.default_rng(seed)
    A = rng.normal(size=(n, n)) + 2.0 * np.sqrt(n) * np.eye(n)
    A = A[rng.permutation(n)]
    if (np.linalg.det(A) < 0) != flip:
        A[0] *= -1.0
    return A


def _logabsdet(A):
    return dnp.linalg.slogdet(A).logabsdet


def _kept(f, A) -> list:
    """The keywords of the tape's entries that kept something (the tape as recorded)."""
    with dn.Tape() as t:
        x = t.var(A)
        f(x)
    return [row[3] for row in t._rows if SAVED in row[3]]


CASES = [(16, 1, False), (16, 2, True), (33, 3, True), (64, 4, False)]


@needs_scipy
@pytest.mark.parametrize("n, seed, flip", CASES)
def test_slogdet_on_the_kept_lu_gives_numpys_value_and_the_inverse_transpose(n, seed, flip):
    A = _matrix(n, seed, flip)
    sign, logabs = np.linalg.slogdet(A)
    assert _kept(lambda x: dnp.linalg.slogdet(x), A), "the tape kept no LU"
    with dn.Tape() as t:
        x = t.var(A)
        p = dnp.linalg.slogdet(x)
        y = p.logabsdet
    assert float(unbox_all(p.sign)) == sign
    np.testing.assert_allclose(y.value, logabs, rtol=1e-14, atol=1e-14)
    (g,) = t.gradient(y, [x])
    np.testing.assert_allclose(g, np.linalg.inv(A).T, rtol=1e-11, atol=1e-14)
    # a second sweep of the same tape reads the same (unchanged) factors
    (g2,) = t.gradient(y, [x])
    np.testing.assert_array_equal(g, g2)


@needs_scipy
@pytest.mark.parametrize("n, seed, flip", CASES[:3])
def test_det_on_the_kept_lu_gives_numpys_value_and_det_times_the_inverse_transpose(
        n, seed, flip):
    A = _matrix(n, seed, flip) / np.sqrt(n)         # |det| of moderate size
    d = np.linalg.det(A)
    assert (d < 0) == flip
    assert _kept(dnp.linalg.det, A)
    value, g = dn.value_and_grad(dnp.linalg.det)(A)
    np.testing.assert_allclose(value, d, rtol=1e-13)
    np.testing.assert_allclose(g, d * np.linalg.inv(A).T, rtol=1e-10, atol=1e-12 * abs(d))
    # a cotangent other than 1 scales the kept inverse
    np.testing.assert_allclose(dn.grad(lambda a: 3.0 * dnp.linalg.det(a))(A), 3.0 * g,
                               rtol=1e-13, atol=1e-13 * abs(d))


@needs_scipy
def test_the_kept_lu_against_central_differences():
    A = _matrix(16, 7, flip=True)
    for f in (_logabsdet, dnp.linalg.det):
        (want,) = central_jacobian(lambda a: np.asarray(f(a)), [A], [0], h=1e-6)
        np.testing.assert_allclose(dn.grad(f)(A), want, rtol=1e-6, atol=1e-7 * np.abs(
            want).max())


@needs_scipy
def test_jacrev_of_the_packed_pair_reads_the_kept_lu():
    from dualnum.rules import slogdet
    A = _matrix(20, 8, flip=True)
    J = dn.jacrev(slogdet)(A)                       # (2, n, n): sign row 0, log|det| row 1
    assert J.shape == (2, 20, 20)
    np.testing.assert_array_equal(J[0], 0.0)
    np.testing.assert_allclose(J[1], np.linalg.inv(A).T, rtol=1e-11, atol=1e-14)


@needs_scipy
def test_second_order_does_not_read_a_first_order_lu():
    # d²/dA² log|det A| [i j, k l] = −(A⁻¹)_{j k} (A⁻¹)_{l i}
    A = _matrix(16, 9)
    Ai = np.linalg.inv(A)
    want = -np.einsum("jk,li->ijkl", Ai, Ai)
    for mode in ("reverse", "forward"):
        H = dn.hessian(_logabsdet, mode=mode)(A)
        np.testing.assert_allclose(H, want, rtol=1e-9, atol=1e-12, err_msg=mode)


def test_a_singular_matrix_keeps_numpys_value_and_names_the_derivative():
    A = _matrix(20, 10)
    A[3] = 0.0                                      # exactly singular: a zero pivot
    assert not _kept(lambda x: dnp.linalg.slogdet(x), A)
    sign, logabs = np.linalg.slogdet(A)
    value = dnp.linalg.slogdet(A)
    assert float(value.sign) == sign and float(value.logabsdet) == logabs
    with pytest.raises(np.linalg.LinAlgError, match="slogdet: the derivative needs A⁻¹"):
        dn.grad(_logabsdet)(A)
    # det's derivative there is the adjugate's transpose: only row 3's cofactors survive
    g = dn.grad(dnp.linalg.det)(A)
    assert np.abs(np.delete(g, 3, axis=0)).max() <= 1e-12 * np.abs(g[3]).max()
    B = A.copy()
    B[3] = 1.0                              # det is linear in row 3: its gradient is det(B)...
    np.testing.assert_allclose(g[3].sum(), np.linalg.det(B), rtol=1e-9)


def test_a_non_finite_matrix_keeps_numpys_value():
    A = _matrix(20, 11)
    A[2, 2] = np.nan
    with np.errstate(invalid="ignore"):
        assert not _kept(lambda x: dnp.linalg.slogdet(x), A)
        want = np.linalg.slogdet(A)
        with dn.Tape() as t:
            p = dnp.linalg.slogdet(t.var(A))
    assert np.isnan(want.logabsdet) and np.isnan(float(unbox_all(p.logabsdet)))


def test_small_matrices_and_stacks_take_numpys_path():
    assert not _kept(lambda x: dnp.linalg.slogdet(x), _matrix(_lu.MIN_N - 1, 12))
    stack = np.stack([_matrix(20, 13), _matrix(20, 14, flip=True)])
    assert not _kept(lambda x: dnp.linalg.slogdet(x), stack)
    g = dn.grad(lambda a: dnp.sum(dnp.linalg.slogdet(a).logabsdet))(stack)
    np.testing.assert_allclose(g, np.linalg.inv(stack).swapaxes(-1, -2), rtol=1e-11,
                               atol=1e-14)


def test_without_scipy_the_rows_compute_as_before(monkeypatch):
    monkeypatch.setattr(_lu, "_lapack", None)
    A = _matrix(24, 15, flip=True)
    assert not _kept(lambda x: dnp.linalg.slogdet(x), A)
    np.testing.assert_allclose(dn.grad(_logabsdet)(A), np.linalg.inv(A).T, rtol=1e-11,
                               atol=1e-14)
    d = np.linalg.det(A)
    np.testing.assert_allclose(dn.grad(dnp.linalg.det)(A), d * np.linalg.inv(A).T,
                               rtol=1e-10, atol=1e-12 * abs(d))


@needs_scipy
def test_the_kept_factors_stay_out_of_the_entries():
    A = _matrix(16, 16)
    with dn.Tape() as t:
        x = t.var(A)
        dnp.linalg.slogdet(x)
    assert any(SAVED in row[3] for row in t._rows)
    assert all(SAVED not in e.kwargs for e in t.entries)


def test_a_non_finite_matrix_warns_as_numpy_does_once():
    import warnings
    A = _matrix(20, 17)
    A[4, 1] = np.nan
    for name in ("det", "slogdet"):
        with warnings.catch_warnings(record=True) as want:
            warnings.simplefilter("always")
            getattr(np.linalg, name)(A)
        with warnings.catch_warnings(record=True) as got:
            warnings.simplefilter("always")
            with dn.Tape() as t:
                getattr(dnp.linalg, name)(t.var(A))
        assert [str(w.message) for w in got] == [str(w.message) for w in want], name
