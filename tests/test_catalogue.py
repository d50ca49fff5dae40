"""The exercise catalogue loads, and broken manifests are named precisely."""

from dataclasses import replace
from pathlib import Path

import pytest

from nntutor.core.catalogue import Catalogue, ManifestError, default_catalogue, load_catalogue
from nntutor.core.grader import GradeOptions, grade_paths
from nntutor.core.specs import all_specs
from tests.conftest import CORRECT_VECTORISED

MANIFEST = """format_version = 1
id = "sigmoid"
title = "The sigmoid"
function = "sigmoid"
signature = "sigmoid(z)"
summary = "Squash z into (0, 1)."
uses = []
hints = ["one", "two"]
"""


def _content(tmp_path: Path, manifest: str) -> Path:
    (tmp_path / "catalogue.toml").write_text(
        'format_version = 1\n[[tracks]]\nid = "t"\ntitle = "T"\nsummary = "S"\n'
        'exercises = ["01_sigmoid"]\n'
    )
    folder = tmp_path / "01_sigmoid"
    folder.mkdir()
    (folder / "exercise.toml").write_text(manifest)
    (folder / "instructions.md").write_text("# Sigmoid\n")
    (folder / "starter.py").write_text("def sigmoid(z):\n    return None\n")
    return tmp_path


def test_shipped_catalogue_matches_the_contract() -> None:
    catalogue = default_catalogue()
    functions = {ex.id: ex.function for ex in catalogue.exercises}
    assert functions == {
        "sigmoid": "sigmoid",
        "model_output": "compute_model_output",
        "loss": "compute_loss",
        "cost": "compute_cost",
        "gradient": "compute_gradient",
        "gradient_descent": "gradient_descent",
        "predict": "predict",
        "my_dense": "my_dense",
        "my_dense_v": "my_dense_v",
        "my_sequential": "my_sequential",
        "build_model": "build_model",
        "compile_model": "compile_model",
        "train_model": "train_model",
        "gradient_steps": "gradient_steps",
        "backprop": "train_two_layer",
    }
    for ex in catalogue.exercises:
        assert ex.instructions().startswith("# ")
        assert f"def {ex.function}(" in ex.starter()
        assert "TODO" in ex.starter()
        assert len(ex.hints) >= 2


def test_every_numpy_track_exercise_has_a_spec() -> None:
    specs = all_specs()
    for ex in default_catalogue().tracks[0].exercises:
        assert specs[ex.id].function == ex.function


def test_valid_content_loads(tmp_path: Path) -> None:
    catalogue = load_catalogue(_content(tmp_path, MANIFEST))
    assert catalogue.get("sigmoid").hints == ("one", "two")


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (("format_version = 1", "format_version = 2"), "format_version"),
        (('title = "The sigmoid"\n', ""), "'title'"),
        (('hints = ["one", "two"]', "hints = [1]"), "hints[0]"),
        (("uses = []", 'uses = ["cost"]'), "'uses'"),
        (('signature = "sigmoid(z)"', 'signature = "sig(z)"'), "'signature'"),
        (("id = ", "id = = "), "not valid TOML"),
        (("uses = []", 'uses = []\noptional = "yes"'), "'optional'"),
    ],
)
def test_errors_name_the_file_and_the_field(
    tmp_path: Path, change: tuple[str, str], field: str
) -> None:
    root = _content(tmp_path, MANIFEST.replace(*change))
    with pytest.raises(ManifestError) as error:
        load_catalogue(root)
    assert "exercise.toml" in str(error.value)
    assert field in str(error.value)


def test_a_missing_starter_is_named(tmp_path: Path) -> None:
    root = _content(tmp_path, MANIFEST)
    (root / "01_sigmoid" / "starter.py").unlink()
    with pytest.raises(ManifestError, match=r"starter\.py"):
        load_catalogue(root)


def test_only_the_exercise_beyond_the_course_is_optional() -> None:
    optional = [ex.id for ex in default_catalogue().exercises if ex.optional]
    assert optional == ["backprop"]


def test_an_optional_exercise_is_graded_only_when_asked_for() -> None:
    numpy_track = default_catalogue().tracks[0]
    *required, last = numpy_track.exercises
    track = replace(numpy_track, exercises=(*required, replace(last, optional=True)))
    catalogue = Catalogue(tracks=(track,))
    by_default = grade_paths([str(CORRECT_VECTORISED)], GradeOptions(), catalogue)
    assert [e.id for e in by_default.exercises] == [ex.id for ex in required]
    asked = grade_paths([str(CORRECT_VECTORISED)], GradeOptions(exercises=[last.id]), catalogue)
    assert [(e.id, e.status) for e in asked.exercises] == [(last.id, "passed")]
