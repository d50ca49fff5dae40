"""Helpers for the TUI tests: correct code to paste, waiting for gradings."""

from __future__ import annotations

import ast
from pathlib import Path

from textual.pilot import Pilot

from nntutor.core.results import CheckResult, Curve, ExerciseResult
from nntutor.tui.app import NNTutorApp
from nntutor.tui.messages import GradingFinished

SUBMISSIONS = Path(__file__).resolve().parents[1] / "submissions"


def correct_source(function: str) -> str:
    """The imports and one function of tests/submissions/correct_vectorised.py."""
    text = (SUBMISSIONS / "correct_vectorised.py").read_text(encoding="utf-8")
    tree = ast.parse(text)
    imports = [
        ast.get_source_segment(text, node)
        for node in tree.body
        if isinstance(node, ast.Import | ast.ImportFrom)
    ]
    (node,) = [n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == function]
    return "\n".join(imports) + "\n\n\n" + ast.get_source_segment(text, node) + "\n"


def mistake_source(mistake: str) -> str:
    """A whole-file submission with one classic mistake (correct code plus the mistake)."""
    correct = (SUBMISSIONS / "correct_vectorised.py").read_text(encoding="utf-8")
    return correct + "\n\n" + (SUBMISSIONS / "mistakes" / f"{mistake}.py").read_text()


async def settle(app: NNTutorApp, pilot: Pilot) -> None:
    """Wait for every worker but the watcher, then for the messages they posted."""
    await pilot.pause()
    await app.workers.wait_for_complete([w for w in app.workers if w.group == "grade"])
    await pilot.pause()
    await pilot.pause()


def check(name: str, status: str, score: float, max_score: float, **fields) -> CheckResult:
    return CheckResult(name, status, score, max_score, **fields)


def failing_sigmoid() -> ExerciseResult:
    """A fixed grading of a mistaken sigmoid, so snapshots do not follow the grader's wording."""
    inputs = "z = [-1.2, 0.3, 2.5] (shape (3,), dtype float64)"
    return ExerciseResult(
        "sigmoid",
        "sigmoid",
        "failed",
        [
            check("z = 0 gives 0.5", "passed", 2, 2, details={"inputs": "z = 0"}),
            check(
                "a 1-D array of random z",
                "failed",
                0,
                2,
                message=f"3 of 3 values are wrong\nInputs: {inputs}",
                hint="g(z) = 1 / (1 + e^(-z)): the exponent is minus z.",
                details={
                    "inputs": inputs,
                    "expected": "[0.231475, 0.574443, 0.924142]",
                    "got": "[0.768525, 0.425557, 0.075858]",
                    "max_abs_error": 0.848284,
                    "mistake": "the sign inside the exponential is flipped",
                },
                mistake="sigmoid_sign_flipped",
            ),
            check("leaves its inputs unchanged", "passed", 1, 1),
        ],
    )


def gradient_descent_result(rising: bool) -> ExerciseResult:
    """A fixed gradient_descent grading whose curve falls with the reference, or rises."""
    reference = [0.7 * 0.97**i + 0.2 for i in range(60)]
    learner = [0.7 + 0.02 * i for i in range(60)] if rising else list(reference)
    checks = [
        check(
            "60 steps of alpha = 0.1: J_history",
            "failed" if rising else "passed",
            0 if rising else 3,
            3,
            message="60 of 60 values of J_history are wrong" if rising else "",
            details={"mistake": "gradient ascent: the update adds the gradient"} if rising else {},
            mistake="gradient_ascent" if rising else None,
        ),
        check("60 steps of alpha = 0.1: final w", "failed" if rising else "passed", 0, 2),
    ]
    return ExerciseResult(
        "gradient_descent",
        "gradient_descent",
        "failed" if rising else "passed",
        checks,
        Curve(learner, reference, "cost per step"),
    )


async def show_result(app: NNTutorApp, pilot: Pilot, result: ExerciseResult) -> None:
    """Show ``result`` as if the current grading had produced it."""
    app.show_exercise(app.catalogue.get(result.id))
    app.post_message(GradingFinished(result.id, app._run, result))
    await pilot.pause()
    await pilot.pause()
