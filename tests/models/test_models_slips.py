"""Index slips of the notes, each shown as an exact discrepancy next to the corrected formula.

Lepetit eq. (38) (listed in ``shared/seeds/README.md``) and Igel's "Backpropagation V" output
indices (found while reviewing; not in the README list). The other listed slips are tested
where their code lives: Rousseau's penalty in ``test_models_catalog.py``, Bradbury's δ^(K) in
``test_models_identities.py``, Lepetit's shuffled reverse-trace table in
``tests/cli/test_trace.py``. References here are ``dn.jacfwd`` / ``dn.jacrev`` (the chain rule
done by the machine) and numpy expressions written in the test, never the formulas under test.
"""

from __future__ import annotations

import numpy as np
import pytest

import dualnum as dn
import dualnum.numpy as dnp
from dualnum.models import backprop as bp
from dualnum.models import backprop_igel as bi
from dualnum.models import networks as nets
from dualnum.models import networks_igel as ni

RNG = np.random.default_rng(38)
# non-square layers, so a transposed or swapped index cannot pass by accident; layer 2 is wider
# than layer 1 so that the printed x2^{jl}, read as x2^l, can be evaluated at all
P = {"W1": RNG.normal(size=(3, 2)), "W2": RNG.normal(size=(4, 3)), "W3": RNG.normal(size=(2, 4))}
X0, E = RNG.normal(size=2), RNG.normal(size=2)


def _layer2(W2):
    """x2 = g(W2 g(W1 x0)) as a function of W2 (g = tanh), for the machine Jacobian."""
    return dnp.tanh(dnp.matmul(W2, dnp.tanh(dnp.matmul(P["W1"], X0))))


def _states():
    x1 = np.tanh(P["W1"] @ X0)
    xb2 = P["W2"] @ x1
    return x1, xb2, np.tanh(xb2), 1.0 - np.tanh(xb2) ** 2  # x1, x̄2, x2, g'(x̄2)


def test_lepetit_eq38_corrected_is_the_jacobian_of_x2():
    J = dn.jacfwd(_layer2)(P["W2"])  # J[j, k, l] = ∂x2^j/∂W2^{kl}
    assert J.shape == (4, 4, 3)
    np.testing.assert_allclose(dn.jacrev(_layer2)(P["W2"]), J, rtol=1e-12, atol=1e-15)
    T = bp.lepetit_dx2_dW2(P, X0)
    np.testing.assert_allclose(T, J, rtol=1e-12, atol=1e-15)
    x1, _, _, gp = _states()
    for j in range(4):  # the corrected formula written out: δ_kj g'(x̄2^j) x1^l
        for k in range(4):
            np.testing.assert_allclose(T[j, k], (k == j) * gp[j] * x1, rtol=1e-13, atol=0)


@pytest.mark.parametrize("m", range(4))
def test_lepetit_eq38_as_printed_differs_by_an_exact_amount(m):
    """Printed: g'(x̄2^m) x2^{jl}. Every choice of the free index m is wrong, and the error is
    exactly δ_kj (g'(x̄2^m) x2^l − g'(x̄2^j) x1^l)."""
    J = dn.jacfwd(_layer2)(P["W2"])
    lit = bp.lepetit_dx2_dW2_as_written(P, X0, m=m)
    x1, _, x2, gp = _states()
    expected = np.zeros((4, 4, 3))
    for j in range(4):
        expected[j, j] = gp[m] * x2[:3] - gp[j] * x1
    np.testing.assert_allclose(lit - J, expected, rtol=1e-12, atol=1e-15)
    assert np.max(np.abs(lit - J)) > 1e-2
    off = np.ones((4, 4), bool)
    np.fill_diagonal(off, False)
    np.testing.assert_array_equal(lit[off], 0.0)  # the k ≠ j case is printed correctly


