"""What the matrix rules share (:mod:`dualnum.rules.solves`, :mod:`dualnum.rules.decompositions`).

* small matrix ops written with primitives, so a rule built from them differentiates again:
  :func:`mT` (swap the last two axes), :func:`diag_part`, :func:`diag_embed`, and the map
  :func:`from_triangle` that numpy's ``eigh``/``cholesky`` apply to their input (they read one
  triangle only) with its transpose :func:`from_triangle_T`;
* the checks every matrix implementation makes, naming the operation (:func:`as_matrix`,
  :func:`numpy_call`) and the symbolic path over the matrices of a stack (:func:`sym_map`);
* the degeneracy rule of the spectral decompositions (:func:`check_gaps`, :func:`clusters`):
  where two eigenvalues (singular values) coincide, eigenvectors (singular vectors) have no
  derivative, so differentiating them raises :class:`DegenerateSpectrumError` naming the gap;
* the sample domains of the matrix rows (:class:`MatrixDomain`): where the sweeps draw.

Batch axes: a tangent or adjoint carries the rule's ``lead`` axes in front of the operand's
own batch axes; every helper here works on the last two axes only, so they ride along.

>>> import numpy as np
>>> A = np.array([[1.0, 9.0], [2.0, 3.0]])
>>> from_triangle(A, "L")                     # what eigh(A) actually decomposes
array([[1., 2.],
       [2., 3.]])
"""
from __future__ import annotations

import functools
from typing import Any, Callable

import numpy as np
from numpy.linalg import LinAlgError

from dualnum.primitive import Box, is_complex, shape_of, unbox_all
from dualnum.rules._declare import _sympy, is_symbolic
from dualnum.rules.reduce import sum
from dualnum.rules.shape import reshape, transpose

__all__ = ["DegenerateSpectrumError", "MatrixDomain", "mT", "col", "uncol", "diag_part",
           "diag_embed", "from_triangle", "from_triangle_T", "as_matrix", "numpy_call",
           "sym_map", "check_gaps", "clusters", "gap_tolerance", "zero_tolerance", "real_only",
           "split_uplo"]

_EPS = np.finfo(float).eps


class DegenerateSpectrumError(LinAlgError):
    """Raised when eigenvectors or singular vectors are differentiated where two eigenvalues
    (singular values) coincide, or a singular value is zero: the vectors are not unique there
    (any rotation within the eigenspace is as good), so they have no derivative. A
    ``LinAlgError`` (and so a ``ValueError``), like numpy's errors for singular matrices.

    >>> import numpy as np, dualnum as dn, dualnum.numpy as dnp
    >>> f = lambda A: dnp.sum(dnp.linalg.eigh(A).eigenvectors[:, 0])
    >>> dn.grad(f)(np.eye(2))
    Traceback (most recent call last):
    ...
    dualnum.rules._matrix.DegenerateSpectrumError: eigh: eigenvalues 0 and 1 coincide ...
    """


# ------------------------------------------------------------------ matrix ops on boxes

def mT(x: Any) -> Any:
    """``x`` with its last two axes swapped (a view for a constant operand)."""
    if type(x) is np.ndarray:
        return x.swapaxes(-1, -2)
    n = len(shape_of(x))
    return transpose(x, tuple(range(n - 2)) + (n - 1, n - 2))


def col(x: Any) -> Any:
    """A vector (stack) as a column: shape ``(..., n)`` -> ``(..., n, 1)``."""
    return reshape(x, shape_of(x) + (1,))


def uncol(x: Any) -> Any:
    """The inverse of :func:`col`: ``(..., n, 1)`` -> ``(..., n)``."""
    return reshape(x, shape_of(x)[:-1])


@functools.lru_cache(maxsize=256)
def _const(kind: str, n: int, uplo: str = "L") -> np.ndarray:
    """Read-only constant matrices: the identity, triangle masks, cholesky's Φ mask."""
    lower = uplo == "L"
    if kind == "eye":
        m = np.eye(n)
    elif kind == "tri":                     # the triangle numpy reads, diagonal included
        m = np.tril(np.ones((n, n))) if lower else np.triu(np.ones((n, n)))
    elif kind == "strict":                  # the same triangle, diagonal excluded
        m = np.tril(np.ones((n, n)), -1) if lower else np.triu(np.ones((n, n)), 1)
    elif kind == "off":                     # everything but the diagonal
        m = 1.0 - np.eye(n)
    else:                                   # "phi": lower triangle, diagonal halved
        m = np.tril(np.ones((n, n)), -1) + 0.5 * np.eye(n)
    m.flags.writeable = False
    return m


def eye(n: int) -> np.ndarray:
    return _const("eye", n)


