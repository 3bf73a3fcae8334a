"""The rule table, part 6: the discrete Fourier transform along one axis (``fft``, ``ifft``,
``rfft``, ``irfft``). The n-dimensional transforms of :mod:`dualnum.numpy.fft` are these
applied axis after axis, as numpy computes them.

Each row takes numpy's ``n`` (the transform length ``N``: the input is cut or padded with
zeros to it along ``axis``), ``axis`` and ``norm`` (``"backward"``, ``"ortho"``,
``"forward"``). All four maps are linear, so the JVP is the same transform of the tangent. The
VJPs follow the complex convention of :mod:`dualnum.rules.complex` (cotangents pair with
tangents by ``<u, v> = Re(u·v)``, no conjugation), under which a complex-linear map's VJP is
its plain transpose. With ``P`` the cut/pad to ``N`` (whose transpose ``Pᵀ`` pads/cuts back
to the input's length ``m``) and ``s`` the scaling of ``norm``:

=========  ====================================  =============================================
primitive  map                                   VJP of ``ḡ``
=========  ====================================  =============================================
``fft``    ``s·F P x``, ``F_kj = e^{−2πijk/N}``  ``Pᵀ fft(ḡ)`` (``F`` is symmetric)
``ifft``   ``s·F̄ P x``                           ``Pᵀ ifft(ḡ)``
``rfft``   the first ``K = N//2+1`` rows of fft  ``Pᵀ Re(s·Fᵀ [ḡ; 0])``
``irfft``  Hermitian extension, then ``ifft``    ``Pᵀ (w ⊙ conj(rfft(Re ḡ)))``, ``w = 1,2,…,2,1``
=========  ====================================  =============================================

**The Hermitian halving** (the classic bug: irfft's adjoint is not rfft). ``irfft`` reads bin
``k`` of its input once for the DC bin and for the Nyquist bin (``N`` even) but twice for every
other bin (``c_k`` and its mirror ``conj(c_k)`` at ``N − k``), and ignores the imaginary parts
of DC and Nyquist. So its VJP is ``conj(rfft(ḡ))`` (with the opposite ``norm``) times
``w_k = 2`` inside and ``1`` at DC and Nyquist; the DC and Nyquist adjoints come out real. The
other way round, ``rfft``'s VJP ``Re Σ_k ḡ_k e^{−2πijk/N}`` is an ``irfft`` of ``conj(ḡ)``
times ``½`` inside and ``1`` at DC and Nyquist (``irfft`` doubles the inside bins itself).
For odd ``N`` there is no Nyquist bin: every bin but DC is doubled.

sympy has no Fourier transform: on object arrays of sympy expressions the implementation
sums the DFT's definition (``exp(∓2πijk/N)`` as exact cosines and sines), which gives the
symbolic interpreter its value and the sweeps an independent reference.

>>> import numpy as np, dualnum as dn
>>> x = np.array([1.0, 2.0, 0.0, -1.0])
>>> rfft(x)
array([2.+0.j, 1.-3.j, 0.+0.j])
>>> dn.vjp(lambda v: irfft(v, n=4), rfft(x))[1](np.array([1.0, 0, 0, 0]))[0]  # DC, 2×, Nyquist
array([0.25+0.j, 0.5 +0.j, 0.25+0.j])
"""
from __future__ import annotations

import functools
import operator
from typing import Any

import numpy as np

from dualnum.primitive import Primitive, is_complex, shape_of
from dualnum.rules._declare import REAL, _sympy, is_symbolic
from dualnum.rules.complex import conj, real
from dualnum.rules.shape import getitem, pad

__all__ = ["fft", "ifft", "rfft", "irfft", "check_norm", "transform_geometry", "OPPOSITE"]

NORMS = ("backward", "ortho", "forward")
#: the norm whose scaling a transform's adjoint carries: an inverse transform's ``"backward"``
#: divides by N, which is what the forward transform's ``"forward"`` does
OPPOSITE = {"backward": "forward", "ortho": "ortho", "forward": "backward"}


