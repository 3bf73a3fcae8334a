"""Catalogue entries for the layers and networks: :data:`LAYER_CASES` and
:data:`NETWORK_CASES`, two plain lists that ``models/catalog.py`` reads to build the catalogue
(this module does not import it: the arrow points one way).

See ``models/catalog.py`` for the calling convention of a :class:`~.case.ModelCase`.

>>> from dualnum.models.catalog import get
>>> get("network.lepetit_three_layer").backprop is not None
True
"""

from __future__ import annotations

from typing import Any

import numpy as np

import dualnum.numpy as dnp

from . import backprop as bp
from . import backprop_igel as bi
from . import backprop_jiang as bj
from . import conv, layers, networks, networks_igel, sequence, spectral
from .case import ModelCase, rng_for, vjp_objective
from .datasets import xor
from .losses import sum_of_squares


def _normal(r: np.random.Generator, *shape: int, scale: float = 1.0) -> np.ndarray:
    return scale * r.normal(size=shape)


def _layer(name, block, shapes, out_shape, notes, formula, backprop=None, kinks=False, tags=(),
           **kw):
    """A layer case: every named input in ``shapes`` is a differentiated parameter."""

    def example(seed: int) -> tuple:
        r = rng_for(seed, name)
        params = {k: _normal(r, *s) for k, s in shapes.items()}
        return params, None, _normal(r, *out_shape)

    def forward(params: dict, inputs: Any, targets: Any) -> Any:
        return block(*(params[k] for k in shapes), **kw)

    return ModelCase(
        name=f"layer.{name}", kind="layer", forward=forward,
        objective=vjp_objective(block, *shapes, **kw), example=example, notes=notes,
        formula=formula, backprop=backprop, kinks=kinks, tags=tags,
    )


def _dense_t_backprop(p: dict, i: Any, e: Any) -> dict:
    g = bj.full_connection_backward(np.asarray(p["W"]).T, p["x"], e)  # Wᵀx + b is Jiang's Vx + b
    return {"x": g["x"], "W": g["W"].T, "b": g["b"]}


def _per_sample(backward, *names: str):
    """The notes' one-sample backward formula applied to each sample of a batch: the input's
    gradient stacked, a shared parameter's (the kernels) summed over the samples."""

    def backprop(p: dict, i: Any, e: Any) -> dict:
        x = np.asarray(p[names[0]])
        rest = [p[n] for n in names[1:]]
        gs = [backward(x[s], *rest, e[s]) for s in range(x.shape[0])]
        out = {names[0]: np.stack([g[names[0]] for g in gs])}
        for n in names[1:]:
            out[n] = np.sum([g[n] for g in gs], axis=0)
        return out

    return backprop


def _bn_backprop(p: dict, i: Any, e: Any) -> dict:
    g = bj.batchnorm_backward(p["X"], p["gamma"], e)
    return {"X": g["x"], "gamma": g["gamma"], "beta": g["beta"]}


def _dropout_example(seed: int) -> tuple:
    r = rng_for(seed, "dropout")
    return {"x": r.normal(size=5)}, layers.dropout_mask((5,), 0.4, seed=seed), r.normal(size=5)


def _mha_example(seed: int) -> tuple:
    r = rng_for(seed, "mha")
    heads = [{k: _normal(r, 1, 2) for k in ("A", "B", "C")} for _ in range(2)]
    return {"X": _normal(r, 2, 3), "heads": heads}, None, _normal(r, 2, 3)


