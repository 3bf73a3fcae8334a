"""Every bad input: exit status 2, exactly one line on stderr naming the problem, no traceback,
and never any code execution from the user's text."""

import os
import subprocess
import sys

import pytest

from dualnum.cli import main

AT = ["--at", "x=1"]

# (argv, a fragment the one-line message must contain)
CATALOGUE = [
    # the expression language
    (["trace", "x +* 2", *AT], "syntax error"),
    (["trace", "sin(x", *AT], "syntax error"),
    (["trace", "foo(x)", *AT], "unknown function 'foo'"),
    (["trace", "x.__class__", *AT], "attribute access '.__class__'"),
    (["trace", "__import__('os').system('echo hi')", *AT], "attribute access '.system'"),
    (["trace", "__import__('os')", *AT], "names starting with '_'"),
    (["trace", "lambda: x", *AT], "lambdas are not allowed"),
    (["trace", "[x for x in (1, 2)]", *AT], "comprehensions are not allowed"),
    (["trace", "x[0]", *AT], "subscripts are not allowed"),
    (["trace", "'x'", *AT], "strings are not allowed"),
    (["trace", "f'{x}'", *AT], "strings are not allowed"),
    (["trace", "", *AT], "empty expression"),
    (["trace", "   ", *AT], "empty expression"),
    (["trace", "9**9**9**9", *AT], "overflows"),
    (["trace", "x * 9**9**9**9", *AT], "overflows"),
    (["trace", "(" * 1000 + "x" + ")" * 1000, *AT], "nested"),
    (["trace", "x+" * 50_000 + "x", *AT], "too long"),
    (["trace", "ｘ + 1", *AT], "non-ASCII"),
    (["trace", "x − 1", *AT], "non-ASCII"),
    (["trace", "sin(x, x)", *AT], "takes 1 argument"),
    (["trace", "exp(x=1)", *AT], "keyword arguments"),
    (["trace", "x if x else 1", *AT], "not allowed"),
    (["trace", "x and 1", *AT], "not allowed"),
    (["trace", "x % 2", *AT], "not allowed"),
    (["trace", "x; import os", *AT], "syntax error"),
    (["diff", "exec('1')", *AT], "unknown function 'exec'"),
    # the point
    (["trace", "x*y", "--at", "x=1"], "no value for y"),
    (["trace", "x*y"], "required: --at"),
    (["trace", "x*y", "--at", "x=1", "x=2", "y=3"], "duplicate value for 'x'"),
    (["trace", "x", "--at", "x=two"], "not a number"),
    (["trace", "x", "--at", "x=nan"], "finite"),
    (["trace", "x", "--at", "x"], "NAME=VALUE"),
    (["trace", "x", "--at", "x=1", "z=2"], "z does not appear"),
    (["trace", "x", "--at", "x=1", "--wrt", "q"], "--wrt q"),
    (["diff", "x*y", "--at", "y=1"], "no value for x"),
    (["trace", "x", "--at", "x=1", "--wrt", "x", "x"], "--wrt x: given twice"),
    (["trace", "x**", *AT], "ends too early (column 4)"),
    # outside the domain
    (["trace", "log(x)", "--at", "x=-1"], "outside the domain: log(-1)"),
    (["trace", "1/x", "--at", "x=0"], "outside the domain: 1 / 0"),
    (["trace", "x**y", "--at", "x=-1", "y=0.5"], "outside the domain: (-1) ** 0.5"),
    (["diff", "log(x)", "--at", "x=-1"], "outside the domain"),
    (["diff", "1/x", "--at", "x=0"], "outside the domain"),
    (["trace", "sqrt(x)", "--at", "x=0"], "outside the domain of the derivative"),
    (["diff", "sqrt(x)", "--at", "x=0"], "outside the domain of the derivative"),
    (["trace", "exp(exp(x))", "--at", "x=10"], "outside the domain"),
    # the command line itself
    ([], "choose a command"),
    (["frobnicate"], "invalid choice"),
    (["trace", "x", *AT, "--format", "pdf"], "invalid choice"),
    (["diff", "x", *AT, "--order", "3"], "invalid choice"),
    (["trace", "x", *AT, "--decimals", "-4"], "--decimals"),
    (["trace", "x", *AT, "--bogus"], "unrecognized arguments"),
    (["cases", "nosuchcase"], "unknown case"),
    (["compare", "nosuchcase"], "unknown case"),
]


