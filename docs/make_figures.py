"""Draw the tutorial's pictures (docs/img/*.svg) with dualnum's graph renderer.

Run ``python docs/make_figures.py [OUTDIR]`` (default: docs/img next to this file). It needs the
``plot`` extra (``pip install 'dualnum-toolkit[plot]'``); tests/test_tutorial.py runs it into a
temporary folder.
"""
from __future__ import annotations

import sys
from pathlib import Path

import dualnum as dn


def figures() -> dict[str, object]:
    """The tutorial's graphs by file name."""
    lepetit = dn.trace("ln(x1) + x1*x2 - sin(x2)", x1=2, x2=5).graph()
    with dn.Tape() as tape:
        x0, w0, w1 = tape.var(3.0, "x0"), tape.var(-2.0, "w0"), tape.var(4.0, "w1")
        out = 1.0 / (w0 * x0 + w1)
    tape.gradient(out, [x0, w0, w1])
    bradbury = tape.graph(out)
    bradbury.title = "1/(w0·x0 + w1) at x0 = 3, w0 = −2, w1 = 4"
    return {"lepetit.svg": lepetit, "bradbury.svg": bradbury}


def main(argv: list[str]) -> int:
    out = Path(argv[0]) if argv else Path(__file__).resolve().parent / "img"
    out.mkdir(parents=True, exist_ok=True)
    for name, graph in figures().items():
        graph.save(str(out / name))
        print(out / name)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
