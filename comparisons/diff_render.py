"""How ``dualnum diff`` writes its results (:class:`~.diff_cmd.Differences`): plain text, one
block per partial with the methods as rows; Markdown, one table; and JSON-ready builtins."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from . import references as refs

if TYPE_CHECKING:  # pragma: no cover - annotations only: diff_cmd imports this module
    from .diff_cmd import Differences

__all__ = ["to_text", "to_markdown", "to_dict", "METHODS", "PRETTY_MAX_OPS", "LINE_MAX_CHARS"]

#: column order; "symbolic" is the reference every other column is compared with
METHODS = ("symbolic", "forward", "reverse", "central", "richardson", "complex-step")


def _num(v: Any) -> str:
    return v if isinstance(v, str) else f"{float(v):.12g}"


def _delta(v: Any, ref: Any) -> str:
    if isinstance(v, str) or isinstance(ref, str):
        return ""
    d = float(v) - float(ref)
    return "0" if d == 0 else f"{d:+.1e}"


#: formulas of more tree nodes print on one line (sympy's 2-D layout of a big formula is
#: slow, 18 s for the 3428-node derivative of a 40-level x**x**…, and a wall of brackets)
PRETTY_MAX_OPS = 300
#: and a one-line formula longer than this is cut (--format json has it whole)
LINE_MAX_CHARS = 600


def _pretty(expr: Any, ascii: bool = False) -> str:
    import sympy

    if isinstance(expr, str):
        return expr
    size = refs.expression_size([expr], cap=PRETTY_MAX_OPS)
    if size <= PRETTY_MAX_OPS:
        return sympy.pretty(expr, use_unicode=not ascii)
    line = sympy.sstr(expr)
    if len(line) > LINE_MAX_CHARS:
        line = (f"{line[:LINE_MAX_CHARS]}… ({len(line)} characters; --format json prints the "
                "formula whole)")
    return line


def _entries(d: Differences, ascii: bool = False) -> list[tuple[str, Any, dict[str, Any]]]:
    p, two = ("d", "2") if ascii else ("∂", "²")
    out = [(f"{p}f/{p}{n}", d.formulas.get(n), d.first[n]) for n in d.first]
    out += [(f"{p}{two}f/{p}{a}{p}{b}", d.second_formulas.get((a, b)), row)
            for (a, b), row in d.second.items()]
    return out


def to_text(d: Differences, ascii: bool = False) -> str:
    """Plain text: one block per partial, methods as rows (``ascii=True``: df/dx and sympy's
    ASCII pretty form, for terminals that cannot show ∂ or x₁).

    >>> from dualnum.comparisons.diff_cmd import differentiate
    >>> print(to_text(differentiate("x**2", {"x": 3.0}), ascii=True).splitlines()[3])
    df/dx = 2*x
    """
    lines = [f"f = {d.expression}  at  " + ", ".join(f"{k} = {v:g}" for k, v in d.point.items()),
             f"value: {_num(d.value)}"]
    if d.kinks:
        lines.append("on a kink: " + "; ".join(d.kinks) + " (differences there are conventions)")
    lines += [f"note: {n}" for n in d.notes]
    for label, formula, row in _entries(d, ascii):
        pretty = _pretty(formula, ascii) if formula is not None else "?"
        lines.append("")
        if "\n" in pretty:
            lines.append(f"{label} =")
            lines += ["    " + ln for ln in pretty.splitlines()]
        else:
            lines.append(f"{label} = {pretty}")
        ref = row.get("symbolic")
        width = max(len(m) for m in METHODS)
        for m in METHODS:
            v = row.get(m)
            delta = _delta(v, ref) if m != "symbolic" else ""
            tail = f"   {delta} vs symbolic" if delta else ""
            lines.append(f"  {m:<{width}}  {_num(v):<20}{tail}".rstrip())
    text = "\n".join(lines)
    return text.encode("ascii", "backslashreplace").decode("ascii") if ascii else text


def to_markdown(d: Differences) -> str:
    """Markdown: one table, partials as rows, each method's value and difference."""
    import sympy

    head = ["partial", "formula"] + [m if m == "symbolic" else f"{m} (Δ)" for m in METHODS]
    lines = [f"**`{d.expression}`** at " + ", ".join(f"{k} = {v:g}" for k, v in d.point.items())
             + f": value {_num(d.value)}", "", "| " + " | ".join(head) + " |",
             "|" + "---|" * len(head)]
    for label, formula, row in _entries(d):
        if formula is None or isinstance(formula, str):
            form = str(formula)
        elif refs.expression_size([formula], cap=PRETTY_MAX_OPS) <= PRETTY_MAX_OPS:
            form = f"${sympy.latex(formula)}$"
        else:                          # as in text: a big formula on one line, cut
            form = f"`{_pretty(formula)}`"
        cells = [label, form]
        for m in METHODS:
            v = row.get(m)
            delta = _delta(v, row.get("symbolic"))
            cells.append(_num(v) + (f" ({delta})" if m != "symbolic" and delta else ""))
        lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    if d.kinks:
        lines += ["", "On a kink: " + "; ".join(d.kinks)]
    if d.notes:
        lines += [""] + [f"Note: {n}" for n in d.notes]
    return "\n".join(lines)


def to_dict(d: Differences) -> dict[str, Any]:
    """JSON-ready: value, formulas, and per partial per method ``value``/``difference``."""
    def cell(v: Any, ref: Any) -> dict[str, Any]:
        if isinstance(v, str):
            return {"refused": v}
        out: dict[str, Any] = {"value": float(v)}
        if not isinstance(ref, str):
            out["difference"] = float(v) - float(ref)
        return out

    return {
        "expression": d.expression, "point": d.point, "value": d.value,
        "partials": {n: {"formula": str(d.formulas.get(n)),
                         **{m: cell(row.get(m), row.get("symbolic")) for m in METHODS}}
                     for n, row in d.first.items()},
        "hessian": {f"{a},{b}": {"formula": str(d.second_formulas.get((a, b))),
                                 **{m: cell(row.get(m), row.get("symbolic")) for m in METHODS}}
                    for (a, b), row in d.second.items()},
        "kinks": d.kinks,
        "notes": d.notes,
    }
