"""The small-CNN benchmark: ``python benchmarks/cnn.py`` prints one table, measured in one run.

The gradient of ``models.networks.small_cnn_loss`` (the catalogue's network.small_cnn, batched:
``conv2d`` 8 kernels 3×3 → + c → ReLU → 2×2 max-pool → dense → softmax CE, summed) on a batch
of 16 images 1×28×28, by ``dn.grad`` through ``dualnum.models``' batched layers, against

* the hand-written numpy backprop of the same network (``_numpy_cnn.py``: im2col with
  ``sliding_window_view``, four-slice max-pool; gradients checked first, to 1e-9 relative);
* the numpy forward pass alone;
* torch eager (``torch.autograd.grad``, float64, NCHW), when torch is importable (its
  gradients checked against dualnum's first).

Timings are the best of 25 interleaved samples after a warm-up (``_workloads.compare``), the
default allocator; the last line gives minor page faults per call of each candidate.
"""
from __future__ import annotations

import os
import sys

# One BLAS thread (and one torch thread) unless the caller chose (see forward.py for why).
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np  # noqa: E402

_HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, _HERE)
sys.path.insert(0, os.path.dirname(_HERE))   # the dualnum of this tree, not an installed one

import dualnum as dn  # noqa: E402
from _extras import available, extra_columns  # noqa: E402
from _numpy_cnn import cnn_backprop, cnn_data, cnn_loss, init_cnn  # noqa: E402
from _workloads import Table, compare, fault_row  # noqa: E402
from dualnum.models.networks import small_cnn_loss  # noqa: E402

BATCH = 16
TARGET_HAND, TARGET_TORCH = 1.3, 1.5


def bench_cnn(table: Table) -> None:
    params = init_cnn()
    X, r = cnn_data(BATCH)
    g = dn.grad(lambda p: small_cnn_loss(p, X, r))
    # correctness first: dualnum's gradient against the hand-written backprop
    hand_loss, hand = cnn_backprop(params, X, r)
    assert abs(hand_loss - float(small_cnn_loss(params, X, r))) < 1e-9 * abs(hand_loss)
    ours = g(params)
    for k in hand:
        np.testing.assert_allclose(ours[k], hand[k], rtol=1e-9, atol=1e-12, err_msg=k)
    fns = {
        "hand": lambda: cnn_backprop(params, X, r),
        "forward": lambda: cnn_loss(params, X, r),
        "grad": lambda: g(params),
    }
    fns.update(extra_columns("cnn_grad", params=params, X=X, r=r, want=ours))
    res = compare(fns)
    label = f"small CNN b{BATCH} 1x28x28, 8 3x3 kernels, pool 2, dense 10"
    table.ratio(f"{label}: grad vs hand backprop", res["grad"], res["hand"], TARGET_HAND)
    if "x:torch" in res:
        table.ratio("    grad vs torch eager", res["grad"], res["x:torch"], TARGET_TORCH)
        table.ratio("    torch eager vs hand backprop", res["x:torch"], res["hand"], None)
    else:
        table.figure("    grad vs torch eager", "torch not importable", f"<= {TARGET_TORCH:g}x")
    table.ratio("    grad vs numpy forward pass", res["grad"], res["forward"], None)
    table.ratio("    hand backprop vs numpy forward pass", res["hand"], res["forward"], None)
    fault_row(table, "CNN", fns)


def main() -> None:
    table = Table("dualnum small-CNN gradient (best of 25 interleaved samples; "
                  "ratio = first / second)")
    bench_cnn(table)
    table.note("layers: dualnum.models.conv2d (im2col: dnp.sliding_window_view, one reshape, "
               "one matmul for the whole batch) and maxpool2d (one dnp.max over each 2x2 "
               "window's axes; a small block is reduced as slices with np.maximum).")
    table.note("extra frameworks: " + (", ".join(available()) or "none importable (jax, "
                                                                    "torch, autograd)"))
    print(table.render())


if __name__ == "__main__":
    main()