def mask(kind: str, n: int, uplo: str = "L") -> np.ndarray:
    return _const(kind, n, uplo)


def diag_part(X: Any) -> Any:
    """The diagonal of each matrix: ``(..., n, n)`` -> ``(..., n)``."""
    return sum(X * eye(shape_of(X)[-1]), axis=-1)


def diag_embed(v: Any) -> Any:
    """Each vector on the diagonal of a matrix: ``(..., n)`` -> ``(..., n, n)``."""
    s = shape_of(v)
    return reshape(v, s[:-1] + (1, s[-1])) * eye(s[-1])


def split_uplo(uplo: Any, name: str) -> str:
    u = str(uplo).upper() if isinstance(uplo, str) else uplo
    if u not in ("L", "U"):
        raise ValueError(f"{name}: UPLO argument must be 'L' or 'U', got {uplo!r}")
    return u


def from_triangle(X: Any, uplo: str) -> Any:
    """The symmetric matrix numpy's ``eigh``/``eigvalsh``/``cholesky`` see in ``X``: the
    triangle ``uplo`` (``"L"`` lower, ``"U"`` upper, diagonal included) mirrored; the other
    triangle is never read. Linear, so it maps tangents too."""
    n = shape_of(X)[-1]
    return X * mask("tri", n, uplo) + mT(X * mask("strict", n, uplo))


def from_triangle_T(G: Any, uplo: str) -> Any:
    """The transpose of :func:`from_triangle` (``<G, from_triangle(X)> =
    <from_triangle_T(G), X>``): the adjoint lands on the triangle read, off-diagonal entries
    collecting both mirror images."""
    n = shape_of(G)[-1]
    return G * mask("tri", n, uplo) + mT(G) * mask("strict", n, uplo)


# ------------------------------------------------------------------ implementations

def as_matrix(name: str, a: Any, square: bool = True) -> np.ndarray:
    """``a`` as a numeric array of at least two dimensions (square ones if ``square``);
    numpy's ``LinAlgError`` otherwise, naming ``name`` and the shape."""
    if type(a) is np.ndarray and a.dtype.char in "dD" and a.ndim >= 2 and (
            not square or a.shape[-1] == a.shape[-2]):
        return a                    # the common case: float64 / complex128 matrices as given
    a = np.asarray(a)
    if a.dtype.kind in "iub":
        a = a.astype(float)
    if a.ndim < 2:
        raise LinAlgError(f"{name}: {a.ndim}-dimensional array given. Array must be at "
                          f"least two-dimensional (shape {a.shape})")
    if square and a.shape[-1] != a.shape[-2]:
        raise LinAlgError(f"{name}: Last 2 dimensions of the array must be square, got "
                          f"shape {a.shape}")
    return a


