"""dualnum.numpy.linalg against numpy.linalg, name by name: every public name gives numpy's
value on single matrices, stacks, non-square shapes and numpy's keyword arguments, on plain
values and on the primal of a Dual and the value of a tape variable; bad input raises
numpy's exception type with a message naming the function; ``np.linalg.X(box)`` reaches
``dnp.linalg.X``; and every name is a primitive, a composite or a constant.

The table below must cover every name of ``dnp.linalg.__all__``. References are numpy's.
"""
from __future__ import annotations

import warnings
from typing import Any, Callable, NamedTuple

import numpy as np
import pytest

import dualnum as dn
import dualnum.numpy as dnp
from dualnum.rules import _matrix as M
from dualnum.rules.decompositions import DECOMPOSITIONS
from dualnum.rules.adjugate import ADJUGATE
from dualnum.rules.solves import SOLVES

L = dnp.linalg
RNG = np.random.default_rng(1212)


class Case(NamedTuple):
    label: str
    f: Callable[..., Any]       # the dnp call; its first argument is the one boxed
    ref: Callable[..., Any]     # numpy's value
    args: tuple
    mode: str                   # "diff": also via jvp/vjp; "box": called on boxes; "plain"


CASES: dict[str, list[Case]] = {}


def case(name: str, label: str, f: Callable, ref: Callable, *args: Any,
         mode: str = "diff") -> None:
    CASES.setdefault(name, []).append(Case(f"{name}[{label}]", f, ref, args, mode))


def sample(domain: M.MatrixDomain, *shape: int) -> np.ndarray:
    return domain.sample(RNG, shape)


def u(*shape: int) -> np.ndarray:
    return RNG.uniform(-2.0, 2.0, size=shape)


GOOD, SPD, SYM, SEP = M.WELL_CONDITIONED, M.SPD, M.SEPARATED_SPECTRUM, M.SEPARATED_SINGULAR
SQUARE = [(1, 1), (3, 3), (2, 3, 3), (2, 1, 2, 2)]
RECT = [(3, 3), (4, 2), (2, 4), (2, 3, 2), (3, 2, 4)]

# ------------------------------------------------------------------------- inverses, solves
for _s in SQUARE:
    _a = sample(GOOD, *_s)
    case("inv", f"{_s}", L.inv, np.linalg.inv, _a)
    case("det", f"{_s}", L.det, np.linalg.det, _a)
    case("slogdet", f"{_s}", L.slogdet, np.linalg.slogdet, _a)
    for _n in (0, 1, 2, 3, 5, -1, -3):
        case("matrix_power", f"{_s},n={_n}", lambda a, n=_n: L.matrix_power(a, n),
             lambda a, n=_n: np.linalg.matrix_power(a, n), _a)
_neg = sample(GOOD, 3, 3)
_neg[1] *= -1.0
case("slogdet", "negative det", L.slogdet, np.linalg.slogdet, _neg)
case("det", "negative det", L.det, np.linalg.det, _neg)
case("slogdet", "singular", L.slogdet, np.linalg.slogdet, np.ones((3, 3)), mode="plain")
case("det", "singular", L.det, np.linalg.det, np.ones((3, 3)), mode="plain")
case("det", "0x0", L.det, np.linalg.det, np.zeros((0, 0)), mode="plain")
case("slogdet", "0x0", L.slogdet, np.linalg.slogdet, np.zeros((0, 0)), mode="plain")


def _sympy_adjugate(a):
    """sympy's exact adjugate of each matrix (the entries read as exact rationals)."""
    import sympy
    a = np.asarray(a)
    out = np.empty(a.shape, dtype=a.dtype if a.dtype.kind == "c" else float)
    for idx in np.ndindex(*a.shape[:-2]):
        M = sympy.Matrix(a[idx].shape[0], a[idx].shape[1],
                         [sympy.nsimplify(complex(v).real, rational=True)
                          + sympy.I * sympy.nsimplify(complex(v).imag, rational=True)
                          for v in a[idx].ravel()])
        out[idx] = np.array(M.adjugate().evalf(30).tolist(), dtype=complex).astype(out.dtype)
    return out


