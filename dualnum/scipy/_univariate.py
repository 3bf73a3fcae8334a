"""The univariate distributions of ``dualnum.scipy.stats``: norm, t, gamma, beta, poisson.

Each is a composite of rows of the table (dnp's and :mod:`dualnum.rules.special`'s), so it
is differentiable in the point and in every continuous parameter, to any order the rows
allow. scipy's conventions are kept: its argument names and order, broadcasting between the
point and the parameters, ``-inf`` log-density outside the support (derivative 0 there: the
log-density is constant), and ``nan`` for invalid parameters (``scale <= 0``, ``df <= 0``,
``a <= 0``, ``mu < 0``; the derivative is nan there too). Values where a branch is not taken
are computed at harmless points, so the branch never turns a derivative into nan.
"""
from __future__ import annotations

import math
from typing import Any

import numpy as np

from dualnum import rules as _R
from dualnum.numpy._base import _in
from dualnum.primitive import Box as _Box, unbox_all as _unbox_all
from dualnum.rules.special import (
    betainc, betaln, gammaln, log_ndtr, ndtr, ndtri, poch, stdtr, xlog1py, xlogy,
)

_HALF_LOG_2PI = 0.5 * math.log(2.0 * math.pi)
_LOG_PI = math.log(math.pi)


def _mask(cond: Any) -> np.ndarray:
    """A condition on (primal) values as a boolean array (comparisons on boxes read primals)."""
    return np.asarray(cond, dtype=bool)


def _swap(v: Any, at: np.ndarray, fill: float) -> Any:
    """``v`` with ``fill`` where ``at``: the harmless point a branch not taken is computed at."""
    return _R.where(at, fill, v) if at.any() else v


def _nan_at(bad: np.ndarray, out: Any) -> Any:
    """nan where the parameters are invalid (scipy's answer), in the value and the derivative."""
    return out * np.where(bad, np.nan, 1.0) if bad.any() else out


def _invalid(v: Any, strict: bool = True) -> np.ndarray:
    """Where a positive parameter is not (nan included): ``v <= 0``, or ``v < 0`` if not
    ``strict``."""
    v = np.asarray(_unbox_all(v))
    return ~(v > 0) if strict else ~(v >= 0)


def _standardize(x: Any, loc: Any, scale: Any) -> tuple[Any, Any, np.ndarray]:
    """``z = (x - loc) / scale``, the scale made harmless where invalid, and where it is."""
    x, loc, scale = _in(x), _in(loc), _in(scale)
    bad = _invalid(scale)
    s = _swap(scale, bad, 1.0)
    return (x - loc) / s, s, bad


class rv_frozen:
    """A distribution with its parameters fixed, as ``scipy.stats.norm(loc, scale)``:
    ``norm(1.0, 2.0).logpdf(x)`` is ``norm.logpdf(x, 1.0, 2.0)``.

    >>> from dualnum.scipy import stats
    >>> round(float(stats.norm(1.0, 2.0).logpdf(1.0)), 10)   # -log(2√(2π))
    -1.6120857138
    """

    def __init__(self, dist: Any, *args: Any, **kwds: Any) -> None:
        self.dist, self.args, self.kwds = dist, args, kwds

    def logpdf(self, x: Any) -> Any:
        return self.dist.logpdf(x, *self.args, **self.kwds)

    def pdf(self, x: Any) -> Any:
        return self.dist.pdf(x, *self.args, **self.kwds)

    def logpmf(self, k: Any) -> Any:
        return self.dist.logpmf(k, *self.args, **self.kwds)

    def pmf(self, k: Any) -> Any:
        return self.dist.pmf(k, *self.args, **self.kwds)

    def cdf(self, x: Any) -> Any:
        return self.dist.cdf(x, *self.args, **self.kwds)

    def logcdf(self, x: Any) -> Any:
        return self.dist.logcdf(x, *self.args, **self.kwds)

    def sf(self, x: Any) -> Any:
        return self.dist.sf(x, *self.args, **self.kwds)

    def logsf(self, x: Any) -> Any:
        return self.dist.logsf(x, *self.args, **self.kwds)

    def ppf(self, q: Any) -> Any:
        return self.dist.ppf(q, *self.args, **self.kwds)

    def isf(self, q: Any) -> Any:
        return self.dist.isf(q, *self.args, **self.kwds)


class _Distribution:
    """What every distribution shares: freezing (``dist(*params)``) and a clear error for a
    method scipy has and dualnum does not."""

    name = ""
    methods: tuple[str, ...] = ()

    def __call__(self, *args: Any, **kwds: Any) -> rv_frozen:
        return rv_frozen(self, *args, **kwds)

    def __getattr__(self, attr: str) -> Any:
        if attr.startswith("_"):
            raise AttributeError(attr)
        raise AttributeError(f"dualnum.scipy.stats.{self.name} has no {attr!r}; it has "
                             f"{', '.join(self.methods)}")

    def __repr__(self) -> str:
        return f"<dualnum.scipy.stats.{self.name}>"


