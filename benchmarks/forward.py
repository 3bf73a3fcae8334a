"""Forward-mode benchmark: ``python benchmarks/forward.py`` prints one table, measured in one run.

(a) the ~1000-op scalar program on ``Dual`` vs the same program on floats (two baselines: the
    same dnp source called with floats, and the same source with ``math.sin``/``math.exp``);
(b) the MLP loss JVP (784-256-10, batch 128, relu, softmax-CE) vs the numpy forward pass, for
    one direction and for 16 directions in one batched pass;
(c) the Jacobian of ``tanh(A x) + 0.1 (A x)^2`` (n = 10, m = 1000) by ``jacfwd`` vs one
    evaluation.
Timings are the best of 25 interleaved samples after a warm-up (``_workloads.compare``).
"""
from __future__ import annotations

import math
import os
import sys

# One BLAS thread unless the caller chose: the machine this runs on is shared, and a
# multithreaded BLAS under load makes the matmul-bound rows erratic. Ratios compare like with
# like (dualnum and its baseline call the same BLAS); override with OPENBLAS_NUM_THREADS=N.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))  # this tree

import dualnum as dn  # noqa: E402
import dualnum.numpy as dnp  # noqa: E402
from _extras import available, extra_columns  # noqa: E402
from _workloads import (  # noqa: E402
    MLP_CASES, Table, compare, fmt_time, init_mlp, mlp_data, mlp_loss, rand_matrix,
    rand_vector, scalar_program, tanh_quad,
)
from _numpy_mlp import numpy_loss  # noqa: E402


def count_ops(fn, *args) -> int:
    """How many elementary operations ``fn`` performs: record it on a tape and count rows."""
    with dn.Tape() as tape:
        xs = [tape.var(a) for a in args]
        fn(*xs)
    return len(tape) - len(args)


def bench_scalar(table: Table) -> None:
    ops = count_ops(scalar_program, 0.3, 0.7)
    x0 = (0.3, 0.7)
    fns = {
        "math": lambda: scalar_program(*x0, xp=math),
        "dnp-floats": lambda: scalar_program(*x0),
        "dual": lambda: dn.jvp(scalar_program, x0, (1.0, 0.0)),
    }
    fns.update(extra_columns("scalar_jvp"))
    r = compare(fns)
    # correctness before we trust the figure: tangent against a central difference
    _, t = dn.jvp(scalar_program, x0, (1.0, 0.0))
    h = 1e-6
    fd = (scalar_program(x0[0] + h, x0[1], xp=math)
          - scalar_program(x0[0] - h, x0[1], xp=math)) / (2 * h)
    assert abs(t - fd) < 1e-6 * max(1.0, abs(fd)), (t, fd)
    table.figure(f"(a) scalar program: {ops} ops, Dual time / op",
                 fmt_time(r["dual"]["best"] / ops))
    table.ratio("(a) Dual vs math-on-floats [target baseline]", r["dual"], r["math"], 60)
    table.ratio("(a) Dual vs dnp-on-floats", r["dual"], r["dnp-floats"], 60)
    table.ratio("(a) dnp-on-floats vs math-on-floats (dispatch)", r["dnp-floats"], r["math"],
                None)
    for name in fns:
        if name.startswith("x:"):
            table.ratio(f"(a) {name[2:]} jvp vs math-on-floats", r[name], r["math"], None)
    table.note(f"(a) floats through math: {fmt_time(r['math']['best'] / ops)}/op; through "
               f"dnp: {fmt_time(r['dnp-floats']['best'] / ops)}/op. PASS/MISS is judged on "
               "the strict math baseline (first line); the dnp line is for information.")


def _subspace(params, k: int, seed: int = 5):
    """``k`` random directions in parameter space, stacked: [(V_W (k, *W), V_b (k, *b)), ...]."""
    rng = np.random.default_rng(seed)
    return [(rng.normal(size=(k,) + W.shape), rng.normal(size=(k,) + b.shape))
            for W, b in params]


