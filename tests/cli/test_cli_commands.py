"""The command itself: help with worked examples, plugins found by entry point, broken plugins
isolated, ``python -m dualnum`` and the console script being the same command."""

import argparse
import os
import types

import pytest

from dualnum import cli
from dualnum.cli import main


def test_top_level_help_shows_an_example_and_every_command(capsys):
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    assert 'dualnum trace "ln(x1) + x1*x2 - sin(x2)" --at x1=2 x2=5' in out
    for name in ("trace", "diff", "compare", "cases"):
        assert name in out


@pytest.mark.parametrize("command, example", [
    ("trace", 'dualnum trace "ln(x1) + x1*x2 - sin(x2)" --at x1=2 x2=5 --wrt x1'),
    ("diff", 'dualnum diff "ln(x1) + x1*x2 - sin(x2)" --at x1=2 x2=5'),
])
def test_subcommand_help_shows_a_worked_example(command, example, capsys):
    assert main([command, "--help"]) == 0
    assert example in capsys.readouterr().out


@pytest.mark.parametrize("command, argv", [("cases", ["cases", "lepetit"]),
                                           ("compare", ["compare", "lepetit-f"])])
def test_catalogue_help_shows_a_worked_example_of_real_output(command, argv, capsys):
    assert main([command, "--help"]) == 0
    helptext = capsys.readouterr().out
    assert f"$ dualnum {' '.join(argv)}" in helptext
    main(argv)
    out = {" ".join(ln.split()) for ln in capsys.readouterr().out.splitlines()}
    # the example lines with numbers that do not depend on timing are the real output
    shown = [" ".join(ln.split()) for ln in helptext.split("$ dualnum", 1)[1].splitlines()[1:]
             if ln.startswith("  ") and ("worked" in ln or "computed" in ln or "[" in ln)]
    assert shown and all(ln in out for ln in shown), [ln for ln in shown if ln not in out]


@pytest.mark.parametrize("expr, value", [("-x", "-2.0"), ("---x", "-2.0"), ("-x**2", "-4.0")])
def test_expressions_starting_with_minus_are_not_options(expr, value, capsys):
    assert main(["trace", expr, "--at", "x=2", "--format", "json"]) == 0
    assert f'"value": {value}' in capsys.readouterr().out


def test_version(capsys):
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.startswith("dualnum ")


def test_python_m_dualnum_in_process(monkeypatch, capsys):
    # what `python -m dualnum` runs, without starting an interpreter (test_cli_errors.py does
    # that, in the slow tests): dualnum/__main__.py exits with main()'s status
    import runpy
    import dualnum
    monkeypatch.setattr("sys.argv", ["dualnum", "trace", "x*y", "--at", "x=2", "y=3"])
    # by path, not run_module: with the package installed, its pytest11 plugin makes pytest's
    # assertion-rewriting hook the importer of every dualnum module, and runpy cannot ask that
    # hook for a module's code
    main_py = os.path.join(os.path.dirname(dualnum.__file__), "__main__.py")
    with pytest.raises(SystemExit) as exit_:
        runpy.run_path(main_py, run_name="__main__")
    assert exit_.value.code == 0 and "= 6" in capsys.readouterr().out


class _EP:
    def __init__(self, name, loader):
        self.name, self._loader = name, loader

    def load(self):
        return self._loader()


def _broken():
    raise ImportError("No module named 'dualnum.nowhere'")


def _good():
    def register(subparsers):
        p = subparsers.add_parser("hello", help="say hello")
        p.add_argument("--who", default="world")
        p.set_defaults(func=lambda args: print(f"hello {args.who}") or 0)
    return register


def _half_registered():
    def register(subparsers):
        subparsers.add_parser("half")
        raise RuntimeError("register crashed after adding its parser")
    return register


@pytest.fixture
def fake_plugins(monkeypatch):
    eps = [_EP("broken", _broken), _EP("hello", _good), _EP("half", _half_registered)]
    monkeypatch.setattr(cli, "_entry_points", lambda: eps)


def test_a_broken_plugin_does_not_break_the_others(fake_plugins, capsys):
    assert main(["hello", "--who", "you"]) == 0
    out = capsys.readouterr()
    assert out.out == "hello you\n" and out.err == ""
    assert main(["trace", "x", "--at", "x=1", "--format", "json"]) == 0
    assert capsys.readouterr().err == ""
    assert main(["--help"]) == 0
    assert "broken" in capsys.readouterr().out


@pytest.mark.parametrize("name, fragment", [("broken", "dualnum.nowhere"),
                                            ("half", "register crashed")])
def test_a_broken_plugin_says_so_when_invoked(fake_plugins, name, fragment, capsys):
    assert main([name]) == 1
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and err[0].startswith(f"dualnum {name}: unavailable")
    assert fragment in err[0]


def test_the_real_entry_points_are_declared():
    names = {ep.name for ep in cli._entry_points()}
    assert {"diff", "compare", "cases", "train"} <= names


def test_diff_plugin_registers_through_its_entry_point():
    parser = cli.build_parser("diff")
    args = parser.parse_args(["diff", "x**2", "--at", "x=3", "--order", "2"])
    assert isinstance(args, argparse.Namespace) and args.order == 2
    assert isinstance(args.func, types.FunctionType) and args.func.__module__.endswith("diff_cmd")


def test_console_script_is_main():
    from importlib import metadata

    scripts = {ep.name: ep.value for ep in metadata.entry_points(group="console_scripts")}
    assert scripts.get("dualnum") == "dualnum.cli:main"
