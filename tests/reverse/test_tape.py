"""The tape: the notes' reverse sweeps, functional semantics, inspection, deep graphs."""
import math
import sys

import numpy as np
import pytest

import dualnum as dn
import dualnum.numpy as dnp


def lepetit_tape():
    with dn.Tape() as tape:
        x1, x2 = tape.var(2.0, "x1"), tape.var(5.0, "x2")
        y = dnp.log(x1) + x1 * x2 - dnp.sin(x2)
    return tape, x1, x2, y


def test_lepetit_reverse_sweep_both_partials_in_one_pass():
    tape, x1, x2, y = lepetit_tape()
    g1, g2 = tape.gradient(y, [x1, x2], steps=True)
    assert g1 == 5.5
    assert g2 == pytest.approx(1.716, abs=5e-4) and g2 == pytest.approx(2 - math.cos(5))
    adj = {e.op if e.name is None else e.name: e.adjoint for e in tape.entries}
    # the slide's intermediate adjoints: v̄5 = 1, v̄4 = 1, v̄3 = −1, v̄1 = v̄2 = 1
    assert adj["subtract"] == 1.0 and adj["add"] == 1.0 and adj["sin"] == -1.0
    assert adj["log"] == 1.0 and adj["multiply"] == 1.0
    # the accumulation steps: x̄2 = v̄3·cos v0 + v̄2·v−1 ; x̄1 = v̄2·v0 + v̄1/v−1
    into_x2 = sorted(c for tgt, src, c in tape.steps if tgt == 1)
    assert into_x2 == pytest.approx(sorted([-math.cos(5), 2.0]))
    into_x1 = sorted(c for tgt, src, c in tape.steps if tgt == 0)
    assert into_x1 == pytest.approx([0.5, 5.0])


def test_bradbury_graph():
    with dn.Tape() as t:
        x0, w0, w1 = t.var(3.0, "x0"), t.var(-2.0, "w0"), t.var(4.0, "w1")
        y1 = w0 * x0
        y2 = y1 + w1
        f = 1.0 / y2
    assert y1.value == -6.0 and y2.value == -2.0
    gy2, gw0, gx0, gw1 = t.gradient(f, [y2, w0, x0, w1])
    assert (gy2, gw0, gx0, gw1) == (-0.25, -0.75, 0.5, -0.25)
    assert dn.grad(lambda w0, x0, w1: 1 / (w0 * x0 + w1), argnums=(0, 1, 2))(-2.0, 3.0, 4.0) \
        == (-0.75, 0.5, -0.25)


def test_gradient_twice_gives_the_same_answer():
    tape, x1, x2, y = lepetit_tape()
    first = tape.gradient(y, [x1, x2])
    second = tape.gradient(y, [x1, x2])
    assert first == second            # no silent accumulation (micrograd's second backward)


def test_closed_tape_and_released_tape():
    tape, x1, x2, y = lepetit_tape()
    with pytest.raises(dn.LeakedBoxError, match="closed Tape"):
        x1 * 2.0
    with pytest.raises(dn.LeakedBoxError, match="not recording"):
        tape.var(1.0)
    tape.gradient(y, [x1], retain=False)
    with pytest.raises(RuntimeError, match="released"):
        tape.gradient(y, [x1])


def test_non_scalar_output_needs_a_seed():
    with dn.Tape() as t:
        x = t.var(np.ones(3))
        y = x * 2.0
    with pytest.raises(ValueError, match="seed="):
        t.gradient(y, x)
    np.testing.assert_allclose(t.gradient(y, x, seed=np.array([1.0, 2.0, 3.0])), [2, 4, 6])


def test_check_finite_names_the_first_bad_entry():
    with pytest.raises(dn.NonFiniteError, match=r"v1 = log\(-1.0\).*first non-finite value"):
        with np.errstate(invalid="ignore"):
            with dn.Tape(check_finite=True) as t:
                x = t.var(-1.0, "x")
                dnp.log(x)
    with dn.Tape(check_finite=True) as t:
        x = t.var(0.0, "x")
        y = dnp.sqrt(x)                  # finite value, infinite derivative
    with pytest.raises(dn.NonFiniteError, match=r"sqrt\(0.0\) into v0 is inf"):
        with np.errstate(divide="ignore"):
            t.gradient(y, x)


def test_entries_expose_the_wengert_list():
    tape, *_ = lepetit_tape()
    es = tape.entries
    assert [e.index for e in es] == list(range(7))
    assert es[3].op == "multiply" and es[3].inputs == (0, 1) and es[3].value == 10.0
    assert es[0].name == "x1" and es[1].name == "x2"
    assert es[5].inputs == (1,)