#: the layer entries, in catalogue order
LAYER_CASES: list[ModelCase] = [
    _layer("dense", layers.dense, {"x": (3,), "W": (2, 3), "b": (2,)}, (2,), ("Jiang", "Lepetit"),
           "y = Wx + b; ∂Q/∂x = Wᵀe, ∂Q/∂W = e xᵀ, ∂Q/∂b = e",
           lambda p, i, e: bj.full_connection_backward(p["W"], p["x"], e)),
    _layer("dense_t", layers.dense_t, {"x": (3,), "W": (3, 2), "b": (2,)}, (2,), ("Rousseau",),
           "x^{(k)} = wᵀ x^{(k−1)} + b", _dense_t_backprop),
    _layer("conv1d", conv.conv1d, {"x": (6,), "w": (3,)}, (4,), ("Jiang",),
           "y_j = Σ_i w_i x_{j+i−1}; ∂Q/∂x = e^{(0)} * w⃖, ∂Q/∂w = x * e",
           lambda p, i, e: bj.conv1d_backward(p["x"], p["w"], e)),
    _layer("conv1d_plies", conv.conv1d, {"x": (6, 2), "w": (3, 2, 2)}, (4, 2), ("Jiang",),
           "y_{j1,j2} = Σ_{i2} Σ_{i1} w_{i1,i2,j2} x_{j1+i1−1,i2}",
           lambda p, i, e: bj.conv1d_plies_backward(p["x"], p["w"], e)),
    _layer("conv1d_padded_strided", conv.conv1d, {"x": (7, 2), "w": (3, 2, 2)}, (4, 2), ("Jiang",),
           "conv1d with zero-padding 1 and stride 2", stride=2, padding=1),
    _layer("conv2d", conv.conv2d, {"x": (4, 4, 2), "w": (2, 2, 2, 2)}, (3, 3, 2), ("Jiang",),
           "y_{j1,j2,j3} = Σ w_{i1,i2,i3,j3} x_{j1+i1−1,j2+i2−1,i3}; "
           "∂Q/∂x_i = Σ_j e_j^{(0)} * w⃖_ij",
           lambda p, i, e: bj.conv2d_backward(p["x"], p["w"], e)),
    _layer("conv2d_padded_strided", conv.conv2d, {"x": (5, 5, 1), "w": (3, 3, 1, 2)}, (3, 3, 2),
           ("Jiang",), "conv2d with zero-padding 1 and stride 2", stride=2, padding=1),
    _layer("maxpool1d", conv.maxpool1d, {"x": (6,)}, (3,), ("Jiang",),
           "y = maxpool_{/m}(x); ∂Q/∂x_i = ∂Q/∂y_j if i = ĵ else 0",
           lambda p, i, e: {"x": bj.maxpool_backward(p["x"], 2, e)}, kinks=True, m=2),
    _layer("maxpool2d", conv.maxpool2d, {"x": (4, 4, 2)}, (2, 2, 2), ("Jiang",),
           "max over 2×2 windows; the error goes to each window's arg-max",
           lambda p, i, e: {"x": bj.maxpool2d_backward(p["x"], 2, e)}, kinks=True, m=2),
    _layer("conv2d_batch", conv.conv2d, {"x": (2, 3, 3, 2), "w": (2, 2, 2, 2)}, (2, 2, 2, 2),
           ("Jiang",), "conv2d on a batch of 2 maps (one im2col product for the batch); "
           "∂Q/∂w sums the samples' ∂Q/∂w", _per_sample(bj.conv2d_backward, "x", "w")),
    _layer("maxpool2d_batch", conv.maxpool2d, {"x": (2, 4, 4, 2)}, (2, 2, 2, 2), ("Jiang",),
           "max over 2×2 windows of each map of a batch; the error goes to each arg-max",
           _per_sample(lambda x, e: {"x": bj.maxpool2d_backward(x, 2, e)}, "x"), kinks=True,
           m=2),
    _layer("batch_norm", layers.batch_norm, {"X": (4, 3), "gamma": (3,), "beta": (3,)}, (4, 3),
           ("Jiang", "Lepetit eq. 78", "Rousseau"),
           "x̂ = (x − μ_B)/√(σ²_B + ε), y = γ x̂ + β; Jiang's backward formula", _bn_backprop),
    _layer("layer_norm", layers.layer_norm, {"x": (4,), "gamma": (4,), "beta": (4,)}, (4,),
           ("Jiang",), "statistics over the dimensions of each vector"),
    _layer("weight_norm", layers.weight_norm, {"v": (2, 3), "gamma": (2,)}, (2, 3), ("Jiang",),
           "w = (γ/‖v‖) v, one γ per row"),
    _layer("tapped_delay_line", sequence.tapped_delay_line, {"Y": (4, 2), "a": (3, 2)}, (4, 2),
           ("Jiang",), "ẑ_t = Σ_{i<L} a_i ⊗ y_{t−i}"),
    _layer("attention", sequence.attention, {"X": (2, 3), "A": (1, 2), "B": (1, 2), "C": (2, 2)},
           (2, 3), ("Jiang",), "Z = (CX) softmax((AX)ᵀ(BX)), column-wise", tags=("symbolic-slow",)),
    ModelCase(
        name="layer.dropout", kind="layer",
        forward=lambda p, mask, e: layers.dropout(p["x"], mask),
        objective=lambda p, mask, e: dnp.sum(e * layers.dropout(p["x"], mask)),
        example=_dropout_example, notes=("Rousseau", "Lepetit"),
        formula="x ⊙ h with a 0/1 mask h (training); x·(1 − p) at test time",
        backprop=lambda p, mask, e: {"x": mask * e},
    ),
    ModelCase(
        name="layer.multi_head_attention", kind="layer",
        forward=lambda p, i, e: sequence.multi_head_attention(p["X"], p["heads"]),
        objective=lambda p, i, e: dnp.sum(e * sequence.multi_head_attention(p["X"], p["heads"])),
        example=_mha_example, notes=("Jiang",),
        formula="Z = concat_j (C^{(j)}X) softmax((A^{(j)}X)ᵀ(B^{(j)}X))",
        tags=("symbolic-slow",),
    ),
]