for _s in SQUARE:
    case("adjugate", f"{_s}", L.adjugate, _sympy_adjugate, sample(GOOD, *_s))
case("adjugate", "singular 3x3", L.adjugate, _sympy_adjugate,
     np.arange(1.0, 10.0).reshape(3, 3))
case("adjugate", "rank 1", L.adjugate, _sympy_adjugate, np.ones((3, 3)))
case("adjugate", "zero", L.adjugate, _sympy_adjugate, np.zeros((2, 2)), mode="plain")
case("adjugate", "list", L.adjugate, _sympy_adjugate, [[1.0, 2.0], [2.0, 4.0]], mode="plain")
_zc = sample(GOOD, 3, 3) + 1j * u(3, 3)
case("adjugate", "complex", L.adjugate, _sympy_adjugate, _zc)
for _name, _ref in (("inv", np.linalg.inv), ("det", np.linalg.det),
                    ("slogdet", np.linalg.slogdet)):
    case(_name, "complex", getattr(L, _name), _ref, _zc)
    case(_name, "list", getattr(L, _name), _ref, [[2.0, 1.0], [1.0, 3.0]], mode="plain")
    case(_name, "int", getattr(L, _name), _ref, np.array([[2, 1], [1, 3]]), mode="plain")
for _sa, _sb in (((3, 3), (3,)), ((3, 3), (3, 2)), ((2, 3, 3), (3,)), ((3, 3), (2, 3, 2)),
                 ((2, 3, 3), (2, 3, 1)), ((2, 1, 2, 2), (3, 2, 4)), ((1, 1), (1,))):
    _a, _b = sample(GOOD, *_sa), u(*_sb)
    case("solve", f"{_sa},{_sb}", L.solve, np.linalg.solve, _a, _b)
    case("solve", f"{_sa},{_sb}-second", lambda b, a: L.solve(a, b),
         lambda b, a: np.linalg.solve(a, b), _b, _a)
case("solve", "complex", L.solve, np.linalg.solve, _zc, u(3) + 1j * u(3))
case("solve", "lists", L.solve, np.linalg.solve, [[2.0, 1.0], [1.0, 3.0]], [1.0, 2.0],
     mode="plain")
case("solve", "triangular", L.solve, np.linalg.solve, np.triu(sample(GOOD, 3, 3)), u(3))
for _s in RECT:
    _a = sample(SEP, *_s)
    case("pinv", f"{_s}", L.pinv, np.linalg.pinv, _a)
_rank1 = np.outer(u(3), u(4))
case("pinv", "rank 1", L.pinv, np.linalg.pinv, _rank1)
case("pinv", "rcond", lambda a: L.pinv(a, 0.5), lambda a: np.linalg.pinv(a, 0.5),
     sample(SEP, 3, 3))
case("pinv", "rtol", lambda a: L.pinv(a, rtol=0.5), lambda a: np.linalg.pinv(a, rtol=0.5),
     sample(SEP, 3, 3))
_nonsym = u(3, 3)
case("pinv", "hermitian", lambda a: L.pinv(a, hermitian=True),
     lambda a: np.linalg.pinv(a, hermitian=True), sample(SYM, 3, 3))
case("pinv", "hermitian reads the lower triangle", lambda a: L.pinv(a, hermitian=True),
     lambda a: np.linalg.pinv(a, hermitian=True), _nonsym)

# ------------------------------------------------------------------------- decompositions
for _s in SQUARE:
    _p, _h = sample(SPD, *_s), sample(SYM, *_s)
    case("cholesky", f"{_s}", L.cholesky, np.linalg.cholesky, _p)
    case("cholesky", f"{_s},upper", lambda a: L.cholesky(a, upper=True),
         lambda a: np.linalg.cholesky(a, upper=True), _p)
    for _uplo in ("L", "U"):
        case("eigh", f"{_s},{_uplo}", lambda a, q=_uplo: L.eigh(a, q),
             lambda a, q=_uplo: np.linalg.eigh(a, q), _h)
        case("eigvalsh", f"{_s},{_uplo}", lambda a, q=_uplo: L.eigvalsh(a, UPLO=q),
             lambda a, q=_uplo: np.linalg.eigvalsh(a, UPLO=q), _h)