class norm_gen(_Distribution):
    """The normal distribution, scipy's ``norm`` (``loc``, ``scale``).

    >>> import dualnum as dn
    >>> from dualnum.scipy.stats import norm
    >>> round(float(norm.logpdf(0.0)), 12), float(norm.cdf(0.0))
    (-0.918938533205, 0.5)
    >>> dn.grad(lambda m: norm.logpdf(1.5, loc=m, scale=0.5))(1.0)    # (x - m) / s²
    2.0
    """

    name = "norm"
    methods = ("logpdf", "pdf", "cdf", "logcdf", "sf", "logsf", "ppf", "isf")

    def logpdf(self, x: Any, loc: Any = 0.0, scale: Any = 1.0) -> Any:
        z, s, bad = _standardize(x, loc, scale)
        return _nan_at(bad, -0.5 * (z * z) - _R.log(s) - _HALF_LOG_2PI)

    def pdf(self, x: Any, loc: Any = 0.0, scale: Any = 1.0) -> Any:
        return _R.exp(self.logpdf(x, loc, scale))

    def cdf(self, x: Any, loc: Any = 0.0, scale: Any = 1.0) -> Any:
        z, _, bad = _standardize(x, loc, scale)
        return _nan_at(bad, ndtr(z))

    def logcdf(self, x: Any, loc: Any = 0.0, scale: Any = 1.0) -> Any:
        z, _, bad = _standardize(x, loc, scale)
        return _nan_at(bad, log_ndtr(z))

    def sf(self, x: Any, loc: Any = 0.0, scale: Any = 1.0) -> Any:
        z, _, bad = _standardize(x, loc, scale)
        return _nan_at(bad, ndtr(-z))

    def logsf(self, x: Any, loc: Any = 0.0, scale: Any = 1.0) -> Any:
        z, _, bad = _standardize(x, loc, scale)
        return _nan_at(bad, log_ndtr(-z))

    def ppf(self, q: Any, loc: Any = 0.0, scale: Any = 1.0) -> Any:
        loc, scale = _in(loc), _in(scale)
        bad = _invalid(scale)
        return _nan_at(bad, loc + _swap(scale, bad, 1.0) * ndtri(_in(q)))

    def isf(self, q: Any, loc: Any = 0.0, scale: Any = 1.0) -> Any:
        loc, scale = _in(loc), _in(scale)
        bad = _invalid(scale)
        return _nan_at(bad, loc - _swap(scale, bad, 1.0) * ndtri(_in(q)))


class t_gen(_Distribution):
    """Student's t distribution, scipy's ``t`` (``df``, ``loc``, ``scale``); ``df = inf`` is
    the normal distribution. The cdf is scipy's stdtr (a row, differentiable in x and loc,
    scale; ``df`` is not differentiated there: NoRuleError).

    >>> from dualnum.scipy.stats import t
    >>> round(float(t.pdf(0.0, df=1.0)), 12)     # Cauchy: 1/π
    0.318309886184
    """

    name = "t"
    methods = ("logpdf", "pdf", "cdf", "sf")

    def logpdf(self, x: Any, df: Any, loc: Any = 0.0, scale: Any = 1.0) -> Any:
        z, s, bad = _standardize(x, loc, scale)
        df = _in(df)
        dfv = np.asarray(_unbox_all(df))
        bad = bad | _invalid(dfv)
        normal = np.isposinf(dfv)
        d = _swap(df, bad | normal, 1.0)
        # scipy's formula: log(Γ((df+1)/2)/Γ(df/2)) through poch, accurate at large df
        out = (_R.log(poch(0.5 * d, 0.5)) - 0.5 * (_R.log(d) + _LOG_PI)
               - 0.5 * (d + 1.0) * _R.log1p(z * z / d))
        if normal.any():
            out = _R.where(normal, -0.5 * (z * z) - _HALF_LOG_2PI, out)
        return _nan_at(bad, out - _R.log(s))

    def pdf(self, x: Any, df: Any, loc: Any = 0.0, scale: Any = 1.0) -> Any:
        return _R.exp(self.logpdf(x, df, loc, scale))

    def cdf(self, x: Any, df: Any, loc: Any = 0.0, scale: Any = 1.0) -> Any:
        z, _, bad = _standardize(x, loc, scale)
        return self._cdf(z, _in(df), bad)

    def sf(self, x: Any, df: Any, loc: Any = 0.0, scale: Any = 1.0) -> Any:
        z, _, bad = _standardize(x, loc, scale)
        return self._cdf(-z, _in(df), bad)

    def _cdf(self, z: Any, df: Any, bad: np.ndarray) -> Any:
        dfv = np.asarray(_unbox_all(df))
        bad = bad | _invalid(dfv)
        normal = np.isposinf(dfv)
        out = stdtr(_swap(df, bad | normal, 1.0), z)
        if normal.any():
            out = _R.where(normal, ndtr(z), out)
        return _nan_at(bad, out)