# --------------------------------------------------------------------------- networks
def _network(name, objective, forward, example, notes, formula, backprop=None, **kw) -> ModelCase:
    return ModelCase(name=f"network.{name}", kind="network", forward=forward,
                     objective=objective, example=example, notes=notes, formula=formula,
                     backprop=backprop, **kw)


def _mlp_example(name, sizes, convention, target):
    def example(seed: int) -> tuple:
        r = rng_for(seed, name)
        params = {}
        for k in range(1, len(sizes)):
            shape = (sizes[k - 1], sizes[k]) if convention == "WTx" else (sizes[k], sizes[k - 1])
            params[f"W{k}"] = _normal(r, *shape, scale=0.8)
            params[f"b{k}"] = _normal(r, sizes[k], scale=0.3)
        y = r.uniform(0.1, 0.9, size=sizes[-1]) if target == "prob" else _normal(r, sizes[-1])
        return params, _normal(r, sizes[0]), y

    return example


def _rousseau(name, acts, loss, lam=0.0, penalty="squared", slip=None):
    def objective(p, x, y):
        return networks.rousseau_loss(p, x, y, acts, loss, lam, penalty)

    def backprop(p, x, y):
        g = bp.rousseau_backprop(p, x, y, acts, loss)
        if lam:  # the printed penalty gradient 2λw, whichever penalty is used
            for k in p:
                if k.startswith("W"):
                    g[k] = g[k] + bp.rousseau_penalty_grad_as_written(p[k], lam)
        return g

    return _network(name, objective, lambda p, x, y: networks.rousseau_mlp(p, x, acts),
                    _mlp_example(name, [3, 4, 3, 2][: len(acts) + 1], "WTx",
                                 "prob" if loss == "ce" else "real"),
                    ("Rousseau eqs. (2)-(4)",), f"x^(k) = σ(wᵀx + b), σ = {acts}, loss {loss}",
                    backprop, slip=slip, kinks="relu" in acts)


def _lepetit2_example(kind):
    def example(seed: int) -> tuple:
        r = rng_for(seed, "lepetit2" + kind)
        p = {"W": _normal(r, 4, 3), "b": _normal(r, 4), "W2": _normal(r, 3, 4), "b2": _normal(r, 3)}
        X = _normal(r, 5, 3)
        return p, X, (_normal(r, 5, 3) if kind == "regression" else r.integers(0, 3, size=5))

    return example


def _lepetit3_example(seed: int) -> tuple:
    r = rng_for(seed, "lepetit3")
    p = {"W1": _normal(r, 4, 3), "W2": _normal(r, 4, 4), "W3": _normal(r, 2, 4)}
    return p, _normal(r, 3), _normal(r, 2)


def _bradbury_f_example(seed: int) -> tuple:
    if seed == 0:  # the worked numbers of the notes
        return {"x0": 3.0, "w0": -2.0, "w1": 4.0}, None, None
    r = rng_for(seed, "bradbury_f")
    return {"x0": float(r.uniform(1, 2)), "w0": float(r.uniform(1, 2)),
            "w1": float(r.uniform(0.5, 1))}, None, None


def _bradbury_f_backprop(p, i, t):
    d = bp.bradbury_f_local_derivatives(p["x0"], p["w0"], p["w1"])
    return {"x0": d["df_dx0"], "w0": d["df_dw0"], "w1": d["df_dw1"]}


def _bradbury_scalar_example(seed: int) -> tuple:
    r = rng_for(seed, "bradbury_scalar")
    return ({"w1": float(r.normal()), "w2": float(r.normal())}, float(r.normal()),
            float(r.uniform()))


