"""The references against derivatives known in closed form (never against dualnum's rules)."""

import time

import numpy as np
import pytest

from dualnum.comparisons import finite_differences as fd
from dualnum.comparisons.references import (
    EPS,
    Refused,
    central_difference,
    complex_step,
    forward_difference,
    richardson,
    symbolic_formulas,
    symbolic_hessian,
    symbolic_jacobian,
)

X3 = np.array([0.7, -1.3, 2.0])


def expsin(x):
    return np.exp(x) * np.sin(x)


def expsin_prime(x):
    return np.exp(x) * (np.sin(x) + np.cos(x))


def lepetit_np(x):
    return np.log(x[0]) + x[0] * x[1] - np.sin(x[1])


def poly(x):  # works on floats and on sympy object arrays alike
    return x[0] ** 3 * x[1] - 2 * x[1] ** 2 / x[0] + 7


def poly_grad(x):
    return np.array([3 * x[0] ** 2 * x[1] + 2 * x[1] ** 2 / x[0] ** 2, x[0] ** 3 - 4 * x[1] / x[0]])


FINITE = [
    (forward_difference, 1e-6),
    (central_difference, 1e-9),
    (richardson, 1e-12),
    (lambda f, x: complex_step(f, x, assume_analytic=True), 1e-15),
]


@pytest.mark.parametrize("method,rtol", FINITE)
def test_elementwise_jacobian_is_diagonal(method, rtol):
    est = method(expsin, X3)
    assert est.value.shape == (3, 3)
    np.testing.assert_allclose(est.value, np.diag(expsin_prime(X3)), rtol=rtol, atol=rtol)


@pytest.mark.parametrize("method,rtol", FINITE)
def test_polynomial_gradient(method, rtol):
    x = np.array([1.5, -0.5])
    est = method(poly, x)
    assert est.value.shape == (2,)
    np.testing.assert_allclose(est.value, poly_grad(x), rtol=rtol, atol=rtol)


@pytest.mark.parametrize("method,rtol", FINITE)
def test_lepetit_worked_values(method, rtol):
    est = method(lepetit_np, np.array([2.0, 5.0]))
    assert est.value[0] == pytest.approx(5.5, rel=rtol)
    assert est.value[1] == pytest.approx(5 * 0 + 2.0 - np.cos(5.0), rel=rtol)
    assert round(float(est.value[1]), 3) == 1.716


@pytest.mark.parametrize("method", [forward_difference, central_difference, richardson])
def test_error_estimate_bounds_actual_error(method):
    for x0 in [0.3, 1.0, 3.0, -4.0, 10.0]:
        est = method(lambda x: np.exp(x) * np.sin(x), np.array(x0))
        actual = abs(float(est.value) - expsin_prime(x0))
        assert actual <= float(est.error), (method.__name__, x0, actual, est.error)
        assert float(est.error) < 1e3 * max(actual, 1e-14) + 1e-7


def test_richardson_reaches_1e_10_relative_on_smooth_cases():
    cases = [
        (np.exp, np.exp, 2.0),
        (np.tanh, lambda x: 1 - np.tanh(x) ** 2, 0.4),
        (lambda x: 1 / (1 + np.exp(-x)), lambda x: np.exp(-x) / (1 + np.exp(-x)) ** 2, -1.2),
        (lambda x: x ** 7 - 3 * x, lambda x: 7 * x ** 6 - 3, 1.7),
        (np.log, lambda x: 1 / x, 0.05),  # probes must stay in the domain
    ]
    for f, df, x0 in cases:
        est = richardson(f, np.array(x0))
        assert abs(float(est.value) - df(x0)) <= 1e-10 * abs(df(x0))
        assert float(est.error) <= 1e-10 * abs(df(x0))


