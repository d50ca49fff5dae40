"""The fork server: a forked child is as clean and as contained as a started one."""

from __future__ import annotations

from pathlib import Path

import pytest

from nntutor.core.grader import GradeOptions, grade_paths
from nntutor.core.results import submission_to_dict
from nntutor.core.zygote import Zygote
from tests.batch.conftest import correct_plus
from tests.conftest import (
    CORRECT_VECTORISED,
    FAST,
    NUMPY_TRACK,
    assert_no_daemon_survived,
    daemon_starter,
)


@pytest.fixture
def zygote():
    server = Zygote()
    yield server
    server.close()


def _grade(path: Path | str, zygote: Zygote | None, exercises=NUMPY_TRACK) -> dict:
    options = GradeOptions(exercises=exercises, spawner=zygote)
    return submission_to_dict(grade_paths([str(path)], options))


def test_a_forked_child_grades_exactly_like_a_started_one(zygote, tmp_path: Path) -> None:
    flipped = tmp_path / "flipped.py"
    flipped.write_text(correct_plus("def sigmoid(z):\n    return 1 / (1 + np.exp(z))\n"))
    for path in (CORRECT_VECTORISED, flipped):
        assert _grade(path, zygote) == _grade(path, None)


def test_a_forked_child_has_limits_a_clean_environment_and_no_grader_code(
    zygote, tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.setenv("NNTUTOR_GRADER_SECRET", "do not leak")
    check = """
import os, resource, sys
_real_sigmoid = sigmoid
def sigmoid(z):
    environ = open("/proc/self/environ", "rb").read()
    clean = (
        "NNTUTOR_GRADER_SECRET" not in os.environ
        and b"NNTUTOR_GRADER_SECRET" not in environ
        and os.environ["NNTUTOR_RUN"].encode() in environ
        and resource.getrlimit(resource.RLIMIT_DATA)[0] == 768 << 20
        and os.getsid(0) == os.getpid()
        and sys.flags.isolated
        and not any(m.startswith(("nntutor.core", "nntutor.reference")) for m in sys.modules)
        and sorted(int(fd) for fd in os.listdir("/proc/self/fd"))[:3] == [0, 1, 2]
        and len(os.listdir("/proc/self/fd")) <= 6
    )
    return _real_sigmoid(z) if clean else -_real_sigmoid(z)
"""
    path = tmp_path / "probe.py"
    path.write_text(correct_plus(check))

    options = GradeOptions(exercises=["sigmoid"], spawner=zygote, limits=FAST)
    result = grade_paths([str(path)], options)
    assert result.exercises[0].status == "passed", result.exercises[0].checks[0].message


def test_a_daemon_started_by_a_forked_child_does_not_survive(zygote, tmp_path: Path) -> None:
    daemons = tmp_path / "daemons"
    daemons.mkdir()
    path = tmp_path / "daemon.py"
    path.write_text(correct_plus(daemon_starter("sigmoid", "z", daemons, "time.sleep(1000)")))
    options = GradeOptions(exercises=["sigmoid"], spawner=zygote, limits=FAST)
    result = grade_paths([str(path)], options)
    assert result.exercises[0].status == "passed"
    assert_no_daemon_survived(daemons, result.exercises[0])


def test_the_fork_server_restarts_if_it_dies(zygote) -> None:
    assert _grade(CORRECT_VECTORISED, zygote, ["sigmoid"])["score"] == 10
    assert zygote._process is not None
    zygote._process.kill()
    zygote._process.wait()
    assert _grade(CORRECT_VECTORISED, zygote, ["sigmoid"])["score"] == 10