def check_norm(name: str, norm: Any) -> str:
    """``norm`` as one of numpy's three names (``None`` is ``"backward"``).

    >>> check_norm("fft", None), check_norm("fft", "ortho")
    ('backward', 'ortho')
    >>> check_norm("fft", "unitary")
    Traceback (most recent call last):
    ...
    ValueError: fft: invalid norm value 'unitary'; should be "backward", "ortho" or "forward"
    """
    if norm is None:
        return "backward"
    if not isinstance(norm, str) or norm not in NORMS:
        raise ValueError(f'{name}: invalid norm value {norm!r}; should be "backward", "ortho" '
                         'or "forward"')
    return norm


def transform_geometry(name: str, shape: tuple, n: Any, axis: Any) -> tuple[int, int, int]:
    """``(axis, N, m)`` of a one-axis transform of an array of ``shape``: the axis counted from
    the end (negative, so leading batch axes of tangents never move it), the transform
    length ``N`` (``n``, or numpy's default: the input's length ``m``, ``2(m − 1)`` for
    ``irfft``) and ``m``. Raises numpy's error types, naming the function and the argument.

    >>> transform_geometry("fft", (3, 8), None, 0), transform_geometry("irfft", (5,), None, -1)
    ((-2, 3, 3), (-1, 8, 5))
    """
    nd = len(shape)
    try:
        a = operator.index(axis)
    except TypeError:
        raise TypeError(f"{name}: axis must be an integer, got {axis!r}") from None
    if not -nd <= a < nd:
        raise np.exceptions.AxisError(
            f"{name}: axis {a} is out of bounds for an array of dimension {nd}"
            + (" (a transform needs at least one axis)" if nd == 0 else ""))
    a = a % nd - nd
    m = shape[a]
    if n is None:
        N = 2 * (m - 1) if name in ("irfft", "hfft") else m
        if N < 1:
            raise ValueError(f"{name}: invalid number of FFT data points ({N}) from an input of "
                             f"length {m} along axis {a}"
                             + ("; give n" if name in ("irfft", "hfft") else ""))
        return a, N, m
    try:
        if type(n) is bool:         # numpy refuses True/False as a length
            raise TypeError
        N = operator.index(n)
    except TypeError:
        raise TypeError(f"{name}: n must be an integer, got {n!r}") from None
    if N < 1:
        raise ValueError(f"{name}: invalid number of FFT data points (n={N}); n must be >= 1")
    return a, N, m


def _args(name: str, x: Any, kw: dict) -> tuple[int, int, int, str]:
    a, N, m = transform_geometry(name, shape_of(x), kw.get("n"), kw.get("axis", -1))
    return a, N, m, check_norm(name, kw.get("norm"))


# ------------------------------------------------------------------ the implementations

_NUMPY = {"fft": np.fft.fft, "ifft": np.fft.ifft, "rfft": np.fft.rfft, "irfft": np.fft.irfft}


def _implementation(name: str) -> Any:
    np_fn = _NUMPY[name]
    fast_dtypes = "d" if name == "rfft" else "dD"   # rfft refuses complex input (below)

    def impl(x: Any, n: Any = None, axis: Any = -1, norm: Any = None) -> Any:
        if type(x) is np.ndarray and x.dtype.char in fast_dtypes and type(n) is int and \
                n >= 1 and type(axis) is int and -x.ndim <= axis < 0 and type(norm) is str \
                and norm in NORMS:
            # the arguments as dnp.fft and the rules pass them (checked already: a length, an
            # axis counted from the end, a norm's name): numpy directly
            return np_fn(x, n=n, axis=axis, norm=norm)
        if is_symbolic(x):
            a, N, m = transform_geometry(name, np.shape(x), n, axis)
            return _definition(name, np.asarray(x, dtype=object), N, a, check_norm(name, norm))
        if type(x) is not np.ndarray:
            x = np.asarray(x)
        a, N, m = transform_geometry(name, x.shape, n, axis)
        norm = check_norm(name, norm)
        if name == "rfft" and x.dtype.kind == "c":
            raise TypeError("rfft: the input is complex; rfft transforms real input (use fft "
                            "for complex input, or take the real part first)")
        return np_fn(x, n=N, axis=a, norm=norm)
    impl.__name__ = f"_{name}_impl"
    impl.__doc__ = f"numpy.fft.{name} with checked arguments; on sympy values the DFT's sum"
    return impl


