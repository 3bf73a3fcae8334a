"""Identities of the Fourier transforms that need no reference at all, and the tape rows.

* Parseval (``Σ|x|² = (1/N) Σ|X|²``; for ``rfft`` the inside bins count twice, so the
  identity differentiated is the Hermitian halving itself): values and gradients;
* the VJP is the transpose of the JVP under ``<u, v> = Re(u·v)``, ``<u, J v> = <Jᵀu, v>``,
  for every rule and every transform of dnp.fft, with complex tangents and cotangents
  (cotangents of real outputs complex too: only their real part may count);
* round trips differentiate to the identity (``ifft∘fft``, ``irfft∘rfft``, ``ifftshift∘
  fftshift``); a shift's transpose is the other shift;
* ``irfft``'s gradient against the Hermitian extension written out by hand (an explicit
  exponential sum, no fft): the classic bug, irfft's adjoint taken as rfft, fails here;
* each dnp.fft transform records the rows it should.
"""
from __future__ import annotations

import numpy as np
import pytest

import dualnum as dn
import dualnum.numpy as dnp
from dualnum import rules as R

from .fft_helpers import (
    NORMS, REAL_INPUT, REAL_OUTPUT, TRANSFORMS, close, dnp_call, label, rng_for, sample,
)
from .specs import quick_first

LENGTHS = [1, 2, 3, 4, 7, 8]


# ------------------------------------------------------------------ Parseval


@pytest.mark.parametrize("N", LENGTHS)
def test_parseval_for_fft_values_and_gradients(N):
    rng = rng_for("parseval", N)
    for cplx in (False, True):
        x = sample(rng, (N,), cplx)
        energy = lambda v: dnp.sum(dnp.real(v * dnp.conj(v)))
        spec = lambda v: dnp.sum(dnp.real(dnp.fft.fft(v) * dnp.conj(dnp.fft.fft(v)))) / N
        ortho = lambda v: energy(dnp.fft.fft(v, norm="ortho"))
        inv = lambda v: energy(dnp.fft.ifft(v, norm="forward")) / N
        for L in (spec, ortho, inv):
            close(L(x), energy(x), f"Parseval N={N}", 1e-13, 1e-13)
            # grad Σ|x|² = 2 conj(x) (2x for real x), in both modes
            close(dn.grad(L)(x), 2 * np.conj(x), f"Parseval gradient N={N}", 1e-13, 1e-13)
            t = sample(rng, (N,), cplx)
            close(dn.jvp(L, (x,), (t,))[1], 2 * np.sum(np.real(np.conj(x) * t)),
                  f"Parseval jvp N={N}", 1e-12, 1e-12)


