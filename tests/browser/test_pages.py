"""The HTML report and the rendered tutorial, opened in a real browser (headless Chromium):
no console error, every picture loaded, every graph drawn; a screenshot of each is saved.

Chromium is Debian's package (``apt-get install chromium``; .ci/run installs it). Without it
these tests skip and say so. Screenshots go to pytest's tmp folder, or to the folder named by
``DUALNUM_SCREENSHOTS`` when set.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from dualnum.cli import main

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ROOT = Path(__file__).resolve().parent.parent.parent

# appended to a copy of the page: after load, every picture that did not decode and every
# inline graph that drew nothing is reported on the console, then one line of counts
_CHECK = """<script>
window.addEventListener('load', () => {
  for (const i of document.images)
    if (!i.complete || i.naturalWidth === 0) console.error('MISSING IMAGE ' + i.alt);
  let drawn = 0;
  for (const s of document.querySelectorAll('svg')) {
    const b = s.getBoundingClientRect();
    if (b.width > 0 && b.height > 0 && s.querySelector('text')) drawn++;
    else console.error('EMPTY GRAPH');
  }
  console.log('DUALNUM-PAGE-OK images=' + document.images.length + ' graphs=' + drawn);
});
</script>"""


def _browser() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    pytest.skip("headless Chromium is not installed (Debian: apt-get install chromium; "
                ".ci/run installs it where it can)")


def _shots(tmp_path: Path) -> Path:
    out = Path(os.environ.get("DUALNUM_SCREENSHOTS") or tmp_path)
    out.mkdir(parents=True, exist_ok=True)
    return out


def _open(page: Path, shot: Path, height: int = 3000) -> list[str]:
    """Open ``page`` (a copy with the checker), save a screenshot, return the console lines."""
    checked = page.with_name(page.stem + ".checked.html")
    checked.write_text(page.read_text(encoding="utf-8").replace("</body>", _CHECK + "</body>"),
                       encoding="utf-8")
    done = subprocess.run(
        [_browser(), "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
         "--enable-logging=stderr", "--v=0", f"--window-size=1280,{height}",
         f"--screenshot={shot}", checked.as_uri()],
        capture_output=True, text=True, timeout=120)
    assert shot.is_file() and shot.stat().st_size > 10_000, done.stderr[-2000:]
    return re.findall(r":CONSOLE[^\]]*\] \"(.*)\", source:", done.stderr)


def _counts(console: list[str]) -> dict[str, int]:
    ok = [ln for ln in console if ln.startswith("DUALNUM-PAGE-OK")]
    assert len(ok) == 1, console
    problems = [ln for ln in console if not ln.startswith("DUALNUM-PAGE-OK")]
    assert not problems, problems           # any console message is an error, or a missing one
    return {k: int(v) for k, v in re.findall(r"(\w+)=(\d+)", ok[0])}


def test_the_html_report_renders_without_errors(tmp_path):
    pytest.importorskip("matplotlib")
    pytest.importorskip("networkx")
    _browser()
    page = tmp_path / "report.html"
    assert main(["compare", "lepetit-f", "bradbury-graph", "relu-at-kink",
                 "loss.frobenius_penalty", "--format", "html", "--output", str(page)]) == 0
    shot = _shots(tmp_path) / "report.png"
    counts = _counts(_open(page, shot, height=4000))
    # a curve for each of the three curved cases, twice (small multiples and the section)
    assert counts["images"] >= 6
    assert counts["graphs"] >= 2            # lepetit-f and bradbury-graph are small


def test_the_rendered_tutorial_renders_without_errors(tmp_path):
    pytest.importorskip("markdown")
    _browser()
    page = tmp_path / "tutorial.html"
    done = subprocess.run([sys.executable, str(ROOT / "docs" / "render_tutorial.py"),
                           str(page)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    images = re.findall(r"!\[[^\]]*\]\(([^)]+)\)",
                        (ROOT / "docs" / "tutorial.md").read_text(encoding="utf-8"))
    shot = _shots(tmp_path) / "tutorial.png"
    counts = _counts(_open(page, shot, height=6000))
    assert counts["images"] == len(images) >= 2
