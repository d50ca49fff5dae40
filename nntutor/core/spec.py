"""How an exercise is graded: its cases, how a result is judged, and the mistakes it names.

An :class:`ExerciseSpec` lives in the grader. It generates seeded inputs, computes expected
values with the reference implementation (never sent to the child), and judges what the
learner's function returned.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

import numpy as np

from nntutor.core.compare import Tolerance, Verdict, compare, same, show
from nntutor.core.results import CheckResult, Curve, Visibility
from nntutor.core.runner import CallOutcome


@dataclass
class Case:
    """One call of the learner's function with seeded inputs."""

    name: str
    args: tuple[Any, ...]
    points: float = 2.0
    seed: int | None = None
    visibility: Visibility = "visible"
    # Names of the arguments, for messages ("X (6, 3), y (6,) ...").
    arg_names: tuple[str, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)

    def part(self, label: str, share: float) -> Case:
        """One quantity of this case graded on its own, worth ``share`` of its points."""
        return Case(
            f"{self.name}: {label}",
            self.args,
            round(self.points * share, 6),
            self.seed,
            self.visibility,
            self.arg_names,
            self.extra,
        )

    def describe_inputs(self) -> str:
        parts = [
            f"{name} = {_brief(value)}"
            for name, value in zip(self.arg_names, self.args, strict=False)
        ]
        if self.seed is not None:
            parts.append(f"generated with seed {self.seed}")
        return ", ".join(parts)


def _brief(value: Any) -> str:
    if isinstance(value, np.ndarray) and value.size > 6:
        return f"array of shape {value.shape}"
    return show(value)


@dataclass(frozen=True)
class Mistake:
    """A classic mistake, recognised either by re-computing it or by a predicate."""

    id: str
    title: str
    explanation: str
    # The mistaken computation on the case's arguments; its value is compared with the got.
    compute: Callable[..., Any] | None = None
    # Or a test on (case, got, expected) for mistakes that are not one computation.
    detect: Callable[[Case, Any, Any], bool] | None = None

    def matches(self, case: Case, got: Any, expected: Any) -> bool:
        try:
            if self.detect is not None:
                return bool(self.detect(case, got, expected))
            if self.compute is not None:
                with np.errstate(all="ignore"):
                    return same(self.compute(*case.args), got, Tolerance(1e-5, 1e-7))
        except Exception:  # a detector must never break grading
            return False
        return False


class Unrecognised(Exception):
    """The learner's function has a signature no variant of the exercise accepts."""


@dataclass
class Graded:
    """The checks one case produced, and the curve it drew if it trains something."""

    checks: list[CheckResult]
    curve: Curve | None = None


class ExerciseSpec:
    """Base spec: one check per case, compared as a scalar or an array."""

    exercise_id: str = ""
    function: str = ""
    session: str = "numpy"
    tolerance: Tolerance = Tolerance()
    integer = False
    mistakes: Sequence[Mistake] = ()
    mutation_points = 1.0
    what = "the result"
    # Other names the course's labs give this function -> the variant they come from. The
    # learner's function of that name is graded when the exercise's own name is missing.
    aliases: Mapping[str, str] = MappingProxyType({})

    def variant(self, info: dict[str, Any]) -> tuple[str, str | None]:
        """Which calling convention the learner's function follows, and a note about it.

        ``info`` is the child's description of the function: ``params`` (name, kind,
        default) and, when the loader built it from top-level code, ``variant``.
        """
        return "standard", None

    def cases(self, variant: str) -> list[Case]:
        raise NotImplementedError

    def expected(self, case: Case, variant: str) -> Any:
        raise NotImplementedError

    def call_args(self, case: Case, variant: str) -> tuple[Any, ...]:
        return case.args

    def probe(self, variant: str) -> str | None:
        return None

    def review(self, checks: list[CheckResult]) -> None:
        """Rename a mistake that only the checks of every case together reveal (in place)."""

    def verdict(self, case: Case, got: Any, expected: Any) -> Verdict:
        return compare(expected, got, self.tolerance, self.what, integer=self.integer)

    def judge(self, case: Case, outcome: CallOutcome, variant: str) -> Graded:
        if outcome.error is not None:
            return Graded([error_check(case, outcome)])
        expected = self.expected(case, variant)
        verdict = self.verdict(case, outcome.value, expected)
        return Graded([self.to_check(case, verdict, outcome.value, expected)])

    def to_check(self, case: Case, verdict: Verdict, got: Any, expected: Any) -> CheckResult:
        """A check from a verdict, naming the mistake the failure looks like."""
        details = {
            "inputs": case.describe_inputs(),
            "stage": verdict.stage,
            "tolerance": self.tolerance.describe(),
            **verdict.details,
        }
        if case.seed is not None:
            details["seed"] = case.seed
        if verdict.ok:
            return CheckResult(
                case.name,
                "passed",
                case.points,
                case.points,
                visibility=case.visibility,
                details=details,
            )
        mistake = self.name_mistake(case, verdict, got, expected)
        message = f"{verdict.message}\nInputs: {case.describe_inputs()}"
        hint = ""
        if mistake is not None:
            message += f"\nThis looks like a known mistake: {mistake.title}."
            hint = mistake.explanation
            details["mistake"] = mistake.title
        return CheckResult(
            case.name,
            "failed",
            0.0,
            case.points,
            message,
            hint,
            case.visibility,
            details,
            mistake.id if mistake else None,
        )

    def name_mistake(self, case: Case, verdict: Verdict, got: Any, expected: Any) -> Mistake | None:
        if got is None:
            return RETURNS_NONE
        listed = isinstance(got, list | tuple) and _same_values(got, expected)
        if verdict.stage == "type" and listed:
            return LIST_NOT_ARRAY
        if verdict.stage == "shape" and verdict.details.get("got_shape") is not None:
            got_shape = tuple(verdict.details["got_shape"])
            want = tuple(verdict.details.get("expected_shape", ()))
            if len(want) == 1 and got_shape == (want[0], 1):
                return COLUMN_VECTOR
        return next((m for m in self.mistakes if m.matches(case, got, expected)), None)


