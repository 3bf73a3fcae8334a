"""Functions whose outputs are trees (tuples, lists, dicts, namedtuples, nested) in every
Jacobian entry point: the result has JAX's structure (the output tree with a block
``out_leaf.shape + in_leaf.shape`` per input leaf in place of each output leaf; a tuple of
them for a tuple of argnums; a tree of them for a tree argument), and every block equals the
central difference of that output leaf with respect to that input leaf.

The references share nothing with dualnum's derivative code: the function is evaluated on
plain numpy values (dnp calls numpy on them) and differenced; the expected structure is written
out by hand in each test. Fixed seeds.
"""
from __future__ import annotations

from collections import namedtuple

import numpy as np
import pytest

import dualnum as dn
import dualnum.numpy as dnp

from ..core.refs import assert_close

Stats = namedtuple("Stats", "mean sq")

RNG = np.random.default_rng(1307)
P = {"W": RNG.normal(size=(2, 3)), "b": RNG.normal(size=2)}
X = RNG.normal(size=3)
H = 1e-6


def net(p, x):
    """A tree of outputs of every kind: a tuple of (vector, dict of scalar and matrix,
    list with a vector, namedtuple)."""
    h = dnp.tanh(p["W"] @ x + p["b"])
    return (h,
            {"s": dnp.sum(h * h) + x[0] * p["b"][1], "m": dnp.outer(h, p["b"])},
            [x * 2.0 + dnp.sin(x)],
            Stats(mean=dnp.mean(x * p["b"][0]), sq=h ** 2))


def _out_leaves(y):
    """The output leaves of ``net`` in a hand-written order, as plain arrays."""
    return {"h": y[0], "s": y[1]["s"], "m": y[1]["m"], "l0": y[2][0], "mean": y[3].mean,
            "sq": y[3].sq}


def _out_blocks(J):
    """The blocks of a Jacobian of ``net`` by the same hand-written paths (checking the node
    types on the way: JAX's structure, not just the values)."""
    assert type(J) is tuple and len(J) == 4
    assert type(J[1]) is dict and list(J[1]) == ["s", "m"]
    assert type(J[2]) is list and len(J[2]) == 1
    assert type(J[3]) is Stats
    return {"h": J[0], "s": J[1]["s"], "m": J[1]["m"], "l0": J[2][0], "mean": J[3].mean,
            "sq": J[3].sq}


def _fd(fun, x):
    """Central differences of every output leaf (a dict of arrays) with respect to the array
    ``x``: shape out + in per leaf."""
    x = np.asarray(x, float)
    base = {k: np.asarray(v, float) for k, v in fun(x).items()}
    out = {k: np.zeros(v.shape + x.shape) for k, v in base.items()}
    for idx in np.ndindex(*x.shape):
        step = H * max(1.0, abs(float(x[idx])))
        xp, xm = x.copy(), x.copy()
        xp[idx] += step
        xm[idx] -= step
        yp, ym = fun(xp), fun(xm)
        for k in out:
            out[k][(Ellipsis,) + idx] = (np.asarray(yp[k], float) - np.asarray(ym[k], float)
                                         ) / (2 * step)
    return out


def _ref_wrt_x():
    return _fd(lambda x: _out_leaves(net(P, x)), X)


def _ref_wrt_p(key):
    return _fd(lambda v: _out_leaves(net({**P, key: v}, X)), P[key])


def _close(got, want, what):
    assert np.shape(got) == np.shape(want), f"{what}: shape {np.shape(got)} vs {np.shape(want)}"
    assert_close(got, want, 1e-6, 1e-8, what)


JACOBIANS = {
    "jacfwd": lambda **kw: dn.jacfwd(net, **kw),
    "jacfwd-chunked": lambda **kw: dn.jacfwd(net, chunk=2, **kw),
    "jacrev": lambda **kw: dn.jacrev(net, **kw),
    "jacobian-forward": lambda **kw: dn.jacobian(net, mode="forward", **kw),
    "jacobian-reverse": lambda **kw: dn.jacobian(net, mode="reverse", **kw),
}


@pytest.mark.parametrize("how", JACOBIANS)
def test_tree_output_wrt_a_vector_argument(how):
    J = JACOBIANS[how](argnums=1)(P, X)
    ref = _ref_wrt_x()
    for k, blk in _out_blocks(J).items():
        _close(blk, ref[k], f"{how}: d{k}/dx")


