"""dualnum.numpy against numpy, name by name: every public name gives numpy's value (or
scipy.special's, or a closed form where numpy has none) on 0-D to 3-D inputs, with default and
non-default keyword arguments, on plain values and on the primal of a Dual and the value of a
tape variable.

The cases stand in one file per group of names (test_numpy_values_elementwise.py, _reductions,
_shapes, _products, _indexing, _statistics, _creation; what they share: numpy_value_cases.py).
Together they must cover every name of ``dnp.__all__``, each name in one file: a new name fails
``test_every_name_has_value_cases`` until it gets cases. References are numpy's (never
dualnum's own output). Here: that coverage, and the errors dnp raises where numpy does.
"""
from __future__ import annotations

import numpy as np
import pytest

import dualnum.numpy as dnp

from . import (
    test_numpy_values_creation, test_numpy_values_elementwise, test_numpy_values_indexing,
    test_numpy_values_products, test_numpy_values_reductions, test_numpy_values_shapes,
    test_numpy_values_statistics,
)

GROUPS = (test_numpy_values_elementwise, test_numpy_values_reductions, test_numpy_values_shapes,
          test_numpy_values_products, test_numpy_values_indexing, test_numpy_values_statistics,
          test_numpy_values_creation)


def test_every_name_has_value_cases():
    names = {n for g in GROUPS for n in g.CASES}
    twice = sorted(n for n in names if sum(n in g.CASES for g in GROUPS) > 1)
    assert not twice, f"names with cases in more than one test_numpy_values_*.py: {twice}"
    missing = sorted(set(dnp.__all__) - names)
    assert not missing, f"dnp names without value cases in test_numpy_values_*.py: {missing}"
    unknown = sorted(names - set(dnp.__all__))
    assert not unknown, f"cases for names dnp does not export: {unknown}"


@pytest.mark.parametrize("call, err, match", [
    (lambda: dnp.expand_dims(np.zeros(3), (0, 0)), ValueError, r"repeated axis.*\(0, 0\)"),
    (lambda: dnp.expand_dims(np.zeros(3), (2, -1)), ValueError, r"repeated axis"),
    (lambda: dnp.expand_dims(np.zeros(3), 2), np.exceptions.AxisError, r"axis 2 .*dimension 2"),
    (lambda: dnp.expand_dims(np.zeros(3), -3), ValueError, r"axis -3 .*dimension 2"),
    (lambda: dnp.moveaxis(np.zeros((2, 3)), (0, 1), (0,)), ValueError,
     r"same number of elements"),
    (lambda: dnp.moveaxis(np.zeros((2, 3)), (0, 0), (0, 1)), ValueError,
     r"repeated axis in `source`"),
    (lambda: dnp.moveaxis(np.zeros((2, 3)), 0, 5), np.exceptions.AxisError, r"destination"),
    (lambda: dnp.swapaxes(np.zeros((2, 3)), 0, 2), IndexError, r"axis 2 in `axis2`"),
    (lambda: dnp.squeeze(np.zeros((1, 3)), 1), ValueError, r"axis 1, of length 3"),
    (lambda: dnp.squeeze(np.zeros((1, 3)), (0, 0)), ValueError, r"repeated"),
    (lambda: dnp.flip(np.zeros((2, 3)), (0, 0)), ValueError, r"repeated"),
    (lambda: dnp.transpose(np.zeros((2, 3)), (0,)), ValueError, r"don't match"),
    (lambda: dnp.trace(np.zeros(3)), ValueError, r"at least two dimensions"),
    (lambda: dnp.trace(np.zeros((2, 2)), axis1=1, axis2=-1), ValueError, r"cannot be the same"),
    (lambda: dnp.diag(np.zeros((2, 2, 2))), ValueError, r"1- or 2-d"),
    (lambda: dnp.tensordot(np.zeros(2), np.zeros(3), axes=([0], [0])), ValueError,
     r"does not match"),
    (lambda: dnp.tensordot(np.zeros((2, 3)), np.zeros(3), axes=([0, 1], [0])), ValueError,
     r"shape-mismatch"),
    (lambda: dnp.where([True], 1.0), ValueError, r"both x and y"),
    (lambda: dnp.linspace(0.0, 1.0, -1), ValueError, r"non-negative"),
    (lambda: dnp.norm(np.zeros((2, 2)), ord=3), ValueError, r"invalid norm order"),
    (lambda: dnp.norm(np.zeros(2), ord="fro", axis=0), ValueError, r"invalid norm order"),
    (lambda: dnp.norm(np.zeros((2, 2, 2)), ord=1), ValueError, r"1-D or 2-D"),
    (lambda: dnp.pad(np.zeros(2), 1, mode="mean"), ValueError, r"no derivative rule"),
    (lambda: dnp.cumsum(np.zeros((2, 3)), axis=2), ValueError, r"axis 2"),
])
def test_errors_like_numpys(call, err, match):
    with pytest.raises(err, match=match):
        call()