for _uplo in ("L", "U", "u"):
    case("eigh", f"not symmetric,{_uplo}", lambda a, q=_uplo: L.eigh(a, UPLO=q),
         lambda a, q=_uplo: np.linalg.eigh(a, UPLO=q), _nonsym + 4.0 * np.eye(3))
    case("eigvalsh", f"not symmetric,{_uplo}", lambda a, q=_uplo: L.eigvalsh(a, q),
         lambda a, q=_uplo: np.linalg.eigvalsh(a, q), _nonsym)
_pd_low = sample(SPD, 3, 3)
_pd_low[0, 2] = 99.0      # the upper triangle is never read
case("cholesky", "reads the lower triangle", L.cholesky, np.linalg.cholesky, _pd_low)
case("cholesky", "upper reads the upper triangle", lambda a: L.cholesky(a, upper=True),
     lambda a: np.linalg.cholesky(a, upper=True), _pd_low.T.copy())
case("eigh", "complex hermitian", L.eigh, np.linalg.eigh,
     (lambda z: z + z.conj().T)(u(3, 3) + 1j * u(3, 3)), mode="plain")
for _s in RECT:
    _a = sample(SEP, *_s)
    case("svd", f"{_s},reduced", lambda a: L.svd(a, full_matrices=False),
         lambda a: np.linalg.svd(a, full_matrices=False), _a)
    case("svd", f"{_s},full", L.svd, np.linalg.svd, _a,
         mode="diff" if _s[-1] == _s[-2] else "plain")
    case("svd", f"{_s},S", lambda a: L.svd(a, compute_uv=False),
         lambda a: np.linalg.svd(a, compute_uv=False), _a)
    case("svdvals", f"{_s}", L.svdvals, np.linalg.svdvals, _a)
    for _mode in ("reduced", "r", "complete", "raw"):
        _diff = _mode in ("reduced", "r") or (_mode == "complete" and _s[-2] <= _s[-1])
        case("qr", f"{_s},{_mode}", lambda a, md=_mode: L.qr(a, md),
             lambda a, md=_mode: np.linalg.qr(a, md), _a, mode="diff" if _diff else "plain")
case("svd", "hermitian S", lambda a: L.svd(a, compute_uv=False, hermitian=True),
     lambda a: np.linalg.svd(a, compute_uv=False, hermitian=True), _nonsym)
case("svd", "hermitian", lambda a: L.svd(a, hermitian=True),
     lambda a: np.linalg.svd(a, hermitian=True), sample(SYM, 3, 3), mode="plain")
case("svdvals", "rank 1", L.svdvals, np.linalg.svdvals, _rank1)
case("qr", "default", L.qr, np.linalg.qr, sample(SEP, 4, 3))
for _name, _ref in (("eig", np.linalg.eig), ("eigvals", np.linalg.eigvals)):
    case(_name, "real", getattr(L, _name), _ref, u(3, 3), mode="plain")
    case(_name, "stack", getattr(L, _name), _ref, u(2, 3, 3), mode="plain")
    case(_name, "rotation: complex", getattr(L, _name), _ref, np.array([[0.0, -1.0],
                                                                        [1.0, 0.0]]),
         mode="plain")

# ------------------------------------------------------------------------- norms
for _s in ((3,), (3, 4), (2, 3, 4)):
    _x = u(*_s)
    for _ax in [None, 0, -1] + ([(0, -1), (1,)] if len(_s) > 1 else []):
        for _ord in (2, 1, np.inf, -np.inf, 0, 3, -1.5):
            for _keep in (False, True):
                case("vector_norm", f"{_s},axis={_ax},ord={_ord},keep={_keep}",
                     lambda x, a=_ax, o=_ord, k=_keep: L.vector_norm(x, axis=a, ord=o,
                                                                     keepdims=k),
                     lambda x, a=_ax, o=_ord, k=_keep: np.linalg.vector_norm(x, axis=a, ord=o,
                                                                             keepdims=k), _x)
    if len(_s) >= 2:
        for _ord in ("fro", "nuc", 1, -1, 2, -2, np.inf, -np.inf):
            for _keep in (False, True):
                case("matrix_norm", f"{_s},ord={_ord},keep={_keep}",
                     lambda x, o=_ord, k=_keep: L.matrix_norm(x, ord=o, keepdims=k),
                     lambda x, o=_ord, k=_keep: np.linalg.matrix_norm(x, ord=o, keepdims=k), _x)
            case("norm", f"{_s},ord={_ord},axis=(-1,-2)",
                 lambda x, o=_ord: L.norm(x, o, (-1, -2)),
                 lambda x, o=_ord: np.linalg.norm(x, o, (-1, -2)), _x)
