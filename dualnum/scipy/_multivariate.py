"""The multivariate distributions of ``dualnum.scipy.stats``: dirichlet, multivariate_normal.

Composites of rows of the table, differentiable in the point and the parameters (the mean
and the covariance matrix, the concentration ``alpha``). The multivariate normal's
log-density goes through a Cholesky factor of the covariance, computed here column by
column with the table's own ops (a small private factorisation: dnp.linalg.cholesky, when
present, is the general one), so its derivative is exact and differentiable again.
"""
from __future__ import annotations

import math
from typing import Any

import numpy as np

from dualnum import rules as _R
from dualnum.numpy._base import _in
from dualnum.primitive import shape_of as _shape_of, unbox_all as _unbox_all
from dualnum.rules.special import gammaln, xlogy
from dualnum.scipy._univariate import _Distribution

_LOG_2PI = math.log(2.0 * math.pi)


def _squeeze(out: Any) -> Any:
    """scipy's ``_squeeze_output``: length-1 axes dropped, a single value as a scalar."""
    shape = _shape_of(out)
    if any(n == 1 for n in shape):
        out = _R.reshape(out, tuple(n for n in shape if n != 1))
    return out


class dirichlet_gen(_Distribution):
    """The Dirichlet distribution, scipy's ``dirichlet(alpha)``: ``x`` has the K components
    along its first axis (``(K,)`` or ``(K, N)`` for N points), or K - 1 of them (the last is
    1 - their sum), as in scipy; its checks and messages too (ValueError).

    >>> import numpy as np, dualnum as dn
    >>> from dualnum.scipy.stats import dirichlet
    >>> round(float(dirichlet.logpdf([0.2, 0.3, 0.5], [1.0, 2.0, 3.0])), 12)
    1.504077396776
    >>> g = dn.grad(lambda a: dirichlet.logpdf([0.2, 0.3, 0.5], a))(np.array([1.0, 2.0, 3.0]))
    >>> g.shape
    (3,)
    """

    name = "dirichlet"
    methods = ("logpdf", "pdf")

    def logpdf(self, x: Any, alpha: Any) -> Any:
        alpha = _in(alpha)
        av = np.asarray(_unbox_all(alpha), dtype=float)
        if np.min(av) <= 0:
            raise ValueError("dirichlet: all parameters must be greater than 0")
        if av.ndim != 1:
            raise ValueError("dirichlet: parameter vector 'a' must be one dimensional, but "
                             f"a.shape = {av.shape}.")
        x = self._points(_in(x), av)
        lnB = _R.sum(gammaln(alpha)) - gammaln(_R.sum(alpha))
        a1 = alpha - 1.0
        if len(_shape_of(x)) == 2:
            a1 = _R.reshape(a1, (av.size, 1))
        return -lnB + _R.sum(xlogy(a1, x), axis=0)

    def pdf(self, x: Any, alpha: Any) -> Any:
        return _R.exp(self.logpdf(x, alpha))

    @staticmethod
    def _points(x: Any, av: np.ndarray) -> Any:
        xs = _shape_of(x)
        k = av.shape[0]
        if not xs or (xs[0] != k and xs[0] + 1 != k):
            raise ValueError("dirichlet: vector 'x' must have either the same number of "
                             "entries as, or one entry fewer than, parameter vector 'a', "
                             f"but alpha.shape = {av.shape} and x.shape = {xs}.")
        if len(xs) > 2:
            raise ValueError("dirichlet: the input must be one dimensional or a two "
                             "dimensional matrix containing the entries.")
        if xs[0] != k:           # the last component is 1 - the sum of the others
            rest = 1.0 - _R.sum(x, axis=0, keepdims=True)
            x = _R.concatenate(x, rest if len(xs) == 2 else _R.reshape(rest, (1,)), axis=0)
        xv = np.asarray(_unbox_all(x))
        if np.min(xv) < 0:
            raise ValueError("dirichlet: each entry in 'x' must be greater than or equal "
                             "to zero.")
        if np.max(xv) > 1:
            raise ValueError("dirichlet: each entry in 'x' must be smaller or equal one.")
        small = (av < 1).reshape((k,) + (1,) * (xv.ndim - 1))
        if np.any((xv == 0) & small):
            raise ValueError("dirichlet: each entry in 'x' must be greater than zero if its "
                             "alpha is less than one.")
        if (np.abs(np.sum(xv, 0) - 1.0) > 10e-10).any():
            raise ValueError("dirichlet: the input vector 'x' must lie within the normal "
                             f"simplex, but np.sum(x, 0) = {np.sum(xv, 0)}.")
        return x


def _cholesky(cov: Any, n: int) -> Any:
    """The lower Cholesky factor L (L Lᵀ = cov) read from cov's lower triangle, as scipy
    reads it, column by column with the table's ops (n steps of vector operations)."""
    cols: list = []
    for j in range(n):
        v = cov[j:, j]
        if cols:
            done = _R.concatenate(*[_R.reshape(c[j:], (n - j, 1)) for c in cols], axis=1)
            row = _R.concatenate(*[_R.reshape(c[j], (1,)) for c in cols], axis=0)
            v = v - _R.matmul(done, row)
        pivot = _unbox_all(v[0])
        if not pivot > 0:       # nan too
            raise ValueError("multivariate_normal: the input matrix must be symmetric "
                             "positive definite (allow_singular=True is not supported)")
        col = v / _R.sqrt(v[0])
        cols.append(_R.pad(col, pad_width=((j, 0),)) if j else col)
    return _R.concatenate(*[_R.reshape(c, (n, 1)) for c in cols], axis=1)


