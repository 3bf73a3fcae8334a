"""Parsed expressions: :func:`parse` checks user text and gives an :class:`Expression`, a
function over ``dnp``; :func:`parse_point` reads ``--at x1=2 x2=5``.

The accepted text is compiled (by :mod:`dualnum.expr.compile`) into a small postfix program of
``dnp`` calls, which :class:`Expression` runs with an iterative stack machine (no recursion, so
a 5000-term sum is fine) and checks against the domain of each operation. Nothing is ever
``eval``-ed or ``exec``-ed.

>>> e = parse("x1 * x2")
>>> e.variables, e(x1=2.0, x2=5.0)
(('x1', 'x2'), 10.0)
"""

from __future__ import annotations

import math
from typing import Any, Callable, Mapping, Sequence

import numpy as np

import dualnum.numpy as dnp
from dualnum.expr.compile import CONSTANTS, ExpressionError, Instr, compile_text

__all__ = ["PointError", "DomainError", "Expression", "parse", "parse_point", "quoted"]


def quoted(text: Any, limit: int = 80) -> str:
    r"""User text as an error message may show it: quoted, control and other unprintable
    characters escaped (no escape sequence reaches the terminal), cut after ``limit``
    characters with the full length noted.

    >>> print(quoted("x\x1b[2Jy"))
    'x\x1b[2Jy'
    >>> print(quoted("7" * 10**6, limit=12))
    '777777777777…' (1000000 characters)
    """
    s = str(text)
    if len(s) <= limit:
        return repr(s)
    r = repr(s[:limit])
    return f"{r[:-1]}…{r[-1]} ({len(s)} characters)"


def _number(name: str, value: str) -> float:
    """One ``--at`` value: a float literal, or a constant expression (``2**-1074``, ``pi/4``)
    read by the same whitelist as expressions (never ``eval``).

    >>> _number("x", "2**-1074") == 5e-324, _number("x", "-pi/4")
    (True, -0.7853981633974483)
    """
    try:
        return float(value)
    except ValueError:
        pass
    try:
        program, variables = compile_text(value)
    except ExpressionError:
        program, variables = [], ()
    if variables or len(program) != 1 or program[0].kind != "const":
        raise PointError(f"value of {quoted(name)} is not a number: {quoted(value)}")
    return float(program[0].value)


class PointError(ValueError):
    """The point (``--at x=2 y=5``) does not fit the expression: missing, duplicate, not a number.

    >>> try:
    ...     parse_point(["x=two"], ["x"])
    ... except PointError as err:
    ...     print(err)
    value of 'x' is not a number: 'two'
    """


class DomainError(ValueError):
    """An operation receives a point outside its domain (``log(-1)``, ``1/0``).

    >>> try:
    ...     parse("log(x)").check_domain(x=-1.0)
    ... except DomainError as err:
    ...     print(err)
    point outside the domain: log(-1) = nan (column 1)
    """


# their public home is dualnum.expr (where users import them from); tracebacks say so
PointError.__module__ = DomainError.__module__ = "dualnum.expr"


