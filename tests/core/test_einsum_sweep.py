"""The einsum sweep (issue 10): every spelling of einsum numpy accepts, checked against
independent references only.

The subscripts come from a curated list (the shapes that broke before: ellipses leading, in the
middle and trailing, covering different numbers of axes in different operands, broadcast
length-1 axes, repeated labels within one operand, implicit outputs, scalar outputs) plus a
generated set (a fixed seed). Each is checked for

* its value against ``np.einsum`` on the same arrays;
* forward (``jacfwd``) and reverse (``jacrev``, and ``grad`` of a weighted sum) derivatives
  against central differences of ``np.einsum`` (exact up to rounding: einsum is multilinear);
* the rules themselves, called with and without a batch axis: each operand's adjoint has
  exactly that operand's shape (nothing left for the tape to sum), and equals the contraction of
  the output adjoint with the reference Jacobian;
* the VJP as the transpose of the JVP;
* for a subset, second order: Hessians of ``sum(w * einsum(...)**2)`` (all three modes) against
  second differences of that function in plain numpy.

No check compares the code with its own output.
"""
from __future__ import annotations

import numpy as np
import pytest

import dualnum as dn
import dualnum.numpy as dnp
from dualnum.rules import einsum as einsum_prim

from .refs import assert_close, central_jacobian
from .specs import quick_first

# ---------------------------------------------------------------- the cases

CURATED: list[tuple[str, tuple[tuple[int, ...], ...]]] = [
    # the issue's example and its crash case: an ellipsis not leading, covering fewer axes
    ("i...,i...->i...", ((2,), (2, 2))),
    ("i...,i...->i...", ((3,), (3, 2))),
    ("i...,i...->i...", ((3, 1), (3, 2))),
    ("i...,i...->...", ((3,), (3, 2))),
    ("i...,i...->...i", ((3, 2), (3,))),
    # ellipsis leading / middle / trailing, different coverage, length-1 broadcast axes
    ("...ij,jk->...ik", ((2, 2, 3), (3, 2))),
    ("...ij,...jk->...ik", ((2, 1, 2, 3), (3, 3, 2))),
    ("...ij,...jk->...ik", ((1, 2, 3), (2, 3, 2))),
    ("i...j,j->i...", ((2, 3, 1, 2), (2,))),
    ("i...j,...j->...i", ((2, 3, 2), (1, 2))),
    ("ij...,j...->i...", ((2, 3, 2, 2), (3, 1))),
    ("ij...,j...->i...", ((2, 3), (3, 2, 2))),
    ("...,...->...", ((2, 1), (3,))),
    ("...,...", ((2, 1), (1, 3))),
    ("a...b,b...->...a", ((2, 1, 3, 2), (2, 3, 1))),
    ("...i,...i->...", ((3, 1, 2), (1, 2, 2))),
    ("...i->...", ((2, 3),)),
    ("i...->i", ((3,),)),
    ("...->...", ((2, 3),)),
    ("ij->ji...", ((2, 3),)),
    # labelled axes of length 1 broadcast like numpy's
    ("ij,jk->ik", ((2, 1), (3, 2))),
    ("ij,ij->ij", ((2, 1), (1, 3))),
    ("ij,ij->", ((1, 3), (2, 3))),
    ("i,i->i", ((3,), (1,))),
    # repeated labels within one operand: traces, diagonals
    ("ii->", ((3, 3),)),
    ("ii->i", ((3, 3),)),
    ("iij->j", ((2, 2, 3),)),
    ("iij->ij", ((2, 2, 3),)),
    ("iii->i", ((2, 2, 2),)),
    ("iii->", ((2, 2, 2),)),
    ("ij,jj->i", ((2, 3), (3, 3))),
    ("ii,i->i", ((3, 3), (3,))),
    ("ii,i->i", ((1, 1), (3,))),
    ("ii,jj->ij", ((2, 2), (3, 3))),
    ("iji->j", ((2, 3, 2),)),
    ("i...i->...", ((2, 3, 2),)),
    ("...ii->...i", ((2, 3, 3),)),
    ("bii,bi->b", ((2, 3, 3), (1, 3))),
    # implicit outputs (numpy: '...' first, then labels seen once, sorted, upper case first)
    ("ii", ((3, 3),)),
    ("ij,jk", ((2, 3), (3, 2))),
    ("ba", ((2, 3),)),
    ("Ba,aC", ((2, 3), (3, 2))),
    ("...ij,jk", ((2, 2, 3), (3, 2))),
    ("j...,ij", ((3, 2), (2, 3))),
    ("i...i", ((2, 4, 2),)),
    ("iij", ((2, 2, 3),)),
    ("ij,ji", ((2, 3), (3, 2))),
    ("i,i", ((3,), (3,))),
    ("i,j", ((2,), (3,))),
    ("ab,bc,cd", ((2, 3), (3, 2), (2, 2))),
    # 1, 2, 3 operands, scalar outputs, scalars
    ("ij->", ((2, 3),)),
    ("i,i->", ((3,), (3,))),
    ("ij,jk,kl->il", ((2, 3), (3, 2), (2, 2))),
    ("ij,jk,ki->", ((2, 3), (3, 2), (2, 2))),
    ("i,j,k->ijk", ((2,), (3,), (2,))),
    ("...i,i...,...->...", ((2, 3), (3, 1), (2,))),
    ("ii,ij,j->", ((2, 2), (2, 3), (3,))),
    ("->", ((),)),
    (",->", ((), ())),
    ("i,->i", ((3,), ())),
    ("ijk->kj", ((2, 3, 2),)),
    (" ij , jk -> ik ", ((2, 3), (3, 2))),
]


