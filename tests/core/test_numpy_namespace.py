"""dualnum.numpy: every public name is a primitive with a rule, a composite of primitives, or a
constant; composites differentiate correctly; every interpreter runs the same code."""
import __future__
import inspect
import warnings

import numpy as np
import pytest
import sympy

import dualnum as dn
import dualnum.numpy as dnp
from dualnum.primitive import Primitive

from .refs import assert_close, central_gradient
from .specs import all_cases


def _public_names() -> set:
    """Every public name bound in dualnum.numpy (what a user can reach), read from the module
    itself rather than from its own lists: the modules and typing helpers it imports aside."""
    classification = {"PRIMITIVES", "COMPOSITES", "CONSTANTS"}
    return {n for n, v in vars(dnp).items()
            if not n.startswith("_") and n not in classification and not inspect.ismodule(v)
            and getattr(v, "__module__", None) not in ("typing", "collections.abc")
            and not isinstance(v, __future__._Feature)}


def test_every_name_is_classified():
    lists = {"PRIMITIVES": dnp.PRIMITIVES, "COMPOSITES": dnp.COMPOSITES,
             "CONSTANTS": dnp.CONSTANTS}
    seen: dict = {}
    for kind, names in lists.items():
        for name in names:
            assert name not in seen, f"dnp.{name} is listed in {seen[name]} and in {kind}"
            seen[name] = kind
    public = _public_names()
    assert public - set(seen) == set(), "public names of dnp in no list"
    assert set(seen) - public == set(), "listed names that dnp does not define"
    assert sorted(dnp.__all__) == sorted(seen)
    for name in dnp.COMPOSITES:
        obj = getattr(dnp, name)
        if name in INDEX_TRICKS:    # used by indexing, as numpy's: the composite is __getitem__
            assert inspect.isfunction(type(obj).__getitem__), f"dnp.{name} cannot be indexed"
            continue
        assert inspect.isfunction(obj), f"dnp.{name} is listed as a composite, not a function"


INDEX_TRICKS = ("r_", "c_")


# a sample call of every wrapper in PRIMITIVES (a def fixing numpy's signature), on x of shape
# (3, 4), with the rule it must record
WRAPPER_CALLS = {
    "clip": ("clip", lambda x: dnp.clip(x, 0.8, 1.5)),
    "where": ("where", lambda x: dnp.where(X > 1.2, x, 0.5)),
    "sum": ("sum", lambda x: dnp.sum(x, axis=0)),
    "mean": ("mean", lambda x: dnp.mean(x, axis=0)),
    "prod": ("prod", lambda x: dnp.prod(x, axis=1)),
    "max": ("max", lambda x: dnp.max(x, axis=1)),
    "min": ("min", lambda x: dnp.min(x)),
    "amax": ("max", lambda x: dnp.amax(x, axis=0)),
    "amin": ("min", lambda x: dnp.amin(x, axis=0)),
    "einsum": ("einsum", lambda x: dnp.einsum("ij->j", x)),
    "transpose": ("transpose", lambda x: dnp.transpose(x)),
    "reshape": ("reshape", lambda x: dnp.reshape(x, (4, 3))),
    "broadcast_to": ("broadcast_to", lambda x: dnp.broadcast_to(x, (2, 3, 4))),
    "concatenate": ("concatenate", lambda x: dnp.concatenate([x, x], axis=0)),
    "pad": ("pad", lambda x: dnp.pad(x, ((1, 0), (0, 2)))),
    "logsumexp": ("logsumexp", lambda x: dnp.logsumexp(x, axis=1)),
    "softmax": ("softmax", lambda x: dnp.softmax(x, axis=0)),
    "log_softmax": ("log_softmax", lambda x: dnp.log_softmax(x)),
}


def _recorded(call, args, wrt):
    """Run ``call`` with the arguments at positions ``wrt`` boxed on a tape: the result and
    the rows the call recorded."""
    with dn.Tape() as tape:
        args = [tape.var(a) if i in wrt else a for i, a in enumerate(args)]
        n = len(tape.entries)
        out = call(*args)
    return out, tape.entries[n:]


SAMPLE_CALLS = {c.prim: c for c in reversed(all_cases())}   # the first call of each rule


@pytest.mark.parametrize("name", dnp.PRIMITIVES)
def test_primitives_have_rules(name):
    # behaviour, not source text: on tape variables dnp.<name> records exactly one row, a rule
    # of the table (a wrapper fixes numpy's signature and calls that one primitive)
    obj = getattr(dnp, name)
    if isinstance(obj, Primitive):
        want = obj.name
        case = SAMPLE_CALLS.get(want)
        assert case is not None, f"dnp.{name}: no sample call of {want!r} in tests/core/specs.py"
        out, rows = _recorded(lambda *a: obj(*a, **case.kwargs), case.args, case.wrt)
    else:
        assert name in WRAPPER_CALLS, f"dnp.{name}: add a sample call to WRAPPER_CALLS"
        want, call = WRAPPER_CALLS[name]
        out, rows = _recorded(call, [X], [0])
    assert [r.op for r in rows] == [want], f"dnp.{name} recorded {[r.op for r in rows]}"
    assert dn.has_rule(want)
    assert isinstance(out, dn.TapeVar) and out.index == rows[0].index


