"""Optimizers of the notes as pure functions over parameter trees (plain numpy arithmetic).

Every rule comes as ``<name>_init(params) -> state`` and
``<name>_step(params, grads, state, **hyper) -> (new_params, new_state)``; nothing is mutated.
``params`` and ``grads`` are trees of the same structure (e.g. the output of ``dn.grad``).
GD, SGD and mini-batch SGD share one update ``θ ← θ − η ∇`` and differ in which gradient is
passed (whole set, one sample, a mini-batch: see :func:`minibatches`).

>>> p, s = gd_step({"x": 1.0}, {"x": 3.0}, gd_init({"x": 1.0}), lr=0.1); round(p["x"], 12)
0.7
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from .params import is_bias_key, tree_map, tree_map_with_key

Tree = Any


def _zeros(params: Tree) -> Tree:
    # scalar leaves stay Python floats, array leaves become float arrays of zeros
    return tree_map(lambda p: 0.0 if np.ndim(p) == 0 else np.zeros(np.shape(p)), params)


# --------------------------------------------------------------------------- plain gradient descent
def gd_init(params: Tree) -> dict:
    """Plain (stochastic / mini-batch) gradient descent keeps no state.

    >>> gd_init({"W": np.zeros(2)})
    {}
    """
    return {}


def gd_step(params: Tree, grads: Tree, state: dict | None = None, lr: float = 0.1) -> tuple:
    """``θ_{t+1} = θ_t − η ∇_θ L`` (Rousseau; Lepetit eq. 11/57; Bradbury; Igel ``Δw = −η∇E``).

    >>> gd_step({"x": 1.0, "y": 1.0}, {"x": 3.0, "y": 2.0}, lr=0.5)[0]
    {'x': -0.5, 'y': 0.0}
    """
    return tree_map(lambda p, g: p - lr * g, params, grads), {}


def minibatches(n: int, batch_size: int, seed: int = 0) -> list[np.ndarray]:
    """A seeded shuffle of ``range(n)`` cut into mini-batches (the last may be smaller).

    ``batch_size=1`` is SGD, ``batch_size=n`` is batch GD (then no shuffling is needed).

    >>> [b.tolist() for b in minibatches(5, 2, seed=0)]
    [[2, 4], [3, 0], [1]]
    """
    if batch_size < 1:
        raise ValueError(f"minibatches: batch_size must be >= 1, got {batch_size}")
    order = np.random.default_rng(seed).permutation(n)
    return [order[i : i + batch_size] for i in range(0, n, batch_size)]


# --------------------------------------------------------------------------- momentum
def momentum_ema_init(params: Tree, first: str = "gradient") -> dict:
    """State of the EMA momentum. ``first="gradient"``: Rousseau's ``v_0 = ∇_{θ_0} L``;
    ``first="zero"``: Lepetit's recursion started from ``g^{-1} = 0``.

    >>> momentum_ema_init({"x": 0.0})
    {'v': None}
    >>> momentum_ema_init({"x": 0.0}, first="zero")
    {'v': {'x': 0.0}}
    """
    if first == "gradient":
        return {"v": None}
    if first == "zero":
        return {"v": _zeros(params)}
    raise ValueError(f"momentum_ema_init: first must be 'gradient' or 'zero', got {first!r}")


def momentum_ema_step(
    params: Tree, grads: Tree, state: dict, lr: float = 0.1, beta: float = 0.9
) -> tuple:
    """EMA momentum (Rousseau; Lepetit eq. 64 with ρ = β):
    ``v_t = β v_{t−1} + (1 − β) ∇_{θ_t} L``, ``θ_{t+1} = θ_t − η v_t``.

    >>> s = momentum_ema_init({"x": 1.0})
    >>> p, s = momentum_ema_step({"x": 1.0}, {"x": 2.0}, s, lr=0.5, beta=0.9); float(p["x"])
    0.0
    """
    if state["v"] is None:
        v = tree_map(lambda g: g * 1.0, grads)  # v_0 = ∇θ0
    else:
        v = tree_map(lambda v_, g: beta * v_ + (1.0 - beta) * g, state["v"], grads)
    return tree_map(lambda p, v_: p - lr * v_, params, v), {"v": v}


def heavy_ball_init(params: Tree) -> dict:
    """``Δw^{(−1)} = 0``.

    >>> heavy_ball_init({"x": 1.0})
    {'delta': {'x': 0.0}}
    """
    return {"delta": _zeros(params)}


def heavy_ball_step(
    params: Tree, grads: Tree, state: dict, lr: float = 0.1, mu: float = 0.9
) -> tuple:
    """Igel's momentum term: ``Δw^{(t)} = −η ∇E|_{w^{(t)}} + μ Δw^{(t−1)}``, ``w += Δw``.

    >>> s = heavy_ball_init({"x": 1.0})
    >>> p, s = heavy_ball_step({"x": 1.0}, {"x": 2.0}, s, lr=0.5, mu=0.9); float(p["x"])
    0.0
    """
    delta = tree_map(lambda g, d: -lr * g + mu * d, grads, state["delta"])
    return tree_map(lambda p, d: p + d, params, delta), {"delta": delta}


# --------------------------------------------------------------------------- adaptive rates
def adagrad_init(params: Tree) -> dict:
    """``r^{(−1)} = 0``.

    >>> adagrad_init({"x": 1.0})
    {'r': {'x': 0.0}}
    """
    return {"r": _zeros(params)}


def adagrad_step(
    params: Tree, grads: Tree, state: dict, lr: float = 0.01, delta: float = 1e-7
) -> tuple:
    """AdaGrad (Lepetit eq. 68): ``r ← r + g ⊙ g``, ``Δθ = −λ/(δ + √r) ⊙ g``.

    >>> p, s = adagrad_step({"x": 1.0}, {"x": 2.0}, adagrad_init({"x": 1.0}), lr=0.1, delta=0.0)
    >>> round(float(p["x"]), 12)
    0.9
    """
    r = tree_map(lambda r_, g: r_ + g * g, state["r"], grads)
    new = tree_map(lambda p, g, r_: p - lr / (delta + np.sqrt(r_)) * g, params, grads, r)
    return new, {"r": r}


def rmsprop_init(params: Tree) -> dict:
    """``r^{(−1)} = 0``.

    >>> rmsprop_init({"x": 1.0})
    {'r': {'x': 0.0}}
    """
    return {"r": _zeros(params)}


def rmsprop_step(
    params: Tree,
    grads: Tree,
    state: dict,
    lr: float = 0.001,
    rho: float = 0.9,
    delta: float = 1e-6,
) -> tuple:
    """RMSProp (Lepetit eq. 70): ``r ← ρ r + (1 − ρ) g ⊙ g``, ``Δθ = −λ/(δ + √r) ⊙ g``.

    >>> p, s = rmsprop_step({"x": 1.0}, {"x": 2.0}, rmsprop_init({"x": 1.0}), lr=0.1,
    ...                     rho=0.75, delta=0.0)
    >>> round(float(p["x"]), 12)
    0.8
    """
    r = tree_map(lambda r_, g: rho * r_ + (1.0 - rho) * g * g, state["r"], grads)
    new = tree_map(lambda p, g, r_: p - lr / (delta + np.sqrt(r_)) * g, params, grads, r)
    return new, {"r": r}


def adam_init(params: Tree) -> dict:
    """``m = v = 0``, ``t = 1`` (Igel, Algorithm 1, line 1).

    >>> adam_init({"x": 1.0})
    {'m': {'x': 0.0}, 'v': {'x': 0.0}, 't': 1}
    """
    return {"m": _zeros(params), "v": _zeros(params), "t": 1}


def adam_step(
    params: Tree,
    grads: Tree,
    state: dict,
    lr: float = 0.001,
    beta1: float = 0.9,
    beta2: float = 0.999,
    eps: float = 1e-8,
    form: str = "igel",
) -> tuple:
    """Adam with bias correction; defaults are Igel's (α = 0.001, β1 = 0.9, β2 = 0.999, ε = 1e−8).

    ``m ← β1 m + (1−β1) g``, ``v ← β2 v + (1−β2) g²``, ``m̂ = m/(1−β1^t)``, ``v̂ = v/(1−β2^t)``;
    ``form="igel"`` (also Lepetit eq. 71 with δ = ε): ``w ← w − α m̂/(√v̂ + ε)``;
    ``form="jiang"``: ``W ← W − η m̂ ⊙ (v̂ + ε²)^{−1/2}``.
    At t = 1 the corrected moments are exactly ``m̂ = g``, ``v̂ = g²``, so the first step is
    ``α g/(|g| + ε)`` — about ``α`` per coordinate, whatever the gradient's scale.

    >>> p, s = adam_step({"x": 1.0}, {"x": 200.0}, adam_init({"x": 1.0}), eps=0.0)
    >>> round(float(p["x"]), 12), s["t"]
    (0.999, 2)
    """
    if form not in ("igel", "jiang"):
        raise ValueError(f"adam_step: form must be 'igel' or 'jiang', got {form!r}")
    t = state["t"]
    m = tree_map(lambda m_, g: beta1 * m_ + (1.0 - beta1) * g, state["m"], grads)
    v = tree_map(lambda v_, g: beta2 * v_ + (1.0 - beta2) * g * g, state["v"], grads)
    c1, c2 = 1.0 - beta1**t, 1.0 - beta2**t

    def update(p, m_, v_):
        mh, vh = m_ / c1, v_ / c2
        if form == "igel":
            return p - lr * mh / (np.sqrt(vh) + eps)
        return p - lr * mh * (vh + eps**2) ** -0.5

    return tree_map(update, params, m, v), {"m": m, "v": v, "t": t + 1}


# --------------------------------------------------------------------------- weight decay
def weight_decay_step(
    params: Tree,
    grads: Tree,
    state: dict | None = None,
    lr: float = 0.1,
    lam: float = 1e-3,
    decay_biases: bool = True,
) -> tuple:
    """Jiang's weight-decay update, as printed: ``W^{(n+1)} = W^{(n)} − η ∂Q/∂W − λ W^{(n)}``.

    Jiang derives it from ``Q + (λ/2)‖W‖²``, whose gradient step would be
    ``W − η(∂Q/∂W + λW)``: the printed rule has ``λ`` where ``ηλ`` belongs, i.e. it is the
    gradient step on ``Q + (λ/(2η))‖W‖²`` (tests show both). ``decay_biases=False`` leaves
    parameters whose key starts with ``b`` alone (Rousseau's and Igel's "biases not regularized").

    >>> weight_decay_step({"W": 1.0, "b": 1.0}, {"W": 0.0, "b": 0.0}, lr=0.1, lam=0.5,
    ...                   decay_biases=False)[0]
    {'W': 0.5, 'b': 1.0}
    """

    def update(key, p, g):
        decay = 0.0 if (not decay_biases and is_bias_key(key)) else lam
        return p - lr * g - decay * p

    return tree_map_with_key(update, params, grads), {}


# --------------------------------------------------------------------------- early stopping
def early_stopping(
    step: Callable[[Tree, int], Tree],
    params: Tree,
    val_loss: Callable[[Tree], float],
    n_steps: int,
    patience: int | None = None,
) -> tuple[Tree, int, list[float]]:
    """Igel's early stopping: iterate hypotheses ``h_1, h_2, …`` and return the one with the
    smallest validation risk.

    ``step(params, t) -> params`` makes one training iteration on ``S_train``; ``val_loss`` is
    the empirical risk on ``S_val``. Stops after ``n_steps`` or ``patience`` iterations without
    improvement. Returns ``(best_params, best_t, validation_history)`` (t = 0 is the start).

    >>> best, t, hist = early_stopping(lambda p, t: p + 1, 0, lambda p: (p - 3) ** 2, 10, 2)
    >>> best, t, hist
    (3, 3, [9, 4, 1, 0, 1, 4])
    """
    best, best_t = params, 0
    hist = [val_loss(params)]
    best_val = hist[0]
    for t in range(1, n_steps + 1):
        params = step(params, t)
        hist.append(val_loss(params))
        if hist[-1] < best_val:
            best, best_t, best_val = params, t, hist[-1]
        elif patience is not None and t - best_t >= patience:
            break
    return best, best_t, hist


#: name -> (init, step); every step is ``step(params, grads, state, **hyper)``
OPTIMIZERS: dict[str, tuple[Callable, Callable]] = {
    "gd": (gd_init, gd_step),
    "sgd": (gd_init, gd_step),
    "momentum": (momentum_ema_init, momentum_ema_step),
    "heavy_ball": (heavy_ball_init, heavy_ball_step),
    "adagrad": (adagrad_init, adagrad_step),
    "rmsprop": (rmsprop_init, rmsprop_step),
    "adam": (adam_init, adam_step),
    "weight_decay": (gd_init, weight_decay_step),
}


def get_optimizer(name: str) -> tuple[Callable, Callable]:
    """Look up ``(init, step)`` by name, with a clear error for unknown names.

    >>> init, step = get_optimizer("adam"); step.__name__
    'adam_step'
    """
    try:
        return OPTIMIZERS[name]
    except KeyError:
        raise ValueError(
            f"unknown optimizer {name!r}; expected one of {sorted(OPTIMIZERS)}"
        ) from None
