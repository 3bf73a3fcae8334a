"""``check_grads``: one call in a unit test that says whether dualnum differentiates ``f`` right.

It checks the derivatives that forward and/or reverse mode compute against independent
references (sympy, finite differences):

* small inputs: the **full Jacobian**, entry by entry;
* large inputs: one **seeded random direction** ``v`` — forward mode's ``J v`` against the
  reference's directional derivative, reverse mode through the inner product
  ``⟨uᵀJ, v⟩ = ⟨u, J v⟩`` (so one VJP and one reference derivative check the whole transpose);
* ``order=2``: recursion — the *exact* first derivative (by each mode) becomes the function
  under test, its derivatives by each mode are compared with finite differences of that exact
  derivative (never second differences of ``f``) and with sympy's second derivative.

On a disagreement it raises ``AssertionError`` with a small table: the sub-check, the output and
input indices, both values, the point, the step, the reference's error estimate, and whether the
point sits on a kink. An entry whose disagreement a kink explains (the mode's value lies between
the one-sided derivatives there) is not a failure: it goes to a :class:`KinkWarning` instead.

>>> import numpy as np
>>> import dualnum.numpy as dnp
>>> check_grads(lambda x: dnp.sum(dnp.tanh(x) ** 2), (np.array([0.3, -1.2]),), order=2)
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence

import numpy as np

from . import references as refs
from dualnum import tree

from .case import flatten
from .check_level import DEFAULT_RTOL, _check_level, _first_of, _Level, _mode_jacobian
from .check_table import _format
from .check_user import check_gradient
from .tape_inspect import kinks as find_kinks

__all__ = ["check_grads", "KinkWarning", "DEFAULT_RTOL", "FULL_LIMIT"]


class KinkWarning(UserWarning):
    """``check_grads`` found entries that disagree only because the point sits on a kink.

    >>> issubclass(KinkWarning, UserWarning)
    True
    """


#: inputs up to this size get the full Jacobian; above it, one seeded random direction
FULL_LIMIT = 48


def check_grads(
    f: Callable,
    args,
    modes: Sequence[str] = ("forward", "reverse"),
    references: Sequence[str] = ("symbolic", "central"),
    order: int = 1,
    atol: float | None = None,
    rtol: float | None = None,
    grad: Callable | None = None,
    full: bool | None = None,
) -> None:
    """Check ``f``'s derivatives by ``modes`` against ``references``; raise on disagreement.

    ``grad`` (optional) is *your* gradient function, called like ``f``: it is checked first,
    against the most precise of ``references``, and a disagreement raises
    :class:`~dualnum.comparisons.check_user.GradientMismatch` (an ``AssertionError``) whose
    table names each wrong block and the kind of slip (see :mod:`.check_user`).

    ``args`` is the tuple of positional arguments (a single array is accepted too); every
    argument is differentiated (nested lists/dicts of arrays allowed). ``atol``/``rtol`` override
    the per-reference defaults (:data:`DEFAULT_RTOL`; ``atol`` defaults to ``rtol`` times the
    largest reference entry). Returns ``None`` when everything agrees.

    ``full``: ``True`` checks the whole Jacobian entry by entry, ``False`` one seeded random
    direction per mode (``J·v``, and ``⟨uᵀJ, v⟩ = ⟨u, J·v⟩`` for reverse mode: the checks
    autograd's ``check_grads`` makes), ``None`` (the default) by size: entry by entry up to
    :data:`FULL_LIMIT` inputs.

    **Kinks.** At a point where ``f`` passes through a kink (relu or abs at 0, a max tie, a
    step), the derivative is a convention (relu'(0) = 0 here, 1 in JAX's abs) and no reference
    can agree with every convention. A disagreeing entry is then checked against the one-sided
    derivatives along its direction: if they differ (the direction crosses the kink) and the
    mode's value lies between them, the entry is a *kink*, not a failure — it is reported by a
    :class:`KinkWarning` with the same table, and ``check_grads`` does not raise for it. A
    value outside the one-sided range is wrong whatever the convention, and fails (the kink
    column then says so); entries along smooth directions are checked as usual.

    >>> import dualnum.numpy as dnp
    >>> check_grads(lambda W, x: dnp.sum(dnp.tanh(W @ x)), (np.eye(2), np.array([0.5, -1.0])))
    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     check_grads(lambda x: dnp.sum(dnp.relu(x)), (np.array([0.0, 2.0]),),
    ...                 references=("central",))
    >>> print(str(caught[0].message).splitlines()[0])
    check_grads: 2 entries on a kink (not failures) at x = [0. 2.]
    >>> check_grads(lambda x: dnp.sum(dnp.sin(x) ** 2), (np.linspace(0, 1, 20),),
    ...             references=("central",), full=False)      # one random direction
    """
    if order not in (1, 2):
        raise ValueError(f"check_grads: order must be 1 or 2, got {order!r}")
    args = tuple(args) if isinstance(args, (tuple, list)) else (args,)
    if grad is not None:
        check_gradient(f, args, grad, references, atol, rtol)
    if full not in (None, True, False):
        raise ValueError(f"check_grads: full must be True, False or None, got {full!r}")
    x, _ = flatten(list(args))
    a0 = args[0]
    if len(args) == 1 and type(a0) is np.ndarray and a0.dtype == np.float64 and a0.ndim == 1:
        h0 = f          # one flat float vector: f takes the point as it is
    else:
        unravel = tree.ravel(list(args), leaf_lists=False)[1]   # built once, called per point

        def h0(v):
            return f(*unravel(v))

    out0 = np.asarray(h0(x), dtype=np.float64)
    if full is None:
        full = x.size <= FULL_LIMIT and out0.size * x.size <= 64 * FULL_LIMIT
    found: list = []

    def kink_note() -> str:
        # which kinks the point sits on: one recording, made only when an entry disagrees
        # (the note says why; a passing check needs none)
        if not found:
            try:
                ks = find_kinks(h0, x)
            except Exception:  # f cannot be recorded on a tape: kink status unknown
                ks = []
            found.append("; ".join(f"{k.op}: {k.convention}" for k in ks))
        return found[0]

    def sym0(z, direction):
        if direction is None:
            return refs.symbolic_jacobian(h0, z)
        est = refs.symbolic_jacobian(lambda t: h0(z + t[0] * direction), np.zeros(1))
        return refs.Estimate(est.value[..., 0], est.error[..., 0], "symbolic", None)

    table: list = []
    kink_table: list = []
    ran: dict = {}
    rng = np.random.default_rng(0)
    _check_level(_Level("", h0, sym0), x, modes, references, atol, rtol, full, rng, kink_note,
                 table, ran, kink_table, out0)
    if order == 2:
        for inner in modes:
            level = _second_level(inner, h0, x, out0, full, rng)
            _check_level(level, x, modes, references, atol, rtol, full, rng, kink_note, table,
                         ran, kink_table)
    if not ran.get("ok"):
        reasons = "; ".join(ran.get("refused", [])) or "no reference given"
        raise AssertionError(f"check_grads: no reference could check f ({reasons})")
    if kink_table:
        warnings.warn(_format(kink_table, x, "entries on a kink (not failures)"), KinkWarning,
                      stacklevel=2)
    if table:
        raise AssertionError(_format(table, x))


def _second_level(inner: str, h0: Callable, x: np.ndarray, out0: np.ndarray, full: bool, rng):
    """The exact first derivative by ``inner`` mode, as a new function to check (order 2)."""
    scalar = out0.ndim == 0
    if full:
        def g(z):
            return _mode_jacobian(inner, h0, z, scalar).reshape(-1) if _is_plain(z) else \
                _boxed_jacobian(inner, h0, z, scalar)

        def sym(z, direction):
            est = refs.symbolic_hessian(h0, z)
            n = z.size
            return refs.Estimate(est.value.reshape(-1, n), est.error.reshape(-1, n),
                                 "symbolic", None)

        return _Level(f"order 2 ({inner} derivative): ", g, sym)
    w = rng.standard_normal(x.shape) if inner == "forward" else rng.standard_normal(out0.shape)
    import dualnum as dn

    if inner == "forward":
        def g(z):
            return _first_of(dn.jvp(h0, (z,), (w,))[1])
    else:
        def g(z):
            return _first_of(dn.vjp(h0, z)[1](w))
    return _Level(f"order 2 ({inner} directional derivative): ", g, None)


def _is_plain(z) -> bool:
    return isinstance(z, np.ndarray) and z.dtype != object


def _boxed_jacobian(inner: str, h0: Callable, z, scalar: bool):
    """The inner derivative traced by an outer interpreter (z is a Dual / tape variable)."""
    import dualnum as dn
    import dualnum.numpy as dnp

    if inner == "forward":
        J = dn.jacfwd(h0)(z)
    else:
        J = dn.grad(h0)(z) if scalar else dn.jacrev(h0)(z)
    return dnp.reshape(J, (-1,))
