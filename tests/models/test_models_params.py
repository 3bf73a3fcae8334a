"""models.params: the optimizers' and penalties' view of a parameter tree, on dualnum.tree.

Kept from the former models/_tree.py: every list is a node (a list of numbers is a list of
scalar parameters), list / tuple types survive, dict entries pair by key, and a tree of a
different structure is an error, not a silent zip."""

from __future__ import annotations

import numpy as np
import pytest

from dualnum.models import losses, optimizers
from dualnum.models.params import is_bias_key, keyed_leaves, tree_map, tree_map_with_key


def test_lists_of_numbers_are_lists_of_parameters():
    p, _ = optimizers.gd_step({"w": [1.0, 2.0]}, {"w": [10.0, 20.0]}, lr=0.1)
    assert p == {"w": [0.0, 0.0]}
    s = optimizers.adam_init({"w": [1.0, 2.0]})
    assert s["m"] == {"w": [0.0, 0.0]}
    assert losses.l2_penalty({"W": [3.0, 4.0], "b": [1.0]}, 0.5) == pytest.approx(12.5)


def test_structure_is_kept_and_dicts_pair_by_key():
    out = tree_map(lambda a, b: a + b, ([1.0], {"x": 1.0, "y": 2.0}),
                   ([2.0], {"y": 20.0, "x": 10.0}))
    assert out == ([3.0], {"x": 11.0, "y": 22.0})
    with pytest.raises(ValueError, match="expected a dict with keys"):
        optimizers.gd_step({"W": 1.0}, {"V": 1.0})
    with pytest.raises(ValueError, match="expected a list of 2 entries"):
        tree_map(lambda a, b: a, [1.0, 2.0], [1.0])


def test_nearest_dict_key_decides_weight_decay():
    params = {"W1": np.ones(2), "blocks": [np.ones(1)], "heads": [{"beta": 1.0, "A": 1.0}]}
    assert [k for k, _ in keyed_leaves(params)] == ["W1", "blocks", "beta", "A"]
    new, _ = optimizers.weight_decay_step(params, tree_map(lambda p: 0 * p, params), lr=0.1,
                                          lam=0.5, decay_biases=False)
    assert new["W1"].tolist() == [0.5, 0.5] and new["blocks"][0].tolist() == [1.0]
    assert new["heads"][0] == {"beta": 1.0, "A": 0.5}
    assert tree_map_with_key(lambda k, x: is_bias_key(k), params)["heads"][0]["beta"] is True
