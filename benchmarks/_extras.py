"""Optional extra columns: jax, torch, autograd, when importable (never required).

None of them is required; the adapters run where a user has them (the torch adapters were last
run beside torch 2.13.0 CPU, the autograd ones beside autograd 1.9.1; the jax ones have not
been run here). Any adapter that fails prints its error as the column's figure rather than
stopping the benchmark; an adapter whose gradients disagree with dualnum's fails the same way.
``extra_columns(workload, **data)`` returns ``{"x:<name>": callable}``.

>>> isinstance(available(), list)
True
"""
from __future__ import annotations

import importlib.util
from typing import Any, Callable

import numpy as np

from _workloads import logistic_energy, scalar_program, spectral_loss, tanh_quad

_NAMES = ("jax", "torch", "autograd")


def available() -> list[str]:
    """The optional frameworks importable here."""
    return [n for n in _NAMES if importlib.util.find_spec(n) is not None]


class _NS:
    """A tiny namespace object (``sin``/``exp``/``tanh``/``sum``/``log``)."""

    def __init__(self, **fns: Callable) -> None:
        self.__dict__.update(fns)


def _mlp(xp_log_softmax: Callable, xp_act: Callable, params: Any, X: Any, Y: Any) -> Any:
    h = X
    for W, b in params[:-1]:
        h = xp_act(h @ W + b)
    W, b = params[-1]
    return -(Y * xp_log_softmax(h @ W + b)).sum() / X.shape[0]


def _jax(workload: str, d: dict) -> Callable[[], Any] | None:
    import jax
    import jax.numpy as jnp
    jax.config.update("jax_enable_x64", True)
    if workload == "scalar_jvp":
        return lambda: jax.jvp(lambda a, b: scalar_program(a, b, xp=jnp), (0.3, 0.7),
                               (1.0, 0.0))
    if workload == "scalar_grad":
        g = jax.grad(lambda a, b: scalar_program(a, b, xp=jnp), argnums=(0, 1))
        return lambda: g(0.3, 0.7)
    act = {"tanh": jnp.tanh, "relu": jax.nn.relu}.get(d.get("act", ""))
    if workload == "mlp_jvp":
        f = lambda p: _mlp(jax.nn.log_softmax, act, p, d["X"], d["Y"])  # noqa: E731
        return lambda: jax.jvp(f, (d["params"],), (d["tangent"],))
    if workload == "mlp_grad":
        g = jax.grad(lambda p: _mlp(jax.nn.log_softmax, act, p, d["X"], d["Y"]))
        return lambda: jax.block_until_ready(g(d["params"]))
    if workload == "jacfwd_tanh_quad":
        return lambda: jax.jacfwd(lambda x: tanh_quad(x, d["A"], xp=jnp))(d["x"])
    if workload == "jacrev_tanh_quad":
        return lambda: jax.jacrev(lambda x: tanh_quad(x, d["A"], xp=jnp))(d["x"])
    if workload == "hessian":
        return lambda: jax.hessian(lambda x: logistic_energy(x, d["A"], xp=jnp))(d["x"])
    return None