case("vector_norm", "0-d", L.vector_norm, np.linalg.vector_norm, np.array(-1.5))
case("norm", "default", L.norm, np.linalg.norm, u(3, 4))
for _s in ((3, 3), (2, 3, 3), (3, 4)):
    _a = sample(SEP, *_s)
    for _p in (None, 2, -2) + (("fro", "nuc", 1, -1, np.inf, -np.inf) if _s[-1] == _s[-2]
                               else ()):
        case("cond", f"{_s},p={_p}", lambda a, p=_p: L.cond(a, p),
             lambda a, p=_p: np.linalg.cond(a, p), _a)
for _a in (u(3, 3), np.array([[1.0, 2.0], [2.0, 4.0]]), u(2, 3, 4), np.zeros((2, 2))):
    case("matrix_rank", f"{_a.shape}", L.matrix_rank, np.linalg.matrix_rank, _a, mode="box")
case("matrix_rank", "tol", lambda a: L.matrix_rank(a, tol=1.5),
     lambda a: np.linalg.matrix_rank(a, tol=1.5), np.diag([3.0, 1.0]), mode="box")

# ------------------------------------------------------------------------- products, diagonals
for _s in ((3, 3), (2, 3, 4), (4, 2)):
    _x = u(*_s)
    for _off in (0, 1, -1, 5):
        case("trace", f"{_s},offset={_off}", lambda x, o=_off: L.trace(x, offset=o),
             lambda x, o=_off: np.linalg.trace(x, offset=o), _x)
        case("diagonal", f"{_s},offset={_off}", lambda x, o=_off: L.diagonal(x, offset=o),
             lambda x, o=_off: np.linalg.diagonal(x, offset=o), _x)
    case("matrix_transpose", f"{_s}", L.matrix_transpose, np.linalg.matrix_transpose, _x)
for _sa, _sb in (((3,), (3,)), ((2, 3), (3,)), ((2, 2, 3), (3, 4)), ((3,), (2, 3, 4))):
    case("matmul", f"{_sa}@{_sb}", L.matmul, np.linalg.matmul, u(*_sa), u(*_sb))
    case("matmul", f"{_sa}@{_sb}-second", lambda b, a: L.matmul(a, b),
         lambda b, a: np.linalg.matmul(a, b), u(*_sb), u(*_sa))
case("outer", "(2,),(3,)", L.outer, np.linalg.outer, u(2), u(3))
case("outer", "second", lambda b, a: L.outer(a, b), lambda b, a: np.linalg.outer(a, b), u(3),
     u(2))
for _sa, _sb, _ax in (((3, 4), (4, 2), 1), ((2, 3, 4), (3, 4, 2), 2), ((3, 2), (4, 3),
                                                                      ((0,), (1,)))):
    case("tensordot", f"{_sa},{_sb},{_ax}", lambda a, b, x=_ax: L.tensordot(a, b, axes=x),
         lambda a, b, x=_ax: np.linalg.tensordot(a, b, axes=x), u(*_sa), u(*_sb))
for _sa, _sb, _ax in (((3,), (3,), -1), ((2, 3), (3,), -1), ((2, 3), (2, 1), 0),
                      ((4, 2, 3), (2, 3), 1), ((2, 3), (2, 3), -2)):
    case("vecdot", f"{_sa},{_sb},axis={_ax}", lambda a, b, x=_ax: L.vecdot(a, b, axis=x),
         lambda a, b, x=_ax: np.linalg.vecdot(a, b, axis=x), u(*_sa), u(*_sb))
    case("vecdot", f"{_sa},{_sb},axis={_ax}-second", lambda b, a, x=_ax: L.vecdot(a, b, axis=x),
         lambda b, a, x=_ax: np.linalg.vecdot(a, b, axis=x), u(*_sb), u(*_sa))
