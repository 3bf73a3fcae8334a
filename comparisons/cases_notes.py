"""The notes' own small examples as comparison cases, each with the numbers the notes print.

Lepetit's ``f(x1, x2) = ln x1 + x1 x2 − sin x2`` at (2, 5), with his reverse adjoint trace
run as a program (in the printed order, and bottom to top), and his eq. (38) for ``∂x2/∂W2``
(as printed, and corrected); Rousseau's quadratic; Bradbury's chain- and sum-rule examples,
his graph of ``1/(w0 x0 + w1)`` and his scalar network; the activation identities
(σ' = σ(1 − σ), tanh' = 1 − tanh², the softmax Jacobian); the three matched output/loss pairs
whose pre-activation gradient is ``z − y``; and Bradbury's δ^{(K)}, printed for K = 3
(Rousseau's penalty slip comes with the models catalogue).

A formula transcribed *as printed* is marked ``literal``: whether it disagrees with the
references is for the engine to find (it reports a *slip*), nothing here says it does.
Hand-derived Jacobians come from ``dualnum.models.backprop*`` (plain numpy, the notes'
formulas); the functions themselves are written once with ``dualnum.numpy``.

>>> [c.name for c in notes_cases()][:3]
['lepetit-f', 'lepetit-reverse-trace-as-printed', 'lepetit-eq38']
"""

from __future__ import annotations

import numpy as np

import dualnum.numpy as dnp
from dualnum.models import activations as act
from dualnum.models import backprop as bp
from dualnum.models import backprop_jiang as bpj
from dualnum.models import losses

from .case import Block, Case, Worked

__all__ = ["notes_cases", "lepetit_reverse_sweep", "LEPETIT_REVERSE_TRACE"]

LEPETIT = "Lepetit, Optimization for Deep Learning (AD example)"
ROUSSEAU = "Rousseau, Neural networks: an introduction"
BRADBURY = "Bradbury, Neural Networks II"
IGEL = "Igel, Deep Learning Part I (matched output/loss pairs)"
JIANG = "Jiang, Machine Learning Fundamentals ch. 8"


#: Lepetit's reverse adjoint trace of ln(x1) + x1·x2 − sin(x2), one statement per printed line,
#: in the order the notes print them (top to bottom), with the number printed beside each.
#: ``v`` holds the primal trace (v-1 = x1, v0 = x2, v1 = ln v-1, …), ``a`` the adjoints; the
#: seed v̄5 = 1 and v̄4 = v̄5·∂v5/∂v4 = 1 (which the table leaves out) are set before the sweep.
LEPETIT_REVERSE_TRACE = (
    ("x2", lambda v, a: a["v0"], 1.716),                          # x̄2 = v̄0
    ("v-1", lambda v, a: a["v-1"] + a["v1"] / v["v-1"], 5.5),     # v̄-1 += v̄1 / v-1
    ("v0", lambda v, a: a["v0"] + a["v2"] * v["v-1"], 1.716),     # v̄0 += v̄2 × v-1
    ("v-1", lambda v, a: a["v2"] * v["v0"], 5.0),                 # v̄-1 = v̄2 × v0
    ("v0", lambda v, a: a["v3"] * np.cos(v["v0"]), -0.284),       # v̄0 = v̄3 × cos v0
    ("v2", lambda v, a: a["v4"] * 1.0, 1.0),                      # v̄2 = v̄4 × 1
    ("v1", lambda v, a: a["v4"] * 1.0, 1.0),                      # v̄1 = v̄4 × 1
    ("v3", lambda v, a: a["v5"] * -1.0, -1.0),                    # v̄3 = v̄5 × (−1)
)


def lepetit_reverse_sweep(x, printed_order: bool) -> np.ndarray:
    """Run the notes' reverse-trace statements at ``x = (x1, x2)``; return ``(x̄1, x̄2)``.

    ``printed_order=True`` executes the lines top to bottom, as printed; ``False`` bottom to
    top, which is a valid reverse sweep (every adjoint is complete before it is used).

    >>> [round(float(a), 3) for a in lepetit_reverse_sweep([2.0, 5.0], printed_order=False)]
    [5.5, 1.716]
    >>> lepetit_reverse_sweep([2.0, 5.0], printed_order=True).tolist()
    [0.0, 0.0]
    """
    x1, x2 = (float(t) for t in np.asarray(x, dtype=np.float64).reshape(-1))
    v = {"v-1": x1, "v0": x2, "v1": np.log(x1), "v2": x1 * x2, "v3": np.sin(x2)}
    a = dict.fromkeys(("v-1", "v0", "v1", "v2", "v3", "x2"), 0.0)
    a["v5"] = 1.0
    a["v4"] = a["v5"] * 1.0
    lines = LEPETIT_REVERSE_TRACE if printed_order else LEPETIT_REVERSE_TRACE[::-1]
    for target, update, _printed in lines:
        a[target] = update(v, a)
    return np.array([a["v-1"], a["x2"]])