def _torch(workload: str, d: dict) -> Callable[[], Any] | None:
    import torch
    from torch.autograd.functional import hessian, jacobian
    from torch.func import jvp

    ns = _NS(sin=torch.sin, exp=torch.exp, tanh=torch.tanh, sum=torch.sum, log=torch.log)
    t = lambda a: torch.as_tensor(a, dtype=torch.float64)  # noqa: E731
    if workload == "scalar_jvp":
        return lambda: jvp(lambda a, b: scalar_program(a, b, xp=ns), (t(0.3), t(0.7)),
                           (t(1.0), t(0.0)))
    if workload == "scalar_grad":
        def g():
            a, b = t(0.3).requires_grad_(), t(0.7).requires_grad_()
            return torch.autograd.grad(scalar_program(a, b, xp=ns), (a, b))
        return g
    if workload == "cnn_grad":
        return _torch_cnn(torch, t, d)
    if workload == "attention_grad":
        return _torch_attention(torch, t, d)
    if workload == "mlp_users_grad":
        # the same user style in torch: samples as columns, b[:, None], a hand-written softmax
        act = {"tanh": torch.tanh, "relu": torch.relu}[d["act"]]
        P = [(t(W).requires_grad_(), t(b).requires_grad_()) for W, b in d["params"]]
        X, Y = t(d["X"]), t(d["Y"])
        leaves = [x for pair in P for x in pair]

        def users():
            h = X
            for W, b in P[:-1]:
                h = act(W @ h + b[:, None])
            W, b = P[-1]
            z = W @ h + b[:, None]
            z = z - z.max(dim=0, keepdim=True).values
            logp = z - torch.log(torch.exp(z).sum(dim=0, keepdim=True))
            return torch.autograd.grad(-(Y * logp).sum() / X.shape[1], leaves)
        _agree([g.numpy() for g in users()], [g for pair in d["want"] for g in pair])
        return users
    if "params" in d:
        act = {"tanh": torch.tanh, "relu": torch.relu}[d["act"]]
        P = [(t(W), t(b)) for W, b in d["params"]]
        X, Y = t(d["X"]), t(d["Y"])
        ls = lambda a: torch.log_softmax(a, dim=-1)  # noqa: E731
        if workload == "mlp_jvp":
            T = [(t(W), t(b)) for W, b in d["tangent"]]
            return lambda: jvp(lambda p: _mlp(ls, act, p, X, Y), (P,), (T,))
        if workload == "mlp_grad":
            leaves = [x.requires_grad_() for pair in P for x in pair]
            return lambda: torch.autograd.grad(_mlp(ls, act, P, X, Y), leaves)
    if workload == "rfft_grad":
        fns = _NS(fft=_NS(rfft=torch.fft.rfft), real=torch.real, imag=torch.imag, sum=torch.sum)
        S = t(d["S"])

        def g():
            x = t(d["x"]).requires_grad_()
            return torch.autograd.grad(spectral_loss(x, S, xp=fns), (x,))
        return g
    if "A" in d:
        A, x = t(d["A"]), t(d["x"])
        if workload == "jacfwd_tanh_quad":
            return lambda: jacobian(lambda x: tanh_quad(x, A, xp=ns), x, vectorize=True,
                                    strategy="forward-mode")
        if workload == "jacrev_tanh_quad":
            return lambda: jacobian(lambda x: tanh_quad(x, A, xp=ns), x, vectorize=True)
        if workload == "hessian":
            return lambda: hessian(lambda x: logistic_energy(x, A, xp=ns), x)
    return None


