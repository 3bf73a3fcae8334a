"""Workloads and the timing helper shared by ``forward.py`` and ``reverse.py``.

Every workload is written ONCE. The scalar and array programs take a namespace ``xp``
(``dualnum.numpy`` by default) so the very same source runs on ``Dual`` numbers, tape
variables, plain floats through ``dnp``, and -- as the strict float baseline -- plain floats
through ``math`` (or plain ndarrays through ``numpy``), with no dispatch layer at all.

>>> import math
>>> round(scalar_program(0.3, 0.7, xp=math), 6) == round(scalar_program(0.3, 0.7), 6)
True
"""
from __future__ import annotations

import ctypes
import ctypes.util
import gc
import os
import platform
import statistics
import time
from typing import Any, Callable

import numpy as np

import dualnum.numpy as dnp
from dualnum.models.layers import layer_norm

# ---------------------------------------------------------------- timing

def _calibrate(fn: Callable[[], Any], min_time: float) -> int:
    """How many calls make one timed sample last at least ``min_time`` seconds."""
    number = 1
    while True:
        t0 = time.perf_counter()
        for _ in range(number):
            fn()
        dt = time.perf_counter() - t0
        if dt >= min_time or number >= 1 << 20:
            return number
        number = max(number * 2, int(number * min_time / max(dt, 1e-9) * 1.2))


REPEAT = 25

# ---------------------------------------------------------------- a steady heap

_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3      # glibc's mallopt parameters


def steady_allocator() -> str:
    """Pin glibc's heap thresholds for the whole run (both sides of every ratio alike).

    By default glibc gives the top of the heap back to the system once more than twice the
    last large block is free there, and maps large blocks afresh; whether a timed call then
    pays ~70-400 page faults depends on which arrays earlier code left alive, not on the
    code timed (measured here: the hand-written tiny-MLP backprop went from 97 us to 178 us,
    0 to 69 faults per call, after a correctness check held on to a few arrays). With the
    trim threshold at 1 GiB and the mmap threshold at 32 MiB, freed blocks are reused and a
    ratio measures the computation. Returns a description for the table header.

    >>> steady_allocator() in ("glibc heap pinned (no trim, mmap >= 32 MiB)", "default heap")
    True
    """
    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name) if name else None
        ok = libc is not None and libc.mallopt(_M_TRIM_THRESHOLD, 1 << 30) == 1 and \
            libc.mallopt(_M_MMAP_THRESHOLD, 32 << 20) == 1
    except (OSError, AttributeError):
        ok = False
    return "glibc heap pinned (no trim, mmap >= 32 MiB)" if ok else "default heap"


# figures are taken the way a user's process runs: the default allocator. Pinning is an
# opt-in diagnostic (DUALNUM_BENCH_PIN_HEAP=1), to tell allocator noise from computation.
HEAP = steady_allocator() if os.environ.get("DUALNUM_BENCH_PIN_HEAP") == "1" else \
    "default glibc heap (as a user's process)"


def compare(fns: dict[str, Callable[[], Any]], repeat: int = REPEAT, min_time: float = 0.01
            ) -> dict[str, dict[str, float]]:
    """Time several callables side by side: warm up, calibrate, then interleave ``repeat``
    short samples of each (so drift in machine load hits all of them alike, and on a busy
    machine the best sample is one that ran undisturbed). Returns seconds per call, ``best``
    and ``median`` over the samples, per name.

    >>> r = compare({"noop": lambda: None}, repeat=3, min_time=0.001)
    >>> r["noop"]["best"] <= r["noop"]["median"]
    True
    """
    numbers = {}
    for name, fn in fns.items():
        fn()                                     # warm-up (caches, lazy imports, BLAS threads)
        numbers[name] = _calibrate(fn, min_time)
    samples: dict[str, list[float]] = {name: [] for name in fns}
    gc_was = gc.isenabled()
    gc.disable()
    try:
        for _ in range(repeat):
            for name, fn in fns.items():
                n = numbers[name]
                t0 = time.perf_counter()
                for _ in range(n):
                    fn()
                samples[name].append((time.perf_counter() - t0) / n)
            gc.collect()
    finally:
        if gc_was:
            gc.enable()
    return {name: {"best": min(s), "median": statistics.median(s)}
            for name, s in samples.items()}


# ---------------------------------------------------------------- page faults

try:
    import resource
except ImportError:                 # not on Windows: the fault rows then say so
    resource = None


