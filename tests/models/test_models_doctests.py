"""The docstring examples of every ``dualnum.models`` module run and hold."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import dualnum.models

MODULES = sorted(m.name for m in pkgutil.iter_modules(dualnum.models.__path__))


@pytest.mark.parametrize("name", [""] + MODULES)
def test_docstring_examples(name):
    module = importlib.import_module("dualnum.models" + (f".{name}" if name else ""))
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
    assert result.attempted > 0 or name == "__main__"
