"""The declared dependency floors are the versions CI tests, and the two sympy/numpy pitfalls at
those floors stay covered.

``setup.cfg`` declares ``numpy>=…`` and ``sympy>=…``; ``.ci/oldest.txt`` pins exactly those
versions for CI's second job, which runs this whole suite with them. If the two drifted apart,
CI would prove a floor nobody declared.
"""

import configparser
import os
from importlib import metadata
from pathlib import Path

import numpy as np
import pytest
from packaging.requirements import Requirement
from packaging.version import Version

from dualnum.comparisons.symbolic_reference import symbolic_jacobian

ROOT = Path(__file__).resolve().parents[2]


def _floors() -> dict[str, Version]:
    """``{name: version}`` of every ``install_requires`` entry, each of which must be ``>=V``."""
    cfg = configparser.ConfigParser()
    cfg.read(ROOT / "setup.cfg", encoding="utf-8")
    floors = {}
    for line in cfg["options"]["install_requires"].splitlines():
        if not line.strip():
            continue
        req = Requirement(line.strip())
        specs = list(req.specifier)
        assert len(specs) == 1 and specs[0].operator == ">=", (
            f"setup.cfg: {line.strip()!r} should be a plain floor 'name>=version'")
        floors[req.name.lower()] = Version(specs[0].version)
    return floors


def _oldest() -> dict[str, Version]:
    """``{name: version}`` of the ``name==version`` pins in ``.ci/oldest.txt``."""
    pins = {}
    for line in (ROOT / ".ci" / "oldest.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#")[0].strip()
        if not line:
            continue
        req = Requirement(line)
        specs = list(req.specifier)
        assert len(specs) == 1 and specs[0].operator == "==", (
            f".ci/oldest.txt: {line!r} should be an exact pin 'name==version'")
        pins[req.name.lower()] = Version(specs[0].version)
    return pins


def test_oldest_pins_are_setup_cfg_floors():
    floors, pins = _floors(), _oldest()
    assert {"numpy", "sympy"} <= set(floors)
    assert pins == floors, "setup.cfg's floors and .ci/oldest.txt differ: change both together"


@pytest.mark.skipif(os.environ.get("DUALNUM_OLDEST") != "1",
                    reason="only in CI's oldest-versions job (.ci/run sets DUALNUM_OLDEST=1)")
def test_oldest_job_runs_the_floor_versions():
    installed = {name: Version(metadata.version(name)) for name in _oldest()}
    assert installed == _oldest()


def test_cse_temporaries_do_not_shadow_arguments():
    # sympy < 1.13 (sympy issue 25043): lambdify's cse named its temporaries x0, x1, … even
    # when the arguments were real symbols of those names, and `x0 = (x0*x2 + x1)**(-2)` in
    # the generated function overwrote the argument: the gradient came out [0.5, -0.0625, -0.25]
    est = symbolic_jacobian(lambda v: 1 / (v[0] * v[2] + v[1]), np.array([3.0, -2.0, 4.0]))
    np.testing.assert_allclose(est.value, [-0.04, -0.01, -0.03], rtol=1e-15)
    est = symbolic_jacobian(lambda v: (v[0] * v[1]) ** 2 + v[0] * v[1], np.array([2.0, 3.0]))
    np.testing.assert_allclose(est.value, [39.0, 26.0], rtol=1e-15)


def test_infinite_constants_evaluate_with_this_numpy():
    # sympy 1.12 prints oo as numpy.PINF, which numpy 2.0 removed (hence sympy >= 1.12.1)
    est = symbolic_jacobian(lambda v: v[0] * float("inf") + v[1], np.array([1.0, 2.0]))
    assert est.value.tolist() == [float("inf"), 1.0]