def test_central_difference_error_is_smallest_near_eps_two_thirds():
    sweep = fd.step_sweep(np.exp, np.array([1.0]), steps=np.logspace(-1, -13, 49))
    err_c = np.abs(np.array(sweep["central"]) - np.e)
    err_f = np.abs(np.array(sweep["forward"]) - np.e)
    steps = np.array(sweep["steps"])
    best = int(np.argmin(err_c))
    # optimum step ~ eps^(1/3) ≈ 6e-6 and optimum error ~ eps^(2/3) ≈ 4e-11
    assert 1e-7 <= steps[best] <= 1e-4
    assert EPS ** (2 / 3) / 100 <= err_c[best] <= 100 * EPS ** (2 / 3)
    # truncation dominates at large h (error ∝ h²), round-off at small h (error ∝ 1/h)
    assert err_c[0] > 1e-4 and err_c[-1] > 1e-5
    # forward difference bottoms out near sqrt(eps)
    assert np.sqrt(EPS) / 100 <= err_f.min() <= 100 * np.sqrt(EPS)
    # the default central step lands near the optimum
    assert abs(float(central_difference(np.exp, np.array(1.0)).value) - np.e) < 1e-9


def test_vector_output_jacobian_shape_and_values():
    def f(x):
        return np.array([[x[0] * x[1], np.sin(x[0])], [x[1] ** 2, x[0] + x[1]]])

    x = np.array([0.3, 2.0])
    want = np.zeros((2, 2, 2))
    want[0, 0] = [2.0, 0.3]
    want[0, 1] = [np.cos(0.3), 0.0]
    want[1, 0] = [0.0, 4.0]
    want[1, 1] = [1.0, 1.0]
    for method in [central_difference, richardson]:
        np.testing.assert_allclose(method(f, x).value, want, atol=1e-9)
    # np.sin does not run on sympy symbols: the same function through dualnum.numpy does
    dnp = pytest.importorskip("dualnum.numpy")

    def g(x):
        return dnp.stack([dnp.stack([x[0] * x[1], dnp.sin(x[0])]),
                          dnp.stack([x[1] ** 2, x[0] + x[1]])])

    np.testing.assert_allclose(symbolic_jacobian(g, x).value, want, rtol=1e-15, atol=1e-15)


def test_complex_step_refuses_code_that_drops_the_imaginary_part():
    with pytest.raises(Refused, match="imaginary"):
        fd.complex_step(lambda x: np.real(x) ** 2, np.array([1.0]))


def test_bad_points_are_named():
    with pytest.raises(ValueError, match="non-finite"):
        central_difference(np.exp, np.array([np.nan]))
    with pytest.raises(TypeError, match="real numbers"):
        central_difference(np.exp, "two")


def test_symbolic_jacobian_and_hessian_on_a_polynomial():
    x = np.array([1.5, -0.5])
    est = symbolic_jacobian(poly, x)
    np.testing.assert_allclose(est.value, poly_grad(x), rtol=1e-14)
    assert est.method == "symbolic" and np.all(est.error < 1e-12)
    hes = symbolic_hessian(poly, x)
    a, b = x
    want = np.array(
        [[6 * a * b - 4 * b ** 2 / a ** 3, 3 * a ** 2 + 4 * b / a ** 2],
         [3 * a ** 2 + 4 * b / a ** 2, -4 / a]]
    )
    np.testing.assert_allclose(hes.value, want, rtol=1e-13)


@pytest.mark.slow   # runs sympy up to its budget
def test_symbolic_budget_refuses_with_the_size():
    def big(x):
        y = x
        for _ in range(6):
            y = np.array([y[0] * y[1] + y[1], y[0] - y[1] * y[0]], dtype=object)
        return y[0] * y[1]

    with pytest.raises(Refused, match=r"skipped: too large for symbolic \(\d+ ops\)"):
        symbolic_jacobian(big, np.array([0.5, 0.25]), max_ops=500)
    # within budget it answers, and matches central differences
    est = symbolic_jacobian(big, np.array([0.5, 0.25]), max_ops=10**7)
    ref = richardson(big, np.array([0.5, 0.25]))
    np.testing.assert_allclose(est.value, ref.value, rtol=1e-9)


def test_symbolic_refuses_functions_that_cannot_take_symbols():
    with pytest.raises(Refused, match="cannot run on sympy symbols"):
        symbolic_jacobian(lambda x: float(x[0]) ** 2, np.array([1.0, 2.0]))