def test_lepetit_eq38_as_printed_depends_on_its_free_index_m():
    """The printed right-hand side ``g'(x̄2^m) x2^{jl}`` keeps the summation index m of eq. (36)
    although m is bound on neither side: the printed tensor changes with m, by exactly
    δ_kj (g'(x̄2^m) − g'(x̄2^{m'})) x2^l, while the Jacobian of x2 has no such index."""
    _, _, x2, gp = _states()
    T = [bp.lepetit_dx2_dW2_as_written(P, X0, m=m) for m in range(4)]
    for m in range(1, 4):
        expected = np.zeros((4, 4, 3))
        for j in range(4):
            expected[j, j] = (gp[m] - gp[0]) * x2[:3]
        np.testing.assert_allclose(T[m] - T[0], expected, rtol=1e-12, atol=1e-15)
        assert np.max(np.abs(T[m] - T[0])) > 1e-3
    np.testing.assert_allclose(bp.lepetit_dx2_dW2(P, X0), dn.jacrev(_layer2)(P["W2"]),
                               rtol=1e-12, atol=1e-15)


def test_lepetit_eq39_to_45_follow_from_the_corrected_eq38_only():
    W3 = P["W3"]
    x1, _, _, gp = _states()
    for T, ok in ((bp.lepetit_dx2_dW2(P, X0), True),
                  (bp.lepetit_dx2_dW2_as_written(P, X0, m=0), False)):
        lhs = np.einsum("ij,jkl->ikl", W3, T)  # eq. (39): Σ_j W3^{ij} ∂x2^j/∂W2^{kl}
        rhs = W3[:, :, None] * gp[None, :, None] * x1[None, None, :]  # W3^{ik} g'(x̄2^k) x1^l
        assert np.allclose(lhs, rhs, rtol=1e-12, atol=1e-14) == ok
    g = dn.grad(nets.lepetit_three_layer_loss)(P, X0, E)["W2"]
    np.testing.assert_allclose(bp.lepetit_dL_dW2_elementwise(P, X0, E), g, rtol=1e-12)
    np.testing.assert_allclose(bp.lepetit_backprop(P, X0, E)["W2"], g, rtol=1e-12)


def test_lepetit_eq38_as_printed_needs_a_wide_enough_layer_2():
    p = {"W1": np.ones((3, 2)), "W2": np.ones((2, 3)), "W3": np.ones((1, 2))}
    with pytest.raises(ValueError, match="x2\\^l needs"):
        bp.lepetit_dx2_dW2_as_written(p, np.ones(2), m=0)


def test_igel_backprop_v_output_indices_are_a_slip():
    """Igel's "Backpropagation V" says z_{M−K+1}, …, z_M define ŷ; the notation slides say
    ŷ_1 = z_{1+M+d}, …, ŷ_K = z_{K+M+d}. With d = 2, M = 3, K = 2 the printed range is
    z_2, z_3: an input neuron and a hidden neuron, not the outputs z_6, z_7."""
    d, M, K = 2, 3, 2
    W = np.random.default_rng(5).normal(size=(M + K, 1 + d + M)) * bi.connection_mask(d, M, K)
    x = np.array([0.4, -1.1])
    z, _ = bi.igel_forward({"W": W}, x, d, M, K, "tanh", "identity")
    out = ni.igel_network({"W": W}, x, d, M, K, "tanh", "identity")
    # independent forward pass in Igel's numbering: z_0 = 1, z_1..z_d = x, then neuron by neuron
    zz = [1.0, *x]
    for i in range(d + 1, d + M + K + 1):
        a = sum(W[i - d - 1, j] * zz[j] for j in range(min(i, d + M + 1)))
        zz.append(np.tanh(a) if i <= d + M else a)
    np.testing.assert_allclose(z, zz, rtol=1e-13)
    np.testing.assert_allclose(out, zz[d + M + 1 : d + M + K + 1], rtol=1e-13)  # z_{d+M+1..}
    printed = np.array(zz[M - K + 1 : M + 1])  # z_{M−K+1}, …, z_M as printed
    assert printed[0] == x[1]  # z_2 is the input x_2
    assert np.max(np.abs(printed - out)) > 1e-2
