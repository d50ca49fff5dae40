"""Pilot tests of the app: every key and the learner's flows, with real gradings."""

from __future__ import annotations

import contextlib
import io
import json
import os
import sys
from pathlib import Path

import pytest
from rich.console import Console
from textual.pilot import Pilot
from textual.widgets import Static

from nntutor.core.catalogue import default_catalogue
from nntutor.core.workspace import Workspace
from nntutor.tui.app import NNTutorApp, create_app
from nntutor.tui.messages import EpochReported, FilesChanged, GradingFinished
from nntutor.tui.screens.editor import EditorScreen
from nntutor.tui.screens.modals import (
    CelebrationScreen,
    ConfirmScreen,
    HelpScreen,
    SolutionScreen,
)
from nntutor.tui.widgets.code_view import CodeView
from nntutor.tui.widgets.curve import CurvePanel
from nntutor.tui.widgets.results import ResultsPanel

from .helpers import check, correct_source, mistake_source, settle

# Async tests run on asyncio through the anyio pytest plugin (anyio comes with watchfiles).
pytestmark = pytest.mark.anyio
SIZE = (120, 40)


def status(app: NNTutorApp) -> str:
    return str(app.main.query_one("#status").render())


def active_tab(app: NNTutorApp) -> str:
    return app.main.query_one("#work").active


def plain(app: NNTutorApp, selector: str) -> str:
    """The text a Static shows, as the learner reads it."""
    console = Console(width=200, file=io.StringIO(), record=True)
    console.print(app.main.query_one(selector, Static).content)
    return console.export_text()


def notes(app: NNTutorApp) -> str:
    return "\n".join(n.message for n in app._notifications)


def on_disk(workspace: Workspace, exercise_id: str):
    return Workspace.open(workspace.root).progress.of(exercise_id)


async def test_opens_on_the_first_exercise_with_lesson_and_code(make_app, workspace) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.exercise.id == "sigmoid"
        assert app.main.query_one(CodeView).code == workspace.file_for(app.exercise).read_text()
        lesson = app.main.query_one("#lesson-text")._markdown
        assert "The sigmoid function" in lesson and "sigmoid(z)" in lesson
        overall = str(app.main.query_one("#overall").render())
        assert overall == f"Progress: 0/{len(default_catalogue().exercises)} passed"
        assert "not graded yet" in status(app)
        assert app.sub_title == "~/ws"


async def test_r_grades_the_failing_starter_and_saves_progress(make_app, workspace) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r")
        await settle(app, pilot)
        assert "last: failed 0/" in status(app) and "best" not in status(app)
        assert active_tab(app) == "results"
        panel = app.main.query_one(ResultsPanel)
        assert panel.checks and not panel.checks[0].passed
        # The first failing check is selected and its message shown below the table.
        first = next(c for c in panel.checks if not c.passed)
        assert first.message.splitlines()[0] in plain(app, "#details")
        # The table has the focus: the arrow keys move to the next check's details.
        if len(panel.checks) > 1:
            await pilot.press("down")
            second = panel.checks[panel.checks.index(first) + 1]
            assert second.name in plain(app, "#details")
    entry = on_disk(workspace, "sigmoid")
    assert (entry.status, entry.attempts) == ("failing", 1)


