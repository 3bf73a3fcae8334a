"""Bad arguments are refused before any work, with exit status 2 and one safe line: user text
is quoted with its control characters escaped and cut to ~80 characters. Exit status 1 is
kept for "a comparison failed"."""

import pytest

from dualnum.cli import main
from dualnum.comparisons import engine

REFUSED = [
    (["compare", "--output", "."], "--output '.': is a directory"),
    (["compare", "--output", ""], "--output '': empty file name"),
    (["compare", ""], "CASE '': an empty case name matches every case"),
    (["compare", "lepetit-f", " "], "CASE ' ': an empty case name"),
    (["compare", "--sweep", ""], "--sweep '': an empty case name"),
    (["compare", "lepetit-f", "--sweep", "bradbury-chain"],
     "--sweep: case 'bradbury-chain' is not among the cases compared"),
    (["compare", "--output", "/dev/null/r.json"],
     "--output '/dev/null/r.json': /dev/null is not a directory"),
    (["compare", "--output", "/no/such/dir/r.json"], "directory /no/such/dir does not exist"),
    (["compare", "nope\x1b[2J\x07"], "unknown case(s) 'nope\\x1b[2J\\x07'"),
    (["compare", "\u202eevil"], "unknown case(s) '\\u202eevil'"),
    (["cases", "n" * 100_000], "(100000 characters)"),
    (["diff", "x", "--at", "x=" + "7" * 10**6], "(1000000 characters)"),
    (["trace", "x", "--at", "x=" + "a" * 10**6], "is not a number: 'aaaa"),
    (["trace", "x", "--at", "x=y+1"], "value of 'x' is not a number: 'y+1'"),
]


@pytest.fixture
def no_work(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the comparison ran before the arguments were checked")

    monkeypatch.setattr(engine, "run", refuse)


@pytest.mark.parametrize("argv, fragment", REFUSED, ids=range(len(REFUSED)))
def test_refused_before_any_work_with_one_safe_line(argv, fragment, no_work, capsys):
    assert main(argv) == 2
    captured = capsys.readouterr()
    lines = captured.err.splitlines()
    assert len(lines) == 1, captured.err
    line = lines[0]
    assert fragment in line, line
    assert line.isprintable() and len(line) < 400, line[:200]
    assert captured.out == ""


def test_a_tiny_constant_is_a_real_number_in_expressions_and_points(capsys):
    # 2**-1074 is the float64 5e-324 (the smallest subnormal): underflow is not an error
    assert main(["diff", "x*2**-1074", "--at", "x=1", "--format", "json"]) == 0
    assert '"value": 5e-324' in capsys.readouterr().out
    assert main(["diff", "x*y", "--at", "x=2**-1074", "y=pi/4", "--format", "json"]) == 0
    out = capsys.readouterr().out
    assert '"x": 5e-324' in out and '"y": 0.7853981633974483' in out
    assert main(["trace", "x*5e-324", "--at", "x=1", "--format", "json"]) == 0


def test_an_unwritable_output_found_only_when_writing_is_exit_2_not_1(tmp_path, monkeypatch,
                                                                    capsys):
    import builtins

    real_open = builtins.open

    def full_disk(path, *args, **kwargs):
        if str(path).endswith("r.json"):
            raise OSError(28, "No space left on device")
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", full_disk)
    status = main(["compare", "bradbury-chain", "--no-second-order", "--format", "json",
                   "--output", str(tmp_path / "r.json")])
    err = capsys.readouterr().err.splitlines()
    assert status == 2 and err[-1].endswith("cannot write the report (No space left on device)")