@pytest.mark.parametrize("N", LENGTHS)
@pytest.mark.parametrize("norm", NORMS)
def test_parseval_for_rfft_counts_the_inside_bins_twice(N, norm):
    # Σ x² = c·(|X_0|² + 2 Σ_inside |X_k|² + |X_{N/2}|² (N even)), c = 1/N·(N scale)²
    x = sample(rng_for("parseval-r", N, norm), (N,), False)
    w = np.full(N // 2 + 1, 2.0)
    w[0] = 1.0
    if N % 2 == 0:
        w[-1] = 1.0
    c = {None: 1 / N, "backward": 1 / N, "ortho": 1.0, "forward": float(N)}[norm]
    L = lambda v: c * dnp.sum(w * dnp.abs(dnp.fft.rfft(v, norm=norm)) ** 2)
    close(L(x), np.sum(x * x), f"rfft Parseval N={N}", 1e-13, 1e-13)
    close(dn.grad(L)(x), 2 * x, f"rfft Parseval gradient N={N}", 1e-12, 1e-12)
    close(dn.hessian(L)(x), 2 * np.eye(N), f"rfft Parseval Hessian N={N}", 1e-12, 1e-12)
    # and the inverse: Σ y² for y = irfft(X) with X Hermitian-valid
    X = np.fft.rfft(x)
    Li = lambda V: dnp.sum(dnp.fft.irfft(V, n=N) ** 2)
    close(dn.grad(Li)(X), 2 * w * np.conj(X) / N, f"irfft Parseval gradient N={N}",
          1e-12, 1e-12)


# ------------------------------------------------------------------ the transpose identity

TRANSPOSE = []
for _name in TRANSFORMS:
    if _name in ("fft", "ifft", "rfft", "irfft", "hfft", "ihfft"):
        _shapes = [((5,), {}), ((6,), {"n": 4}), ((5,), {"n": 8}), ((6,), {"n": 9}),
                   ((2, 4), {"axis": 0, "n": 3}), ((3, 4), {"n": 1})]
        if _name in ("irfft", "hfft"):
            _shapes += [((4,), {"n": 7}), ((4,), {"n": 6}), ((4,), {"n": 2})]
    elif _name.endswith("2"):
        _shapes = [((3, 4), {}), ((2, 3, 4), {"s": (4, 5)}), ((3, 5), {"axes": (1, 0)})]
    else:
        _shapes = [((3, 4), {}), ((2, 3, 4), {"axes": (0, 2), "s": (3, 5)}),
                   ((2, 3, 4), {"axes": (2, 1)})]
    for _shape, _kw in _shapes:
        for _norm in NORMS[1:]:
            TRANSPOSE.append((_name, _shape, {**_kw, "norm": _norm}))
TRANSPOSE_IDS = [f"{n}{s}{label(k)}" for n, s, k in TRANSPOSE]


@pytest.mark.parametrize("name,shape,kw", quick_first(TRANSPOSE, lambda c: c[0], TRANSPOSE_IDS,
                                                      unpack=True))
def test_vjp_is_the_transpose_of_the_jvp(name, shape, kw):
    rng = rng_for("transpose", name, shape, kw)
    cplx = name not in REAL_INPUT
    x = sample(rng, shape, cplx)
    f = lambda v: dnp_call(name, v, **kw)
    for _ in range(2):
        v = sample(rng, shape, cplx)
        y, jv = dn.jvp(f, (x,), (v,))
        u = sample(rng, np.shape(y), True)          # complex even for a real output
        y2, back = dn.vjp(f, x)
        (jtu,) = back(u)
        assert np.iscomplexobj(jtu) == cplx and np.iscomplexobj(y) == (name not in REAL_OUTPUT)
        lhs = np.sum(np.real(u * np.asarray(jv)))
        rhs = np.sum(np.real(np.asarray(jtu) * v))
        assert abs(lhs - rhs) <= 1e-12 * max(1.0, abs(lhs)), f"<u,Jv>={lhs} <Jᵀu,v>={rhs}"
        close(y2, y, "the values of jvp and vjp", 0, 0)


@pytest.mark.parametrize("prim", [R.fft, R.ifft, R.rfft, R.irfft], ids=lambda p: p.name)
def test_each_rule_is_the_transpose_of_its_jvp_in_a_batch(prim):
    # the rules themselves, a batch of directions at once (lead = 1), cut and pad alike
    rng = rng_for("rule-batch", prim.name)
    for kw in ({"n": 3, "axis": 0}, {"n": 8, "axis": -2, "norm": "ortho"}, {"axis": 0}):
        cplx = prim is not R.rfft
        x = sample(rng, (5, 2), cplx)
        y = prim(x, **kw)
        ts = sample(rng, (3, 5, 2), cplx)
        us = sample(rng, (3,) + np.shape(y), True)
        jv = prim.jvp((ts,), y, (x,), kw, 1)
        (jtu,) = prim.vjp((True,), us, y, (x,), kw, 1)
        for b in range(3):
            close(jv[b], prim.jvp((ts[b],), y, (x,), kw, 0), f"{prim.name} jvp batch {b}",
                  1e-14, 1e-14)
            lhs = np.sum(np.real(us[b] * jv[b]))
            rhs = np.sum(np.real(jtu[b] * ts[b]))
            assert abs(lhs - rhs) <= 1e-12 * max(1.0, abs(lhs)), (prim.name, kw, lhs, rhs)


# ------------------------------------------------------------------ round trips


@pytest.mark.parametrize("N", LENGTHS)
def test_round_trips_differentiate_to_the_identity(N):
    rng = rng_for("round", N)
    x, z = sample(rng, (N,), False), sample(rng, (N,), True)
    for norm in NORMS:
        rt = lambda v: dnp.fft.irfft(dnp.fft.rfft(v, norm=norm), n=N, norm=norm)
        close(rt(x), x, f"irfft∘rfft N={N}", 1e-13, 1e-13)
        close(dn.jacfwd(rt)(x), np.eye(N), f"irfft∘rfft jacfwd N={N}", 1e-13, 1e-13)
        close(dn.jacrev(rt)(x), np.eye(N), f"irfft∘rfft jacrev N={N}", 1e-13, 1e-13)
        ct = lambda v: dnp.fft.ifft(dnp.fft.fft(v, norm=norm), norm=norm)
        close(dn.jacfwd(ct)(z), np.eye(N), f"ifft∘fft jacfwd N={N}", 1e-13, 1e-13)
        close(dn.jacrev(ct)(z), np.eye(N), f"ifft∘fft jacrev N={N}", 1e-13, 1e-13)
    # n beyond the signal: irfft(rfft(x, n), n) is x padded; its first rows are the identity
    M = N + 3
    pad = lambda v: dnp.fft.irfft(dnp.fft.rfft(v, n=M), n=M)
    close(dn.jacrev(pad)(x), np.eye(M, N), f"padded round trip N={N}", 1e-13, 1e-13)


def test_rfft_of_irfft_projects_onto_hermitian_spectra():
    # rfft(irfft(c)) drops Im c_0 and Im c_{N/2}: its Jacobian is that projection, exactly
    rng = rng_for("project")
    for N in (6, 7):
        K = N // 2 + 1
        c = sample(rng, (K,), True)
        f = lambda v: dnp.fft.rfft(dnp.fft.irfft(v, n=N))
        want = c.copy()
        want[0] = want[0].real
        if N % 2 == 0:
            want[-1] = want[-1].real
        close(f(c), want, f"rfft∘irfft N={N}", 1e-13, 1e-13)
        t = sample(rng, (K,), True)
        jt = dn.jvp(f, (c,), (t,))[1]
        proj = t.copy()
        proj[0] = proj[0].real
        if N % 2 == 0:
            proj[-1] = proj[-1].real
        close(jt, proj, f"rfft∘irfft jvp N={N}", 1e-13, 1e-13)
        u = sample(rng, (K,), True)
        close(dn.vjp(f, c)[1](u)[0], np.where(np.isin(np.arange(K), [0, N // 2])
                                              if N % 2 == 0 else np.arange(K) == 0,
                                              u.real + 0j, u),
              f"rfft∘irfft vjp N={N}", 1e-13, 1e-13)


SHIFT_SHAPES = [((5,), None), ((6,), None), ((3, 5), None), ((3, 5), 0), ((2, 3, 4), (2, 0)),
                ((3, 4), (1, 1))]


@pytest.mark.parametrize("shape,axes", SHIFT_SHAPES, ids=[f"{s}{a}" for s, a in SHIFT_SHAPES])
def test_shift_round_trips_and_transposes(shape, axes):
    rng = rng_for("shift", shape, axes)
    x = sample(rng, shape, True)
    for a, b in ((dnp.fft.fftshift, dnp.fft.ifftshift), (dnp.fft.ifftshift, dnp.fft.fftshift)):
        close(b(a(x, axes), axes), x, "shift round trip", 0, 0)
        u = sample(rng, shape, True)
        # a permutation's transpose is its inverse: the VJP of fftshift is ifftshift
        close(dn.vjp(lambda v: a(v, axes), x)[1](u)[0], b(u, axes), "shift transpose", 0, 0)
        close(dn.jvp(lambda v: b(a(v, axes), axes), (x,), (u,))[1], u, "round-trip jvp", 0, 0)


# ------------------------------------------------------------------ the Hermitian halving


def _irfft_by_hand(c: np.ndarray, N: int) -> np.ndarray:
    """irfft written out: the Hermitian extension of c to N bins, then the inverse sum."""
    K = N // 2 + 1
    cc = np.zeros(K, complex)
    cc[:min(K, c.size)] = c[:K]
    full = np.zeros(N, complex)
    full[:K] = cc
    full[0] = cc[0].real
    if N % 2 == 0:
        full[N // 2] = cc[N // 2].real
    for k in range(1, (N + 1) // 2):
        full[N - k] = np.conj(cc[k])
    j = np.arange(N)[:, None]
    return (np.exp(2j * np.pi * j * np.arange(N)[None, :] / N) @ full).real / N


@pytest.mark.parametrize("m,N", [(4, 6), (4, 7), (4, 5), (4, 4), (5, 13), (3, 2), (2, 1)])
def test_irfft_gradient_is_the_hermitian_extensions_not_rffts(m, N):
    rng = rng_for("halving", m, N)
    c = sample(rng, (m,), True)
    g = rng.normal(size=N)
    close(dnp.fft.irfft(c, n=N), _irfft_by_hand(c, N), "irfft by hand", 1e-13, 1e-13)
    got = dn.vjp(lambda v: dnp.fft.irfft(v, n=N), c)[1](g)[0]
    # the gradient of Σ g·y by differences of the hand-written extension (x and y parts)
    h = 1e-6
    want = np.zeros(m, complex)
    for k in range(m):
        e = np.zeros(m)
        e[k] = h
        dx = (g @ _irfft_by_hand(c + e, N) - g @ _irfft_by_hand(c - e, N)) / (2 * h)
        dy = (g @ _irfft_by_hand(c + 1j * e, N) - g @ _irfft_by_hand(c - 1j * e, N)) / (2 * h)
        want[k] = dx - 1j * dy
    close(got, want, f"irfft gradient m={m} N={N}", 1e-8, 1e-9)
    naive = np.conj(np.fft.rfft(g, n=N))[:m] / N      # "irfft's adjoint is rfft": wrong
    if N > 2:
        assert not np.allclose(np.pad(naive, (0, max(0, m - naive.size))), want), \
            "the naive adjoint should differ from the true one here"


# ------------------------------------------------------------------ what the tape records

ROWS = {
    "fft": ["fft"], "ifft": ["ifft"], "rfft": ["rfft"], "irfft": ["irfft"],
    "hfft": ["conj", "irfft"], "ihfft": ["rfft", "conj"],
    "fft2": ["fft", "fft"], "ifft2": ["ifft", "ifft"], "rfft2": ["rfft", "fft"],
    "irfft2": ["ifft", "irfft"], "fftn": ["fft", "fft"], "ifftn": ["ifft", "ifft"],
    "rfftn": ["rfft", "fft"], "irfftn": ["ifft", "irfft"],
    "fftshift": ["getitem", "getitem", "concatenate"] * 2,
    "ifftshift": ["getitem", "getitem", "concatenate"] * 2,
}


@pytest.mark.parametrize("name", sorted(ROWS))
def test_each_function_records_the_rows_of_its_rules(name):
    x = sample(rng_for("rows", name), (3, 4), name not in REAL_INPUT)
    with dn.Tape() as tape:
        v = tape.var(x)
        start = len(tape.entries)
        y = getattr(dnp.fft, name)(v)
    assert [e.op for e in tape.entries[start:]] == ROWS[name]
    assert isinstance(y, dn.TapeVar) and all(dn.has_rule(op) for op in ROWS[name])
    close(y.value, getattr(np.fft, name)(x), f"{name} value", 1e-13, 1e-13)


def test_the_transforms_are_rows_of_the_table():
    for p in (R.fft, R.ifft, R.rfft, R.irfft):
        assert dn.has_rule(p.name) and R.get_rule(p.name) is p and p.family == "fft"
        assert p.reads == ((False,), False)      # the VJPs read shapes and keywords only
    assert R.fft.analytic and R.ifft.analytic            # complex-linear
    assert not R.rfft.analytic and not R.irfft.analytic  # complex step cannot run through