def _generated(n: int = 90, seed: int = 2024) -> list[tuple[str, tuple]]:
    """Random valid specs: 1-3 operands, labels drawn with replacement (so repeats within an
    operand happen), an ellipsis at a random place covering a random number of the broadcast
    axes with random length-1 axes, explicit or implicit outputs. A spec numpy refuses is
    drawn again."""
    rng = np.random.default_rng(seed)
    out: list = []
    seen: set = set()
    while len(out) < n:
        pool = list(rng.choice(list("abcdXYz"), size=4, replace=False))
        size = {c: int(rng.integers(2, 4)) for c in pool}
        m = int(rng.integers(1, 3)) if rng.random() < 0.5 else 0
        ell = [int(rng.integers(2, 4)) for _ in range(m)]
        terms, shapes, any_ell = [], [], 0
        for _ in range(int(rng.choice([1, 2, 3], p=[0.3, 0.45, 0.25]))):
            labs = list(rng.choice(pool, size=int(rng.choice(4, p=[0.1, 0.3, 0.35, 0.25]))))
            one = {c: rng.random() < 0.12 for c in sorted(set(labs))}    # a broadcast length-1 axis
            shape = [1 if one[c] else size[c] for c in labs]
            if m and rng.random() < 0.8:
                c = int(rng.integers(0, m + 1))
                dims = [1 if rng.random() < 0.25 else d for d in ell[m - c:]]
                at = int(rng.integers(0, len(labs) + 1))
                labs = labs[:at] + ["..."] + labs[at:]
                shape = shape[:at] + dims + shape[at:]
                any_ell = max(any_ell, c + 1)
            terms.append("".join(labs))
            shapes.append(tuple(shape))
        if rng.random() < 0.3:
            spec = ",".join(terms)                               # implicit output
        else:
            used = sorted(set("".join(terms).replace(".", "")))
            k = int(rng.integers(0, len(used) + 1))
            outl = list(rng.permutation(used)[:k]) if used else []
            if any_ell and (any_ell > 1 or rng.random() < 0.5):
                outl.insert(int(rng.integers(0, len(outl) + 1)), "...")
            spec = ",".join(terms) + "->" + "".join(outl)
        key = (spec, tuple(shapes))
        if key in seen or sum(int(np.prod(s)) for s in shapes) > 40:
            continue
        try:
            y = np.einsum(spec, *[np.ones(s) for s in shapes])
        except ValueError:
            continue
        if np.size(y) > 36:
            continue
        seen.add(key)
        out.append(key)
    return out


