"""Judges the core tests share: dualnum's modes held against the references of refs.py."""
from __future__ import annotations

from typing import Any, Callable

import dualnum as dn

from .refs import assert_close, central_jacobian


def both_modes(f: Callable[..., Any], *args: Any, wrt: int = 0, what: str = "") -> None:
    """jacfwd and jacrev of ``f`` in argument ``wrt`` equal central differences (and each
    other, to rounding)."""
    ref = central_jacobian(f, list(args), [wrt])[0]
    fwd = dn.jacfwd(f, argnums=wrt)(*args)
    rev = dn.jacrev(f, argnums=wrt)(*args)
    assert_close(fwd, ref, 1e-6, 1e-7, f"{what} forward")
    assert_close(rev, ref, 1e-6, 1e-7, f"{what} reverse")
    assert_close(rev, fwd, 1e-12, 1e-13, f"{what} reverse vs forward")
