"""Safe expressions: user text such as ``"ln(x1) + x1*x2 - sin(x2)"`` as a function over ``dnp``.

The text is parsed with :mod:`ast` and every node is checked against a whitelist: numbers,
variable names, ``+ - * / **``, unary ``+``/``-``, parentheses and calls of known functions
(``exp log ln sin cos tan tanh sqrt sigmoid relu softplus erf abs max min`` and the other
elementwise ``dualnum.numpy`` names).  Anything else -- attributes, subscripts, lambdas,
comprehensions, strings, keywords, underscored names -- is refused with an
:class:`ExpressionError` that names the column.  Nothing is ever ``eval``-ed or ``exec``-ed:
the accepted tree is compiled into a small postfix program of ``dnp`` calls, run by an
iterative stack machine (no recursion, so a 5000-term sum is fine).

Because the program calls ``dnp``, the same expression runs on floats, ``Dual`` numbers, tape
variables and sympy symbols:

>>> e = parse("ln(x1) + x1*x2 - sin(x2)")
>>> e.variables
('x1', 'x2')
>>> round(float(e(x1=2.0, x2=5.0)), 3)
11.652
>>> parse("x.__class__")
Traceback (most recent call last):
...
dualnum.expr.ExpressionError: attribute access '.__class__' is not allowed (column 2)
"""

from __future__ import annotations

import ast
import difflib
import math
import unicodedata
from dataclasses import dataclass
from typing import Any, Callable, Mapping, Sequence

import numpy as np

__all__ = [
    "ExpressionError",
    "PointError",
    "DomainError",
    "Expression",
    "parse",
    "parse_point",
    "FUNCTIONS",
    "CONSTANTS",
    "MAX_LENGTH",
]

#: Longest accepted expression, in characters (a pasted 100 kB blob is refused up front).
MAX_LENGTH = 10_000


class ExpressionError(ValueError):
    """The expression text is not a valid dualnum expression; ``.column`` is 1-based (or None).

    >>> try:
    ...     parse("x +* 2")
    ... except ExpressionError as err:
    ...     err.column
    4
    """

    def __init__(self, message: str, column: int | None = None):
        self.reason = message
        self.column = column
        super().__init__(message if column is None else f"{message} (column {column})")


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


# name users type -> (dnp attribute, minimum number of arguments, maximum number or None)
FUNCTIONS: dict[str, tuple[str, int, int | None]] = {}
for _name in (
    "exp expm1 exp2 log log1p log2 log10 sqrt cbrt square abs sign sin cos tan arcsin arccos "
    "arctan sinh cosh tanh arcsinh arccosh arctanh erf sigmoid softplus relu heaviside"
).split():
    FUNCTIONS[_name] = (_name, 1, 1)
for _alias, _target in {
    "ln": "log", "asin": "arcsin", "acos": "arccos", "atan": "arctan", "asinh": "arcsinh",
    "acosh": "arccosh", "atanh": "arctanh", "step": "heaviside", "logistic": "sigmoid",
}.items():
    FUNCTIONS[_alias] = (_target, 1, 1)
for _name, _target in {
    "arctan2": "arctan2", "atan2": "arctan2", "hypot": "hypot", "pow": "power", "power": "power",
}.items():
    FUNCTIONS[_name] = (_target, 2, 2)
# max(a, b, c) folds pairwise into maximum(maximum(a, b), c)
FUNCTIONS.update({"max": ("maximum", 2, None), "min": ("minimum", 2, None),
                  "maximum": ("maximum", 2, 2), "minimum": ("minimum", 2, 2),
                  "clip": ("clip", 3, 3)})

#: Named constants; a variable cannot take these names.
CONSTANTS: dict[str, float] = {"pi": math.pi, "e": math.e}

_BINARY = {ast.Add: ("add", "+"), ast.Sub: ("subtract", "-"), ast.Mult: ("multiply", "*"),
           ast.Div: ("divide", "/"), ast.Pow: ("power", "**")}
_UNARY = {ast.USub: ("negative", "-"), ast.UAdd: ("positive", "+")}
_FOLD = {"add": np.add, "subtract": np.subtract, "multiply": np.multiply,
         "divide": np.divide, "power": np.power, "negative": np.negative,
         "positive": np.positive}

