"""Training thresholds (fixed seeds) and the ``train`` command."""

from __future__ import annotations

import argparse
import io

import numpy as np
import pytest

from dualnum.models import train as tr
from dualnum.models.datasets import gaussian_mixture, xor
from dualnum.models.networks import lepetit_two_layer


def test_xor_training_reaches_small_loss_and_full_accuracy():
    out = io.StringIO()
    r = tr.train("xor", seed=0, out=out)
    assert r.losses[-1] < 0.01
    assert r.accuracies[-1] == 1.0
    lines = out.getvalue().splitlines()
    assert len(lines) == len(r.losses) == tr.TASKS["xor"]["epochs"]
    assert lines[0].startswith("epoch    1/300  loss ")
    # independent check of the trained network on the truth table
    X, y = xor()
    logits = lepetit_two_layer(r.params, X, "tanh")[:, 0]
    np.testing.assert_array_equal((logits > 0).astype(float), y)
    p = 1 / (1 + np.exp(-logits))
    assert -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)) == pytest.approx(r.losses[-1])


def test_mixture_training_reaches_ninety_percent():
    out = io.StringIO()
    r = tr.train("mixture", seed=0, out=out)
    # Rousseau: one hidden layer of 50 units, "~200 parameters", SGD lr 0.1, momentum 0.9
    assert tr.TASKS["mixture"]["sizes"][1] == 50
    assert sum(np.size(v) for v in r.params.values()) == 201
    assert (tr.TASKS["mixture"]["lr"], tr.TASKS["mixture"]["momentum"]) == (0.1, 0.9)
    assert tr.TASKS["mixture"]["optimizer"] == "momentum"
    lines = out.getvalue().splitlines()
    assert len(lines) == tr.TASKS["mixture"]["epochs"] and "accuracy" in lines[-1]
    X, labels = gaussian_mixture(seed=0)
    assert X.shape == (200, 2)
    logits = lepetit_two_layer(r.params, X, "tanh")[:, 0]  # independent evaluation
    pred = (logits > 0).astype(int)
    assert np.mean(pred == labels) >= 0.90
    assert r.accuracies[-1] == np.mean(pred == labels)
    p = 1 / (1 + np.exp(-logits))
    bce = -np.mean(labels * np.log(p) + (1 - labels) * np.log(1 - p))
    assert r.losses[-1] == pytest.approx(bce, rel=1e-12)
    assert r.losses[-1] < 0.5 * r.losses[0]


def test_training_is_deterministic():
    a = tr.train("xor", epochs=20, verbose=False)
    b = tr.train("xor", epochs=20, verbose=False)
    assert a.losses == b.losses


def test_cli_main_and_errors(capsys, tmp_path):
    assert tr.main(["xor", "--epochs", "3", "--quiet", "--plot", str(tmp_path / "c.png")]) == 0
    out = capsys.readouterr().out
    assert "xor: final loss" in out and "epoch" not in out
    assert tr.main(["mixture", "--epochs", "0"]) == 2
    assert "epochs" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        tr.main(["nonsense"])


def test_register_adds_a_train_subcommand():
    parser = argparse.ArgumentParser(prog="dualnum")
    tr.register(parser.add_subparsers())
    args = parser.parse_args(["train", "xor", "--epochs", "2", "--optimizer", "heavy_ball",
                              "--momentum", "0.5", "--lr", "0.3", "--no-plot"])
    assert args.func is tr.run
    assert args.func(args) == 0


def test_dualnum_cli_finds_the_train_plugin(capsys):
    from dualnum import cli

    assert cli.main(["train", "xor", "--epochs", "2", "--quiet", "--no-plot"]) == 0
    assert "xor: final loss" in capsys.readouterr().out


def test_loss_curve_is_drawn_when_matplotlib_is_importable(monkeypatch, tmp_path):
    """matplotlib is optional: stand in a minimal fake to check what gets drawn and saved."""
    import sys
    import types

    calls = {}

    class Ax:
        def plot(self, x, y):
            calls["plot"] = (list(x), list(y))

        def __getattr__(self, name):
            return lambda *a, **k: calls.setdefault(name, a)

    class Fig:
        def tight_layout(self):
            pass

        def savefig(self, path, dpi=None):
            calls["savefig"] = path

    mpl = types.ModuleType("matplotlib")
    mpl.use = lambda backend: calls.setdefault("backend", backend)
    plt = types.ModuleType("matplotlib.pyplot")
    plt.subplots = lambda **k: (Fig(), Ax())
    plt.close = lambda fig: None
    mpl.pyplot = plt
    monkeypatch.setitem(sys.modules, "matplotlib", mpl)
    monkeypatch.setitem(sys.modules, "matplotlib.pyplot", plt)
    result = tr.TrainResult("xor", {}, [0.7, 0.3, 0.1])
    assert tr.save_loss_curve(result, str(tmp_path / "curve.png"))
    assert calls["plot"] == ([1, 2, 3], [0.7, 0.3, 0.1])
    assert calls["savefig"] == str(tmp_path / "curve.png") and calls["backend"] == "Agg"


def test_loss_curve_is_skipped_without_matplotlib(monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "matplotlib", None)  # makes the import fail
    assert tr.save_loss_curve(tr.TrainResult("xor", {}, [1.0]), "unused.png") is False


