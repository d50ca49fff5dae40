"""Grading a class: every format from one run, resuming, determinism, bad submissions."""

from __future__ import annotations

import csv
import io
import json
import os
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from nntutor.batch.runner import BatchOptions, run_batch
from nntutor.cli import main
from nntutor.core import grader
from nntutor.core.runner import unprivileged_user
from tests.batch.conftest import MISTAKES, correct_plus
from tests.conftest import CORRECT_VECTORISED, FAST, NUMPY_TRACK

ONLY_NUMPY = [arg for ex in NUMPY_TRACK for arg in ("--exercise", ex)]


def _grade(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["grade", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_a_class_grades_to_a_gradebook_junit_gradescope_and_a_summary(
    classroom: Path, tmp_path: Path, capsys
) -> None:
    out = tmp_path / "out"
    code, stdout, _ = _grade(
        capsys, str(classroom / "*"), "--out", str(out), "--format", "csv", "--jobs", "2",
        "--isolation", "process", *ONLY_NUMPY,
    )  # fmt: skip
    assert code == 0
    rows = {Path(r["submission"]).name: r for r in csv.DictReader(io.StringIO(stdout))}
    assert set(rows) == {"ada.py", "bob.py", "cy.ipynb", "dee", "eve.zip", "fay.ipynb", "gus.zip"}
    for full in ("ada.py", "cy.ipynb", "dee"):
        assert rows[full]["score"] == rows[full]["max_score"] == "70", full
    assert rows["bob.py"]["cost"] != "10" and rows["bob.py"]["sigmoid"] == "10"
    assert rows["eve.zip"]["sigmoid"] != "10" and rows["eve.zip"]["cost"] == "10"
    assert "not valid notebook JSON" in rows["fay.ipynb"]["error"]
    assert "not a readable zip" in rows["gus.zip"]["error"]
    assert (out / "gradebook.csv").read_text() == stdout
    suites = ET.parse(out / "junit.xml").getroot().findall("testsuite")
    assert len(suites) == 7
    summary = json.loads((out / "summary.json").read_text())
    named = {m["mistake"] for m in summary["most_named_mistakes"]}
    assert {"cost_not_divided_by_m", "sigmoid_sign_flipped"} <= named
    assert len(summary["errors"]) == 2
    assert "Mistakes most often named" in (out / "summary.md").read_text()
    gradescope = [json.loads(p.read_text()) for p in (out / "gradescope").iterdir()]
    assert len(gradescope) == 7 and all("tests" in g and "score" in g for g in gradescope)
    notebook = json.loads(next((out / "submissions").glob("*cy.ipynb-*.json")).read_text())
    assert any("shell/magic" in note for note in notebook["notes"])


def test_several_submissions_print_json_lines_and_one_prints_one_object(capsys) -> None:
    files = [str(MISTAKES.parent / "correct_vectorised.py"), str(MISTAKES / "steps_floor.py")]
    _, stdout, _ = _grade(
        capsys, *files, "--format", "json", "--isolation", "process", "--exercise", "sigmoid"
    )
    lines = [json.loads(line) for line in stdout.splitlines()]
    assert [line["submission"] for line in lines] == files
    _, stdout, _ = _grade(capsys, files[0], "--format", "gradescope", "--exercise", "sigmoid",
                          "--isolation", "process")  # fmt: skip
    assert json.loads(stdout)["score"] == 10


def _class(tmp_path: Path, count: int) -> list[str]:
    mistakes = sorted(p for p in MISTAKES.glob("*.py") if "keras" not in p.name)
    paths = []
    for i in range(count):
        path = tmp_path / f"s{i:02d}.py"
        path.write_text(correct_plus(mistakes[i % len(mistakes)].read_text()))
        paths.append(str(path))
    return paths


def test_an_interrupted_batch_keeps_its_results_and_resumes(tmp_path: Path) -> None:
    paths = _class(tmp_path, 4)
    options = BatchOptions(exercises=["sigmoid", "cost"], jobs=1, out=tmp_path / "out")
    seen: list[tuple[str, bool]] = []

    def interrupt_after_two(row: dict, reused: bool) -> None:
        seen.append((row["submission"], reused))
        if len(seen) == 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_batch(paths, options, interrupt_after_two)
    seen.clear()
    Path(paths[0]).write_text(Path(paths[0]).read_text() + "\n# edited\n")
    rows = run_batch(paths, options, lambda row, reused: seen.append((row["submission"], reused)))
    assert [r["submission"] for r in rows] == paths
    assert dict(seen) == {paths[0]: False, paths[1]: True, paths[2]: False, paths[3]: False}
    seen.clear()
    run_batch(paths, options, lambda row, reused: seen.append((row["submission"], reused)))
    assert all(reused for _, reused in seen)


def test_the_same_submission_gets_the_same_score_with_any_number_of_jobs(tmp_path: Path) -> None:
    paths = _class(tmp_path, 6)

    def scores(jobs: int) -> list[tuple[str, float, list[str]]]:
        rows = run_batch(paths, BatchOptions(exercises=NUMPY_TRACK, jobs=jobs))
        return [(r["submission"], r["score"], [e["status"] for e in r["exercises"]]) for r in rows]

    assert scores(1) == scores(2)


def test_a_hanging_crashing_or_flooding_submission_costs_only_its_own_exercise(
    tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.setitem(grader.SESSION_LIMITS, "numpy", FAST["numpy"])
    bad = {
        "hangs": "def sigmoid(z):\n    while True:\n        pass\n",
        "crashes": "import os\ndef compute_loss(f_x, y):\n    os._exit(3)\n",
        "floods": "def compute_cost(X, y, w, b, *argv):\n    while True:\n        print('x')\n",
    }
    paths = []
    for name, code in bad.items():
        (tmp_path / f"{name}.py").write_text(correct_plus(code))
        paths.append(str(tmp_path / f"{name}.py"))
    rows = run_batch(paths, BatchOptions(exercises=NUMPY_TRACK, jobs=2, isolation="process"))
    broken = {"hangs": "sigmoid", "crashes": "loss", "floods": "cost"}
    for row in rows:
        name = Path(row["submission"]).stem
        statuses = {e["id"]: e["status"] for e in row["exercises"]}
        assert statuses == {ex: "error" if ex == broken[name] else "passed" for ex in NUMPY_TRACK}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "no submissions given"),
        (["{tmp}/nothing-*.py"], "no file or folder matches"),
        (["{good}", "--out", "{tmp}/a-file"], "cannot write results to --out"),
        (["{good}", "--format", "yaml"], "unknown format 'yaml'"),
        (["{good}", "--isolation", "chroot"], "unknown isolation 'chroot'"),
        (["{good}", "--jobs", "0"], "--jobs must be at least 1"),
    ],
)
def test_bad_instructor_input_is_one_line_and_exit_2(
    tmp_path: Path, capsys, args: list[str], message: str
) -> None:
    (tmp_path / "a-file").write_text("")
    good = MISTAKES.parent / "correct_vectorised.py"
    args = [a.format(tmp=tmp_path, good=good) for a in args]
    code, stdout, stderr = _grade(capsys, *args)
    assert code == 2 and stdout == ""
    assert message in stderr and len(stderr.strip().splitlines()) == 1


