"""Reading progress files: every field is checked, a bad file is backed up under a new name."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from nntutor.core.workspace import FIELD_CHECKS, ExerciseProgress, Progress, Workspace


def progress_file(**entry) -> dict:
    return {"format": "nntutor-progress", "version": 1, "exercises": {"sigmoid": entry}}


def test_every_field_is_checked() -> None:
    assert set(FIELD_CHECKS) == set(ExerciseProgress.__dataclass_fields__)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("best_score", "x"),
        ("best_score", None),
        ("max_score", float("nan")),
        ("last_score", -1),
        ("attempts", "lots"),
        ("attempts", 2.5),
        ("attempts", True),
        ("hints_used", -1),
        ("status", "great"),
        ("status", None),
        ("passed_at", 3),
        ("last_status", "great"),
    ],
)
def test_a_wrong_typed_field_is_rejected_with_its_name(field: str, value: object) -> None:
    with pytest.raises(ValueError, match=f"'sigmoid' has {field} "):
        Progress.from_json(progress_file(**{field: value}))


def test_a_well_formed_entry_loads() -> None:
    entry = {"status": "passed", "best_score": 10, "max_score": 10.0, "attempts": 2}
    loaded = Progress.from_json(progress_file(**entry, passed_at="2026-01-01T00:00:00"))
    assert loaded.of("sigmoid").best_score == 10 and loaded.of("sigmoid").status == "passed"


def test_two_bad_files_in_one_second_keep_two_backups(tmp_path: Path) -> None:
    workspace = Workspace.create(tmp_path)
    bad = [json.dumps(progress_file(attempts="lots")), json.dumps(progress_file(status=7))]
    for text in bad:
        workspace.progress_path.write_text(text)
        opened = Workspace.open(tmp_path)
        assert opened.warning and "could not be read" in opened.warning
    backups = sorted(p.read_text() for p in workspace.progress_path.parent.glob("progress.*.bak"))
    assert backups == sorted(bad)


@pytest.mark.parametrize("text", ["{not json", '{"result": {"id": 3}}', "[]", '{"digest": 1}'])
def test_a_kept_result_that_cannot_be_read_is_simply_not_shown(tmp_path: Path, text: str) -> None:
    workspace = Workspace.create(tmp_path / "ws")
    sigmoid = workspace.catalogue.get("sigmoid")
    workspace.result_path(sigmoid).parent.mkdir(parents=True, exist_ok=True)
    workspace.result_path(sigmoid).write_text(text)
    assert workspace.last_result(sigmoid) is None


def test_a_kept_result_round_trips(tmp_path: Path) -> None:
    from nntutor.core.results import CheckResult, Curve, ExerciseResult

    workspace = Workspace.create(tmp_path / "ws")
    exercise = workspace.catalogue.get("gradient_descent")
    result = ExerciseResult(
        "gradient_descent",
        "gradient_descent",
        "failed",
        [CheckResult("case", "failed", 0.0, 2.0, "wrong", details={"output": "hi"})],
        Curve(learner=[1.0, 2.0], reference=[1.0, 0.5]),
        notes=["a note"],
    )
    workspace.keep_result(exercise, result, "printed", "abc")
    assert workspace.last_result(exercise) == (result, "printed", "abc")
