"""Convolution and max-pooling (Jiang, "Building Blocks (II)/(III)" and "From Convolution Sum to
CNNs"), written against ``dualnum.numpy``.

The index arrays are built with numpy and the input is gathered with ``x[idx]``, then contracted
with the kernels by one matrix product: the same code runs on every interpreter. Shapes follow
Jiang's index formulas: 1-D ``x[position, ply]`` (d, p), kernels ``w[i1, ply, kernel]``
(f, p, k), output ``y[j1, kernel]`` (n, k); 2-D ``x`` (d1, d2, p), ``w`` (f1, f2, p, k),
``y`` (n1, n2, k). Zero-padding and stride: ``n = (d + 2·padding − f) // stride + 1``.

>>> import numpy as np
>>> conv1d(np.array([1.0, 2.0, 3.0]), np.array([1.0, -1.0])).tolist()
[-1.0, -1.0]
"""

from __future__ import annotations

from typing import Any

import numpy as np

import dualnum.numpy as dnp


def _out_size(name: str, d: int, f: int, stride: int, padding: int) -> int:
    if stride < 1 or padding < 0:
        raise ValueError(f"{name}: stride must be >= 1 and padding >= 0, got {stride}, {padding}")
    if f > d + 2 * padding:
        raise ValueError(f"{name}: kernel size {f} exceeds padded input size {d + 2 * padding}")
    return (d + 2 * padding - f) // stride + 1


def conv1d(x: Any, w: Any, stride: int = 1, padding: int = 0) -> Any:
    """Jiang's convolution sum ``y_j = Σ_{i=1}^f w_i x_{j+i−1}``, with plies and kernels
    ``y_{j1,j2} = Σ_{i2=1}^p Σ_{i1=1}^f w_{i1,i2,j2} x_{j1+i1−1,i2}``, zero-padding and stride.

    ``x`` (d,) with ``w`` (f,) gives (n,); ``x`` (d, p) with ``w`` (f, p, k) gives (n, k).

    >>> conv1d(np.ones((3, 1)), np.ones((2, 1, 1)), padding=1)[:, 0].tolist()
    [1.0, 2.0, 2.0, 1.0]
    """
    sx, sw = tuple(dnp.shape(x)), tuple(dnp.shape(w))
    single = len(sx) == 1
    if not ((single and len(sw) == 1) or (len(sx) == 2 and len(sw) == 3 and sw[1] == sx[1])):
        raise ValueError(
            f"conv1d: input {sx} and kernels {sw} do not fit; expected x (d,) with w (f,), "
            f"or x (d, p) with w (f, p, k)"
        )
    d, f = sx[0], sw[0]
    n = _out_size("conv1d", d, f, stride, padding)
    if padding:
        pads = ((padding, padding),) if single else ((padding, padding), (0, 0))
        x = dnp.pad(x, pads)
    idx = (np.arange(n) * stride)[:, None] + np.arange(f)[None, :]  # (n, f)
    patches = x[idx]  # (n, f) or (n, f, p)
    if single:
        return dnp.matmul(patches, w)
    p, k = sw[1], sw[2]
    return dnp.matmul(dnp.reshape(patches, (n, f * p)), dnp.reshape(w, (f * p, k)))


def conv2d(x: Any, w: Any, stride: int = 1, padding: int = 0) -> Any:
    """Jiang's 2-D convolution ``y_{j1,j2,j3} = Σ_{i3} Σ_{i2} Σ_{i1} w_{i1,i2,i3,j3}
    x_{j1+i1−1, j2+i2−1, i3}`` with x (d1, d2, p), w (f1, f2, p, k), y (n1, n2, k).

    >>> conv2d(np.ones((3, 3, 1)), np.ones((2, 2, 1, 1)))[:, :, 0].tolist()
    [[4.0, 4.0], [4.0, 4.0]]
    """
    sx, sw = tuple(dnp.shape(x)), tuple(dnp.shape(w))
    if len(sx) != 3 or len(sw) != 4 or sw[2] != sx[2]:
        raise ValueError(
            f"conv2d: input {sx} and kernels {sw} do not fit; expected x (d1, d2, p) with "
            f"w (f1, f2, p, k)"
        )
    (d1, d2, p), (f1, f2, _, k) = sx, sw
    n1 = _out_size("conv2d", d1, f1, stride, padding)
    n2 = _out_size("conv2d", d2, f2, stride, padding)
    if padding:
        x = dnp.pad(x, ((padding, padding), (padding, padding), (0, 0)))
    D2 = d2 + 2 * padding
    flat = dnp.reshape(x, ((d1 + 2 * padding) * D2, p))
    rows = (np.arange(n1) * stride)[:, None, None, None] + np.arange(f1)[None, None, :, None]
    cols = (np.arange(n2) * stride)[None, :, None, None] + np.arange(f2)[None, None, None, :]
    idx = (rows * D2 + cols).reshape(-1)  # (n1, n2, f1, f2) flattened
    patches = dnp.reshape(flat[idx], (n1 * n2, f1 * f2 * p))
    y = dnp.matmul(patches, dnp.reshape(w, (f1 * f2 * p, k)))
    return dnp.reshape(y, (n1, n2, k))


def _check_window(name: str, m: Any) -> None:
    if not isinstance(m, (int, np.integer)) or m < 1:
        raise ValueError(f"{name}: the window size m must be a positive integer, got {m!r}")


def maxpool1d(x: Any, m: int) -> Any:
    """``y = maxpool_{/m}(x)``: the maximum of each of the n/m non-overlapping windows of size m
    (Jiang). ``x`` is (n,) or (n, k) (pooled along the first axis).

    >>> maxpool1d(np.array([1.0, 3.0, 2.0, 0.0]), 2).tolist()
    [3.0, 2.0]
    """
    s = tuple(dnp.shape(x))
    _check_window("maxpool1d", m)
    if not s or s[0] % m:
        raise ValueError(f"maxpool1d: input length {s[0] if s else None} not divisible by m={m}")
    return dnp.max(dnp.reshape(x, (s[0] // m, m) + s[1:]), axis=1)


def maxpool2d(x: Any, m: int) -> Any:
    """Jiang's max-pooling over non-overlapping m × m windows of a (d1, d2, k) feature map.

    >>> maxpool2d(np.arange(16.0).reshape(4, 4, 1), 2)[:, :, 0].tolist()
    [[5.0, 7.0], [13.0, 15.0]]
    """
    s = tuple(dnp.shape(x))
    _check_window("maxpool2d", m)
    if len(s) != 3 or s[0] % m or s[1] % m:
        raise ValueError(f"maxpool2d: expected (d1, d2, k) with d1, d2 divisible by {m}, got {s}")
    d1, d2, k = s
    windows = dnp.reshape(x, (d1 // m, m, d2 // m, m, k))
    return dnp.max(dnp.max(windows, axis=3), axis=1)
