"""The ``reads`` column: every row of the table declares what its reverse rule reads, and the
lean tape (``Tape(keep="needed")``, what ``dn.grad``/``vjp``/``jacrev`` record on) keeps only
that. Here every rule's VJP runs on such a tape — where an undeclared value is a stand-in that
refuses arithmetic, so a wrong declaration fails loudly — and must give the adjoints of a tape
that kept everything, which central differences check in turn.
"""
from __future__ import annotations

import numpy as np
import pytest

import dualnum as dn
from dualnum.rules import all_rules, get_rule
from dualnum.saves import Unkept

from ..core.refs import assert_close, central_jacobian
from ..core.specs import all_cases, quick_first

CASES = [c for c in all_cases() if get_rule(c.prim).differentiable]


def test_every_row_declares_what_its_rule_reads():
    undeclared = [p.name for p in all_rules() if p.reads is None and not p.nondiff]
    assert not undeclared, f"rows without a `reads` column: {undeclared}"


def _record(case, keep):
    prim = get_rule(case.prim)
    with dn.Tape(keep=keep) as tape:
        args = list(case.args)
        xs = []
        for i in case.wrt:
            args[i] = tape.var(np.asarray(case.args[i], dtype=float) if np.ndim(case.args[i])
                               else float(case.args[i]))
            xs.append(args[i])
        y = prim(*args, **case.kwargs)
    return tape, xs, y


@pytest.mark.parametrize("case", quick_first(CASES, lambda c: c.prim, [c.id for c in CASES]))
def test_the_rule_runs_on_what_it_declares_and_nothing_else(case):
    rng = np.random.default_rng(3)
    lean, lxs, ly = _record(case, "needed")
    full, fxs, fy = _record(case, "all")
    shape = np.shape(fy.value)
    seed = rng.normal(size=shape) if shape else float(rng.normal())
    got = lean.gradient(ly, lxs, seed=seed)
    want = full.gradient(fy, fxs, seed=seed)
    # the stand-ins really are there when the row says a value is not read
    prim = get_rule(case.prim)
    per_arg, _ = prim.reads
    row = lean._rows[ly.index]
    if type(per_arg) is tuple and type(fy.value) is np.ndarray:
        for k, keep in enumerate(per_arg):
            v = row[2][k]
            if not keep and type(full._rows[fy.index][2][k]) is np.ndarray:
                assert isinstance(v, Unkept), f"{case.id}: argument {k} kept though unread"
    # ... and the adjoints equal the full tape's, which central differences confirm
    # (a real seed pairs with a complex output, the fft family's, by Re(seed·y))
    f = lambda *vals: np.real(np.sum(seed * np.asarray(_call(case, vals))))
    ref = central_jacobian(f, [case.args[i] for i in case.wrt], list(range(len(case.wrt))))
    for k, (g, w) in enumerate(zip(got, want)):
        assert_close(g, w, 1e-13, 1e-13, f"{case.id} lean vs full tape, argument {k}")
        assert_close(g, ref[k], 1e-6, 1e-7, f"{case.id} lean tape vs central differences")


def _call(case, vals):
    args = list(case.args)
    for i, v in zip(case.wrt, vals):
        args[i] = v
    return get_rule(case.prim)(*args, **case.kwargs)


def test_a_stand_in_refuses_arithmetic():
    u = Unkept((3,))
    with pytest.raises(TypeError):
        np.ones(3) * u
    with pytest.raises(TypeError, match="reads"):
        np.asarray(u)


def test_a_wrong_declaration_fails_loudly_not_silently():
    # a row that claims its partial reads nothing while it reads x: the lean tape must raise
    from dualnum.primitive import Primitive
    bad = Primitive("bad_square", np.square, partials=(lambda x, ans: 2.0 * x,), reads="")
    with pytest.raises(TypeError):
        dn.grad(lambda v: bad(v).sum())(np.arange(3.0))
    good = Primitive("good_square", np.square, partials=(lambda x, ans: 2.0 * x,), reads="x")
    assert np.allclose(dn.grad(lambda v: good(v).sum())(np.arange(3.0)), [0.0, 2.0, 4.0])


def test_an_unknown_name_in_reads_is_a_declaration_error():
    from dualnum.primitive import Primitive
    with pytest.raises(ValueError, match="reads names"):
        Primitive("typo", np.exp, partials=(lambda x, ans: ans,), reads="anz")
