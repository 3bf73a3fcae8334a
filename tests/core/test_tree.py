"""dualnum.tree, the only pytree module: paths, ravel/unravel, tree_map, and the conventions
models/ and comparisons/ rely on (lists as nodes with leaf_lists=False, dicts matched by key)."""
import collections
import gc
import sys
import weakref

import numpy as np
import pytest

import dualnum as dn
import dualnum.numpy as dnp
from dualnum import tree

TREE = {"W": np.arange(6.0).reshape(2, 3), "heads": [{"A": np.ones(2)}, {"A": 2.0}],
        "t": (3.0, [4.0, 5.0])}


def test_paths_name_every_leaf_in_flatten_order():
    pairs, spec = tree.flatten_with_path(TREE)
    assert [leaf for _, leaf in pairs] == tree.tree_leaves(TREE)
    keys = [tuple(e[0] for e in path) for path, _ in pairs]
    assert keys == [("W",), ("heads", 0, "A"), ("heads", 1, "A"), ("t", 0), ("t", 1)]
    assert isinstance(pairs[1][0][1], tree.SequenceKey) and isinstance(pairs[1][0][2], tree.DictKey)
    # a list of numbers: one leaf by default, two scalar leaves with leaf_lists=False
    keys = [tuple(e[0] for e in p) for p, _ in tree.flatten_with_path(TREE, leaf_lists=False)[0]]
    assert keys[-2:] == [("t", 1, 0), ("t", 1, 1)]


def test_ravel_and_unravel_round_trip_keeping_the_structure():
    vec, unravel = tree.ravel(TREE, leaf_lists=False)
    assert vec.dtype == np.float64 and vec.tolist() == [0, 1, 2, 3, 4, 5, 1, 1, 2, 3, 4, 5]
    back = unravel(vec)
    assert type(back["heads"]) is list and type(back["t"]) is tuple and type(back["t"][1]) is list
    np.testing.assert_array_equal(back["W"], TREE["W"])
    assert back["t"][1] == [4.0, 5.0]
    with pytest.raises(ValueError, match="expected a vector of 12 entries, got shape \\(11,\\)"):
        unravel(vec[:-1])


def test_unravel_runs_inside_a_derivative():
    vec, unravel = tree.ravel(TREE)

    def f(v):
        p = unravel(v)
        return dnp.sum(p["W"] ** 2) + p["heads"][1]["A"] * dnp.sum(p["t"][1])

    g = dn.grad(f)(vec)
    g_fwd = dn.jacfwd(f)(vec)
    want = np.concatenate([2 * TREE["W"].ravel(), [0.0, 0.0], [9.0], [0.0], [2.0, 2.0]])
    np.testing.assert_allclose(g, want, rtol=1e-15)
    np.testing.assert_allclose(g_fwd, want, rtol=1e-15)


def test_ravel_refuses_what_is_not_numbers_naming_the_leaf():
    with pytest.raises(TypeError, match=r"ravel: the leaf at tree\['b'\]\[1\].*bool"):
        tree.ravel({"a": 1.0, "b": [2.0, True]})


def test_unravel_results_are_freed_by_reference_counting_alone():
    vec, unravel = tree.ravel({"W": np.zeros((20, 30)), "b": np.zeros(30)})
    was = gc.isenabled()
    gc.disable()
    try:
        out = unravel(vec + 1.0)
        ref = weakref.ref(out["W"].base if out["W"].base is not None else out["W"])
        del out
        assert ref() is None
    finally:
        if was:
            gc.enable()


def test_tree_map_matches_dicts_by_key_and_names_a_mismatch():
    out = tree.tree_map(lambda a, b: a - b, {"x": 1.0, "y": 2.0}, {"y": 20.0, "x": 10.0})
    assert out == {"x": -9.0, "y": -18.0}
    with pytest.raises(ValueError, match="tree_map: tree 1: expected a dict with keys"):
        tree.tree_map(lambda a, b: a, {"x": 1.0}, {"z": 1.0})
    with pytest.raises(ValueError, match=r"tree 1\['x'\]: expected a list of 2 entries"):
        tree.tree_map(lambda a, b: a, {"x": [1.0, 2.0]}, {"x": [1.0]}, leaf_lists=False)


def test_deep_trees_stay_below_the_recursion_limit():
    # twice as deep as the recursion limit, one leaf at the bottom (every leaf carries
    # its whole path, so a deep tree with a leaf per level would cost depth² memory)
    depth = 2 * sys.getrecursionlimit()
    deep = 1.0
    for i in range(depth):
        deep = {"a": deep} if i % 2 else [deep]
    (path, leaf), = tree.flatten_with_path(deep, leaf_lists=False)[0]
    assert leaf == 1.0 and len(path) == depth
    vec, unravel = tree.ravel(deep, leaf_lists=False)
    assert vec.tolist() == [1.0]
    doubled = tree.tree_map(lambda x: 2 * x, unravel(vec + 1), leaf_lists=False)
    assert tree.tree_leaves(doubled, leaf_lists=False) == [4.0]
    numbers = 1.0
    for _ in range(depth):
        numbers = [numbers, 2.0]
    assert tree.flatten(numbers)[0] == [numbers]      # numbers all the way down: one leaf


Point = collections.namedtuple("Point", "x y")


def test_namedtuples_are_nodes_rebuilt_as_their_class():
    t = {"p": Point(x=1.0, y=[2.0, 3.0]), "q": (4.0,)}
    pairs, spec = tree.flatten_with_path(t)
    assert [leaf for _, leaf in pairs] == [1.0, [2.0, 3.0], 4.0]
    assert [tuple(e[0] for e in path) for path, _ in pairs] == [("p", "x"), ("p", "y"), ("q", 0)]
    assert isinstance(pairs[0][0][1], tree.GetAttrKey)
    assert repr(spec) == "{'p': Point(x=*, y=*), 'q': (*)}"
    back = tree.tree_map(lambda a: np.asarray(a) * 10, t)
    assert type(back["p"]) is Point and back["p"].x == 10.0
    with pytest.raises(ValueError, match=r"tree 1\['p'\]: expected a Point \(a namedtuple\), "
                                         "got tuple"):
        tree.tree_map(lambda a, b: a, t, {"p": (1.0, 2.0), "q": (4.0,)})
    with pytest.raises(TypeError, match=r"ravel: the leaf at tree\['p'\]\.y.*bool"):
        tree.ravel({"p": Point(x=1.0, y=True)})
    vec, unravel = dn.ravel_pytree(t)
    assert vec.tolist() == [1.0, 2.0, 3.0, 4.0] and type(unravel(vec)["p"]) is Point