COLUMN_VECTOR = Mistake(
    "column_vector",
    "an (m, 1) column instead of a flat (m,) array",
    "Keep one axis per meaning: examples run along the only axis of f_wb and y. A w of shape "
    "(n, 1), a reshape(-1, 1) or keepdims=True adds a second axis that NumPy will then "
    "broadcast against (m,) arrays into an (m, m) matrix — silently wrong.",
)


def _same_values(got: Any, expected: Any) -> bool:
    """The same numbers in the same order, whatever the container or shape."""
    try:
        a, b = np.ravel(np.asarray(got, dtype=float)), np.ravel(np.asarray(expected, dtype=float))
    except (TypeError, ValueError):
        return False
    return a.shape == b.shape and bool(np.allclose(a, b, rtol=1e-5, atol=1e-7))


LIST_NOT_ARRAY = Mistake(
    "returns_list",
    "the right numbers, but in a Python list instead of a NumPy array",
    "Work on the whole array at once (np.exp(-z) applies to every element) instead of a loop "
    "that appends to a list: the result keeps z's shape, and later steps can do arithmetic "
    "with it. math.exp also overflows for large |z| where np.exp does not raise.",
)


RETURNS_NONE = Mistake(
    "returns_none",
    "the function returned None: it is still blank, or its `return` is missing",
    "A function that only says `pass`, or computes a value without `return`-ing it, gives "
    "None to its caller. Write the computation, then end with `return` and the value.",
)

# Errors with a cause worth naming, by exception type.
KNOWN_ERRORS = {
    "NameError": Mistake(
        "undefined_name",
        "it uses a name that does not exist when nntutor runs it",
        "A function sees its arguments, the names it sets itself, and what the top level of "
        "your file defines (imports, functions, constants). A variable from another notebook "
        "cell or from the lab's data loading (m, n, X_train) is not there: compute it from "
        "the arguments, e.g. m = X.shape[0]. If the name is a typo, correct it.",
    ),
    "OverflowError": Mistake(
        "math_overflow",
        "math.exp overflowed: it cannot go beyond about e^709",
        "math.exp works on one Python float and raises OverflowError for a large argument "
        "(e^(-z) for z = -1000 is e^1000). np.exp(-z) on the whole array gives inf there "
        "instead, and 1 / (1 + inf) is the right answer, 0. Use NumPy on the whole array "
        "(clip z to ±500 if you want no warning).",
    ),
}


def error_check(case: Case, outcome: CallOutcome) -> CheckResult:
    """A check for a call that raised instead of returning."""
    error = outcome.error or {}
    where = error.get("where") or []
    message = f"Your function raised {error.get('message', 'an error')}"
    known = KNOWN_ERRORS.get(error.get("type", ""))
    if error.get("kind") == "exit":
        message = (
            f"Your function ended the program ({error.get('message')}) instead of "
            "returning a value: grading counts that as a failure"
        )
    if where:
        message += "\n  at " + "\n  at ".join(where)
    message += f"\nInputs: {case.describe_inputs()}"
    if known is not None and error.get("kind") == "exception":
        message += f"\nThis looks like a known mistake: {known.title}."
    details = {"inputs": case.describe_inputs(), "error": error.get("type", ""), "where": where}
    hint, mistake = "", None
    if known is not None and error.get("kind") == "exception":
        hint, mistake = known.explanation, known.id
        details["mistake"] = known.title
    return CheckResult(
        case.name, "error", 0.0, case.points, message, hint, case.visibility, details, mistake
    )


def reference_failure(case: Case, what: str, exc: Exception) -> Graded:
    """nntutor's own reference computation failed: an error that is not the learner's."""
    message = f"nntutor could not compute {what} ({exc}); this is not a problem with your code."
    return Graded([CheckResult(case.name, "error", 0.0, case.points, message)])


def not_run_check(case: Case, reason: str) -> CheckResult:
    return CheckResult(
        case.name,
        "error",
        0.0,
        case.points,
        reason,
        "",
        case.visibility,
        {"inputs": case.describe_inputs()},
    )


def params_of(params: list[dict[str, Any]] | None) -> list[str]:
    """Names of the positional parameters of a learner's function."""
    return [
        p["name"] for p in params or [] if p["kind"] in ("POSITIONAL_ONLY", "POSITIONAL_OR_KEYWORD")
    ]


def accepts_varargs(params: list[dict[str, Any]] | None) -> bool:
    return any(p["kind"] == "VAR_POSITIONAL" for p in params or [])
