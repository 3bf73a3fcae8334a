"""How much work the sympy reference may do, measured so that every machine decides alike.

sympy's cost grows with the size of the expressions it is handed, so the budget counts sizes,
never seconds, and checks them *between* steps, before each step starts:

1. before evaluating ``f`` on symbols: the scalar operations of one numeric run of ``f``, and
   the tree they make (each operation counted once per use of its result: reuse makes it
   grow exponentially, and sympy's time with it), each at most ``max_ops``;
2. before differentiating: the expression's size (tree nodes, a shared subtree counted each
   time it occurs), at most ``max_ops``; and the differentiation's work, that size times the
   number of variables (plus, for a Hessian, the first derivatives' size times it again), at
   most ``max_work`` node-derivatives;
3. after each derivative and before ``cse`` + ``lambdify``: the distinct nodes of the
   derivatives so far (what ``cse`` and ``lambdify`` process), at most
   ``max_derivative_ops``.

The same code on the same case gives the same decision on any machine, busy or idle. Over
budget, :class:`Refused` reads ``"skipped: too large for symbolic (N ops) — <which measure>"``
with ``N`` the expression's size (or the scalar-operation count, before there is an
expression).

A wall-clock **safety net** (``timeout`` seconds) is checked at the same places. It is not
how cases are chosen (the sizes are), and it raises nothing inside sympy: it can only decline
to start the next step, so a callback in third-party code cannot swallow it. When it fires,
the reason says so (``"... stopped by the 60 s wall-clock safety net ..."``) and the report
lists it; that means a case got past the sizes yet ran long, which is worth a bug report.

>>> import sympy
>>> b = Budget(max_ops=10)
>>> x, y = sympy.symbols("x y")
>>> b.check_expression([x * y + sympy.sin(x * y)])
8
>>> try:
...     b.check_expression([sum(sympy.symbols("a:10"))])
... except Refused as exc:
...     print(exc.reason)
skipped: too large for symbolic (11 ops) — over the 10 ops budget
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable

from .finite_differences import Refused

__all__ = [
    "Budget",
    "DEFAULT_MAX_DERIVATIVE_OPS",
    "DEFAULT_MAX_OPS",
    "DEFAULT_MAX_WORK",
    "DEFAULT_TIMEOUT",
    "SAFETY_NET",
    "expression_size",
]

#: nodes of f's expression (tree, shared subtrees counted each time), and the scalar
#: operations of one numeric run checked before it exists
DEFAULT_MAX_OPS = 5_000
#: node-derivatives: expression size × variables (+ first derivatives' size × variables for a
#: Hessian). The catalogue's networks sit at 33,000 (lepetit_two_layer_regression, in) and
#: 40,200 (lepetit_two_layer_classification, out) and jiang_dnn at 54,800 (out): the budget is
#: between, ~10 % from either side, and spends about 4 s of CPU on the costliest case it admits
DEFAULT_MAX_WORK = 36_000
#: distinct nodes of the derivatives, what cse + lambdify process (admitted cases reach 750)
DEFAULT_MAX_DERIVATIVE_OPS = 1_000
#: wall-clock seconds after which no further step starts (the safety net, not the budget)
DEFAULT_TIMEOUT = 60.0
#: the words a safety-net refusal carries (the report and the tests look for them)
SAFETY_NET = "wall-clock safety net"


def expression_size(exprs, cap: int | None = None, distinct: bool = False) -> int:
    """Number of nodes in the expression trees (shared subtrees counted each time they occur),
    or with ``distinct=True`` the number of distinct subexpressions (what ``cse`` leaves).

    Linear in the number of *distinct* subexpressions, so it is cheap even when the tree is
    huge; with ``cap`` it stops early once the count passes it.

    >>> import sympy
    >>> x, y = sympy.symbols("x y")
    >>> e = x * y + sympy.sin(x * y)
    >>> expression_size([e]), expression_size([e], distinct=True)
    (8, 5)
    """
    memo: dict = {}
    total = 0
    for root in exprs:
        stack = [(root, False)]
        while stack:
            node, ready = stack.pop()
            if node in memo:
                continue
            if ready:
                memo[node] = 1 + sum(memo[a] for a in node.args)
                continue
            stack.append((node, True))
            stack.extend((a, False) for a in node.args if a not in memo)
        total += memo[root]
        if cap is not None and not distinct and total > cap:
            return total
    return len(memo) if distinct else total


class _Distinct:
    """The distinct nodes of a growing set of expressions, counted as they are added."""

    def __init__(self) -> None:
        self.seen: set = set()

    def add(self, expr) -> int:
        stack = [expr]
        while stack:
            node = stack.pop()
            if node in self.seen:
                continue
            self.seen.add(node)
            stack.extend(a for a in node.args if a not in self.seen)
        return len(self.seen)


class Budget:
    """The size budget of one symbolic computation, and its wall-clock safety net.

    ``count`` (optional) gives ``(scalar operations, tree size)`` of one numeric run of ``f``
    (:func:`.tape_inspect.operation_counts`); it is asked once, before ``f`` runs on symbols.

    >>> b = Budget(max_work=100)
    >>> b.add_work(30, 3, "differentiation")      # 30 nodes by 3 variables: 90
    >>> try:
    ...     b.add_work(30, 1, "second derivatives")
    ... except Refused as exc:
    ...     print(exc.reason.split(" — ")[1])
    second derivatives needs 120 node-derivatives (size × variables, in all), over the 100 budget
    """

    def __init__(self, max_ops: int = DEFAULT_MAX_OPS, max_work: int = DEFAULT_MAX_WORK,
                 max_derivative_ops: int = DEFAULT_MAX_DERIVATIVE_OPS,
                 timeout: float = DEFAULT_TIMEOUT, count: Callable[[], int | None] | None = None):
        self.max_ops, self.max_work = max_ops, max_work
        self.max_derivative_ops, self.timeout = max_derivative_ops, timeout
        self.start = time.monotonic()
        self.size: int | None = None  # the expression's size, once known (for the messages)
        self.work = 0
        self._count = count
        self._derivatives = _Distinct()

    def refusal(self, why: str, size: int | None = None) -> Refused:
        n = self.size if size is None else size
        ops = "size unknown" if n is None else f"{n} ops"
        return Refused(f"skipped: too large for symbolic ({ops}) — {why}")

    def check_scalar_ops(self) -> None:
        """Before ``f`` runs on symbols: its scalar operations and its tree estimate from one
        numeric run (``count``, :func:`.tape_inspect.operation_counts`) within ``max_ops``.
        A ``count`` that fails is no refusal (``f`` on symbols then says what is wrong)."""
        if self._count is None:
            return
        try:
            scalar, tree = self._count()
        except Exception:  # counting only guards the budget
            return
        if scalar > self.max_ops:
            raise self.refusal(f"over the {self.max_ops} ops budget; ops counted as scalar "
                               "operations of one numeric run of f", scalar)
        if tree > self.max_ops:
            raise self.refusal(f"over the {self.max_ops} ops budget; ops estimated from one "
                               "numeric run of f, each operation counted once per use of its "
                               "result (the tree sympy would build)", tree)

    def check_expression(self, exprs: Iterable) -> int:
        """The size of ``f``'s expression (tree nodes) within ``max_ops``; returns it."""
        size = expression_size(list(exprs), cap=self.max_ops)
        self.size = size
        if size > self.max_ops:
            raise self.refusal(f"over the {self.max_ops} ops budget")
        return size

    def add_work(self, size: int, nvars: int, what: str) -> None:
        """Before differentiating expressions of ``size`` nodes by ``nvars`` variables."""
        self.work += size * nvars
        if self.work > self.max_work:
            raise self.refusal(f"{what} needs {self.work} node-derivatives (size × variables, "
                               f"in all), over the {self.max_work} budget")

    def add_derivative(self, expr) -> None:
        """After each derivative: the derivatives' distinct nodes within the budget."""
        n = self._derivatives.add(expr)
        if n > self.max_derivative_ops:
            raise self.refusal(f"the derivatives have over {self.max_derivative_ops} distinct "
                               "nodes, the budget of cse + lambdify")

    def check_clock(self, before: str) -> None:
        """The safety net: refuse to start ``before`` once ``timeout`` seconds have passed."""
        elapsed = time.monotonic() - self.start
        if elapsed > self.timeout:
            raise self.refusal(f"stopped by the {self.timeout:g} s {SAFETY_NET} before "
                               f"{before} ({elapsed:.1f} s elapsed; the size budget let this "
                               "case through, so please report it)")
