"""An instructor's visibility rules: hidden and after-due-date checks, named by case."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from nntutor.cli import main
from nntutor.core.grader import MUTATION_CHECK
from tests.batch.conftest import MISTAKES, correct_plus
from tests.conftest import CORRECT_VECTORISED

RULES = """
[cost]
hidden = ["every label y = 0", "leaves its inputs unchanged"]
[predict]
after_due_date = ["*"]
"""


def _grade(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["grade", *args, "--exercise", "cost", "--exercise", "predict"])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def rules(tmp_path: Path) -> Path:
    path = tmp_path / "visibility.toml"
    path.write_text(RULES)
    return path


def test_a_batch_carries_every_check_with_the_visibility_the_rules_give(
    tmp_path: Path, rules: Path, capsys
) -> None:
    (tmp_path / "bob.py").write_text(
        correct_plus((MISTAKES / "cost_not_divided_by_m.py").read_text())
    )
    args = [str(CORRECT_VECTORISED), str(tmp_path / "bob.py"), "--isolation", "process"]
    code, out, _ = _grade(capsys, *args, "--format", "json", "--visibility", str(rules))
    assert code == 0
    for row in map(json.loads, out.splitlines()):
        shown = {
            e["id"]: {c["name"]: c["visibility"] for c in e["checks"]} for e in row["exercises"]
        }
        assert shown["cost"]["every label y = 0"] == "hidden"
        assert shown["cost"][MUTATION_CHECK] == "hidden"
        assert shown["cost"]["12 examples, 3 features"] == "visible"
        assert set(shown["predict"].values()) == {"after_due_date"}


def test_the_learner_sees_only_the_visible_checks_and_their_points(
    tmp_path: Path, rules: Path, capsys
) -> None:
    # cost_not_divided_by_m fails every cost case, the hidden ones too.
    learner = tmp_path / "bob.py"
    learner.write_text(correct_plus((MISTAKES / "cost_not_divided_by_m.py").read_text()))
    code, out, _ = _grade(capsys, str(learner), "--format", "json", "--visibility", str(rules))
    assert code == 0
    shown = {e["id"]: e for e in json.loads(out)["exercises"]}
    names = [c["name"] for c in shown["cost"]["checks"]]
    assert "every label y = 0" not in names and MUTATION_CHECK not in names and names
    assert shown["predict"]["checks"] == [] and shown["predict"]["max_score"] == 0


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("[costs]\nhidden = []", "[costs] is not an exercise id"),
        ('[cost]\nhidden = ["no such case"]', "has no check 'no such case'"),
        ('[cost]\nsecret = ["*"]', "may only set hidden and after_due_date"),
        ("[cost\n", "not valid TOML"),
    ],
)
def test_bad_rules_are_one_line_and_exit_2(tmp_path: Path, capsys, text: str, reason: str) -> None:
    path = tmp_path / "visibility.toml"
    path.write_text(text)
    code, _, err = _grade(capsys, str(CORRECT_VECTORISED), "--visibility", str(path))
    assert code == 2 and reason in err and len(err.strip().splitlines()) == 1