def _scale(sp: Any, N: int, norm: str, inverse: bool) -> Any:
    norm = OPPOSITE[norm] if inverse else norm
    return {"backward": sp.Integer(1), "ortho": 1 / sp.sqrt(N), "forward": sp.Rational(1, N)}[norm]


def _root(sp: Any, k: int, N: int, sign: int) -> Any:
    """``exp(sign·2πik/N)`` exactly, as a cosine and a sine sympy evaluates where it can."""
    t = 2 * sp.pi * sp.Rational(k % N, N)
    return sp.cos(t) + sign * sp.I * sp.sin(t)


def _definition(name: str, x: np.ndarray, N: int, axis: int, norm: str) -> np.ndarray:
    """The transform of an object array by the DFT's defining sums (the symbolic path)."""
    sp = _sympy()
    xm = np.moveaxis(x, axis, -1)
    K = N // 2 + 1
    L = K if name == "irfft" else N             # the input length the transform reads
    m = xm.shape[-1]
    cut = np.zeros(xm.shape[:-1] + (L,), dtype=object)
    cut[...] = sp.Integer(0)
    cut[..., :min(m, L)] = xm[..., :min(m, L)]
    s = _scale(sp, N, norm, name in ("ifft", "irfft"))
    if name == "irfft":
        # y_j = s·[Re c_0 + 2 Σ_inside Re(c_k e^{2πijk/N}) + Re c_{N/2} (−1)^j (N even)]
        mult = [1 if k == 0 or 2 * k == N else 2 for k in range(K)]
        M = np.array([[mult[k] * _root(sp, j * k, N, +1) for k in range(K)] for j in range(N)],
                     dtype=object)
        flat = cut.reshape(-1, K)
        out = np.array([[s * sp.re(sum(M[j, k] * row[k] for k in range(K))) for j in range(N)]
                        for row in flat], dtype=object).reshape(cut.shape[:-1] + (N,))
    else:
        sign = +1 if name == "ifft" else -1
        rows = K if name == "rfft" else N
        M = np.array([[s * _root(sp, j * k, N, sign) for j in range(N)] for k in range(rows)],
                     dtype=object)
        flat = cut.reshape(-1, N)
        out = np.array([[sp.expand(sum(M[k, j] * row[j] for j in range(N)))
                         for k in range(rows)] for row in flat],
                       dtype=object).reshape(cut.shape[:-1] + (rows,))
    out = np.moveaxis(out, -1, axis)
    return out


# ------------------------------------------------------------------ the rules' pieces


def _resize(v: Any, axis: int, m: int) -> Any:
    """``v`` cut or zero-padded to length ``m`` along ``axis`` (negative): ``Pᵀ``, the
    transpose of the cut/pad a transform applies to its input."""
    vs = shape_of(v)
    L = vs[axis]
    if L == m:
        return v
    if m < L:
        return getitem(v, (Ellipsis, slice(0, m)) + (slice(None),) * (-axis - 1))
    width = [(0, 0)] * len(vs)
    width[len(vs) + axis] = (0, m - L)
    return pad(v, pad_width=tuple(width))


@functools.lru_cache(maxsize=256)
def _bins(N: int, axis: int, inside: float) -> np.ndarray:
    """Weights over the ``K = N//2 + 1`` bins of a real transform, shaped to broadcast along
    ``axis``: 1 at DC and (``N`` even) at Nyquist, ``inside`` for every other bin. Cached,
    hence read-only."""
    K = N // 2 + 1
    w = np.full(K, inside)
    w[0] = 1.0
    if N % 2 == 0:
        w[-1] = 1.0
    w = w.reshape((K,) + (1,) * (-axis - 1))
    w.flags.writeable = False
    return w


def _linear_rules(name: str) -> tuple:
    """fft's and ifft's JVP and VJP: each is linear, so its JVP is the transform of the
    tangent, and its transpose (no conjugation) is the same transform again, cut or padded
    back to the input's length."""
    def jvp(ts, ans, args, kw, lead):
        a, N, m, norm = _args(name, args[0], kw)
        return _TRANSFORMS[name](ts[0], n=N, axis=a, norm=norm)

    def vjp(needs, g, ans, args, kw, lead):
        a, N, m, norm = _args(name, args[0], kw)
        return (_resize(_TRANSFORMS[name](g, n=N, axis=a, norm=norm), a, m),)

    return jvp, vjp


