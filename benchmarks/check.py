"""``check_grads`` benchmark: ``python benchmarks/check.py`` prints one table, measured in one run.

``dualnum.comparisons.check_grads`` on a 20-input scalar function (tanh, sin, log, exp, sums),
forward and reverse mode against central differences, against autograd's ``check_grads``
(``autograd.test_util``) on the same function, when autograd is importable:

* the same checks: ``full=False`` (one seeded random direction: ``J·v`` and
  ``⟨uᵀJ, v⟩ = ⟨u, J·v⟩``), which is what autograd's check does — the target row;
* the default, entry by entry (the whole 20-entry gradient by each mode against a central
  difference per coordinate: 2n + 1 evaluations of ``f`` when everything agrees), for
  information: it checks 20 times as much;
* order 2 both ways, for information.
One evaluation of ``f`` (plain numpy through ``dualnum.numpy``) is shown for scale.
"""
from __future__ import annotations

import os
import sys

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np  # noqa: E402

_HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, _HERE)
sys.path.insert(0, os.path.dirname(_HERE))   # the dualnum of this tree, not an installed one

import dualnum.numpy as dnp  # noqa: E402
from _extras import available, extra_columns  # noqa: E402
from _workloads import Table, compare, fault_row  # noqa: E402
from dualnum.comparisons import check_grads  # noqa: E402

N = 20


def f20(x, xp=dnp):
    """A smooth scalar function of a vector (``xp``: dnp, or autograd.numpy)."""
    return (xp.sum(xp.tanh(x) * xp.sin(x[::-1])) + xp.log(1.0 + xp.sum(x * x))
            * xp.exp(-x[0] ** 2))


def bench_check(table: Table) -> None:
    x = np.random.default_rng(0).normal(size=N)
    refs = ("central",)
    fns = {
        "eval": lambda: f20(x),
        "same": lambda: check_grads(f20, (x,), references=refs, full=False),
        "entries": lambda: check_grads(f20, (x,), references=refs),
        "same2": lambda: check_grads(f20, (x,), references=refs, full=False, order=2),
        "entries2": lambda: check_grads(f20, (x,), references=refs, order=2),
    }
    for f in fns.values():          # every check passes before it is timed
        f()
    peers = extra_columns("check_grads", f=f20, x=x)
    peers2 = {k + "2": v for k, v in extra_columns("check_grads_order2", f=f20, x=x).items()}
    fns.update(peers)
    fns.update(peers2)
    r = compare(fns, repeat=15)
    label = f"check_grads, {N}-input scalar f, fwd+rev vs central"
    if "x:autograd" in r:
        ag, ag2 = r["x:autograd"], r["x:autograd2"]
        table.ratio(f"{label}: same checks (full=False) vs autograd", r["same"], ag, 1.0)
        table.ratio("    entry by entry (default) vs autograd (one direction)", r["entries"],
                    ag, None)
        table.ratio("    order 2, same checks vs autograd order 2", r["same2"], ag2, None)
        table.ratio("    order 2, entry by entry vs autograd order 2", r["entries2"], ag2, None)
    else:
        table.figure(f"{label}: same checks vs autograd", "autograd not importable", "<= 1x")
    table.ratio("    same checks vs one evaluation of f", r["same"], r["eval"], None)
    table.ratio("    entry by entry vs one evaluation of f", r["entries"], r["eval"], None)
    fault_row(table, "check_grads", {k: fns[k] for k in ("same", "entries")} | peers)


def main() -> None:
    table = Table("dualnum check_grads (best of 15 interleaved samples; ratio = first / second)")
    bench_check(table)
    table.note("check_grads evaluates f 2n + 2 times entry by entry (the central difference's "
               "step-2h half, for its error estimate, only when an entry disagrees), 4 times "
               "along one direction; it records kinks only to explain a disagreement.")
    table.note("extra frameworks: " + (", ".join(available()) or "none importable (jax, "
                                                                    "torch, autograd)"))
    print(table.render())


if __name__ == "__main__":
    main()