CASES = CURATED + _generated()
IDS = [f"{s.strip()}|{shp}" for s, shp in CASES]
# the quick loop runs the curated specs (and one generated); the other generated ones are slow
SWEEP = quick_first(CASES, lambda c: c if c in CURATED else "generated", IDS, unpack=True)


def _operands(shapes: tuple, seed: int) -> list:
    rng = np.random.default_rng(seed)
    return [rng.uniform(-2.0, 2.0, size=s) if s else float(rng.uniform(-2.0, 2.0))
            for s in shapes]


def _ref(spec: str):
    return lambda *ops: np.einsum(spec, *[np.asarray(o, dtype=float) for o in ops])


def _f(spec: str):
    return lambda *ops: dnp.einsum(spec, *ops)


def _random_like(rng, shape: tuple, lead: tuple = ()):
    return rng.normal(size=lead + shape) if lead + shape else float(rng.normal())


@pytest.mark.parametrize("spec,shapes", SWEEP)
def test_einsum_value_and_first_order(spec, shapes):
    ops = _operands(shapes, 11)
    n = len(ops)
    ref_y = _ref(spec)(*ops)
    assert_close(dnp.einsum(spec, *ops), ref_y, 1e-14, 1e-14, f"{spec} value")
    J = central_jacobian(_ref(spec), ops, list(range(n)))
    nums = tuple(range(n))
    fwd = dn.jacfwd(_f(spec), argnums=nums)(*ops)
    rev = dn.jacrev(_f(spec), argnums=nums)(*ops)
    w = _random_like(np.random.default_rng(5), np.shape(ref_y))
    wsum = lambda *o: np.sum(w * _ref(spec)(*o))
    gref = central_jacobian(wsum, ops, list(range(n)))
    g = dn.grad(lambda *o: dnp.sum(w * dnp.einsum(spec, *o)), argnums=nums)(*ops)
    for k in range(n):
        assert_close(fwd[k], J[k], 1e-6, 1e-7, f"{spec} jacfwd d/d operand {k}")
        assert_close(rev[k], J[k], 1e-6, 1e-7, f"{spec} jacrev d/d operand {k}")
        assert_close(g[k], gref[k], 1e-6, 1e-7, f"{spec} grad of weighted sum, operand {k}")


@pytest.mark.parametrize("spec,shapes", SWEEP)
def test_einsum_rules_shapes_and_values(spec, shapes):
    """The rules called directly, b = 0 and b = 1: each adjoint has exactly its operand's
    shape (plus the batch axis) and is gᵀJ; each tangent of the output is J·t."""
    ops = _operands(shapes, 13)
    n = len(ops)
    ans = np.einsum(spec, *ops)
    J = central_jacobian(_ref(spec), ops, list(range(n)))
    rng = np.random.default_rng(17)
    oy = np.ndim(ans)
    for b, lead in ((0, ()), (1, (2,))):
        g = _random_like(rng, np.shape(ans), lead)
        adj = einsum_prim.vjp((False,) + (True,) * n, g, ans, (spec, *ops), {}, b)
        assert adj[0] is None
        ts = [_random_like(rng, np.shape(o), lead) for o in ops]
        tan = einsum_prim.jvp((None, *ts), ans, (spec, *ops), {}, b)
        want_t = np.zeros(lead + np.shape(ans))
        for k in range(n):
            got = np.asarray(adj[k + 1], dtype=float)
            assert got.shape == lead + np.shape(ops[k]), \
                f"{spec} b={b}: adjoint of operand {k} has shape {got.shape}"
            gb = np.asarray(g).reshape(lead + np.shape(ans))
            want = np.tensordot(gb, J[k], axes=(list(range(b, b + oy)), list(range(oy))))
            assert_close(got, want, 1e-6, 1e-7, f"{spec} b={b} adjoint of operand {k}")
            tb = np.asarray(ts[k]).reshape(lead + np.shape(ops[k]))
            ok = np.ndim(ops[k])
            # J·t, contracting the operand's axes (the batch axis, if any, stays in front)
            want_t = want_t + np.tensordot(
                tb, J[k], axes=(list(range(b, b + ok)), list(range(oy, oy + ok))))
        assert np.shape(tan) == lead + np.shape(ans), f"{spec} b={b}: tangent shape"
        assert_close(tan, want_t, 1e-6, 1e-7, f"{spec} b={b} tangent")