def test_tree_parameters_keep_their_structure():
    params = {"W": np.array([[1.0, 2.0], [3.0, 4.0]]), "b": [np.array([0.5, -0.5]), 2.0]}
    x = np.array([1.0, -1.0])

    def loss(p):
        h = dnp.tanh(p["W"] @ x + p["b"][0]) * p["b"][1]
        return dnp.sum(h * h)

    g = dn.grad(loss)(params)
    assert set(g) == {"W", "b"} and isinstance(g["b"], list) and g["W"].shape == (2, 2)
    # against central differences on each leaf
    eps = 1e-6
    Wp = params["W"].copy()
    Wp[0, 1] += eps
    Wm = params["W"].copy()
    Wm[0, 1] -= eps
    fd = (loss({**params, "W": Wp}) - loss({**params, "W": Wm})) / (2 * eps)
    assert g["W"][0, 1] == pytest.approx(fd, rel=1e-7)
    fd_b = (loss({**params, "b": [params["b"][0], 2.0 + eps]})
            - loss({**params, "b": [params["b"][0], 2.0 - eps]})) / (2 * eps)
    assert g["b"][1] == pytest.approx(fd_b, rel=1e-7)


def _chain(x, n):
    for _ in range(n // 2):
        x = dnp.sin(x) * 1.0001
    return x


@pytest.mark.slow
def test_deep_chain_100k_at_default_recursion_limit():
    # 100 times deeper than the recursion limit is deep enough (a 10⁶-op run proved nothing
    # more, in 8 s); the tape stays a list swept in a loop, whatever the depth
    limit = sys.getrecursionlimit()
    g = dn.grad(lambda x: _chain(x, 100_000))(0.5)
    assert sys.getrecursionlimit() == limit
    # reference: the same chain rule product computed with plain floats
    x, ref = 0.5, 1.0
    for _ in range(50_000):
        ref *= math.cos(x) * 1.0001
        x = math.sin(x) * 1.0001
    assert g == pytest.approx(ref, rel=1e-9)


# ------------------------------------------------------------- keep="needed" (dualnum.saves)

def _mlp_layer_refs(keep):
    """Record exp(x W + b); return weak references to the product and the pre-activation."""
    import weakref
    rng = np.random.default_rng(3)
    X, W, b = rng.normal(size=(5, 4)), rng.normal(size=(4, 3)), rng.normal(size=3)
    with dn.Tape(keep=keep) as tape:
        w, c = tape.var(W), tape.var(b)
        m = X @ w
        ref_m = weakref.ref(m.value)
        a = m + c
        ref_a = weakref.ref(a.value)
        del m, a                     # the program drops its temporaries
        y = dnp.sum(dnp.exp(X @ w + c))
    return tape, y, (w, c), ref_m, ref_a


def test_keep_needed_frees_what_no_rule_reads_and_all_keeps_everything():
    tape, y, _, ref_m, ref_a = _mlp_layer_refs("needed")
    assert ref_m() is None and ref_a() is None      # matmul's product, add's result: unread
    tape, y, _, ref_m, ref_a = _mlp_layer_refs("all")
    assert ref_m() is not None and ref_a() is not None
    assert tape.entries[2].value is ref_m()        # inspection sees every value


def test_keep_needed_gives_the_same_gradient_as_keep_all_and_differences():
    grads = {}
    for keep in ("needed", "all"):
        tape, y, (w, c), _, _ = _mlp_layer_refs(keep)
        grads[keep] = tape.gradient(y, [w, c])
    for g_lean, g_all in zip(grads["needed"], grads["all"]):
        np.testing.assert_array_equal(g_lean, g_all)
    rng = np.random.default_rng(3)
    X, W, b = rng.normal(size=(5, 4)), rng.normal(size=(4, 3)), rng.normal(size=3)
    f = lambda Wv: np.sum(np.exp(X @ Wv.reshape(4, 3) + b))
    h, w0 = 1e-6, W.ravel()
    fd = [(f(w0 + h * e) - f(w0 - h * e)) / (2 * h) for e in np.eye(w0.size)]
    np.testing.assert_allclose(grads["needed"][0].ravel(), fd, rtol=1e-7)


def test_entries_of_a_lean_tape_show_unkept_arrays_by_shape_and_bad_keep_is_refused():
    tape, *_ = _mlp_layer_refs("needed")
    add = next(e for e in tape.entries if e.op == "add")
    assert repr(add.args[0]) == "<unkept array of shape (5, 3)>"
    with pytest.raises(ValueError, match="keep must be 'all' or 'needed'"):
        dn.Tape(keep="some")
