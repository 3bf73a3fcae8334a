"""dualnum.comparisons: independent references, the case catalogue, the comparison engine,
``check_grads`` for unit tests, and the report behind ``dualnum compare``.

>>> import numpy as np
>>> import dualnum.numpy as dnp
>>> from dualnum.comparisons import check_grads
>>> check_grads(lambda x: dnp.sum(dnp.sin(x) * x), (np.array([0.5, 1.5]),))
"""

from .check import KinkWarning, check_grads
from .references import Estimate, Refused
from .results import Report
from .user_cases import UserCase, case, compare

__all__ = ["check_grads", "KinkWarning", "Estimate", "Refused", "case", "compare", "UserCase",
           "Report"]
