"""docs/tutorial.md runs as written, and its pictures can be drawn again."""
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from ._doctext import run_examples

DOCS = Path(__file__).resolve().parent.parent / "docs"
TUTORIAL = DOCS / "tutorial.md"


def test_every_example_of_the_tutorial_runs():
    failures, tries = run_examples(TUTORIAL)
    assert failures == 0 and tries >= 40


def test_the_tutorial_walks_the_five_notes():
    headings = re.findall(r"^## \d\. (\w+)", TUTORIAL.read_text(encoding="utf-8"), re.M)
    assert headings == ["Lepetit", "Bradbury", "Rousseau", "Igel", "Jiang"]


def test_every_picture_exists_and_is_drawn_again_by_the_script(tmp_path):
    pytest.importorskip("matplotlib")
    pytest.importorskip("networkx")
    images = re.findall(r"!\[[^\]]*\]\((img/[^)]+)\)", TUTORIAL.read_text(encoding="utf-8"))
    assert len(images) >= 2
    for rel in images:
        assert (DOCS / rel).is_file(), rel
    # the checkout under test first on the path (the script's own folder is docs/)
    env = {**os.environ, "PYTHONPATH": str(DOCS.parent)}
    done = subprocess.run([sys.executable, str(DOCS / "make_figures.py"), str(tmp_path)],
                          capture_output=True, text=True, timeout=120, env=env)
    assert done.returncode == 0, done.stderr
    for rel in images:
        drawn = tmp_path / Path(rel).name
        ET.parse(drawn)                              # well-formed SVG
        assert "v̄" in drawn.read_text(encoding="utf-8")   # the adjoints are on it


# whole-program checks (subprocesses, sympy, full reports): CI runs them, the quick loop
# (pytest -m "not slow") leaves them out
pytestmark = pytest.mark.slow