def numpy_call(name: str, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """``fn(*args, **kwargs)`` with numpy's ``LinAlgError`` re-raised naming ``name`` and
    the shapes (``inv: Singular matrix (shape (3, 3))``)."""
    try:
        return fn(*args, **kwargs)
    except LinAlgError as e:
        shapes = " and ".join(str(np.shape(a)) for a in args)
        raise LinAlgError(f"{name}: {e} (shape {shapes})") from None


def sym_map(a: Any, fn: Callable[[Any], Any], out: str = "matrix") -> Any:
    """Apply ``fn`` (a function of one ``sympy.Matrix``) to each matrix of a stack of sympy
    values; ``out`` says what ``fn`` returns: ``"matrix"``, ``"scalar"`` or ``"vector"`` (a
    sequence of scalars, stacked along a new last axis)."""
    sp = _sympy()
    a = np.asarray(a, dtype=object)
    if a.ndim < 2:
        raise LinAlgError(f"{a.ndim}-dimensional array given. Array must be at least "
                          "two-dimensional")
    results = [fn(sp.Matrix(a[idx])) for idx in np.ndindex(*a.shape[:-2])]
    if out == "scalar":
        r = np.empty(len(results), dtype=object)
        r[:] = results
        r = r.reshape(a.shape[:-2])
        return r[()] if r.ndim == 0 else r
    if out == "vector":                             # fn returns a sequence of scalars
        r = np.empty((len(results), len(results[0]) if results else 0), dtype=object)
        for i, seq in enumerate(results):
            r[i, :] = list(seq)
        return r.reshape(a.shape[:-2] + r.shape[-1:])
    mats = [np.array(m.tolist(), dtype=object).reshape(m.shape) for m in results]
    shape = mats[0].shape if mats else a.shape[-2:]
    return np.array(mats, dtype=object).reshape(a.shape[:-2] + shape)


def symbolic(x: Any) -> bool:
    return is_symbolic(x)


def real_only(name: str, *values: Any) -> None:
    """Refuse to differentiate ``name`` on complex values (its rules are for real matrices:
    the Hermitian case needs conjugates and a phase convention they do not implement)."""
    for v in values:
        if v is not None and is_complex(v):
            raise NotImplementedError(
                f"{name}: derivatives of complex matrices are not supported (the rule is "
                "written for real ones); differentiate the real and imaginary parts of a "
                "real formulation instead")


# ------------------------------------------------------------------ degenerate spectra

def gap_tolerance(values: np.ndarray, factor: float = 10.0) -> np.ndarray:
    """Below what distance two eigenvalues (singular values) count as equal, per matrix of
    the stack: ``10 · n · ε · max|λ|``, ten times LAPACK's own accuracy (a computed
    eigenvalue is exact to about ``n · ε · ‖A‖``), so ties that rounding split still count,
    while values that a graded matrix keeps apart (``diag(1, 1 + 1e-5, 1e9)``) stay apart:
    calling them a tie would hand them the cluster's mean derivative, silently.

    >>> float(gap_tolerance(np.array([1.0, 1.00001, 1e9]))) < 1e-5
    True
    """
    v = np.abs(np.asarray(values).real)
    n = v.shape[-1] if v.ndim else 1
    scale = np.max(v, axis=-1, initial=0.0) if v.size else np.zeros(v.shape[:-1])
    return factor * max(n, 1) * _EPS * scale


def zero_tolerance(values: np.ndarray) -> np.ndarray:
    """Below what size a singular value (a diagonal entry of R) counts as zero, per matrix of
    the stack: ``n · ε · max|σ|``, the rule of numpy's ``matrix_rank``, so a matrix numpy
    calls full-rank is full-rank here too.

    >>> float(zero_tolerance(np.array([1e14, 1.0]))) < 1.0
    True
    """
    return gap_tolerance(values, factor=1.0)


def check_gaps(name: str, values: Any, what: str = "eigenvalues", zero: bool = False,
               hint: str = "") -> None:
    """Raise :class:`DegenerateSpectrumError` if two of the sorted ``values`` (the last axis)
    are within :func:`gap_tolerance` of each other, or (``zero=True``) one is that close to
    zero; the message names the two, their distance and the tolerance."""
    v = np.asarray(unbox_all(values)).real
    if v.size == 0 or v.shape[-1] == 0:
        return
    flat_v = v.reshape(-1, v.shape[-1])
    flat_tol = np.reshape(gap_tolerance(v), -1)
    flat_zero = np.reshape(zero_tolerance(v), -1)
    for b, (row, t, tz) in enumerate(zip(flat_v, flat_tol, flat_zero)):
        at = tuple(int(i) for i in np.unravel_index(b, v.shape[:-1]))
        where = "" if v.ndim == 1 else f" (matrix {at} of the stack)"
        gaps = np.abs(np.diff(row))
        if gaps.size and gaps.min() <= t:
            i = int(np.argmin(gaps))
            raise DegenerateSpectrumError(
                f"{name}: {what} {i} and {i + 1} coincide ({float(row[i])!r} and "
                f"{float(row[i + 1])!r} are {gaps[i]:.3g} apart, within the tolerance "
                f"{t:.3g}){where}: the vectors are not unique there, so they have no "
                f"derivative{hint}")
        if zero and np.abs(row).min() <= tz:
            i = int(np.argmin(np.abs(row)))
            raise DegenerateSpectrumError(
                f"{name}: {what.rstrip('s')} {i} is zero ({float(row[i])!r}, within the "
                f"tolerance {tz:.3g}){where}: the singular vectors of a rank-deficient matrix "
                f"are not unique, so they have no derivative{hint}")


def clusters(values: Any, zero: bool = False) -> np.ndarray | None:
    """The averaging matrices of the degeneracy convention, or None if every value of every
    matrix is simple: per matrix, ``M[i, j] = 1/m`` when values ``i`` and ``j`` lie in one
    cluster of ``m`` coinciding values (:func:`gap_tolerance`). ``zero=True``: values within
    the tolerance of zero get the rows and columns of zeros instead (abs'(0) = 0).

    >>> clusters(np.array([1.0, 2.0, 3.0])) is None
    True
    >>> clusters(np.array([1.0, 1.0, 3.0]))
    array([[0.5, 0.5, 0. ],
           [0.5, 0.5, 0. ],
           [0. , 0. , 1. ]])
    """
    v = np.asarray(unbox_all(values)).real
    if v.size == 0:
        return None
    n = v.shape[-1]
    flat_v = v.reshape(-1, n)
    flat_tol = np.asarray(gap_tolerance(v)).reshape(-1)
    flat_zero = np.asarray(zero_tolerance(v)).reshape(-1)
    out = np.zeros((flat_v.shape[0], n, n))
    plain = True
    for b, (row, t, tz) in enumerate(zip(flat_v, flat_tol, flat_zero)):
        start = 0
        for i in range(1, n + 1):
            if i == n or abs(row[i] - row[i - 1]) > t:
                m = i - start
                if m > 1:
                    plain = False
                out[b, start:i, start:i] = 1.0 / m
                start = i
        if zero:
            z = np.abs(row) <= tz
            if z.any():
                plain = False
                out[b, z, :] = 0.0
                out[b, :, z] = 0.0
    if plain:
        return None
    out = out.reshape(v.shape[:-1] + (n, n))
    out.flags.writeable = False
    return out


def cluster_kink(values: np.ndarray, zero: bool = False) -> np.ndarray:
    """Which values sit in a cluster of coinciding ones (or on zero): the kink mask."""
    M = clusters(values, zero=zero)
    if M is None:
        return np.zeros(np.shape(values), dtype=bool)
    return np.abs(np.diagonal(M, axis1=-2, axis2=-1) - 1.0) > 0


def averaged(M: np.ndarray | None, d: Any) -> Any:
    """``M @ d`` along the last axis (``d`` may carry batch axes in front), or ``d``."""
    if M is None:
        return d
    return sum(M * reshape(d, shape_of(d)[:-1] + (1, shape_of(d)[-1])), axis=-1)


def is_box(x: Any) -> bool:
    return isinstance(x, Box)


# ------------------------------------------------------------------ sample domains

class MatrixDomain:
    """Where a matrix row's tests sample: a name and ``sample(rng, shape)``. The sweeps of
    ``tests/core/specs.py`` draw each matrix argument from its row's domain.

    >>> SPD.sample(np.random.default_rng(0), (3, 3)).shape
    (3, 3)
    """

    __slots__ = ("name", "sample")

    def __init__(self, name: str, sample: Callable[[np.random.Generator, tuple], Any]) -> None:
        self.name = name
        self.sample = sample

    def __repr__(self) -> str:
        return f"MatrixDomain({self.name!r})"


def _orthogonal(rng: np.random.Generator, shape: tuple) -> np.ndarray:
    q, r = np.linalg.qr(rng.normal(size=shape))
    return q * np.sign(np.diagonal(r, axis1=-2, axis2=-1))[..., None, :]


def _separated(rng: np.random.Generator, n: int, batch: tuple, lo: float) -> np.ndarray:
    """Ascending values spaced 0.4 to 0.9 apart, the first above ``lo``, per matrix."""
    steps = rng.uniform(0.4, 0.9, size=batch + (n,))
    return lo + np.cumsum(steps, axis=-1)


def _well_conditioned(rng, shape):
    m, n = shape[-2:]
    return rng.uniform(-1.0, 1.0, size=shape) + (1.0 + 0.5 * max(m, n)) * np.eye(m, n)


def _spd(rng, shape):
    n = shape[-1]
    b = rng.uniform(-1.0, 1.0, size=shape)
    return b @ np.swapaxes(b, -1, -2) / n + np.eye(n)


def _symmetric_separated(rng, shape):
    n = shape[-1]
    q = _orthogonal(rng, shape)
    w = _separated(rng, n, shape[:-2], -0.4 * n)
    return (q * w[..., None, :]) @ np.swapaxes(q, -1, -2)


def _svd_separated(rng, shape):
    m, n = shape[-2:]
    k = min(m, n)
    u = _orthogonal(rng, shape[:-2] + (m, k))
    v = _orthogonal(rng, shape[:-2] + (n, k))
    s = _separated(rng, k, shape[:-2], 0.3)[..., ::-1]
    return (u * s[..., None, :]) @ np.swapaxes(v, -1, -2)


#: invertible, condition number about 3: inv, solve, det, slogdet
WELL_CONDITIONED = MatrixDomain("well-conditioned square", _well_conditioned)
#: symmetric positive definite, eigenvalues >= 1: cholesky
SPD = MatrixDomain("symmetric positive definite", _spd)
#: symmetric, eigenvalues at least 0.4 apart: eigh, eigvalsh
SEPARATED_SPECTRUM = MatrixDomain("symmetric, well-separated eigenvalues", _symmetric_separated)
#: any shape, singular values at least 0.4 apart and >= 0.7: svd, svdvals, qr, pinv
SEPARATED_SINGULAR = MatrixDomain("full rank, well-separated singular values", _svd_separated)