@pytest.mark.parametrize("spec,shapes", SWEEP)
def test_einsum_vjp_is_transpose_of_jvp(spec, shapes):
    ops = _operands(shapes, 19)
    rng = np.random.default_rng(23)
    vs = tuple(_random_like(rng, np.shape(o)) for o in ops)
    y, jv = dn.jvp(_f(spec), tuple(ops), vs)
    ybar = _random_like(rng, np.shape(y))
    y2, back = dn.vjp(_f(spec), *ops)
    jtv = back(ybar)
    jtv = jtv if isinstance(jtv, tuple) else (jtv,)
    for k, (a, o) in enumerate(zip(jtv, ops)):
        assert np.shape(a) == np.shape(o), f"{spec}: vjp of operand {k} has shape {np.shape(a)}"
    lhs = float(np.sum(ybar * np.asarray(jv)))
    rhs = float(sum(np.sum(np.asarray(a) * np.asarray(v)) for a, v in zip(jtv, vs)))
    assert np.allclose(y, y2, rtol=1e-15, atol=0)
    assert abs(lhs - rhs) <= 1e-12 * max(1.0, abs(lhs)), f"{spec}: <ȳ,Jv>={lhs} <Jᵀȳ,v>={rhs}"


# ---------------------------------------------------------------- second order

SECOND_SPECS = ["i...,i...->i...", "...ij,...jk->...ik", "i...j,...j->...i", "ij,jk->ik",
                "ii->", "ii->i", "iij->j", "ij,jj->i", "ii,i->i", "...ii->...i", "ab,bc,cd",
                "ij,jk,ki->", "Ba,aC"]
SECOND = [c for c in CURATED if c[0] in SECOND_SPECS][:16] + [
    c for c in _generated() if sum(int(np.prod(s)) for s in c[1]) <= 12][:6]


def _second_differences(s, x: np.ndarray, h: float = 1e-4) -> np.ndarray:
    """Hessian of a scalar plain-numpy function by 4-point central differences."""
    n = x.size
    H = np.zeros((n, n))
    e = np.eye(n) * h
    for i in range(n):
        for j in range(i, n):
            v = (s(x + e[i] + e[j]) - s(x + e[i] - e[j]) - s(x - e[i] + e[j])
                 + s(x - e[i] - e[j])) / (4 * h * h)
            H[i, j] = H[j, i] = v
    return H


# the quick loop takes one spec per kind (ellipsis, matmul, trace, three operands, generated)
@pytest.mark.parametrize("spec,shapes", quick_first(
    SECOND, lambda c: c[0] if c[0] in ("i...,i...->i...", "ij,jk->ik", "ii->", "ij,jk,ki->")
    else "generated" if c not in CURATED else None, [f"{s}|{sh}" for s, sh in SECOND],
    unpack=True))