RNG = np.random.default_rng(5)
X = RNG.uniform(0.5, 2.0, size=(3, 4))
COMPOSITE_CALLS = {
    "var": lambda x: dnp.var(x, axis=1),
    "std": lambda x: dnp.std(x),
    "norm": lambda x: dnp.norm(x, axis=0),
    "squeeze": lambda x: dnp.squeeze(x[:1]),
    "expand_dims": lambda x: dnp.expand_dims(x, 1),
    "stack": lambda x: dnp.stack([x, x * x], axis=1),
    "moveaxis": lambda x: dnp.moveaxis(dnp.reshape(x, (3, 2, 2)), 0, -1),
    "swapaxes": lambda x: dnp.swapaxes(x, 0, 1),
    "flip": lambda x: dnp.flip(x, axis=1),
    "outer": lambda x: dnp.outer(x[0], x[1]),
    "tensordot": lambda x: dnp.tensordot(x, x * x, axes=([1], [1])),
    "dot": lambda x: dnp.dot(x, dnp.transpose(x)),
    "inner": lambda x: dnp.inner(x, x),
    "trace": lambda x: dnp.trace(x),
    "diagonal": lambda x: dnp.diagonal(x, offset=1),
    "diag": lambda x: dnp.diag(x),
    "cumsum": lambda x: dnp.cumsum(x, axis=1),
    "linspace": lambda x: dnp.linspace(x[0, 0], x[1], 3),
    "reciprocal": lambda x: dnp.reciprocal(x),
    "softsign": lambda x: dnp.softsign(x - 1.2),
    "fmax": lambda x: dnp.fmax(x, x[::-1]),
    "fmin": lambda x: dnp.fmin(x, 0.5 * x[::-1]),
    # ---- shapes and indexing (issue 13)
    "atleast_1d": lambda x: dnp.atleast_1d(x[0, 0]),
    "atleast_2d": lambda x: dnp.atleast_2d(x[0], x)[0],
    "atleast_3d": lambda x: dnp.atleast_3d(x),
    "vstack": lambda x: dnp.vstack([x, x[0] * x[1]]),
    "hstack": lambda x: dnp.hstack([x, x[:, :1] * x[:, 1:2]]),
    "dstack": lambda x: dnp.dstack([x, x * x]),
    "column_stack": lambda x: dnp.column_stack([x[0], x[1] * x[2], x.T]),
    "append": lambda x: dnp.append(x, x[0] * x[1]),
    "split": lambda x: dnp.split(x, 2, axis=1)[1] * dnp.split(x, [1, 2])[0][:, :2],
    "array_split": lambda x: dnp.array_split(x, 3, axis=1)[0] * dnp.array_split(x, 2)[1][:, :2],
    "vsplit": lambda x: dnp.vsplit(x, [1])[1],
    "hsplit": lambda x: dnp.hsplit(x, 2)[0] * dnp.hsplit(x, 2)[1],
    "dsplit": lambda x: dnp.dsplit(dnp.reshape(x, (3, 2, 2)), 2)[1],
    "take": lambda x: dnp.take(x, [[0, 5], [5, -1]]) + dnp.take(x, [1, 7], 1, mode="clip")[:2],
    "take_along_axis": lambda x: dnp.take_along_axis(x, np.argsort(X, axis=1), axis=1),
    "index_add": lambda x: dnp.index_add(x * x, (0, [1, 1, 3]), x[1, :3]),
    "repeat": lambda x: dnp.repeat(x, [1, 0, 2], axis=0) * dnp.repeat(x[0], 2)[:4],
    "tile": lambda x: dnp.tile(x, (2, 1, 2)),
    "roll": lambda x: dnp.roll(x, (1, -1, 2), axis=(0, 1, 0)),
    "tril": lambda x: dnp.tril(x, k=1),
    "triu": lambda x: dnp.triu(x * x, -1),
    "ravel": lambda x: dnp.ravel(x, order="F"),
    "flipud": lambda x: dnp.flipud(x),
    "fliplr": lambda x: dnp.fliplr(x),
    "rot90": lambda x: dnp.rot90(x, k=3, axes=(1, 0)),
    "rollaxis": lambda x: dnp.rollaxis(dnp.reshape(x, (3, 2, 2)), 2),
    "kron": lambda x: dnp.kron(x[:2, :2], x[1:, 1:]),
    "cross": lambda x: dnp.cross(x[:, :3], x[:, 1:]),
    "meshgrid": lambda x: dnp.meshgrid(x[0], x[1, :2] * x[2, :2])[1],
    "r_": lambda x: dnp.r_[x[0], 2.0, x[1] * x[2]],
    "c_": lambda x: dnp.c_[x[0], x[1] * x[2]],
}
COMPOSITE_CALLS.update({    # issue 13: elementwise, order statistics, differences (names-elem)
    "round": lambda x: dnp.round(x, 1),
    "around": lambda x: dnp.around(x * 100.0, -1),
    "fabs": lambda x: dnp.fabs(x - 1.2),
    "divmod": lambda x: dnp.divmod(x, 0.3)[1],
    "angle": lambda x: dnp.angle(x - 1.0 + 1j * x[::-1], deg=True),
    "rad2deg": lambda x: dnp.rad2deg(x),
    "deg2rad": lambda x: dnp.deg2rad(x),
    "degrees": lambda x: dnp.degrees(x),
    "radians": lambda x: dnp.radians(x),
    "select": lambda x: dnp.select([X > 1.5, X > 1.0], [x * x, -x], default=x[0]),
    "nan_to_num": lambda x: dnp.nan_to_num(x + np.where(X > 1.2, np.inf, 0.0)),
    "sort": lambda x: dnp.sort(x, axis=0),
    "partition": lambda x: dnp.partition(x, 1, axis=1),
    "median": lambda x: dnp.median(x, axis=1),
    "quantile": lambda x: dnp.quantile(x, [0.25, 0.9], axis=0),
    "percentile": lambda x: dnp.percentile(x, 30.0),
    "diff": lambda x: dnp.diff(x, n=2, axis=1, prepend=x[:, :1]),
    "gradient": lambda x: dnp.gradient(x, 0.5, [0.0, 1.0, 3.0, 3.5], edge_order=2)[1],
    "cumprod": lambda x: dnp.cumprod(x, axis=1),
    "average": lambda x: dnp.average(x, axis=1, weights=x[0] * x[0]),
    "nansum": lambda x: dnp.nansum(x + np.where(X > 1.5, np.nan, 0.0), axis=0),
    "nanmean": lambda x: dnp.nanmean(x + np.where(X > 1.5, np.nan, 0.0), axis=1),
})