def _bradbury_mlp_example(seed: int) -> tuple:
    r = rng_for(seed, "bradbury_mlp")
    p = {"W1": _normal(r, 3, 2), "W2": _normal(r, 3, 3), "W3": _normal(r, 2, 3)}
    return p, _normal(r, 2), r.uniform(size=2)


def _jiang_example(seed: int) -> tuple:
    r = rng_for(seed, "jiang_dnn")
    p = {"W1": _normal(r, 4, 3), "b1": _normal(r, 4), "W2": _normal(r, 4, 4), "b2": _normal(r, 4),
         "W3": _normal(r, 3, 4), "b3": _normal(r, 3)}
    return p, _normal(r, 3), int(r.integers(0, 3))


def _cnn_example(seed: int) -> tuple:
    r = rng_for(seed, "small_cnn")
    p = {"K": _normal(r, 2, 2, 1, 2), "c": _normal(r, 2, scale=0.1), "W": _normal(r, 3, 2),
         "b": _normal(r, 3)}
    # a batch of two 4×4 images (the batched layers; 3×3 maps: the ragged row is dropped)
    return p, _normal(r, 2, 4, 4, 1), r.integers(0, 3, size=2)


def _rnn_example(seed: int) -> tuple:
    r = rng_for(seed, "rnn")
    p = {"W1": _normal(r, 2, 4, scale=0.6), "b1": _normal(r, 2), "W2": _normal(r, 1, 2),
         "b2": _normal(r, 1)}
    return p, _normal(r, 3, 2), _normal(r, 3, 1)


def _transformer_example(seed: int) -> tuple:
    r = rng_for(seed, "transformer")
    heads = [{k: _normal(r, 1, 2) for k in ("A", "B", "C")} for _ in range(2)]
    p = {"heads": heads, "gamma": 1.0 + _normal(r, 2, scale=0.1), "beta": _normal(r, 2, scale=0.1),
         "W1": _normal(r, 3, 2), "b1": _normal(r, 3), "W2": _normal(r, 2, 3), "b2": _normal(r, 2)}
    return p, _normal(r, 2, 3), _normal(r, 2, 3)


def _igel(name, d, M, K, out, loss, tags=()):
    def example(seed: int) -> tuple:
        r = rng_for(seed, name)
        W = _normal(r, M + K, 1 + d + M) * bi.connection_mask(d, M, K)
        if out == "softmax":
            y = np.eye(K)[r.integers(K)]
        elif out == "sigmoid":
            y = r.integers(0, 2, size=K) * 1.0
        else:
            y = _normal(r, K)
        return {"W": W}, _normal(r, d), y

    return _network(
        name, lambda p, x, y: networks_igel.igel_loss(p, x, y, d, M, K, "tanh", out, loss),
        lambda p, x, y: networks_igel.igel_network(p, x, d, M, K, "tanh", out), example,
        ("Igel, backpropagation I-V",),
        f"general feed-forward net with shortcuts, {out} outputs, {loss}; δ = z − y",
        lambda p, x, y: bi.igel_backprop(p, x, y, d, M, K, "tanh", out, loss), tags=tags)


def _spectral_example(seed: int) -> tuple:
    # a signal of N = 8 samples (even: DC, three inside bins and Nyquist) from 2 inputs, and a
    # positive target spectrum of the 5 bins, of the size of the model's own
    r = rng_for(seed, "spectral_fit")
    p = {"W": _normal(r, 8, 2, scale=0.7), "b": _normal(r, 8, scale=0.3)}
    return p, _normal(r, 2), r.uniform(0.2, 3.0, size=5)


def _xor_example(seed: int) -> tuple:
    X, y = xor()
    return networks_igel.xor_params(), X, y


