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
