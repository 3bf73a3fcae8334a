"""Your own model and your own backprop, compared like the catalogue's cases.

``case(f, at=params, hand=None, name=None, data=None)`` registers a case: ``f(params)`` (or
``f(params, **data)``) written with ``dualnum.numpy`` returns a scalar; ``params`` is any tree
(a dict of arrays, a list of ``(W, b)`` pairs …); ``hand`` (optional) is your own gradient
function, called like ``f``, returning the same tree — or a pair ``(grads, deltas)`` where
``deltas`` maps the names of values ``f`` marks with ``dn.mark(name, value)`` to your δ for
them. :func:`compare` runs every method on the registered cases exactly as on the
catalogue's (forward, reverse, hand, sympy within its budget, central, Richardson, complex
step, second order for small cases) and, where ``hand`` disagrees, names the slip block by
block (:mod:`.slips`) and layer by layer (the first δ, counted from the output, that is wrong).

>>> import numpy as np
>>> import dualnum.numpy as dnp
>>> W = np.array([[0.5, -1.0], [2.0, 0.3]])
>>> def loss(p):
...     return dnp.sum(dnp.tanh(p["W"] @ np.array([1.0, 2.0])) ** 2)
>>> def my_grad(p):
...     t = np.tanh(p["W"] @ np.array([1.0, 2.0]))
...     return {"W": np.outer(2 * t * (1 - t ** 2), [1.0, 2.0]) * 2}   # a slip: ×2
>>> c = case(loss, at={"W": W}, hand=my_grad, name="doctest-tanh")
>>> report = compare([c])
>>> report.ok, report.cases[0].hand_check["blocks"][0]["diagnosis"]
(False, 'a constant factor ×2')
>>> unregister("doctest-tanh")
"""

from __future__ import annotations

import inspect
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from dualnum import tree as tree_

from . import engine
from .case import Case, blocks_of
from .layers import check_deltas
from .probe import probe
from .results import USER_GROUP, CaseResult, Report
from .slips import batch_sizes, diagnose_blocks

__all__ = ["UserCase", "case", "registered", "unregister", "collecting", "compare", "run",
           "prepare", "StructureMismatch", "UserCaseError", "describe", "GROUP"]

GROUP = USER_GROUP


class UserCaseError(ValueError):
    """A user case that cannot run: f is not scalar, raises at the point, bad arguments."""


class StructureMismatch(ValueError):
    """``hand`` returned a tree of another structure or other shapes than the parameters."""


@dataclass
class UserCase:
    """One registered case (see the module docstring). ``file``/``line`` say where ``f`` is.

    >>> c = UserCase("sq", lambda p: p * p, 3.0)
    >>> c.name, c.hand is None, c.data
    ('sq', True, {})
    """

    name: str
    f: Callable
    at: Any
    hand: Callable | None = None
    data: dict = field(default_factory=dict)
    file: str = ""
    line: int = 0

    def __post_init__(self) -> None:
        self.data = dict(self.data or {})


_REGISTRY: dict[str, UserCase] = {}
_COLLECTORS: list[list] = []


def describe(tree) -> str:
    """A tree's structure with each leaf's shape, for error messages.

    >>> describe({"W": np.zeros((2, 3)), "b": [np.zeros(2), 1.0]})
    "{'W': (2, 3), 'b': [(2,), ()]}"
    """
    if isinstance(tree, dict):
        return "{" + ", ".join(f"{k!r}: {describe(v)}" for k, v in tree.items()) + "}"
    if isinstance(tree, (list, tuple)) and not hasattr(tree, "_fields"):
        inner = ", ".join(describe(v) for v in tree)
        return f"[{inner}]" if isinstance(tree, list) else f"({inner}{',' * (len(tree) == 1)})"
    if tree is None:
        return "None"
    if isinstance(tree, (int, float, complex, np.number, np.ndarray)):
        return str(tuple(np.shape(tree)))
    return type(tree).__name__


def _where(f: Callable) -> tuple[str, int]:
    try:
        return inspect.getsourcefile(f) or "", f.__code__.co_firstlineno
    except (TypeError, AttributeError):  # a builtin or a callable object: no source
        return "", 0


