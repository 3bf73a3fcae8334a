"""Run the ``>>>`` examples of a text file (README, the tutorial) as doctests."""
import doctest
from pathlib import Path


def run_examples(path: Path) -> tuple[int, int]:
    """(failures, examples tried) of the file's examples, run in one namespace, in order."""
    text = path.read_text(encoding="utf-8")
    test = doctest.DocTestParser().get_doctest(text, {}, path.stem, str(path), 0)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    runner.run(test)
    return runner.failures, runner.tries