case("vecdot", "complex conjugates x1", L.vecdot, np.linalg.vecdot, u(3) + 1j * u(3), u(3) + 1j)
for _shapes in ([(2, 3), (3, 4)], [(3,), (3, 4), (4, 2)], [(2, 5), (5, 3), (3, 4), (4,)],
                [(3,), (3, 2), (2, 4), (4, 5), (5,)], [(6, 2), (2, 6), (6, 2), (2, 3)]):
    _ops = [u(*s) for s in _shapes]
    for _k in range(len(_ops)):
        case("multi_dot", f"{_shapes},boxed {_k}",
             lambda x, k=_k, o=_ops: L.multi_dot(o[:k] + [x] + o[k + 1:]),
             lambda x, k=_k, o=_ops: np.linalg.multi_dot(o[:k] + [x] + o[k + 1:]), _ops[_k])

# ------------------------------------------------------------------------- constants
for _name in ("LinAlgError", "DegenerateSpectrumError"):
    case(_name, "class", lambda n=_name: issubclass(getattr(L, n), np.linalg.LinAlgError),
         lambda: True, mode="plain")


# ------------------------------------------------------------------------- the checks

def _same(got: Any, want: Any, what: str, fields: bool = True) -> None:
    if isinstance(want, tuple):
        assert isinstance(got, tuple) and len(got) == len(want), f"{what}: {got!r} vs {want!r}"
        for field in getattr(want, "_fields", ()) if fields else ():
            # numpy's names reach the same entries (a jvp/vjp hands back a plain tuple)
            assert getattr(got, field) is got[want._fields.index(field)], f"{what}.{field}"
        for k, (g, w) in enumerate(zip(got, want)):
            _same(g, w, f"{what}[{k}]")
        return
    got = dnp.value(got)
    assert np.shape(got) == np.shape(want), f"{what}: shape {np.shape(got)} vs {np.shape(want)}"
    assert np.iscomplexobj(got) == np.iscomplexobj(want), \
        f"{what}: dtype {np.asarray(got).dtype} vs numpy's {np.asarray(want).dtype}"
    np.testing.assert_allclose(np.asarray(got), np.asarray(want), rtol=1e-12, atol=1e-13,
                               err_msg=what, equal_nan=True)


def _tangent(x: Any) -> Any:
    t = np.ones(np.shape(x), dtype=complex if np.iscomplexobj(x) else float)
    return t if isinstance(x, np.ndarray) else t.item()


def _run(c: Case) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        try:
            want = c.ref(*c.args)
        except (ValueError, TypeError) as e:     # where numpy refuses, so must dnp, alike
            with pytest.raises(type(e)):
                c.f(*c.args)
            return
        _same(c.f(*c.args), want, f"{c.label} plain")
        if c.mode == "plain":
            return
        x, rest = c.args[0], c.args[1:]
        g = lambda a: c.f(a, *rest)
        if c.mode == "diff":
            _same(dn.jvp(g, (x,), (_tangent(x),))[0], want, f"{c.label} Dual primal", False)
            _same(dn.vjp(g, x)[0], want, f"{c.label} tape value", False)
        else:
            _same(g(dn.Dual(x, _tangent(x))), want, f"{c.label} on a Dual")
            with dn.Tape() as tape:
                _same(g(tape.var(x)), want, f"{c.label} on a tape variable")


@pytest.mark.parametrize("name", sorted(CASES))
def test_value_matches_numpy(name):
    for c in CASES[name]:
        _run(c)


def test_every_name_has_value_cases():
    missing = sorted(set(L.__all__) - set(CASES))
    assert not missing, f"dnp.linalg names without value cases in test_linalg_values.py: {missing}"
    assert not sorted(set(CASES) - set(L.__all__))