def test_symbolic_formulas_of_rousseau_quadratic():
    fm = symbolic_formulas(lambda v: 1.5 * v[0] ** 2 + v[1] ** 2 + 2, ["x", "y"], order=2)
    x, y = fm.symbols
    assert fm.partials["x"] == 3.0 * x
    assert fm.partials["y"] == 2 * y
    assert fm.second[("x", "x")] == 3.0 and fm.second[("x", "y")] == 0


core = pytest.importorskip  # the tests below need dualnum.numpy (the polymorphic namespace)


def test_complex_step_refuses_abs_and_names_it():
    dnp = core("dualnum.numpy")
    with pytest.raises(Refused, match="non-analytic op.*abs"):
        complex_step(lambda x: dnp.abs(x).sum() * 2.0, np.array([1.0, -2.0]))
    with pytest.raises(Refused, match="relu"):
        complex_step(lambda x: dnp.relu(x).sum(), np.array([1.0, -2.0]))


def test_symbolic_on_the_notes_examples_through_dnp():
    dnp = core("dualnum.numpy")
    f = lambda x: dnp.log(x[0]) + x[0] * x[1] - dnp.sin(x[1])
    est = symbolic_jacobian(f, np.array([2.0, 5.0]))
    np.testing.assert_allclose(est.value, [5.5, 2.0 - np.cos(5.0)], rtol=1e-15)
    g = lambda x: dnp.exp(x) * dnp.sin(x)
    np.testing.assert_allclose(symbolic_jacobian(g, X3).value, np.diag(expsin_prime(X3)),
                               rtol=1e-14, atol=1e-15)
    e = complex_step(f, np.array([2.0, 5.0]))
    np.testing.assert_allclose(e.value, [5.5, 2.0 - np.cos(5.0)], rtol=1e-15)


@pytest.mark.slow   # a timing check of sympy
def test_symbolic_differentiates_max_pooling_quickly():
    # d/dx_i max(x) = 1 at the (unique) argmax, 0 elsewhere; sympy writes it with Heaviside,
    # whose numpy printing once took ~25 s for one 2×2 pooling layer
    dnp = core("dualnum.numpy")
    x = np.array([0.3, -1.2, 2.5, 0.7, 1.1, -0.4, 0.9, 2.0, -2.2, 0.1, 1.9, 0.5, -0.8, 1.4, 0.2,
                  -1.6])
    windows = x.reshape(4, 4)

    def pool(v):
        w = dnp.reshape(v, (2, 2, 2, 2))  # rows (i, di), cols (j, dj): window (i, j)
        return dnp.sum(dnp.max(w, axis=(1, 3)) * np.array([[1.0, -2.0], [0.5, 3.0]]))

    t0 = time.process_time()
    est = symbolic_jacobian(pool, x, timeout=5.0)
    assert time.process_time() - t0 < 2.0
    want = np.zeros((4, 4))
    weights = np.array([[1.0, -2.0], [0.5, 3.0]])
    for i in range(2):
        for j in range(2):
            win = windows[2 * i:2 * i + 2, 2 * j:2 * j + 2]
            a, b = np.unravel_index(np.argmax(win), (2, 2))
            want[2 * i + a, 2 * j + b] = weights[i, j]
    np.testing.assert_array_equal(est.value, want.reshape(-1))


def test_central_hessian_against_closed_form():
    x = np.array([1.5, -0.5])
    a, b = x
    want = np.array([[6 * a * b - 4 * b ** 2 / a ** 3, 3 * a ** 2 + 4 * b / a ** 2],
                     [3 * a ** 2 + 4 * b / a ** 2, -4 / a]])
    est = fd.central_hessian(poly, x)
    np.testing.assert_allclose(est.value, want, rtol=1e-7, atol=1e-7)
    assert np.all(np.abs(est.value - want) <= est.error)   # the estimate bounds the error
    g = fd.central_hessian(lambda z: np.exp(z[0]) * np.sin(z[1]), np.array([0.3, 1.1]))
    e, s, c = np.exp(0.3), np.sin(1.1), np.cos(1.1)
    np.testing.assert_allclose(g.value, [[e * s, e * c], [e * c, -e * s]], rtol=1e-7)
    with pytest.raises(ValueError, match="scalar"):
        fd.central_hessian(lambda z: z * 2, np.array([1.0, 2.0]))
