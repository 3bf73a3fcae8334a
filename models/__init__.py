"""dualnum.models: every network, layer, loss, activation and optimizer of the lecture notes.

Model code is written once against ``dualnum.numpy`` and runs unchanged on floats/ndarrays,
``Dual`` numbers, tape variables and sympy symbols. The notes' hand-derived backpropagation
(plain numpy, an independent fourth source of derivatives) is in ``backprop``,
``backprop_jiang`` and ``backprop_igel``; ``catalog`` lists every case with a uniform
``(params, inputs, targets)`` convention for the comparison report.

>>> import numpy as np
>>> import dualnum as dn
>>> from dualnum.models import lepetit_three_layer_loss, lepetit_backprop
>>> p = {"W1": np.eye(2), "W2": np.eye(2), "W3": np.eye(2)}
>>> x0, e = np.array([0.5, -1.0]), np.array([1.0, 0.0])
>>> g = dn.grad(lepetit_three_layer_loss)(p, x0, e)
>>> bool(np.allclose(g["W1"], lepetit_backprop(p, x0, e)["W1"]))
True
"""

from .activations import (
    ACTIVATIONS,
    gelu,
    get_activation,
    identity,
    log_softmax,
    relu,
    sigmoid,
    softmax,
    softsign,
    step,
    tanh,
)
from .backprop import (
    bradbury_backprop,
    bradbury_f_local_derivatives,
    bradbury_scalar_backprop,
    lepetit_backprop,
    rousseau_backprop,
)
from .backprop_igel import igel_backprop
from .backprop_jiang import dnn_backward
from .catalog import CATALOG, ModelCase, cases, get, names
from .conv import conv1d, conv2d, maxpool1d, maxpool2d
from .datasets import gaussian_mixture, linear_model, one_hot, train_val_split, xor
from .init import init_mlp, xavier_uniform
from .layers import (
    batch_norm,
    batch_norm_rousseau_as_written,
    dense,
    dense_t,
    dropout,
    dropout_mask,
    dropout_test,
    layer_norm,
    weight_norm,
)
from .losses import (
    binary_cross_entropy,
    binary_cross_entropy_with_logits,
    cross_entropy,
    frobenius_penalty,
    half_l2_penalty,
    l2_penalty,
    mse,
    nll_categorical,
    nll_gaussian,
    softmax_cross_entropy,
    sum_of_squares,
)
from .networks import (
    bradbury_chain,
    bradbury_f,
    bradbury_mlp,
    bradbury_mlp_loss,
    bradbury_scalar_loss,
    bradbury_scalar_net,
    bradbury_sum,
    jiang_dnn,
    jiang_dnn_logits,
    jiang_dnn_loss,
    lepetit_three_layer,
    lepetit_three_layer_loss,
    lepetit_two_layer,
    lepetit_two_layer_loss,
    rnn_loss,
    rousseau_loss,
    rousseau_mlp,
    small_cnn_logits,
    small_cnn_loss,
    transformer_loss,
)
from .networks_igel import igel_loss, igel_network, xor_network, xor_params
from .optimizers import (
    OPTIMIZERS,
    adagrad_init,
    adagrad_step,
    adam_init,
    adam_step,
    early_stopping,
    gd_init,
    gd_step,
    get_optimizer,
    heavy_ball_init,
    heavy_ball_step,
    minibatches,
    momentum_ema_init,
    momentum_ema_step,
    rmsprop_init,
    rmsprop_step,
    weight_decay_step,
)
from .sequence import attention, multi_head_attention, rnn, tapped_delay_line, transformer_block

__all__ = [
    # activations
    "ACTIVATIONS", "gelu", "get_activation", "identity", "log_softmax", "relu", "sigmoid",
    "softmax", "softsign", "step", "tanh",
    # losses and penalties
    "binary_cross_entropy", "binary_cross_entropy_with_logits", "cross_entropy",
    "frobenius_penalty", "half_l2_penalty", "l2_penalty", "mse", "nll_categorical",
    "nll_gaussian", "softmax_cross_entropy", "sum_of_squares",
    # layers
    "attention", "batch_norm", "batch_norm_rousseau_as_written", "conv1d", "conv2d", "dense",
    "dense_t", "dropout", "dropout_mask",
    "dropout_test", "layer_norm", "maxpool1d", "maxpool2d", "multi_head_attention", "rnn",
    "tapped_delay_line", "transformer_block", "weight_norm",
    # networks
    "bradbury_chain", "bradbury_f", "bradbury_mlp", "bradbury_mlp_loss", "bradbury_scalar_loss",
    "bradbury_scalar_net", "bradbury_sum", "igel_loss", "igel_network", "jiang_dnn",
    "jiang_dnn_logits", "jiang_dnn_loss", "lepetit_three_layer", "lepetit_three_layer_loss",
    "lepetit_two_layer", "lepetit_two_layer_loss", "rnn_loss", "rousseau_loss", "rousseau_mlp",
    "small_cnn_logits", "small_cnn_loss", "transformer_loss", "xor_network", "xor_params",
    # the notes' hand-derived backprop
    "bradbury_backprop", "bradbury_f_local_derivatives", "bradbury_scalar_backprop",
    "dnn_backward", "igel_backprop", "lepetit_backprop", "rousseau_backprop",
    # init, optimizers, data
    "OPTIMIZERS", "adagrad_init", "adagrad_step", "adam_init", "adam_step", "early_stopping",
    "gaussian_mixture", "gd_init", "gd_step", "get_optimizer", "heavy_ball_init",
    "heavy_ball_step", "init_mlp", "linear_model", "minibatches", "momentum_ema_init",
    "momentum_ema_step", "one_hot", "rmsprop_init", "rmsprop_step", "train_val_split",
    "weight_decay_step", "xavier_uniform", "xor",
    # the catalogue
    "CATALOG", "ModelCase", "cases", "get", "names",
]