class Expression:
    """A parsed, checked expression; call it with values for :attr:`variables`.

    >>> e = parse("x*x + y")
    >>> e.variables
    ('x', 'y')
    >>> e(3.0, 1.0), e(x=3.0, y=1.0), float(e.vector_function()(np.array([3.0, 1.0])))
    (10.0, 10.0, 10.0)
    """

    def __init__(self, text: str, program: list[Instr], variables: tuple[str, ...]):
        self.text = text
        self.variables = variables
        self._program = program

    def __repr__(self) -> str:
        return f"Expression({self.text!r}, variables={self.variables!r})"

    def _bind(self, args: Sequence[Any], kwargs: Mapping[str, Any]) -> list[Any]:
        if args and kwargs:
            raise TypeError("pass the values either positionally or by name, not both")
        if args:
            if len(args) != len(self.variables):
                raise PointError(f"expected {len(self.variables)} values for "
                                 f"{', '.join(self.variables) or '(no variables)'}, "
                                 f"got {len(args)}")
            return list(args)
        missing = [v for v in self.variables if v not in kwargs]
        if missing:
            raise PointError(f"no value for {', '.join(missing)}")
        extra = [k for k in kwargs if k not in self.variables]
        if extra:
            raise PointError(f"{', '.join(extra)} does not appear in the expression "
                             f"(variables: {', '.join(self.variables) or 'none'})")
        return [kwargs[v] for v in self.variables]

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        """Evaluate on floats, arrays, Duals, tape variables or sympy symbols."""
        return self._run(self._bind(args, kwargs))

    def _run(self, values: list[Any], watch: Callable[[Instr, list, Any], None] | None = None
             ) -> Any:
        stack: list[Any] = []
        for ins in self._program:
            if ins.kind == "const":
                stack.append(ins.value)
            elif ins.kind == "var":
                stack.append(values[ins.value])
            else:
                fn = getattr(dnp, ins.value, None)
                if fn is None:
                    raise ExpressionError(f"{ins.label}: dualnum.numpy has no {ins.value!r}",
                                          ins.column)
                operands = stack[len(stack) - ins.nargs:]
                del stack[len(stack) - ins.nargs:]
                result = fn(*operands)
                if watch is not None:
                    watch(ins, operands, result)
                stack.append(result)
        return stack[0]

    def vector_function(self) -> Callable[[Any], Any]:
        """``f(x)`` with ``x`` one array holding the variables in order (references' form).

        >>> float(parse("a - b").vector_function()(np.array([5.0, 2.0])))
        3.0
        """
        n = len(self.variables)

        def f(x: Any) -> Any:
            return self._run([x[i] for i in range(n)])

        f.__name__ = "expression"
        f.__doc__ = self.text
        return f

    def check_domain(self, *args: Any, **kwargs: Any) -> float:
        """Evaluate at a float point; raise :class:`DomainError` at the first non-finite step.

        >>> parse("1/x").check_domain(x=0.0)
        Traceback (most recent call last):
        ...
        dualnum.expr.DomainError: point outside the domain: 1 / 0 = inf (column 2)
        """
        values = [float(v) for v in self._bind(args, kwargs)]

        def watch(ins: Instr, operands: list, result: Any) -> None:
            if not np.all(np.isfinite(np.asarray(result, dtype=float))):
                raise DomainError(f"point outside the domain: {_show(ins, operands)} = "
                                  f"{float(np.asarray(result, dtype=float)):g} "
                                  f"(column {ins.column})")

        with np.errstate(all="ignore"):
            return float(np.asarray(self._run(values, watch), dtype=float))

    def to_sympy(self) -> Any:
        """The expression as a sympy expression in symbols named like the variables.

        >>> parse("ln(x) * y").to_sympy()
        y*log(x)
        """
        import sympy   # only when a formula is asked for: importing sympy takes ~0.7 s

        syms = [sympy.Symbol(v, real=True) for v in self.variables]
        return sympy.sympify(self._run(syms))

    @property
    def size(self) -> int:
        """Number of postfix instructions (constants, variables and operations)."""
        return len(self._program)


def _show(ins: Instr, operands: list) -> str:
    shown = [f"{float(np.asarray(o, dtype=float)):.6g}" for o in operands]
    if ins.label.isidentifier():
        return f"{ins.label}({', '.join(shown)})"
    if len(shown) == 1:
        return f"{ins.label}({shown[0]})"
    # "(-1) ** 0.5", not "-1 ** 0.5" (which reads as -(1 ** 0.5))
    return f" {ins.label} ".join(f"({s})" if s.startswith("-") else s for s in shown)


def parse(text: str) -> Expression:
    """Parse and check ``text``; raise :class:`ExpressionError` naming the column if refused.

    >>> parse("max(x, 0) + 2**3").variables
    ('x',)
    >>> parse("__import__('os')")
    Traceback (most recent call last):
    ...
    dualnum.expr.ExpressionError: names starting with '_' are not allowed: '__import__' (column 1)
    """
    program, variables = compile_text(text)
    return Expression(text.strip(), program, variables)


def parse_point(items: Sequence[str], variables: Sequence[str] | None = None
                ) -> dict[str, float]:
    """Read ``["x1=2", "x2=5"]`` (or ``["x1=2,x2=5"]``) into ``{"x1": 2.0, "x2": 5.0}``.

    Checks the names against ``variables`` (when given): every variable needs exactly one
    finite value, and no name may be foreign to the expression.

    >>> parse_point(["x1=2", "x2=5"], ["x1", "x2"])
    {'x1': 2.0, 'x2': 5.0}
    """
    point: dict[str, float] = {}
    for item in (p for raw in items for p in str(raw).split(",")):
        item = item.strip()
        if not item:
            continue
        name, sep, value = item.partition("=")
        name, value = name.strip(), value.strip()
        if not sep:
            raise PointError(f"expected NAME=VALUE, got {quoted(item)}")
        if not name.isascii() or not name.isidentifier() or name.startswith("_"):
            raise PointError(f"{quoted(name)} is not a valid variable name")
        if name in point:
            raise PointError(f"duplicate value for {quoted(name)}")
        number = _number(name, value)
        if not math.isfinite(number):
            raise PointError(f"value of {quoted(name)} must be finite, got {quoted(value)}")
        point[name] = number
    if variables is not None:
        missing = [v for v in variables if v not in point]
        if missing:
            raise PointError(f"no value for {', '.join(missing)} (give it with --at "
                             f"{missing[0]}=...)")
        extra = [k for k in point if k not in variables]
        named = [k for k in extra if k in CONSTANTS]
        if named:
            raise PointError(f"{named[0]!r} is the constant {CONSTANTS[named[0]]:.6g} in "
                             "expressions; give the variable another name")
        if extra:
            raise PointError(f"{', '.join(extra)} does not appear in the expression "
                             f"(variables: {', '.join(variables) or 'none'})")
    return point
