"""Name the slip: where a hand-written gradient disagrees with the references, and how.

For every parameter block (``W2``, ``b1``, ``layers[1].W``) whose hand-written gradient ``h``
differs from the reference ``r`` by more than the engine allows (:func:`engine.allowance`), the
diagnosis gives the number of wrong entries, the worst one with both values, and the first of
these patterns that holds for *every* entry of the block (within the same allowance):

=================  =================================================================
``zero``           the block was left zero
``sign``           ``h = −r``
``factor``         ``h = c·r`` for one constant ``c``, named as a fraction and, when the
                   case has a batch size ``m``, as ``m``, ``1/m``, ``4/m`` …
``transposed``     ``h = rᵀ`` (a square block; another shape fails the structure check)
``swapped``        ``h`` is the gradient of another block of the same shape, and that
                   block's ``h`` is this one's (``copied`` when only the first holds)
``missing-factor`` ``h`` is the gradient reverse mode gives when one elementwise operation
                   (an activation) passes its adjoint back unchanged: the activation
                   derivative ``g'(a)`` is missing (see :mod:`.probe`)
``missing-term``   ``h = r − r'`` with ``r'`` another block's gradient, or the
                   contribution of one use of the parameter (a penalty, a shared weight)
``none``           no simple pattern: the worst entries are listed
=================  =================================================================

>>> r = [np.array([[1.0, 2.0], [3.0, 4.0]]), np.array([0.5, -1.0])]
>>> h = [2.0 * r[0], r[1]]
>>> allowed = [1e-12 * (4.0 + np.abs(b)) for b in r]
>>> (d,) = diagnose_blocks(h, r, allowed, ["W", "b"], batch_sizes=[])
>>> d["block"], d["wrong"], d["kind"], d["diagnosis"]
('W', 4, 'factor', 'a constant factor ×2')
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

import numpy as np

__all__ = ["diagnose_blocks", "diagnose_one", "factor_name", "batch_sizes", "index_text"]


def batch_sizes(data: dict | None) -> list[int]:
    """The dimensions every array of ``data`` shares (the samples axis, whichever side it is
    on), larger than 1: the candidates for the batch size ``m``.

    >>> batch_sizes({"X": np.zeros((2, 5)), "Y": np.zeros((3, 5))})
    [5]
    >>> batch_sizes({"X": np.zeros((2, 5))}), batch_sizes(None)
    ([2, 5], [])
    """
    common = None
    for v in (data or {}).values():
        shape = np.shape(v)
        if not shape:
            continue
        dims = {int(d) for d in shape if d > 1}
        common = dims if common is None else common & dims
    return sorted(common or [])


def _fraction(c: float, max_den: int = 8, max_num: int = 16) -> Fraction | None:
    if not np.isfinite(c) or c == 0:
        return None
    fr = Fraction(c).limit_denominator(max_den)
    if abs(fr.numerator) > max_num or abs(float(fr) - c) > 1e-6 * abs(c):
        return None
    return fr


def _frac_text(fr: Fraction) -> str:
    sign = "−" if fr < 0 else ""
    fr = abs(fr)
    return f"{sign}{fr.numerator}" if fr.denominator == 1 else \
        f"{sign}{fr.numerator}/{fr.denominator}"


def _with_m(fr: Fraction, k: int) -> str:
    """``p/q · m^k`` written out: ``m``, ``1/m``, ``4/m``, ``2m``, ``m²``, ``−1/m``."""
    sign = "−" if fr < 0 else ""
    p, q = abs(fr.numerator), fr.denominator
    mk = "m" if abs(k) == 1 else "m²"
    if k > 0:
        num = mk if p == 1 else f"{p}{mk}"
        return f"{sign}{num}" if q == 1 else f"{sign}{num}/{q}"
    den = mk if q == 1 else f"{q}{mk}"
    return f"{sign}{p}/{den}"


def factor_name(c: float, batch: Sequence[int] = ()) -> str:
    """A constant factor spelt the way a slip is made: a small fraction, and in terms of the
    batch size ``m`` when ``c`` is ``m``, ``1/m``, ``4/m``, ``m²`` … for one of ``batch``.

    >>> factor_name(2.0), factor_name(0.5), factor_name(-1 / 3)
    ('×2', '×1/2', '×−1/3')
    >>> factor_name(8.0, [8]), factor_name(0.125, [8])
    ('×m (m = 8, the batch size)', '×1/m (m = 8, the batch size)')
    >>> factor_name(0.8, [5]), factor_name(4 / 11, [11])
    ('×4/5 = 4/m (m = 5, the batch size)', '×4/m (m = 11, the batch size)')
    >>> factor_name(1.2345678), factor_name(10.0, [5]), factor_name(2.0, [5])
    ('×1.23457', '×10 = 2m (m = 5, the batch size)', '×2')
    """
    plain = _fraction(c)
    by_m = []
    for m in batch:
        for k in (1, -1, 2, -2):
            fr = _fraction(c / float(m) ** k)
            # only the forms a slip writes: a whole number times m^k, or m^k over a whole number
            if fr is not None and (fr.denominator == 1 or abs(fr.numerator) == 1):
                by_m.append((abs(fr.numerator) + fr.denominator + abs(k), m, _with_m(fr, k)))
    by_m.sort()
    m_text = f"{by_m[0][2]} (m = {by_m[0][1]}, the batch size)" if by_m else ""
    exact_m = bool(by_m) and by_m[0][2].lstrip("−") in ("m", "1/m", "m²", "1/m²")
    if exact_m or (by_m and plain is None):
        return "×" + m_text
    if plain is not None:
        # the batch-size spelling too where it says more: 4/5 = 4/m, 10 = 2m (not 2 = 10/m)
        useful = m_text and (plain.denominator > 1 or any(
            abs(plain.numerator) % m == 0 for m in batch))
        return "×" + _frac_text(plain) + (f" = {m_text}" if useful else "")
    return f"×{c:.6g}"


def index_text(name: str, idx: tuple) -> str:
    """``W2[1, 0]``; a scalar block is its name alone.

    >>> index_text("W2", (1, 0)), index_text("c", ())
    ('W2[1, 0]', 'c')
    """
    return f"{name}[{', '.join(str(int(i)) for i in idx)}]" if idx else name


def _close(a, b, tol) -> bool:
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    if b.ndim == 0:
        b = np.broadcast_to(b, a.shape)
    return a.shape == b.shape and bool(np.all(np.abs(a - b) <= tol))


def _table(name: str, h, r, allowed, limit: int = 5) -> list[dict]:
    diff = np.abs(h - r)
    ratio = np.where(np.isnan(diff), np.inf, diff / np.maximum(allowed, 1e-300))
    order = np.argsort(-ratio, axis=None, kind="stable")
    rows = []
    for flat in order[:limit]:
        idx = np.unravel_index(flat, np.shape(h)) if np.ndim(h) else ()
        if not ratio[idx] > 1:
            break
        hv, rv = float(h[idx]), float(r[idx])
        rows.append({"entry": index_text(name, idx), "hand": hv, "reference": rv,
                     "ratio": hv / rv if rv != 0 else None})
    return rows


def diagnose_one(name: str, h, r, allowed, others: dict | None = None,
                 counterfactuals: Sequence = (), uses: Sequence = (),
                 batch: Sequence[int] = ()) -> tuple[str, str]:
    """``(kind, text)`` for one wrong block (see the module docstring for the kinds).

    ``others`` maps the other blocks' names to ``(h, r, allowed)``; ``counterfactuals`` are
    ``(label, gradient of this block)`` pairs, ``uses`` ``(label, contribution)`` pairs.

    >>> r = np.array([[1.0, 2.0], [3.0, 4.0]])
    >>> diagnose_one("W", r.T, r, 1e-12)
    ('transposed', 'transposed: hand = referenceᵀ')
    >>> diagnose_one("W", np.zeros((2, 2)), r, 1e-12)[0], diagnose_one("W", -r, r, 1e-12)[0]
    ('zero', 'sign')
    """
    h, r = np.asarray(h, dtype=np.float64), np.asarray(r, dtype=np.float64)
    allowed = np.broadcast_to(np.asarray(allowed, dtype=np.float64), r.shape)
    others = others or {}
    if _close(h, 0.0, allowed):
        return "zero", "left zero: every entry of the hand gradient is 0"
    if _close(h, -r, allowed):
        return "sign", "sign flipped: hand = −reference"
    rr = float(np.vdot(r, r))
    if rr > 0:
        c = float(np.vdot(h, r)) / rr
        if abs(c - 1.0) > 1e-9 and _close(h, c * r, abs(c) * allowed + 1e-12 * abs(c - 1.0)
                                          * np.abs(r)):
            return "factor", f"a constant factor {factor_name(c, batch)}"
    if h.ndim == 2 and h.shape[0] == h.shape[1] and not _close(r, r.T, allowed) \
            and _close(h, r.T, allowed):
        return "transposed", "transposed: hand = referenceᵀ"
    for other, (ho, ro, ao) in others.items():
        if np.shape(ro) == r.shape and _close(h, ro, ao) and not _close(r, ro, allowed):
            if _close(ho, r, allowed):
                return "swapped", (f"swapped with {other}: the hand gradient of {name} is the "
                                   f"gradient of {other}, and {other}'s is {name}'s")
            return "copied", f"holds the gradient of {other} (hand {name} = reference {other})"
    for label, cf in counterfactuals:
        if _close(h, cf, allowed):
            return "missing-factor", f"missing the activation derivative {label}"
    for other, (_, ro, _) in others.items():
        if np.shape(ro) == r.shape and _close(h, r - ro, allowed):
            return "missing-term", (f"missing a term equal to the gradient of {other}: "
                                    f"hand = reference − reference {other}")
        if np.shape(ro) == r.shape and _close(h, r + ro, allowed):
            return "missing-term", (f"an extra term equal to the gradient of {other}: "
                                    f"hand = reference + reference {other}")
    for label, contribution in uses:
        if _close(h, r - contribution, allowed):
            return "missing-term", (f"missing the term from its use in {label}: hand = "
                                    f"reference − that use's contribution")
    return "none", "no simple pattern"


def diagnose_blocks(hand: Sequence, ref: Sequence, allowed: Sequence, names: Sequence[str],
                    probe=None, batch_sizes: Sequence[int] = (),
                    reference: str = "reference") -> list[dict]:
    """One dict per block whose hand gradient is wrong: ``block``, ``shape``, ``wrong`` (how
    many entries), ``size``, ``worst`` (entry, hand, reference), ``kind``, ``diagnosis`` and
    ``table`` (the worst entries, for ``none``). ``probe`` (a :class:`.probe.Probe` of the
    same parameters, leaves in block order) supplies the missing-factor counterfactuals and
    the per-use contributions.
    """
    hand = [np.asarray(h, dtype=np.float64) for h in hand]
    ref = [np.asarray(r, dtype=np.float64) for r in ref]
    allowed = [np.broadcast_to(np.asarray(a, dtype=np.float64), r.shape)
               for a, r in zip(allowed, ref)]
    out = []
    for i, name in enumerate(names):
        h, r, a = hand[i], ref[i], allowed[i]
        bad = ~(np.abs(h - r) <= a)
        if not bad.any():
            continue
        others = {names[j]: (hand[j], ref[j], allowed[j]) for j in range(len(names)) if j != i}
        cfs = [] if probe is None else [(c.label, c.grads[i]) for c in probe.missing_factor]
        uses = [] if probe is None else [
            (f"{u.op} (tape entry {u.index})", u.contribution) for u in probe.uses if u.leaf == i]
        kind, text = diagnose_one(name, h, r, a, others, cfs, uses, batch_sizes)
        table = _table(name, h, r, a)
        worst = table[0] if table else {"entry": name, "hand": float(np.max(h)),
                                        "reference": float(np.max(r)), "ratio": None}
        out.append({"block": name, "shape": list(np.shape(r)), "wrong": int(bad.sum()),
                    "size": int(np.size(r)), "worst": worst, "kind": kind, "diagnosis": text,
                    "reference": reference, "table": table if kind == "none" else table[:1]})
    return out
