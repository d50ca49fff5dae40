"""A grader running as root (Gradescope) runs learner code as nobody, who cannot rewrite nntutor."""

from __future__ import annotations

import json
import os
import site
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

import nntutor
from tests.batch.conftest import correct_plus, notebook

ROOT = Path(__file__).resolve().parents[2]
SYSTEM_PYTHON = Path(f"/usr/bin/python{sys.version_info.major}.{sys.version_info.minor}")
# Created by learner code that can write into nntutor's package: it must never exist.
PLANTED = Path(nntutor.__file__).parent / "batch" / "_planted_by_learner.py"

pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason="only a grader running as root drops")

# sigmoid is right only when it runs as another user than root and cannot write into nntutor.
PROBE = f"""
import os
_real_sigmoid = sigmoid
def sigmoid(z):
    try:
        open({str(PLANTED)!r}, "w").close()
        planted = True
    except OSError:
        planted = False
    ok = os.getuid() != 0 and os.getgid() != 0 and not os.getgroups() and not planted
    # Its own /proc files stay readable (a fork that changes user, not exec, loses them).
    ok = ok and os.environ["NNTUTOR_RUN"].encode() in open("/proc/self/environ", "rb").read()
    return _real_sigmoid(z) if ok else -_real_sigmoid(z)
"""


@pytest.fixture(scope="module")
def nobody_python() -> Iterator[Path]:
    """A Python that user nobody can start, with this interpreter's packages (the test
    machine's own Python may live in root's private home, as it does under pyenv)."""
    if not SYSTEM_PYTHON.exists():
        pytest.skip(f"no {SYSTEM_PYTHON} to build a Python every user can run")
    with tempfile.TemporaryDirectory(prefix="nntutor-nobody-python-") as folder:
        os.chmod(folder, 0o755)  # mkdtemp makes it private to root
        venv = Path(folder) / "venv"
        subprocess.run([SYSTEM_PYTHON, "-m", "venv", "--without-pip", venv], check=True)
        packages = next(venv.glob("lib/python*/site-packages"))
        (packages / "nntutor-test.pth").write_text("\n".join(site.getsitepackages()) + "\n")
        yield venv / "bin" / "python"


@pytest.fixture(autouse=True)
def nothing_planted() -> Iterator[None]:
    yield
    planted = PLANTED.exists()
    PLANTED.unlink(missing_ok=True)
    assert not planted, "learner code wrote into nntutor's package"


def _grade(python: Path, *args: str) -> str:
    run = subprocess.run(
        [
            python,
            "-m",
            "nntutor",
            "grade",
            *args,
            "--isolation",
            "process",
            "--exercise",
            "sigmoid",
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    assert "WARNING" not in run.stderr
    return run.stdout


def test_gradescope_runs_the_notebook_as_nobody(nobody_python: Path, tmp_path: Path) -> None:
    """A single submission: a started child, loading a notebook converted into root's temp."""
    (tmp_path / "lab.ipynb").write_text(notebook([correct_plus(PROBE)]))
    results = json.loads(
        _grade(nobody_python, str(tmp_path), "--format", "gradescope", "--one-submission")
    )
    assert results["score"] == 10, results


def test_a_batch_runs_every_submission_as_nobody(nobody_python: Path, tmp_path: Path) -> None:
    """Several submissions on one worker: children forked by the fork server."""
    paths = [tmp_path / "a.py", tmp_path / "b.py"]
    for path in paths:
        path.write_text(correct_plus(PROBE))
    output = _grade(nobody_python, *map(str, paths), "--format", "json", "--jobs", "1")
    rows = [json.loads(line) for line in output.splitlines()]
    assert [row["score"] for row in rows] == [10, 10], rows


def test_one_learner_file_runs_as_nobody(nobody_python: Path, tmp_path: Path) -> None:
    """One learner's file: the child started early (the warm pool)."""
    (tmp_path / "lab.py").write_text(correct_plus(PROBE))
    result = json.loads(_grade(nobody_python, str(tmp_path / "lab.py"), "--format", "json"))
    assert result["exercises"][0]["status"] == "passed", result
