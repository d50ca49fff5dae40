"""The command line: JSON shape, human output, workspace commands and bad input."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from nntutor.cli import main
from tests.conftest import CORRECT_VECTORISED


def run(
    *args: str, cwd: Path | None = None, stdin: str | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "nntutor", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        input=stdin,
        timeout=120,
        env={**os.environ, **(env or {})},
    )


def test_grade_json_has_the_documented_shape() -> None:
    out = run(
        "grade",
        str(CORRECT_VECTORISED),
        "--format",
        "json",
        "--exercise",
        "sigmoid",
        "--exercise",
        "gradient_descent",
    )
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["score"] == data["max_score"] > 0
    assert [e["id"] for e in data["exercises"]] == ["sigmoid", "gradient_descent"]
    for exercise in data["exercises"]:
        assert set(exercise) >= {"id", "function", "status", "score", "max_score", "checks"}
        for check in exercise["checks"]:
            assert set(check) >= {
                "name",
                "status",
                "score",
                "max_score",
                "message",
                "hint",
                "visibility",
            }
    curve = data["exercises"][1]["curve"]
    assert len(curve["learner"]) == len(curve["reference"]) > 0


def test_grade_marks_functions_the_file_lacks_as_missing(tmp_path: Path) -> None:
    path = tmp_path / "only_sigmoid.py"
    path.write_text("import numpy as np\ndef sigmoid(z):\n    return 1 / (1 + np.exp(-z))\n")
    data = json.loads(
        run(
            "grade", str(path), "--format", "json", "--exercise", "sigmoid", "--exercise", "cost"
        ).stdout
    )
    assert [e["status"] for e in data["exercises"]] == ["passed", "missing"]


def test_grade_table_names_the_mistake(tmp_path: Path) -> None:
    path = tmp_path / "flipped.py"
    path.write_text("import numpy as np\ndef sigmoid(z):\n    return 1 / (1 + np.exp(z))\n")
    out = run("grade", str(path), "--exercise", "sigmoid")
    assert out.returncode == 0
    assert "sign of z is flipped" in out.stdout
    assert "failed" in out.stdout


def test_what_a_failing_function_printed_is_shown_under_its_checks(tmp_path: Path) -> None:
    path = tmp_path / "printing.py"
    path.write_text(
        "import numpy as np\n"
        "def sigmoid(z):\n"
        "    for i in range(8):\n"
        "        print('debug line', i)\n"
        "    return 1 / (1 + np.exp(z))\n"
        "def compute_loss(f_x, y):\n"
        "    print('loss is fine')\n"
        "    return -y * np.log(f_x) - (1 - y) * np.log(1 - f_x)\n"
    )
    chosen = ["--exercise", "sigmoid", "--exercise", "loss"]
    data = json.loads(run("grade", str(path), "--format", "json", *chosen).stdout)
    sigmoid, loss = data["exercises"]
    failing = [
        c
        for c in sigmoid["checks"]
        if c["status"] != "passed" and c["name"] != "leaves its inputs unchanged"
    ]
    assert failing and all("debug line 7" in c["details"]["output"] for c in failing)
    # Passing checks stay small: their output is not kept.
    assert loss["status"] == "passed"
    assert not any("output" in c["details"] for c in loss["checks"])

    out = run("grade", str(path), *chosen).stdout
    assert "Your function printed:" in out
    assert "debug line 4" in out and "debug line 5" not in out
    assert "(3 more lines)" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["grade", "/no/such/file.py"], "no such file or folder"),
        (["grade", "{empty}"], "holds no Python"),
        (["grade", "{latin1}"], "not UTF-8"),
        (["grade", str(CORRECT_VECTORISED), "--exercise", "nope"], "unknown exercise 'nope'"),
        (["hint", "nope", "--yes"], ""),
    ],
)
def test_bad_input_is_one_line_and_a_nonzero_exit(
    tmp_path: Path, args: list[str], message: str
) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    latin1 = tmp_path / "latin1.py"
    latin1.write_bytes("# caf\xe9\n".encode("latin-1"))
    args = [a.format(empty=empty, latin1=latin1) for a in args]
    out = run(*args, cwd=tmp_path)
    assert out.returncode != 0
    assert "Traceback" not in out.stderr
    if message:
        assert message in out.stderr
        assert len(out.stderr.strip().splitlines()) == 1


def test_workspace_flow_init_check_hint_reset(tmp_path: Path, capsys) -> None:
    workspace = tmp_path / "ws"
    assert main(["init", str(workspace)]) == 0
    sigmoid_file = workspace / "01_sigmoid.py"
    assert "TODO" in sigmoid_file.read_text()
    assert main(["--workspace", str(workspace), "check", "sigmoid"]) == 1
    sigmoid_file.write_text("import numpy as np\ndef sigmoid(z):\n    return 1/(1+np.exp(-z))\n")
    assert main(["--workspace", str(workspace), "check", "sigmoid"]) == 0
    progress = json.loads((workspace / ".nntutor" / "progress.json").read_text())
    entry = progress["exercises"]["sigmoid"]
    assert entry["attempts"] == 2 and entry["status"] == "passed" and entry["passed_at"]
    capsys.readouterr()
    assert main(["--workspace", str(workspace), "hint", "sigmoid"]) == 0
    assert main(["--workspace", str(workspace), "hint", "sigmoid"]) == 0
    assert "Hint 2/" in capsys.readouterr().out
    assert main(["--workspace", str(workspace), "reset", "sigmoid", "--yes"]) == 0
    assert "TODO" in sigmoid_file.read_text()


def test_reset_asks_first_and_keeps_the_file_on_no(tmp_path: Path) -> None:
    assert main(["init", str(tmp_path)]) == 0
    target = tmp_path / "01_sigmoid.py"
    target.write_text("# my work\n")
    out = run("reset", "sigmoid", cwd=tmp_path, stdin="n\n")
    assert out.returncode != 0
    assert target.read_text() == "# my work\n"


def test_list_shows_status_from_the_current_workspace(tmp_path: Path) -> None:
    assert main(["init", str(tmp_path)]) == 0
    out = run("list", cwd=tmp_path)
    assert out.returncode == 0
    assert "gradient_descent" in out.stdout and "train_model" in out.stdout


def test_a_corrupt_progress_file_is_backed_up_not_a_traceback(tmp_path: Path) -> None:
    assert main(["init", str(tmp_path)]) == 0
    (tmp_path / ".nntutor" / "progress.json").write_text("{not json")
    out = run("hint", "sigmoid", cwd=tmp_path)
    assert out.returncode == 0
    assert "could not be read" in out.stderr
    assert list((tmp_path / ".nntutor").glob("progress.*.bak"))


@pytest.mark.parametrize("target", ["{file}", "/proc/nntutor-cannot-be-here"])
def test_init_on_a_bad_path_is_one_line(tmp_path: Path, target: str) -> None:
    file = tmp_path / "a_file"
    file.write_text("x")
    out = run("init", target.format(file=file))
    assert out.returncode == 2
    assert "Traceback" not in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1
