"""Gradebook formats: exact Gradescope fields, JUnit a reporter can read, CSV, summary."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

from nntutor.batch import formats
from nntutor.batch.command import _print_learner
from nntutor.core.results import CheckResult, ExerciseResult, SubmissionResult, submission_to_dict


def _row(name: str, mistake: str | None = None, hidden_passed: bool = True) -> dict:
    checks = [
        CheckResult("small input", "passed", 2.0, 2.0),
        CheckResult(
            "large input",
            "failed" if mistake else "passed",
            0.0 if mistake else 2.0,
            2.0,
            "expected 0.5, got 2" if mistake else "",
            hint="divide by m" if mistake else "",
            mistake=mistake,
        ),
        CheckResult(
            "secret input",
            "passed" if hidden_passed else "error",
            1.0 if hidden_passed else 0.0,
            1.0,
            visibility="hidden",
        ),
    ]
    result = SubmissionResult(name, [ExerciseResult("cost", "compute_cost", "failed", checks)])
    return submission_to_dict(result)


def test_gradescope_results_use_the_documented_fields_and_visibility() -> None:
    data = formats.gradescope(_row("ann", "cost_not_divided_by_m"), execution_time=1.25)
    assert {"score", "execution_time", "output", "visibility", "stdout_visibility", "tests"} <= set(
        data
    )
    assert data["score"] == 3.0 and data["execution_time"] == 1.25
    fields = {"score", "max_score", "status", "name", "number", "output", "tags", "visibility"}
    assert all(fields <= set(test) for test in data["tests"])
    assert [t["visibility"] for t in data["tests"]] == ["visible", "visible", "hidden"]
    assert [t["status"] for t in data["tests"]] == ["passed", "failed", "passed"]
    failed = data["tests"][1]
    assert failed["name"] == "cost: large input" and failed["number"] == "1.2"
    assert "expected 0.5, got 2" in failed["output"] and "Hint: divide by m" in failed["output"]
    assert "cost_not_divided_by_m" in failed["tags"]
    json.dumps(data)


def test_junit_counts_failures_and_errors_per_submission() -> None:
    xml = formats.junit_xml([_row("ann", "m1"), _row("bob", hidden_passed=False)])
    root = ET.fromstring(xml.split("\n", 1)[1])
    assert root.tag == "testsuites" and root.get("tests") == "6"
    assert (root.get("failures"), root.get("errors")) == ("1", "1")
    ann, bob = root.findall("testsuite")
    assert ann.get("name") == "ann" and ann.find("testcase/failure") is not None
    assert bob.find("testcase/error") is not None
    visibility = {p.get("value") for p in root.iter("property") if p.get("name") == "visibility"}
    assert visibility == {"visible", "hidden"}


def test_gradebook_has_score_max_score_and_one_column_per_exercise() -> None:
    broken = submission_to_dict(SubmissionResult("cat", error="cat.ipynb: not JSON\nmore"))
    text = formats.gradebook_csv([_row("ann", "m1"), broken])
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0]) == ["submission", "score", "max_score", "error", "cost"]
    assert rows[0]["score"] == "3" and rows[0]["max_score"] == "5" and rows[0]["cost"] == "3"
    assert rows[1]["error"] == "cat.ipynb: not JSON" and rows[1]["cost"] == ""


def test_summary_names_what_to_reteach() -> None:
    rows = [_row("a", "m1"), _row("b", "m1"), _row("c"), _row("d", "m2")]
    data = formats.summary(rows, {"m1": "sum instead of mean"})
    assert data["most_named_mistakes"][0] == {
        "mistake": "m1",
        "title": "sum instead of mean",
        "submissions": 2,
    }
    assert data["most_failed_checks"][0] == {"check": "cost: large input", "submissions": 3}
    assert sum(data["score_percent"]["histogram"].values()) == 4
    text = formats.summary_markdown(data)
    assert "sum instead of mean (`m1`) — 2" in text and "cost: large input — 3" in text


def test_the_learner_sees_visible_checks_only(capsys) -> None:
    _print_learner(_row("ann", "m1"), "json")
    shown = json.loads(capsys.readouterr().out)
    names = [c["name"] for c in shown["exercises"][0]["checks"]]
    assert names == ["small input", "large input"] and shown["max_score"] == 4.0


def test_the_summary_titles_every_mistake_the_keras_track_names() -> None:
    """Not its id twice: every id a Keras check can name is registered with a title."""
    from nntutor.batch.command import mistake_titles

    named = [
        "keras_wrong_units", "keras_relu_output", "keras_hidden_activation",
        "keras_never_compiled", "keras_mse_loss", "keras_from_logits", "train_wrong_data",
        "train_returns_history_dict", "train_returns_no_history", "train_one_epoch",
        "train_part_of_data", "train_rescaled_data", "train_recompiled_loss",
        "train_recompiled_optimizer",
    ]  # fmt: skip
    titles = mistake_titles()
    assert all(titles.get(mistake) for mistake in named), set(named) - set(titles)
    text = formats.summary_markdown(formats.summary([_row("ann", "keras_mse_loss")], titles))
    assert "- mean squared error instead of binary cross-entropy (`keras_mse_loss`) — 1" in text