def _whiten(L: Any, dev: Any, n: int) -> Any:
    """y with L y = dev along the last axis (forward substitution): a list of n entries."""
    ys: list = []
    for i in range(n):
        r = dev[..., i]
        for k, y in enumerate(ys):
            r = r - L[i, k] * y
        ys.append(r / L[i, i])
    return ys


class multivariate_normal_gen(_Distribution):
    """The multivariate normal, scipy's ``multivariate_normal(mean, cov)``: ``x`` has the
    components along its last axis; ``mean`` defaults to zeros, ``cov`` to 1; a scalar
    ``cov`` is ``cov·I``, a vector a diagonal; the dimension and the shapes of ``x`` are
    inferred as scipy does. The log-density is ``-(k log 2π + 2 Σ log Lᵢᵢ + |L⁻¹(x-μ)|²)/2``
    with L the Cholesky factor of cov (its lower triangle is read, as scipy's).

    >>> import numpy as np, dualnum as dn
    >>> from dualnum.scipy.stats import multivariate_normal as mvn
    >>> cov = np.array([[2.0, 0.5], [0.5, 1.0]])
    >>> round(float(mvn.logpdf([0.3, -0.2], [0.0, 0.0], cov)), 10)
    -2.1833992461
    >>> dn.grad(lambda m: mvn.logpdf([0.3, -0.2], m, cov))(np.zeros(2))   # cov⁻¹ (x - μ)
    array([ 0.22857143, -0.31428571])
    """

    name = "multivariate_normal"
    methods = ("logpdf", "pdf")

    def logpdf(self, x: Any, mean: Any = None, cov: Any = 1, allow_singular: bool = False
               ) -> Any:
        if allow_singular:
            raise ValueError("multivariate_normal: allow_singular=True is not supported "
                             "(the log-density goes through a Cholesky factor)")
        n, mean, cov = self._parameters(mean, cov)
        x = _in(x)
        xs = _shape_of(x)
        if len(xs) == 0:
            x = _R.reshape(x, (1,))
        elif len(xs) == 1:
            x = _R.reshape(x, (xs[0], 1) if n == 1 else (1, xs[0]))
        if _shape_of(x)[-1] != n:
            raise ValueError(f"multivariate_normal: x has {_shape_of(x)[-1]} components "
                             f"along its last axis, but the distribution has {n}")
        L = _cholesky(cov, n)
        half_logdet = _R.sum(_R.log(_R.einsum("ii->i", L)))
        ys = _whiten(L, x - mean, n)
        maha = ys[0] * ys[0]
        for y in ys[1:]:
            maha = maha + y * y
        return _squeeze(-0.5 * (n * _LOG_2PI + maha) - half_logdet)

    def pdf(self, x: Any, mean: Any = None, cov: Any = 1, allow_singular: bool = False
            ) -> Any:
        return _R.exp(self.logpdf(x, mean, cov, allow_singular))

    @staticmethod
    def _parameters(mean: Any, cov: Any) -> tuple[int, Any, Any]:
        """scipy's ``_process_parameters_psd``: the dimension, a mean vector, a matrix."""
        cov = _in(1.0 if cov is None else cov)
        cs = _shape_of(cov)
        if mean is None:
            n = 1 if len(cs) < 2 else cs[0]
            mean = np.zeros(n)
        mean = _in(mean)
        ms = _shape_of(mean)
        n = int(np.prod(ms))
        if n == 1:
            mean = _R.reshape(mean, (1,))
            cov = _R.reshape(cov, (1, 1))
            ms, cs = (1,), (1, 1)
        if len(ms) != 1 or ms[0] != n:
            raise ValueError(f"multivariate_normal: array 'mean' must be a vector of length {n}.")
        if len(cs) == 0:
            cov = cov * np.eye(n)
        elif len(cs) == 1:
            cov = cov * np.eye(n) if cs[0] == n or cs[0] == 1 else _bad_diag(cs, n)
        elif len(cs) == 2 and cs != (n, n):
            raise ValueError(
                f"multivariate_normal: array 'cov' must be square if it is two dimensional, "
                f"but cov.shape = {cs}." if cs[0] != cs[1] else
                f"multivariate_normal: dimension mismatch: array 'cov' is of shape {cs}, but "
                f"'mean' is a vector of length {n}.")
        elif len(cs) > 2:
            raise ValueError(f"multivariate_normal: array 'cov' must be at most "
                             f"two-dimensional, but cov.ndim = {len(cs)}")
        return n, mean, cov


def _bad_diag(cs: tuple, n: int) -> Any:
    raise ValueError(f"multivariate_normal: a vector 'cov' (the diagonal) of shape {cs} does "
                     f"not match 'mean' of length {n}.")


dirichlet = dirichlet_gen()
multivariate_normal = multivariate_normal_gen()
