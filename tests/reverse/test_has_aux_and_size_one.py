"""``has_aux=True`` in every entry point that takes it (JAX's contract and return shapes), the
gradient of a size-1 output in any shape, ``dn.ravel_pytree``, and the real/complex type of
gradients and Jacobians.

Every derivative is checked against central differences or a closed form, never against
another output of dualnum. Fixed points and seeds.
"""
from __future__ import annotations

import numpy as np
import pytest

import dualnum as dn
import dualnum.numpy as dnp
from dualnum.primitive import Box

from ..core.refs import assert_close, central_jacobian

X = np.array([0.4, -1.1, 0.9])


def loss_aux(x):
    """A scalar loss and an aux tree of intermediates (boxes while differentiated) and
    non-numbers."""
    h = dnp.tanh(x)
    return dnp.sum(h * h) + x[0] * x[1], {"h": h, "n": 3, "tag": "ok", "none": None,
                                          "pair": (x[0], [dnp.sum(x)])}


def _loss(x):
    return float(np.sum(np.tanh(x) ** 2) + x[0] * x[1])


def _grad_ref(x):
    return central_jacobian(lambda v: _loss(v), [x], [0])[0]


def _check_aux(aux, x):
    """aux as plain values (no box of any level), equal to its value at x, structure kept."""
    assert list(aux) == ["h", "n", "tag", "none", "pair"]
    assert type(aux["h"]) is np.ndarray and not isinstance(aux["h"], Box)
    np.testing.assert_allclose(aux["h"], np.tanh(x), rtol=1e-15)
    assert aux["n"] == 3 and aux["tag"] == "ok" and aux["none"] is None
    assert type(aux["pair"]) is tuple and type(aux["pair"][1]) is list
    assert not isinstance(aux["pair"][0], Box) and aux["pair"][0] == x[0]
    assert not isinstance(aux["pair"][1][0], Box)
    assert aux["pair"][1][0] == pytest.approx(np.sum(x), rel=1e-15)


# ------------------------------------------------------------------------------ has_aux
def test_grad_has_aux_returns_gradient_and_aux():
    g, aux = dn.grad(loss_aux, has_aux=True)(X)
    assert_close(g, _grad_ref(X), 1e-7, 1e-9, "grad")
    _check_aux(aux, X)


def test_value_and_grad_has_aux_returns_value_aux_then_gradient():
    (v, aux), g = dn.value_and_grad(loss_aux, has_aux=True)(X)
    assert v == pytest.approx(_loss(X), rel=1e-15)
    assert_close(g, _grad_ref(X), 1e-7, 1e-9, "value_and_grad")
    _check_aux(aux, X)
    # a constant value: gradient 0, aux still returned
    (v, aux), g = dn.value_and_grad(lambda x: (2.0, x * 3.0), has_aux=True)(X)
    assert v == 2.0 and not np.any(g)
    np.testing.assert_allclose(aux, 3.0 * X, rtol=0)


def test_vjp_has_aux_returns_output_function_and_aux():
    f = lambda x: ({"y": dnp.sin(x), "s": dnp.sum(x)}, x * 2.0)
    y, back, aux = dn.vjp(f, X, has_aux=True)
    np.testing.assert_allclose(y["y"], np.sin(X), rtol=1e-15)
    assert not isinstance(aux, Box)
    np.testing.assert_allclose(aux, 2.0 * X, rtol=0)
    ct = {"y": np.array([1.0, -2.0, 0.5]), "s": 0.25}
    (g,) = back(ct)
    assert_close(g, ct["y"] * np.cos(X) + 0.25, 1e-13, 1e-15, "vjp")
    (g2,) = back(ct)                 # callable again
    np.testing.assert_array_equal(g, g2)


JAC_AUX = {
    "jacfwd": lambda f: dn.jacfwd(f, has_aux=True),                 # one-vector fast path
    "jacfwd-chunked": lambda f: dn.jacfwd(f, chunk=2, has_aux=True),  # general path, 2 passes
    "jacrev": lambda f: dn.jacrev(f, has_aux=True),
    "jacobian-forward": lambda f: dn.jacobian(f, mode="forward", has_aux=True),
    "jacobian-reverse": lambda f: dn.jacobian(f, mode="reverse", has_aux=True),
}