# What a refused node is called in the message.
_REFUSED = {
    ast.Attribute: "attribute access", ast.Subscript: "subscripts", ast.Lambda: "lambdas",
    ast.ListComp: "comprehensions", ast.SetComp: "comprehensions",
    ast.DictComp: "comprehensions", ast.GeneratorExp: "comprehensions",
    ast.List: "lists", ast.Tuple: "tuples", ast.Set: "sets", ast.Dict: "dicts",
    ast.Compare: "comparisons", ast.BoolOp: "'and'/'or'", ast.IfExp: "'if ... else'",
    ast.NamedExpr: "assignments (':=')", ast.JoinedStr: "strings", ast.Await: "'await'",
    ast.Yield: "'yield'", ast.YieldFrom: "'yield'", ast.Starred: "'*' unpacking",
    ast.Slice: "slices",
}


@dataclass(frozen=True)
class _Instr:
    """One postfix instruction: push a constant/variable, or apply ``op`` to ``nargs`` values."""

    kind: str            # "const" | "var" | "op"
    value: Any           # constant value, variable index, or dnp attribute name
    nargs: int
    column: int
    label: str           # how the user wrote it, for messages ("ln", "/", "-")


def _col(node: ast.AST) -> int:
    return getattr(node, "col_offset", 0) + 1


def _check_text(text: str) -> None:
    if not isinstance(text, str):
        raise ExpressionError(f"expected the expression as a string, got {type(text).__name__}")
    if len(text) > MAX_LENGTH:
        raise ExpressionError(f"expression is too long ({len(text)} characters; the limit is "
                              f"{MAX_LENGTH})")
    if not text.strip():
        raise ExpressionError("empty expression")
    if "\n" in text.strip() or "\r" in text:
        raise ExpressionError("the expression must be a single line", text.index("\n") + 1
                              if "\n" in text else text.index("\r") + 1)
    for i, ch in enumerate(text):
        # Python would NFKC-normalise look-alikes (fullwidth 'ｘ' -> 'x'); refuse them instead.
        if ord(ch) < 128 and not ch.isprintable() and ch not in " \t":
            raise ExpressionError(f"control character {ch!r} is not allowed", i + 1)
        if ord(ch) > 127:
            name = unicodedata.name(ch, "unnamed")
            hint = {"\u2212": "; type '-'", "\u00d7": "; type '*'", "\u00b7": "; type '*'",
                    "\u00f7": "; type '/'"}.get(ch, "; use plain ASCII names and operators")
            raise ExpressionError(f"non-ASCII character {ch!r} (U+{ord(ch):04X} {name}){hint}",
                                  i + 1)


def _parse_tree(text: str) -> ast.expr:
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError as err:
        msg = (err.msg or "invalid syntax").split(";")[0]
        offset = err.offset or None
        if offset is not None:
            offset += len(text) - len(text.lstrip())
        raise ExpressionError(f"syntax error: {msg}", offset) from None
    except (RecursionError, MemoryError):
        raise ExpressionError("expression is nested too deeply for the parser") from None
    except ValueError as err:  # e.g. "source code string cannot contain null bytes"
        raise ExpressionError(f"syntax error: {err}") from None
    return tree.body


def _compile(body: ast.expr, shift: int) -> tuple[list[_Instr], tuple[str, ...]]:
    """Iterative post-order walk: whitelist check and postfix emission in one pass."""
    program: list[_Instr] = []
    variables: list[str] = []
    stack: list[tuple[ast.AST, bool]] = [(body, False)]
    while stack:
        node, visited = stack.pop()
        col = _col(node) + shift
        if isinstance(node, ast.Constant):
            program.append(_constant(node.value, col))
        elif isinstance(node, ast.Name):
            program.append(_name(node.id, col, variables))
        elif isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
            if not visited:
                stack += [(node, True), (node.right, False), (node.left, False)]
            else:
                op, sym = _BINARY[type(node.op)]
                program.append(_Instr("op", op, 2, _op_column(node, shift), sym))
        elif isinstance(node, ast.UnaryOp) and type(node.op) in _UNARY:
            if not visited:
                stack += [(node, True), (node.operand, False)]
            else:
                op, sym = _UNARY[type(node.op)]
                program.append(_Instr("op", op, 1, col, sym))
        elif isinstance(node, ast.Call):
            fname, target, nmax = _check_call(node, col)
            if nmax is None and len(node.args) > 2:   # max(a, b, c) -> max(max(a, b), c)
                nested = node.args[0]
                for arg in node.args[1:]:
                    nested = ast.copy_location(
                        ast.Call(func=node.func, args=[nested, arg], keywords=[]), node)
                stack.append((nested, False))
            elif not visited:
                stack.append((node, True))
                stack += [(a, False) for a in reversed(node.args)]
            else:
                program.append(_Instr("op", target, len(node.args), col, fname))
        elif isinstance(node, ast.Attribute):
            raise ExpressionError(_refusal(node), _attribute_column(node, col))
        else:
            raise ExpressionError(_refusal(node), col)
    return _fold_constants(program), tuple(variables)


