"""Plain result dataclasses shared by every front end, and their JSON form."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

CheckStatus = Literal["passed", "failed", "error"]
ExerciseStatus = Literal["passed", "failed", "error", "missing"]
Visibility = Literal["visible", "hidden", "after_due_date"]


@dataclass
class CheckResult:
    """One graded check: a case or property of one exercise."""

    name: str
    status: CheckStatus
    score: float
    max_score: float
    message: str = ""
    hint: str = ""
    visibility: Visibility = "visible"
    # Structured facts behind the message: inputs, expected/got summaries, max error, seed...
    details: dict[str, Any] = field(default_factory=dict)
    # Id of the classic mistake this failure looks like, if one was recognised.
    mistake: str | None = None

    @property
    def passed(self) -> bool:
        return self.status == "passed"


@dataclass
class Curve:
    """A training curve: cost per iteration or loss per epoch, learner beside reference."""

    learner: list[float]
    reference: list[float]
    label: str = "cost"


@dataclass
class ExerciseResult:
    """Every check of one exercise, with the totals a gradebook needs."""

    id: str
    function: str
    status: ExerciseStatus
    checks: list[CheckResult] = field(default_factory=list)
    curve: Curve | None = None
    # Facts about how it was graded: stand-ins used, signature variant recognised...
    notes: list[str] = field(default_factory=list)
    message: str = ""

    @property
    def score(self) -> float:
        return round(sum(c.score for c in self.checks), 6)

    @property
    def max_score(self) -> float:
        return round(sum(c.max_score for c in self.checks), 6)


@dataclass
class SubmissionResult:
    """The grading of one submission: a file, notebook, folder or workspace."""

    submission: str
    exercises: list[ExerciseResult] = field(default_factory=list)
    # Loader notes: statements skipped, names provided, output the code printed...
    notes: list[str] = field(default_factory=list)
    output: str = ""
    error: str | None = None

    @property
    def score(self) -> float:
        return round(sum(e.score for e in self.exercises), 6)

    @property
    def max_score(self) -> float:
        return round(sum(e.max_score for e in self.exercises), 6)


def check_to_dict(check: CheckResult) -> dict[str, Any]:
    return asdict(check)


def exercise_to_dict(ex: ExerciseResult, visible_only: bool = False) -> dict[str, Any]:
    checks = [c for c in ex.checks if c.visibility == "visible" or not visible_only]
    status = ex.status
    if len(checks) < len(ex.checks) and checks and all(c.passed for c in checks):
        status = "passed"  # as far as the learner may know: what failed is not theirs to see
    out: dict[str, Any] = {
        "id": ex.id,
        "function": ex.function,
        "status": status,
        "score": round(sum(c.score for c in checks), 6),
        "max_score": round(sum(c.max_score for c in checks), 6),
        "message": ex.message,
        "notes": list(ex.notes),
        "checks": [check_to_dict(c) for c in checks],
    }
    if ex.curve is not None:
        out["curve"] = asdict(ex.curve)
    return out


def submission_to_dict(result: SubmissionResult, visible_only: bool = False) -> dict[str, Any]:
    """The JSON shape of DESIGN.md: score, max_score and exercises[] with checks[]."""
    exercises = [exercise_to_dict(e, visible_only) for e in result.exercises]
    return {
        "submission": result.submission,
        "score": round(sum(e["score"] for e in exercises), 6),
        "max_score": round(sum(e["max_score"] for e in exercises), 6),
        "error": result.error,
        "notes": list(result.notes),
        "output": result.output,
        "exercises": exercises,
    }


def exercise_from_dict(e: dict[str, Any]) -> ExerciseResult:
    """Rebuild one exercise's result from its JSON form (:func:`exercise_to_dict`)."""
    return ExerciseResult(
        id=e["id"],
        function=e["function"],
        status=e["status"],
        checks=[CheckResult(**c) for c in e.get("checks", [])],
        curve=Curve(**e["curve"]) if e.get("curve") else None,
        notes=list(e.get("notes", [])),
        message=e.get("message", ""),
    )


def submission_from_dict(data: dict[str, Any]) -> SubmissionResult:
    """Rebuild a result from its JSON form (used for resumable batches and progress)."""
    return SubmissionResult(
        submission=data.get("submission", ""),
        exercises=[exercise_from_dict(e) for e in data.get("exercises", [])],
        notes=list(data.get("notes", [])),
        output=data.get("output", ""),
        error=data.get("error"),
    )