def _fake_matplotlib(monkeypatch, save):
    """A stand-in matplotlib whose canvas writes only png/svg and whose savefig is given."""
    import sys
    import types

    closed = []

    class Fig:
        def tight_layout(self):
            pass

        savefig = staticmethod(save)

    class Ax:
        def __getattr__(self, name):
            return lambda *a, **k: None

    mpl = types.ModuleType("matplotlib")
    mpl.use = lambda backend: None
    plt = types.ModuleType("matplotlib.pyplot")
    plt.subplots = lambda **k: (Fig(), Ax())
    plt.close = closed.append
    bb = types.ModuleType("matplotlib.backend_bases")
    bb.FigureCanvasBase = type("FigureCanvasBase", (), {"get_supported_filetypes": staticmethod(
        lambda: {"png": "Portable Network Graphics", "svg": "Scalable Vector Graphics"})})
    mpl.pyplot, mpl.backend_bases = plt, bb
    for name, mod in (("matplotlib", mpl), ("matplotlib.pyplot", plt),
                      ("matplotlib.backend_bases", bb)):
        monkeypatch.setitem(sys.modules, name, mod)
    return closed


def test_unsupported_plot_format_is_refused_before_training(monkeypatch, capsys):
    """matplotlib raises ValueError for an unknown extension: one line on stderr, exit 2, and
    no epoch is run (found by the audit: it used to train, then end in a traceback)."""
    saved = []
    _fake_matplotlib(monkeypatch, lambda path, dpi=None: saved.append(path))
    assert tr.main(["xor", "--epochs", "3", "--plot", "curve.xyz"]) == 2
    cap = capsys.readouterr()
    assert cap.out == "" and saved == []
    assert cap.err.strip() == ("dualnum train: --plot curve.xyz: matplotlib cannot write 'xyz' "
                               "files; use one of png, svg")
    assert tr.main(["xor", "--epochs", "1", "--quiet", "--plot", "curve.svg"]) == 0
    assert saved == ["curve.svg"] and "loss curve saved to curve.svg" in capsys.readouterr().out


def test_a_failing_savefig_is_exit_2_and_the_figure_closed(monkeypatch, capsys, tmp_path):
    def savefig(path, dpi=None):
        raise OSError(28, "No space left on device")

    closed = _fake_matplotlib(monkeypatch, savefig)
    target = str(tmp_path / "c.png")
    assert tr.main(["xor", "--epochs", "1", "--quiet", "--plot", target]) == 2
    cap = capsys.readouterr()
    assert cap.err.strip() == (f"dualnum train: --plot: loss curve not saved: {target}: No "
                               "space left on device")
    assert "saved to" not in cap.out
    assert len(closed) == 1
    assert tr.save_loss_curve(tr.TrainResult("xor", {}, [1.0]), target) is False
    assert len(closed) == 2


def test_no_file_is_written_unless_asked(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert tr.main(["xor", "--epochs", "2", "--quiet"]) == 0
    assert tr.main(["xor", "--epochs", "2", "--quiet", "--no-plot"]) == 0   # still accepted
    assert list(tmp_path.iterdir()) == []
    assert "loss curve" not in capsys.readouterr().out


@pytest.mark.parametrize("where, fragment", [
    ("{tmp}", "is a directory"),
    ("{tmp}/missing/c.png", "does not exist"),
    ("/dev/null/c.png", "/dev/null is not a directory"),
    ("", "empty file name"),
])
def test_an_unwritable_plot_is_refused_before_training(where, fragment, tmp_path, monkeypatch,
                                                       capsys):
    _fake_matplotlib(monkeypatch, lambda path, dpi=None: None)
    trained = []
    monkeypatch.setattr(tr, "train", lambda *a, **k: trained.append(1))
    assert tr.main(["xor", "--plot", where.format(tmp=tmp_path)]) == 2
    cap = capsys.readouterr()
    assert fragment in cap.err and cap.err.startswith("dualnum train: --plot")
    assert trained == [] and cap.out == ""


def test_plot_without_matplotlib_is_refused_before_training(monkeypatch, capsys, tmp_path):
    import sys

    monkeypatch.setitem(sys.modules, "matplotlib", None)          # makes the import fail
    monkeypatch.setitem(sys.modules, "matplotlib.backend_bases", None)
    assert tr.main(["xor", "--epochs", "1", "--plot", str(tmp_path / "c.png")]) == 2
    cap = capsys.readouterr()
    assert "matplotlib is not installed" in cap.err and cap.out == ""
    assert list(tmp_path.iterdir()) == []


def test_a_real_png_when_asked(tmp_path, capsys):
    import matplotlib  # noqa: F401 - the [test] extra installs it; the package runs without

    target = tmp_path / "curve.png"
    assert tr.main(["xor", "--epochs", "3", "--quiet", "--plot", str(target)]) == 0
    assert target.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    assert f"loss curve saved to {target}" in capsys.readouterr().out


def test_help_example_is_what_the_command_prints(capsys):
    # the worked example in `dualnum train --help` must be the command's real output
    lines = tr.TRAIN_EPILOG.splitlines()
    cmd = next(ln for ln in lines if ln.strip().startswith("$ dualnum train"))
    argv = cmd.split()[3:]
    shown = [ln.strip() for ln in lines[lines.index(cmd) + 1:] if ln.startswith("  ")]
    assert tr.main(argv) == 0
    printed = [ln.strip() for ln in capsys.readouterr().out.splitlines() if ln.strip()]
    assert printed == shown


# whole-program checks (subprocesses, sympy, full reports): CI runs them, the quick loop
# (pytest -m "not slow") leaves them out
pytestmark = pytest.mark.slow
