"""The ``dualnum`` command (also ``python -m dualnum``).

``dualnum trace`` is built in; every other subcommand (``diff``, ``compare``, ``cases``,
``train``) is a plugin found through the entry-point group ``dualnum.commands``: each entry is a
``register(subparsers)`` function that adds its subparser and ``set_defaults(func=run)``, where
``run(args) -> int``. That keeps the arrows pointing one way: the core never imports
``dualnum.comparisons`` or ``dualnum.models`` by name. A plugin that fails to import does not
break the others; the failure is reported only when that command is invoked.

Every bad input ends the same way: one line on stderr naming the problem, exit status 2, no
traceback (set ``DUALNUM_DEBUG=1`` to see the traceback of an unexpected error).

>>> main(["trace", "x*y", "--at", "x=3", "y=4", "--format", "json"]) == 0  # doctest: +ELLIPSIS
{...
True
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import traceback
import warnings
from importlib import metadata
from typing import Any, Callable, Sequence

from dualnum.expr import DomainError, ExpressionError, PointError, parse, parse_point
from dualnum.tracing import encodable, trace

__all__ = ["main", "UsageError", "build_parser", "add_point_arguments", "fail_line"]

ENTRY_POINT_GROUP = "dualnum.commands"
BUILTIN = ("trace",)

_EPILOG = """\
examples:
  dualnum trace "ln(x1) + x1*x2 - sin(x2)" --at x1=2 x2=5 --wrt x1
  dualnum diff  "ln(x1) + x1*x2 - sin(x2)" --at x1=2 x2=5 --order 2
  dualnum cases
  dualnum compare --format markdown