# ------------------------------------------------------------------------- errors like numpy's
ERRORS = [
    ("inv", lambda m: m.inv(np.ones((2, 3))), r"inv: Last 2 dimensions .*square"),
    ("inv", lambda m: m.inv(np.ones(3)), r"inv: 1-dimensional array given"),
    ("inv", lambda m: m.inv(np.ones((3, 3))), r"inv: Singular matrix"),
    ("det", lambda m: m.det(np.ones((2, 3))), r"det: Last 2 dimensions"),
    ("slogdet", lambda m: m.slogdet(np.ones(2)), r"slogdet: 1-dimensional"),
    ("solve", lambda m: m.solve(np.ones((3, 3)), np.ones(3)), r"solve: Singular matrix"),
    ("solve", lambda m: m.solve(np.eye(3), np.ones((2, 3))), r"solve: a of shape \(3, 3\) and "
     r"b of shape \(2, 3\)"),
    ("solve", lambda m: m.solve(np.eye(3), 1.0), r"solve: b is 0-dimensional"),
    ("solve", lambda m: m.solve(np.ones((2, 3)), np.ones(2)), r"solve: Last 2 dimensions"),
    ("cholesky", lambda m: m.cholesky(-np.eye(2)), r"cholesky: Matrix is not positive definite"),
    ("cholesky", lambda m: m.cholesky(np.ones((2, 3))), r"cholesky: Last 2 dimensions"),
    ("eigh", lambda m: m.eigh(np.eye(2), UPLO="X"), r"UPLO argument must be 'L' or 'U'"),
    ("eigvalsh", lambda m: m.eigvalsh(np.ones((2, 3))), r"eigvalsh: Last 2 dimensions"),
    ("svd", lambda m: m.svd(np.ones(3)), r"svd: 1-dimensional"),
    ("svdvals", lambda m: m.svdvals(np.ones(3)), r"svdvals: 1-dimensional"),
    ("qr", lambda m: m.qr(np.eye(2), mode="x"), r"mode 'x'"),
    ("qr", lambda m: m.qr(np.ones(2)), r"qr: 1-dimensional"),
    ("pinv", lambda m: m.pinv(np.ones(3)), r"pinv: 1-dimensional"),
    ("matrix_power", lambda m: m.matrix_power(np.eye(2), 1.5), r"exponent must be an integer"),
    ("matrix_power", lambda m: m.matrix_power(np.ones((2, 3)), 2), r"matrix_power: Last 2"),
    ("matrix_power", lambda m: m.matrix_power(np.ones((3, 3)), -1), r"inv: Singular matrix"),
    ("multi_dot", lambda m: m.multi_dot([np.eye(2)]), r"at least two arrays"),
    ("multi_dot", lambda m: m.multi_dot([np.ones((2, 3)), np.ones((3, 2, 2))]),
     r"multi_dot: array 1 has 3 dimensions"),
    ("matrix_transpose", lambda m: m.matrix_transpose(np.ones(3)), r"at least 2-dimensional"),
    ("outer", lambda m: m.outer(np.ones((2, 2)), np.ones(2)), r"one-dimensional"),
    ("matrix_norm", lambda m: m.matrix_norm(np.ones(3)), r"axis -2"),
    ("cond", lambda m: m.cond(np.ones(3)), r"cond: 1-dimensional"),
    ("vecdot", lambda m: m.vecdot(np.ones(3), np.ones(2)), r"vecdot:"),
    ("trace", lambda m: m.trace(np.ones(3)), r"at least two dimensions"),
    ("eig", lambda m: m.eig(np.ones((2, 3))), r"eig: Last 2 dimensions"),
]


@pytest.mark.parametrize("name, call, match", ERRORS, ids=[f"{e[0]}-{k}" for k, e in
                                                           enumerate(ERRORS)])
def test_errors_like_numpys(name, call, match):
    with pytest.raises(Exception) as numpy_error:
        call(np.linalg)
    with pytest.raises(type(numpy_error.value), match=match):
        call(L)


