"""``dualnum.scipy.stats``: the log-densities and distribution functions models use, with
scipy.stats' names, argument names and broadcasting, differentiable in the point and the
parameters (forward, reverse, higher orders).

========================  ==================================================================
``norm``                  logpdf, pdf, cdf, logcdf, sf, logsf, ppf, isf (loc, scale)
``t``                     logpdf, pdf, cdf, sf (df, loc, scale; the cdf not in df)
``gamma``                 logpdf, pdf (a, loc, scale)
``beta``                  logpdf, pdf, cdf (a, b, loc, scale; the cdf not in a, b)
``poisson``               logpmf, pmf (k constant, mu differentiable, loc)
``dirichlet``             logpdf, pdf (x, alpha; components along x's first axis, as scipy)
``multivariate_normal``   logpdf, pdf (x, mean, cov; through a Cholesky factor)
========================  ==================================================================

Each is also callable to freeze its parameters, as in scipy: ``norm(0.0, 2.0).logpdf(x)``.
Needs scipy (``pip install dualnum-toolkit[scipy]``).

>>> import dualnum as dn
>>> from dualnum.scipy import stats
>>> dn.grad(lambda s: stats.norm.logpdf(2.0, 0.0, s))(2.0)    # -1/s + x²/s³
0.0
"""
from __future__ import annotations

import dualnum.scipy.special  # noqa: F401  (scipy present, or the one-line ImportError)
from dualnum.scipy._multivariate import dirichlet, multivariate_normal
from dualnum.scipy._univariate import beta, gamma, norm, poisson, rv_frozen, t

__all__ = ["norm", "t", "gamma", "beta", "poisson", "dirichlet", "multivariate_normal",
           "rv_frozen"]
