"""``dualnum.scipy``: scipy's special functions (:mod:`dualnum.scipy.special`) and
distributions (:mod:`dualnum.scipy.stats`), differentiable like every dnp function.

Opt-in: ``dualnum`` itself never imports this package, and it needs scipy, an optional
extra (``pip install dualnum-toolkit[scipy]``); without scipy, importing it raises an
ImportError whose one line says so.

>>> import dualnum.scipy as dsc
>>> float(dsc.special.gammaln(3.0)) == float(dsc.stats.gamma.logpdf(0.0, 1.0)) + 0.6931471805599453
True
"""
from dualnum.scipy import special, stats

__all__ = ["special", "stats"]
