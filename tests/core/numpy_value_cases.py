"""What the test_numpy_values_*.py files share: dualnum.numpy against numpy, name by name.

Each file declares the cases of its names (a group of ``dualnum/numpy``'s modules) in its own
:class:`ValueCases` table, with its own seeded random stream (a file's inputs do not depend on
which files were imported before it), and checks each name with :meth:`ValueCases.check`: the
value of every case against numpy's (or numpy's refusal), on plain values and, unless the case
says ``mode="plain"``, on the primal of a Dual and the value of a tape variable.
test_numpy_values.py checks that the files together cover every name of ``dnp.__all__``.
"""
from __future__ import annotations

import warnings
from typing import Any, Callable, NamedTuple

import numpy as np
import pytest

import dualnum as dn
import dualnum.numpy as dnp

try:
    import scipy.special as sps
except ImportError:     # pragma: no cover - scipy is optional: closed forms instead
    sps = None

__all__ = ["Case", "ValueCases", "SHAPES", "axis_choices", "sps", "Z", "X3"]

SHAPES = [(), (4,), (3, 4), (2, 3, 4)]


class Case(NamedTuple):
    label: str
    f: Callable[..., Any]       # the dnp call; its first argument is the one boxed
    ref: Callable[..., Any]     # numpy's value
    args: tuple
    mode: str                   # "diff": also via jvp/vjp; "box": called on boxes; "plain"


class ValueCases:
    """One file's table: name -> its cases, drawn from the file's own random stream."""

    def __init__(self, seed: int) -> None:
        self.rng = np.random.default_rng(seed)
        self.cases: dict[str, list[Case]] = {}

    def case(self, name: str, label: str, f: Callable, ref: Callable, *args: Any,
             mode: str = "diff") -> None:
        self.cases.setdefault(name, []).append(Case(f"{name}[{label}]", f, ref, args, mode))

    def u(self, shape: tuple, lo: float = -2.0, hi: float = 2.0) -> np.ndarray:
        return self.rng.uniform(lo, hi, size=shape)

    def inputs(self, shape: tuple, lo: float = -2.0, hi: float = 2.0) -> list[tuple[str, Any]]:
        """Test inputs of ``shape``: 0-D both as a Python float and as a 0-d array."""
        if shape == ():
            v = float(self.rng.uniform(lo, hi))
            return [("float", v), ("0d", np.array(v))]
        return [(str(shape), self.u(shape, lo, hi))]

    def check(self, name: str) -> None:
        """Every case of ``name`` against numpy."""
        for c in self.cases[name]:
            _run(c)


def axis_choices(nd: int) -> list[Any]:
    out: list[Any] = [None]
    if nd == 0:
        return out + [0, -1]
    out += [0, -1]
    if nd >= 2:
        out += [1, (0, -1), (-2,)]
    if nd == 3:
        out += [(0, 1, 2), (2, 0), ()]
    return out


# inputs several files use, from a stream of their own
_SHARED = ValueCases(seed=1010)
Z = _SHARED.u((2, 3)) + 1j * _SHARED.u((2, 3))      # complex values
X3 = _SHARED.u((2, 3, 4))


def _same(got: Any, want: Any, what: str) -> None:
    if isinstance(want, tuple):
        assert isinstance(got, tuple) and len(got) == len(want), f"{what}: {got!r} vs {want!r}"
        for k, (g, w) in enumerate(zip(got, want)):
            _same(g, w, f"{what}[{k}]")
        return
    if want is None:
        assert got is None, what
        return
    got = dnp.value(got)
    assert np.shape(got) == np.shape(want), f"{what}: shape {np.shape(got)} vs {np.shape(want)}"
    assert np.iscomplexobj(got) == np.iscomplexobj(want), \
        f"{what}: dtype {np.asarray(got).dtype} vs numpy's {np.asarray(want).dtype}"
    np.testing.assert_allclose(np.asarray(got), np.asarray(want), rtol=1e-12, atol=1e-13,
                               err_msg=what, equal_nan=True)


def _tangent(x: Any) -> Any:
    t = np.ones(np.shape(x), dtype=complex if np.iscomplexobj(x) else float)
    return t if isinstance(x, np.ndarray) else t.item()     # a float for a float


def _run(c: Case) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)     # numpy's own nan/inf warnings
        try:
            want = c.ref(*c.args)
        except (ValueError, IndexError, TypeError) as e:
            # where numpy refuses (an axis 0-D numpy's mean does not take, ...), so must dnp
            with pytest.raises((ValueError, IndexError, TypeError)):
                c.f(*c.args)
            assert isinstance(e, Exception)
            return
        _same(c.f(*c.args), want, f"{c.label} plain")
        if c.mode == "plain":
            return
        x, rest = c.args[0], c.args[1:]
        g = lambda a: c.f(a, *rest)
        if c.mode == "diff":
            _same(dn.jvp(g, (x,), (_tangent(x),))[0], want, f"{c.label} Dual primal")
            _same(dn.vjp(g, x)[0], want, f"{c.label} tape value")
        else:
            _same(g(dn.Dual(x, _tangent(x))), want, f"{c.label} on a Dual")
            with dn.Tape() as tape:
                _same(g(tape.var(x)), want, f"{c.label} on a tape variable")