def _register(f: Callable, at, hand, name, data) -> UserCase:
    if not callable(f):
        raise TypeError(f"case: f must be a function of the parameters, got {type(f).__name__}")
    label = name or getattr(f, "__name__", "") or ""
    if not label or label == "<lambda>":
        label = f"case{len(_REGISTRY) + 1}"
    if hand is not None and not callable(hand):
        raise TypeError(f"case {label!r}: hand must be a function like f, got "
                        f"{type(hand).__name__}")
    if data is not None and not isinstance(data, dict):
        raise TypeError(f"case {label!r}: data must be a dict of keyword arguments of f, got "
                        f"{type(data).__name__}")
    if at is None:
        raise TypeError(f"case {label!r}: at= (the parameters to differentiate at) is required")
    try:
        tree_.ravel(at, leaf_lists=False)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"case {label!r}: at= must be a tree of numbers or arrays ({exc})") \
            from None
    file, line = _where(f)
    uc = UserCase(label, f, at, hand, data or {}, file, line)
    _REGISTRY.pop(label, None)  # a case registered again (a re-run cell) replaces the old one
    _REGISTRY[label] = uc
    for sink in _COLLECTORS:
        sink.append(uc)
    return uc


def case(f: Callable | None = None, *, at=None, hand: Callable | None = None,
         name: str | None = None, data: dict | None = None):
    """Register a case: ``case(f, at=params, hand=my_grad)`` returns the :class:`UserCase`;
    as a decorator, ``@case(at=params, hand=my_grad)`` registers ``f`` and leaves it as it is.

    >>> @case(at={"w": 2.0}, name="doctest-square")
    ... def square(p):
    ...     return p["w"] ** 2
    >>> square({"w": 3.0}), registered()[-1].name
    (9.0, 'doctest-square')
    >>> unregister("doctest-square")
    """
    if f is None:
        def decorate(func: Callable) -> Callable:
            _register(func, at, hand, name, data)
            return func

        return decorate
    return _register(f, at, hand, name, data)


def registered() -> list[UserCase]:
    """Every case registered so far, in registration order."""
    return list(_REGISTRY.values())


def unregister(name: str) -> None:
    """Forget the case ``name`` (no error if there is none)."""
    _REGISTRY.pop(name, None)


class collecting:
    """``with collecting() as found:`` — the cases registered inside the block (the loader
    uses it to know which cases a file registers).

    >>> with collecting() as found:
    ...     _ = case(lambda p: p * p, at=1.0, name="doctest-c")
    >>> [c.name for c in found]; unregister("doctest-c")
    ['doctest-c']
    """

    def __enter__(self) -> list:
        self.found: list = []
        _COLLECTORS.append(self.found)
        return self.found

    def __exit__(self, *exc) -> None:
        _COLLECTORS.remove(self.found)


def _call(fn: Callable, params, data: dict):
    return fn(params, **data) if data else fn(params)


_OWN = str(Path(__file__).resolve().parent)


def _where_raised(exc: BaseException, file: str) -> str:
    """``file, line N: `` of the deepest frame in the case's own file (else the deepest
    outside this package), for a one-line message."""
    tb, best, fallback = exc.__traceback__, "", ""
    target = os.path.realpath(file) if file else None
    while tb is not None:
        name = tb.tb_frame.f_code.co_filename
        real = os.path.realpath(name)
        if real == target:
            best = f"{name}, line {tb.tb_lineno}: "
        elif not real.startswith(_OWN):
            fallback = f"{name}, line {tb.tb_lineno}: "
        tb = tb.tb_next
    return best or fallback


