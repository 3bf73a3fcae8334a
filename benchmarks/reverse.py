"""Reverse-mode benchmark: ``python benchmarks/reverse.py`` prints one table, measured in one run.

* MLP softmax-CE gradient w.r.t. all (W, b) by ``dn.grad`` against the hand-written numpy
  backprop (``_numpy_mlp.py``, the notes' delta recursion) and the numpy forward pass, for the
  tiny, medium and deep networks of ``_workloads.MLP_CASES`` (gradients checked first);
* the ~1000-op scalar program through the tape (record + sweep) vs floats;
* ``jacrev`` of ``tanh(A x) + 0.1 (A x)^2`` (n = 1000, m = 10, and n = 10, m = 1000) vs one
  evaluation;
* the MLP written as users write it (samples as columns, ``b[:, None]``, a hand-written
  softmax) and a self-attention block (T = 32, d = 64, layer norm, MSE), vs hand backprop and
  torch eager;
* ``hessian`` of ``sum(log(1 + exp(A x))) + |x|^2 / 2`` (n = 100, A 200 x 100) vs one evaluation,
  in the default mode and in ``mode="forward"`` (nested duals);
* ``grad`` of the spectral loss ``Σ_k (|rfft(x)_k|² − S_k)²`` at n = 4096 vs its numpy forward
  evaluation (and a batch of 16 signals; the rfft VJP alone vs one ``np.fft.rfft``);
* ``grad`` of ``log|det A|`` (slogdet) and of ``c · solve(A, b)`` (n = 100) vs numpy's forward;
* tape memory per entry for a 100 000-op scalar chain (tracemalloc around the recording).
Timings are the best of 25 interleaved samples after a warm-up (``_workloads.compare``).
"""
from __future__ import annotations

import math
import os
import sys
import time
import tracemalloc

# One BLAS thread unless the caller chose (see forward.py for why).
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))  # this tree

import dualnum as dn  # noqa: E402
import dualnum.numpy as dnp  # noqa: E402
from dualnum.rules import _lu  # noqa: E402
from _extras import available, extra_columns  # noqa: E402
from _numpy_mlp import numpy_backprop, numpy_loss  # noqa: E402
from _workloads import (  # noqa: E402
    MLP_CASES, Table, attention_backprop, attention_loss, compare, fault_row, fmt_time,
    init_attention, init_mlp, logabsdet, logistic_energy, mlp_data, mlp_loss, mlp_users_loss,
    rand_matrix, rand_vector, scalar_program, solve_dot, spectral_loss, tanh_quad, users_layout,
)

MLP_TARGETS = {"tiny 2-50-2": 2.5, "medium 784-256-10": 1.15, "deep 10x64": 2.0}
USERS_TARGETS = {"tiny 2-50-2": 2.5, "deep 10x64": 1.8}     # issue 15


def bench_mlp(table: Table) -> None:
    for name, (sizes, batch, act) in MLP_CASES.items():
        params = init_mlp(sizes)
        X, Y = mlp_data(sizes[0], sizes[-1], batch)
        g = dn.grad(lambda p: mlp_loss(p, X, Y, act))
        # correctness first: dualnum's gradient against the hand-written delta recursion
        hand_loss, hand = numpy_backprop(params, X, Y, act)
        ours = g(params)
        assert abs(hand_loss - numpy_loss(params, X, Y, act)) < 1e-12
        for (gW, gb), (hW, hb) in zip(ours, hand):
            np.testing.assert_allclose(gW, hW, rtol=1e-9, atol=1e-13)
            np.testing.assert_allclose(gb, hb, rtol=1e-9, atol=1e-13)
        fns = {
            "hand": lambda: numpy_backprop(params, X, Y, act),
            "forward": lambda: numpy_loss(params, X, Y, act),
            "grad": lambda: g(params),
        }
        fns.update(extra_columns("mlp_grad", params=params, X=X, Y=Y, act=act))
        r = compare(fns)
        label = f"MLP {name} b{batch} {act}"
        table.ratio(f"{label}: grad vs hand backprop", r["grad"], r["hand"],
                    MLP_TARGETS[name])
        target = 3.0 if name.startswith("medium") else None
        table.ratio("    grad vs numpy forward pass", r["grad"], r["forward"], target)
        table.ratio("    hand backprop vs numpy forward pass", r["hand"], r["forward"], None)
        for key in fns:
            if key.startswith("x:"):
                table.ratio(f"    {key[2:]} grad vs hand backprop", r[key], r["hand"], None)


