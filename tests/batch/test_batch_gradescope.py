"""The Gradescope bundle: run_autograder grades a simulated /autograder folder."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from nntutor.cli import main
from tests.batch.conftest import notebook
from tests.conftest import CORRECT_VECTORISED

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def autograder(tmp_path: Path, capsys) -> Path:
    """``tmp/autograder`` laid out as Gradescope does: source/ holds the unpacked bundle."""
    bundle = tmp_path / "autograder.zip"
    assert main(["gradescope-autograder", str(bundle), "--exercise", "sigmoid"]) == 0
    assert "written to" in capsys.readouterr().out
    root = tmp_path / "autograder"
    with zipfile.ZipFile(bundle) as zf:
        names = zf.namelist()
        assert {"setup.sh", "run_autograder", "nntutor/pyproject.toml"} <= set(names)
        assert "nntutor/exercises/catalogue.toml" in names
        assert not any(name.startswith("nntutor/tests/") for name in names)
        zf.extractall(root / "source")
    (root / "submission").mkdir()
    return root


def _run(root: Path, python_path: Path = ROOT) -> dict:
    script = root / "source" / "run_autograder"
    env = {
        **os.environ,
        "NNTUTOR_AUTOGRADER_ROOT": str(root),
        "NNTUTOR_PYTHON": sys.executable,
        "PYTHONPATH": str(python_path),
    }
    subprocess.run(["bash", str(script)], check=True, env=env, timeout=120)
    return json.loads((root / "results" / "results.json").read_text())


def test_run_autograder_grades_the_submission_into_results_json(autograder: Path) -> None:
    (autograder / "submission" / "lab.py").write_text(CORRECT_VECTORISED.read_text())
    results = _run(autograder)
    assert results["score"] == 10
    assert results["tests"] and all(t["status"] == "passed" for t in results["tests"])
    assert {t["visibility"] for t in results["tests"]} <= {"visible", "hidden", "after_due_date"}


def test_an_empty_submission_gets_a_result_that_says_why(autograder: Path) -> None:
    results = _run(autograder)
    assert results["score"] == 0 and results["extra_data"]["max_score"] == 10
    assert [(t["score"], t["max_score"]) for t in results["tests"]] == [(0, 10)]
    assert "holds no Python" in results["output"]


def test_run_autograder_writes_results_even_when_nntutor_crashes(
    autograder: Path, tmp_path: Path
) -> None:
    broken = tmp_path / "broken"
    (broken / "nntutor").mkdir(parents=True)
    (broken / "nntutor" / "__init__.py").write_text("raise ImportError('broken install')\n")
    (autograder / "submission" / "lab.py").write_text(CORRECT_VECTORISED.read_text())
    results = _run(autograder, python_path=broken)
    assert results["score"] == 0 and results["tests"] == []
    assert "could not grade" in results["output"] and "broken install" in results["output"]


def test_the_bundle_scripts_are_executable_bash(tmp_path: Path) -> None:
    from nntutor.batch.gradescope import build_autograder

    bundle = tmp_path / "a.zip"
    build_autograder(bundle)
    with zipfile.ZipFile(bundle) as zf:
        for name in ("setup.sh", "run_autograder"):
            assert (zf.getinfo(name).external_attr >> 16) & 0o111
            syntax = subprocess.run(["bash", "-n"], input=zf.read(name), capture_output=True)
            assert syntax.returncode == 0, syntax.stderr


@pytest.mark.parametrize("other", ["data.csv", "lab-Copy1.ipynb"])
def test_a_notebook_with_another_file_is_one_submission(autograder: Path, other: str) -> None:
    """Gradescope's folder is one student's: results.json is one object, never JSON lines."""
    lab = autograder / "submission" / "lab.ipynb"
    lab.write_text(notebook([CORRECT_VECTORISED.read_text()]))
    (autograder / "submission" / other).write_text(
        notebook(["import numpy as np\n"]) if other.endswith(".ipynb") else "x,y\n1,2\n"
    )
    results = _run(autograder)
    assert results["score"] == 10
    assert all(t["status"] == "passed" for t in results["tests"])
    if other == "data.csv":
        assert "ignored: data.csv" in results["output"]
    else:
        assert "lab-Copy1.ipynb, lab.ipynb together" in results["output"]


def test_the_results_writer_is_loaded_before_any_grading(tmp_path: Path, monkeypatch) -> None:
    """Learner code that rewrites formats.py on disk must not write its own results.json."""
    import nntutor.batch
    from nntutor.batch import command

    monkeypatch.delitem(sys.modules, "nntutor.batch.formats", raising=False)
    monkeypatch.delattr(nntutor.batch, "formats", raising=False)
    loaded_when_grading = []
    real_run_batch = command.run_batch

    def run_batch(*args, **kwargs):
        loaded_when_grading.append("nntutor.batch.formats" in sys.modules)
        return real_run_batch(*args, **kwargs)

    monkeypatch.setattr(command, "run_batch", run_batch)
    lab = tmp_path / "lab.py"
    lab.write_text(CORRECT_VECTORISED.read_text())
    args = ["grade", str(lab), "--format", "gradescope", "--isolation", "process"]
    assert main([*args, "--one-submission", "--exercise", "sigmoid"]) == 0
    assert loaded_when_grading == [True]


@pytest.mark.parametrize(("minor", "python"), [(10, "python3.11"), (12, "python3")])
def test_setup_installs_a_python_nntutor_can_run(tmp_path: Path, minor: int, python: str) -> None:
    """Ubuntu 22.04's python3 is 3.10: setup.sh must bring in 3.11 there (stubbed commands)."""
    from nntutor.batch.gradescope import SETUP_SH

    bin_dir, log = tmp_path / "bin", tmp_path / "log"
    bin_dir.mkdir()
    stubs = {
        "apt-get": f'echo "apt-get $*" >> {log}',
        # python3 -c '...version_info < (3, 11)...' exits 1 when the version is too old
        "python3": f'if [ "$1" = -c ]; then exit {int(minor < 11)}; fi\n'
        f'echo "python3 $*" >> {log}; mkdir -p "$3/bin"; cp {bin_dir}/pip "$3/bin/pip"',
        "python3.11": f'echo "python3.11 $*" >> {log}; mkdir -p "$3/bin"; '
        f'cp {bin_dir}/pip "$3/bin/pip"',
        "pip": f'echo "pip $*" >> {log}',
    }
    for name, body in stubs.items():
        (bin_dir / name).write_text(f"#!/bin/bash\n{body}\n")
        (bin_dir / name).chmod(0o755)
    env = {
        "PATH": f"{bin_dir}:/usr/bin:/bin",
        "NNTUTOR_AUTOGRADER_ROOT": str(tmp_path / "ag"),
        "NNTUTOR_VENV": str(tmp_path / "venv"),
    }
    done = subprocess.run(["bash", "-c", SETUP_SH], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    lines = log.read_text().splitlines()
    assert ("apt-get install -y -q python3.11 python3.11-venv" in lines) == (minor < 11)
    assert f"{python} -m venv {tmp_path / 'venv'}" in lines
    assert f"pip install --quiet {tmp_path / 'ag' / 'source' / 'nntutor'}" in lines
