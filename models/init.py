"""Parameter initialisation: Xavier / Glorot uniform (Lepetit eq. 77), biases at zero.

>>> p = init_mlp([2, 3, 1], seed=0); sorted(p)
['W1', 'W2', 'b1', 'b2']
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

Array = np.ndarray


def xavier_bound(m: int, n: int) -> float:
    """``√(6 / (m + n))`` with m inputs and n outputs of the matrix.

    >>> xavier_bound(2, 1)
    1.4142135623730951
    """
    if m <= 0 or n <= 0:
        raise ValueError(f"xavier_bound: fan-in and fan-out must be positive, got m={m}, n={n}")
    return math.sqrt(6.0 / (m + n))


def xavier_uniform(
    n_in: int, n_out: int, rng: np.random.Generator | int = 0, convention: str = "Wx"
) -> Array:
    """``W_ij ~ Uniform(−√(6/(m+n)), √(6/(m+n)))`` (Lepetit eq. 77, Glorot & Bengio).

    ``convention="Wx"`` returns shape (n_out, n_in) for ``y = Wx + b`` (Lepetit, Jiang);
    ``convention="WTx"`` returns (n_in, n_out) for Rousseau's ``y = Wᵀx + b``.

    >>> W = xavier_uniform(4, 2, rng=0); W.shape, bool(abs(W).max() <= xavier_bound(4, 2))
    ((2, 4), True)
    """
    if not isinstance(rng, np.random.Generator):
        rng = np.random.default_rng(rng)
    b = xavier_bound(n_in, n_out)
    if convention == "Wx":
        shape = (n_out, n_in)
    elif convention == "WTx":
        shape = (n_in, n_out)
    else:
        raise ValueError(f"xavier_uniform: convention must be 'Wx' or 'WTx', got {convention!r}")
    return rng.uniform(-b, b, size=shape)


def init_mlp(sizes: Sequence[int], seed: int = 0, convention: str = "Wx") -> dict:
    """Parameters ``{"W1", "b1", …, "WK", "bK"}`` for layer sizes ``[n_0, n_1, …, n_K]``.

    Weights Xavier-uniform, biases zero ("Biases (b) usually initialized to 0", Lepetit).

    >>> p = init_mlp([3, 5, 2], seed=1, convention="WTx"); p["W1"].shape, p["b2"].tolist()
    ((3, 5), [0.0, 0.0])
    """
    if len(sizes) < 2:
        raise ValueError(f"init_mlp: need at least input and output sizes, got {list(sizes)}")
    rng = np.random.default_rng(seed)
    params = {}
    for k in range(1, len(sizes)):
        params[f"W{k}"] = xavier_uniform(sizes[k - 1], sizes[k], rng, convention)
        params[f"b{k}"] = np.zeros(sizes[k])
    return params