def test_einsum_second_order(spec, shapes):
    ops = _operands(shapes, 29)
    sizes = [int(np.prod(s)) for s in shapes]
    w = _random_like(np.random.default_rng(31), np.shape(np.einsum(spec, *ops)))

    def unpack(x, rs):
        parts, start = [], 0
        for shp, k in zip(shapes, sizes):
            parts.append(rs(x[start:start + k], shp) if shp else x[start])
            start += k
        return parts

    def s(x):
        return dnp.sum(w * dnp.einsum(spec, *unpack(x, dnp.reshape)) ** 2)

    def s_np(x):
        return float(np.sum(w * np.einsum(spec, *unpack(x, np.reshape)) ** 2))

    x0 = np.concatenate([np.ravel(np.asarray(o, dtype=float)) for o in ops])
    ref = _second_differences(s_np, x0)
    scale = max(1.0, float(np.abs(ref).max()))
    for mode in ("forward-over-reverse", "forward", "reverse"):
        H = dn.hessian(s)(x0) if mode == "forward-over-reverse" else \
            dn.hessian(s, mode=mode)(x0)
        assert_close(H, ref, 1e-6, 1e-6 * scale, f"{spec} Hessian ({mode})")
    JJ = dn.jacfwd(dn.jacrev(lambda x: dnp.einsum(spec, *unpack(x, dnp.reshape))))(x0)
    # the second derivative of the einsum itself is a constant: central differences of
    # the reference Jacobian, which are exact for a multilinear function
    ref2 = central_jacobian(
        lambda x: central_jacobian(lambda z: np.einsum(spec, *unpack(z, np.reshape)),
                                   [x], [0], h=1e-3)[0], [x0], [0], h=1e-3)[0]
    assert_close(JJ, ref2, 1e-6, 1e-6, f"{spec} jacfwd(jacrev(einsum))")


# ---------------------------------------------------------------- named regressions


def test_issue10_ellipsis_not_leading_gives_exact_gradient():
    a = np.array([1., 2.])
    b = np.array([[1., 10.], [100., 1000.]])
    w = np.array([[1., 2.], [3., 4.]])
    f = lambda a: dnp.sum(w * dnp.einsum("i...,i...->i...", a, b))
    # by hand: d/da_i = Σ_j w_ij b_ij = (1 + 20, 300 + 4000)
    assert_close(dn.grad(f)(a), np.array([21., 4300.]), 0, 1e-12, "grad")
    assert_close(dn.jacfwd(f)(a), np.array([21., 4300.]), 0, 1e-12, "jacfwd")
    assert_close(dn.jacrev(f)(a), np.array([21., 4300.]), 0, 1e-12, "jacrev")


def test_issue10_ellipsis_not_leading_3_by_2_does_not_crash():
    rng = np.random.default_rng(3)
    a, b, w = rng.normal(size=3), rng.normal(size=(3, 2)), rng.normal(size=(3, 2))
    f = lambda a, b: dnp.sum(w * dnp.einsum("i...,i...->i...", a, b))
    ga, gb = dn.grad(f, argnums=(0, 1))(a, b)
    assert_close(ga, np.sum(w * b, axis=1), 1e-12, 1e-12, "d/da")      # by hand
    assert_close(gb, w * a[:, None], 1e-12, 1e-12, "d/db")


