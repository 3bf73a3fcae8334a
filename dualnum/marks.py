"""``dn.mark(name, value)``: name an intermediate value so a check can look at it.

Outside a check ``mark`` returns its argument and does nothing else, so a model can keep its
marks in production code. A checker (``dualnum.comparisons`` compares a hand-written
backprop's deltas with reverse mode's adjoints of the marked values) runs the function inside
:func:`recording`, and every ``mark`` call then goes through the checker's recorder, which
sees the name and the value (a tape variable, a dual, a number) and returns the value to use.

>>> import dualnum as dn
>>> dn.mark("a2", 3.0)
3.0
>>> seen = []
>>> with recording(lambda name, value: seen.append((name, value)) or value):
...     y = dn.mark("z1", 2.0) * 5.0
>>> y, seen
(10.0, [('z1', 2.0)])
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

__all__ = ["mark", "recording"]

# the recorders of the checks in progress, innermost last (a check inside a check is allowed)
_RECORDERS: list[Callable[[str, Any], Any]] = []


def mark(name: str, value: Any) -> Any:
    """Return ``value``; inside a check, also show it to the check under ``name``.

    >>> import numpy as np
    >>> mark("z1", np.ones(2))
    array([1., 1.])
    """
    if not _RECORDERS:
        return value
    if not isinstance(name, str) or not name:
        raise TypeError(f"dn.mark: the name must be a non-empty str, got {name!r}")
    return _RECORDERS[-1](name, value)


@contextmanager
def recording(recorder: Callable[[str, Any], Any]) -> Iterator[None]:
    """While the block runs, ``mark(name, value)`` returns ``recorder(name, value)``.

    >>> with recording(lambda name, value: value + 1.0):
    ...     mark("x", 1.0)
    2.0
    >>> mark("x", 1.0)
    1.0
    """
    _RECORDERS.append(recorder)
    try:
        yield
    finally:
        _RECORDERS.pop()
