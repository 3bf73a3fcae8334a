"""Boxes keep Python's and numpy's contracts: equal objects never hash differently (boxes are
unhashable, as numpy arrays are, since == compares primal values), and a numpy function with
no rule is named as numpy names it, with what to do instead."""

import numpy as np
import pytest

import dualnum as dn
import dualnum.numpy as dnp


def test_duals_and_tape_variables_are_unhashable_like_arrays():
    a, b = dn.Dual(1.0, 1.0), dn.Dual(1.0, 5.0)
    assert a == b                          # == compares the primal values (documented)
    for box in (a, b):
        with pytest.raises(TypeError, match="unhashable type: 'Dual'"):
            hash(box)
        with pytest.raises(TypeError, match="unhashable"):
            dict.fromkeys([box])
    with dn.Tape() as tape:
        v = tape.var(2.0, "x")
        with pytest.raises(TypeError, match="unhashable type: 'TapeVar'"):
            set([v])
        y = v * v
    assert tape.gradient(y, [v]) == [4.0]  # the tape itself never hashed a variable
    with pytest.raises(TypeError, match="unhashable"):
        hash(np.zeros(2))                  # the same contract as numpy's


@pytest.mark.parametrize("call, public, advice", [
    (lambda d: np.linalg.lstsq(d, d), "numpy.linalg.lstsq", "dualnum.numpy.linalg has no lstsq"),
    (lambda d: np.linalg.tensorinv(d), "numpy.linalg.tensorinv",
     "dualnum.numpy.linalg has no tensorinv"),
    (lambda d: np.nanmax(d), "numpy.nanmax", "dualnum.numpy has no nanmax"),
    (lambda d: np.nextafter(d, 2.0), "numpy.nextafter", "dualnum.numpy has no nextafter"),
    (lambda d: np.heaviside(d, 0.5), "numpy.heaviside",
     "dualnum.numpy.heaviside is not numpy's (see its docstring): call it directly"),
])
def test_a_numpy_function_without_a_rule_is_named_as_numpy_names_it(call, public, advice):
    d = dn.Dual(np.array([[2.0, 1.0], [1.0, 3.0]]), np.eye(2))
    with pytest.raises(TypeError) as info:
        call(d)
    msg = str(info.value)
    assert msg.startswith(f"no derivative rule for {public} (called on a Dual): ")
    assert advice in msg and "write it with dualnum.numpy operations" in msg


def test_linalg_functions_with_other_axes_are_not_sent_to_dnp_by_name():
    # np.linalg.trace takes the LAST two axes, np.trace (and dnp.trace) the first two: routing
    # by bare name gave the wrong trace for a 3-D stack
    x = np.arange(12.0).reshape(3, 2, 2)
    d = dn.Dual(x, np.ones_like(x))
    lt = np.linalg.trace(d)                 # dnp.linalg.trace: numpy.linalg's, last two axes
    np.testing.assert_array_equal(lt.primal, np.linalg.trace(x))
    np.testing.assert_array_equal(lt.tangent, [2.0, 2.0, 2.0])
    np.testing.assert_array_equal(np.trace(d).primal, np.trace(x))
    # norm, matmul and tensordot are the same functions under both names
    v = dn.Dual(np.array([3.0, 4.0]), np.array([1.0, 0.0]))
    n = np.linalg.norm(v)
    assert n.primal == 5.0 and n.tangent == pytest.approx(3.0 / 5.0, rel=1e-15)
    m = dn.Dual(np.eye(2), np.ones((2, 2)))
    np.testing.assert_array_equal(np.linalg.matmul(m, m).tangent, 2 * np.ones((2, 2)))


def test_ufunc_keywords_the_rules_do_not_apply_are_refused():
    d = dn.Dual(np.array([0.5, 2.0]), np.ones(2))
    with pytest.raises(TypeError, match=r"numpy.exp on a Dual: keyword argument\(s\) where"):
        np.exp(d, where=np.array([True, False]))
    r = np.reciprocal(d)                      # a dnp composite under numpy's name
    np.testing.assert_allclose(r.tangent, -1 / np.array([0.5, 2.0]) ** 2)
    assert np.fmax(d, 1.0).primal.tolist() == [1.0, 2.0]
    assert dnp.sum(np.exp(d)).primal == pytest.approx(np.exp(0.5) + np.exp(2.0))
