"""dualnum.numpy against numpy, name by name: sorting and order statistics (sort, argsort,
partition, median, quantile, percentile: ``dualnum/numpy/_sorting.py``; ties and nan
included), differences and running products (diff, gradient, cumprod: ``_sequences.py``) and
averages (average, nansum, nanmean: ``_averages.py``). How a case is checked:
numpy_value_cases.py."""
from __future__ import annotations

import numpy as np
import pytest

import dualnum.numpy as dnp

from .numpy_value_cases import SHAPES, ValueCases, axis_choices
from .numpy_value_cases import X3 as _X3
from .numpy_value_cases import Z as _Z

T = ValueCases(seed=1015)
CASES, case, u, inputs, RNG = T.cases, T.case, T.u, T.inputs, T.rng


# sorting and order statistics; ties and nan included
_TIES = np.array([[2.0, 1.0, 2.0, 0.5], [3.0, 3.0, -1.0, 3.0], [0.0, np.nan, 1.0, -2.0]])
for _shape in SHAPES:
    for _lab, _x in inputs(_shape):
        _nd = len(_shape)
        for _ax in ([-1, None] + list(range(_nd)) if _nd else [-1, None, 0]):
            case("sort", f"{_lab},axis={_ax}", lambda x, a=_ax: dnp.sort(x, axis=a),
                 lambda x, a=_ax: np.sort(x, axis=a), _x)
            case("argsort", f"{_lab},axis={_ax}", lambda x, a=_ax: dnp.argsort(x, axis=a),
                 lambda x, a=_ax: np.argsort(x, axis=a, kind="stable"), _x, mode="box")
            if _nd:
                _n = _shape[-1 if _ax is None else _ax] if _ax is not None else int(np.prod(_shape))
                for _k in sorted({0, _n // 2, _n - 1, -1}):
                    case("partition", f"{_lab},axis={_ax},kth={_k}",
                         lambda x, a=_ax, k=_k: dnp.partition(x, k, axis=a),
                         lambda x, a=_ax, k=_k: np.partition(x, k, axis=a), _x)
        for _ax in axis_choices(_nd):
            if _ax == ():
                continue
            for _keep in (False, True):
                case("median", f"{_lab},axis={_ax},keepdims={_keep}",
                     lambda x, a=_ax, k=_keep: dnp.median(x, axis=a, keepdims=k),
                     lambda x, a=_ax, k=_keep: np.median(x, axis=a, keepdims=k), _x)
                for _q in (0.3, [0.0, 0.5, 1.0], np.array([[0.1, 0.9], [0.25, 0.75]])):
                    case("quantile", f"{_lab},axis={_ax},keepdims={_keep},q={_q}",
                         lambda x, a=_ax, k=_keep, q=_q: dnp.quantile(x, q, a, keepdims=k),
                         lambda x, a=_ax, k=_keep, q=_q: np.quantile(x, q, a, keepdims=k), _x)
                case("percentile", f"{_lab},axis={_ax},keepdims={_keep}",
                     lambda x, a=_ax, k=_keep: dnp.percentile(x, [10, 62.5], axis=a, keepdims=k),
                     lambda x, a=_ax, k=_keep: np.percentile(x, [10, 62.5], axis=a, keepdims=k),
                     _x)
case("sort", "ties and nan", lambda x: dnp.sort(x, axis=1), lambda x: np.sort(x, axis=1), _TIES)
case("sort", "kind", lambda x: dnp.sort(x, kind="quicksort", stable=True),
     lambda x: np.sort(x, kind="quicksort"), _TIES)
case("sort", "complex", dnp.sort, np.sort, _Z)
case("sort", "list", dnp.sort, np.sort, [3.0, 1.0, 2.0], mode="plain")
case("sort", "empty", dnp.sort, np.sort, np.zeros((2, 0)))
case("argsort", "ties and nan", lambda x: dnp.argsort(x, axis=0, stable=True),
     lambda x: np.argsort(x, axis=0, stable=True), _TIES, mode="box")
case("argsort", "list of boxes", lambda x: dnp.argsort([x, 0.5 * x]),
     lambda x: np.argsort([x, 0.5 * x]), u((3,)), mode="box")
case("partition", "kth list", lambda x: dnp.partition(x, [0, 2], axis=0),
     lambda x: np.partition(x, [0, 2], axis=0), _TIES)
case("partition", "ties and nan", lambda x: dnp.partition(x, 1), lambda x: np.partition(x, 1),
     _TIES)
case("partition", "kth out of range", lambda x: dnp.partition(x, 4),
     lambda x: np.partition(x, 4), u((4,)))
case("median", "ties and nan", lambda x: dnp.median(x, axis=1), lambda x: np.median(x, axis=1),
     _TIES)
case("median", "nan all", dnp.median, np.median, _TIES)
case("median", "empty", dnp.median, np.median, np.zeros(0), mode="box")
case("median", "complex", dnp.median, np.median, _Z)
case("median", "list", dnp.median, np.median, [[1.0, 5.0], [2.0, 3.0]], mode="plain")
_Q = u((5, 6), -3.0, 3.0)
_Q[0, 1] = _Q[0, 4]     # a tie
# numpy 2.0 gives other closest_observation values (numpy 2.1 changed that method's rounding,
# and dnp follows numpy >= 2.1): on the oldest numpy CI runs that method is left out here
_METHODS = ("linear", "lower", "higher", "nearest", "midpoint", "inverted_cdf",
            "averaged_inverted_cdf", "closest_observation", "interpolated_inverted_cdf",
            "hazen", "weibull", "median_unbiased", "normal_unbiased")
if np.lib.NumpyVersion(np.__version__) < "2.1.0":
    _METHODS = tuple(m for m in _METHODS if m != "closest_observation")
for _m in _METHODS:
    for _q in (0.0, 0.1, 0.5, 0.55, 1.0, [0.2, 0.4, 0.6, 0.8, 1 / 3]):
        for _ax in (None, 1, (0, 1)):
            case("quantile", f"method={_m},q={_q},axis={_ax}",
                 lambda x, m=_m, q=_q, a=_ax: dnp.quantile(x, q, axis=a, method=m),
                 lambda x, m=_m, q=_q, a=_ax: np.quantile(x, q, axis=a, method=m), _Q)
    case("percentile", f"method={_m}", lambda x, m=_m: dnp.percentile(x, [5, 50, 95], 0, method=m),
         lambda x, m=_m: np.percentile(x, [5, 50, 95], 0, method=m), _Q)
case("quantile", "ties and nan", lambda x: dnp.quantile(x, 0.4, axis=1),
     lambda x: np.quantile(x, 0.4, axis=1), _TIES)
case("quantile", "q out of range", lambda x: dnp.quantile(x, 1.5), lambda x: np.quantile(x, 1.5),
     u((4,)))
case("quantile", "bad method", lambda x: dnp.quantile(x, 0.5, method="cubic"),
     lambda x: np.quantile(x, 0.5, method="cubic"), u((4,)))
case("quantile", "empty", lambda x: dnp.quantile(x, 0.5), lambda x: np.quantile(x, 0.5),
     np.zeros(0), mode="box")
case("quantile", "3-D q", lambda x: dnp.quantile(x, np.full((2, 2, 2), 0.5)),
     lambda x: np.quantile(x, np.full((2, 2, 2), 0.5)), u((4,)))
case("quantile", "boxed q", lambda q: dnp.quantile(_Q, q, axis=0),
     lambda q: np.quantile(_Q, q, axis=0), np.array([0.05, 0.5, 0.83]))
case("quantile", "int q", lambda x: dnp.quantile(x, 1), lambda x: np.quantile(x, 1), u((5,)))
case("percentile", "out of range", lambda x: dnp.percentile(x, -1.0),
     lambda x: np.percentile(x, -1.0), u((4,)))
case("percentile", "boxed q", lambda q: dnp.percentile(_Q, q, axis=1),
     lambda q: np.percentile(_Q, q, axis=1), 37.5)
case("percentile", "list", dnp.percentile, np.percentile, [1.0, 3.0, 2.0], 50, mode="plain")

# differences, gradients, running products, averages
for _shape in SHAPES[1:]:
    for _lab, _x in inputs(_shape):
        for _ax in range(-len(_shape), len(_shape)):
            for _n in (0, 1, 2, 3):
                case("diff", f"{_lab},n={_n},axis={_ax}",
                     lambda x, n=_n, a=_ax: dnp.diff(x, n, a),
                     lambda x, n=_n, a=_ax: np.diff(x, n, a), _x)
            case("cumprod", f"{_lab},axis={_ax}", lambda x, a=_ax: dnp.cumprod(x, axis=a),
                 lambda x, a=_ax: np.cumprod(x, axis=a), _x)
            for _e in (1, 2):
                if _shape[_ax] > _e:
                    case("gradient", f"{_lab},axis={_ax},edge_order={_e}",
                         lambda x, a=_ax, e=_e: dnp.gradient(x, axis=a, edge_order=e),
                         lambda x, a=_ax, e=_e: np.gradient(x, axis=a, edge_order=e), _x)
                    _coords = np.cumsum(RNG.uniform(0.5, 1.5, size=_shape[_ax]))
                    case("gradient", f"{_lab},axis={_ax},edge_order={_e},coordinates",
                         lambda x, a=_ax, e=_e, c=_coords: dnp.gradient(x, c, axis=a, edge_order=e),
                         lambda x, a=_ax, e=_e, c=_coords: np.gradient(x, c, axis=a, edge_order=e),
                         _x)
        case("cumprod", f"{_lab},default", dnp.cumprod, np.cumprod, _x)
        case("gradient", f"{_lab},all axes", dnp.gradient, np.gradient, _x, mode="box")
        case("gradient", f"{_lab},spacing 0.5", lambda x: dnp.gradient(x, 0.5),
             lambda x: np.gradient(x, 0.5), _x, mode="box")
        for _ax in axis_choices(len(_shape)):
            if _ax == ():
                continue
            for _keep in (False, True):
                case("average", f"{_lab},axis={_ax},keepdims={_keep}",
                     lambda x, a=_ax, k=_keep: dnp.average(x, axis=a, keepdims=k),
                     lambda x, a=_ax, k=_keep: np.average(x, axis=a, keepdims=k), _x)
                for _name in ("nansum", "nanmean"):
                    case(_name, f"{_lab},axis={_ax},keepdims={_keep}",
                         lambda x, a=_ax, k=_keep, n=_name: getattr(dnp, n)(x, axis=a, keepdims=k),
                         lambda x, a=_ax, k=_keep, n=_name: getattr(np, n)(x, axis=a, keepdims=k),
                         _x)
            _w = u(_shape, 0.5, 1.5)
            case("average", f"{_lab},axis={_ax},weights full",
                 lambda x, a=_ax, w=_w: dnp.average(x, axis=a, weights=w),
                 lambda x, a=_ax, w=_w: np.average(x, axis=a, weights=w), _x)
case("diff", "prepend append", lambda x: dnp.diff(x, prepend=0.0, append=[[9.0], [8.0], [7.0]]),
     lambda x: np.diff(x, prepend=0.0, append=[[9.0], [8.0], [7.0]]), u((3, 4)))
case("diff", "boxed append", lambda b: dnp.diff(_X3, axis=1, append=b),
     lambda b: np.diff(_X3, axis=1, append=b), u((2, 1, 4)))
case("diff", "n beyond the length", lambda x: dnp.diff(x, 5), lambda x: np.diff(x, 5), u((3,)))
case("diff", "0-D", dnp.diff, np.diff, 1.5, mode="box")
case("diff", "0-D n=0", lambda x: dnp.diff(x, 0), lambda x: np.diff(x, 0), 1.5)
case("diff", "negative n", lambda x: dnp.diff(x, -1), lambda x: np.diff(x, -1), u((3,)),
     mode="box")
case("diff", "list", dnp.diff, np.diff, [1.0, 4.0, 2.0], mode="plain")
case("cumprod", "zeros", lambda x: dnp.cumprod(x, 1), lambda x: np.cumprod(x, 1),
     np.array([[2.0, 0.0, 3.0, 4.0], [0.0, 0.0, 1.5, -2.0]]))
case("cumprod", "0-D axis 0", lambda x: dnp.cumprod(x, axis=0), lambda x: np.cumprod(x, axis=0),
     2.5)
case("cumprod", "long", lambda x: dnp.cumprod(x), lambda x: np.cumprod(x), u((300,), 0.9, 1.1))
case("cumprod", "complex", dnp.cumprod, np.cumprod, _Z)
case("cumprod", "list", dnp.cumprod, np.cumprod, [[1.0, 2.0], [3.0, 4.0]], mode="plain")
_G = u((4, 5))
case("gradient", "two spacings", lambda x: dnp.gradient(x, 2.0, [0.0, 1.0, 1.5, 3.5, 4.0]),
     lambda x: np.gradient(x, 2.0, [0.0, 1.0, 1.5, 3.5, 4.0]), _G, mode="box")
case("gradient", "axis tuple", lambda x: dnp.gradient(x, axis=(1, 0), edge_order=2),
     lambda x: np.gradient(x, axis=(1, 0), edge_order=2), _G, mode="box")
case("gradient", "uniform coordinates", lambda x: dnp.gradient(x, np.arange(5) * 0.5, axis=-1),
     lambda x: np.gradient(x, np.arange(5) * 0.5, axis=-1), _G)
case("gradient", "boxed spacing", lambda h: dnp.gradient(_G, h, axis=1),
     lambda h: np.gradient(_G, h, axis=1), 0.25)
case("gradient", "boxed coordinates", lambda c: dnp.gradient(_G, c, axis=0, edge_order=2),
     lambda c: np.gradient(_G, c, axis=0, edge_order=2), np.array([0.0, 0.5, 1.75, 2.0]))
case("gradient", "too short", lambda x: dnp.gradient(x, edge_order=2),
     lambda x: np.gradient(x, edge_order=2), u((2,)), mode="box")
case("gradient", "edge_order 3", lambda x: dnp.gradient(x, edge_order=3),
     lambda x: np.gradient(x, edge_order=3), u((5,)), mode="box")
case("gradient", "spacing count", lambda x: dnp.gradient(x, 1.0, 2.0, 3.0),
     lambda x: np.gradient(x, 1.0, 2.0, 3.0), _G, mode="box")
case("gradient", "coordinates length", lambda x: dnp.gradient(x, [0.0, 1.0], axis=0),
     lambda x: np.gradient(x, [0.0, 1.0], axis=0), _G, mode="box")
case("gradient", "list", dnp.gradient, np.gradient, [1.0, 4.0, 9.0], mode="plain")
_A3 = u((2, 3, 4))
for _ax, _w in ((1, u((3,), 0.5, 1.5)), (-1, u((4,), 0.5, 1.5)), ((0, 2), u((2, 4), 0.5, 1.5)),
                ((2, 0), u((4, 2), 0.5, 1.5))):
    for _keep in (False, True):
        case("average", f"axis={_ax},1-D weights,keepdims={_keep}",
             lambda x, a=_ax, w=_w, k=_keep: dnp.average(x, a, w, keepdims=k),
             lambda x, a=_ax, w=_w, k=_keep: np.average(x, a, w, keepdims=k), _A3)
    case("average", f"axis={_ax},returned",
         lambda x, a=_ax, w=_w: dnp.average(x, a, w, returned=True),
         lambda x, a=_ax, w=_w: np.average(x, a, w, returned=True), _A3, mode="box")
    case("average", f"axis={_ax},boxed weights", lambda w, a=_ax: dnp.average(_A3, a, w),
         lambda w, a=_ax: np.average(_A3, a, w), _w)
case("average", "returned, no weights", lambda x: dnp.average(x, 0, returned=True),
     lambda x: np.average(x, 0, returned=True), _A3, mode="box")
case("average", "no axis for 1-D weights", lambda x: dnp.average(x, weights=[1.0, 2.0, 3.0]),
     lambda x: np.average(x, weights=[1.0, 2.0, 3.0]), u((2, 3)), mode="box")
case("average", "wrong weights", lambda x: dnp.average(x, 1, [1.0, 2.0]),
     lambda x: np.average(x, 1, [1.0, 2.0]), u((2, 3)), mode="box")
case("average", "list", dnp.average, np.average, [1.0, 2.0, 4.0], mode="plain")
for _name in ("nansum", "nanmean"):
    case(_name, "nan", lambda x, n=_name: getattr(dnp, n)(x, axis=1),
         lambda x, n=_name: getattr(np, n)(x, axis=1), _TIES)
    case(_name, "all nan slice", lambda x, n=_name: getattr(dnp, n)(x, axis=0),
         lambda x, n=_name: getattr(np, n)(x, axis=0), np.array([[np.nan, 1.0], [np.nan, 2.0]]))
    case(_name, "list", getattr(dnp, _name), getattr(np, _name), [1.0, float("nan")],
         mode="plain")


@pytest.mark.parametrize("name", sorted(CASES))
def test_value_matches_numpy(name):
    T.check(name)