def test_large_operands_take_numpys_optimize_path():
    """Above 2000 elements the implementation asks numpy for a contraction order; the
    values and gradients must not change (references by hand)."""
    rng = np.random.default_rng(41)
    a, b, w = rng.normal(size=3), rng.normal(size=(3, 800)), rng.normal(size=(3, 800))
    f = lambda a, b: dnp.sum(w * dnp.einsum("i...,i...->i...", a, b))
    assert_close(dnp.einsum("i...,i...->i...", a, b), a[:, None] * b, 1e-14, 0, "value")
    ga, gb = dn.grad(f, argnums=(0, 1))(a, b)
    assert_close(ga, np.sum(w * b, axis=1), 1e-12, 1e-12, "d/da")
    assert_close(gb, w * a[:, None], 1e-12, 1e-12, "d/db")
    A, B, W = rng.normal(size=(30, 1, 9, 8)), rng.normal(size=(4, 8, 5)), \
        rng.normal(size=(30, 4, 9, 5))
    g = lambda A, B: dnp.sum(W * dnp.einsum("...ij,...jk->...ik", A, B))
    assert_close(dnp.einsum("...ij,...jk->...ik", A, B), A @ B, 1e-12, 1e-12, "batched value")
    gA, gB = dn.grad(g, argnums=(0, 1))(A, B)
    assert_close(gA, np.sum(W @ np.swapaxes(B, -1, -2), axis=1, keepdims=True), 1e-12, 1e-12,
                 "d/dA")
    assert_close(gB, np.sum(np.swapaxes(A, -1, -2) @ W, axis=0), 1e-12, 1e-12, "d/dB")


def test_trace_and_diagonal_adjoints_are_zero_off_the_diagonal():
    A = np.arange(9.0).reshape(3, 3)
    assert_close(dn.grad(lambda A: dnp.einsum("ii->", A))(A), np.eye(3), 0, 0, "trace")
    g = np.array([1.0, 2.0, 3.0])
    _, back = dn.vjp(lambda A: dnp.einsum("ii->i", A), A)
    gA = back(g)
    assert_close(gA[0] if isinstance(gA, tuple) else gA, np.diag(g), 0, 0, "diagonal")


# ---------------------------------------------------------------- the sublist form


SUBLISTS = [
    ((2, 3), [0, 1], (3, 2), [1, 2]),
    ((2, 3), [0, 1], (3, 2), [1, 2], [2, 0]),
    ((2, 3), [Ellipsis, 0], [Ellipsis]),
    ((2, 3), [0, 30]),                       # implicit: integer order (0 < 30)
    ((2, 3), [30, 0]),
    ((3, 3), [5, 5]),                        # the trace
    ((2, 3, 3), [Ellipsis, 7, 7], [Ellipsis, 7]),
    ((2, 3), [51, 26], (3,), [26], [51]),
    ((2, 3), (np.int64(0), 1), (3,), [1]),
]


@pytest.mark.parametrize("form", SUBLISTS, ids=[str(i) for i in range(len(SUBLISTS))])
def test_sublist_form(form):
    rng = np.random.default_rng(37)
    n_ops = len(form) // 2          # (shape, sublist) pairs, then maybe the output sublist
    args = [rng.normal(size=a) if k % 2 == 0 and k < 2 * n_ops else a
            for k, a in enumerate(form)]
    ops = args[0:2 * n_ops:2]
    ref = np.einsum(*args)
    assert_close(dnp.einsum(*args), ref, 1e-14, 1e-14, "value")

    def with_ops(*xs):
        a = list(args)
        for k, x in enumerate(xs):
            a[2 * k] = x
        return a

    nums = tuple(range(len(ops)))
    J = central_jacobian(lambda *xs: np.einsum(*with_ops(*xs)), ops, list(nums))
    # through numpy's own einsum: __array_function__ hands boxes to dualnum.numpy.einsum
    fwd = dn.jacfwd(lambda *xs: np.einsum(*with_ops(*xs)), argnums=nums)(*ops)
    rev = dn.jacrev(lambda *xs: np.einsum(*with_ops(*xs)), argnums=nums)(*ops)
    for k in nums:
        assert_close(fwd[k], J[k], 1e-6, 1e-7, f"np.einsum sublist forward {k}")
        assert_close(rev[k], J[k], 1e-6, 1e-7, f"np.einsum sublist reverse {k}")


def test_sublist_keywords():
    x = np.ones((2, 3))
    assert_close(dnp.einsum(x, [0, 1], [1], optimize=True), np.full(3, 2.0), 0, 0, "optimize")
    with pytest.raises(TypeError, match="einsum: the keyword out="):
        dnp.einsum("ij->j", x, out=np.zeros(3))