@pytest.mark.parametrize("how", JACOBIANS)
def test_tree_output_wrt_a_tree_argument(how):
    J = JACOBIANS[how](argnums=0)(P, X)
    refs = {key: _ref_wrt_p(key) for key in P}
    for k, blk in _out_blocks(J).items():
        assert type(blk) is dict and list(blk) == ["W", "b"], f"{how}: {k} block"
        for key in P:
            _close(blk[key], refs[key][k], f"{how}: d{k}/d{key}")


@pytest.mark.parametrize("how", JACOBIANS)
def test_tree_output_with_a_tuple_of_argnums(how):
    J = JACOBIANS[how](argnums=(1, 0))(P, X)
    ref_x, ref_b = _ref_wrt_x(), _ref_wrt_p("b")
    for k, blk in _out_blocks(J).items():
        assert type(blk) is tuple and len(blk) == 2
        _close(blk[0], ref_x[k], f"{how}: d{k}/dx")
        _close(blk[1]["b"], ref_b[k], f"{how}: d{k}/db")


def test_scalar_argument_gives_blocks_of_the_output_shapes():
    f = lambda t: {"a": t * X, "b": (dnp.sin(t), [t ** 2 * np.ones((2, 2))])}
    for J in (dn.jacfwd(f)(0.7), dn.jacrev(f)(0.7)):
        _close(J["a"], X, "d a/dt")
        assert np.shape(J["b"][0]) == () and J["b"][0] == pytest.approx(np.cos(0.7), rel=1e-12)
        _close(J["b"][1][0], 1.4 * np.ones((2, 2)), "d b/dt")


def test_vjp_takes_a_cotangent_of_the_output_structure():
    y, back = dn.vjp(net, P, X)
    want = net(P, X)                   # plain numpy values: the primal, independently
    assert type(y) is tuple and type(y[3]) is Stats and type(y[1]) is dict
    for k, v in _out_leaves(y).items():
        _close(v, _out_leaves(want)[k], f"primal {k}")
    rng = np.random.default_rng(5)
    ct = (rng.normal(size=2), {"m": rng.normal(size=(2, 2)), "s": 0.3},    # keys in any order
          [rng.normal(size=3)], Stats(mean=-1.2, sq=rng.normal(size=2)))
    gp, gx = back(ct)
    ref_x, refs = _ref_wrt_x(), {key: _ref_wrt_p(key) for key in P}
    cts = _out_leaves((ct[0], ct[1], ct[2], ct[3]))

    def contract(ref):
        return sum(np.tensordot(np.asarray(cts[k], float), ref[k], axes=np.ndim(cts[k]))
                   for k in cts)
    _close(gx, contract(ref_x), "vjp wrt x")
    assert list(gp) == ["W", "b"]
    for key in P:
        _close(gp[key], contract(refs[key]), f"vjp wrt {key}")


def test_vjp_cotangent_of_the_wrong_structure_names_where():
    _, back = dn.vjp(lambda x: Stats(x * 2.0, dnp.sum(x)), X)
    with pytest.raises(ValueError, match=r"vjp cotangent: expected a Stats \(a namedtuple\), "
                                         r"got tuple"):
        back((np.ones(3), 1.0))
    _, back = dn.vjp(lambda x: {"a": x, "b": [x[0]]}, X)
    with pytest.raises(ValueError, match=r"vjp cotangent: expected a dict with keys"):
        back({"a": np.ones(3)})
    with pytest.raises(ValueError, match=r"vjp cotangent\['b'\]: expected a list of 1 entries"):
        back({"a": np.ones(3), "b": 1.0})
    with pytest.raises(ValueError, match=r"cotangent \(leaf 0\) has shape \(2,\) but the output "
                                         r"has shape \(3,\)"):
        back({"a": np.ones(2), "b": [1.0]})


def test_jvp_output_tangent_has_the_output_structure():
    rng = np.random.default_rng(6)
    t = rng.normal(size=3)
    y, ty = dn.jvp(lambda x: net(P, x), (X,), (t,))
    _out_blocks(ty)                    # the same node types as the output
    assert type(y[3]) is Stats
    ref = _ref_wrt_x()
    for k, v in _out_leaves(ty).items():
        _close(v, ref[k] @ t, f"jvp d{k}")
    # batched directions: each output tangent leaf gets the leading axis
    V = rng.normal(size=(4, 3))
    _, tb = dn.jvp(lambda x: net(P, x), (X,), (V,), batched=True)
    for k, v in _out_leaves(tb).items():
        _close(v, np.moveaxis(ref[k] @ V.T, -1, 0), f"batched jvp d{k}")