expressions: numbers, variables, + - * / ** (unary -), parentheses and calls of
exp log ln sin cos tan tanh sqrt sigmoid relu softplus erf abs max min ...
(quote expressions; -x**2 right after the command is read as an expression)"""

_TRACE_EPILOG = """\
example (Lepetit's slides):
  $ dualnum trace "ln(x1) + x1*x2 - sin(x2)" --at x1=2 x2=5 --wrt x1
  prints the primal trace v-1 = x1 = 2, v0 = x2 = 5, v1 = ln v-1 = 0.693, ...,
  v5 = v4 - v3 = 11.652; the tangent column dv/dx1 (1, 0, 0.5, 5, 0, 5.5, 5.5);
  and the reverse sweep, step by step, ending with x1bar = 5.5, x2bar = 1.716.
formats: text (default), markdown, latex, json; the computational graph: dot (always),
svg and png (the plot extra: pip install 'dualnum-toolkit[plot]'), e.g.
  $ dualnum trace "ln(x1) + x1*x2 - sin(x2)" --at x1=2 x2=5 --format svg --output lepetit.svg"""

_GRAPH_FORMATS = ("dot", "svg", "png")


class UsageError(Exception):
    """A command-line usage error (argparse's, or a plugin's), reported on one line."""


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error raises instead of printing the usage block and exiting."""

    def error(self, message: str) -> Any:  # type: ignore[override]
        raise UsageError(f"{self.prog}: error: {message} (see {self.prog} --help)")


def add_point_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the positional ``EXPR`` and ``--at NAME=VALUE ...`` shared by trace and diff.

    >>> p = _Parser(prog="x"); add_point_arguments(p)
    >>> p.parse_args(["x*y", "--at", "x=1", "y=2"]).at
    ['x=1', 'y=2']
    """
    parser.add_argument("expr", metavar="EXPR",
                        help="expression in the variables, e.g. \"ln(x1) + x1*x2 - sin(x2)\"")
    parser.add_argument("--at", nargs="+", action="extend", default=None, metavar="NAME=VALUE",
                        required=True, help="the point: one NAME=VALUE per variable")


def _register_trace(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "trace", help="evaluation trace like the slides: primal, tangent and adjoint columns",
        description="Record the evaluation of EXPR on a tape and print its trace: one row per "
                    "elementary operation with its value, the forward tangent column(s) and "
                    "the reverse sweep with its accumulation steps.",
        epilog=_TRACE_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_point_arguments(p)
    p.add_argument("--wrt", nargs="+", action="extend", default=None, metavar="NAME",
                   help="seed the tangent column(s) with these inputs (default: all)")
    p.add_argument("--format", choices=("text", "markdown", "latex", "json") + _GRAPH_FORMATS,
                   default="text", help="the trace as a table (text, markdown, latex, json) or "
                   "its computational graph (dot, svg, png)")
    p.add_argument("--output", metavar="FILE", default=None,
                   help="write to FILE instead of stdout (png needs it)")
    p.add_argument("--decimals", type=int, default=3, metavar="N",
                   help="decimal places in text/markdown/latex, like the slides (default 3)")
    p.add_argument("--symbolic", action="store_true",
                   help="add the symbolic column: each tangent as a formula (sympy)")
    p.set_defaults(func=run_trace)


def run_trace(args: argparse.Namespace) -> int:
    """``dualnum trace``: parse, check the point, trace, render."""
    if not 0 <= args.decimals <= 17:
        raise UsageError(f"dualnum trace: error: --decimals must be between 0 and 17, "
                         f"got {args.decimals}")
    _check_output(args)
    expr = parse(args.expr)
    point = parse_point(args.at, expr.variables)
    if args.wrt:
        for k, name in enumerate(args.wrt):
            if name not in expr.variables:
                raise PointError(f"--wrt {name}: not a variable of the expression "
                                 f"(variables: {', '.join(expr.variables) or 'none'})")
            if name in args.wrt[:k]:
                raise PointError(f"--wrt {name}: given twice")
    expr.check_domain(**point)
    t = trace(expr, point, wrt=args.wrt, symbolic=args.symbolic)
    if args.format in _GRAPH_FORMATS:
        g = t.graph()
        if args.format == "dot":
            data: str | bytes = g.to_dot(decimals=args.decimals)
        elif args.format == "svg":
            data = g.to_svg(decimals=args.decimals)
        else:
            data = g.to_png(decimals=args.decimals)
    elif args.format == "json":
        data = t.to_json(indent=2) + "\n"
    elif args.format == "markdown":
        data = t.to_markdown(decimals=args.decimals) + "\n"
    elif args.format == "latex":
        data = t.to_latex(decimals=args.decimals) + "\n"
    else:
        text = t.to_text(decimals=args.decimals)
        # a terminal that cannot show v₋₁, ∂ or v̄ (PYTHONIOENCODING=ascii, a cp1252 console)
        # gets the ASCII spelling v[-1], d, vbar instead of an encoding error
        data = (text if args.output or encodable(text)
                else t.to_text(decimals=args.decimals, ascii=True)) + "\n"
    if args.output:
        with open(args.output, "wb") as f:
            f.write(data.encode("utf-8") if isinstance(data, str) else data)
    else:
        sys.stdout.write(data)      # (png is refused without --output, before any work)
    return 0


def _check_output(args: argparse.Namespace) -> None:
    """Refuse, before any work, an output that cannot be written (or png on stdout)."""
    out = args.output
    if out is None:
        if args.format == "png":
            raise UsageError("dualnum trace: error: --format png writes binary data: give "
                             "--output FILE")
        return
    if not out:
        raise UsageError("dualnum trace: error: --output: empty file name")
    if os.path.isdir(out):
        raise UsageError(f"dualnum trace: error: --output {out!r} is a directory")
    parent = os.path.dirname(os.path.abspath(out))
    if not os.path.isdir(parent):
        what = "is not a directory" if os.path.exists(parent) else "does not exist"
        raise UsageError(f"dualnum trace: error: --output {out!r}: {parent} {what}")
    if not os.access(parent, os.W_OK):
        raise UsageError(f"dualnum trace: error: --output {out!r}: cannot write in {parent}")


def _unavailable(name: str, err: BaseException) -> Callable[[argparse.Namespace], int]:
    def run(args: argparse.Namespace) -> int:
        detail = " ".join(str(err).split()) or type(err).__name__
        print(f"dualnum {name}: unavailable: the plugin failed to load "
              f"({type(err).__name__}: {detail})", file=sys.stderr)
        return 1

    return run


def _entry_points() -> list[Any]:
    try:
        eps = metadata.entry_points(group=ENTRY_POINT_GROUP)
    except Exception:   # a broken installation must not break the built-in commands
        return []
    seen: dict[str, Any] = {}
    for ep in eps:
        seen.setdefault(ep.name, ep)
    return [seen[k] for k in sorted(seen)]


def _load_plugins(subparsers: Any, wanted: str | None) -> None:
    """Register plugin commands; only ``wanted`` when known (fast, isolates broken plugins)."""
    eps = _entry_points()
    names = {ep.name for ep in eps}
    for ep in eps:
        if ep.name in BUILTIN or (wanted in names and ep.name != wanted):
            continue
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                register = ep.load()
                register(subparsers)
        except Exception as err:  # noqa: BLE001 - any failure leaves the others working
            if ep.name in subparsers.choices:
                subparsers.choices[ep.name].set_defaults(func=_unavailable(ep.name, err))
            else:
                p = subparsers.add_parser(ep.name, add_help=False,
                                          help=f"(could not be loaded; run `dualnum {ep.name}` "
                                               "for the reason)")
                p.add_argument("rest", nargs=argparse.REMAINDER)
                p.set_defaults(func=_unavailable(ep.name, err))


def _version() -> str:
    try:
        return metadata.version("dualnum-toolkit")
    except metadata.PackageNotFoundError:
        return "unknown"


def build_parser(wanted: str | None = None) -> argparse.ArgumentParser:
    """The full parser: built-in ``trace`` plus the plugins of ``dualnum.commands``."""
    parser = _Parser(prog="dualnum",
                     description="Forward, reverse and reference derivatives side by side.",
                     epilog=_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"dualnum {_version()}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    _register_trace(subparsers)
    _load_plugins(subparsers, wanted)
    parser.commands = subparsers.choices  # type: ignore[attr-defined]
    return parser


def fail_line(prog: str, err: BaseException) -> str:
    """One line for stderr: ``prog: error: message`` with newlines folded.

    >>> fail_line("dualnum trace", ValueError("bad\\n  thing"))
    'dualnum trace: error: bad; thing'
    """
    lines = [ln.strip() for ln in str(err).splitlines() if ln.strip()]
    text = "; ".join(lines) or type(err).__name__
    # the last guard for user text a message quotes raw: no control character reaches the
    # terminal (an escape sequence could rewrite it), and no line runs on for a megabyte
    text = "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in text)
    if len(text) > _MAX_LINE:
        text = f"{text[:_MAX_LINE]}… ({len(text)} characters)"
    if text.startswith(f"{prog}: error:") or text.startswith("dualnum"):
        return text
    return f"{prog}: error: {text}"


#: the longest error line fail_line prints (messages cut user text to ~80 characters first)
_MAX_LINE = 500


def _first_command(argv: Sequence[str]) -> str | None:
    for a in argv:
        if not a.startswith("-"):
            return a
    return None


def _protect_expression(argv: list[str]) -> list[str]:
    """``dualnum trace -x**2 --at x=1``: argparse would read ``-x**2`` as an option; an
    expression right after ``trace``/``diff`` that starts with '-' gets a leading space
    (anything shaped like an option, ``--at`` or ``-h``, is left alone).

    >>> [_protect_expression(["trace", e, "--at", "x=1"])[1] for e in ("-x**2", "--at")]
    [' -x**2', '--at']
    """
    for k, a in enumerate(argv[:-1]):
        if a in ("trace", "diff"):
            nxt = argv[k + 1]
            if nxt.startswith("-") and not _OPTION.fullmatch(nxt):
                argv = argv[:k + 1] + [" " + nxt] + argv[k + 2:]
            break
        if not a.startswith("-"):
            break
    return argv


# what an option of trace/diff looks like (-h, --at, --format=json); "-x**2", "-x" or
# "---x" is an expression
_OPTION = re.compile(r"-h|--[A-Za-z][A-Za-z-]*(=.*)?")


def _tolerant_stdout() -> None:
    """On a terminal that cannot encode the output's symbols (∂, ₋, ·), escape them instead
    of failing with an encoding error; the trace prints its own ASCII spelling there."""
    if not encodable("∂v₋₁ · x̄ − ½"):
        try:
            sys.stdout.reconfigure(errors="backslashreplace")  # type: ignore[union-attr]
        except (AttributeError, ValueError):
            pass


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``dualnum`` command line; return the exit status (0 ok, 2 bad input).

    >>> main(["trace", "log(x)", "--at", "x=-1"])
    2
    """
    argv = _protect_expression(list(sys.argv[1:] if argv is None else argv))
    _tolerant_stdout()
    command = _first_command(argv)
    parser = build_parser(command)
    commands = parser.commands  # type: ignore[attr-defined]
    prog = f"dualnum {command}" if command in commands else "dualnum"
    try:
        args = parser.parse_args(argv)
    except UsageError as err:
        print(fail_line(prog, err), file=sys.stderr)
        return 2
    except SystemExit as exc:        # --help / --version
        return int(exc.code or 0) if not isinstance(exc.code, str) else 2
    func = getattr(args, "func", None)
    if func is None:
        print("dualnum: error: choose a command: "
              f"{', '.join(commands)} "
              "(see dualnum --help)", file=sys.stderr)
        return 2
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # domain problems are checked
            return int(func(args) or 0)
    except (UsageError, ExpressionError, PointError, DomainError) as err:
        print(fail_line(prog, err), file=sys.stderr)
        return 2
    except (ValueError, TypeError, ArithmeticError, LookupError, NotImplementedError) as err:
        if os.environ.get("DUALNUM_DEBUG"):
            traceback.print_exc()
        print(fail_line(prog, err), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"{prog}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 1
    except Exception as err:  # noqa: BLE001 - never a bare traceback at the command line
        if os.environ.get("DUALNUM_DEBUG"):
            traceback.print_exc()
        print(f"{prog}: internal error: {type(err).__name__}: "
              f"{' '.join(str(err).split())} (set DUALNUM_DEBUG=1 for the traceback)",
              file=sys.stderr)
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
