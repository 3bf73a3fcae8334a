"""Training demo: the XOR network and Rousseau's mixture network, gradients from the tape.

``python -m dualnum.models.train xor|mixture`` (or ``dualnum train xor|mixture``) trains with
``dn.value_and_grad`` (reverse mode) and the optimizers of ``models/optimizers.py``, prints one
progress line per epoch, and with ``--plot PATH`` saves the loss curve (matplotlib). It writes
no file unless asked, and a ``--plot`` it cannot write is exit status 2, found before training
where it can be (no matplotlib, a file type it cannot write, a missing or unwritable
directory) and after it otherwise.

* ``xor``: Lepetit's two-layer network ``h = tanh(Wx + b)``, ``o = W2 h + b2`` (2-4-1) with a
  logistic output and binary cross-entropy (Igel's matched pair), full batch, Adam (Igel's
  defaults except α = 0.05).
* ``mixture``: Rousseau's toy set (200 samples, 2 classes), one hidden layer of 50 tanh units
  and one logistic output (2·50 + 50 + 50 + 1 = 201 parameters: the notes' "~200 parameters"),
  binary cross-entropy, mini-batches of 20, SGD with learning rate 0.1 and momentum 0.9 in
  Rousseau's EMA form ``v = βv + (1−β)∇``.

>>> result = train("xor", epochs=5, verbose=False)
>>> len(result.losses)
5
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

import dualnum as dn

from .datasets import gaussian_mixture, xor
from .init import init_mlp
from .losses import binary_cross_entropy_with_logits
from .networks import lepetit_two_layer
from .optimizers import OPTIMIZERS, get_optimizer, minibatches

TASKS = {
    "xor": {"sizes": (2, 4, 1), "optimizer": "adam", "lr": 0.05, "momentum": 0.9,
            "epochs": 300, "batch_size": 4},
    "mixture": {"sizes": (2, 50, 1), "optimizer": "momentum", "lr": 0.1, "momentum": 0.9,
                "epochs": 60, "batch_size": 20},
}


@dataclass
class TrainResult:
    """Trained parameters and the per-epoch history (loss on the whole training set).

    >>> TrainResult("xor", {}, [0.7, 0.1]).losses[-1]
    0.1
    """

    task: str
    params: dict
    losses: list = field(default_factory=list)
    accuracies: list = field(default_factory=list)


def _init(sizes: Sequence[int], seed: int) -> dict:
    q = init_mlp(sizes, seed=seed)  # Xavier-uniform weights, zero biases
    return {"W": q["W1"], "b": q["b1"], "W2": q["W2"], "b2": q["b2"]}


def loss(params: dict, X: Any, y: Any) -> Any:
    """Mean binary cross-entropy of the logistic output ``σ(o)``, ``o = W2 tanh(WX + b) + b2``
    (Igel's matched pair: ``∂E/∂o = σ(o) − y``), computed stably from the logit ``o``.

    >>> p = {"W": np.zeros((1, 2)), "b": np.zeros(1), "W2": np.zeros((1, 1)), "b2": np.zeros(1)}
    >>> round(float(loss(p, np.ones((2, 2)), np.array([0.0, 1.0]))), 12)
    0.69314718056
    """
    logits = lepetit_two_layer(params, X, "tanh")[:, 0]
    return binary_cross_entropy_with_logits(logits, y) / X.shape[0]


def predict(params: dict, X: np.ndarray) -> np.ndarray:
    """Class 1 where the logit is positive (``σ(o) > ½``), else class 0.

    >>> p = {"W": np.zeros((1, 2)), "b": np.zeros(1), "W2": np.ones((1, 1)), "b2": np.ones(1)}
    >>> predict(p, np.zeros((2, 2))).tolist()
    [1.0, 1.0]
    """
    return (lepetit_two_layer(params, X, "tanh")[:, 0] > 0).astype(float)


def train(
    task: str,
    epochs: int | None = None,
    seed: int = 0,
    lr: float | None = None,
    optimizer: str | None = None,
    momentum: float | None = None,
    batch_size: int | None = None,
    verbose: bool = True,
    out: Any = None,
) -> TrainResult:
    """Train the ``"xor"`` or ``"mixture"`` network, gradients from ``dn.value_and_grad``.

    Unset arguments take the task's defaults (:data:`TASKS`). ``momentum`` is β for
    ``"momentum"`` (EMA form) and μ for ``"heavy_ball"``; other optimizers ignore it.

    >>> r = train("mixture", epochs=2, verbose=False); len(r.accuracies)
    2
    """
    if task not in TASKS:
        raise ValueError(f"train: unknown task {task!r}; expected one of {sorted(TASKS)}")
    cfg = dict(TASKS[task])
    for key, val in (("epochs", epochs), ("lr", lr), ("optimizer", optimizer),
                     ("momentum", momentum), ("batch_size", batch_size)):
        if val is not None:
            cfg[key] = val
    if cfg["epochs"] < 1 or cfg["batch_size"] < 1 or cfg["lr"] <= 0:
        raise ValueError("train: epochs and batch size must be >= 1 and the learning rate > 0")
    init_state, step = get_optimizer(cfg["optimizer"])
    hyper: dict = {"lr": cfg["lr"]}
    if cfg["optimizer"] == "momentum":
        hyper["beta"] = cfg["momentum"]
    elif cfg["optimizer"] == "heavy_ball":
        hyper["mu"] = cfg["momentum"]

    X, labels = xor() if task == "xor" else gaussian_mixture(seed=seed)
    targets = labels.astype(float)
    params = _init(cfg["sizes"], seed)
    value_and_grad = dn.value_and_grad(loss)
    state = init_state(params)
    out = sys.stdout if out is None else out
    result = TrainResult(task, params)
    n = X.shape[0]
    for epoch in range(1, cfg["epochs"] + 1):
        for batch in minibatches(n, cfg["batch_size"], seed=seed * 100003 + epoch):
            _, grads = value_and_grad(params, X[batch], targets[batch])
            params, state = step(params, grads, state, **hyper)
        result.losses.append(float(loss(params, X, targets)))
        result.accuracies.append(float(np.mean(predict(params, X) == labels)))
        if verbose:
            print(f"epoch {epoch:4d}/{cfg['epochs']}  loss {result.losses[-1]:.6f}  "
                  f"accuracy {100 * result.accuracies[-1]:6.2f}%", file=out)
    result.params = params
    return result


def save_loss_curve(result: TrainResult, path: str) -> bool:
    """Save the loss curve as a PNG if matplotlib is importable; returns whether it was saved.

    >>> isinstance(save_loss_curve(TrainResult("xor", {}, [1.0, 0.5]), "/nonexistent/x.png"),
    ...            bool)
    True
    """
    return _save_loss_curve(result, path) is None


def _save_loss_curve(result: TrainResult, path: str) -> str | None:
    """Draw and save the curve; ``None`` when saved, else why it was not (one line)."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return "matplotlib is not installed (pip install matplotlib)"
    fig, ax = plt.subplots(figsize=(5, 3.2))
    try:
        ax.plot(range(1, len(result.losses) + 1), result.losses)
        ax.set_xlabel("epoch")
        ax.set_ylabel("training loss")
        ax.set_yscale("log")
        ax.set_title(f"dualnum train {result.task}")
        fig.tight_layout()
        fig.savefig(path, dpi=120)
    except (OSError, ValueError) as err:  # unwritable path; format matplotlib cannot write
        return f"{path}: {getattr(err, 'strerror', None) or err}"
    finally:
        plt.close(fig)
    return None


def _plot_problem(path: str) -> str | None:
    """Why the loss curve could not be written to ``path`` (checked before training), or
    ``None``: matplotlib missing, a file type it cannot write, a path that is a directory or
    whose directory is missing, not a directory, or not writable."""
    if not path.strip():
        return "--plot '': empty file name"
    try:
        # imported here: matplotlib is an optional extra, asked for only by --plot
        from matplotlib.backend_bases import FigureCanvasBase
    except ImportError:
        return (f"--plot {path}: matplotlib is not installed (pip install matplotlib, or the "
                "plot extra)")
    if os.path.isdir(path):
        return f"--plot {path}: is a directory; give a file name"
    parent = os.path.dirname(os.path.abspath(path))
    if not os.path.exists(parent):
        return f"--plot {path}: directory {parent} does not exist"
    if not os.path.isdir(parent):
        return f"--plot {path}: {parent} is not a directory"
    if not os.access(parent, os.W_OK) or (os.path.exists(path) and not os.access(path, os.W_OK)):
        return f"--plot {path}: not writable"
    ext = os.path.splitext(path)[1][1:].lower()
    supported = FigureCanvasBase.get_supported_filetypes()
    if ext and ext not in supported:
        return (f"--plot {path}: matplotlib cannot write {ext!r} files; use one of "
                f"{', '.join(sorted(supported))}")
    return None


TRAIN_EPILOG = """example (XOR on Lepetit's 2-4-1 tanh network, Adam, three epochs):
  $ dualnum train xor --epochs 3
  epoch    1/3  loss 0.735683  accuracy  25.00%
  epoch    2/3  loss 0.708080  accuracy  50.00%
  epoch    3/3  loss 0.695352  accuracy  75.00%
  xor: final loss 0.695352, training accuracy 75.00%
the defaults train to the end: xor reaches 100 % accuracy, mixture (one hidden layer of
50 units, SGD lr 0.1, momentum 0.9, as in the notes) about 95 %.
--plot curve.png saves the loss curve (needs matplotlib); no file is written without it."""


def _add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("task", choices=sorted(TASKS), help="which network to train")
    p.add_argument("--epochs", type=int, default=None, help="number of epochs")
    p.add_argument("--seed", type=int, default=0, help="seed for data, init and shuffling")
    p.add_argument("--lr", type=float, default=None, help="learning rate")
    p.add_argument("--optimizer", choices=sorted(OPTIMIZERS), default=None)
    p.add_argument("--momentum", type=float, default=None, help="β (EMA) or μ (heavy ball)")
    p.add_argument("--batch-size", type=int, default=None)
    p.add_argument("--plot", default=None, metavar="PATH",
                   help="save the loss curve to PATH, type from the extension (needs "
                        "matplotlib); without it no file is written")
    p.add_argument("--no-plot", action="store_true",
                   help="no loss curve (the default; kept for scripts that pass it)")
    p.add_argument("--quiet", action="store_true", help="only print the summary")


def run(args: argparse.Namespace) -> int:
    """Run the demo from parsed arguments; returns the exit status (2 on bad arguments).

    >>> import argparse
    >>> p = argparse.ArgumentParser(); _add_arguments(p)
    >>> run(p.parse_args(["xor", "--epochs", "1", "--quiet"]))
    xor: final loss 0.735683, training accuracy 25.00%
    0
    """
    if args.plot is not None and args.no_plot:
        print("dualnum train: --plot and --no-plot contradict each other", file=sys.stderr)
        return 2
    path = args.plot
    problem = None if path is None else _plot_problem(path)
    if problem:
        print(f"dualnum train: {problem}", file=sys.stderr)
        return 2
    try:
        result = train(args.task, epochs=args.epochs, seed=args.seed, lr=args.lr,
                       optimizer=args.optimizer, momentum=args.momentum,
                       batch_size=args.batch_size, verbose=not args.quiet)
    except ValueError as err:
        print(f"dualnum train: {err}", file=sys.stderr)
        return 2
    print(f"{args.task}: final loss {result.losses[-1]:.6f}, "
          f"training accuracy {100 * result.accuracies[-1]:.2f}%")
    if path is not None:
        problem = _save_loss_curve(result, path)
        if problem is not None:
            print(f"dualnum train: --plot: loss curve not saved: {problem}", file=sys.stderr)
            return 2
        print(f"loss curve saved to {path}")
    return 0


def register(subparsers: Any) -> None:
    """Add the ``train`` subcommand to the ``dualnum`` CLI (entry point ``dualnum.commands``).

    >>> import argparse
    >>> parser = argparse.ArgumentParser(prog="dualnum"); register(parser.add_subparsers())
    >>> parser.parse_args(["train", "mixture", "--epochs", "3"]).epochs
    3
    """
    p = subparsers.add_parser("train", help="train the XOR or the mixture network (tape "
                              "gradients), one progress line per epoch",
                              description="Train the notes' XOR or mixture network.",
                              epilog=TRAIN_EPILOG,
                              formatter_class=argparse.RawDescriptionHelpFormatter)
    _add_arguments(p)
    p.set_defaults(func=run)


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m dualnum.models.train xor|mixture [options]``; returns the exit status.

    >>> main(["mixture", "--epochs", "2", "--quiet"])
    mixture: final loss ..., training accuracy ...%
    0
    """
    parser = argparse.ArgumentParser(prog="python -m dualnum.models.train",
                                     description="Train the notes' XOR or mixture network.",
                                     epilog=TRAIN_EPILOG,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    _add_arguments(parser)
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
