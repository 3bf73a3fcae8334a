"""Primitives, boxes and levels: how one operation is run by several interpreters.

Every elementary operation (``sin``, ``multiply``, ``matmul`` ...) is a :class:`Primitive`: an
object that knows its numeric implementation, its sympy counterpart and its derivative rules
(declared in :mod:`dualnum.rules`). Calling a primitive decides *who* evaluates it:

* plain floats, ndarrays or sympy expressions: the primitive just computes its value;
* boxed values (a :class:`~dualnum.dual.Dual`, a tape variable): each box belongs to a
  :class:`Level` (one call of ``derivative``, one ``Tape`` ...). The primitive finds the
  *highest* level among its arguments and hands the call to that level, which unboxes its own
  boxes one layer, calls the primitive again on the contents, and boxes the answer (a forward
  level adds the tangent, a tape level appends an entry).

The hard case is nesting. Levels are numbered in creation order, so an inner ``derivative``
call always has a higher number than the outer one. In::

    derivative(lambda x: x * derivative(lambda y: x + y, 1.0), 1.0)

``x + y`` meets an outer-level dual ``x`` and an inner-level dual ``y``. The inner level is the
highest, so it treats ``x`` as a constant, unboxes only ``y`` and computes
``x + 1.0`` (which the outer level then handles) with inner tangent 1. The inner derivative is
therefore exactly 1, not 2: the perturbations of the two calls are never confused.

>>> from dualnum.rules import sin
>>> round(sin(0.5), 6)
0.479426
"""
from __future__ import annotations

import inspect
import itertools
from typing import Any, Callable

import numpy as np

# the concepts; the dispatch helpers (value1, value2, unbox_args, partial_at, shape_of,
# unbox_all, is_complex) are imported by name by the interpreters
__all__ = ["Primitive", "ComplexAwarePrimitive", "Box", "Level", "NoRuleError",
           "LeakedBoxError", "Kink", "ONE", "SAVED"]


class NoRuleError(NotImplementedError):
    """Raised when a derivative is asked of an operation that has no derivative rule.

    >>> from dualnum.rules import get_rule
    >>> get_rule("gcd")
    Traceback (most recent call last):
    ...
    dualnum.primitive.NoRuleError: no derivative rule for gcd
    """


class LeakedBoxError(RuntimeError):
    """Raised when a value boxed by a finished level (closed tape, returned derivative call)
    takes part in a new operation.

    >>> import dualnum as dn
    >>> with dn.Tape() as t:
    ...     x = t.var(1.0)
    >>> x * 2.0
    Traceback (most recent call last):
    ...
    dualnum.primitive.LeakedBoxError: multiply: an argument belongs to Tape #..., which has ...
    """