def minor_faults(fn: Callable[[], Any], calls: int = 20) -> float | None:
    """Minor page faults per call of ``fn`` (``getrusage`` deltas over ``calls`` calls, after
    one warm-up call; GC off): how often the allocator hands memory back to the system and
    takes it again, which the timing rows pay for without saying so. None where ``resource``
    is missing.

    >>> f = minor_faults(lambda: None, calls=3)
    >>> f is None or f >= 0
    True
    """
    if resource is None:
        return None
    fn()
    gc_was = gc.isenabled()
    gc.disable()
    try:
        before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
        for _ in range(calls):
            fn()
        after = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    finally:
        if gc_was:
            gc.enable()
    return (after - before) / calls


def fault_row(table: "Table", label: str, fns: dict[str, Callable[[], Any]],
              calls: int = 20) -> None:
    """One table line: minor page faults per call of each candidate, side by side."""
    parts = []
    for name, fn in fns.items():
        v = minor_faults(fn, calls)
        parts.append(f"{name.removeprefix('x:')} {'n/a' if v is None else f'{v:.1f}'}")
    table.line(f"    {label}: minor page faults / call: " + ", ".join(parts))


# ---------------------------------------------------------------- reporting

def fmt_time(t: float) -> str:
    """A duration with a readable unit: ``fmt_time(2.5e-6) == '2.50 us'``."""
    for unit, scale in (("s", 1.0), ("ms", 1e-3), ("us", 1e-6), ("ns", 1e-9)):
        if t >= scale:
            v = t / scale
            return f"{v:.0f} {unit}" if v >= 100 else f"{v:.2f} {unit}"
    return f"{t * 1e9:.2f} ns"


class Table:
    """Rows of ``measured figure | target | PASS/MISS`` printed as an aligned text table."""

    HEAD = ("workload", "dualnum", "baseline", "ratio", "median", "target", "")

    def __init__(self, title: str) -> None:
        self.title = title
        self.rows: list[tuple[str, ...]] = []
        self.notes: list[str] = []

    def ratio(self, name: str, t: dict, base: dict, target: float | None,
              extra: str = "") -> float:
        """Add a row comparing timings ``t`` against ``base`` (dicts from :func:`compare`)."""
        r = t["best"] / base["best"]
        rm = t["median"] / base["median"]
        verdict = "" if target is None else ("PASS" if r <= target else "MISS")
        self.rows.append((name, fmt_time(t["best"]), fmt_time(base["best"]), f"{r:.2f}x",
                          f"{rm:.2f}x", "" if target is None else f"<= {target:g}x",
                          (verdict + " " + extra).strip()))
        return r

    def figure(self, name: str, value: str, target: str = "", verdict: str = "") -> None:
        self.rows.append((name, value, "", "", "", target, verdict))

    def line(self, text: str) -> None:
        """A row of free text (a figure per candidate), not aligned into the columns."""
        self.rows.append((text,))

    def note(self, text: str) -> None:
        self.notes.append(text)

    def render(self) -> str:
        rows = [self.HEAD] + [r for r in self.rows if len(r) > 1]
        w = [max(len(r[i]) for r in rows) for i in range(len(self.HEAD))]
        line = "  ".join("-" * n for n in w)
        load = ", ".join(f"{x:.1f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") \
            else "n/a"
        env = (f"python {platform.python_version()}, numpy {np.__version__}, "
               f"OPENBLAS_NUM_THREADS={os.environ.get('OPENBLAS_NUM_THREADS', 'unset')}, "
               f"{HEAP}, "
               f"load average {load} (1/5/15 min) on {os.cpu_count()} cpus")
        out = [self.title, "=" * len(self.title), env, "",
               "  ".join(h.ljust(n) for h, n in zip(self.HEAD, w)), line]
        for r in self.rows:
            if len(r) == 1:
                out.append(r[0])
                continue
            out.append("  ".join(c.ljust(n) if i == 0 else c.rjust(n) if i < 6 else c
                                 for i, (c, n) in enumerate(zip(r, w))).rstrip())
        out += [""] + [f"* {n}" for n in self.notes]
        return "\n".join(out)


# ---------------------------------------------------------------- the scalar program

SCALAR_BLOCKS = 100
OPS_PER_BLOCK = 10          # sin, *, exp, *, +, +, /, sin, *, +   (checked on a tape)