class _Prepared:
    """A user case turned into an engine :class:`Case`, and what its hand returned."""

    def __init__(self, uc: UserCase):
        self.uc = uc
        params = tree_.tree_map(lambda v: np.asarray(v, dtype=np.float64) if np.ndim(v)
                                else float(v), uc.at, leaf_lists=False)
        self.params = params
        self.vec, self.unravel = tree_.ravel(params, leaf_lists=False)
        self.spec = tree_.flatten(params, leaf_lists=False)[1]
        self.shapes = [tuple(np.shape(p)) for p in tree_.tree_leaves(params, leaf_lists=False)]
        self.deltas: dict | None = None
        try:
            out = np.asarray(_call(uc.f, params, uc.data))
        except Exception as exc:
            raise UserCaseError(f"case {uc.name!r}: f raised at the point: "
                                f"{_where_raised(exc, uc.file)}"
                                f"{type(exc).__name__}: {exc}") from None
        if out.shape != () or not np.issubdtype(out.dtype, np.number) or \
                np.iscomplexobj(out):
            what = f"an array of shape {out.shape}" if out.shape else f"a {out.dtype} value"
            raise UserCaseError(f"case {uc.name!r}: f returns {what}, not a real scalar; a "
                                "case checks the gradient of a scalar function (a loss): sum "
                                "or reduce the output")

        def f(v):
            return _call(uc.f, self.unravel(v), uc.data)

        hand = None if uc.hand is None else self._hand
        doc = (inspect.getdoc(uc.f) or "").split("\n")[0]
        where = f"{uc.file}:{uc.line}" if uc.file else ""
        self.case = Case(uc.name, GROUP, f, self.vec, doc, where, blocks=blocks_of(params),
                         hand=hand, hand_label=f"your hand gradient "
                         f"({getattr(uc.hand, '__name__', 'hand')})" if hand else "")

    def _hand(self, v):
        p = self.unravel(np.array(v, dtype=np.float64))
        out = _call(self.uc.hand, p, self.uc.data)
        leaves, self.deltas = split_hand_output(out, self.params, self.spec, self.shapes,
                                                self.uc.name)
        return np.concatenate([np.asarray(g, dtype=np.float64).reshape(-1) for g in leaves]
                              or [np.zeros(0)])


def _leaf_problem(leaves: list, shapes: list, paths: list) -> str:
    for g, s, path in zip(leaves, shapes, paths):
        where = "".join(f"[{e[0]!r}]" for e in path)
        if g is None:
            return f"hand{where} is None"
        try:
            arr = np.asarray(g, dtype=np.float64)
        except (TypeError, ValueError):
            return f"hand{where} is a {type(g).__name__}, not numbers"
        if arr.shape != s:
            hint = " (the transpose)" if len(s) == 2 and arr.shape == s[::-1] else ""
            return f"hand{where} has shape {arr.shape}{hint}, the parameter {s}"
    return ""


def split_hand_output(out, params, spec, shapes, name: str = "") -> tuple[list, dict | None]:
    """``hand``'s result as ``(leaves in parameter order, deltas or None)``; anything but the
    parameters' structure and shapes (or a pair of that and a dict) raises
    :class:`StructureMismatch` naming the expected and the received structure.

    >>> p = {"W": np.zeros((2, 2)), "b": np.zeros(2)}
    >>> spec = tree_.flatten(p, leaf_lists=False)[1]
    >>> try:
    ...     split_hand_output({"W": np.zeros((2, 2))}, p, spec, [(2, 2), (2,)], "c")
    ... except StructureMismatch as exc:
    ...     print(str(exc)[:68], "got ['W']" in str(exc))
    case 'c': hand returned {'W': (2, 2)}, expected the structure of the True
    """
    paths = spec.paths()

    def attempt(tree) -> tuple[list | None, str]:
        try:
            leaves = tree_.flatten_like(tree, spec, "hand")
        except ValueError as exc:
            return None, str(exc)
        problem = _leaf_problem(leaves, shapes, paths)
        return (None, problem) if problem else (leaves, "")

    leaves, why = attempt(out)
    if leaves is not None:
        return leaves, None
    if isinstance(out, tuple) and len(out) == 2 and isinstance(out[1], dict):
        leaves2, why2 = attempt(out[0])
        if leaves2 is not None:
            return leaves2, out[1]
        why = why2
    raise StructureMismatch(f"case {name!r}: hand returned {describe(out)}, expected the "
                            f"structure of the parameters {describe(params)} (or a pair "
                            f"(grads, {{name: delta}})): {why}")


