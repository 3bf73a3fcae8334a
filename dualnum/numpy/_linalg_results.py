"""The named results of ``dnp.linalg``'s decompositions: numpy's field names
(``eigh(A).eigenvalues``, ``svd(A).Vh``, ``slogdet(A).logabsdet``, ``qr(A).R``).

numpy returns namedtuples. These are plain ``tuple`` subclasses with the same fields as
properties but no ``_fields``: to ``dualnum.tree`` a namedtuple is a leaf, a tuple is a node, so
a function may return one of these whole to ``dn.jvp``, ``dn.vjp`` or ``dn.jacrev`` (the
derivative comes back as a plain tuple of the same length).

>>> r = EighResult(1.0, 2.0)
>>> r.eigenvalues, r, tuple(r) == (1.0, 2.0)
(1.0, EighResult(eigenvalues=1.0, eigenvectors=2.0), True)
"""
from __future__ import annotations

from typing import Any

__all__ = ["EighResult", "SVDResult", "QRResult", "SlogdetResult"]


class EighResult(tuple):
    """``(eigenvalues, eigenvectors)``, as numpy's ``EighResult``."""

    __slots__ = ()

    def __new__(cls, eigenvalues: Any, eigenvectors: Any) -> "EighResult":
        return tuple.__new__(cls, (eigenvalues, eigenvectors))

    eigenvalues = property(lambda self: self[0])
    eigenvectors = property(lambda self: self[1])

    def __repr__(self) -> str:
        return f"EighResult(eigenvalues={self[0]!r}, eigenvectors={self[1]!r})"


class SVDResult(tuple):
    """``(U, S, Vh)``, as numpy's ``SVDResult``."""

    __slots__ = ()

    def __new__(cls, U: Any, S: Any, Vh: Any) -> "SVDResult":
        return tuple.__new__(cls, (U, S, Vh))

    U = property(lambda self: self[0])
    S = property(lambda self: self[1])
    Vh = property(lambda self: self[2])

    def __repr__(self) -> str:
        return f"SVDResult(U={self[0]!r}, S={self[1]!r}, Vh={self[2]!r})"


class QRResult(tuple):
    """``(Q, R)``, as numpy's ``QRResult``."""

    __slots__ = ()

    def __new__(cls, Q: Any, R: Any) -> "QRResult":
        return tuple.__new__(cls, (Q, R))

    Q = property(lambda self: self[0])
    R = property(lambda self: self[1])

    def __repr__(self) -> str:
        return f"QRResult(Q={self[0]!r}, R={self[1]!r})"


class SlogdetResult(tuple):
    """``(sign, logabsdet)``, as numpy's ``SlogdetResult``."""

    __slots__ = ()

    def __new__(cls, sign: Any, logabsdet: Any) -> "SlogdetResult":
        return tuple.__new__(cls, (sign, logabsdet))

    sign = property(lambda self: self[0])
    logabsdet = property(lambda self: self[1])

    def __repr__(self) -> str:
        return f"SlogdetResult(sign={self[0]!r}, logabsdet={self[1]!r})"