def _attribute_column(node: ast.Attribute, col: int) -> int:
    end = getattr(node.value, "end_col_offset", None)
    return col if end is None else col + (end - node.col_offset)


def _op_column(node: ast.BinOp, shift: int) -> int:
    # Point at the operator, not at the start of the left operand: the operator follows the
    # left operand's end (skipping spaces and closing parentheses the AST does not record).
    end = getattr(node.left, "end_col_offset", None)
    return (end + 1 + shift) if end is not None else _col(node) + shift


def _constant(value: Any, col: int) -> _Instr:
    if isinstance(value, bool) or value is None or value is Ellipsis:
        raise ExpressionError(f"{value!r} is not a number", col)
    if isinstance(value, (str, bytes)):
        raise ExpressionError("strings are not allowed", col)
    if isinstance(value, complex):
        raise ExpressionError("complex literals are not allowed", col)
    if isinstance(value, int):
        if abs(value) > 2**53:
            try:
                value = float(value)
            except OverflowError:
                raise ExpressionError("number is too large for float64", col) from None
        return _Instr("const", value, 0, col, repr(value))
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ExpressionError("number is too large for float64", col)
        return _Instr("const", value, 0, col, repr(value))
    raise ExpressionError(f"{type(value).__name__} literals are not allowed", col)


def _name(name: str, col: int, variables: list[str]) -> _Instr:
    if name.startswith("_"):
        raise ExpressionError(f"names starting with '_' are not allowed: {name!r}", col)
    if name in FUNCTIONS:
        raise ExpressionError(f"{name!r} is a function; call it as {name}(...)", col)
    if name in CONSTANTS:
        return _Instr("const", CONSTANTS[name], 0, col, name)
    if name not in variables:
        variables.append(name)
    return _Instr("var", variables.index(name), 0, col, name)


def _check_call(node: ast.Call, col: int) -> tuple[str, str, int | None]:
    if isinstance(node.func, ast.Attribute):
        raise ExpressionError(_refusal(node.func), _attribute_column(node.func, col))
    if not isinstance(node.func, ast.Name):
        raise ExpressionError("only calls of named functions like sin(x) are allowed", col)
    fname = node.func.id
    if fname not in FUNCTIONS:
        if fname.startswith("_"):
            raise ExpressionError(f"names starting with '_' are not allowed: {fname!r}", col)
        close = difflib.get_close_matches(fname, FUNCTIONS, n=1)
        hint = (f"did you mean {close[0]!r}?" if close
                else f"allowed: {', '.join(sorted(FUNCTIONS))}")
        raise ExpressionError(f"unknown function {fname!r}; {hint}", col)
    if node.keywords:
        kw = node.keywords[0]
        raise ExpressionError(f"keyword arguments are not allowed in {fname}(...)",
                              _col(kw) if hasattr(kw, "col_offset") else col)
    for a in node.args:
        if isinstance(a, ast.Starred):
            raise ExpressionError("'*' unpacking is not allowed", _col(a))
    target, nmin, nmax = FUNCTIONS[fname]
    n = len(node.args)
    if n < nmin or (nmax is not None and n > nmax):
        want = (f"{nmin}" if nmin == nmax else f"at least {nmin}" if nmax is None
                else f"{nmin} to {nmax}")
        raise ExpressionError(f"{fname}() takes {want} argument{'s' * (want != '1')}, got {n}",
                              col)
    return fname, target, nmax