def test_strict_isolation_that_cannot_be_had_fails_and_says_how_to_install(
    capsys, monkeypatch
) -> None:
    from nntutor.core import sandbox

    monkeypatch.setattr(sandbox.shutil, "which", lambda name: None)
    sandbox.self_test.cache_clear()
    try:
        code, stdout, stderr = _grade(
            capsys, str(MISTAKES.parent / "correct_vectorised.py"), "--isolation", "strict"
        )
    finally:
        sandbox.self_test.cache_clear()
    assert code == 2 and stdout == ""
    assert "apt-get install bubblewrap" in stderr and len(stderr.strip().splitlines()) == 1


def test_the_batch_writes_nothing_but_data_to_stdout(tmp_path: Path) -> None:
    import subprocess
    import sys

    paths = _class(tmp_path, 2)
    done = subprocess.run(
        [sys.executable, "-m", "nntutor", "grade", *paths, "--format", "json", "--exercise",
         "sigmoid", "--isolation", "process"],
        capture_output=True, text=True, timeout=120,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).parents[2])},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert [json.loads(line)["submission"] for line in done.stdout.splitlines()] == paths


def test_a_submission_that_kills_its_worker_costs_only_itself(tmp_path: Path) -> None:
    killer = tmp_path / "killer.py"
    killer.write_text(
        correct_plus("import os, signal\ndef sigmoid(z):\n    os.kill(os.getppid(), 9)\n")
    )
    good = [tmp_path / f"good{i}.py" for i in range(3)]
    for path in good:
        path.write_text(correct_plus(""))
    options = BatchOptions(exercises=["sigmoid", "cost"], jobs=2, isolation="process")
    rows = run_batch([str(killer), *map(str, good)], options)
    if unprivileged_user() is None:
        assert "worker died" in rows[0]["error"]
    else:  # a grader running as root runs learner code as nobody, who cannot kill it
        sigmoid = rows[0]["exercises"][0]
        assert sigmoid["status"] == "error" and "PermissionError" in sigmoid["checks"][0]["message"]
    assert [row["score"] for row in rows[1:]] == [row["max_score"] for row in rows[1:]]


def test_an_unreadable_submission_scores_0_of_the_full_maximum(tmp_path: Path) -> None:
    """In the gradebook and in the class statistics, not left out with a maximum of 0."""
    from nntutor.batch import formats

    good, bad = tmp_path / "ada.py", tmp_path / "fay.ipynb"
    good.write_text(CORRECT_VECTORISED.read_text())
    bad.write_text("{ this is not json")
    rows = run_batch([str(good), str(bad)], BatchOptions(exercises=["sigmoid"], jobs=1))
    assert [(row["score"], row["max_score"]) for row in rows] == [(10, 10), (0, 10)]
    gradebook = list(csv.DictReader(io.StringIO(formats.gradebook_csv(rows))))
    assert (gradebook[1]["score"], gradebook[1]["max_score"]) == ("0", "10")
    assert "not valid notebook JSON" in gradebook[1]["error"]
    score = formats.summary(rows)["score_percent"]
    assert (score["mean"], score["min"], score["max"]) == (50, 0, 100)


def test_time_limit_bounds_what_one_submission_costs_the_batch(tmp_path: Path, capsys) -> None:
    hangs = tmp_path / "hangs.py"
    hangs.write_text(correct_plus("def sigmoid(z):\n    while True:\n        pass\n"))
    good = tmp_path / "good.py"
    good.write_text(correct_plus(""))
    code, out, _ = _grade(
        capsys, str(hangs), str(good), "--format", "json", "--isolation", "process",
        "--time-limit", "2", "--exercise", "sigmoid", "--exercise", "cost",
    )  # fmt: skip
    assert code == 0
    hung, fine = map(json.loads, out.splitlines())
    assert "time limit of 2 s for all exercises together ran out" in str(hung["exercises"][0])
    assert "used up this submission's time limit of 2 s" in hung["exercises"][1]["message"]
    assert fine["score"] == fine["max_score"]
    code, _, err = _grade(capsys, str(good), "--time-limit", "0")
    assert code == 2 and "--time-limit must be" in err
