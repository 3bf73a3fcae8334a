"""The sdist and the wheel hold what they should: built from a copy of the tracked files (as a
fresh clone has them), their file lists are checked against ``git ls-files``.

* the sdist holds every tracked file, so unpacking it and running the README's test command
  works as in a clone (tests/, benchmarks/, .ci/run, README, LICENSE, …), and nothing else but
  the metadata setuptools adds;
* the wheel holds exactly the three packages' modules (``dualnum``, ``models`` as
  ``dualnum.models``, ``comparisons`` as ``dualnum.comparisons``), the licence and metadata
  that name the author, licence, project URLs and Python versions, and PyPI's long description
  (DESCRIPTION.md), which must not open with a clone's editable install.

The build calls setuptools' PEP 517 hooks directly (no network, no ``build`` front end);
setuptools and wheel come with the ``[test]`` extra.
"""

import doctest
import email.parser
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _tracked() -> list[str]:
    try:
        out = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True,
                             check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        out = b""
    files = [f for f in out.decode("utf-8").split("\0") if f]
    if not files:
        # deliberate: an unpacked sdist (or a tarball of the tree) has no git to ask which
        # files are tracked; the check runs in every clone, CI's included
        pytest.skip("not a git checkout: `git ls-files` is what the distributions are checked "
                    "against")
    return files


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """Build both distributions from a copy of the tracked files; returns their paths."""
    tracked = _tracked()
    src = tmp_path_factory.mktemp("clone")
    for rel in tracked:
        if (ROOT / rel).is_file():          # a deleted-but-not-committed file is not there
            (src / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / rel, src / rel)
    out = tmp_path_factory.mktemp("dist")
    built = []
    for hook in ("build_sdist", "build_wheel"):   # one process each, as a front end does
        # setuptools logs to stdout too: the file name comes last, on a line of its own
        script = f"import sys, setuptools.build_meta as b; print(b.{hook}(sys.argv[1]))"
        proc = subprocess.run([sys.executable, "-c", script, str(out)], cwd=src,
                              capture_output=True, text=True, timeout=300)
        assert proc.returncode == 0, (f"{hook} failed:\n{proc.stdout[-3000:]}\n"
                                      f"{proc.stderr[-3000:]}")
        built.append(proc.stdout.splitlines()[-1].strip())
    sdist, wheel = built
    return tracked, out / sdist, out / wheel


def test_the_sdist_holds_every_tracked_file_and_no_stray_one(built):
    tracked, sdist, _ = built
    with tarfile.open(sdist) as tar:
        names = [m.name for m in tar.getmembers() if m.isfile()]
    top = {n.split("/", 1)[0] for n in names}
    assert len(top) == 1, f"one top directory expected, got {sorted(top)}"
    inside = {n.split("/", 1)[1] for n in names}
    missing = sorted(set(tracked) - inside)
    assert not missing, f"the sdist lacks {len(missing)} tracked file(s): {missing[:20]}"
    extra = sorted(n for n in inside - set(tracked)
                   if n != "PKG-INFO" and not n.split("/", 1)[0].endswith(".egg-info"))
    assert not extra, f"the sdist holds untracked files: {extra[:20]}"
    for needed in ("tests/test_readme.py", "benchmarks/forward.py", ".ci/run", "LICENSE",
                   "README.md", "DESCRIPTION.md", "MANIFEST.in"):
        assert needed in inside


def _expected_modules(tracked: list[str]) -> set[str]:
    """The wheel's modules, from the tracked sources and setup.cfg's package_dir mapping."""
    where = {"dualnum/": "dualnum/", "models/": "dualnum/models/",
             "comparisons/": "dualnum/comparisons/"}
    out = set()
    for f in tracked:
        for src, dst in where.items():
            if f.startswith(src) and f.endswith(".py"):
                out.add(dst + f[len(src):])
    return out