def _refusal(node: ast.AST) -> str:
    if isinstance(node, ast.Attribute):
        return f"attribute access '.{node.attr}' is not allowed"
    for kind, what in _REFUSED.items():
        if isinstance(node, kind):
            return f"{what} are not allowed" if what.endswith("s") else f"{what} is not allowed"
    if isinstance(node, ast.BinOp):
        return f"operator {type(node.op).__name__} is not allowed (use + - * / **)"
    if isinstance(node, ast.UnaryOp):
        return f"operator {type(node.op).__name__} is not allowed (use unary - or +)"
    return f"{type(node).__name__} is not allowed"


def _fold_constants(program: list[_Instr]) -> list[_Instr]:
    """Evaluate variable-free arithmetic now, in float64, refusing overflow (``9**9**9**9``)."""
    out: list[_Instr] = []
    for ins in program:
        if (ins.kind == "op" and ins.value in _FOLD and len(out) >= ins.nargs
                and all(p.kind == "const" for p in out[len(out) - ins.nargs:])):
            args = [np.float64(p.value) for p in out[len(out) - ins.nargs:]]
            with np.errstate(all="raise"):
                try:
                    value = _FOLD[ins.value](*args)
                except FloatingPointError as err:
                    what = "overflows float64" if "overflow" in str(err) else (
                        "divides by zero" if "divide" in str(err) else "is not a real number")
                    raise ExpressionError(f"constant sub-expression {what}", ins.column) from None
            del out[len(out) - ins.nargs:]
            value = float(value)
            if value.is_integer() and abs(value) <= 2**53:
                value = int(value)
            out.append(_Instr("const", value, 0, ins.column, repr(value)))
        else:
            out.append(ins)
    return out


class Expression:
    """A parsed, checked expression; call it with values for :attr:`variables`.

    >>> e = parse("x*x + y")
    >>> e.variables
    ('x', 'y')
    >>> e(3.0, 1.0), e(x=3.0, y=1.0), float(e.vector_function()(np.array([3.0, 1.0])))
    (10.0, 10.0, 10.0)
    """

    def __init__(self, text: str, program: list[_Instr], variables: tuple[str, ...]):
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

    def _run(self, values: list[Any], watch: Callable[[_Instr, list, Any], None] | None = None
             ) -> Any:
        import dualnum.numpy as dnp   # imported here: the parser itself needs no core

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

        def watch(ins: _Instr, operands: list, result: Any) -> None:
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
        import sympy

        syms = [sympy.Symbol(v, real=True) for v in self.variables]
        return sympy.sympify(self._run(syms))

    @property
    def size(self) -> int:
        """Number of postfix instructions (constants, variables and operations)."""
        return len(self._program)


def _show(ins: _Instr, operands: list) -> str:
    shown = [f"{float(np.asarray(o, dtype=float)):.6g}" for o in operands]
    if ins.label.isidentifier():
        return f"{ins.label}({', '.join(shown)})"
    if len(shown) == 1:
        return f"{ins.label}({shown[0]})"
    return f" {ins.label} ".join(shown)


def parse(text: str) -> Expression:
    """Parse and check ``text``; raise :class:`ExpressionError` naming the column if refused.

    >>> parse("max(x, 0) + 2**3").variables
    ('x',)
    >>> parse("__import__('os')")
    Traceback (most recent call last):
    ...
    dualnum.expr.ExpressionError: names starting with '_' are not allowed: '__import__' (column 1)
    """
    _check_text(text)
    shift = len(text) - len(text.lstrip())
    body = _parse_tree(text)
    program, variables = _compile(body, shift)
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
            raise PointError(f"expected NAME=VALUE, got {item!r}")
        if not name.isascii() or not name.isidentifier() or name.startswith("_"):
            raise PointError(f"{name!r} is not a valid variable name")
        if name in point:
            raise PointError(f"duplicate value for {name!r}")
        try:
            number = float(value)
        except ValueError:
            raise PointError(f"value of {name!r} is not a number: {value!r}") from None
        if not math.isfinite(number):
            raise PointError(f"value of {name!r} must be finite, got {value!r}")
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