def bench_mlp_users(table: Table) -> None:
    """The MLP as users write it (samples as columns, ``b[:, None]``, a hand-written stable
    softmax) against the same hand backprop (its gradients, transposed)."""
    for name, target in USERS_TARGETS.items():
        sizes, batch, act = MLP_CASES[name]
        params = init_mlp(sizes)
        X, Y = mlp_data(sizes[0], sizes[-1], batch)
        P, XT, YT = users_layout(params, X, Y)
        g = dn.grad(lambda p: mlp_users_loss(p, XT, YT, act))
        ours = g(P)
        _, hand = numpy_backprop(params, X, Y, act)
        for (gW, gb), (hW, hb) in zip(ours, hand):
            np.testing.assert_allclose(gW, hW.T, rtol=1e-9, atol=1e-13)
            np.testing.assert_allclose(gb, hb, rtol=1e-9, atol=1e-13)
        fns = {"hand": lambda: numpy_backprop(params, X, Y, act), "grad": lambda: g(P)}
        fns.update(extra_columns("mlp_users_grad", params=P, X=XT, Y=YT, act=act, want=ours))
        r = compare(fns)
        table.ratio(f"MLP {name} b{batch} {act}, users' style: grad vs hand backprop",
                    r["grad"], r["hand"], target)
        for key in fns:
            if key.startswith("x:"):
                table.ratio(f"    {key[2:]} (same style) vs hand backprop", r[key], r["hand"],
                            None)
        fault_row(table, f"MLP {name} users' style", fns)


def bench_attention(table: Table) -> None:
    """One self-attention block (T = 32, d = 64, layer norm, MSE): dn.grad against torch
    eager and against the block's backward written by hand."""
    p, X, Y = init_attention()
    g = dn.grad(lambda q: attention_loss(q, X, Y))
    ours = g(p)
    loss, hand = attention_backprop(p, X, Y)
    assert abs(loss - float(attention_loss(p, X, Y))) < 1e-12 * abs(loss)
    for k in hand:
        np.testing.assert_allclose(ours[k], hand[k], rtol=1e-9, atol=1e-13, err_msg=k)
    fns = {"hand": lambda: attention_backprop(p, X, Y), "grad": lambda: g(p)}
    fns.update(extra_columns("attention_grad", params=p, X=X, Y=Y, want=ours))
    r = compare(fns)
    label = "attention block T32 d64 + layer norm, MSE"
    if "x:torch" in r:
        table.ratio(f"{label}: grad vs torch eager", r["grad"], r["x:torch"], 1.0)
        table.ratio("    torch eager vs hand backprop", r["x:torch"], r["hand"], None)
    else:
        table.figure(f"{label}: grad vs torch eager", "torch not importable", "<= 1x")
    table.ratio("    grad vs hand backprop", r["grad"], r["hand"], None)
    fault_row(table, "attention", fns)


def bench_scalar(table: Table) -> None:
    x0 = (0.3, 0.7)
    g = dn.grad(scalar_program, argnums=(0, 1))
    ga, gb = g(*x0)
    h = 1e-6
    fd_a = (scalar_program(x0[0] + h, x0[1], xp=math)
            - scalar_program(x0[0] - h, x0[1], xp=math)) / (2 * h)
    fd_b = (scalar_program(x0[0], x0[1] + h, xp=math)
            - scalar_program(x0[0], x0[1] - h, xp=math)) / (2 * h)
    assert abs(ga - fd_a) < 1e-6 and abs(gb - fd_b) < 1e-6, (ga, fd_a, gb, fd_b)
    with dn.Tape() as tape:
        scalar_program(tape.var(x0[0]), tape.var(x0[1]))
    ops = len(tape) - 2
    fns = {
        "math": lambda: scalar_program(*x0, xp=math),
        "dnp-floats": lambda: scalar_program(*x0),
        "tape": lambda: g(*x0),
    }
    fns.update(extra_columns("scalar_grad"))
    r = compare(fns)
    table.figure(f"scalar program: {ops} ops, tape record+sweep / op",
                 fmt_time(r["tape"]["best"] / ops))
    table.ratio("    tape vs math-on-floats [target baseline]", r["tape"], r["math"], 120)
    table.ratio("    tape vs dnp-on-floats", r["tape"], r["dnp-floats"], 120)
    for key in fns:
        if key.startswith("x:"):
            table.ratio(f"    {key[2:]} grad vs math-on-floats", r[key], r["math"], None)


def _checked_tanh_quad_jacrev(A: np.ndarray, x: np.ndarray):
    """jacrev of tanh(Ax) + 0.1(Ax)², checked first against its closed form."""
    jac = dn.jacrev(lambda x: tanh_quad(x, A))
    z = A @ x
    np.testing.assert_allclose(jac(x), (1 - np.tanh(z) ** 2 + 0.2 * z)[:, None] * A,
                               rtol=1e-12, atol=1e-15)
    return jac


