"""The nntutor Textual app: lessons, the learner's code, live grading and curves.

State (workspace, current exercise, the grading in flight) lives here; grading and file
watching run in workers that only post messages, and the handlers below change the UI.
This module imports textual, rich and the headless core's light parts only: the grader
(and NumPy with it) is imported by the grading thread on first use.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shlex
import subprocess
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import App, SystemCommand
from textual.await_complete import AwaitComplete
from textual.content import Content
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.widgets import Markdown, OptionList, TabbedContent

from nntutor.core.catalogue import Exercise
from nntutor.core.results import ExerciseResult
from nntutor.core.workspace import ExerciseProgress, Workspace
from nntutor.tui.colours import legible_variables
from nntutor.tui.messages import EditorSaved, EpochReported, FilesChanged, GradingFinished
from nntutor.tui.screens.editor import EditorScreen
from nntutor.tui.screens.main import MainScreen
from nntutor.tui.screens.modals import (
    CelebrationScreen,
    ConfirmScreen,
    HelpScreen,
    SolutionScreen,
)
from nntutor.tui.solutions import reference_source
from nntutor.tui.widgets.catalogue import CataloguePanel
from nntutor.tui.widgets.code_view import CodeView
from nntutor.tui.widgets.curve import CurvePanel, curve_advice
from nntutor.tui.widgets.results import ResultsPanel, points
from nntutor.tui.widgets.status import StatusLine

if TYPE_CHECKING:
    from nntutor.core.warm import WarmPool

# watchfiles groups the events of one save that arrive within this many milliseconds.
DEBOUNCE_MS = 200
# How often (seconds) watch mode checks that saves of the current file produce events.
WATCH_CHECK_S = 2.0


def display_path(path: Path) -> str:
    """``~/...`` for paths in the home folder, so the title stays short."""
    try:
        return "~/" + str(path.relative_to(Path.home()))
    except ValueError:
        return str(path)


def file_digest(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def file_mtime(path: Path) -> int | None:
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return None


def progress_state(entry: ExerciseProgress, short: bool = False) -> str:
    """Status-line markup for a graded exercise: the latest grading, and the best one
    (``last: failed 0/10 · best 10/10 (passed)``) when the latest is not it.
    ``short``: the same facts in fewer words (``failed 0/10 · best 10/10``)."""
    best = f"best {points(entry.best_score, entry.max_score)}"
    if not short:
        best += f" ({entry.status})"
    if entry.last_status == "reset":
        reset = "reset" if short else "reset to the starter, not graded since"
        return f"[$text-muted]{reset} ·[/] {best}"
    if entry.last_status is None:  # a progress file from before the latest was recorded
        return best
    passed = entry.last_status == "passed"
    mark, style = ("✓", "$text-success") if passed else ("✗", "$text-error")
    score = points(entry.last_score, entry.max_score)
    last = f"[b {style}]{mark} {'' if short else 'last: '}{entry.last_status}[/] {score}"
    if entry.last_score == entry.best_score and passed == (entry.status == "passed"):
        return last
    return f"{last} · {best}"


class NNTutorApp(App[None]):
    """One workspace, one current exercise, at most one grading in flight."""

    CSS_PATH = "nntutor.tcss"
    TITLE = "nntutor"

    def __init__(
        self, workspace: Workspace, manual: bool = False, watch: bool = True, created: bool = False
    ) -> None:
        """``manual``: grade only on r. ``watch``: start the file watcher (tests inject
        ``FilesChanged`` instead). ``created``: the workspace is new, say where it is."""
        super().__init__()
        self.workspace = workspace
        self.catalogue = workspace.catalogue
        self.watching = not manual
        self._start_watcher = watch and not manual
        self.exercise: Exercise = self._first_unfinished()
        self.results: dict[str, tuple[ExerciseResult, str]] = {}
        self.grading: str | None = None
        self._run = 0
        self._cancel = threading.Event()
        # Content of each file when it was last graded: an unchanged save does not regrade.
        self._graded_digest: dict[str, str | None] = {}
        # Watch-mode health: the current file's mtime when we last heard of it, and a change
        # seen by polling that no event has explained yet.
        self._known_mtime: int | None = None
        self._unexplained_change: int | None = None
        self._suggested_manual = False
        self._stop_watch = threading.Event()
        # Keeps a child with TensorFlow imported for the next Keras grading (made on demand).
        self._warm: WarmPool | None = None
        self._warm_lock = threading.Lock()
        self.created = created
        self._main = MainScreen(self.catalogue)
        self.sub_title = display_path(workspace.root)

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """Notifications are plain text: they quote paths, errors and file content."""
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=markup)

    def get_css_variables(self) -> dict[str, str]:
        """The theme's variables, with text colours every theme makes legible."""
        self.theme_variables = legible_variables(
            super().get_css_variables(), self.current_theme.dark
        )
        return self.theme_variables

    def format_title(self, title: str, sub_title: str) -> Content:
        """``nntutor — ~/workspace``; Textual's dim path is 4.4:1 on the light theme."""
        return Content.assemble(title, (f" — {sub_title}" if sub_title else "", "$text-muted"))

    def _first_unfinished(self) -> Exercise:
        for ex in self.catalogue.exercises:
            if self.workspace.progress.of(ex.id).status != "passed":
                return ex
        return self.catalogue.exercises[0]

    def get_default_screen(self) -> Screen:
        return self.main

    @property
    def main(self) -> MainScreen:
        """The main screen, also while a modal or the editor is on top of it."""
        return self._main

    @on(MainScreen.Ready)
    def on_main_ready(self) -> None:
        if self.workspace.warning:
            self.notify(
                self.workspace.warning, title="Progress reset", severity="warning", timeout=30
            )
        if self.created:
            grading = "saving grades them" if self.watching else "press r to grade one"
            self.notify(
                f"Created your workspace in {display_path(self.workspace.root)}: one file per "
                f"exercise. Edit them in any editor; {grading}.",
                title="Welcome",
                timeout=20,
            )
        self.show_exercise(self.exercise)
        if self._start_watcher:
            self._watch()
            self.set_interval(WATCH_CHECK_S, self.check_watch)

    def on_unmount(self) -> None:
        self._stop_watch.set()
        self._cancel.set()
        with self._warm_lock:
            if self._warm is not None:
                self._warm.close()

    def warm_pool(self) -> WarmPool:
        """The pool of pre-warmed children, created on first use (from a worker thread)."""
        from nntutor.core.warm import WarmPool

        with self._warm_lock:
            if self._warm is None:
                self._warm = WarmPool()
            return self._warm

    @work(thread=True, group="warm", exit_on_error=False)
    def _prewarm(self, exercise: Exercise) -> None:
        """Start importing TensorFlow in a spare child while the learner reads a Keras lesson."""
        from nntutor.core.specs import all_specs
        from nntutor.core.warm import WARM_MODULES

        spec = all_specs().get(exercise.id)
        if spec is not None and spec.session in WARM_MODULES:
            self.warm_pool().fill()

    # ----- what is on screen -------------------------------------------------------------

    @property
    def index(self) -> int:
        return self.catalogue.exercises.index(self.exercise)

    def show_exercise(self, exercise: Exercise) -> None:
        """Make ``exercise`` current: lesson, code, its last results and curve."""
        self.exercise = exercise
        path = self.workspace.file_for(exercise)
        self._known_mtime, self._unexplained_change = file_mtime(path), None
        self.main.query_one(CodeView).show(path)
        self.refresh_lesson()
        self.main.query_one("#lesson").scroll_home(animate=False)
        self.refresh_catalogue()
        results = self.main.query_one(ResultsPanel)
        curve = self.main.query_one(CurvePanel)
        curve.clear()
        if exercise.id not in self.results:
            self._restore_result(exercise)
        if exercise.id in self.results:
            result, output = self.results[exercise.id]
            self._show_result(result, output)
        else:
            results.clear(self.not_graded_text)
        self.show_tab("code")
        self.refresh_status()
        self._prewarm(exercise)

    def _restore_result(self, exercise: Exercise) -> None:
        """The grading kept from an earlier session, marked stale if the file changed since."""
        kept = self.workspace.last_result(exercise)
        if kept is None:
            return
        result, output, digest = kept
        if digest is not None and digest == file_digest(self.workspace.file_for(exercise)):
            self._graded_digest[exercise.id] = digest  # an unchanged save need not regrade
        else:
            result.notes.insert(
                0,
                "These are the results of an earlier grading; your file has changed since: "
                + self.how_to_grade,
            )
        self.results[exercise.id] = (result, output)

    @property
    def how_to_grade(self) -> str:
        return "save your file, or press r." if self.watching else "press r."

    @property
    def not_graded_text(self) -> str:
        return "Not graded yet: " + self.how_to_grade

    def refresh_lesson(self) -> AwaitComplete:
        """Render the lesson with the hints revealed so far; await it to see it rendered."""
        ex = self.exercise
        used = self.workspace.progress.of(ex.id).hints_used
        text = (
            f"*Exercise {self.index + 1} of {len(self.catalogue.exercises)} · your file: "
            f"`{self.workspace.file_for(ex).name}`*\n\n"
            f"`{ex.signature}`\n\n{ex.instructions()}"
        )
        if used:
            text += "\n\n## Hints\n\n" + "\n\n".join(
                f"{i}. {hint}" for i, hint in enumerate(ex.hints[:used], start=1)
            )
        return self.main.query_one("#lesson-text", Markdown).update(text)

    def refresh_catalogue(self) -> None:
        self.main.query_one(CataloguePanel).show_progress(self.workspace.progress, self.exercise)

    def refresh_status(self) -> None:
        """The exercise, its state and how to grade, in as many words as fit."""
        ex = self.exercise
        entry = self.workspace.progress.of(ex.id)
        if self.grading == ex.id:
            state = short_state = "[b $text-warning]⟳ grading…[/]"
        elif entry.attempts:
            state, short_state = progress_state(entry), progress_state(entry, short=True)
        else:
            state, short_state = "[$text-muted]not graded yet[/]", "[$text-muted]not graded[/]"
        mode = "manual: press r to grade" if not self.watching else "watching: save to grade"
        short_mode = "r to grade" if not self.watching else "save to grade"
        self.main.query_one(StatusLine).say(
            f"{ex.id} · {ex.function}()  {state}  [$text-muted]· {mode} · ? help[/]",
            f"{ex.function}()  {state}  [$text-muted]· {mode} · ? help[/]",
            f"{ex.function}()  {short_state}  [$text-muted]· {short_mode} · ? help[/]",
        )

    # ----- grading ---------------------------------------------------------------------

    def grade(self, exercise: Exercise) -> None:
        """Grade ``exercise`` in a worker, cancelling any grading still running."""
        self._cancel.set()
        self._cancel = threading.Event()
        self._run += 1
        path = self.workspace.file_for(exercise)
        self._graded_digest[exercise.id] = file_digest(path)
        if exercise is self.exercise:
            self._known_mtime, self._unexplained_change = file_mtime(path), None
        self.grading = exercise.id
        self.main.query_one(CurvePanel).clear()
        self.refresh_status()
        self._grade_worker(exercise, self._run, self._cancel)

    @work(thread=True, exclusive=True, group="grade", exit_on_error=False)
    def _grade_worker(self, exercise: Exercise, run: int, cancel: threading.Event) -> None:
        from nntutor.core.grader import GradeOptions, grade_paths
        from nntutor.core.runner import Cancelled

        def on_event(exercise_id: str, event: dict) -> None:
            if event.get("kind") != "epoch":
                return
            try:  # the numbers come from the learner's process: take them only if they are
                epoch, epochs = int(event["epoch"]), int(event["epochs"])
                loss = float(event["loss"])
            except (KeyError, TypeError, ValueError):
                return
            self.post_message(EpochReported(exercise_id, run, epoch, epochs, loss))

        options = GradeOptions(
            exercises=[exercise.id], on_event=on_event, cancel=cancel, warm=self.warm_pool()
        )
        try:
            graded = grade_paths([str(self.workspace.file_for(exercise))], options)
        except Cancelled:
            return
        except Exception as exc:  # never a traceback in the learner's face
            message = f"nntutor could not grade this exercise: {type(exc).__name__}: {exc}"
            self.post_message(GradingFinished(exercise.id, run, None, error=message))
            return
        result = graded.exercises[0] if graded.exercises else None
        error = "" if result else "This exercise has no grader in this version of nntutor yet."
        self.post_message(GradingFinished(exercise.id, run, result, graded.output, error))

    @on(EpochReported)
    def on_epoch(self, message: EpochReported) -> None:
        if message.run != self._run or message.exercise_id != self.exercise.id:
            return
        panel = self.main.query_one(CurvePanel)
        if not panel.live:
            self.show_tab("curve")
        panel.add_point(message.epoch, message.epochs, message.loss)

    @on(GradingFinished)
    def on_graded(self, message: GradingFinished) -> None:
        if message.run != self._run:
            return  # a newer grading replaced this one
        self.grading = None
        result = message.result
        if result is None:
            self.notify(message.error, severity="error", timeout=10)
            self.refresh_status()
            return
        exercise = self.catalogue.get(result.id)
        track = next(t for t in self.catalogue.tracks if t.id == exercise.track)
        was_done = self._track_done(track.exercises)
        was_passed = self.workspace.progress.of(result.id).status == "passed"
        self.workspace.progress.record(result)
        self.save_progress()
        # Only shown again after a restart; save_progress already reported a bad folder.
        with contextlib.suppress(OSError):
            self.workspace.keep_result(
                exercise, result, message.output, self._graded_digest.get(result.id)
            )
        self.results[result.id] = (result, message.output)
        if exercise is self.exercise:
            self._show_result(result, message.output)
            tab = "curve" if result.curve and result.status == "passed" else "results"
            self.show_tab(tab)
            if tab == "results" and self.screen is self.main:
                # Arrow keys now walk the checks, each showing its details.
                self.main.query_one("#checks").focus()
        self.refresh_catalogue()
        self.refresh_status()
        score = points(result.score, result.max_score)
        if result.status == "passed" and not was_passed:
            self.notify(
                f"{exercise.id} passed ({score}). "
                "Press n for the next exercise, s to compare with the reference.",
                title="Passed",
            )
        elif isinstance(self.screen, EditorScreen):
            # The results are hidden behind the editor: say the verdict over it.
            self.notify(
                f"{exercise.id} {result.status} ({score}). escape shows the results.",
                title="Graded",
                severity="information" if result.status == "passed" else "warning",
            )
        if not was_done and self._track_done(track.exercises):
            self.push_screen(
                CelebrationScreen(
                    f"You finished “{track.title}”: all {len(track.exercises)} exercises pass."
                    "\n\nYour solutions stay in your workspace; s shows the reference for each."
                )
            )

    def save_progress(self) -> None:
        try:
            self.workspace.save()
        except OSError as exc:
            self.notify(
                f"Your progress could not be saved ({exc.strerror}): is the workspace folder "
                "writable?",
                severity="error",
                timeout=20,
            )

    def action_show_tab(self, tab: str) -> None:
        self.show_tab(tab)

    def show_tab(self, tab: str) -> None:
        """Show the code, results or curve tab; focus left in a hidden tab goes to the list
        (a focused widget would pull its tab back to the front)."""
        work = self.main.query_one("#work", TabbedContent)
        focused = self.main.focused
        if focused is not None and tab != work.active and work in focused.ancestors:
            self.main.query_one("#exercises").focus()
        work.active = tab

    def _show_result(self, result: ExerciseResult, output: str) -> None:
        """Fill the results (and the curve, with what it means) of the current exercise."""
        advice = ""
        if result.curve:
            advice = curve_advice(result.curve, result.checks)
            self.main.query_one(CurvePanel).show_curve(result.curve, advice)
        self.main.query_one(ResultsPanel).show(result, output, advice)

    def _track_done(self, exercises: Iterable[Exercise]) -> bool:
        return all(self.workspace.progress.of(ex.id).status == "passed" for ex in exercises)

    # ----- watch mode --------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="watch", exit_on_error=False)
    def _watch(self) -> None:
        from watchfiles import watch

        try:
            for changes in watch(
                self.workspace.root,
                debounce=DEBOUNCE_MS,
                recursive=False,
                stop_event=self._stop_watch,
                watch_filter=lambda _change, path: path.endswith(".py"),
            ):
                self.post_message(FilesChanged({Path(p) for _change, p in changes}))
        except Exception as exc:
            self.call_from_thread(
                self.notify,
                f"Watching the workspace failed ({exc}); press r to grade, or restart "
                "with nntutor --manual.",
                severity="warning",
                timeout=20,
            )

    @on(FilesChanged)
    def on_files_changed(self, message: FilesChanged) -> None:
        path = self.workspace.file_for(self.exercise)
        if not any(p.name == path.name for p in message.paths):
            return
        self._known_mtime, self._unexplained_change = file_mtime(path), None
        self.main.query_one(CodeView).show(path)
        digest = file_digest(path)
        # None: the file is gone (deleted, or mid-rename by an editor); the view says so.
        if digest is not None and digest != self._graded_digest.get(self.exercise.id):
            self.grade(self.exercise)

    @on(EditorSaved)
    def on_editor_saved(self, message: EditorSaved) -> None:
        self.main.query_one(CodeView).show(message.path)
        self.grade(self.exercise)

    def check_watch(self) -> None:
        """Called every WATCH_CHECK_S seconds: a save that no event reported by the next
        check means watching does not work here; say so once and grade anyway."""
        path = self.workspace.file_for(self.exercise)
        mtime = file_mtime(path)
        if mtime == self._known_mtime:
            self._unexplained_change = None
            return
        if self._unexplained_change != mtime:
            self._unexplained_change = mtime  # give the watcher until the next check
            return
        if not self._suggested_manual:
            self._suggested_manual = True
            self.notify(
                f"You saved {path.name} but no file event arrived: watching seems not to work "
                "on this file system (network drive, WSL?). Grading it anyway; for reliable "
                "use restart with `nntutor --manual` and press r.",
                title="Watch mode",
                severity="warning",
                timeout=30,
            )
        self.main.query_one(CodeView).show(path)
        self.grade(self.exercise)

    # ----- actions -----------------------------------------------------------------------

    def action_grade(self) -> None:
        self.main.query_one(CodeView).show(self.workspace.file_for(self.exercise))
        self.grade(self.exercise)

    def action_next(self) -> None:
        exercises = self.catalogue.exercises
        if self.index + 1 < len(exercises):
            self.show_exercise(exercises[self.index + 1])
        else:
            self.notify("This is the last exercise.")

    def action_previous(self) -> None:
        if self.index > 0:
            self.show_exercise(self.catalogue.exercises[self.index - 1])
        else:
            self.notify("This is the first exercise.")

    @on(OptionList.OptionSelected, "#exercises")
    def on_exercise_chosen(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.show_exercise(self.catalogue.get(event.option.id))
            self.main.remove_class("-show-list")

    async def action_hint(self) -> None:
        try:
            number, _text = self.workspace.next_hint(self.exercise)
        except OSError as exc:
            self.notify(f"Could not save your hints ({exc.strerror}).", severity="error")
            return
        total = len(self.exercise.hints)
        await self.refresh_lesson()
        # The hint's block is mounted now; scroll_end waits for the layout that sizes it.
        self.main.query_one("#lesson").scroll_end(animate=False)
        more = "" if number < total else " (the last one)"
        self.notify(f"Hint {number} of {total}{more} is at the end of the lesson.", title="Hint")

    def action_reset(self) -> None:
        exercise = self.exercise
        path = self.workspace.file_for(exercise)

        def answered(yes: bool | None) -> None:
            if not yes:
                self.notify("Left unchanged.")
                return
            try:
                self.workspace.reset(exercise)
            except OSError as exc:
                self.notify(f"Could not reset {path.name}: {exc.strerror}", severity="error")
                return
            self.results.pop(exercise.id, None)
            self._graded_digest[exercise.id] = file_digest(path)
            self.show_exercise(exercise)
            self.notify(f"{path.name} is the starter again.")

        self.push_screen(
            ConfirmScreen(
                f"Replace {path.name} with the starter? Your code will be lost.", "Reset"
            ),
            answered,
        )

    def action_solution(self) -> None:
        ex = self.exercise
        if self.workspace.progress.of(ex.id).status != "passed":
            self.notify(
                "The reference solution unlocks once this exercise passes: it is more useful "
                "to compare with than to copy. h gives a hint.",
                title="Solution locked",
                severity="warning",
            )
            return
        source = reference_source(ex.function)
        if source is None:
            self.notify(f"No reference for {ex.function} ships with this version.")
            return
        self.push_screen(SolutionScreen(f"Reference {ex.function}", source))

    def action_edit(self) -> None:
        """Open the file in $VISUAL / $EDITOR, wait for it, then grade what changed."""
        editor = os.environ.get("VISUAL") or os.environ.get("EDITOR")
        if not editor:
            self.notify("Set $EDITOR (e.g. export EDITOR=nano), or press i for the in-app editor.")
            return
        path = self.workspace.file_for(self.exercise)
        try:
            with self.suspend():
                subprocess.run([*shlex.split(editor), str(path)], check=False)
        except Exception as exc:  # no terminal to hand over, editor not found...
            self.notify(f"Could not open {editor}: {exc}. Press i for the in-app editor.")
            return
        self.main.query_one(CodeView).show(path)
        if file_digest(path) != self._graded_digest.get(self.exercise.id):
            self.grade(self.exercise)

    def action_edit_inside(self) -> None:
        self.push_screen(EditorScreen(self.workspace.file_for(self.exercise)), self._after_editor)

    def _after_editor(self, _saved: bool | None) -> None:
        self.main.query_one(CodeView).show(self.workspace.file_for(self.exercise))

    def action_help(self) -> None:
        self.push_screen(HelpScreen())

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        if not isinstance(screen, MainScreen):
            return
        yield SystemCommand("Grade", "Grade the current exercise (r)", self.action_grade)
        yield SystemCommand("Hint", "Reveal the next hint (h)", self.action_hint)
        yield SystemCommand("Edit in the app", "Textual's code editor (i)", self.action_edit_inside)
        yield SystemCommand("Edit in $EDITOR", "Suspend and open your editor (e)", self.action_edit)
        yield SystemCommand("Reset", "Restore the starter file (x)", self.action_reset)
        yield SystemCommand("Solution", "The reference, once passed (s)", self.action_solution)
        for number, ex in enumerate(self.catalogue.exercises, start=1):
            yield SystemCommand(
                f"Go to {number}. {ex.id}",
                ex.summary,
                lambda ex=ex: self.show_exercise(ex),
                discover=False,
            )


def create_app(root: Path, manual: bool = False, watch: bool = True) -> NNTutorApp:
    """Open the workspace at ``root``, creating it on first use, and build the app on it."""
    created = not Workspace.is_workspace(root)
    workspace = Workspace.create(root) if created else Workspace.open(root)
    return NNTutorApp(workspace, manual=manual, watch=watch, created=created)