class _One:
    """Marker for a partial derivative that is exactly 1: the tangent/adjoint passes unchanged."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "ONE"


ONE = _One()

#: the keyword under which a tape keeps what a row's ``saves`` returned (see Primitive); a
#: name no numpy function takes, never shown (``Tape.entries`` leaves it out)
SAVED = "_dualnum_saved"


class Kink:
    """Where an operation is not differentiable, and which one-sided value we return there.

    ``at(*args)`` says (elementwise) whether the arguments sit exactly on the kink;
    ``convention`` is the human-readable rule, e.g. ``"relu'(0) = 0 (PyTorch)"``.
    """

    __slots__ = ("at", "convention")

    def __init__(self, at: Callable[..., Any], convention: str) -> None:
        self.at = at
        self.convention = convention

    def __repr__(self) -> str:
        return f"Kink({self.convention!r})"


class Level:
    """One interpreter level: a forward-mode call, a tape. Subclasses implement ``process``
    (any arguments) and its fast paths ``process1(prim, x)`` (one argument, a box of this
    level) and ``process2(prim, x, y)`` (two, at least one a box), which primitives call."""

    _counter = itertools.count(1)
    __slots__ = ("depth", "active", "__weakref__")

    def __init__(self) -> None:
        self.depth = next(Level._counter)
        self.active = True

    def describe(self) -> str:
        return f"{type(self).__name__} #{self.depth}"


class Box:
    """A value boxed by a level. Holds no math: its operators delegate to ``dualnum.numpy``."""

    __slots__ = ("_value", "_level")
    # numpy must hand mixed expressions (ndarray @ box, ndarray + box) to our reflected operators
    __array_priority__ = 1000.0


class Primitive:
    """One elementary operation of the rule table.

    Elementwise primitives carry ``partials``: one function per argument, ``d(*args, ans)``,
    giving the partial derivative (tangent = ``t * d``, adjoint = ``g * d``), or ``ONE``, or
    ``None`` for an argument that is never differentiated (a condition, an index). Structural
    primitives carry ``jvp(tangents, ans, args, kwargs, lead)`` and ``vjp(needs, g, ans, args,
    kwargs, lead)`` where ``lead`` is the number of leading batch axes (0, or 1 when many directions
    are pushed through at once).

    ``complex_via`` (optional, for a non-holomorphic elementwise op such as ``abs``): a
    composite of primitives computing the same value, run instead of the primitive whenever a
    call has a box (a derivative is being taken) and an argument holds complex numbers. A
    partial ``d`` says tangent = ``t·d``, which for complex ``z`` only holds when the op is
    holomorphic; ``|z|`` is not, and its composite ``hypot(real(z), imag(z))`` differentiates
    correctly in every mode. Plain numbers (the numeric and symbolic interpreters) never read
    it. A primitive given one is a :class:`ComplexAwarePrimitive`, whose own entry points
    make the test: the levels' hot paths carry none for the other primitives.

    ``diag_vjp(needs, d, ans, args, kwargs)`` (optional, structural primitives): the VJP of a
    batch of cotangents that is *diagonal*, row ``k`` equal to ``d_k e_k`` (``d`` shaped like
    the result, the batch as long as the result is big): ``jacrev``'s identity seed after it
    has passed elementwise entries only. Returns the contributions as ordinary batched
    adjoints (one leading axis), or None to have the sweep build the dense batch and call
    ``vjp``. It lets ``A @ x`` turn ``m`` diagonal rows into ``d[:, None] * A`` instead of an
    ``(m, m) @ (m, n)`` product (:meth:`dualnum.tape.Tape.sweep`).

    >>> from dualnum.rules import abs, sin
    >>> type(abs).__name__, type(sin).__name__, abs.complex_via.__name__
    ('ComplexAwarePrimitive', 'Primitive', '_abs_complex')
    """

    __slots__ = (
        "name", "impl", "sym", "partials", "jvp", "vjp", "domain", "kink", "analytic",
        "nondiff", "family", "nargs", "params", "fast", "reads", "complex_via", "diag_vjp",
        "on_arrays", "vjp_arrays", "lean", "saves",
    )

    def __new__(cls, *args: Any, complex_via: Callable[..., Any] | None = None,
                **kwargs: Any) -> "Primitive":
        # with a complex composite, the subclass whose entry points look for complex boxes
        if complex_via is not None and cls is Primitive:
            cls = ComplexAwarePrimitive
        return object.__new__(cls)

    def __init__(
        self,
        name: str,
        impl: Callable[..., Any],
        *,
        sym: Callable[..., Any] | None = None,
        partials: tuple | None = None,
        jvp: Callable[..., Any] | None = None,
        vjp: Callable[..., Any] | None = None,
        domain: Any = None,
        kink: Kink | None = None,
        analytic: bool = True,
        nondiff: bool = False,
        family: str = "",
        nargs: int | None = None,
        params: tuple[str, ...] = (),
        fast: Callable[..., Any] | None = None,
        complex_via: Callable[..., Any] | None = None,
        reads: str | None = None,
        diag_vjp: Callable[..., Any] | None = None,
        on_arrays: Callable[..., Any] | None = None,
        vjp_arrays: Callable[..., Any] | None = None,
        saves: Callable[..., Any] | None = None,
    ) -> None:
        self.name = name
        self.impl = impl
        self.sym = sym
        self.partials = partials
        self.jvp = jvp
        self.vjp = vjp
        self.domain = domain
        self.kink = kink
        self.analytic = analytic
        self.nondiff = nondiff
        self.family = family
        self.nargs = len(partials) if partials is not None else nargs
        # keyword parameters that may also be passed positionally after the nargs arrays;
        # they are always recorded as keywords, which is where the rules read them
        self.params = params
        # the same operation on Python floats (math.sin, operator.mul): the scalar fast path.
        # It may raise outside its domain; ``impl`` then gives numpy's nan/inf and warning.
        self.fast = fast
        # what the reverse rule reads, declared by the row: (per argument, the result)
        self.reads = _declared_reads(self, reads)
        # the same for one or two arguments, flat: (x kept?, [y kept?,] result kept?), which
        # a lean tape reads for every entry (None: another arity, or nothing declared)
        r = self.reads
        self.lean = (r[0] + (r[1],) if r is not None and type(r[0]) is tuple
                     and 1 <= len(r[0]) <= 2 else None)
        # the composite run on complex boxes (see the class; set it with with_complex_via)
        self.complex_via = complex_via
        # optional, structural rows: the VJP of a diagonal batch of cotangents (see the class)
        self.diag_vjp = diag_vjp
        # optional: what ``impl`` computes when every array argument is float64 (np.multiply,
        # np.matmul), for a tape to call without the implementation's type tests; it may
        # raise ValueError (shapes that do not fit), and ``impl`` then names the problem
        self.on_arrays = on_arrays
        # optional, elementwise rows of two arguments: ``vjp_arrays(g, x, y, ans, nx, ny)``
        # gives both contributions at once (None where not needed) when the adjoint ``g`` is
        # an ndarray, the tape's hot path calling it instead of ``g * partial``: a cheaper
        # order of the same arithmetic on float64 arrays, ``g * partial`` for anything else
        self.vjp_arrays = vjp_arrays
        # optional, structural rows of one argument: ``saves(a, **kwargs) -> (ans, saved)``,
        # the value for a float64 array together with what the VJP would otherwise compute
        # again (an LU factorization), for a tape to call instead of ``impl``. The tape keeps
        # ``saved`` (unless None) in the entry's keywords under :data:`SAVED`, where the VJP
        # finds it; no other interpreter calls it, and no rule may need it
        self.saves = saves

    def with_complex_via(self, via: Callable[..., Any]) -> "ComplexAwarePrimitive":
        """This primitive with the composite ``via`` for complex arguments (see the class): a
        copy, for primitives built by a helper (``unary``) that does not take one.

        >>> from dualnum.rules import multiply
        >>> twice = Primitive("twice", lambda x: 2 * x, partials=(lambda x, ans: 2.0,))
        >>> twice_c = twice.with_complex_via(lambda z: multiply(z, 2.0))
        >>> type(twice_c).__name__, twice_c(3.0), twice_c.partials is twice.partials
        ('ComplexAwarePrimitive', 6.0, True)
        """
        new = object.__new__(ComplexAwarePrimitive)
        for slot in Primitive.__slots__:
            setattr(new, slot, getattr(self, slot))
        new.complex_via = via
        return new

    @property
    def elementwise(self) -> bool:
        return self.partials is not None

    @property
    def differentiable(self) -> bool:
        return self.nondiff or self.partials is not None or (
            self.jvp is not None and self.vjp is not None)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if len(args) == 1:
            # the common case (unary functions, and partials calling primitives on floats);
            # every primitive with keyword parameters takes an array first, so no shuffling
            x = args[0]
            if not isinstance(x, Box):
                if kwargs:
                    if holds_box(x):
                        return self(stacked(x), **kwargs)
                    return self.impl(x, **kwargs)
                try:
                    return value1(self, x)
                except TypeError:
                    # a list holding boxes fails where it becomes an array (the boxes refuse
                    # __array__); stacked, it is an array box. The try costs nothing unless
                    # something failed, and this is the call's entry: no level is running it
                    if holds_box(x):
                        return self(stacked(x))
                    raise
            top = x._level
            if not kwargs:
                if not top.active:
                    raise self._leaked(top)
                return top.process1(self, x)
        elif len(args) == 2 and self.nargs == 2 and not kwargs:
            # binary calls from rules (``matmul(g, Bᵀ)``) take the operators' entry
            x, y = args
            if isinstance(x, Box) or isinstance(y, Box):
                return self.call2(x, y)
            try:
                return value2(self, x, y)
            except TypeError:       # as for one argument: lists holding boxes, stacked
                if holds_box(x) or holds_box(y):
                    return self(stacked(x), stacked(y))
                raise
        else:
            if self.params and len(args) > self.nargs:
                extra = args[self.nargs:]
                if len(extra) > len(self.params):
                    raise TypeError(f"{self.name}: too many positional arguments")
                kwargs = {**dict(zip(self.params, extra)), **kwargs}
                args = args[:self.nargs]
            top = None
            for a in args:
                if isinstance(a, Box):
                    lv = a._level
                    if top is None or lv.depth > top.depth:
                        top = lv
                elif holds_box(a):      # a list of boxes is an array: stack it first
                    return self(*[stacked(v) for v in args], **kwargs)
            if top is None:
                return self.impl(*args, **kwargs)
        if not top.active:
            raise self._leaked(top)
        return top.process(self, args, kwargs)

    def call2(self, x: Any, y: Any) -> Any:
        """``self(x, y)`` when ``x`` or ``y`` is known to be a box: the path of the binary
        operators of box types (``a * b``), which skips the generic argument handling.

        >>> import dualnum as dn
        >>> from dualnum.rules import multiply
        >>> multiply.call2(dn.Dual(2.0, 1.0), 3.0)
        6.0 + 3.0ε
        """
        if isinstance(x, Box):
            top = x._level
            if isinstance(y, Box) and y._level.depth > top.depth:
                top = y._level
        else:
            top = y._level
        if not top.active:
            raise self._leaked(top)
        try:
            return top.process2(self, x, y)
        except TypeError:
            # the other operand a list (``x * [x, y]``, ``x * [1.0, 2.0]``) fails where a
            # level turns it into an array, or where a partial meets it as a Python list;
            # as an array (a box if it holds boxes) it works. A free test: no cost unless
            # something failed. A plain list is an array only for elementwise rows (a tuple
            # handed to getitem is an index)
            if holds_box(x) or holds_box(y) or (self.partials is not None and (
                    type(x) in (list, tuple) or type(y) in (list, tuple))):
                return self.call2(stacked(x, True), stacked(y, True))
            raise

    def _leaked(self, top: "Level") -> "LeakedBoxError":
        return LeakedBoxError(
            f"{self.name}: an argument belongs to {top.describe()}, which has finished "
            "(a closed Tape, or a value that escaped a derivative call); "
            "recompute it inside the current computation")

    def no_rule(self) -> NoRuleError:
        return NoRuleError(f"no derivative rule for {self.name}")

    def __repr__(self) -> str:
        return f"<primitive {self.name}>"


def _declared_reads(prim: "Primitive", reads: str | None) -> tuple[Any, bool] | None:
    """The ``reads`` column as ``(per argument: kept?, result kept?)``; None (undeclared)
    keeps everything.

    Elementwise rows name the parameters of their partials (``"y ans"`` for divide:
    ``d/dx = 1/y``, ``d/dy = -ans/y``); structural rows say ``"args"`` (the VJP reads its
    operands' values; without it, only their shapes and dtypes, which the tape always keeps)
    and/or ``"ans"``. A variadic structural row (concatenate, einsum) gets one flag for all.
    An unknown name is a declaration error, raised when the table is built.
    """
    if reads is None:
        return None
    words = set(reads.split())
    if prim.partials is not None:
        names = _partial_names(prim.partials)
        unknown = words - set(names) - {"ans"}
        if unknown:
            raise ValueError(f"{prim.name}: reads names {sorted(unknown)}, but its partials "
                             f"take {names + ('ans',)}")
        return tuple(n in words for n in names), "ans" in words
    unknown = words - {"args", "ans"}
    if unknown:
        raise ValueError(f"{prim.name}: a structural rule reads 'args' and/or 'ans', "
                         f"not {sorted(unknown)}")
    keep = "args" in words
    return ((keep,) * prim.nargs if prim.nargs else keep), "ans" in words


def _partial_names(partials: tuple) -> tuple[str, ...]:
    """The argument names of an elementwise row, from its partials' own parameter lists
    (``d(x, lo, hi, ans)``): the one place they are spelled."""
    for d in partials:
        if d is not ONE and d is not None:
            return tuple(inspect.signature(d).parameters)[:-1]
    return ("x", "y", "z")[:len(partials)]      # every partial is ONE or None (add)


class ComplexAwarePrimitive(Primitive):
    """A primitive with a ``complex_via`` composite (``abs``, ``sign``): a call with a box
    (of any level, active) and a complex argument runs the composite, every other call the
    primitive. Tested here, where the call enters, so that no level (forward, tape, nested)
    can miss it and the levels' hot paths test nothing for the other primitives; complexness
    is the same at every level (a box's value, unboxed all the way down), so one test at the
    top suffices.

    >>> import dualnum as dn
    >>> from dualnum.rules import abs
    >>> abs(3 + 4j), float(dn.jvp(abs, (3 + 4j,), (1j,))[1])    # |z|, and Re(conj(z)·i)/|z|
    (np.float64(5.0), 0.8)
    """

    __slots__ = ()

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        for a in args:
            if isinstance(a, Box):
                # a finished level's box: the usual path raises, naming this primitive
                if a._level.active and any(is_complex(v) for v in args):
                    return self.complex_via(*args, **kwargs)
                break
        return Primitive.__call__(self, *args, **kwargs)

    def call2(self, x: Any, y: Any) -> Any:
        """``self(x, y)`` for the binary operators' entry (``x`` or ``y`` is a box).

        >>> import dualnum as dn
        >>> twice = Primitive("twice", lambda x, y: 2 * x * y,
        ...                   partials=(lambda x, y, ans: 2 * y, lambda x, y, ans: 2 * x),
        ...                   complex_via=lambda x, y: 2.0 * x * y)
        >>> type(twice).__name__, twice.call2(dn.Dual(2.0, 1.0), 3.0)
        ('ComplexAwarePrimitive', 12.0 + 6.0ε)
        """
        if is_complex(x) or is_complex(y):
            lv = (x if isinstance(x, Box) else y)._level
            if lv.active:
                return self.complex_via(x, y)
        return Primitive.call2(self, x, y)


def value1(prim: Primitive, x: Any) -> Any:
    """``prim(x)`` on a value one level down: the float fast path, or the next level's
    dispatch for a box, or the implementation."""
    if type(x) is float:
        fast = prim.fast
        if fast is not None:
            try:
                return fast(x)
            except (ValueError, OverflowError, ZeroDivisionError):
                pass
        return prim.impl(x)
    if isinstance(x, Box):
        return prim(x)
    return prim.impl(x)


def value2(prim: Primitive, x: Any, y: Any) -> Any:
    """``prim(x, y)`` on values one level down (see :func:`value1`)."""
    if type(x) is float and type(y) is float:
        fast = prim.fast
        if fast is not None:
            try:
                return fast(x, y)
            except (ValueError, OverflowError, ZeroDivisionError):
                pass
        return prim.impl(x, y)
    if isinstance(x, Box) or isinstance(y, Box):
        return prim.call2(x, y)
    return prim.impl(x, y)


def holds_box(v: Any) -> bool:
    """Whether ``v`` is a list or tuple with a box somewhere inside: numpy takes such a list
    as an array, and so do the primitives (:func:`stacked`).

    >>> import dualnum as dn
    >>> holds_box([1.0, [dn.Dual(2.0, 1.0)]]), holds_box((1, 2)), holds_box(3.0)
    (True, False, False)
    """
    if type(v) is not list and type(v) is not tuple:
        return False
    todo = [v]
    while todo:
        for item in todo.pop():
            if isinstance(item, Box):
                return True
            if type(item) is list or type(item) is tuple:
                todo.append(item)
    return False


def stacked(v: Any, plain_too: bool = False) -> Any:
    """``v`` as an array if it is a list holding boxes (``dnp.asarray``: the boxes stacked
    with the shape primitives, so the result is a box), else ``v`` itself; with ``plain_too``,
    lists of plain numbers become arrays as well.

    >>> import dualnum as dn
    >>> stacked([dn.Dual(2.0, 1.0), 3.0])
    Dual(primal=array([2., 3.]), tangent=array([1., 0.]))
    >>> stacked((1, 2)), stacked((1, 2), plain_too=True)
    ((1, 2), array([1., 2.]))
    """
    if not (holds_box(v) or plain_too and (type(v) is list or type(v) is tuple)):
        return v
    # dnp stacks with the rules, which are declared above this module: imported here, where
    # it is needed (rarely: only for a list holding boxes)
    from dualnum.numpy._base import asarray
    return asarray(v)


def unbox_args(level: Level, args: tuple, field: str) -> tuple[tuple, tuple, bool]:
    """Unbox ``level``'s own boxes one layer: (values, per-argument ``field`` of this level's
    boxes or None for the rest, whether any value still holds a box of a lower level)."""
    if len(args) == 1:      # the common short cases without building lists
        x = args[0]
        if isinstance(x, Box) and x._level is level:
            v = x._value
            return (v,), (getattr(x, field),), isinstance(v, Box)
        return args, (None,), isinstance(x, Box)
    if len(args) == 2:
        x, y = args
        px = py = None
        if isinstance(x, Box) and x._level is level:
            px = getattr(x, field)
            x = x._value
        if isinstance(y, Box) and y._level is level:
            py = getattr(y, field)
            y = y._value
        return (x, y), (px, py), isinstance(x, Box) or isinstance(y, Box)
    vals = []
    parts = []
    nested = False
    for a in args:
        if isinstance(a, Box):
            if a._level is level:
                v = a._value
                vals.append(v)
                parts.append(getattr(a, field))
                nested = nested or isinstance(v, Box)
                continue
            nested = True
        vals.append(a)
        parts.append(None)
    return tuple(vals), tuple(parts), nested


def unbox_and_run(level: Level, prim: Primitive, args: tuple, kwargs: dict, field: str
                  ) -> tuple[tuple, tuple, Any]:
    """The first half of every level's generic ``process``: unbox ``level``'s own boxes one
    layer (:func:`unbox_args`) and compute the result one level down (through the primitive
    again while lower-level boxes remain, else its implementation). Returns ``(values, the
    boxes' ``field`` per argument, result)``."""
    vals, parts, nested = unbox_args(level, args, field)
    if nested:
        return vals, parts, prim(*vals, **kwargs)
    return vals, parts, (prim.impl(*vals, **kwargs) if kwargs else prim.impl(*vals))


def partial_at(d: Callable[..., Any], vals: list | tuple, ans: Any) -> Any:
    """Evaluate a partial-derivative rule. Rules use Python operators, which raise on
    ``1.0 / 0.0`` for plain floats; numpy's answer (inf, with its warning) is the right one
    for a derivative, so retry in numpy floats."""
    try:
        return d(*vals, ans)
    except ZeroDivisionError:
        f = lambda v: np.float64(v) if type(v) is float or type(v) is int else v
        return d(*[f(v) for v in vals], f(ans))


def shape_of(x: Any) -> tuple:
    """The array shape of a plain or boxed value (``()`` for Python scalars and sympy exprs)."""
    t = type(x)
    if t is np.ndarray:
        return x.shape
    if t is float:
        return ()
    while isinstance(x, Box):
        x = x._value
    if type(x) is np.ndarray:   # a box of an array (a tape variable): its shape directly
        return x.shape
    s = getattr(x, "shape", None)
    if s is None:
        if isinstance(x, (list, tuple)):
            return np.shape(x)
        return ()
    return tuple(s)


def unbox_all(x: Any) -> Any:
    """Strip every level of boxing (primal of primal of ...)."""
    while isinstance(x, Box):
        x = x._value
    return x


def is_complex(x: Any) -> bool:
    """Whether a plain or boxed value holds complex numbers (a complex dtype, whatever the
    imaginary parts). Boxes are looked through (a ``Dual`` inside a tape variable); a lean
    tape's ``Unkept`` stand-in answers from the dtype it remembers; sympy expressions count
    as real.

    >>> import numpy as np, dualnum as dn
    >>> is_complex(1.5), is_complex(1j), is_complex(np.zeros(2, complex))
    (False, True, True)
    >>> is_complex(dn.Dual(1 + 2j, 1.0)), is_complex(dn.Dual(np.ones(2), np.ones(2)))
    (True, False)
    """
    t = type(x)
    if t is float:
        return False
    if t is np.ndarray:
        return x.dtype.kind == "c"
    if t is complex:
        return True
    while isinstance(x, Box):
        x = x._value
    if isinstance(x, (list, tuple)):
        return bool(np.iscomplexobj(x))
    dt = getattr(x, "dtype", None)      # numpy scalars and arrays, Unkept
    if dt is not None:
        return getattr(dt, "kind", "") == "c"
    return isinstance(x, complex)