@pytest.mark.parametrize("argv, fragment", CATALOGUE,
                         ids=[f"{i}-{c[0][:2]}" for i, c in enumerate(CATALOGUE)])
def test_bad_input_one_line_exit_2(argv, fragment, capsys):
    assert main(argv) == 2
    captured = capsys.readouterr()
    lines = captured.err.splitlines()
    assert len(lines) == 1, captured.err
    assert fragment in lines[0]
    assert lines[0].startswith("dualnum")
    assert "Traceback" not in captured.err and captured.out == ""


def test_catalogue_is_large_enough():
    assert len(CATALOGUE) >= 30


PAYLOADS = [
    "__import__('os').system('touch {p}')",
    "open('{p}', 'w').write('x')",
    "exec(\"open('{p}', 'w')\")",
    "eval(\"open('{p}', 'w')\")",
    "(lambda: open('{p}', 'w'))()",
    "[open('{p}', 'w') for _ in (1,)]",
    "().__class__.__base__.__subclasses__()",
    "x + open('{p}', 'w')",
    "compile('open(\"{p}\", \"w\")', 'f', 'exec')",
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payloads_are_refused_and_create_nothing(payload, tmp_path, capsys):
    target = tmp_path / "PWNED"
    for command in ("trace", "diff"):
        assert main([command, payload.format(p=target), "--at", "x=1"]) == 2
        assert len(capsys.readouterr().err.splitlines()) == 1
    assert not target.exists()
    assert list(tmp_path.iterdir()) == []


def _run(*args, cwd=None):
    env = dict(os.environ, PYTHONWARNINGS="ignore")
    return subprocess.run([sys.executable, "-m", "dualnum", *args], capture_output=True,
                          text=True, cwd=cwd, env=env, timeout=120)


@pytest.mark.slow   # starts an interpreter per command (~1.5 s each)
def test_python_m_dualnum_bad_inputs(tmp_path):
    target = tmp_path / "PWNED"
    for args in (["trace", f"__import__('os').system('touch {target}')", "--at", "x=1"],
                 ["diff", "log(x)", "--at", "x=-1"],
                 ["trace", "(" * 1000 + "x" + ")" * 1000, "--at", "x=1"]):
        r = _run(*args, cwd=tmp_path)
        assert r.returncode == 2, r.stderr
        assert len(r.stderr.splitlines()) == 1 and "Traceback" not in r.stderr
        assert r.stdout == ""
    assert not target.exists()


@pytest.mark.slow   # starts an interpreter (test_cli_commands.py runs __main__ in-process)
def test_python_m_dualnum_good_input():
    r = _run("trace", "ln(x1) + x1*x2 - sin(x2)", "--at", "x1=2", "x2=5", "--wrt", "x1")
    assert r.returncode == 0, r.stderr
    assert "v₅ = v₄ − v₃" in r.stdout and "x̄2 = v̄₀ = 1.716" in r.stdout


@pytest.mark.slow   # starts an interpreter per command (~1.5 s each)
def test_a_terminal_without_unicode_gets_ascii_not_an_error():
    # PYTHONIOENCODING=ascii (or a cp1252 console) cannot show v₋₁, ∂ or x̄: the commands
    # print their ASCII spelling and succeed
    env = dict(os.environ, PYTHONWARNINGS="ignore", PYTHONIOENCODING="ascii")
    for args, expected in (
            (["trace", "ln(x1) + x1*x2 - sin(x2)", "--at", "x1=2", "x2=5"],
             "gradient: x1bar = v[-1]bar = 5.5, x2bar = v[0]bar = 1.716"),
            (["diff", "ln(x1) + x1*x2 - sin(x2)", "--at", "x1=2", "x2=5"], "df/dx2 = x1 - cos(x2)"),
            (["cases", "lepetit"], "lepetit-f")):
        r = subprocess.run([sys.executable, "-m", "dualnum", *args], capture_output=True,
                           text=True, env=env, timeout=120)
        assert r.returncode == 0, r.stderr
        assert r.stdout.isascii() and expected in r.stdout, r.stdout