async def test_saving_the_fixed_file_passes_through_watch_mode(make_app, workspace) -> None:
    app = make_app()
    path = workspace.file_for(workspace.catalogue.get("sigmoid"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r")
        await settle(app, pilot)
        path.write_text(correct_source("sigmoid"))
        app.post_message(FilesChanged({path}))
        await settle(app, pilot)
        assert "passed" in status(app)
        assert "def sigmoid" in app.main.query_one(CodeView).code
        assert "sigmoid passed" in notes(app)
        # The same content saved again (an editor touching the file) is not graded again.
        app.post_message(FilesChanged({path}))
        await settle(app, pilot)
    entry = on_disk(workspace, "sigmoid")
    assert (entry.status, entry.attempts) == ("passed", 2)
    assert entry.passed_at is not None


async def test_saving_another_exercise_does_not_grade_the_current_one(make_app, workspace) -> None:
    app = make_app()
    other = workspace.file_for(workspace.catalogue.get("predict"))
    async with app.run_test(size=SIZE) as pilot:
        other.write_text(correct_source("predict"))
        app.post_message(FilesChanged({other}))
        await settle(app, pilot)
        assert app.grading is None
    assert on_disk(workspace, "predict").attempts == 0


async def test_a_new_save_cancels_the_grading_in_flight(make_app, workspace) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.grade(app.exercise)
        first = app._cancel
        app.grade(app.exercise)
        assert first.is_set() and not app._cancel.is_set()
        await settle(app, pilot)
    # Only the newer grading is recorded.
    assert on_disk(workspace, "sigmoid").attempts == 1


async def test_n_and_p_move_between_exercises(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n")
        assert app.exercise.id == "model_output"
        assert "compute_model_output" in app.main.query_one(CodeView).code
        await pilot.press("p", "p")
        assert app.exercise.id == "sigmoid"
        assert "first exercise" in notes(app)


async def test_l_jumps_to_an_exercise_from_the_catalogue(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("l")
        assert app.focused.id == "exercises"
        await pilot.press("down", "down", "enter")
        assert app.exercise.id == "loss"


async def test_h_reveals_hints_one_by_one_and_remembers(make_app, workspace) -> None:
    app = make_app()
    hints = workspace.catalogue.get("sigmoid").hints
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("h")
        lesson = app.main.query_one("#lesson-text")._markdown
        assert hints[0] in lesson and hints[1] not in lesson
        await pilot.press("h")
        assert hints[1] in app.main.query_one("#lesson-text")._markdown
        assert "Hint 2 of 3" in notes(app)
    assert on_disk(workspace, "sigmoid").hints_used == 2


async def test_x_resets_only_after_confirmation(make_app, workspace) -> None:
    app = make_app()
    exercise = workspace.catalogue.get("sigmoid")
    path = workspace.file_for(exercise)
    path.write_text(correct_source("sigmoid"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("x")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        assert path.read_text() == correct_source("sigmoid")
        await pilot.press("x")
        await pilot.press("y")
        await pilot.pause()
        assert path.read_text() == exercise.starter()
        assert app.main.query_one(CodeView).code == exercise.starter()
        assert "starter again" in notes(app)


async def test_s_shows_the_solution_only_after_passing(make_app, workspace) -> None:
    app = make_app()
    path = workspace.file_for(workspace.catalogue.get("sigmoid"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("s")
        assert not isinstance(app.screen, SolutionScreen)
        assert "unlocks once this exercise passes" in notes(app)
        path.write_text(correct_source("sigmoid"))
        await pilot.press("r")
        await settle(app, pilot)
        await pilot.press("s")
        assert isinstance(app.screen, SolutionScreen)
        assert "def sigmoid" in app.screen.source
        await pilot.press("escape")
        assert app.screen is app.main


async def test_progress_is_restored_after_a_restart(make_app, workspace) -> None:
    path = workspace.file_for(workspace.catalogue.get("sigmoid"))
    path.write_text(correct_source("sigmoid"))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r")
        await settle(app, pilot)
        await pilot.press("h")
    again = make_app()
    async with again.run_test(size=SIZE) as pilot:
        await pilot.pause()
        # The first exercise not yet passed is current; the catalogue shows the pass.
        assert again.exercise.id == "model_output"
        assert (
            str(again.main.query_one("#overall").render())
            == f"Progress: 1/{len(default_catalogue().exercises)} passed"
        )
        assert again.workspace.progress.of("sigmoid").hints_used == 1
        await pilot.press("p")
        assert "passed" in status(again)


async def test_a_corrupt_progress_file_is_explained_and_backed_up(make_app, workspace) -> None:
    workspace.progress_path.write_text("{ this is not json")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "could not be read" in notes(app)
        assert app.exercise.id == "sigmoid"
    backups = list(workspace.progress_path.parent.glob("progress.*.bak"))
    assert len(backups) == 1 and backups[0].read_text() == "{ this is not json"


async def test_question_mark_opens_help(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        assert app.screen is app.main


async def test_q_quits(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0


async def test_e_opens_editor_then_grades_what_it_saved(
    make_app, workspace, tmp_path, monkeypatch
) -> None:
    script = tmp_path / "editor.py"
    solution = tmp_path / "solution.py"
    solution.write_text(correct_source("sigmoid"))
    script.write_text(f"import shutil, sys\nshutil.copyfile({str(solution)!r}, sys.argv[1])\n")
    monkeypatch.setenv("EDITOR", f"{sys.executable} {script}")
    app = make_app()
    # The headless test driver cannot hand the terminal over; the editor still runs.
    monkeypatch.setattr(app, "suspend", contextlib.nullcontext)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("e")
        await settle(app, pilot)
        assert "passed" in status(app)
    assert on_disk(workspace, "sigmoid").status == "passed"


async def test_e_without_an_editor_points_to_the_in_app_editor(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("e")
        assert "$EDITOR" in notes(app)


async def test_in_app_editor_saves_and_grades(make_app, workspace) -> None:
    app = make_app()
    path = workspace.file_for(workspace.catalogue.get("sigmoid"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("i")
        assert isinstance(app.screen, EditorScreen)
        app.screen.query_one("#editor").text = correct_source("sigmoid")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert path.read_text() == correct_source("sigmoid")
        assert "passed" in status(app)
        await pilot.press("escape")
        assert app.screen is app.main
        assert app.main.query_one(CodeView).code == correct_source("sigmoid")


async def test_in_app_editor_asks_before_dropping_unsaved_changes(make_app, workspace) -> None:
    app = make_app()
    path = workspace.file_for(workspace.catalogue.get("sigmoid"))
    before = path.read_text()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("i")
        app.screen.query_one("#editor").text = "oops"
        await pilot.press("escape")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await pilot.pause()
        assert app.screen is app.main
    assert path.read_text() == before


async def test_gradient_descent_curve_against_the_reference(make_app, workspace) -> None:
    app = make_app()
    path = workspace.file_for(workspace.catalogue.get("gradient_descent"))
    async with app.run_test(size=SIZE) as pilot:
        app.show_exercise(workspace.catalogue.get("gradient_descent"))
        path.write_text(mistake_source("gradient_ascent"))
        await pilot.press("r")
        await settle(app, pilot)
        advice = str(app.main.query_one("#curve-advice").render())
        assert "goes UP" in advice and "gradient ascent" in advice
        details = plain(app, "#details")
        assert "Mistake" in details and "gradient ascent" in details
        path.write_text(correct_source("gradient_descent"))
        await pilot.press("r")
        await settle(app, pilot)
        assert active_tab(app) == "curve"
        assert "lies on the reference" in str(app.main.query_one("#curve-advice").render())
        assert app.main.query_one("#plot") is not None


async def test_epoch_events_draw_the_curve_live(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        for epoch, loss in enumerate([0.9, 0.7, 0.6], start=1):
            app.post_message(EpochReported(app.exercise.id, app._run, epoch, 10, loss))
        # An event of an older grading is ignored.
        app.post_message(EpochReported(app.exercise.id, app._run - 1, 4, 10, 0.1))
        await pilot.pause()
        assert app.main.query_one(CurvePanel).live == [0.9, 0.7, 0.6]
        assert active_tab(app) == "curve"
        assert "epoch 3/10" in str(app.main.query_one("#curve-advice").render())


async def test_each_fit_of_a_grading_starts_a_fresh_live_curve(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        # Two cases fit 3 epochs each, then one fits 2: three curves, one after the other.
        fits = [(3, [0.9, 0.7, 0.6]), (3, [0.8, 0.5, 0.4]), (2, [1.0])]
        for epochs, losses in fits:
            for epoch, loss in enumerate(losses, start=1):
                app.post_message(EpochReported(app.exercise.id, app._run, epoch, epochs, loss))
            await pilot.pause()
            assert app.main.query_one(CurvePanel).live == losses
            advice = str(app.main.query_one("#curve-advice").render())
            assert f"epoch {len(losses)}/{epochs}" in advice


async def test_finishing_a_track_is_celebrated(make_app, workspace) -> None:
    track = workspace.catalogue.tracks[0]
    for ex in track.exercises[:-1]:
        entry = workspace.progress.of(ex.id)
        entry.status, entry.attempts = "passed", 1
    workspace.save()
    last = track.exercises[-1]
    workspace.file_for(last).write_text(correct_source(last.function))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.exercise is last
        await pilot.press("r")
        await settle(app, pilot)
        assert isinstance(app.screen, CelebrationScreen)
        assert track.title in app.screen.message
        await pilot.press("enter")
        assert app.screen is app.main


async def test_watch_mode_suggests_manual_when_saves_bring_no_event(make_app, workspace) -> None:
    app = make_app()
    path = workspace.file_for(workspace.catalogue.get("sigmoid"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.check_watch()
        assert app.grading is None
        path.write_text(correct_source("sigmoid"))
        stat = path.stat()
        os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 5_000_000_000))
        app.check_watch()  # the watcher gets until the next check to report it
        await pilot.pause()
        assert "--manual" not in notes(app)
        app.check_watch()
        await pilot.pause()
        assert "nntutor --manual" in notes(app)
        await settle(app, pilot)
        assert "passed" in status(app)


async def test_manual_mode_says_so_and_does_not_watch(make_app) -> None:
    app = make_app(manual=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "manual: press r" in status(app)
        assert not [w for w in app.workers if w.group == "watch"]


async def test_narrow_terminal_hides_the_catalogue_until_l(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert not app.main.query_one("#catalogue").display
        await pilot.press("l")
        assert app.main.query_one("#catalogue").display
        await pilot.press("down", "enter")
        assert app.exercise.id == "model_output"
        assert not app.main.query_one("#catalogue").display


async def test_command_palette_offers_actions_and_exercises(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        titles = {c.title: c for c in app.get_system_commands(app.main)}
        assert {"Grade", "Hint", "Reset", "Solution", "Edit in the app"} <= set(titles)
        titles["Go to 6. gradient_descent"].callback()
        assert app.exercise.id == "gradient_descent"


async def test_first_run_creates_the_workspace_and_shows_where(home: Path) -> None:
    root = home / ".local" / "share" / "nntutor" / "workspace"
    app = create_app(root, watch=False)
    assert Workspace.is_workspace(root)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "~/.local/share/nntutor/workspace" in notes(app)
        assert "saving grades them" in notes(app)
        assert app.sub_title == "~/.local/share/nntutor/workspace"


async def test_first_run_in_manual_mode_says_to_press_r(home: Path) -> None:
    app = create_app(home / "ws", manual=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "press r to grade" in notes(app) and "saving grades" not in notes(app)


async def test_an_exercise_without_grader_says_so(make_app, monkeypatch) -> None:
    import nntutor.core.grader as grader

    monkeypatch.setattr(grader, "all_specs", dict)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r")
        await settle(app, pilot)
        assert "no grader" in notes(app)
        assert "grading" not in status(app)


def test_progress_file_on_disk_is_the_workspace_format(workspace) -> None:
    data = json.loads(workspace.progress_path.read_text())
    assert data["format"] == "nntutor-progress"


@pytest.mark.parametrize("theme", ["textual-dark", "textual-light"])
async def test_both_themes_render(make_app, theme: str) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        app.theme = theme
        await pilot.pause()
        assert app.current_theme.dark is (theme == "textual-dark")
        assert app.main.query_one(CodeView).code


def test_checks_of_one_case_are_named_by_quantity_first() -> None:
    from nntutor.core.results import CheckResult
    from nntutor.tui.widgets.results import row_names

    checks = [
        CheckResult("10 steps: final w", "failed", 0, 1),
        CheckResult("10 steps: final b", "failed", 0, 1),
        CheckResult("large |z|: -1000, 1000", "passed", 1, 1),
    ]
    assert row_names(checks) == [
        "final w · 10 steps",
        "final b · 10 steps",
        "large |z|: -1000, 1000",
    ]


async def test_learner_output_is_shown_sanitised_and_literal(make_app, workspace) -> None:
    path = workspace.file_for(workspace.catalogue.get("sigmoid"))
    path.write_text(
        "def sigmoid(z):\n"
        '    print("\\x1b[31mred\\x1b[0m [bold]not markup[/bold]\\x07")\n'
        "    raise ValueError('[red]boom[/red]')\n"
    )
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r")
        await settle(app, pilot)
        details = plain(app, "#details")
        assert "red [bold]not markup[/bold]" in details
        assert "[red]boom[/red]" in details
        assert "\x1b" not in details and "\x07" not in details


async def test_a_file_that_does_not_load_is_explained(make_app, workspace) -> None:
    path = workspace.file_for(workspace.catalogue.get("sigmoid"))
    path.write_text("def sigmoid(z):\n    return [\n")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r")
        await settle(app, pilot)
        assert "last: error" in status(app)
        assert "SyntaxError" in plain(app, "#verdict") + plain(app, "#details")


async def test_training_events_from_the_grader_reach_the_plot(make_app, monkeypatch) -> None:
    import nntutor.core.grader as grader
    from nntutor.core.results import CheckResult, Curve, ExerciseResult, SubmissionResult

    losses = [0.9, 0.5, 0.3]

    def fake_grade(paths, options, catalogue=None) -> SubmissionResult:
        for epoch, loss in enumerate(losses):
            event = {"kind": "epoch", "epoch": epoch, "epochs": 3, "loss": loss}
            options.on_event("train_model", event)
        options.on_event("train_model", {"kind": "epoch", "epoch": "x"})  # malformed: dropped
        result = ExerciseResult(
            "train_model",
            "train_model",
            "passed",
            [CheckResult("fits", "passed", 1, 1)],
            Curve(losses, [0.8, 0.5, 0.3], "loss per epoch"),
        )
        return SubmissionResult("f", [result])

    monkeypatch.setattr(grader, "grade_paths", fake_grade)
    reported: list[EpochReported] = []
    app = make_app()

    def hook(message) -> None:
        if isinstance(message, EpochReported):
            reported.append(message)

    async with app.run_test(size=SIZE, message_hook=hook) as pilot:
        await pilot.pause()
        app.show_exercise(app.catalogue.get("train_model"))
        await pilot.press("r")
        await settle(app, pilot)
        assert [m.loss for m in reported] == losses
        assert active_tab(app) == "curve"
        assert "goes down but not along the reference" in plain(app, "#curve-advice")


async def test_a_deleted_file_is_not_graded_and_can_be_restored(make_app, workspace) -> None:
    app = make_app()
    path = workspace.file_for(workspace.catalogue.get("sigmoid"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        path.unlink()
        app.post_message(FilesChanged({path}))
        await pilot.pause()
        assert app.grading is None
        assert "Press x to restore the starter" in app.main.query_one(CodeView).code
        await pilot.press("x", "y")
        await pilot.pause()
        assert path.read_text() == workspace.catalogue.get("sigmoid").starter()


def test_the_cli_launches_the_app_on_the_chosen_workspace(home, monkeypatch) -> None:
    from nntutor import cli

    launched: list[NNTutorApp] = []
    monkeypatch.setattr(NNTutorApp, "run", lambda self: launched.append(self))
    assert cli.main(["--workspace", str(home / "mine"), "--manual"]) == 0
    (app,) = launched
    assert app.workspace.root == home / "mine" and app.created and not app.watching
    assert Workspace.is_workspace(home / "mine")


def test_the_cli_explains_a_workspace_it_cannot_use(home, capsys) -> None:
    from nntutor import cli

    (home / "afile").write_text("not a folder")
    assert cli.main(["--workspace", str(home / "afile")]) == 2
    assert "is not a folder" in capsys.readouterr().err


async def test_a_progress_file_with_wrong_types_is_explained_and_backed_up(
    make_app, workspace
) -> None:
    bad = json.dumps(
        {
            "format": "nntutor-progress",
            "version": 1,
            "exercises": {"sigmoid": {"status": "passed", "best_score": "x", "attempts": 2}},
        }
    )
    workspace.progress_path.write_text(bad)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "could not be read" in notes(app) and "best_score" in notes(app)
        assert app.workspace.progress.of("sigmoid").status == "not started"
    backups = list(workspace.progress_path.parent.glob("progress.*.bak"))
    assert [b.read_text() for b in backups] == [bad]


def test_the_code_fills_its_panel_from_the_start_at_80x24(make_app, workspace) -> None:
    app = make_app()
    heights: list[int] = []

    async def measure(pilot: Pilot) -> None:
        await pilot.pause()
        view = app.main.query_one(CodeView)
        heights.extend([view.size.height, view.query_one(Static).size.height])
        app.exit()

    # app.run starts up as in a terminal (run_test happens to lay out before the first fill).
    app.run(headless=True, size=(80, 24), auto_pilot=measure)
    panel, code = heights
    # The starter is longer than the panel: its lines fill the view, not just line 1.
    assert len(workspace.file_for(app.exercise).read_text().splitlines()) > panel
    assert code > panel


async def test_a_new_exercise_shows_its_lesson_from_the_top(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        lesson = app.main.query_one("#lesson")
        lesson.scroll_end(animate=False, immediate=True)
        await pilot.pause()
        assert lesson.scroll_y > 0
        await pilot.press("n")
        await pilot.pause()
        assert lesson.scroll_y == 0


async def test_h_scrolls_to_the_hint_it_reveals(make_app, workspace) -> None:
    app = make_app()
    hint = workspace.catalogue.get("sigmoid").hints[0]
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("h")
        await pilot.pause()
        await pilot.pause()
        lesson = app.main.query_one("#lesson")
        assert hint in app.main.query_one("#lesson-text")._markdown
        # The lesson is longer than its panel: scrolled to the very end, where the hint is,
        # measured with the hint's block laid out.
        assert lesson.max_scroll_y > 0 and lesson.scroll_y == lesson.max_scroll_y


async def test_status_shows_the_latest_grading_beside_the_best(make_app, workspace) -> None:
    app = make_app()
    exercise = workspace.catalogue.get("sigmoid")
    path = workspace.file_for(exercise)
    path.write_text(correct_source("sigmoid"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r")
        await settle(app, pilot)
        entry = app.workspace.progress.of("sigmoid")
        full = f"{entry.max_score:g}/{entry.max_score:g}"
        assert "last: passed" in status(app) and "best" not in status(app)
        path.write_text(mistake_source("sigmoid_sign_flipped"))
        await pilot.press("r")
        await settle(app, pilot)
        assert "FAILED" in plain(app, "#verdict")
        assert "last: failed" in status(app) and f"best {full} (passed)" in status(app)
        row = str(app.main.query_one("#exercises").get_option("sigmoid").prompt)
        assert row.startswith("✓") and f"{entry.last_score:g}/" in row
        # Reset: the best is kept, the status line says nothing is graded since.
        await pilot.press("x", "y")
        await pilot.pause()
        assert "reset to the starter, not graded since" in status(app)
        assert "last:" not in status(app) and f"best {full} (passed)" in status(app)
        assert "reset" in str(app.main.query_one("#exercises").get_option("sigmoid").prompt)
    on_file = on_disk(workspace, "sigmoid")
    assert (on_file.last_status, on_file.best_score, on_file.status) == (
        "reset",
        on_file.max_score,
        "passed",
    )


async def test_the_blank_starter_is_named_in_words(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r")
        await settle(app, pilot)
        details = plain(app, "#details")
        assert "Mistake" in details and "still the blank starter" in details
        assert "left_blank" not in details


async def test_in_app_editor_toasts_the_verdict(make_app, workspace) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("i")
        app.screen.query_one("#editor").text = mistake_source("sigmoid_sign_flipped")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, EditorScreen)
        entry = app.workspace.progress.of("sigmoid")
        assert f"sigmoid failed ({entry.last_score:g}/{entry.max_score:g})" in notes(app)
        app.clear_notifications()
        app.screen.query_one("#editor").text = correct_source("sigmoid")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert f"sigmoid passed ({entry.max_score:g}/{entry.max_score:g})" in notes(app)
        app.clear_notifications()
        # Passed again: still said, since the results are behind the editor.
        app.screen.query_one("#editor").text = correct_source("sigmoid") + "\n"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert "sigmoid passed" in notes(app)


async def test_formulas_wrap_to_the_lesson_width_at_80x24(make_app) -> None:
    from textual.widgets._markdown import MarkdownFence

    app = make_app()
    # 80 columns as at 80x24, and tall enough to show the formula without scrolling.
    async with app.run_test(size=(80, 60)) as pilot:
        await pilot.pause()
        app.show_exercise(app.catalogue.get("cost"))
        await app.refresh_lesson()
        await pilot.pause()
        fence = next(f for f in app.main.query(MarkdownFence) if "Σ_i [" in f.code)
        # Nothing to scroll sideways to: the whole formula is on screen, wrapped.
        assert fence.max_scroll_x == 0
        region = fence.region
        strips = app.screen._compositor.render_strips()[region.y : region.bottom]
        shown = "".join(s.crop(region.x, region.right).text for s in strips)
        assert "".join(fence.code.split()) in "".join(shown.split())


async def test_a_failing_checks_details_fit_at_80x24(make_app) -> None:
    from dataclasses import replace

    from nntutor.core.results import CheckResult

    from .helpers import failing_sigmoid, show_result

    # A long verdict (notes, printed output) and many checks, as a real grading can give.
    failing = failing_sigmoid()
    passed = [CheckResult(f"case {i}", "passed", 1, 1) for i in range(6)]
    result = replace(
        failing,
        checks=passed + failing.checks,
        notes=["sigmoid was recognised by its signature", "graded with float64 inputs"],
    )
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await show_result(app, pilot, result)
        app.post_message(GradingFinished(result.id, app._run, result, "debug\n" * 5))
        await pilot.pause()
        await pilot.pause()
        # The results as on screen (values wrap within them).
        region = app.main.query_one("#results-panel").region
        strips = app.screen._compositor.render_strips()[region.y : region.bottom]
        screen = "\n".join(s.crop(region.x, region.right).text for s in strips)
        bad = failing.checks[1]
        assert "FAILED sigmoid" in screen
        for label in ("Inputs", "Expected", "Got", "Mistake", "Hint"):
            assert label in screen
        for value in (bad.details["expected"], bad.details["got"], bad.hint):
            assert "".join(value.split()) in "".join(screen.split())


@pytest.mark.parametrize("width", [80, 100])
async def test_the_status_line_fits_narrow_terminals(make_app, width: int) -> None:
    from rich.cells import cell_len

    from nntutor.core.results import ExerciseResult

    app = make_app()
    async with app.run_test(size=(width, 24)) as pilot:
        await pilot.pause()
        # The longest names, failing now after a pass: the longest status there is.
        exercise = max(app.catalogue.exercises, key=lambda ex: len(ex.id + ex.function))
        for outcome, score in (("passed", 5), ("failed", 0)):
            checks = [check("a case", outcome, score, 5)]
            result = ExerciseResult(exercise.id, exercise.function, outcome, checks)
            app.workspace.progress.record(result)
        app.show_exercise(exercise)
        await pilot.pause()
        line = status(app)
        assert cell_len(line) <= width - 2  # the status line's padding
        assert f"{exercise.function}()" in line and "failed 0/5" in line
        assert "best 5/5" in line and line.endswith("grade · ? help")


async def test_in_app_editor_highlights_python(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("i")
        await pilot.pause()
        editor = app.screen.query_one("#editor")
        assert editor.language == "python" and editor.is_syntax_aware
        row = next(i for i, line in enumerate(editor.text.splitlines()) if "def " in line)
        strip = editor.render_line(row - editor.scroll_offset.y)
        colours = {s.style.color for s in strip if s.text.strip() and s.style}
        assert len(colours) > 2  # keyword, name, punctuation... not one plain colour


STARTS_WITHOUT_TREE_SITTER = """
import asyncio, sys, tempfile
from pathlib import Path
from nntutor.core.workspace import Workspace
from nntutor.tui.app import NNTutorApp

async def main():
    app = NNTutorApp(Workspace.create(Path(tempfile.mkdtemp()) / "ws"), watch=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "tree_sitter" not in sys.modules, "imported at start-up"
        await pilot.press("i")
        assert "tree_sitter" in sys.modules, "not imported by the editor"

asyncio.run(main())
"""


def test_tree_sitter_is_imported_only_when_the_editor_opens(home) -> None:
    import subprocess

    # A fresh interpreter: in this one another test may have opened the editor already.
    done = subprocess.run(
        [sys.executable, "-c", STARTS_WITHOUT_TREE_SITTER],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])},
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]


async def test_the_last_results_come_back_after_a_restart(make_app, workspace) -> None:
    path = workspace.file_for(workspace.catalogue.get("sigmoid"))
    path.write_text(mistake_source("sigmoid_sign_flipped"))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r")
        await settle(app, pilot)
        graded = plain(app, "#verdict")
    assert "FAILED" in graded
    again = make_app()
    async with again.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert plain(again, "#verdict") == graded
        assert "earlier grading" not in plain(again, "#verdict")
    path.write_text(correct_source("sigmoid"))  # changed while the app was closed
    stale = make_app()
    async with stale.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "FAILED" in plain(stale, "#verdict")
        assert "your file has changed since" in plain(stale, "#verdict")
        await pilot.press("x", "y")  # reset forgets them
        await pilot.pause()
    assert not workspace.result_path(workspace.catalogue.get("sigmoid")).exists()
