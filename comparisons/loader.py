"""Load the cases a user's file or module registers: ``dualnum compare my_model.py``.

Targets (anything else is a catalogue name or prefix):

* ``path/to/my_model.py`` — every case the file registers with ``dualnum.comparisons.case``;
* ``path/to/my_model.py::name`` — only the case called ``name``;
* ``package.module:name`` — import the module; the case called ``name`` (or the module
  attribute ``name``: a case, or a function registered as one); ``package.module:`` for all.

Loading **runs the file's code**, as ``python my_model.py`` would (with its folder first on
``sys.path``, so it can import its neighbours): that is the point, and it is why only files you
trust belong here. A file that does not exist, does not parse, raises while loading (an
exception or ``sys.exit``) or registers no case raises :class:`UserFileError`, one line naming
the file, the line and the exception — what ``dualnum compare`` prints before exiting with 2.

>>> is_target("my_model.py"), is_target("m.py::net"), is_target("pkg.mod:net")
(True, True, True)
>>> is_target("network."), is_target("lepetit-f")
(False, False)
>>> try:
...     load("no/such/file.py")
... except UserFileError as exc:
...     print(exc)
no/such/file.py: no such file
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from .user_cases import UserCase, collecting, registered

__all__ = ["UserFileError", "is_target", "load", "load_file", "load_module", "select_targets"]


class UserFileError(ValueError):
    """A user's file or module that cannot give cases (the message is one line)."""


_OWN = tuple(str(Path(p).resolve().parent) for p in (__file__,))


def is_target(arg: str) -> bool:
    """True for a file (``.py``, ``.py::name``) or module (``module:name``) target."""
    return arg.endswith(".py") or ".py::" in arg or ":" in arg


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _where(exc: BaseException, path: str | None) -> str:
    """``file, line N`` of the deepest frame in the user's file (else the deepest outside
    dualnum), for a one-line message."""
    tb, best, fallback = exc.__traceback__, None, None
    target = None if path is None else os.path.realpath(path)
    while tb is not None:
        name = tb.tb_frame.f_code.co_filename
        real = os.path.realpath(name)
        if target is not None and real == target:
            best = (name, tb.tb_lineno)
        elif not real.startswith(_OWN) and "importlib" not in name:
            fallback = (name, tb.tb_lineno)
        tb = tb.tb_next
    hit = best or fallback
    return f"{hit[0]}, line {hit[1]}" if hit else (path or "")


def _check_names(found: list, where: str) -> None:
    seen: dict = {}
    for c in found:
        if c.name in seen:
            raise UserFileError(f"{where}: two cases are named {c.name!r} (lines "
                                f"{seen[c.name].line} and {c.line}); give one a name=")
        seen[c.name] = c


def load_file(path: str) -> list[UserCase]:
    """Run the Python file ``path`` and return the cases it registers (in order)."""
    p = Path(path)
    if not p.is_file():
        raise UserFileError(f"{path}: no such file" if not p.exists() else
                            f"{path}: not a file")
    real = p.resolve()
    digest = hashlib.sha1(str(real).encode()).hexdigest()[:10]
    modname = f"dualnum_user_{''.join(ch if ch.isalnum() else '_' for ch in p.stem)}_{digest}"
    spec = importlib.util.spec_from_file_location(modname, real)
    if spec is None or spec.loader is None:
        raise UserFileError(f"{path}: cannot be loaded as a Python file")
    module = importlib.util.module_from_spec(spec)
    folder = str(real.parent)
    if folder not in sys.path:
        sys.path.insert(0, folder)  # kept: the cases' functions may import neighbours later
    sys.modules[modname] = module   # dataclasses and pickling look the module up by name
    try:
        with collecting() as found:
            spec.loader.exec_module(module)
    except SyntaxError as exc:
        sys.modules.pop(modname, None)
        raise UserFileError(f"{exc.filename or path}, line {exc.lineno}: SyntaxError: "
                            f"{exc.msg}") from None
    except (Exception, SystemExit) as exc:  # the user's code: anything it raises is reported
        sys.modules.pop(modname, None)
        raise UserFileError(f"{_where(exc, str(real))}: {_one_line(exc)} (while loading "
                            f"{path})") from None
    if not found:
        raise UserFileError(f"{path}: registers no case (add one with "
                            "dualnum.comparisons.case(f, at=params, hand=my_grad))")
    _check_names(found, path)
    return list(found)


def load_module(name: str) -> list[UserCase]:
    """Import module ``name`` (if not imported yet) and return the cases it registers."""
    if name in sys.modules:
        found = [c for c in registered() if getattr(c.f, "__module__", None) == name]
    else:
        try:
            with collecting() as found:
                importlib.import_module(name)
        except ImportError as exc:
            raise UserFileError(f"{name}: cannot import the module ({_one_line(exc)})") \
                from None
        except (Exception, SystemExit) as exc:
            raise UserFileError(f"{_where(exc, None)}: {_one_line(exc)} (while importing "
                                f"{name})") from None
    if not found:
        raise UserFileError(f"{name}: registers no case (add one with "
                            "dualnum.comparisons.case(f, at=params, hand=my_grad))")
    _check_names(found, name)
    return list(found)


def _pick(found: list, name: str, where: str, module=None) -> list[UserCase]:
    hits = [c for c in found if c.name == name]
    if not hits and module is not None:
        attr = getattr(module, name, None)
        hits = [c for c in found if c is attr or c.f is attr]
    if not hits:
        raise UserFileError(f"{where}: no case named {name!r} (its cases: "
                            f"{', '.join(c.name for c in found)})")
    return hits


def load(target: str) -> list[UserCase]:
    """The cases of one target (see the module docstring)."""
    if ".py::" in target:
        path, name = target.split(".py::", 1)
        return _pick(load_file(path + ".py"), name, path + ".py")
    if target.endswith(".py"):
        return load_file(target)
    module, _, name = target.partition(":")
    if not module:
        raise UserFileError(f"{target}: expected module:name (a module to import before ':')")
    found = load_module(module)
    return _pick(found, name, module, sys.modules.get(module)) if name else found


def select_targets(args: Sequence[str]) -> list:
    """The catalogue cases named in ``args`` and the user cases of the file and module
    targets, in the order given (no args: the whole catalogue).

    >>> [c.name for c in select_targets(["bradbury-chain"])]
    ['bradbury-chain']
    """
    from .cases import select  # the catalogue imports the models: only when a name asks for it

    catalogue_names = [a for a in args if not is_target(a)]
    user = [c for a in args if is_target(a) for c in load(a)]
    if user and not catalogue_names:
        return user
    return select(catalogue_names) + user
