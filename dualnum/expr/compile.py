"""The whitelist compiler behind :mod:`dualnum.expr`: user text to a postfix program of ``dnp``
calls, or an :class:`ExpressionError` naming the column.

The text is parsed with :mod:`ast` (never ``eval``/``exec``/``sympify``) and walked iteratively
(no recursion, so a 5000-term sum is fine). Allowed: numbers, variable names, ``+ - * / **``,
unary ``+``/``-``, parentheses and calls of the names in :data:`FUNCTIONS`. Everything else
-- attributes, subscripts, lambdas, comprehensions, strings, keywords, underscored names,
non-ASCII look-alikes -- is refused. Constant sub-expressions are folded in float64 now, so
``9**9**9**9`` is refused as an overflow instead of running forever.

>>> program, variables = compile_text("2*x + 3**2")
>>> variables, [(i.kind, i.value) for i in program]
(('x',), [('const', 2), ('var', 0), ('op', 'multiply'), ('const', 9), ('op', 'add')])
>>> compile_text("x.__class__")
Traceback (most recent call last):
...
dualnum.expr.ExpressionError: attribute access '.__class__' is not allowed (column 2)
"""

from __future__ import annotations

import ast
import difflib
import math
import sys
import unicodedata
from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = ["ExpressionError", "Instr", "compile_text", "FUNCTIONS", "CONSTANTS", "MAX_LENGTH"]

#: Longest accepted expression, in characters (a pasted 100 kB blob is refused up front).
MAX_LENGTH = 10_000


class ExpressionError(ValueError):
    """The expression text is not a valid dualnum expression; ``.column`` is 1-based (or None).

    >>> from dualnum.expr import parse      # where users meet it (its doctest runs there)
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


# its public home is dualnum.expr (where users import it from); tracebacks say so
ExpressionError.__module__ = "dualnum.expr"


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
class Instr:
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
    body = text.strip()
    # A flat sum of n terms is a left-nested tree n deep, and CPython's AST conversion counts
    # that depth against the recursion limit (about 2000 terms by default). MAX_LENGTH caps
    # the depth at MAX_LENGTH / 2, so lift the limit to that for the parse, and only then.
    limit = sys.getrecursionlimit()
    try:
        sys.setrecursionlimit(max(limit, MAX_LENGTH // 2 + 1000))
        tree = ast.parse(body, mode="eval")
    except SyntaxError as err:
        msg = (err.msg or "invalid syntax").split(";")[0]
        # the parser gives no offset when the text stops early ("x**", "x +"): the problem
        # is at the end
        offset = err.offset if err.offset and err.lineno == 1 else len(body) + 1
        offset = min(offset, len(body) + 1) + len(text) - len(text.lstrip())
        if err.offset is None or not err.offset:
            msg = "the expression ends too early" if msg == "invalid syntax" else msg
        raise ExpressionError(f"syntax error: {msg}", offset) from None
    except (RecursionError, MemoryError):
        raise ExpressionError("expression is nested too deeply for the parser") from None
    except ValueError as err:  # e.g. "source code string cannot contain null bytes"
        raise ExpressionError(f"syntax error: {err}") from None
    finally:
        sys.setrecursionlimit(limit)
    return tree.body


def _compile(body: ast.expr, shift: int) -> tuple[list[Instr], tuple[str, ...]]:
    """Iterative post-order walk: whitelist check and postfix emission in one pass."""
    program: list[Instr] = []
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
                program.append(Instr("op", op, 2, _op_column(node, shift), sym))
        elif isinstance(node, ast.UnaryOp) and type(node.op) in _UNARY:
            if not visited:
                stack += [(node, True), (node.operand, False)]
            else:
                op, sym = _UNARY[type(node.op)]
                program.append(Instr("op", op, 1, col, sym))
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
                program.append(Instr("op", target, len(node.args), col, fname))
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


def _constant(value: Any, col: int) -> Instr:
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
        return Instr("const", value, 0, col, repr(value))
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ExpressionError("number is too large for float64", col)
        return Instr("const", value, 0, col, repr(value))
    raise ExpressionError(f"{type(value).__name__} literals are not allowed", col)


def _name(name: str, col: int, variables: list[str]) -> Instr:
    if name.startswith("_"):
        raise ExpressionError(f"names starting with '_' are not allowed: {name!r}", col)
    if name in FUNCTIONS:
        raise ExpressionError(f"{name!r} is a function; call it as {name}(...)", col)
    if name in CONSTANTS:
        return Instr("const", CONSTANTS[name], 0, col, name)
    if name not in variables:
        variables.append(name)
    return Instr("var", variables.index(name), 0, col, name)


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


def _fold_constants(program: list[Instr]) -> list[Instr]:
    """Evaluate variable-free arithmetic now, in float64, refusing overflow (``9**9**9**9``)."""
    out: list[Instr] = []
    for ins in program:
        if (ins.kind == "op" and ins.value in _FOLD and len(out) >= ins.nargs
                and all(p.kind == "const" for p in out[len(out) - ins.nargs:])):
            args = [np.float64(p.value) for p in out[len(out) - ins.nargs:]]
            # underflow is no error: 2**-1074 is the float64 5e-324 and 2**-2000 rounds to 0,
            # both real numbers, as the literals 5e-324 and 1e-2000 are
            with np.errstate(all="raise", under="ignore"):
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
            out.append(Instr("const", value, 0, ins.column, repr(value)))
        else:
            out.append(ins)
    return out


def compile_text(text: str) -> tuple[list[Instr], tuple[str, ...]]:
    """Check ``text`` against the whitelist; return ``(postfix program, variable names)``.

    Variables are numbered in order of first appearance.

    >>> compile_text("y * x + y")[1]
    ('y', 'x')
    """
    _check_text(text)
    shift = len(text) - len(text.lstrip())
    return _compile(_parse_tree(text), shift)