def _rfft_jvp(ts, ans, args, kw, lead):
    a, N, m, norm = _args("rfft", args[0], kw)
    return rfft(ts[0], n=N, axis=a, norm=norm)


def _rfft_vjp(needs, g, ans, args, kw, lead):
    # Re Σ_{k<K} ḡ_k e^{−2πijk/N}·s: irfft doubles the inside bins and reads only the real
    # parts of DC and Nyquist, so it gets conj(ḡ) halved inside; its opposite norm is s
    a, N, m, norm = _args("rfft", args[0], kw)
    if type(g) is np.ndarray:
        # plain arrays (a first-order sweep): one fresh array, scaled in place (on large
        # spectra a second temporary costs more in page faults than the transform), and
        # numpy's irfft on it directly: the checks of irfft's implementation are the ones
        # _args made (its input has K = N//2 + 1 bins along axis a)
        c = np.conjugate(g)
        c *= _bins(N, a, 0.5)
        if c.dtype.char in "dD":
            return (_resize(np.fft.irfft(c, n=N, axis=a, norm=OPPOSITE[norm]), a, m),)
    else:
        c = conj(g) * _bins(N, a, 0.5)
    return (_resize(irfft(c, n=N, axis=a, norm=OPPOSITE[norm]), a, m),)


def _irfft_jvp(ts, ans, args, kw, lead):
    a, N, m, norm = _args("irfft", args[0], kw)
    return irfft(ts[0], n=N, axis=a, norm=norm)


def _irfft_vjp(needs, g, ans, args, kw, lead):
    # ∂/∂c_k of Σ_j ḡ_j y_j: Σ_j ḡ_j e^{+2πijk/N}·s = conj(rfft(ḡ))_k (opposite norm), read
    # twice for the inside bins (c_k and its mirror), once at DC and Nyquist
    a, N, m, norm = _args("irfft", args[0], kw)
    if is_complex(g):
        g = real(g)         # the output is real: only a cotangent's real part pairs with it
    G = rfft(g, n=N, axis=a, norm=OPPOSITE[norm])
    if type(G) is np.ndarray:       # our own fresh array: conjugated and scaled in place
        np.conjugate(G, out=G)
        G *= _bins(N, a, 2.0)
        return (_resize(G, a, m),)
    return (_resize(conj(G) * _bins(N, a, 2.0), a, m),)


# sym=None on every row: sympy has no Fourier transform; on sympy values the implementation
# sums the DFT's definition (_definition). reads="": the VJPs read the input's shape and the
# keywords only. domain: any real point (the sweeps' cases are in tests/core/specs.py).
_TRANSFORMS: dict = {}      # the rows by name, for their own rules (filled below)
_fft_jvp, _fft_vjp = _linear_rules("fft")
_ifft_jvp, _ifft_vjp = _linear_rules("ifft")

fft = Primitive(
    "fft", _implementation("fft"), sym=None, jvp=_fft_jvp, vjp=_fft_vjp, domain=(REAL,),
    family="fft", nargs=1, params=("n", "axis", "norm"), reads="")

ifft = Primitive(
    "ifft", _implementation("ifft"), sym=None, jvp=_ifft_jvp, vjp=_ifft_vjp, domain=(REAL,),
    family="fft", nargs=1, params=("n", "axis", "norm"), reads="")
_TRANSFORMS.update(fft=fft, ifft=ifft)

rfft = Primitive(
    # not analytic: numpy's rfft refuses complex input, so complex step cannot run through it
    "rfft", _implementation("rfft"), sym=None, jvp=_rfft_jvp, vjp=_rfft_vjp, domain=(REAL,),
    analytic=False, family="fft", nargs=1, params=("n", "axis", "norm"), reads="")

irfft = Primitive(
    # real-linear, not complex-linear (it conjugates the mirrored bins): not analytic
    "irfft", _implementation("irfft"), sym=None, jvp=_irfft_jvp, vjp=_irfft_vjp,
    domain=(REAL,), analytic=False, family="fft", nargs=1, params=("n", "axis", "norm"),
    reads="")

FFT = (fft, ifft, rfft, irfft)
