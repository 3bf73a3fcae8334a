"""A two-layer relu network with softmax cross-entropy, backprop written by hand three times.

The teaching style: parameters W1, b1, W2, b2; the m samples are the columns of X (features ×
m) and of the one-hot Y (classes × m). ``loss`` is written once with ``dualnum.numpy``; each
backprop is plain numpy, the way a student writes it, and returns the gradients and the deltas
δ = ∂L/∂Z of the two pre-activations (``loss`` marks Z1 and Z2 so they can be compared).

    python -m dualnum compare examples/two_layer_slips.py

runs every method on the three cases and names each slip: the first backprop is right; the
second doubles dW2 and scales db1 by 4/m; the third forgets relu' in layer 1.
"""

import numpy as np

import dualnum as dn
import dualnum.numpy as dnp
from dualnum.comparisons import case

rng = np.random.default_rng(0)
n_x, n_h, n_y, m = 2, 4, 3, 5
X = rng.normal(size=(n_x, m))
Y = np.eye(n_y)[:, rng.integers(0, n_y, size=m)]          # one-hot labels, one column each
params = {"W1": rng.normal(size=(n_h, n_x)), "b1": rng.normal(size=(n_h, 1)) * 0.1,
          "W2": rng.normal(size=(n_y, n_h)), "b2": rng.normal(size=(n_y, 1)) * 0.1}


def loss(p, X, Y):
    """Mean softmax cross-entropy of relu(W1 X + b1) → W2 · + b2."""
    Z1 = dn.mark("Z1", p["W1"] @ X + p["b1"])
    A1 = dnp.relu(Z1)
    Z2 = dn.mark("Z2", p["W2"] @ A1 + p["b2"])
    log_probs = Z2 - dnp.logsumexp(Z2, axis=0, keepdims=True)
    return -dnp.sum(Y * log_probs) / X.shape[1]


def forward(p, X):
    Z1 = p["W1"] @ X + p["b1"]
    A1 = np.maximum(Z1, 0.0)
    Z2 = p["W2"] @ A1 + p["b2"]
    A2 = np.exp(Z2 - Z2.max(axis=0))
    return Z1, A1, A2 / A2.sum(axis=0)


def backprop(p, X, Y):
    """The right one."""
    m = X.shape[1]
    Z1, A1, A2 = forward(p, X)
    dZ2 = (A2 - Y) / m                          # ∂L/∂Z2 of the mean loss
    dW2 = dZ2 @ A1.T
    db2 = dZ2.sum(axis=1, keepdims=True)
    dZ1 = (p["W2"].T @ dZ2) * (Z1 > 0)          # relu'(Z1)
    dW1 = dZ1 @ X.T
    db1 = dZ1.sum(axis=1, keepdims=True)
    return {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}, {"Z1": dZ1, "Z2": dZ2}


def backprop_scaled(p, X, Y):
    """dW2 doubled, db1 scaled by 4/m."""
    m = X.shape[1]
    Z1, A1, A2 = forward(p, X)
    dZ2 = (A2 - Y) / m
    dW2 = 2 * dZ2 @ A1.T                        # slip: ×2
    db2 = dZ2.sum(axis=1, keepdims=True)
    dZ1 = (p["W2"].T @ dZ2) * (Z1 > 0)
    dW1 = dZ1 @ X.T
    db1 = 4 / m * dZ1.sum(axis=1, keepdims=True)    # slip: ×4/m
    return {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}, {"Z1": dZ1, "Z2": dZ2}


def backprop_no_relu_prime(p, X, Y):
    """Forgets relu' in layer 1."""
    m = X.shape[1]
    Z1, A1, A2 = forward(p, X)
    dZ2 = (A2 - Y) / m
    dW2 = dZ2 @ A1.T
    db2 = dZ2.sum(axis=1, keepdims=True)
    dZ1 = p["W2"].T @ dZ2                       # slip: no * (Z1 > 0)
    dW1 = dZ1 @ X.T
    db1 = dZ1.sum(axis=1, keepdims=True)
    return {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}, {"Z1": dZ1, "Z2": dZ2}


data = {"X": X, "Y": Y}
case(loss, at=params, hand=backprop, name="two_layer.correct", data=data)
case(loss, at=params, hand=backprop_scaled, name="two_layer.scaled", data=data)
case(loss, at=params, hand=backprop_no_relu_prime, name="two_layer.no_relu_prime", data=data)
