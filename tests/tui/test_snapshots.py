"""SVG snapshots of the main screens at fixed sizes (update: pytest --snapshot-update)."""

from __future__ import annotations

from textual.pilot import Pilot

from nntutor.core.workspace import Workspace

from .helpers import correct_source, mistake_source, settle

SIZE = (120, 40)


def test_start_screen(make_app, snap_compare) -> None:
    assert snap_compare(make_app(), terminal_size=SIZE)


def test_failing_starter_results(make_app, snap_compare) -> None:
    app = make_app()

    async def grade(pilot: Pilot) -> None:
        await pilot.press("r")
        await settle(app, pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=grade)


def test_diverging_gradient_descent(make_app, workspace: Workspace, snap_compare) -> None:
    exercise = workspace.catalogue.get("gradient_descent")
    workspace.file_for(exercise).write_text(mistake_source("gradient_ascent"))
    app = make_app()

    async def grade(pilot: Pilot) -> None:
        await pilot.pause()
        app.show_exercise(exercise)
        await pilot.press("r")
        await settle(app, pilot)
        await pilot.press("c")

    assert snap_compare(app, terminal_size=SIZE, run_before=grade)


def test_passing_gradient_descent_curve(make_app, workspace: Workspace, snap_compare) -> None:
    exercise = workspace.catalogue.get("gradient_descent")
    workspace.file_for(exercise).write_text(correct_source("gradient_descent"))
    app = make_app()

    async def grade(pilot: Pilot) -> None:
        await pilot.pause()
        app.show_exercise(exercise)
        await pilot.press("r")
        await settle(app, pilot)
        app.clear_notifications()

    assert snap_compare(app, terminal_size=SIZE, run_before=grade)


def test_help_screen(make_app, snap_compare) -> None:
    assert snap_compare(make_app(), terminal_size=SIZE, press=["question_mark"])


def test_reset_confirmation(make_app, snap_compare) -> None:
    assert snap_compare(make_app(), terminal_size=SIZE, press=["x"])


def test_light_theme(make_app, snap_compare) -> None:
    app = make_app()

    async def light(pilot: Pilot) -> None:
        app.theme = "textual-light"
        await pilot.press("r")
        await settle(app, pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=light)


def test_small_terminal(make_app, snap_compare) -> None:
    assert snap_compare(make_app(), terminal_size=(80, 24))


def test_small_terminal_list(make_app, snap_compare) -> None:
    assert snap_compare(make_app(), terminal_size=(80, 24), press=["l"])
