"""Convolution and max-pooling (Jiang, "Building Blocks (II)/(III)" and "From Convolution Sum to
CNNs"), written against ``dualnum.numpy``, on one sample or a batch.

Shapes follow Jiang's index formulas: 1-D ``x[position, ply]`` (d, p), kernels
``w[i1, ply, kernel]`` (f, p, k), output ``y[j1, kernel]`` (n, k); 2-D ``x`` (d1, d2, p), ``w``
(f1, f2, p, k), ``y`` (n1, n2, k). Zero-padding and stride:
``n = (d + 2·padding − f) // stride + 1``. A **batch** is one more leading axis on ``x`` and
``y``: (B, d, p) → (B, n, k), (B, d1, d2, p) → (B, n1, n2, k), (B, d) with one kernel (f,).

The convolution is im2col: ``dnp.sliding_window_view`` (numpy's own window view, a primitive
of the rule table whose VJP adds each window's adjoint back in place, one slice-add per kernel
offset) gives every patch, one reshape makes them a (patches, f·p) matrix and one matrix
product applies all kernels at once, for every sample of the batch. Max-pooling is one ``max``
over each window's axes (``dnp.max``'s tie rule: tied maxima share the derivative evenly).

>>> import numpy as np
>>> conv1d(np.array([1.0, 2.0, 3.0]), np.array([1.0, -1.0])).tolist()
[-1.0, -1.0]
>>> conv2d(np.ones((5, 4, 4, 1)), np.ones((2, 2, 1, 3))).shape       # a batch of 5
(5, 3, 3, 3)
"""

from __future__ import annotations

from typing import Any

import numpy as np

import dualnum.numpy as dnp


def _out_size(name: str, d: int, f: int, stride: int, padding: int) -> int:
    if not isinstance(stride, (int, np.integer)) or not isinstance(padding, (int, np.integer)):
        raise ValueError(f"{name}: stride and padding must be integers, got {stride!r}, "
                         f"{padding!r}")
    if stride < 1 or padding < 0:
        raise ValueError(f"{name}: stride must be >= 1 and padding >= 0, got {stride}, {padding}")
    if f > d + 2 * padding:
        raise ValueError(f"{name}: kernel size {f} exceeds padded input size {d + 2 * padding}")
    return (d + 2 * padding - f) // stride + 1


def _patches(x: Any, spatial: int, f: tuple, stride: int, padding: int) -> Any:
    """The windows of ``x`` (lead…, d…, p) along its ``spatial`` axes before the plies, strided
    and zero-padded: (lead…, n…, p, f…), a view until it is reshaped."""
    nd = len(dnp.shape(x))
    axes = tuple(range(nd - 1 - spatial, nd - 1))
    if padding:
        x = dnp.pad(x, ((0, 0),) * (nd - 1 - spatial) + ((padding, padding),) * spatial
                    + ((0, 0),))
    win = dnp.sliding_window_view(x, f, axis=axes)
    if stride > 1:
        win = win[(Ellipsis,) + (slice(None, None, stride),) * spatial + (slice(None),) * (
            spatial + 1)]
    return win


def conv1d(x: Any, w: Any, stride: int = 1, padding: int = 0) -> Any:
    """Jiang's convolution sum ``y_j = Σ_{i=1}^f w_i x_{j+i−1}``, with plies and kernels
    ``y_{j1,j2} = Σ_{i2=1}^p Σ_{i1=1}^f w_{i1,i2,j2} x_{j1+i1−1,i2}``, zero-padding and stride.

    ``x`` (d,) with ``w`` (f,) gives (n,); ``x`` (d, p) with ``w`` (f, p, k) gives (n, k); a
    batch: ``x`` (B, d) with ``w`` (f,) gives (B, n), ``x`` (B, d, p) with ``w`` (f, p, k)
    gives (B, n, k).

    >>> conv1d(np.ones((3, 1)), np.ones((2, 1, 1)), padding=1)[:, 0].tolist()
    [1.0, 2.0, 2.0, 1.0]
    >>> conv1d(np.array([[1.0, 2.0, 3.0], [0.0, 0.0, 1.0]]), np.array([1.0, -1.0])).tolist()
    [[-1.0, -1.0], [0.0, -1.0]]
    """
    sx, sw = tuple(dnp.shape(x)), tuple(dnp.shape(w))
    single = len(sw) == 1 and len(sx) in (1, 2)
    if not (single or (len(sw) == 3 and len(sx) in (2, 3) and sx[-1] == sw[1])):
        raise ValueError(
            f"conv1d: input {sx} and kernels {sw} do not fit; expected x (d,) or a batch "
            f"(B, d) with w (f,), or x (d, p) or a batch (B, d, p) with w (f, p, k)"
        )
    if single:      # one ply, one kernel: the plies axis is added and taken off again
        y = conv1d(dnp.reshape(x, sx + (1,)), dnp.reshape(w, sw + (1, 1)), stride, padding)
        return dnp.reshape(y, tuple(dnp.shape(y))[:-1])
    f, p, k = sw
    n = _out_size("conv1d", sx[-2], f, stride, padding)
    lead = sx[:-2]
    win = _patches(x, 1, (f,), stride, padding)                  # (lead…, n, p, f)
    patches = dnp.reshape(win, (-1, p * f))
    y = dnp.matmul(patches, dnp.reshape(dnp.transpose(w, (1, 0, 2)), (p * f, k)))
    return dnp.reshape(y, lead + (n, k))