def bench_jacrev(table: Table) -> None:
    n, m = 1000, 10
    A, x = rand_matrix(m, n), rand_vector(n)
    jac = _checked_tanh_quad_jacrev(A, x)
    fns = {
        "numpy": lambda: tanh_quad(x, A, xp=np),
        "dnp-ndarrays": lambda: tanh_quad(x, A),
        "jacrev": lambda: jac(x),
    }
    fns.update(extra_columns("jacrev_tanh_quad", A=A, x=x))
    r = compare(fns)
    table.ratio("jacrev tanh(Ax)+0.1(Ax)^2 n1000 m10 vs numpy eval", r["jacrev"], r["numpy"], 30)
    table.ratio("    same vs dnp-on-ndarrays eval", r["jacrev"], r["dnp-ndarrays"], 30)
    for key in fns:
        if key.startswith("x:"):
            table.ratio(f"    {key[2:]} jacrev vs numpy eval", r[key], r["numpy"], None)


def bench_jacrev_tall(table: Table) -> None:
    """m >> n: jacrev's identity seed over 1000 outputs, carried as its diagonal through the
    elementwise entries and turned into rows by matmul's diagonal VJP (issue 15)."""
    n, m = 10, 1000
    A, x = rand_matrix(m, n), rand_vector(n)
    jac = _checked_tanh_quad_jacrev(A, x)
    fns = {
        "numpy": lambda: tanh_quad(x, A, xp=np),
        "jacrev": lambda: jac(x),
        "jacfwd": lambda: dn.jacfwd(lambda x: tanh_quad(x, A))(x),
    }
    fns.update(extra_columns("jacrev_tanh_quad", A=A, x=x))
    r = compare(fns)
    table.ratio("jacrev tanh(Ax)+0.1(Ax)^2 n10 m1000 vs numpy eval", r["jacrev"], r["numpy"],
                150)
    table.ratio("    jacfwd (the cheaper mode here) vs numpy eval", r["jacfwd"], r["numpy"], None)
    for key in fns:
        if key.startswith("x:"):
            table.ratio(f"    {key[2:]} jacrev vs numpy eval", r[key], r["numpy"], None)
    fault_row(table, "jacrev m1000", {k: fns[k] for k in ("jacrev", "jacfwd")})


def bench_hessian(table: Table) -> None:
    n, m = 100, 200
    A, x = rand_matrix(m, n), rand_vector(n)
    hess = dn.hessian(lambda x: logistic_energy(x, A))
    hess_fwd = dn.hessian(lambda x: logistic_energy(x, A), mode="forward")
    s = 1.0 / (1.0 + np.exp(-(A @ x)))
    want = A.T @ ((s * (1 - s))[:, None] * A) + np.eye(n)
    for h in (hess, hess_fwd):
        np.testing.assert_allclose(h(x), want, rtol=1e-10, atol=1e-12)
    fns = {
        "numpy": lambda: logistic_energy(x, A, xp=np),
        "dnp-ndarrays": lambda: logistic_energy(x, A),
        "hessian": lambda: hess(x),
        "hessian-forward": lambda: hess_fwd(x),
    }
    fns.update(extra_columns("hessian", A=A, x=x))
    r = compare(fns)
    table.ratio("hessian sum(log(1+exp(Ax)))+|x|^2/2 n100 vs numpy", r["hessian"], r["numpy"],
                50)
    table.ratio("    same vs dnp-on-ndarrays eval", r["hessian"], r["dnp-ndarrays"], 50)
    table.ratio("    hessian(mode='forward') vs numpy eval", r["hessian-forward"], r["numpy"],
                150)
    for key in fns:
        if key.startswith("x:"):
            table.ratio(f"    {key[2:]} hessian vs numpy eval", r[key], r["numpy"], None)
    table.note("hessian: dn.hessian's default mode for a scalar f, forward-over-reverse (jacfwd "
               "of grad: one recording, 100 directions batched through it and its sweep). "
               "mode='forward' nests two batched jacfwd levels; the outer one keeps the "
               "(100, 100, 200) second-order tangents as outer products of their (100, 200) "
               "factors and contracts them with one matrix product at the sum "
               "(dualnum/_outer.py), instead of walking 2 million entries per step.")