def scalar_program(a: Any, b: Any, blocks: int = SCALAR_BLOCKS, xp: Any = dnp) -> Any:
    """~1000 elementary scalar operations (sin, exp, ·, +, /), values bounded for any start.

    ``xp`` supplies ``sin`` and ``exp``: ``dnp`` (any value type) or ``math`` (floats only).
    """
    sin, exp = xp.sin, xp.exp
    for _ in range(blocks):
        u = sin(a)
        v = exp(u * 0.5)
        w = a * v + b
        a = w / (1.0 + v)
        b = sin(b) * u + 0.3
    return a


# ---------------------------------------------------------------- the MLP

def init_mlp(sizes: tuple[int, ...], seed: int = 0) -> list[tuple[np.ndarray, np.ndarray]]:
    """Xavier-initialised ``[(W1, b1), ...]`` with ``W`` of shape (fan_in, fan_out)."""
    rng = np.random.default_rng(seed)
    params = []
    for n_in, n_out in zip(sizes[:-1], sizes[1:]):
        lim = np.sqrt(6.0 / (n_in + n_out))
        params.append((rng.uniform(-lim, lim, (n_in, n_out)), rng.normal(0, 0.1, n_out)))
    return params


def mlp_data(n_in: int, n_classes: int, batch: int, seed: int = 1
             ) -> tuple[np.ndarray, np.ndarray]:
    """Random inputs ``X`` (batch, n_in) and one-hot targets ``Y`` (batch, n_classes)."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(batch, n_in))
    Y = np.eye(n_classes)[rng.integers(0, n_classes, batch)]
    return X, Y


def mlp_loss(params: Any, X: Any, Y: Any, act: str = "tanh") -> Any:
    """Mean softmax cross-entropy of an MLP (hidden activation ``act``), written with dnp."""
    f = getattr(dnp, act)
    h = X
    for W, b in params[:-1]:
        h = f(h @ W + b)
    W, b = params[-1]
    logits = h @ W + b
    return -dnp.sum(Y * dnp.log_softmax(logits, axis=-1)) / X.shape[0]


def mlp_users_loss(params: Any, X: Any, Y: Any, act: str = "tanh") -> Any:
    """The same MLP as users write it: samples as columns (``X`` (n_in, batch), ``W``
    (fan_out, fan_in)), ``b[:, None]``, and a hand-written stable softmax (the max is
    differentiated too, as it is in user code). ``params`` are ``[(W.T, b), ...]`` of
    :func:`init_mlp`'s, so the loss and gradients are the same numbers, transposed."""
    f = getattr(dnp, act)
    h = X
    for W, b in params[:-1]:
        h = f(W @ h + b[:, None])
    W, b = params[-1]
    z = W @ h + b[:, None]
    z = z - dnp.max(z, axis=0, keepdims=True)
    logp = z - dnp.log(dnp.sum(dnp.exp(z), axis=0, keepdims=True))
    return -dnp.sum(Y * logp) / X.shape[1]


def users_layout(params: list, X: np.ndarray, Y: np.ndarray) -> tuple[list, np.ndarray,
                                                                       np.ndarray]:
    """:func:`init_mlp`'s parameters and :func:`mlp_data`'s arrays, samples as columns."""
    return ([(W.T.copy(), b) for W, b in params], np.ascontiguousarray(X.T),
            np.ascontiguousarray(Y.T))


# ---------------------------------------------------------------- the attention block

def init_attention(T: int = 32, d: int = 64, seed: int = 4) -> tuple[dict, np.ndarray,
                                                                     np.ndarray]:
    """Parameters of one self-attention block (``Wq, Wk, Wv, Wo`` (d, d), layer-norm ``g, b``)
    and a sequence ``X`` (T, d) with a target ``Y`` (T, d)."""
    rng = np.random.default_rng(seed)
    p = {k: rng.normal(size=(d, d)) / np.sqrt(d) for k in ("Wq", "Wk", "Wv", "Wo")}
    p["g"] = 1.0 + 0.1 * rng.normal(size=d)
    p["b"] = 0.1 * rng.normal(size=d)
    return p, rng.normal(size=(T, d)), rng.normal(size=(T, d))


def attention_loss(p: dict, X: Any, Y: Any) -> Any:
    """Scaled dot-product self-attention, a residual, the notes' layer norm
    (``models.layers.layer_norm``), mean squared error: rows of ``X`` are the tokens."""
    d = X.shape[-1]
    Q, K, V = X @ p["Wq"], X @ p["Wk"], X @ p["Wv"]
    A = dnp.softmax(Q @ dnp.transpose(K) / np.sqrt(d), axis=-1)
    H = layer_norm(X + (A @ V) @ p["Wo"], p["g"], p["b"])
    return dnp.mean((H - Y) ** 2)