#: the network entries, in catalogue order
NETWORK_CASES: list[ModelCase] = [
    _rousseau("rousseau_mlp_mse", ("tanh", "sigmoid", "identity"), "mse"),
    _rousseau("rousseau_mlp_ce", ("relu", "sigmoid"), "ce"),
    _rousseau("rousseau_mlp_l2", ("tanh", "identity"), "mse", lam=0.05),
    _rousseau(
        "rousseau_mlp_frobenius", ("tanh", "identity"), "mse", lam=0.05, penalty="frobenius",
        slip="the penalty is λ Σ‖w‖_F as printed, but the notes' gradient 2λw (used here) is that "
        "of λ Σ‖w‖²_F; the difference is λ(2w − w/‖w‖_F) on each weight matrix",
    ),
    *[_network(f"lepetit_two_layer_{_kind}",
               lambda p, X, t, _k=_kind: networks.lepetit_two_layer_loss(p, X, t, _k),
               lambda p, X, t: networks.lepetit_two_layer(p, X), _lepetit2_example(_kind),
               ("Lepetit eqs. 4, 7",), "h = g(Wx + b), o = W2 h + b2; NLL summed over the set",
               kinks=True)
      for _kind in ("regression", "classification")],
    _network("lepetit_three_layer", networks.lepetit_three_layer_loss,
             lambda p, x, e: networks.lepetit_three_layer(p, x), _lepetit3_example,
             ("Lepetit eqs. 14, 30, 45-47",), "x3 = W3 g(W2 g(W1 x0)), L = ½‖x3 − e‖²",
             lambda p, x, e: bp.lepetit_backprop(p, x, e)),
    _network("bradbury_f", lambda p, i, t: networks.bradbury_f(p["x0"], p["w0"], p["w1"]),
             lambda p, i, t: networks.bradbury_f(p["x0"], p["w0"], p["w1"]), _bradbury_f_example,
             ("Bradbury",), "f = 1/(w0 x0 + w1); at (3, −2, 4): ∂f/∂w0 = −0.75, ∂f/∂x0 = 0.5",
             _bradbury_f_backprop),
    _network("bradbury_scalar", networks.bradbury_scalar_loss,
             lambda p, x, y: networks.bradbury_scalar_net(p, x), _bradbury_scalar_example,
             ("Bradbury",), "ŷ = σ(w2 σ(w1 x)), E = ½(ŷ − y)²",
             lambda p, x, y: bp.bradbury_scalar_backprop(p, x, y)),
    _network("bradbury_mlp", networks.bradbury_mlp_loss,
             lambda p, x, y: networks.bradbury_mlp(p, x), _bradbury_mlp_example,
             ("Bradbury, quick reference",),
             "a = W z, z = σ(a); δ^(k) = W^(k+1)ᵀ δ^(k+1) ∘ σ'(a^(k))",
             lambda p, x, y: bp.bradbury_backprop(p, x, y)),
    _network("jiang_dnn", networks.jiang_dnn_loss, lambda p, x, r: networks.jiang_dnn(p, x),
             _jiang_example, ("Jiang, DNN backward pass",),
             "ReLU hidden, softmax output, Q = −ln y_r; e^(L) = y − onehot(r)",
             lambda p, x, r: bj.dnn_backward(p, x, r), kinks=True),
    _network("small_cnn", networks.small_cnn_loss, lambda p, x, r: networks.small_cnn_logits(p, x),
             _cnn_example, ("Jiang, CNNs",),
             "conv2d → ReLU → maxpool → dense → softmax CE, summed over a batch of 2",
             kinks=True, tags=("symbolic-slow",)),
    _network("rnn", networks.rnn_loss, lambda p, X, Y: sequence.rnn(X, p), _rnn_example,
             ("Jiang, RNN",), "h_t = tanh(W1[x_t; h_{t−1}] + b1), y_t = W2 h_t + b2; ½Σ‖y_t − ·‖²",
             tags=("symbolic-slow",)),
    _network("transformer", networks.transformer_loss,
             lambda p, X, Y: sequence.transformer_block(X, p), _transformer_example,
             ("Jiang, transformer",), "Y = feedforward(LN(X + concat_j Z^(j)))", kinks=True,
             tags=("symbolic-slow",)),
    _igel("igel_sse", 2, 3, 2, "identity", "sse"),
    _igel("igel_bce", 2, 3, 1, "sigmoid", "bce"),
    _igel("igel_softmax_ce", 2, 3, 3, "softmax", "ce", tags=("symbolic-slow",)),
    _network("spectral_fit", spectral.spectral_loss, spectral.spectral_model, _spectral_example,
             ("Jiang, full connection (e = ∂Q/∂y)", "not in the notes: the DFT"),
             "y = tanh(Wx + b), Q = Σ_k (|rfft(y)_k|² − S_k)²; e = 4N·irfft(v ⊙ r ⊙ Y), "
             "v = ½ inside, 1 at DC and Nyquist", spectral.spectral_backprop),
    _network("xor", lambda p, X, y: sum_of_squares(networks_igel.xor_network(X, p)[:, 0], y),
             lambda p, X, y: networks_igel.xor_network(X, p), _xor_example, ("Igel, XOR",),
             "step MLP with hand-set weights; output = XOR exactly, gradient 0 a.e.", kinks=True),
]
