"""Every piece of text on screen is legible (WCAG 4.5:1) in the dark and the light theme.

Measured on the segments the app draws, with their true colours, over a screen that shows
marks and scores of each status, the check table with its cursor, and the status line.
"""

from __future__ import annotations

import pytest
from textual.color import Color

from nntutor.core.results import ExerciseResult
from nntutor.tui.app import NNTutorApp
from nntutor.tui.colours import READABLE, contrast

from .helpers import check, failing_sigmoid, show_result

pytestmark = pytest.mark.anyio


def is_text(text: str) -> bool:
    """Letters, digits and the status marks; not borders, bars and scrollbars (U+2500-259F)."""
    return any(c.isalnum() or c in "✓✗○!" for c in text)


def illegible(app: NNTutorApp) -> list[str]:
    """``'text' 3.1:1`` for every drawn piece of text below READABLE, by screen line."""
    found = []
    for y, strip in enumerate(app.screen._compositor.render_strips()):
        for segment in strip:
            style = segment.style
            if not is_text(segment.text) or style is None or not (style.color and style.bgcolor):
                continue
            ratio = contrast(
                Color(*style.color.get_truecolor()), Color(*style.bgcolor.get_truecolor())
            )
            if ratio < READABLE:
                found.append(f"line {y}: {segment.text.strip()!r} {ratio:.2f}:1")
    return found


def passing_sigmoid() -> ExerciseResult:
    return ExerciseResult(
        "sigmoid", "sigmoid", "passed", [check("z = 0 gives 0.5", "passed", 2, 2)]
    )


@pytest.mark.parametrize("theme", ["textual-dark", "textual-light"])
@pytest.mark.parametrize("focus", ["#checks", "#exercises"])
async def test_all_text_is_legible(make_app, theme: str, focus: str) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        app.theme = theme
        await pilot.pause()
        # sigmoid passed before and fails now, the next exercise fails: every mark and score.
        app.workspace.progress.record(passing_sigmoid())
        app.workspace.progress.record(failing_sigmoid())
        cost = app.catalogue.exercises[1].id
        app.workspace.progress.record(
            ExerciseResult(cost, cost, "failed", [check("a case", "failed", 0, 2)])
        )
        await show_result(app, pilot, failing_sigmoid())
        app.main.query_one(focus).focus()
        await pilot.pause()
        assert "last: failed" in str(app.main.query_one("#status").render())
        assert illegible(app) == []
        app.clear_notifications()
        await show_result(app, pilot, passing_sigmoid())
        app.main.query_one(focus).focus()
        await pilot.pause()
        assert "last: passed" in str(app.main.query_one("#status").render())
        assert illegible(app) == []
        # The cursor moves down the list, from sigmoid's row to the failing one.
        await pilot.press("down")
        assert illegible(app) == []