def _torch_cnn(torch: Any, t: Callable, d: dict) -> Callable[[], Any]:
    """The small CNN of ``cnn.py`` in torch's own layout (NCHW; the dense layer's columns
    permuted to match: ours flattens (i, j, kernel), torch (kernel, i, j)). The gradients are
    checked against ``d["want"]`` (dualnum's, in our layout) before the column is timed."""
    F = torch.nn.functional
    p, X, r = d["params"], d["X"], d["r"]
    classes, feats = p["W"].shape
    k = p["K"].shape[3]
    side = int(round((feats // k) ** 0.5))
    K = t(np.ascontiguousarray(p["K"].transpose(3, 2, 0, 1))).requires_grad_()
    c = t(p["c"]).requires_grad_()
    W = t(np.ascontiguousarray(p["W"].reshape(classes, side, side, k).transpose(0, 3, 1, 2)
                               .reshape(classes, feats))).requires_grad_()
    b = t(p["b"]).requires_grad_()
    Xt = t(np.ascontiguousarray(X.transpose(0, 3, 1, 2)))
    rt = torch.as_tensor(r)

    def g():
        pooled = F.max_pool2d(F.relu(F.conv2d(Xt, K, c)), 2)
        loss = F.cross_entropy(F.linear(pooled.flatten(1), W, b), rt, reduction="sum")
        return torch.autograd.grad(loss, (K, c, W, b))

    gK, gc, gW, gb = g()
    want = d["want"]
    np.testing.assert_allclose(gK.numpy().transpose(2, 3, 1, 0), want["K"], rtol=1e-9,
                               atol=1e-12)
    np.testing.assert_allclose(gW.numpy().reshape(classes, k, side, side).transpose(0, 2, 3, 1)
                               .reshape(classes, feats), want["W"], rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(gc.numpy(), want["c"], rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(gb.numpy(), want["b"], rtol=1e-9, atol=1e-12)
    return g


def _agree(got: list, want: list) -> None:
    for g, w in zip(got, want, strict=True):
        np.testing.assert_allclose(g, w, rtol=1e-9, atol=1e-12)


def _torch_attention(torch: Any, t: Callable, d: dict) -> Callable[[], Any]:
    """``_workloads.attention_loss`` in torch eager as its users write it (``torch.softmax``,
    ``F.layer_norm``), gradients checked against ``d["want"]`` (dualnum's) first."""
    F = torch.nn.functional
    P = {k: t(v).requires_grad_() for k, v in d["params"].items()}
    X, Y = t(d["X"]), t(d["Y"])
    dim = X.shape[-1]
    leaves = list(P.values())

    def g():
        Q, K, V = X @ P["Wq"], X @ P["Wk"], X @ P["Wv"]
        A = torch.softmax(Q @ K.T / dim ** 0.5, dim=-1)
        H = F.layer_norm(X + (A @ V) @ P["Wo"], (dim,), P["g"], P["b"], eps=1e-5)
        return torch.autograd.grad(((H - Y) ** 2).mean(), leaves)

    _agree([v.numpy() for v in g()], [d["want"][k] for k in P])
    return g


def _autograd(workload: str, d: dict) -> Callable[[], Any] | None:
    import autograd
    import autograd.numpy as anp
    from autograd.scipy.special import logsumexp

    ls = lambda a: a - logsumexp(a, axis=-1, keepdims=True)  # noqa: E731
    if workload == "scalar_grad":
        g = autograd.grad(lambda ab: scalar_program(ab[0], ab[1], xp=anp))
        return lambda: g((0.3, 0.7))
    if workload == "mlp_grad":
        act = {"tanh": anp.tanh, "relu": lambda a: anp.maximum(a, 0.0)}[d["act"]]
        g = autograd.grad(lambda p: _mlp(ls, act, p, d["X"], d["Y"]))
        return lambda: g(d["params"])
    if workload == "jacrev_tanh_quad":
        return lambda: autograd.jacobian(lambda x: tanh_quad(x, d["A"], xp=anp))(d["x"])
    if workload == "hessian":
        return lambda: autograd.hessian(lambda x: logistic_energy(x, d["A"], xp=anp))(d["x"])
    if workload == "rfft_grad":
        g = autograd.grad(lambda x: spectral_loss(x, d["S"], xp=anp))
        return lambda: g(d["x"])
    if workload in ("check_grads", "check_grads_order2"):
        # its own check: one random direction, forward (J·v) and reverse (<uᵀJ, v>), against
        # a central difference of step 1e-6; order 2 recurses on the derivative functions
        from autograd.test_util import check_grads
        order = 2 if workload.endswith("2") else 1
        f = d["f"]
        return lambda: check_grads(lambda x: f(x, xp=anp), modes=["fwd", "rev"],
                                   order=order)(d["x"])
    if workload == "scalar_jvp":
        return None         # autograd's forward mode is not part of its stable API
    return None


_ADAPTERS = {"jax": _jax, "torch": _torch, "autograd": _autograd}


def extra_columns(workload: str, **data: Any) -> dict[str, Callable[[], Any]]:
    """``{"x:<framework>": callable}`` for every importable framework that has this workload.

    Each adapter is called once here; one that raises is skipped with a one-line message on
    stdout (so a broken optional install never stops the benchmark).
    """
    out = {}
    for name in available():
        try:
            fn = _ADAPTERS[name](workload, data)
            if fn is not None:
                fn()                      # fail here, not in the middle of the timing loop
                out["x:" + name] = fn
        except Exception as exc:  # noqa: BLE001 - an optional column must never stop the run
            print(f"[extra column {name}/{workload} skipped: {type(exc).__name__}: {exc}]")
    return out

