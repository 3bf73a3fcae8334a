"""Work the command line must not hang on: run it in a child process that can be stopped, and
say what is running once it takes more than a second.

sympy offers no way to stop ``simplify`` or ``diff`` part-way, and an exception raised into it
from a signal handler can be swallowed by its own ``except`` clauses. A child process can
always be stopped: :func:`run_streaming` forks one, which sends each result back as soon as it
has it, and is terminated at the deadline; what arrived by then is kept. Where ``fork`` is not
available (Windows; macOS, where forking a process that loaded numpy is unsafe) the work runs
in this process, bounded by its own size budgets only.

:class:`Progress` writes ``dualnum diff: sympy: simplifying the formulas… (2 s)`` on a
terminal's stderr once the work has taken a second, rewritten in place and cleared when the
work is done; nothing when the work is quick, nor into a pipe or a log.

>>> def work(send):
...     send("__stage__", "adding")
...     send("sum", 1 + 2)
>>> run_streaming(work, timeout=30.0)
({'sum': 3}, True)
"""

from __future__ import annotations

import multiprocessing
import sys
import time
from collections.abc import Callable
from typing import Any, TextIO

__all__ = ["Progress", "run_streaming", "can_stop"]

#: how often the parent looks at the clock and the progress line while the child works
_POLL = 0.1


class Progress:
    """A progress line for work that may be slow; silent for the first ``after`` seconds.

    >>> import io
    >>> class Terminal(io.StringIO):
    ...     def isatty(self):
    ...         return True
    >>> p = Progress("dualnum diff", Terminal(), after=0.0)
    >>> p.stage("central differences")
    >>> p.stream.getvalue().startswith("\\r\\x1b[Kdualnum diff: central differences… (")
    True
    """

    def __init__(self, prog: str, stream: TextIO | None = None, after: float = 1.0):
        self.prog = prog
        self.stream = sys.stderr if stream is None else stream
        # a terminal only: a pipe or a log gets the result and the errors, not the progress
        tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self.after = after if tty else float("inf")
        self.start = time.monotonic()
        self.current: str | None = None
        self.shown: str | None = None
        self.last = 0.0

    def stage(self, what: str) -> None:
        """Say that ``what`` is now running (shown once the work has taken ``after`` s)."""
        self.current = what
        self.tick()

    def tick(self) -> None:
        elapsed = time.monotonic() - self.start
        if self.current is None or elapsed < self.after:
            return
        if self.current != self.shown or elapsed - self.last >= 1.0:
            self.stream.write(f"\r\033[K{self.prog}: {self.current}… ({elapsed:.0f} s)")
            self.stream.flush()
            self.shown, self.last = self.current, elapsed

    def done(self) -> None:
        """Clear the progress line (the output that follows starts on a clean line)."""
        if self.shown is not None:
            self.stream.write("\r\033[K")
            self.stream.flush()


def can_stop() -> bool:
    """Whether work can run in a child process that a deadline stops (Linux's ``fork``)."""
    return sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods()


def _child(work: Callable, conn: Any) -> None:
    try:
        work(lambda key, value: conn.send((key, value)))
        conn.send(("__done__", None))
    except BaseException as exc:  # noqa: BLE001 - reported to the parent, which decides
        try:
            conn.send(("__error__", f"{type(exc).__name__}: {exc}"))
        except Exception:  # the pipe itself failed: the parent sees the child end
            pass
    finally:
        conn.close()


def run_streaming(work: Callable[[Callable[[str, Any], None]], None], timeout: float,
                  progress: Progress | None = None) -> tuple[dict, bool]:
    """Run ``work(send)``, which calls ``send(key, value)`` for each result (and
    ``send("__stage__", text)`` to name what it does next), for at most ``timeout`` seconds.

    Returns ``(results, finished)``: every result sent before the deadline, and whether the
    work ended by itself. A failure in the work is the result ``"__error__"`` (its type and
    message). Without :func:`can_stop` the work runs here, to its end.
    """
    results: dict = {}

    def keep(key: str, value: Any) -> None:
        if key == "__stage__":
            if progress is not None:
                progress.stage(value)
        else:
            results[key] = value

    if not can_stop():
        try:
            work(keep)
        except Exception as exc:  # noqa: BLE001 - the same contract as in the child
            results["__error__"] = f"{type(exc).__name__}: {exc}"
        return results, True
    ctx = multiprocessing.get_context("fork")
    receive, send = ctx.Pipe(duplex=False)
    child = ctx.Process(target=_child, args=(work, send), daemon=True)
    child.start()
    send.close()
    deadline = time.monotonic() + timeout
    finished = False
    try:
        while not finished:
            left = deadline - time.monotonic()
            if left <= 0:
                break
            if receive.poll(min(_POLL, left)):
                try:
                    key, value = receive.recv()
                except EOFError:        # the child ended without a word (killed, crashed)
                    results.setdefault("__error__", f"the worker ended (exit code "
                                                    f"{child.exitcode})")
                    break
                if key in ("__done__", "__error__"):
                    finished = True
                keep(key, value) if key != "__done__" else None
            if progress is not None:
                progress.tick()
    finally:
        if child.is_alive():
            child.terminate()
            child.join(1.0)
            if child.is_alive():
                child.kill()
        child.join()
        receive.close()
    return results, finished