@pytest.mark.parametrize("how", JAC_AUX)
def test_jacobians_has_aux_return_jacobian_and_aux(how):
    f = lambda x: (dnp.tanh(x) * x[0], {"x0": x[0] * 1.0, "label": "a"})
    J, aux = JAC_AUX[how](f)(X)
    ref = central_jacobian(lambda v: np.tanh(v) * v[0], [X], [0])[0]
    assert_close(J, ref, 1e-7, 1e-9, how)
    assert aux == {"x0": X[0], "label": "a"} and not isinstance(aux["x0"], Box)


def test_jacfwd_has_aux_with_a_tree_output_and_tree_argument():
    p = {"a": np.array([0.3, 0.7]), "b": 1.2}
    f = lambda q: ([q["a"] * q["b"]], dnp.sum(q["a"]))
    (blocks,), aux = dn.jacfwd(f, has_aux=True)(p)
    assert aux == pytest.approx(1.0)
    np.testing.assert_allclose(blocks["a"], 1.2 * np.eye(2), rtol=1e-15)
    np.testing.assert_allclose(blocks["b"], p["a"], rtol=1e-15)


def test_jvp_has_aux_returns_output_tangent_and_aux():
    f = lambda x: (dnp.exp(x), dnp.sum(x))
    t = np.array([1.0, 0.0, -1.0])
    y, ty, aux = dn.jvp(f, (X,), (t,), has_aux=True)
    np.testing.assert_allclose(ty, np.exp(X) * t, rtol=1e-15)
    assert aux == pytest.approx(np.sum(X)) and not isinstance(aux, Box)


@pytest.mark.parametrize("mode", ["forward-over-reverse", "forward", "reverse"])
def test_hessian_has_aux(mode):
    f = lambda x: (x[0] ** 2 * x[1] + dnp.sin(x[2]), x[1] * 10.0)
    Hs, aux = dn.hessian(f, mode=mode, has_aux=True)(X)
    want = np.array([[2 * X[1], 2 * X[0], 0.0], [2 * X[0], 0.0, 0.0], [0.0, 0.0, -np.sin(X[2])]])
    np.testing.assert_allclose(Hs, want, rtol=1e-12, atol=1e-15)
    assert aux == pytest.approx(10.0 * X[1]) and not isinstance(aux, Box)


HAS_AUX = {
    "grad": lambda f: dn.grad(f, has_aux=True)(X),
    "value_and_grad": lambda f: dn.value_and_grad(f, has_aux=True)(X),
    "vjp": lambda f: dn.vjp(f, X, has_aux=True),
    "jvp": lambda f: dn.jvp(f, (X,), (X,), has_aux=True),
    "jacfwd": lambda f: dn.jacfwd(f, has_aux=True)(X),
    "jacfwd-chunked": lambda f: dn.jacfwd(f, chunk=2, has_aux=True)(X),
    "jacrev": lambda f: dn.jacrev(f, has_aux=True)(X),
    "hessian": lambda f: dn.hessian(f, has_aux=True)(X),
}


@pytest.mark.parametrize("ep", HAS_AUX)
@pytest.mark.parametrize("out, got", [(lambda x: dnp.sum(x), "a TapeVar|a Dual"),
                                      (lambda x: (dnp.sum(x),), "a tuple of 1 entries"),
                                      (lambda x: (dnp.sum(x), 1, 2), "a tuple of 3 entries"),
                                      (lambda x: None, "None")])
def test_has_aux_without_a_pair_is_an_error_naming_what_came_back(ep, out, got):
    name = ep.split("-")[0]
    with pytest.raises(TypeError, match=rf"^{name}\(has_aux=True\): f must return a pair "
                                        rf"\(output, aux\), got ({got})"):
        HAS_AUX[ep](out)


def test_a_pair_without_has_aux_points_to_it():
    with pytest.raises(ValueError, match="scalar output.*has_aux=True"):
        dn.grad(loss_aux)(X)