def _row_stack(x):
    with warnings.catch_warnings():     # numpy 2 deprecates the name, and so does dnp
        warnings.simplefilter("ignore", DeprecationWarning)
        return dnp.row_stack([x[0], x[1]])


if hasattr(dnp, "row_stack"):   # while numpy has it
    COMPOSITE_CALLS["row_stack"] = _row_stack


def test_every_composite_is_exercised():
    assert set(COMPOSITE_CALLS) == set(dnp.COMPOSITES)


@pytest.mark.parametrize("name", sorted(COMPOSITE_CALLS))
def test_composites_use_only_primitives(name):
    # behaviour, not source text: on a tape variable a composite records rows of the table
    # only, and its result is still on the tape (raw numpy on a box would fail, or return an
    # array with the derivative lost) with the value the plain computation gives
    out, rows = _recorded(COMPOSITE_CALLS[name], [X], [0])
    assert rows and all(dn.has_rule(r.op) for r in rows), [r.op for r in rows]
    assert isinstance(out, dn.TapeVar), f"dnp.{name} returned {type(out).__name__}"
    np.testing.assert_allclose(out.value, COMPOSITE_CALLS[name](X), rtol=1e-15, atol=1e-15)


@pytest.mark.parametrize("name", sorted(COMPOSITE_CALLS))
def test_composite_derivatives(name):
    f = COMPOSITE_CALLS[name]
    flat = lambda v: np.ravel(f(v.reshape(3, 4)))
    ref = central_gradient(flat, X.ravel())
    J = dn.jacfwd(f)(X).reshape(-1, 12)
    Jr = dn.jacrev(f)(X).reshape(-1, 12)
    assert_close(J, ref, 1e-7, 1e-8, f"{name} forward")
    assert_close(Jr, J, 1e-12, 1e-13, f"{name} reverse")


def test_composites_match_numpy_values():
    np.testing.assert_allclose(dnp.var(X, axis=1), np.var(X, axis=1))
    np.testing.assert_allclose(dnp.tensordot(X, X, axes=([1], [1])), np.tensordot(X, X, ([1], [1])))
    np.testing.assert_allclose(dnp.cumsum(X, axis=1), np.cumsum(X, axis=1))
    np.testing.assert_allclose(dnp.dot(X, X.T), np.dot(X, X.T))


def test_symbolic_interpreter():
    x, y = sympy.symbols("x y", real=True)
    f = dnp.log(x) + x * y - dnp.sin(y)
    assert sympy.simplify(f - (sympy.log(x) + x * y - sympy.sin(y))) == 0
    v = np.array([x, y], dtype=object)
    s = dnp.softmax(v)
    assert sympy.simplify(s[0] - sympy.exp(x) / (sympy.exp(x) + sympy.exp(y))) == 0
    W = np.array([[x, 1], [2, y]], dtype=object)
    h = dnp.tanh(W @ v)
    assert sympy.simplify(h[1] - sympy.tanh(2 * x + y ** 2)) == 0
    assert dnp.relu(x) == sympy.Max(0, x)
    assert sympy.simplify(dnp.logsumexp(v) - sympy.log(sympy.exp(x) + sympy.exp(y))) == 0
