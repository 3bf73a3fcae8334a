"""``dualnum compare`` and ``dualnum cases``: the comparison report and the catalogue listing.

Both are plugins of the ``dualnum`` command (entry-point group ``dualnum.commands``): each
``register_*`` adds its subparser and ``set_defaults(func=run)``; ``run(args)`` returns the
exit status — 0 when every comparison agrees or sits on a kink, 1 when any fails; bad
arguments (an unknown case, format or output path) exit 2 through the ``dualnum`` driver.

>>> import argparse
>>> sub = argparse.ArgumentParser().add_subparsers()
>>> register_compare(sub); register_cases(sub)
>>> sorted(sub.choices)
['cases', 'compare']
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

from dualnum.expr import quoted

from .report import FORMATS, render
from .report_html_cases import case_graphs
from .report_text import count

__all__ = ["register_compare", "register_cases", "run_compare", "run_cases"]


_COMPARE_EPILOG = """\
example:
  $ dualnum compare lepetit-f
  case       status  fwd  rev  hand  sym  cstep  richard  central  2nd  time
  lepetit-f  agree   0    0    0     0    0      2e-15    1e-11    0    0.20s
  ...
  lepetit-f: ∂f/∂x2 (reverse sweep) — notes 1.716, computed 1.716338 (ok)
  (cells: worst relative error against the best other reference)