# ---------------------------------------------------------------- errors


ERRORS = [
    (("ij,jk->ik", (2, 3)), "name 2 operands, but 1 was given"),
    (("ij->ik", (2, 3)), "output label 'k' of 'ij->ik' appears in no input"),
    (("ij->ii", (2, 3)), "the output of 'ij->ii' repeats label 'i'"),
    (("ij,ij", (2, 3), (2, 3, 4)), "einsum: operand 1 has 3 dimensions but subscripts 'ij' "
                                   "name 2"),
    (("ijk...", (2, 3)), "operand 0 has 2 dimensions but subscripts 'ijk...' name at least 3"),
    (("ij,jk", (2, 3), (4, 2)), "label 'j' has size 3 in operand 0 but 4 in operand 1"),
    (("...,...", (2,), (3,)), r"'...' axis -1 \(counted from the right\) has size 2"),
    (("ii", (2, 3)), "operand 0 repeats label 'i' on axes of sizes 2 and 3"),
    (("i1", (2, 3)), "invalid character '1'"),
    (("i.j", (2, 3)), "a '.' that is not part of a single '...'"),
    (("....i", (2, 3)), "a '.' that is not part of a single '...'"),
    (("ij->j->i", (2, 3)), "'->' more than once"),
    (("...i->i", (2, 3)), "the output has no '...'"),
    (("...i->i", (50, 50)), "the output has no '...'"),     # numpy's optimize path sums it
    (("i,i", (2,), (3,)), "label 'i' has size 2 in operand 0 but 3 in operand 1"),
]


@pytest.mark.parametrize("call,message", ERRORS, ids=[c[0] for c, _ in ERRORS])
def test_errors_name_the_problem(call, message):
    spec, shapes = call[0], call[1:]
    ops = [np.ones(s) for s in shapes]
    with pytest.raises(ValueError, match=message):
        dnp.einsum(spec, *ops)
    with pytest.raises(ValueError, match=message):          # forward mode
        dn.jacfwd(lambda x: dnp.einsum(spec, x, *ops[1:]))(ops[0])
    with pytest.raises(ValueError, match=message):          # reverse mode
        dn.grad(lambda x: dnp.sum(dnp.einsum(spec, x, *ops[1:])))(ops[0])


@pytest.mark.parametrize("args,exc,message", [
    ((np.ones(2), [52]), ValueError, r"label 52 in the sublist of operand 0 is not within"),
    ((np.ones(2), [0.5]), TypeError, "labels are integers 0..51 or Ellipsis"),
    ((np.ones(2), "i"), TypeError, "must be a list of integers"),
    ((np.ones((2, 2)), [Ellipsis, 0, Ellipsis]), ValueError, "more than one Ellipsis"),
    ((), TypeError, "give a subscripts string and operands"),
    (("ij",), ValueError, "but no operands given"),
    ((np.ones(2),), TypeError, r"the sublist form is einsum\(op0, sublist0"),
])
def test_sublist_errors(args, exc, message):
    with pytest.raises(exc, match=message):
        dnp.einsum(*args)


def test_symbolic_values_match_numpy():
    sympy = pytest.importorskip("sympy")
    A = np.array(sympy.symbols("a0:3"), dtype=object)
    B = np.array(sympy.symbols("b0:6"), dtype=object).reshape(3, 2)
    out = dnp.einsum("i...,i...->i...", A, B)
    vals = {s: float(k + 1) for k, s in enumerate(list(A) + list(B.ravel()))}
    got = np.array([[float(e.subs(vals)) for e in row] for row in out])
    ref = np.einsum("i...,i...->i...", np.arange(1.0, 4.0), np.arange(4.0, 10.0).reshape(3, 2))
    assert_close(got, ref, 0, 0, "symbolic")