def conv2d(x: Any, w: Any, stride: int = 1, padding: int = 0) -> Any:
    """Jiang's 2-D convolution ``y_{j1,j2,j3} = Σ_{i3} Σ_{i2} Σ_{i1} w_{i1,i2,i3,j3}
    x_{j1+i1−1, j2+i2−1, i3}`` with x (d1, d2, p), w (f1, f2, p, k), y (n1, n2, k); a batch
    ``x`` (B, d1, d2, p) gives (B, n1, n2, k).

    >>> conv2d(np.ones((3, 3, 1)), np.ones((2, 2, 1, 1)))[:, :, 0].tolist()
    [[4.0, 4.0], [4.0, 4.0]]
    """
    sx, sw = tuple(dnp.shape(x)), tuple(dnp.shape(w))
    if len(sx) not in (3, 4) or len(sw) != 4 or sw[2] != sx[-1]:
        raise ValueError(
            f"conv2d: input {sx} and kernels {sw} do not fit; expected x (d1, d2, p) or a "
            f"batch (B, d1, d2, p) with w (f1, f2, p, k)"
        )
    f1, f2, p, k = sw
    n1 = _out_size("conv2d", sx[-3], f1, stride, padding)
    n2 = _out_size("conv2d", sx[-2], f2, stride, padding)
    lead = sx[:-3]
    win = _patches(x, 2, (f1, f2), stride, padding)              # (lead…, n1, n2, p, f1, f2)
    patches = dnp.reshape(win, (-1, p * f1 * f2))
    kernels = dnp.reshape(dnp.transpose(w, (2, 0, 1, 3)), (p * f1 * f2, k))  # rows like patches
    return dnp.reshape(dnp.matmul(patches, kernels), lead + (n1, n2, k))


def _check_window(name: str, m: Any) -> None:
    if not isinstance(m, (int, np.integer)) or isinstance(m, bool) or m < 1:
        raise ValueError(f"{name}: the window size m must be a positive integer, got {m!r}")


def maxpool1d(x: Any, m: int) -> Any:
    """``y = maxpool_{/m}(x)``: the maximum of each of the n/m non-overlapping windows of size m
    (Jiang). ``x`` is (n,) or (n, k) (pooled along the first axis), or a batch (B, n, k).

    >>> maxpool1d(np.array([1.0, 3.0, 2.0, 0.0]), 2).tolist()
    [3.0, 2.0]
    """
    s = tuple(dnp.shape(x))
    _check_window("maxpool1d", m)
    if len(s) not in (1, 2, 3):
        raise ValueError(f"maxpool1d: expected (n,), (n, k) or a batch (B, n, k), got {s}")
    ax = 1 if len(s) == 3 else 0
    if s[ax] % m:
        raise ValueError(f"maxpool1d: input length {s[ax]} (shape {s}) not divisible by m={m}")
    return dnp.max(dnp.reshape(x, s[:ax] + (s[ax] // m, m) + s[ax + 1:]), axis=ax + 1)


def maxpool2d(x: Any, m: int) -> Any:
    """Jiang's max-pooling over non-overlapping m × m windows of a (d1, d2, k) feature map, or
    of each map of a batch (B, d1, d2, k). One ``max`` over each window's two axes: tied maxima
    of a window share the derivative evenly.

    >>> maxpool2d(np.arange(16.0).reshape(4, 4, 1), 2)[:, :, 0].tolist()
    [[5.0, 7.0], [13.0, 15.0]]
    """
    s = tuple(dnp.shape(x))
    _check_window("maxpool2d", m)
    if len(s) not in (3, 4) or s[-3] % m or s[-2] % m:
        raise ValueError(f"maxpool2d: expected (d1, d2, k) or a batch (B, d1, d2, k) with d1, "
                         f"d2 divisible by {m}, got {s}")
    lead, (d1, d2, k) = s[:-3], s[-3:]
    windows = dnp.reshape(x, lead + (d1 // m, m, d2 // m, m, k))
    return dnp.max(windows, axis=(len(lead) + 1, len(lead) + 3))