def _lepetit() -> list[Case]:
    def f(x):
        return dnp.log(x[0]) + x[0] * x[1] - dnp.sin(x[1])

    worked = [
        Worked("f(2, 5)", "value", (), 11.652, 3),
        Worked("∂f/∂x1 (forward tangent trace)", "grad", (0,), 5.5, 1),
        Worked("∂f/∂x2 (reverse sweep)", "grad", (1,), 1.716, 3),
    ]
    return [
        Case("lepetit-f", "vector→scalar", f, [2.0, 5.0], "ln(x1) + x1·x2 − sin(x2) at (2, 5)",
             LEPETIT, worked=worked,
             hand=lambda x: lepetit_reverse_sweep(x, printed_order=False),
             hand_label="the notes' reverse adjoint trace, run bottom to top"),
        Case("lepetit-reverse-trace-as-printed", "vector→scalar", f, [2.0, 5.0],
             "the reverse adjoint trace of ln(x1) + x1·x2 − sin(x2), its lines run in the "
             "printed order (top to bottom)", LEPETIT,
             hand=lambda x: lepetit_reverse_sweep(x, printed_order=True),
             hand_label="the notes' reverse adjoint trace, run in the printed order",
             literal=True, second_order=False),
    ]


def _lepetit_eq38() -> list[Case]:
    """∂x2/∂W2 of Lepetit's three-layer network (x2 = g(W2 x1), x1 = g(W1 x0) held fixed):
    eq. (38) as printed, g'(x̄2^m) x2^{jl} (m = 0, x2^{jl} read as x2^l), and corrected."""
    rng = np.random.default_rng(38)
    W1 = rng.normal(0.0, 0.8, (2, 2))
    W2 = rng.normal(0.0, 0.8, (3, 2))
    x0 = np.array([0.6, -0.4])
    x1 = np.tanh(W1 @ x0)
    blocks = [Block("W2", 0, W2.size, W2.shape)]

    def f(w):
        return act.tanh(dnp.reshape(w, W2.shape) @ x1)

    def jac(T):
        return T.reshape(T.shape[0], -1)  # T[j, k, l] -> ∂x2^j / ∂(W2 flat)[k·n1 + l]

    def printed(w):
        p = {"W1": W1, "W2": np.asarray(w, dtype=np.float64).reshape(W2.shape)}
        return jac(bp.lepetit_dx2_dW2_as_written(p, x0, m=0))

    def corrected(w):
        p = {"W1": W1, "W2": np.asarray(w, dtype=np.float64).reshape(W2.shape)}
        return jac(bp.lepetit_dx2_dW2(p, x0))

    desc = "∂x2^j/∂W2^{kl} for x2 = tanh(W2 x1), x1 = tanh(W1 x0) (2-2-3)"
    return [
        Case("lepetit-eq38", "vector→vector", f, W2, desc + ": g'(x̄2^j) x1^l if k = j",
             LEPETIT + " eq. (38), corrected as eqs. (39)-(45) use it", blocks=blocks,
             hand=corrected, hand_label="g'(x̄2^j) x1^l if k = j, else 0"),
        Case("lepetit-eq38-as-printed", "vector→vector", f, W2,
             desc + " as printed: g'(x̄2^m) x2^{jl} (m = 0, x2^{jl} read as x2^l)",
             LEPETIT + " eq. (38)", blocks=blocks, hand=printed,
             hand_label="g'(x̄2^m) x2^{jl} if k = j, else 0 (eq. (38) as printed)",
             literal=True),
    ]


def _rousseau_quadratic() -> Case:
    x = np.array([1.25, -0.5])

    def f(v):
        return 1.5 * v[0] ** 2 + v[1] ** 2 + 2.0

    return Case("rousseau-quadratic", "vector→scalar", f, x, "1.5x² + y² + 2, ∇ = (3x, 2y)",
                ROUSSEAU,
                worked=[Worked("∂f/∂x = 3x", "grad", (0,), 3 * x[0], 12),
                        Worked("∂f/∂y = 2y", "grad", (1,), 2 * x[1], 12)],
                hand=lambda v: np.array([3.0 * v[0], 2.0 * v[1]]), hand_label="∇f = (3x, 2y)")