def test_namedtuple_arguments_are_trees():
    f = lambda s: s.mean * dnp.sum(s.sq ** 2)
    s = Stats(mean=1.5, sq=np.array([0.5, -2.0]))
    g = dn.grad(f)(s)
    assert type(g) is Stats
    assert g.mean == pytest.approx(np.sum(s.sq ** 2), rel=1e-12)
    _close(g.sq, 2 * s.mean * s.sq, "d/dsq")
    J = dn.jacfwd(lambda st: Stats(st.sq * st.mean, st.mean))(s)
    assert type(J) is Stats and type(J.mean) is Stats
    _close(J.mean.sq, s.mean * np.eye(2), "d out.mean / d sq")
    _close(J.mean.mean, s.sq, "d out.mean / d mean")
    assert J.sq.mean == 1.0 and np.all(J.sq.sq == 0.0)


def test_outputs_with_constant_leaves_get_zero_blocks():
    f = lambda x: {"y": x * x, "c": 3.0, "arr": np.ones(2)}
    for J in (dn.jacfwd(f)(X), dn.jacrev(f)(X)):
        _close(J["y"], np.diag(2 * X), "dy/dx")
        assert np.shape(J["c"]) == (3,) and not np.any(J["c"])
        assert np.shape(J["arr"]) == (2, 3) and not np.any(J["arr"])


def test_a_none_leaf_is_refused_in_every_tree_output():
    # JAX reads None as an empty subtree; dualnum refuses it (a forgotten `return` most often)
    f = lambda x: (x * 2.0, None)
    for run in (lambda: dn.jacfwd(f)(X), lambda: dn.jacrev(f)(X), lambda: dn.vjp(f, X),
                lambda: dn.jvp(f, (X,), (X,))):
        with pytest.raises(TypeError, match="f returned a tree with a leaf that is None"):
            run()


def test_hessian_of_tree_arguments_has_jax_structure():
    # g(p) = sum(W^2) * b0 + b1^3 sum(W): second differences of g on the flat vector
    g = lambda p: dnp.sum(p["W"] ** 2) * p["b"][0] + p["b"][1] ** 3 * dnp.sum(p["W"])
    keys, shapes = ["W", "b"], [P["W"].shape, P["b"].shape]
    flat = np.concatenate([P["W"].ravel(), P["b"]])

    def g_flat(v):
        return g({"W": v[:6].reshape(2, 3), "b": v[6:]})
    h = 1e-4
    n = flat.size
    ref = np.zeros((n, n))
    for i in range(n):
        for j in range(n):
            e_i, e_j = np.eye(n)[i] * h, np.eye(n)[j] * h
            ref[i, j] = (g_flat(flat + e_i + e_j) - g_flat(flat + e_i - e_j)
                         - g_flat(flat - e_i + e_j) + g_flat(flat - e_i - e_j)) / (4 * h * h)
    sl = {"W": slice(0, 6), "b": slice(6, 8)}
    for mode in ("forward-over-reverse", "forward", "reverse"):
        Hs = dn.hessian(g, mode=mode)(P)
        assert list(Hs) == keys and all(list(Hs[k]) == keys for k in keys), mode
        for a, sa in zip(keys, shapes):
            for b, sb in zip(keys, shapes):
                assert np.shape(Hs[a][b]) == sa + sb, (mode, a, b)
                assert_close(np.reshape(Hs[a][b], (int(np.prod(sa)), int(np.prod(sb)))),
                             ref[sl[a], sl[b]], 1e-5, 1e-6, f"{mode}: H[{a}][{b}]")


def test_hessian_with_a_tuple_of_argnums_is_a_tuple_of_tuples():
    f = lambda a, b: a ** 2 * b + dnp.sin(b)        # closed form
    a, b = 0.8, -0.3
    want = ((2 * b, 2 * a), (2 * a, -np.sin(b)))
    for mode in ("forward-over-reverse", "forward", "reverse"):
        Hs = dn.hessian(f, argnums=(0, 1), mode=mode)(a, b)
        assert type(Hs) is tuple and all(type(r) is tuple for r in Hs)
        np.testing.assert_allclose(np.array(Hs, dtype=float), np.array(want), rtol=1e-12)