def test_the_wheel_holds_the_packages_licence_and_metadata(built):
    tracked, _, wheel = built
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
        info = next(n.split("/")[0] for n in names if n.endswith(".dist-info/METADATA"))
        meta_text = zf.read(f"{info}/METADATA").decode("utf-8")
        entry_points = zf.read(f"{info}/entry_points.txt").decode("utf-8")
    code = {n for n in names if not n.startswith(info + "/")}
    assert code == _expected_modules(tracked)
    assert any(n.startswith(info + "/") and n.endswith("/LICENSE") for n in names)

    meta = email.parser.Parser().parsestr(meta_text)
    assert meta["Name"] == "dualnum-toolkit" and meta["Author"] == "dualnum authors"
    assert "MIT" in (meta.get("License-Expression") or meta.get("License") or "")
    assert meta["Requires-Python"] == ">=3.10"
    urls = meta.get_all("Project-URL") or []
    assert any(u.startswith("Source, https://") for u in urls), urls
    classifiers = meta.get_all("Classifier") or []
    for version in ("3.10", "3.11", "3.12", "3.13"):
        assert f"Programming Language :: Python :: {version}" in classifiers
    assert {"test", "plot", "lint"} <= set(meta.get_all("Provides-Extra") or [])
    description = meta.get_payload()
    assert description.lstrip().startswith("# dualnum")
    assert "pip install -e" not in description and "pip install dualnum-toolkit" in description
    for command in ("compare", "cases", "diff", "train"):
        assert f"{command} = dualnum." in entry_points


def test_the_pypi_description_examples_run():
    text = (ROOT / "DESCRIPTION.md").read_text(encoding="utf-8")
    test = doctest.DocTestParser().get_doctest(text, {}, "DESCRIPTION", "DESCRIPTION.md", 0)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    runner.run(test)
    assert runner.failures == 0 and runner.tries >= 4


#: modules the tests may import without the [test] extra declaring them, and why
OPTIONAL_IN_TESTS = {
    "scipy": "tests/core/numpy_value_cases.py compares with scipy.special when it is there "
             "and with closed forms otherwise",
    "mpmath": "sympy's own dependency (sympy evaluates with it), installed with sympy",
}


def _imported_modules(paths) -> dict[str, str]:
    """Top-level module name -> the first file importing it (imports anywhere in the file)."""
    import ast  # only this check parses sources

    found: dict[str, str] = {}
    for path in paths:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                found.setdefault(name.split(".")[0], str(path.relative_to(ROOT)))
    return found


def _declared() -> set[str]:
    import configparser  # only this check reads setup.cfg

    from packaging.requirements import Requirement

    cfg = configparser.ConfigParser()
    cfg.read(ROOT / "setup.cfg", encoding="utf-8")
    lines = (cfg["options"]["install_requires"] + "\n"
             + cfg["options.extras_require"]["test"]).splitlines()
    return {Requirement(ln.strip()).name.lower() for ln in lines if ln.strip()}


def test_every_module_the_tests_import_comes_with_the_test_extra():
    """`pip install -e ".[test]" && python -m pytest -q` (the README's command) must run every
    test: each third-party module a test imports is a run-time or [test] dependency."""
    imported = _imported_modules(sorted((ROOT / "tests").rglob("*.py")))
    # the tests' own helpers, and the benchmarks' (a test checks the hand CNN backprop there)
    first_party = {"dualnum", "tests"} | {p.stem for p in (ROOT / "tests").rglob("*.py")} \
        | {p.stem for p in (ROOT / "benchmarks").glob("*.py")}
    third_party = {m: f for m, f in imported.items()
                   if m not in sys.stdlib_module_names and m not in first_party
                   and m not in OPTIONAL_IN_TESTS}
    undeclared = {m: f for m, f in third_party.items() if m.lower() not in _declared()}
    assert not undeclared, f"imported by the tests but not in setup.cfg's [test]: {undeclared}"
    assert {"jsonschema", "matplotlib", "hypothesis", "pytest"} <= set(third_party)


# whole-program checks (subprocesses, sympy, full reports): CI runs them, the quick loop
# (pytest -m "not slow") leaves them out
pytestmark = pytest.mark.slow