more: dualnum compare network. --format html --output report.html
your own model and backprop:
  $ dualnum compare examples/two_layer_slips.py       # or my_model.py::case_name, pkg.module:name
  runs every case the file registers with dualnum.comparisons.case(f, at=params, hand=my_grad)
  and names, block by block, where your gradient is wrong and how (×2, ×1/m, sign, transposed,
  missing relu' ...). LOADING THE FILE RUNS ITS CODE, as `python my_model.py` would.
exit status: 0 all agree (or sit on a kink), 1 a comparison failed, 2 bad arguments (also a
  file that is missing, does not parse, raises while loading or registers no case)."""

_CASES_EPILOG = """\
example:
  $ dualnum cases lepetit
  [vector→scalar]
    lepetit-f    n=2    ln(x1) + x1·x2 − sin(x2) at (2, 5)  [hand, 3 worked values]
    ...
prefixes: activation. layer. loss. network. (dualnum cases network. lists the networks)"""


def register_compare(subparsers: Any) -> None:
    """Add ``dualnum compare [CASE ...] [--format F] [--output FILE]``.

    >>> sub = argparse.ArgumentParser(prog="dualnum").add_subparsers()
    >>> register_compare(sub)
    >>> args = sub.choices["compare"].parse_args(["lepetit-f", "--format", "json"])
    >>> args.cases, args.format, args.func is run_compare
    (['lepetit-f'], 'json', True)
    """
    p = subparsers.add_parser(
        "compare",
        help="compare forward, reverse and the notes' formulas with independent references",
        description="Run every method on the catalogue's cases (or the CASEs named, exact names "
                    "or prefixes such as 'network.') and report where they agree.",
        epilog=_COMPARE_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("cases", nargs="*", metavar="CASE",
                   help="case names or prefixes (default: all), or your own cases: FILE.py, "
                        "FILE.py::NAME, MODULE:NAME (loading runs that file's code)")
    p.add_argument("--format", choices=FORMATS, default="text", help="report format")
    p.add_argument("--output", metavar="FILE", help="write the report to FILE (default: stdout)")
    p.add_argument("--sweep", metavar="CASE", default=None,
                   help="case whose error-vs-step curve the HTML report draws "
                        "(default: lepetit-f, else the first case)")
    p.add_argument("--no-second-order", action="store_true",
                   help="skip Hessians and Hessian-vector products")
    p.set_defaults(func=run_compare)


def register_cases(subparsers: Any) -> None:
    """Add ``dualnum cases``: the catalogue, grouped by signature.

    >>> sub = argparse.ArgumentParser(prog="dualnum").add_subparsers()
    >>> register_cases(sub)
    >>> sub.choices["cases"].parse_args(["network."]).cases
    ['network.']
    """
    p = subparsers.add_parser("cases", help="list the comparison catalogue (models x losses)",
                              description="List the comparison catalogue, grouped by "
                                          "signature: name, number of inputs, what it checks.",
                              epilog=_CASES_EPILOG,
                              formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("cases", nargs="*", metavar="CASE", help="only these names or prefixes")
    p.set_defaults(func=run_cases)


def _progress(stream):
    """A progress callback: on a terminal one line rewritten in place (``[3/73] case``) and
    cleared at the end; elsewhere (a pipe, a log) a single line when done."""

    def show(i: int, n: int, name: str) -> None:
        stream.write(f"\r\033[K[{i + 1}/{n}] {name}" if name else "\r\033[K")
        stream.flush()

    def plain(i: int, n: int, name: str) -> None:
        if not name:
            stream.write(f"{n} case{'s' * (n != 1)} compared\n")

    return show if stream.isatty() else plain


def _colour_ok(stream) -> bool:
    """Colour only on a terminal that supports it (not NO_COLOR, not TERM=dumb)."""
    return (stream.isatty() and "NO_COLOR" not in os.environ
            and os.environ.get("TERM", "") != "dumb")


def _check_names(names, what: str) -> None:
    """Refuse, before any work, an empty case name (a prefix of every case, so it would
    silently select them all).

    >>> _check_names(["lepetit-f", " "], "CASE")
    Traceback (most recent call last):
    ...
    ValueError: CASE ' ': an empty case name matches every case; name one (see dualnum cases)
    """
    for name in names:
        if not name.strip():
            raise ValueError(f"{what} {quoted(name)}: an empty case name matches every case; "
                             "name one (see dualnum cases)")


def _check_output(path: str) -> None:
    """Refuse, before any work, an ``--output`` the report could not be written to: empty, a
    directory, in a directory that does not exist or is not a directory or not writable.

    >>> _check_output("/dev/null/report.json")
    Traceback (most recent call last):
    ...
    ValueError: --output '/dev/null/report.json': /dev/null is not a directory
    """
    shown = quoted(path)
    if not path.strip():
        raise ValueError("--output '': empty file name (leave --output out to print the "
                         "report)")
    if os.path.isdir(path):
        raise ValueError(f"--output {shown}: is a directory; give a file name, e.g. "
                         f"{quoted(os.path.join(path, 'report.html'))}")
    parent = os.path.dirname(os.path.abspath(path))
    if not os.path.exists(parent):
        raise ValueError(f"--output {shown}: directory {quoted(parent)[1:-1]} does not exist")
    if not os.path.isdir(parent):
        raise ValueError(f"--output {shown}: {quoted(parent)[1:-1]} is not a directory")
    if not os.access(parent, os.W_OK) or (os.path.exists(path)
                                          and not os.access(path, os.W_OK)):
        raise ValueError(f"--output {shown}: not writable")


def run_compare(args) -> int:
    """Run the comparison; write the report; 0 if all agree (or are kinks), 1 on any failure.

    >>> import contextlib, io
    >>> args = argparse.Namespace(cases=["bradbury-chain"], format="json", output=None,
    ...                           sweep=None, no_second_order=True)
    >>> out, err = io.StringIO(), io.StringIO()
    >>> with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
    ...     status = run_compare(args)
    >>> status, '"failures": 0' in out.getvalue(), "0 failures" in err.getvalue()
    (0, True, True)
    """
    from .loader import select_targets
    from .user_cases import run

    _check_names(args.cases, "CASE")
    if args.sweep is not None:
        _check_names([args.sweep], "--sweep")
    out_path = args.output
    if out_path is not None:
        _check_output(out_path)
    cases = select_targets(args.cases)
    names = [c.name for c in cases]
    sweep = args.sweep or ("lepetit-f" if "lepetit-f" in names else names[0] if names else None)
    if args.sweep and args.sweep not in names:
        raise LookupError(f"--sweep: case {quoted(args.sweep)} is not among the cases compared")
    html_page = args.format == "html"
    # the HTML page shows every case's error-vs-step curve (small multiples) and the graph
    # of the small ones; the other formats carry the one sweep asked for
    report = run(cases, progress=_progress(sys.stderr), sweep_case="*" if html_page else sweep,
                 second_order=not args.no_second_order)
    colour = args.format == "text" and not out_path and _colour_ok(sys.stdout)
    text = render(report, args.format, colour=colour,
                  graphs=case_graphs(cases) if html_page else None)
    if out_path:
        try:
            with open(out_path, "w", encoding="utf-8") as fh:
                fh.write(text if text.endswith("\n") else text + "\n")
        except OSError as err:  # checked before the run; the disk can still fill up
            raise ValueError(f"--output {quoted(out_path)}: cannot write the report "
                             f"({err.strerror or err})") from None
        print(f"report written to {out_path}", file=sys.stderr)
    else:
        print(text)
    s = report.summary
    print(f"{count(s['cases'], 'case')}, {s['agreements']} agree, {count(s['kinks'], 'kink')}, "
          f"{count(s['slips'], 'slip')}, {count(s['failures'], 'failure')} ({s['time']:.1f} s)",
          file=sys.stderr)
    return 1 if s["failed_cases"] or s["failures"] else 0


def run_cases(args) -> int:
    """Print the catalogue, grouped by signature.

    >>> run_cases(argparse.Namespace(cases=["bradbury-chain"]))  # doctest: +NORMALIZE_WHITESPACE
    <BLANKLINE>
    [scalar→scalar]
      bradbury-chain  n=1  y = 2a, a = 3x: dy/dx = 6  [hand, 1 worked value]
    0
    """
    from .cases import select

    group = None
    for c in select(args.cases):
        if c.group != group:
            group = c.group
            print(f"\n[{group}]")
        extra = []
        if c.hand is not None:
            extra.append("hand" + (" (as written)" if c.literal else ""))
        if c.worked:
            extra.append(f"{len(c.worked)} worked value{'s' * (len(c.worked) != 1)}")
        tail = f"  [{', '.join(extra)}]" if extra else ""
        about = c.description if len(c.description) <= 70 else c.description[:69] + "…"
        print(f"  {c.name:40s} n={c.n_inputs:<4d} {about}{tail}")
    return 0