def attention_backprop(p: dict, X: np.ndarray, Y: np.ndarray) -> tuple[float, dict]:
    """The attention block's loss and gradient by hand in numpy (softmax and layer-norm
    backward in their closed forms), for checking and as the floor of the cost."""
    d = X.shape[-1]
    Q, K, V = X @ p["Wq"], X @ p["Wk"], X @ p["Wv"]
    S = Q @ K.T / np.sqrt(d)
    E = np.exp(S - S.max(axis=-1, keepdims=True))
    A = E / E.sum(axis=-1, keepdims=True)
    C = A @ V
    R = X + C @ p["Wo"]
    mu = R.mean(axis=-1, keepdims=True)
    xc = R - mu
    inv = 1.0 / np.sqrt((xc * xc).mean(axis=-1, keepdims=True) + 1e-5)
    xhat = xc * inv
    H = p["g"] * xhat + p["b"]
    diff = H - Y
    loss = float((diff * diff).mean())
    gH = 2.0 * diff / diff.size
    gg, gb = (gH * xhat).sum(axis=0), gH.sum(axis=0)
    gx = gH * p["g"]
    gR = inv * (gx - gx.mean(axis=-1, keepdims=True)
                - xhat * (gx * xhat).mean(axis=-1, keepdims=True))
    gWo = C.T @ gR
    gC = gR @ p["Wo"].T
    gA = gC @ V.T
    gV = A.T @ gC
    gS = A * (gA - (gA * A).sum(axis=-1, keepdims=True)) / np.sqrt(d)
    gQ, gK = gS @ K, gS.T @ Q
    return loss, {"Wq": X.T @ gQ, "Wk": X.T @ gK, "Wv": X.T @ gV, "Wo": gWo, "g": gg, "b": gb}


MLP_CASES = {   # name: (layer sizes, batch, hidden activation)
    "tiny 2-50-2": ((2, 50, 2), 200, "tanh"),
    "medium 784-256-10": ((784, 256, 10), 128, "relu"),
    "deep 10x64": ((64,) + (64,) * 10 + (10,), 32, "tanh"),
}


# ---------------------------------------------------------------- small array programs

def tanh_quad(x: Any, A: Any, xp: Any = dnp) -> Any:
    """``tanh(A x) + 0.1 (A x)^2``; ``xp`` is ``dnp`` or ``numpy``."""
    z = A @ x
    return xp.tanh(z) + 0.1 * z ** 2


def logistic_energy(x: Any, A: Any, xp: Any = dnp) -> Any:
    """``sum(log(1 + exp(A x))) + 1/2 |x|^2``; ``xp`` is ``dnp`` or ``numpy``."""
    z = A @ x
    return xp.sum(xp.log(1.0 + xp.exp(z))) + 0.5 * xp.sum(x * x)


def spectral_loss(x: Any, S: Any, xp: Any = dnp) -> Any:
    """``Σ_k (|rfft(x)_k|² − S_k)²`` (over the last axis, summed over any batch axes);
    ``xp`` is ``dnp`` or ``numpy`` (both have ``xp.fft.rfft``)."""
    Y = xp.fft.rfft(x)
    return xp.sum((xp.real(Y) ** 2 + xp.imag(Y) ** 2 - S) ** 2)


def logabsdet(A: Any, xp: Any = dnp) -> Any:
    """``log|det A|`` by ``slogdet`` (issue 12's linear-algebra rows)."""
    return xp.linalg.slogdet(A)[1]


def solve_dot(A: Any, b: Any, c: Any, xp: Any = dnp) -> Any:
    """``c · solve(A, b)``: a linear solve read out along ``c``."""
    return xp.sum(c * xp.linalg.solve(A, b))


def rand_matrix(m: int, n: int, seed: int = 2) -> np.ndarray:
    """A seeded ``m x n`` matrix scaled so ``A x`` stays O(1) for ``x ~ N(0, 1)``."""
    return np.random.default_rng(seed).normal(size=(m, n)) / np.sqrt(n)


def rand_vector(n: int, seed: int = 3) -> np.ndarray:
    return np.random.default_rng(seed).normal(size=n)