def test_aux_keeps_the_boxes_of_an_outer_computation():
    # the inner grad takes off its own tape only: the outer derivative still sees aux = x² y
    def outer(x):
        _, aux = dn.grad(lambda y: (y * x, x ** 2 * y), has_aux=True)(1.5)
        return aux
    assert dn.derivative(outer, 3.0) == pytest.approx(2 * 3.0 * 1.5, rel=1e-15)
    assert dn.grad(outer)(3.0) == pytest.approx(2 * 3.0 * 1.5, rel=1e-15)
    # and through jacfwd's aux, under an outer tape
    def outer2(x):
        _, aux = dn.jacfwd(lambda v: (v * x, dnp.sin(x) * v), has_aux=True)(np.ones(2))
        return dnp.sum(aux)
    assert dn.grad(outer2)(0.4) == pytest.approx(2 * np.cos(0.4), rel=1e-14)


# ------------------------------------------------------------------------------ size-1 outputs
SIZE_ONE = [(1,), (1, 1), (1, 1, 1)]


@pytest.mark.parametrize("shape", SIZE_ONE, ids=str)
def test_grad_of_a_size_one_output_in_any_shape(shape):
    f = lambda x: dnp.reshape(dnp.sum(dnp.sin(x) * x), shape)
    ref = central_jacobian(lambda v: float(np.sum(np.sin(v) * v)), [X], [0])[0]
    assert_close(dn.grad(f)(X), ref, 1e-7, 1e-9, f"grad {shape}")
    v, g = dn.value_and_grad(f)(X)
    assert np.shape(v) == shape and v.ravel()[0] == pytest.approx(np.sum(np.sin(X) * X))
    assert_close(g, ref, 1e-7, 1e-9, f"value_and_grad {shape}")
    for mode in ("reverse", "forward"):
        assert_close(dn.gradient(f, X, mode=mode), ref, 1e-7, 1e-9, f"gradient {mode}")
    # a scalar argument still gets a Python float, as for a scalar output
    g0 = dn.grad(lambda t: dnp.reshape(t ** 3, shape))(2.0)
    assert type(g0) is float and g0 == 12.0


@pytest.mark.parametrize("shape", SIZE_ONE, ids=str)
def test_second_order_of_a_size_one_output(shape):
    f = lambda x: dnp.reshape(x[0] ** 3 * x[1], shape)
    want = np.array([[6 * X[0] * X[1], 3 * X[0] ** 2, 0], [3 * X[0] ** 2, 0, 0], [0, 0, 0]])
    for mode in ("forward-over-reverse", "reverse"):
        np.testing.assert_allclose(dn.hessian(f, mode=mode)(X), want, rtol=1e-13)
    np.testing.assert_allclose(dn.hvp(f)(X, np.array([1.0, 0.0, 0.0])), want[0], rtol=1e-13)


@pytest.mark.parametrize("run", [lambda f: dn.grad(f)(X), lambda f: dn.value_and_grad(f)(X),
                                 lambda f: dn.gradient(f, X, mode="forward"),
                                 lambda f: dn.hessian(f, mode="forward-over-reverse")(X)])
def test_an_output_of_more_than_one_entry_is_refused_naming_its_shape(run):
    # (hessian without a mode takes forward mode for such an f: tests/reverse/test_auto_mode)
    with pytest.raises(ValueError, match=r"scalar output \(or one of size 1\), but f returned "
                                         r"shape \(1, 3\) \(3 entries\)"):
        run(lambda x: dnp.reshape(x, (1, 3)))
    with pytest.raises(ValueError, match=r"shape \(0,\) \(0 entries\)"):
        run(lambda x: x[:0])


# ------------------------------------------------------------------------------ ravel_pytree
def test_ravel_pytree_is_public_and_round_trips():
    assert "ravel_pytree" in dn.__all__ and "ravel_pytree" in dir(dn)
    params = {"W": np.arange(6.0).reshape(2, 3), "b": (0.5, np.array([1.0, 2.0]))}
    flat, unravel = dn.ravel_pytree(params)
    assert flat.dtype == np.float64 and flat.tolist() == [0, 1, 2, 3, 4, 5, 0.5, 1, 2]
    back = unravel(flat * 2)
    assert list(back) == ["W", "b"] and type(back["b"]) is tuple
    np.testing.assert_array_equal(back["W"], 2 * params["W"])
    assert back["b"][0] == 1.0
    np.testing.assert_array_equal(back["b"][1], [2.0, 4.0])