# ------------------------------------------------------------------------- np.linalg.X(box)
_A3 = sample(GOOD, 3, 3)
DISPATCH = {
    "inv": (lambda a: np.linalg.inv(a), lambda a: L.inv(a)),
    "solve": (lambda a: np.linalg.solve(a, np.ones(3)), lambda a: L.solve(a, np.ones(3))),
    "solve-b": (lambda b: np.linalg.solve(_A3, b), lambda b: L.solve(_A3, b)),
    "det": (np.linalg.det, L.det),
    "slogdet": (lambda a: np.linalg.slogdet(a)[1], lambda a: L.slogdet(a)[1]),
    "cholesky": (lambda a: np.linalg.cholesky(a @ a.T), lambda a: L.cholesky(a @ a.T)),
    "eigh": (lambda a: np.linalg.eigh(a + a.T)[1], lambda a: L.eigh(a + a.T)[1]),
    "eigvalsh": (lambda a: np.linalg.eigvalsh(a + a.T), lambda a: L.eigvalsh(a + a.T)),
    "svd": (lambda a: np.linalg.svd(a, full_matrices=False)[0],
            lambda a: L.svd(a, full_matrices=False)[0]),
    "svdvals": (np.linalg.svdvals, L.svdvals),
    "qr": (lambda a: np.linalg.qr(a)[1], lambda a: L.qr(a)[1]),
    "pinv": (np.linalg.pinv, L.pinv),
    "matrix_power": (lambda a: np.linalg.matrix_power(a, 3), lambda a: L.matrix_power(a, 3)),
    "norm": (lambda a: np.linalg.norm(a, "nuc"), lambda a: L.norm(a, "nuc")),
    "matrix_norm": (lambda a: np.linalg.matrix_norm(a, ord=2), lambda a: L.matrix_norm(a, ord=2)),
    "vector_norm": (lambda a: np.linalg.vector_norm(a, ord=3), lambda a: L.vector_norm(a, ord=3)),
    "cond": (np.linalg.cond, L.cond),
    "trace": (lambda a: np.linalg.trace(a, offset=1), lambda a: L.trace(a, offset=1)),
    "diagonal": (np.linalg.diagonal, L.diagonal),
    "matmul": (lambda a: np.linalg.matmul(a, a), lambda a: L.matmul(a, a)),
    "matrix_transpose": (np.linalg.matrix_transpose, L.matrix_transpose),
    "outer": (lambda a: np.linalg.outer(a[0], a[1]), lambda a: L.outer(a[0], a[1])),
    "tensordot": (lambda a: np.linalg.tensordot(a, a, axes=1), lambda a: L.tensordot(a, a, axes=1)),
    "vecdot": (lambda a: np.linalg.vecdot(a, a), lambda a: L.vecdot(a, a)),
    "multi_dot": (lambda a: np.linalg.multi_dot([a, a, a]), lambda a: L.multi_dot([a, a, a])),
}


@pytest.mark.parametrize("name", sorted(DISPATCH))
def test_numpy_linalg_calls_on_boxes_reach_dnp_linalg(name):
    via_numpy, direct = DISPATCH[name]
    x = _A3 if name != "solve-b" else np.arange(1.0, 4.0)
    t = RNG.normal(size=x.shape)
    y1, j1 = dn.jvp(via_numpy, (x,), (t,))
    y2, j2 = dn.jvp(direct, (x,), (t,))
    np.testing.assert_array_equal(np.asarray(y1), np.asarray(y2))
    np.testing.assert_array_equal(np.asarray(j1), np.asarray(j2))
    g1 = dn.grad(lambda v: dnp.sum(via_numpy(v)))(x)
    g2 = dn.grad(lambda v: dnp.sum(direct(v)))(x)
    np.testing.assert_array_equal(g1, g2)


def test_numpy_linalg_names_dualnum_lacks_say_so():
    with pytest.raises(TypeError, match="lstsq"):
        np.linalg.lstsq(dn.Dual(np.eye(2), np.eye(2)), np.ones(2))
    with pytest.raises(NotImplementedError, match="use eigh for symmetric matrices"):
        np.linalg.eig(dn.Dual(np.eye(2), np.eye(2)))


