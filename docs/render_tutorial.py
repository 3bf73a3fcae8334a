"""Render docs/tutorial.md as one self-contained HTML page (its pictures inlined as data URIs).

Run ``python docs/render_tutorial.py OUT.html``; it needs the ``markdown`` package (in the
``test`` extra). tests/browser/ opens the page in headless Chromium.
"""
from __future__ import annotations

import base64
import re
import sys
from pathlib import Path

import markdown

DOCS = Path(__file__).resolve().parent

_CSS = """body{font-family:system-ui,sans-serif;max-width:60em;margin:2em auto;color:#222;
line-height:1.45}pre{background:#f6f8fa;padding:.6em;overflow-x:auto}
code{font-size:90%}img{max-width:100%;border:1px solid #eee}"""


def _inline(match: re.Match) -> str:
    src = match.group(1)
    path = DOCS / src
    kind = {"svg": "image/svg+xml", "png": "image/png"}.get(path.suffix[1:], "")
    if src.startswith(("data:", "http:", "https:")) or not kind or not path.is_file():
        return match.group(0)       # left as is: the browser test reports a missing picture
    data = base64.b64encode(path.read_bytes()).decode()
    return f'src="data:{kind};base64,{data}"'


def render(text: str) -> str:
    """The tutorial's Markdown as a complete HTML page, pictures inlined."""
    body = markdown.markdown(text, extensions=["fenced_code", "tables"])
    body = re.sub(r'src="([^"]+)"', _inline, body)
    return ("<!doctype html><html><head><meta charset='utf-8'>"
            f"<title>dualnum tutorial</title><style>{_CSS}</style></head><body>\n"
            f"{body}\n</body></html>\n")


def main(argv: list[str]) -> int:
    out = Path(argv[0]) if argv else DOCS / "tutorial.html"
    out.write_text(render((DOCS / "tutorial.md").read_text(encoding="utf-8")),
                   encoding="utf-8")
    print(out)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