def test_gradient_through_unravel_matches_differences_of_the_flat_function():
    params = {"W": np.array([[0.2, -0.5], [1.1, 0.3]]), "b": np.array([0.1, -0.2])}
    flat, unravel = dn.ravel_pytree(params)

    def loss(p):
        return dnp.sum(dnp.tanh(p["W"] @ np.array([1.0, -2.0]) + p["b"]) ** 2)

    def loss_plain(v):
        W, b = v[:4].reshape(2, 2), v[4:]
        return float(np.sum(np.tanh(W @ np.array([1.0, -2.0]) + b) ** 2))

    ref = central_jacobian(loss_plain, [flat], [0])[0]
    for g in (dn.grad(lambda v: loss(unravel(v)))(flat),
              dn.jacfwd(lambda v: loss(unravel(v)))(flat)):
        assert g.shape == (6,)
        assert_close(g, ref, 1e-7, 1e-9, "flat gradient")


# ------------------------------------------------------------------------------ types
def test_real_arguments_get_real_gradients_through_complex_intermediates():
    c = np.array([1 + 2j, -0.5 + 0.3j, 2.0 - 1j])
    f = lambda x: dnp.sum(dnp.abs(c * dnp.exp(1j * x) + x) ** 2)

    def f_plain(v):
        return float(np.sum(np.abs(c * np.exp(1j * v) + v) ** 2))
    ref = central_jacobian(f_plain, [X], [0])[0]
    for g in (dn.grad(f)(X), dn.gradient(f, X, mode="forward"), dn.jacrev(f)(X)):
        assert g.dtype == np.float64
        assert_close(g, ref, 1e-7, 1e-9, "real gradient")
    g0 = dn.grad(lambda t: dnp.abs((1 + 2j) * t + 1j) ** 2)(0.7)    # 5t² + 4t + 1
    assert type(g0) is float and g0 == pytest.approx(10 * 0.7 + 4, rel=1e-14)


def test_int_arguments_are_read_as_float64():
    assert dn.grad(lambda x: x * x)(3) == 6.0 and type(dn.grad(lambda x: x * x)(3)) is float
    g = dn.grad(lambda x: dnp.sum(x ** 3))(np.array([1, 2]))
    assert g.dtype == np.float64 and g.tolist() == [3.0, 12.0]


def test_complex_argument_gets_the_conventions_complex_gradient():
    z = np.array([1 + 2j, -0.5 + 0.3j])
    g = dn.grad(lambda v: dnp.sum(dnp.abs(v) ** 2))(z)       # ∂/∂x − i∂/∂y of x² + y²
    assert g.dtype == np.complex128
    np.testing.assert_allclose(g, 2 * z.real - 2j * z.imag, rtol=1e-14)


def test_jacrev_of_a_complex_output_of_a_real_argument_is_the_complex_jacobian():
    # ∂f/∂x is complex; the real unit cotangents alone give only its real part
    f = lambda x: {"c": dnp.exp(1j * x) * x[::-1], "r": dnp.sum(x ** 2)}

    def fc(v):
        return np.exp(1j * v) * v[::-1]
    h = 1e-6
    ref = np.stack([(fc(X + h * e) - fc(X - h * e)) / (2 * h) for e in np.eye(3)], axis=-1)
    for J in (dn.jacrev(f)(X), dn.jacfwd(f)(X), dn.jacobian(f, mode="reverse")(X)):
        assert J["c"].dtype == np.complex128 and J["r"].dtype == np.float64
        np.testing.assert_allclose(J["c"], ref, rtol=1e-8, atol=1e-9)
        np.testing.assert_allclose(J["r"], 2 * X, rtol=1e-13)
    # a real and a complex argument together: each gets its own kind of rows
    z = np.array([0.3 + 0.4j, -1.0 + 0.2j, 0.5 - 0.6j])
    Jz, Jx = dn.jacrev(lambda a, b: a * b, argnums=(0, 1))(z, X)
    np.testing.assert_allclose(Jz, np.diag(X), rtol=1e-15)     # holomorphic in a: f' = b
    np.testing.assert_allclose(Jx, np.diag(z), rtol=1e-15)     # ∂f/∂b = a, complex
    # second order: d²/dx² e^{ix} = −e^{ix}, reverse over reverse
    assert dn.jacrev(dn.jacrev(lambda t: dnp.exp(1j * t)))(0.8) == pytest.approx(
        -np.exp(0.8j), rel=1e-14)
