"""Bad input names the problem; kinks follow the conventions in DESIGN.md (PyTorch's)."""
import numpy as np
import pytest

import dualnum as dn
import dualnum.numpy as dnp
from dualnum import Dual
from dualnum.rules import get_rule


def test_shape_mismatch_names_op_and_shapes():
    a = Dual(np.ones((2, 3)), np.ones((2, 3)))
    with pytest.raises(ValueError, match=r"matmul: shapes \(2, 3\) and \(2, 3\) are not aligned"):
        a @ a
    with pytest.raises(ValueError, match=r"reshape: cannot reshape .*\(2, 3\).* into shape \(4,\)"):
        dnp.reshape(a, (4,))
    with pytest.raises(ValueError, match=r"concatenate: shapes \[\(2, 3\), \(3, 2\)\]"):
        dnp.concatenate([np.ones((2, 3)), Dual(np.ones((3, 2)), np.ones((3, 2)))], axis=0)
    with pytest.raises(ValueError, match=r"Dual: tangent of shape \(3,\) does not match primal"):
        Dual(np.ones(2), np.ones(3))
    with pytest.raises(ValueError, match=r"jvp: tangent 0 .*shape \(3,\).*primal has shape \(2,\)"):
        dn.jvp(lambda x: x, (np.ones(2),), (np.ones(3),))


@pytest.mark.parametrize("wrap", ["plain", "dual", "tape"])
def test_broadcast_mismatch_names_the_elementwise_op_and_both_shapes(wrap):
    a, b = np.ones((3, 4)), np.ones((2, 4))
    if wrap == "dual":
        a = Dual(a, np.ones((3, 4)))
    cases = [
        (lambda x: dnp.add(x, b), r"add: shapes \(3, 4\) and \(2, 4\) cannot be broadcast"),
        (lambda x: dnp.multiply(b, x), r"multiply: shapes \(2, 4\) and \(3, 4\)"),
        (lambda x: dnp.arctan2(x, b), r"arctan2: shapes \(3, 4\) and \(2, 4\)"),
        (lambda x: dnp.power(x, b), r"power: shapes \(3, 4\) and \(2, 4\)"),
        (lambda x: dnp.where(b > 0, x, 0.0), r"where: shapes \(2, 4\), \(3, 4\) and \(\)"),
    ]
    if wrap != "plain":     # the operators of boxes go through the same primitives
        cases += [(lambda x: x - b, r"subtract: shapes \(3, 4\) and \(2, 4\)"),
                  (lambda x: b / x, r"divide: shapes \(2, 4\) and \(3, 4\)")]
    for f, msg in cases:
        with pytest.raises(ValueError, match=msg):
            if wrap == "tape":
                dn.grad(lambda x: dnp.sum(f(x)))(a)
            else:
                f(a)


def test_missing_rule_is_reported_by_name():
    with pytest.raises(dn.NoRuleError, match="no derivative rule for gcd"):
        dn.get_rule("gcd")
    assert not dn.has_rule("gcd") and dn.has_rule("tanh")


@pytest.mark.parametrize("f, x, want", [
    (dnp.relu, 0.0, 0.0), (dnp.abs, 0.0, 0.0), (dnp.heaviside, 0.0, 0.0), (dnp.sign, 0.0, 0.0),
    (lambda x: dnp.maximum(x, 0.0), 0.0, 0.5), (lambda x: dnp.minimum(x, 0.0), 0.0, 0.5),
    (lambda x: dnp.clip(x, 0.0, 1.0), 0.0, 1.0), (lambda x: dnp.clip(x, 0.0, 1.0), 1.0, 1.0),
])
def test_kink_conventions(f, x, want):
    assert dn.derivative(f, x) == want
    assert dn.grad(f)(x) == want


def test_kinks_are_declared_with_their_convention():
    for name in ("relu", "abs", "heaviside", "sign", "maximum", "minimum", "clip", "max", "min"):
        k = get_rule(name).kink
        assert k is not None and k.convention
        assert not get_rule(name).analytic
    assert get_rule("relu").kink.at(np.array([0.0, 1.0])).tolist() == [True, False]
    assert bool(get_rule("max").kink.at(np.array([2.0, 2.0, 1.0])))
    assert get_rule("tanh").kink is None and get_rule("tanh").analytic


def test_max_tie_splits_evenly():
    g = dn.grad(lambda x: dnp.max(x))(np.array([2.0, 2.0, 1.0]))
    np.testing.assert_allclose(g, [0.5, 0.5, 0.0])


def test_power_special_cases():
    # integer exponents are exact at 0, including x**0 and x**1
    assert dn.derivative(lambda x: x ** 2, 0.0) == 0.0
    assert dn.derivative(lambda x: x ** 1, 0.0) == 1.0
    assert dn.derivative(lambda x: x ** 0, 0.0) == 0.0
    assert dn.derivative(lambda x: x ** 3, 0.0) == 0.0
    # negative base with an integer exponent
    assert dn.derivative(lambda x: x ** 3, -2.0) == 12.0
    assert dn.derivative(lambda x: x ** -1, -2.0) == -0.25
    assert dnp.power(-8.0, 3.0) == -512.0
    # a dual exponent: d/dy 2**y = 2**y ln 2; at base 0 the exponent's partial is 0
    assert dn.derivative(lambda y: 2.0 ** y, 3.0) == pytest.approx(8 * np.log(2))
    assert dn.grad(lambda x, y: x ** y, argnums=(0, 1))(0.0, 2.0) == (0.0, 0.0)
    # x**x at 0: the derivative is undefined (-inf from the right): nan, not a silent 0
    assert np.isnan(dn.grad(lambda x: x ** x)(0.0))
    assert np.isnan(dn.derivative(lambda x: x ** x, 0.0))
    assert dn.grad(lambda x: x ** x)(0.5) == pytest.approx(0.5 ** 0.5 * (np.log(0.5) + 1))
    # fractional power of a negative base is nan, as in numpy (never a complex surprise)
    assert np.isnan(dnp.power(-8.0, 1.0 / 3.0))


def test_grad_of_non_scalar_suggests_jacrev():
    with pytest.raises(ValueError, match="jacrev.*vjp"):
        dn.grad(lambda x: x * 2)(np.ones(3))


def test_bad_argnums_and_modes():
    with pytest.raises(ValueError, match="argnums=3"):
        dn.grad(lambda x: x, argnums=3)(1.0)
    with pytest.raises(ValueError, match="unknown mode"):
        dn.gradient(lambda x: x, 1.0, mode="sideways")
    with pytest.raises(ValueError, match="scalar"):
        dn.derivative(lambda x: x, np.ones(2))


def test_an_argument_without_a_partial_raises_no_rule_in_every_mode():
    # where's condition (and the scipy rows' orders) has no partial: boxing it is an error
    # naming the operation in forward mode and on the tape (the sweep met None before)
    from dualnum.rules import where
    f = lambda c: where(c, 1.0, 2.0)
    with pytest.raises(dn.NoRuleError, match="no derivative rule for where"):
        dn.derivative(f, 1.0)
    with pytest.raises(dn.NoRuleError, match="no derivative rule for where"):
        dn.grad(f)(1.0)
    with pytest.raises(dn.NoRuleError, match="no derivative rule for where"):
        dn.grad(lambda c: dnp.sum(where(c, np.ones(2), 0.0)))(np.ones(2))