def _bradbury_chain_and_sum() -> list[Case]:
    def chain(x):
        a = 3.0 * x[0]
        return 2.0 * a

    def summed(x):
        a1, a2 = 3.0 * x[0], -x[0]
        return 2.0 * a1 + a2

    return [
        Case("bradbury-chain", "scalar→scalar", chain, [0.7], "y = 2a, a = 3x: dy/dx = 6",
             BRADBURY, worked=[Worked("dy/dx", "grad", (0,), 6.0, 0)],
             hand=lambda x: np.array([2.0 * 3.0]), hand_label="dy/da · da/dx = 2 · 3"),
        Case("bradbury-sum", "scalar→scalar", summed, [0.7],
             "y = 2a1 + a2, a1 = 3x, a2 = −x: dy/dx = 5", BRADBURY,
             worked=[Worked("dy/dx", "grad", (0,), 5.0, 0)],
             hand=lambda x: np.array([2.0 * 3.0 + 1.0 * -1.0]),
             hand_label="dy/da1 · da1/dx + dy/da2 · da2/dx"),
    ]


def _bradbury_graph() -> Case:
    def f(v):  # v = (x0, w0, w1)
        return 1.0 / (v[1] * v[0] + v[2])

    def hand(v):
        d = bp.bradbury_f_local_derivatives(x0=v[0], w0=v[1], w1=v[2])
        return np.array([d["df_dx0"], d["df_dw0"], d["df_dw1"]])

    worked = [
        Worked("f = 1/y2", "value", (), -0.5, 1),
        Worked("∂f/∂x0", "grad", (0,), 0.5, 1),
        Worked("∂f/∂w0", "grad", (1,), -0.75, 2),
        Worked("∂f/∂w1", "grad", (2,), -0.25, 2),
    ]
    return Case("bradbury-graph", "vector→scalar", f, [3.0, -2.0, 4.0],
                "f(x, w) = 1/(w0·x0 + w1) at x0 = 3, w0 = −2, w1 = 4 (inputs x0, w0, w1)",
                BRADBURY, worked=worked, hand=hand, hand_label="local derivatives chained by hand")


def _bradbury_scalar_net() -> Case:
    x_in, y = 1.5, 0.2

    def f(w):
        yhat = act.sigmoid(w[1] * act.sigmoid(w[0] * x_in))
        return 0.5 * (yhat - y) ** 2

    def hand(w):
        g = bp.bradbury_scalar_backprop({"w1": w[0], "w2": w[1]}, x_in, y)
        return np.array([g["w1"], g["w2"]])

    return Case("bradbury-scalar-net", "params→loss", f, [0.8, -1.1],
                "E = ½(σ(w2 σ(w1 x)) − y)², x = 1.5, y = 0.2", BRADBURY, hand=hand,
                hand_label="∂E/∂w1 = (ŷ − y) σ'(a2) w2 σ'(a1) x")


def _activation_identities() -> list[Case]:
    x = np.array([-1.3, -0.2, 0.4, 2.1])

    def diag(prime):
        return lambda v: np.diag(prime(np.asarray(v)))

    def softmax_hand(v):
        return bpj.softmax_jacobian(bp.softmax(np.asarray(v)))

    out = [
        Case("sigmoid", "vector→vector", act.sigmoid, x, "σ' = σ(1 − σ)", ROUSSEAU,
             hand=diag(bp.sigmoid_prime), hand_label="σ(1 − σ)"),
        Case("tanh", "vector→vector", act.tanh, x, "tanh' = 1 − tanh²", ROUSSEAU,
             hand=diag(bp.tanh_prime), hand_label="1 − tanh²"),
        Case("gelu", "vector→vector", act.gelu, x, "GELU' = Φ(x) + x φ(x)", ROUSSEAU,
             hand=diag(bp.gelu_prime), hand_label="Φ(x) + x φ(x)"),
        Case("softsign", "vector→vector", act.softsign, x, "(a/(1 + |a|))' = 1/(1 + |a|)²", IGEL,
             hand=diag(bp.softsign_prime), hand_label="1/(1 + |a|)²"),
        Case("softmax", "vector→vector", act.softmax, x, "∂y_i/∂x_j = y_i(δ_ij − y_j)", JIANG,
             hand=softmax_hand, hand_label="y_i(δ_ij − y_j)"),
        Case("tanh-via-sigmoid", "vector→vector", lambda v: 2.0 * act.sigmoid(2.0 * v) - 1.0, x,
             "tanh(x) = 2σ(2x) − 1: same derivative as tanh", ROUSSEAU,
             hand=diag(bp.tanh_prime), hand_label="1 − tanh² (identity tanh = 2σ(2x) − 1)"),
        Case("relu-at-kink", "vector→vector", act.relu, np.array([-1.0, 0.0, 2.0]),
             "ReLU at 0 sits on its kink (convention relu'(0) = 0)", ROUSSEAU,
             hand=diag(lambda v: bp.step(v)), hand_label="H(x), H(0) = 0"),
        Case("abs-at-kink", "vector→scalar", lambda v: dnp.sum(dnp.abs(v)), [0.0, 1.5, -2.0],
             "Σ|x| with a zero entry: on the kink of abs", IGEL),
    ]
    return out