def test_np_trace_and_np_linalg_trace_stay_apart():
    x = u(2, 3, 3)
    d = dn.Dual(x, np.ones_like(x))
    np.testing.assert_allclose(np.trace(d).primal, np.trace(x))              # first two axes
    np.testing.assert_allclose(np.linalg.trace(d).primal, np.linalg.trace(x))  # last two


# ------------------------------------------------------------------------- the namespace
def test_every_name_is_classified():
    lists = {"PRIMITIVES": L.PRIMITIVES, "COMPOSITES": L.COMPOSITES, "CONSTANTS": L.CONSTANTS}
    seen: dict = {}
    for kind, names in lists.items():
        for name in names:
            assert name not in seen, f"dnp.linalg.{name} is in {seen[name]} and in {kind}"
            seen[name] = kind
    assert sorted(L.__all__) == sorted(seen)
    for name in L.__all__:
        assert hasattr(L, name), name


def test_the_matrix_rows_live_in_dnp_linalg_only():
    rows = {p.name for p in SOLVES + ADJUGATE + DECOMPOSITIONS}
    assert rows == set(L.RULES)
    assert not rows & set(dnp.__all__), "a matrix row leaked into dnp's top level"
    for name in rows:
        assert dn.has_rule(name)


def _recorded(call, x):
    with dn.Tape() as tape:
        out = call(tape.var(x))
    return out, tape.entries[1:]


PRIMITIVE_CALLS = {
    "inv": lambda a: L.inv(a), "solve": lambda a: L.solve(a, np.ones(3)), "det": L.det,
    "pinv": L.pinv, "cholesky": lambda a: L.cholesky(a), "eigvalsh": L.eigvalsh,
    "svdvals": L.svdvals, "matmul": lambda a: L.matmul(a, np.ones(3)),
    "adjugate": L.adjugate,
}


@pytest.mark.parametrize("name", L.PRIMITIVES)
def test_primitives_record_their_one_rule(name):
    out, rows = _recorded(PRIMITIVE_CALLS[name], sample(SPD, 3, 3))
    assert [r.op for r in rows] == [name]
    assert isinstance(out, dn.TapeVar) and out.index == rows[0].index


COMPOSITE_CALLS = {
    "slogdet": lambda a: L.slogdet(a)[1], "matrix_power": lambda a: L.matrix_power(a, -2),
    "eigh": lambda a: L.eigh(a)[1], "svd": lambda a: L.svd(a)[2], "qr": lambda a: L.qr(a)[0],
    "norm": lambda a: L.norm(a, -2), "vector_norm": lambda a: L.vector_norm(a, ord=1),
    "matrix_norm": lambda a: L.matrix_norm(a, ord="nuc"), "cond": L.cond, "trace": L.trace,
    "diagonal": L.diagonal, "matrix_transpose": L.matrix_transpose,
    "outer": lambda a: L.outer(a[0], a[1]), "tensordot": lambda a: L.tensordot(a, a, axes=1),
    "vecdot": lambda a: L.vecdot(a, a), "multi_dot": lambda a: L.multi_dot([a, a, a]),
}


def test_every_composite_is_exercised():
    assert set(COMPOSITE_CALLS) == set(L.COMPOSITES)
    assert set(PRIMITIVE_CALLS) == set(L.PRIMITIVES)


@pytest.mark.parametrize("name", sorted(COMPOSITE_CALLS))
def test_composites_use_only_primitives(name):
    x = sample(SPD, 3, 3)
    out, rows = _recorded(COMPOSITE_CALLS[name], x)
    assert rows and all(dn.has_rule(r.op) for r in rows), [r.op for r in rows]
    assert isinstance(out, dn.TapeVar)
    np.testing.assert_allclose(out.value, COMPOSITE_CALLS[name](x), rtol=1e-13, atol=1e-14)


def test_constants_have_no_derivative():
    x = dn.Dual(np.eye(3), np.ones((3, 3)))
    assert L.matrix_rank(x) == 3 and not isinstance(L.matrix_rank(x), dn.Dual)
    for name in ("eig", "eigvals"):
        with pytest.raises(NotImplementedError, match="use eigh"):
            getattr(L, name)(x)