def prepare(uc: UserCase) -> _Prepared:
    """Check a user case (f scalar and runnable at the point) and turn it into an engine
    :class:`Case`; raises :class:`UserCaseError` naming the problem."""
    return _Prepared(uc)


def _hand_check(prep: _Prepared, res: CaseResult, keep: dict) -> dict | None:
    hand = res.method("hand")
    values = keep.get("values", {})
    wrong_hand = hand is not None and hand.status == "fail" and "hand" in values
    if not wrong_hand and not prep.deltas:
        return None
    uc, case = prep.uc, prep.case
    pr = probe(uc.f, prep.params, uc.data)
    check: dict = {"reference": hand.reference if wrong_hand else "reverse", "blocks": [],
                   "batch_sizes": batch_sizes(uc.data), "layers": [], "first_wrong_layer": None,
                   "delta_problems": []}
    if wrong_hand:
        ref = values[hand.reference]
        n = case.x.size
        err = keep.get("errors", {}).get(hand.reference)
        E = np.zeros((1, n)) if err is None else np.abs(np.asarray(err, float)).reshape(1, n)
        rtol = max(engine.RTOL["hand"], engine.RTOL[hand.reference])
        allowed = engine.allowance(np.asarray(ref, float).reshape(1, n), E, case.blocks, rtol)[0]
        cut = [(b.start, b.stop, b.shape) for b in case.blocks]
        H, R = values["hand"].reshape(-1), np.asarray(ref, float).reshape(-1)
        check["blocks"] = diagnose_blocks(
            [H[a:b].reshape(s) for a, b, s in cut], [R[a:b].reshape(s) for a, b, s in cut],
            [allowed[0, a:b].reshape(s) for a, b, s in cut], [b.name for b in case.blocks],
            probe=pr, batch_sizes=check["batch_sizes"], reference=hand.reference)
    if prep.deltas is not None or pr.marks:
        rows, first, problems = check_deltas(prep.deltas, pr, check["batch_sizes"])
        check.update(layers=rows, first_wrong_layer=first, delta_problems=problems)
    return check


def _as_runnable(item) -> tuple[Case, _Prepared | None]:
    if isinstance(item, UserCase):
        prep = prepare(item)
        return prep.case, prep
    if isinstance(item, Case):
        return item, None
    if isinstance(item, str):
        if item not in _REGISTRY:
            known = ", ".join(_REGISTRY) or "none"
            raise UserCaseError(f"no registered case named {item!r} (registered: {known})")
        return _as_runnable(_REGISTRY[item])
    raise TypeError(f"compare: expected cases registered with case(), case names or "
                    f"catalogue Cases, got {type(item).__name__}")


def run(items: Sequence, methods: Sequence[str] = engine.METHODS,
        progress: Callable[[int, int, str], None] | None = None, sweep_case: str | None = None,
        **kwargs) -> Report:
    """:func:`engine.run` over catalogue cases and user cases alike (each user case checked
    and prepared first, so a bad one stops the run before anything is computed), with the
    hand check added to each user case's result."""
    prepared = [_as_runnable(it) for it in items]

    def finish(i: int, res: CaseResult, keep: dict) -> None:
        prep = prepared[i][1]
        if prep is not None:
            res.hand_check = _hand_check(prep, res, keep)
            if res.hand_check and res.hand_check["first_wrong_layer"] and res.status == "agree":
                res.status = "fail"  # the gradient agrees, a δ does not: still a slip

    return engine.run([c for c, _ in prepared], methods, progress, sweep_case, finish=finish,
                      **kwargs)


def compare(cases: Sequence | None = None, **kwargs) -> Report:
    """Run every method on ``cases`` (default: every registered case) and return the
    :class:`~dualnum.comparisons.results.Report` (``.ok``, ``.failures``, ``.to_json()``; it
    renders itself in a notebook). ``kwargs`` go to :func:`engine.run_case`
    (``second_order=False``, ``methods=…``).

    >>> compare([]).ok
    True
    """
    return run(registered() if cases is None else list(cases), **kwargs)