def _matched_pairs() -> list[Case]:
    """Igel: linear+SSE, logistic+BCE, softmax+CE all give ∂E/∂a = z − y (a = pre-activation)."""
    a = np.array([0.3, -1.2, 0.8])
    y_reg = np.array([0.5, -0.25, 1.0])
    y_bin = np.array([1.0, 0.0, 1.0])
    y_cls = np.array([0.0, 1.0, 0.0])
    return [
        Case("linear+sse", "vector→scalar", lambda v: losses.sum_of_squares(v, y_reg), a,
             "E = ½‖a − y‖²: ∂E/∂a = z − y", IGEL, hand=lambda v: np.asarray(v) - y_reg,
             hand_label="δ = z − y"),
        Case("logistic+bce", "vector→scalar",
             lambda v: losses.binary_cross_entropy(act.sigmoid(v), y_bin), a,
             "E = BCE(σ(a), y): ∂E/∂a = σ(a) − y", IGEL,
             hand=lambda v: bp.sigmoid(np.asarray(v)) - y_bin, hand_label="δ = z − y"),
        Case("softmax+ce", "vector→scalar",
             lambda v: losses.cross_entropy(act.softmax(v), y_cls), a,
             "E = CE(softmax(a), y): ∂E/∂a = softmax(a) − y", IGEL,
             hand=lambda v: bp.softmax(np.asarray(v)) - y_cls, hand_label="δ = z − y"),
    ]


def _bradbury_delta_K() -> list[Case]:
    """δ^{(K)} = ∂E/∂a^{(K)} for E = ½‖σ(a^{(K)}) − y‖², against the printed layer-3 formula."""
    rng = np.random.default_rng(7)
    out = []
    for K in (3, 4):
        params = {f"W{k}": rng.normal(0.0, 0.8, (2, 2)) for k in range(1, K + 1)}
        x = np.array([0.4, -0.9])
        y = np.array([0.3, 0.7])
        z = x
        for k in range(1, K + 1):  # forward to a^{(K)} (plain numpy, as the notes do)
            a_K = params[f"W{k}"] @ z
            z = bp.sigmoid(a_K)

        def f(a, y=y):
            return losses.sum_of_squares(act.sigmoid(a), y)

        def hand(a, params=params, x=x, y=y):  # the printed formula, from the network's state
            return bp.bradbury_delta_K_as_written(params, x, y)

        out.append(Case(f"bradbury-delta-K{K}", "vector→scalar", f, a_K,
                        f"δ(K) = ∂E/∂a(K) for a K = {K} sigmoid network", BRADBURY, hand=hand,
                        hand_label="δ(K) printed as (z(3) − y) ∘ σ'(a(3))", literal=True))
    return out


def notes_cases() -> list[Case]:
    """All the cases built from the notes' small examples, identities and slips.

    >>> sorted(c.name for c in notes_cases() if c.literal)[:2]
    ['bradbury-delta-K3', 'bradbury-delta-K4']
    """
    return [
        *_lepetit(),
        *_lepetit_eq38(),
        _rousseau_quadratic(),
        *_bradbury_chain_and_sum(),
        _bradbury_graph(),
        _bradbury_scalar_net(),
        *_activation_identities(),
        *_matched_pairs(),
        *_bradbury_delta_K(),
    ]