class gamma_gen(_Distribution):
    """The gamma distribution, scipy's ``gamma`` (shape ``a``, ``loc``, ``scale``); support
    x >= loc.

    >>> from dualnum.scipy.stats import gamma
    >>> float(gamma.logpdf(1.0, 1.0)), float(gamma.logpdf(-1.0, 2.0))   # exp(-1); outside
    (-1.0, -inf)
    """

    name = "gamma"
    methods = ("logpdf", "pdf")

    def logpdf(self, x: Any, a: Any, loc: Any = 0.0, scale: Any = 1.0) -> Any:
        z, s, bad = _standardize(x, loc, scale)
        a = _in(a)
        bad = bad | _invalid(a)
        a = _swap(a, bad, 1.0)
        outside = _mask(z < 0)
        z = _swap(z, outside, 1.0)
        out = xlogy(a - 1.0, z) - z - gammaln(a) - _R.log(s)
        if outside.any():
            out = _R.where(outside, -np.inf, out)
        return _nan_at(bad, out)

    def pdf(self, x: Any, a: Any, loc: Any = 0.0, scale: Any = 1.0) -> Any:
        return _R.exp(self.logpdf(x, a, loc, scale))


class beta_gen(_Distribution):
    """The beta distribution, scipy's ``beta`` (``a``, ``b``, ``loc``, ``scale``) on
    [loc, loc + scale]. The cdf is the regularized incomplete beta function (a row
    differentiable in x, loc and scale; ``a`` and ``b`` are not differentiated there).

    >>> from dualnum.scipy.stats import beta
    >>> float(beta.pdf(0.5, 2.0, 2.0)), float(beta.cdf(0.5, 2.0, 2.0))
    (1.5, 0.5)
    """

    name = "beta"
    methods = ("logpdf", "pdf", "cdf")

    def _params(self, x: Any, a: Any, b: Any, loc: Any, scale: Any) -> tuple:
        z, s, bad = _standardize(x, loc, scale)
        a, b = _in(a), _in(b)
        bad = bad | _invalid(a) | _invalid(b)
        return z, s, _swap(a, bad, 1.0), _swap(b, bad, 1.0), bad

    def logpdf(self, x: Any, a: Any, b: Any, loc: Any = 0.0, scale: Any = 1.0) -> Any:
        z, s, a, b, bad = self._params(x, a, b, loc, scale)
        outside = _mask((z < 0) | (z > 1))
        z = _swap(z, outside, 0.5)
        out = xlogy(a - 1.0, z) + xlog1py(b - 1.0, -z) - betaln(a, b) - _R.log(s)
        if outside.any():
            out = _R.where(outside, -np.inf, out)
        return _nan_at(bad, out)

    def pdf(self, x: Any, a: Any, b: Any, loc: Any = 0.0, scale: Any = 1.0) -> Any:
        return _R.exp(self.logpdf(x, a, b, loc, scale))

    def cdf(self, x: Any, a: Any, b: Any, loc: Any = 0.0, scale: Any = 1.0) -> Any:
        z, _, a, b, bad = self._params(x, a, b, loc, scale)
        below, above = _mask(z < 0), _mask(z > 1)
        out = betainc(a, b, _swap(_swap(z, below, 0.0), above, 1.0))
        if below.any() or above.any():   # 0 and 1 beyond the support: constants there
            out = _R.where(below, 0.0, _R.where(above, 1.0, out))
        return _nan_at(bad, out)


class poisson_gen(_Distribution):
    """The Poisson distribution, scipy's ``poisson`` (``mu``, ``loc``): a count ``k`` (a
    constant: it is not differentiable), differentiable in ``mu``; ``-inf`` log-mass at a
    negative or non-integer ``k - loc``.

    >>> import dualnum as dn
    >>> from dualnum.scipy.stats import poisson
    >>> round(float(poisson.pmf(2, 2.0)), 12)          # 2² e⁻² / 2!
    0.270670566473
    >>> float(dn.grad(lambda mu: poisson.logpmf(3, mu))(1.5))   # k/mu - 1
    1.0
    """

    name = "poisson"
    methods = ("logpmf", "pmf")

    def logpmf(self, k: Any, mu: Any, loc: Any = 0) -> Any:
        if isinstance(k, _Box) or isinstance(loc, _Box):
            raise TypeError("poisson.logpmf: k and loc are counts, which have no derivative; "
                            "pass numbers (mu is differentiable)")
        k = np.asarray(k, dtype=float) - np.asarray(loc, dtype=float)
        mu = _in(mu)
        bad = _invalid(mu, strict=False)
        mu = _swap(mu, bad, 1.0)
        off = ~((k >= 0) & (k == np.floor(k)))    # nan k included
        k = np.where(off, 0.0, k)
        out = xlogy(k[()] if k.ndim == 0 else k, mu) - gammaln(k + 1.0) - mu
        if off.any():
            out = _R.where(off, -np.inf, out)
        return _nan_at(bad, out)

    def pmf(self, k: Any, mu: Any, loc: Any = 0) -> Any:
        return _R.exp(self.logpmf(k, mu, loc))


norm = norm_gen()
t = t_gen()
gamma = gamma_gen()
beta = beta_gen()
poisson = poisson_gen()
