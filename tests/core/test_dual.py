"""The Dual type: operators, numpy protocols, conversions, printing."""
import math

import numpy as np
import pytest

import dualnum as dn
import dualnum.numpy as dnp
from dualnum import Dual


def test_operators_with_scalars_and_arrays_on_either_side():
    d = Dual(2.0, 1.0)
    for expr, val, tan in [
        (d + 1, 3.0, 1.0), (1 + d, 3.0, 1.0), (d - 1, 1.0, 1.0), (1 - d, -1.0, -1.0),
        (3 * d, 6.0, 3.0), (d * 3, 6.0, 3.0), (d / 4, 0.5, 0.25), (4 / d, 2.0, -1.0),
        (d ** 3, 8.0, 12.0), (2 ** d, 4.0, 4 * math.log(2)), (-d, -2.0, -1.0), (+d, 2.0, 1.0),
        (abs(Dual(-2.0, 1.0)), 2.0, -1.0), (np.float64(3.0) * d, 6.0, 3.0),
    ]:
        assert expr.primal == pytest.approx(val) and expr.tangent == pytest.approx(tan)


def test_ndarray_on_the_left():
    A = np.array([[1.0, 2.0], [3.0, 4.0]])
    x = Dual(np.array([1.0, 1.0]), np.array([1.0, 0.0]))
    y = A @ x
    assert isinstance(y, Dual)
    np.testing.assert_allclose(y.primal, [3.0, 7.0])
    np.testing.assert_allclose(y.tangent, [1.0, 3.0])
    z = np.ones(2) + x
    np.testing.assert_allclose(z.tangent, [1.0, 0.0])
    w = np.array([2.0, 3.0]) * x
    np.testing.assert_allclose(w.tangent, [2.0, 0.0])


def test_numpy_protocols():
    d = Dual(0.0, 1.0)
    e = np.exp(d)
    assert e.primal == 1.0 and e.tangent == 1.0
    m = Dual(np.arange(6.0).reshape(2, 3), np.ones((2, 3)))
    s = np.sum(m, axis=0)
    np.testing.assert_allclose(s.primal, [3.0, 5.0, 7.0])
    np.testing.assert_allclose(s.tangent, [2.0, 2.0, 2.0])
    t = np.tanh(m)
    np.testing.assert_allclose(t.tangent, 1 - np.tanh(m.primal) ** 2)
    assert np.mean(m).primal == 2.5
    with pytest.raises(TypeError, match="no derivative rule for numpy.nextafter"):
        np.nextafter(m, 2.0)


def test_array_access():
    m = Dual(np.arange(6.0).reshape(2, 3), np.arange(6.0).reshape(2, 3) * 10)
    assert m.shape == (2, 3) and m.ndim == 2 and m.size == 6 and len(m) == 2
    assert m.T.shape == (3, 2)
    assert m[1, 2].primal == 5.0 and m[1, 2].tangent == 50.0
    np.testing.assert_allclose(m[:, 1].tangent, [10.0, 40.0])
    np.testing.assert_allclose(m[[1, 0], [0, 0]].primal, [3.0, 0.0])
    rows = list(m)
    assert len(rows) == 2 and rows[1].tangent[0] == 30.0


def test_comparisons_are_on_primals():
    a, b = Dual(1.0, 1.0), Dual(1.0, 5.0)
    assert a == b                     # documented: == compares primal values only
    assert a <= b and not a < b and Dual(2.0, 0.0) > a and a != Dual(2.0, 1.0)
    assert (Dual(np.array([1.0, 3.0]), np.ones(2)) > 2.0).tolist() == [False, True]


def test_no_silent_float_conversion():
    assert not hasattr(Dual, "__float__") and not hasattr(Dual, "__index__")
    with pytest.raises(TypeError, match="Dual"):
        float(Dual(2.0, 1.0))
    with pytest.raises(TypeError, match="Dual"):
        math.sin(Dual(2.0, 1.0))
    with pytest.raises(TypeError, match="Dual"):
        [1, 2][Dual(1.0, 0.0)]
    with pytest.raises(TypeError, match="drop its derivative"):
        np.asarray(Dual(np.ones(2), np.ones(2)))


def test_repr():
    assert repr(Dual(2.0, 1.0)) == "2.0 + 1.0ε"
    assert repr(Dual(2.0, -0.5)) == "2.0 - 0.5ε"
    assert "tangent" in repr(Dual(np.ones(2), np.zeros(2)))


def test_complex_primal():
    d = Dual(1.0 + 2.0j, 1.0)
    e = dnp.exp(d)
    assert e.primal == pytest.approx(np.exp(1 + 2j)) and e.tangent == pytest.approx(np.exp(1 + 2j))
    assert dn.derivative(lambda z: z * z, 1.0 + 1.0j) == pytest.approx(2 + 2j)


def test_int_inputs_become_float64():
    assert dn.derivative(lambda x: x ** 2, 3) == 6.0
    J = dn.jacfwd(lambda x: x * 2)(np.array([1, 2]))
    assert J.dtype == np.float64
    d = Dual(np.array([1, 2]), np.array([1, 1]))
    assert d.primal.dtype == np.float64
