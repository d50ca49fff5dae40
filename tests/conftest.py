"""Shared helpers: the learner-style submissions and a quick way to grade them."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import pytest

from nntutor.core.grader import MUTATION_CHECK, GradeOptions, grade_paths
from nntutor.core.results import ExerciseResult, SubmissionResult
from nntutor.core.runner import Limits

SUBMISSIONS = Path(__file__).parent / "submissions"
CORRECT_VECTORISED = SUBMISSIONS / "correct_vectorised.py"
CORRECT_LOOPS = SUBMISSIONS / "correct_loops.py"
NUMPY_TRACK = ("sigmoid", "model_output", "loss", "cost", "gradient", "gradient_descent", "predict")
# Short limits keep the hostile tests quick; a correct submission needs far less.
FAST = {"numpy": Limits(call_timeout=3.0, load_timeout=5.0, data_mib=768)}


def grade(
    paths: Sequence[Path | str], exercises: Sequence[str] | None = NUMPY_TRACK, **options: object
) -> SubmissionResult:
    return grade_paths([str(p) for p in paths], GradeOptions(exercises=exercises, **options))


def by_id(result: SubmissionResult) -> dict[str, ExerciseResult]:
    return {e.id: e for e in result.exercises}


@pytest.fixture
def with_code(tmp_path: Path):
    """Write the correct vectorised solution followed by ``code`` (later defs win)."""

    def build(code: str, name: str = "submission.py") -> Path:
        path = tmp_path / name
        path.write_text(CORRECT_VECTORISED.read_text() + "\n\n" + code, encoding="utf-8")
        return path

    return build


def daemon_starter(function: str, params: str, daemons: Path, becomes: str) -> str:
    """Code that wraps the correct ``function`` to start a setsid daemon on every call.

    Each daemon then runs ``becomes`` and leaves an empty file named by its pid in
    ``daemons``; each call returns the correct answer once its own daemon is up.
    """
    return (
        f"_correct_{function} = {function}\n"
        f"def {function}({params}):\n"
        "    import os, time\n"
        f"    up = len(os.listdir({str(daemons)!r}))\n"
        "    if os.fork() == 0:\n"
        "        os.setsid()\n"
        "        if os.fork() == 0:\n"
        f"            open(os.path.join({str(daemons)!r}, str(os.getpid())), 'w').close()\n"
        f"            {becomes}\n"
        "        os._exit(0)\n"
        f"    while len(os.listdir({str(daemons)!r})) == up:\n"
        "        time.sleep(0.001)\n"
        f"    return _correct_{function}({params})\n"
    )


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    with open(f"/proc/{pid}/stat") as f:  # a zombie is dead, just not reaped yet
        return f.read().rsplit(")", 1)[1].split()[0] != "Z"


def assert_no_daemon_survived(daemons: Path, exercise: ExerciseResult) -> None:
    """One daemon was started per call the exercise made, and none of them is alive."""
    calls = [c for c in exercise.checks if c.name != MUTATION_CHECK]
    pids = [int(p.name) for p in daemons.iterdir()]
    assert len(pids) == len(calls)
    assert not any(pid_alive(pid) for pid in pids)
