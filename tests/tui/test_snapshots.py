"""SVG snapshots of the main screens at fixed sizes (update: pytest --snapshot-update).

Results come from fixed ExerciseResults, not live gradings, so the pictures change when the
TUI changes and not when the grader rewords a message (Pilot tests cover real gradings).
"""

from __future__ import annotations

from textual.pilot import Pilot

from .helpers import failing_sigmoid, gradient_descent_result, show_result

SIZE = (120, 40)


def test_start_screen(make_app, snap_compare) -> None:
    assert snap_compare(make_app(), terminal_size=SIZE)


def test_failing_results(make_app, snap_compare) -> None:
    app = make_app()

    async def graded(pilot: Pilot) -> None:
        await pilot.pause()
        await show_result(app, pilot, failing_sigmoid())

    assert snap_compare(app, terminal_size=SIZE, run_before=graded)


def test_diverging_gradient_descent(make_app, snap_compare) -> None:
    app = make_app()

    async def graded(pilot: Pilot) -> None:
        await pilot.pause()
        await show_result(app, pilot, gradient_descent_result(rising=True))
        await pilot.press("c")

    assert snap_compare(app, terminal_size=SIZE, run_before=graded)


def test_passing_gradient_descent_curve(make_app, snap_compare) -> None:
    app = make_app()

    async def graded(pilot: Pilot) -> None:
        await pilot.pause()
        await show_result(app, pilot, gradient_descent_result(rising=False))
        app.clear_notifications()

    assert snap_compare(app, terminal_size=SIZE, run_before=graded)


def test_help_screen(make_app, snap_compare) -> None:
    assert snap_compare(make_app(), terminal_size=SIZE, press=["question_mark"])


def test_reset_confirmation(make_app, snap_compare) -> None:
    assert snap_compare(make_app(), terminal_size=SIZE, press=["x"])


def test_light_theme(make_app, snap_compare) -> None:
    app = make_app()

    async def light(pilot: Pilot) -> None:
        await pilot.pause()
        app.theme = "textual-light"
        await show_result(app, pilot, failing_sigmoid())

    assert snap_compare(app, terminal_size=SIZE, run_before=light)


def test_small_terminal(make_app, snap_compare) -> None:
    assert snap_compare(make_app(), terminal_size=(80, 24))


def test_small_terminal_results(make_app, snap_compare) -> None:
    app = make_app()

    async def graded(pilot: Pilot) -> None:
        await pilot.pause()
        await show_result(app, pilot, failing_sigmoid())

    assert snap_compare(app, terminal_size=(80, 24), run_before=graded)


def test_small_terminal_list(make_app, snap_compare) -> None:
    assert snap_compare(make_app(), terminal_size=(80, 24), press=["l"])