def bench_mlp_jvp(table: Table) -> None:
    sizes, batch, act = MLP_CASES["medium 784-256-10"]
    params = init_mlp(sizes)
    X, Y = mlp_data(sizes[0], sizes[-1], batch)
    k = 16
    V = _subspace(params, k)
    tangent = [(vW[0], vb[0]) for vW, vb in V]

    def loss(p):
        return mlp_loss(p, X, Y, act)

    def along(c):
        """loss(params + sum_k c_k V_k): its Jacobian at c = 0 is [J v_1 ... J v_16]."""
        p = [(W + dnp.tensordot(c, vW, axes=1), b + dnp.tensordot(c, vb, axes=1))
             for (W, b), (vW, vb) in zip(params, V)]
        return loss(p)

    def batched_jvp():
        """One forward pass with 16 tangents per parameter: dn.jvp(..., batched=True)."""
        return dn.jvp(loss, (params,), (V,), batched=True)[1]

    c0 = np.zeros(k)
    jac16 = dn.jacfwd(along, chunk=k)
    # correctness: the 16 directional derivatives vs 16 single-direction JVPs, and the loss
    d16 = jac16(c0)
    d1 = [dn.jvp(loss, (params,), ([(vW[i], vb[i]) for vW, vb in V],))[1] for i in range(k)]
    np.testing.assert_allclose(d16, d1, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(batched_jvp(), d1, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(loss(params), numpy_loss(params, X, Y, act), rtol=1e-12)
    fns = {
        "numpy": lambda: numpy_loss(params, X, Y, act),
        "dnp-ndarrays": lambda: loss(params),
        "jvp": lambda: dn.jvp(loss, (params,), (tangent,)),
        "jacfwd16": lambda: jac16(c0),
        "batched16": batched_jvp,
    }
    fns.update(extra_columns("mlp_jvp", params=params, X=X, Y=Y, act=act, tangent=tangent))
    r = compare(fns)
    table.ratio("(b) MLP 784-256-10 b128 JVP, 1 dir vs numpy fwd", r["jvp"], r["numpy"], 2.5)
    table.ratio("(b)   same vs dnp-on-ndarrays fwd", r["jvp"], r["dnp-ndarrays"], 2.5)
    per = {key: v / k for key, v in r["batched16"].items()}
    table.ratio("(b) 16 dirs, batched-tangent jvp, per dir vs numpy", per, r["numpy"], 1.5)
    per = {key: v / k for key, v in r["jacfwd16"].items()}
    # informational: this construction does ~2x the flops of the first layer (see the note)
    table.ratio("(b) 16 dirs, jacfwd over subspace, per dir vs numpy", per, r["numpy"], None)
    for name in fns:
        if name.startswith("x:"):
            table.ratio(f"(b) {name[2:]} jvp vs numpy fwd", r[name], r["numpy"], None)
    table.note("(b) 16 directions, two honest constructions, both one forward pass whose "
               "tangents carry a leading axis of 16 and both checked against 16 separate "
               "dn.jvp calls. 'batched-tangent jvp': dn.jvp(loss, (params,), (V,), batched=True) "
               "where every tangent leaf carries a leading axis of 16 directions (what "
               "jax.vmap(jax.jvp) does). "
               "'jacfwd over subspace': dn.jacfwd(c -> loss(params + sum_k c_k v_k), chunk=16) "
               "at c = 0, public API only; it also pays for pushing the identity seed through "
               "the tensordot c.V (a 16x16 by 16x200k product, ~2x the flops of the first "
               "layer's matmul). Baseline: the pure numpy forward pass (_numpy_mlp.py).")


def bench_jacfwd(table: Table) -> None:
    n, m = 10, 1000
    A, x = rand_matrix(m, n), rand_vector(n)
    f = lambda x: tanh_quad(x, A)  # noqa: E731
    J = dn.jacfwd(f)(x)
    z = A @ x
    np.testing.assert_allclose(J, (1 - np.tanh(z) ** 2 + 0.2 * z)[:, None] * A, rtol=1e-12)
    fns = {
        "numpy": lambda: tanh_quad(x, A, xp=np),
        "dnp-ndarrays": lambda: f(x),
        "jacfwd": lambda: dn.jacfwd(f)(x),
    }
    fns.update(extra_columns("jacfwd_tanh_quad", A=A, x=x))
    r = compare(fns)
    table.ratio("(c) jacfwd tanh(Ax)+0.1(Ax)^2 n10 m1000 vs numpy", r["jacfwd"], r["numpy"], 10)
    table.ratio("(c)   same vs dnp-on-ndarrays eval", r["jacfwd"], r["dnp-ndarrays"], 10)
    for name in fns:
        if name.startswith("x:"):
            table.ratio(f"(c) {name[2:]} jacfwd vs numpy", r[name], r["numpy"], None)


def main() -> None:
    table = Table("dualnum forward mode (best of 25 interleaved samples; "
                  "ratio = dualnum / baseline)")
    bench_scalar(table)
    bench_mlp_jvp(table)
    bench_jacfwd(table)
    table.note("extra frameworks: " + (", ".join(available()) or "none importable (jax, "
                                                                    "torch, autograd)"))
    print(table.render())


if __name__ == "__main__":
    main()