def _spectral_gradient(x: np.ndarray, S: np.ndarray) -> np.ndarray:
    """The hand-derived gradient of ``spectral_loss`` along the last axis (models/spectral.py
    derives it): ``4N·irfft(v ⊙ r ⊙ Y)``, ``r = |Y|² − S``, ``v`` = ½ inside, 1 at DC and
    Nyquist (the Hermitian halving)."""
    n = x.shape[-1]
    Y = np.fft.rfft(x)
    v = np.full(n // 2 + 1, 0.5)
    v[0] = 1.0
    if n % 2 == 0:
        v[-1] = 1.0
    return 4 * n * np.fft.irfft(v * (np.abs(Y) ** 2 - S) * Y, n=n)


def bench_rfft(table: Table) -> None:
    from dualnum import rules as R     # the rfft row itself, for its VJP alone

    n, batch = 4096, 16
    x = rand_vector(n)
    X = np.random.default_rng(4).normal(size=(batch, n))
    # a target spectrum of the size of the signal's own (E|X_k|² = n for unit noise)
    S = np.random.default_rng(5).uniform(0.5, 1.5, size=n // 2 + 1) * n
    g = dn.grad(lambda v: spectral_loss(v, S))
    for v in (x, X):    # correctness first, against the hand-derived gradient
        want = _spectral_gradient(v, S)
        np.testing.assert_allclose(g(v), want, rtol=1e-10, atol=1e-10 * np.abs(want).max())
    Yx = np.fft.rfft(x)          # a cotangent for the rfft VJP alone
    fns = {
        "numpy": lambda: spectral_loss(x, S, xp=np),
        "dnp-ndarrays": lambda: spectral_loss(x, S),
        "grad": lambda: g(x),
        "hand": lambda: (spectral_loss(x, S, xp=np), _spectral_gradient(x, S)),
        "numpy-batch": lambda: spectral_loss(X, S, xp=np),
        "grad-batch": lambda: g(X),
        "np.fft.rfft": lambda: np.fft.rfft(x),
        "rfft-vjp": lambda: R.rfft.vjp((True,), Yx, None, (x,),
                                       {"n": n, "axis": -1, "norm": "backward"}, 0),
    }
    fns.update(extra_columns("rfft_grad", x=x, S=S))
    r = compare(fns)
    table.ratio("grad sum(|rfft x|^2 - S)^2 n4096 vs numpy forward", r["grad"], r["numpy"], 3.0)
    table.ratio("    same vs dnp-on-ndarrays eval", r["grad"], r["dnp-ndarrays"], None)
    table.ratio("    hand-derived numpy loss+gradient vs numpy forward", r["hand"], r["numpy"],
                None)
    table.ratio(f"    batch {batch}x{n}: grad vs numpy forward", r["grad-batch"],
                r["numpy-batch"], None)
    table.ratio("    rfft VJP alone (an irfft) vs one np.fft.rfft", r["rfft-vjp"],
                r["np.fft.rfft"], None)
    for key in fns:
        if key.startswith("x:"):
            table.ratio(f"    {key[2:]} grad vs numpy forward", r[key], r["numpy"], None)
    table.note("rfft: the rule is not the cost (its VJP alone, one irfft, is ~1.1-1.5x a "
               "forward rfft); the hand-derived numpy gradient is itself ~2-2.8x the forward. "
               "The rest is the loss's other ~8 tape entries on 2049-bin arrays: dispatch, and "
               "their VJPs' temporaries, which on the 16x4096 batch the default glibc heap "
               "serves with fresh pages (DUALNUM_BENCH_PIN_HEAP=1 took that row from 10.6x "
               "to 3.4x).")


LINALG_N = 100


def bench_linalg(table: Table) -> None:
    n = LINALG_N
    A = rand_matrix(n, n) + n ** 0.5 * np.eye(n)        # well conditioned
    b, c = rand_vector(n), rand_vector(n, seed=4)
    g_logdet = dn.grad(logabsdet)
    g_solve = dn.grad(solve_dot, argnums=(0, 1))
    # correctness first: ∇ log|det A| = A⁻ᵀ; ∇_b (c·A⁻¹b) = A⁻ᵀc, ∇_A = −(A⁻ᵀc) xᵀ
    np.testing.assert_allclose(g_logdet(A), np.linalg.inv(A).T, rtol=1e-10, atol=1e-13)
    u, x = np.linalg.solve(A.T, c), np.linalg.solve(A, b)
    gA, gb = g_solve(A, b, c)
    np.testing.assert_allclose(gb, u, rtol=1e-10, atol=1e-13)
    np.testing.assert_allclose(gA, -np.outer(u, x), rtol=1e-10, atol=1e-13)
    def hand_logdet():          # the value and its gradient by hand, in numpy
        return logabsdet(A, xp=np), np.linalg.inv(A).T

    def hand_lu():              # the same with one LU, as the tape keeps it (scipy's LAPACK)
        lu, piv, _ = lapack.dgetrf(A)
        d = np.diagonal(lu)
        return np.sum(np.log(np.abs(d))), lapack.dgetri(lu, piv)[0].T

    def hand_solve():
        x = np.linalg.solve(A, b)
        u = np.linalg.solve(A.T, c)
        return c @ x, -np.outer(u, x), u

    lapack = _lu.lapack()
    if lapack is not None:
        np.testing.assert_allclose(hand_lu()[1], np.linalg.inv(A).T, rtol=1e-10, atol=1e-13)
    r = compare({
        "numpy slogdet": lambda: logabsdet(A, xp=np),
        "hand slogdet": hand_logdet,
        **({"hand lu": hand_lu} if lapack is not None else {}),
        "grad slogdet": lambda: g_logdet(A),
        "numpy solve": lambda: solve_dot(A, b, c, xp=np),
        "hand solve": hand_solve,
        "grad solve": lambda: g_solve(A, b, c),
    })
    table.ratio(f"grad log|det A| (slogdet) n{n} vs numpy slogdet", r["grad slogdet"],
                r["numpy slogdet"], 3.0)
    table.ratio("    grad vs hand gradient (slogdet + inv in numpy)", r["grad slogdet"],
                r["hand slogdet"], None)
    table.ratio("    hand gradient vs numpy slogdet", r["hand slogdet"], r["numpy slogdet"], None)
    if lapack is not None:
        table.ratio("    hand gradient on one LU (getrf + getri) vs numpy slogdet", r["hand lu"],
                    r["numpy slogdet"], None)
    table.ratio(f"grad c·solve(A, b) wrt A, b n{n} vs numpy solve", r["grad solve"],
                r["numpy solve"], 3.0)
    table.ratio("    grad vs hand gradient (solve, solve with Aᵀ, outer)", r["grad solve"],
                r["hand solve"], None)
    table.ratio("    hand gradient vs numpy solve", r["hand solve"], r["numpy solve"], None)
    table.note("linalg: the gradient of log|det A| is A⁻ᵀ. numpy exposes no LU, so in numpy "
               "alone it is a second factorization (inv: an LU and n triangular solves, ~3x "
               "slogdet at n = 100) and even the hand-written numpy gradient is ~4x its "
               "forward. With scipy installed the tape's slogdet/det run LAPACK's getrf "
               "themselves and keep the factors, and the VJP is getri on them "
               "(dualnum/rules/_lu.py): " + ("scipy is importable here." if lapack is not None
                                             else "scipy is NOT importable here, so the "
                                             "slogdet row measures the numpy-only path.")
               + " The solve's VJP is one more solve with Aᵀ and an outer product.")


def _chain(x: object, steps: int) -> object:
    for _ in range(steps):
        x = dnp.sin(x) + 0.5
    return x


def bench_memory(table: Table) -> None:
    n_ops = 100_000
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        with dn.Tape() as tape:
            x = tape.var(0.3)
            y = _chain(x, n_ops // 2)
        after = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    entries = len(tape) - 1
    per = (after - before) / entries
    table.figure(f"tape memory, {entries}-op scalar chain (sin, +)",
                 f"{per:.0f} B/entry", "", "report")
    t0 = time.perf_counter()
    tape.gradient(y, [x], retain=False)
    sweep = time.perf_counter() - t0
    table.note(f"memory: {(after - before) / 1e6:.1f} MB traced while recording {entries} "
               f"entries (tracemalloc, live after recording; includes the output box); the "
               f"sweep over them took {fmt_time(sweep)} (retain=False).")
    del tape, x, y


def main() -> None:
    table = Table("dualnum reverse mode (best of 25 interleaved samples; "
                  "ratio = dualnum / baseline)")
    bench_mlp(table)
    bench_mlp_users(table)
    bench_attention(table)
    bench_scalar(table)
    bench_jacrev(table)
    bench_jacrev_tall(table)
    bench_hessian(table)
    bench_rfft(table)
    bench_linalg(table)
    bench_memory(table)
    table.note("float baselines: 'math' runs the same scalar_program source with math.sin / "
               "math.exp on floats (no dispatch: the strict baseline the targets use); "
               "'dnp' runs it through dualnum.numpy on floats. numpy baselines: the same "
               "source with xp=numpy, or _numpy_mlp.py for the MLP.")
    table.note("extra frameworks: " + (", ".join(available()) or "none importable (jax, "
                                                                    "torch, autograd)"))
    print(table.render())


if __name__ == "__main__":
    main()
