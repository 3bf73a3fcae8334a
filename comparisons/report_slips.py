"""The report's section on user cases' hand gradients: the slip, block by block and layer by
layer (reads ``hand_check`` of each case in the report dict; every format shares these lines).

>>> print(*slip_lines({"cases": [{"name": "net", "hand_check": {"blocks": [{"block": "W2",
...     "shape": [3, 4], "wrong": 12, "size": 12, "kind": "factor",
...     "worst": {"entry": "W2[0, 1]", "hand": 0.8, "reference": 0.4, "ratio": 2.0},
...     "diagnosis": "a constant factor ×2", "reference": "symbolic", "table": []}],
...     "layers": [], "first_wrong_layer": None, "delta_problems": []}}]}))
net · W2 (3×4): 12 of 12 entries wrong; worst W2[0, 1]: hand 0.8, symbolic 0.4 (ratio 2) — ...
"""

from __future__ import annotations

__all__ = ["slip_lines", "shape_text", "SECTION"]

SECTION = "Your hand gradient, block by block"


def shape_text(shape) -> str:
    """``3×4``, ``4``, ``scalar``.

    >>> shape_text([3, 4]), shape_text([4]), shape_text([])
    ('3×4', '4', 'scalar')
    """
    return "×".join(str(int(d)) for d in shape) if shape else "scalar"


def _num(v) -> str:
    return f"{v:.6g}" if isinstance(v, (int, float)) else str(v)


def _entry(row: dict, ref: str) -> str:
    ratio = row.get("ratio")
    tail = f" (ratio {ratio:.4g})" if isinstance(ratio, (int, float)) else ""
    return f"{row['entry']}: hand {_num(row['hand'])}, {ref} {_num(row['reference'])}{tail}"


def _layers(name: str, check: dict) -> list[str]:
    rows = check.get("layers") or []
    if not rows:
        return []
    parts = []
    for r in rows:
        if r["status"] == "wrong":
            parts.append(f"{r['name']} WRONG ({r['diagnosis']})")
        else:
            parts.append(f"{r['name']} {r['status']}")
    first = check.get("first_wrong_layer")
    verdict = (f" — the slip enters at {first} (the first wrong δ from the output)" if first
               else " — every δ given agrees with reverse mode")
    out = [f"{name} · δ layer by layer, from the output: " + " · ".join(parts) + verdict]
    for r in rows:
        if r["status"] == "wrong" and r.get("worst"):
            out.append(f"{name} · δ {r['name']}: {r['wrong']} of {r['size']} entries wrong; "
                       f"worst {_entry(r['worst'], 'reverse')}")
    return out


def slip_lines(data: dict) -> list[str]:
    """One line per wrong block (worst entry, diagnosis; the worst entries when no simple
    pattern fits), then the deltas layer by layer, for every case that has a ``hand_check``."""
    out = []
    for c in data["cases"]:
        check = c.get("hand_check")
        if not check:
            continue
        for b in check.get("blocks") or []:
            line = (f"{c['name']} · {b['block']} ({shape_text(b['shape'])}): {b['wrong']} of "
                    f"{b['size']} entries wrong; worst {_entry(b['worst'], b['reference'])}"
                    f" — {b['diagnosis']}")
            if b["kind"] == "none" and len(b["table"]) > 1:
                line += "; worst entries: " + "; ".join(_entry(r, b["reference"])
                                                        for r in b["table"])
            out.append(line)
        out += _layers(c["name"], check)
        out += [f"{c['name']} · {p}" for p in check.get("delta_problems") or []]
    return out
