"""The README's worked example runs and prints what it says."""
from pathlib import Path

from ._doctext import run_examples

README = Path(__file__).resolve().parent.parent / "README.md"


def test_readme_examples():
    failures, tries = run_examples(README)
    assert failures == 0 and tries >= 6


def test_readme_opens_with_the_two_commands():
    lines = [ln for ln in README.read_text(encoding="utf-8").splitlines() if ln.strip()]
    fence = lines.index("```bash")
    assert "dualnum compare" in lines[fence + 1]
    assert "pytest" in lines[fence + 2]
    ci = (README.parent / ".ci" / "run").read_text(encoding="utf-8")
    test_cmd = lines[fence + 2].split("#")[0].strip()
    assert test_cmd in ci
