"""Grading a submission: one child per kind of exercise, one check group per exercise.

The flow: start a child on the learner's files, learn which functions it defines, then for
each exercise call the learner's function on every case and judge the values here. A child
that dies (timeout, crash, exit) costs only the exercise it was running; the next exercise
gets a fresh child.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from nntutor.child.wire import StandIn
from nntutor.core.catalogue import Catalogue, Exercise, default_catalogue
from nntutor.core.names import find_function, missing_message, near_misses
from nntutor.core.results import CheckResult, ExerciseResult, SubmissionResult
from nntutor.core.runner import CallOutcome, ChildSession, Limits, SessionDied, Spawner
from nntutor.core.sanitise import sanitise
from nntutor.core.spec import ExerciseSpec, Unrecognised, error_check, not_run_check
from nntutor.core.specs import all_specs
from nntutor.core.stand_ins import StandInRefused, call_stand_in

if TYPE_CHECKING:
    from nntutor.core.warm import WarmPool

EventFn = Callable[[str, dict[str, Any]], None]

# Each kind of exercise runs in its own child: the NumPy one never loads TensorFlow.
SESSION_LIMITS = {
    "numpy": Limits(),
    "keras": Limits(call_timeout=120.0, load_timeout=60.0, data_mib=3072),
}
STUBBED_MODULES = {"numpy": ("tensorflow", "keras"), "keras": ()}


def alias_functions() -> dict[str, str]:
    """An older lab's name (compute_cost_logistic) -> the exercise function it stands for."""
    return {alias: spec.function for spec in all_specs().values() for alias in spec.aliases}


@dataclass
class GradeOptions:
    """What to grade and how. ``exercises`` None means every exercise of the catalogue but
    the optional ones (beyond the course)."""

    exercises: Sequence[str] | None = None
    limits: dict[str, Limits] = field(default_factory=lambda: dict(SESSION_LIMITS))
    on_event: EventFn | None = None
    cancel: threading.Event | None = None
    # Prepended to the child's command line, e.g. a bubblewrap sandbox.
    command_prefix: Sequence[str] = ()
    # Pre-warmed children (TensorFlow imported) for interactive use; each serves one grading.
    warm: WarmPool | None = None
    # Starts the child instead of subprocess.Popen (the batch's pre-warmed fork server).
    spawner: Spawner | None = None
    # Seconds the learner's code may run in all, over every exercise: a submission that
    # hangs everywhere costs this, not every exercise's own limit in turn.
    time_limit: float = 300.0
    # (uid, gid) the child drops to before learner code runs (see runner.unprivileged_user).
    run_as: tuple[int, int] | None = None


class _Sessions:
    """Starts children on demand and replaces one that died."""

    def __init__(
        self,
        paths: Sequence[str],
        kind: str,
        provide: Sequence[str],
        options: GradeOptions,
        exercise: list[str],
        ends: list[float],
    ) -> None:
        self.paths, self.kind, self.provide, self.options = paths, kind, provide, options
        self.current_exercise = exercise
        self.ends = ends
        self.session: ChildSession | None = None
        self.load_error: str | None = None
        # A stand-in asked for by an older lab's name (compute_cost_logistic) is nntutor's own.
        # The stand-ins the child may ask for now: the current exercise's earlier steps.
        self.allowed: set[str] = set()
        # The stand-ins the learner's code called while the current exercise was graded.
        self.called: set[str] = set()
        self.alias_of = alias_functions()

    def reference(self, name: str, args: list[Any], kwargs: dict[str, Any]) -> Any:
        """nntutor's own ``name``, only if the exercise being graded may call it."""
        function = self.alias_of.get(name, name)
        if function not in self.allowed:
            # Otherwise learner code could ask for the answer of the very function graded.
            raise StandInRefused(
                f"nntutor's own {name}() is not one of the earlier steps this exercise uses"
            )
        self.called.add(name)
        return call_stand_in(function, args, kwargs)

    def get(self) -> ChildSession:
        """The live child, started if needed; a file that failed to load is not retried."""
        if self.load_error is not None:
            raise SessionDied(self.load_error)
        if self.session is None or not self.session.alive:
            options = self.options

            def on_event(event: dict[str, Any]) -> None:
                if options.on_event is not None:
                    options.on_event(self.current_exercise[0], event)

            settings: dict[str, Any] = {
                "limits": options.limits[self.kind],
                "provide": self.provide,
                "stub_modules": STUBBED_MODULES[self.kind],
                "on_event": on_event,
                "cancel": options.cancel,
                "command_prefix": options.command_prefix,
                "spawner": options.spawner,
                "run_as": options.run_as,
            }
            warm = (
                options.warm.take(self.kind, paths=self.paths, **settings) if options.warm else None
            )
            if warm is not None:
                warm.reference = self.reference
            self.session = warm or ChildSession(self.paths, reference=self.reference, **settings)
            try:
                if warm is not None:
                    self.session.load()
                else:
                    self.session.start()
            except SessionDied as exc:
                self.load_error = str(exc)
                raise
        return self.session

    def close(self) -> None:
        if self.session is not None:
            self.session.close()


MUTATION_CHECK = "leaves its inputs unchanged"


def _status(checks: list[CheckResult]) -> str:
    """passed when every check passed; error when every case raised or never ran."""
    if checks and all(c.passed for c in checks):
        return "passed"
    cases = [c for c in checks if c.name != MUTATION_CHECK]
    if cases and all(c.status == "error" for c in cases):
        return "error"
    return "failed"


def _load_failure(error: dict[str, Any]) -> str:
    where = error.get("where") or []
    if error.get("kind") == "exit":
        text = (
            f"Loading your file ended the program ({error.get('message')}): nothing could "
            "be graded. Remove the exit at the top level of your file."
        )
    else:
        text = f"Loading your file raised {error.get('message')}"
    if where:
        text += "\n  at " + "\n  at ".join(where)
    return text


def _full_points(spec: ExerciseSpec) -> float:
    """What the exercise is worth, so a missing or unloadable one counts out of the same."""
    return sum(case.points for case in spec.cases("standard")) + spec.mutation_points


def _missing(exercise: Exercise, spec: ExerciseSpec, message: str) -> ExerciseResult:
    check = CheckResult("defined", "failed", 0.0, _full_points(spec), message)
    return ExerciseResult(exercise.id, exercise.function, "missing", [check], message=message)


def unreadable(
    message: str, exercises: Sequence[str] | None, catalogue: Catalogue | None = None
) -> list[ExerciseResult]:
    """Every chosen exercise at 0 of its full points, for a submission that cannot be read:
    it counts out of the same maximum as the others (in the gradebook and class statistics)."""
    specs = all_specs()
    return [
        ExerciseResult(
            ex.id,
            ex.function,
            "error",
            [CheckResult("loads", "error", 0.0, _full_points(specs[ex.id]), message)],
            message=message,
        )
        for ex in _chosen(exercises, catalogue or default_catalogue())
    ]


def _chosen(exercises: Sequence[str] | None, catalogue: Catalogue) -> list[Exercise]:
    """The graded exercises of the catalogue, in its order; None means all of them but the
    optional ones (beyond the course)."""
    specs = all_specs()
    return [
        ex
        for ex in catalogue.exercises
        if ex.id in specs and (ex.id in exercises if exercises is not None else not ex.optional)
    ]


def _blank(
    exercise: Exercise, spec: ExerciseSpec, name: str, variant: str, notes: list[str]
) -> ExerciseResult:
    """A starter left unwritten: named as such, not run case by case."""
    points = sum(case.points for case in spec.cases(variant)) + spec.mutation_points
    message = (
        f"{name}() is still the blank starter: its body computes nothing and returns None "
        "(or a name it never sets). Write the computation, then return the result."
    )
    check = CheckResult(
        "written",
        "failed",
        0.0,
        points,
        message,
        mistake="left_blank",
        # Like a known mistake's: the title the learner reads, beside the id.
        details={"mistake": "the function is still the blank starter"},
    )
    return ExerciseResult(
        exercise.id, exercise.function, "failed", [check], notes=notes, message=message
    )


def _mutation_check(points: float, mutated: list[str], checks: list[CheckResult]) -> CheckResult:
    """The point for leaving the caller's arrays alone, earned once some case passes."""
    if mutated:
        return CheckResult(
            MUTATION_CHECK,
            "failed",
            0.0,
            points,
            f"Your function modified its input(s) in place: {'; '.join(mutated[:3])}. "
            "The caller's arrays must not change: work on a copy (copy.deepcopy(w_in), "
            "w = w - alpha * dj_dw rather than w -= ...).",
            mistake="mutates_inputs",
        )
    if any(c.passed for c in checks):
        return CheckResult(MUTATION_CHECK, "passed", points, points)
    return CheckResult(
        MUTATION_CHECK,
        "failed",
        0.0,
        points,
        "Not awarded yet: this point counts once at least one case passes.",
    )


def grade_exercise(
    sessions: _Sessions, exercise: Exercise, spec: ExerciseSpec, catalogue: Catalogue
) -> ExerciseResult:
    """Run every case of one exercise in the learner's child and judge the results."""
    sessions.current_exercise[0] = exercise.id
    if time.monotonic() >= sessions.ends[0]:
        message = (
            f"Not graded: your code used up this submission's time limit of "
            f"{sessions.options.time_limit:g} s in the exercises before this one."
        )
        check = CheckResult("in time", "error", 0.0, _full_points(spec), message)
        return ExerciseResult(exercise.id, exercise.function, "error", [check], message=message)
    try:
        session = sessions.get()
    except SessionDied as exc:
        return ExerciseResult(
            exercise.id,
            exercise.function,
            "error",
            [CheckResult("loads", "error", 0.0, _full_points(spec), str(exc))],
            message=f"Your file could not be loaded: {exc}",
        )
    if session.ready.get("error"):
        message = _load_failure(session.ready["error"])
        return ExerciseResult(
            exercise.id,
            exercise.function,
            "error",
            [CheckResult("loads", "error", 0.0, _full_points(spec), message)],
            message=message,
        )
    functions = session.ready.get("functions", {})
    found = find_function(exercise.function, spec.aliases, functions)
    if found is None:
        defined = [n for n, i in functions.items() if i.get("defined")]
        names = [e.function for e in catalogue.exercises]
        suggestions = near_misses(exercise.function, defined, names, {*names, *sessions.alias_of})
        return _missing(exercise, spec, missing_message(exercise.function, suggestions))
    called, info = found
    try:
        variant, variant_note = spec.variant(info)
    except Unrecognised as exc:
        return _missing(exercise, spec, str(exc))
    notes = [variant_note] if variant_note else []
    if called != exercise.function:
        notes.insert(0, f"graded your {called}() — {spec.aliases[called]} — as {exercise.function}")
    if info.get("blank"):
        return _blank(exercise, spec, called, variant, notes)
    used = [catalogue.get(u).function for u in exercise.uses]
    # An older lab's helper (compute_gradient_logistic) is replaced like the one it stands for.
    substitute = used + [a for a, f in sessions.alias_of.items() if f in used and a in functions]
    checks: list[CheckResult] = []
    curve = None
    mutated: list[str] = []
    cases = spec.cases(variant)
    sessions.allowed = {sessions.alias_of.get(name, name) for name in substitute} | {
        arg.name
        for case in cases
        for arg in spec.call_args(case, variant)
        if isinstance(arg, StandIn)
    }
    sessions.allowed.discard(exercise.function)
    sessions.called = set()
    deadline = min(
        time.monotonic() + sessions.options.limits[sessions.kind].call_timeout, sessions.ends[0]
    )
    for index, case in enumerate(cases):
        try:
            outcome = session.call(
                called,
                spec.call_args(case, variant),
                substitute=substitute,
                probe=spec.probe(variant),
                deadline=deadline,
            )
        except SessionDied as exc:
            failed = error_check(case, CallOutcome(error={"kind": "died", "message": str(exc)}))
            failed.message = f"{exc}\nInputs: {case.describe_inputs()}"
            if time.monotonic() >= sessions.ends[0]:
                failed.message += (
                    f"\nIt was stopped early: the submission's time limit of "
                    f"{sessions.options.time_limit:g} s for all exercises together ran out."
                )
            checks.append(failed)
            checks += [
                not_run_check(c, "Not run: the previous check stopped the grading process.")
                for c in cases[index + 1 :]
            ]
            break
        judging = time.monotonic()
        graded = spec.judge(case, outcome, variant)
        # Judging may wait for a reference worker: that is nntutor's time, not the learner's.
        judged_in = time.monotonic() - judging
        deadline += judged_in
        sessions.ends[0] += judged_in
        if outcome.output:
            # What the learner printed helps debug a failure; passing checks stay small.
            for check in graded.checks:
                if not check.passed:
                    check.details["output"] = outcome.output
        checks += graded.checks
        curve = curve or graded.curve
        mutated += [
            f"{case.arg_names[i] if i < len(case.arg_names) else f'argument {i}'} in '{case.name}'"
            for i in outcome.mutated
        ]
    spec.review(checks)
    if spec.mutation_points:
        checks.append(_mutation_check(spec.mutation_points, mutated, checks))
    # Only the stand-ins the learner's code called: naming the others would confuse.
    replaced = [
        name
        for name in substitute
        if name in sessions.called and name in functions and not functions[name].get("stand_in")
    ]
    if replaced:
        notes.append(
            f"While grading {exercise.function}, nntutor used its own "
            f"{', '.join(replaced)}, so a mistake there counts only in its own exercise."
        )
    provided = [
        name
        for name in substitute
        if name in sessions.alias_of and name in sessions.called and functions[name].get("stand_in")
    ]
    if provided:
        notes.append(
            f"Your file uses {', '.join(f'{n}()' for n in provided)} but does not define "
            f"{'them' if len(provided) > 1 else 'it'}: nntutor provided its own "
            f"{', '.join(f'{sessions.alias_of[n]}()' for n in provided)} under "
            f"{'those names' if len(provided) > 1 else 'that name'}."
        )
    return ExerciseResult(exercise.id, exercise.function, _status(checks), checks, curve, notes)


def grade_paths(
    paths: Sequence[str], options: GradeOptions | None = None, catalogue: Catalogue | None = None
) -> SubmissionResult:
    """Grade the learner's Python files (read together, in order) on the chosen exercises."""
    options = options or GradeOptions()
    catalogue = catalogue or default_catalogue()
    specs = all_specs()
    chosen = _chosen(options.exercises, catalogue)
    result = SubmissionResult(submission=", ".join(str(p) for p in paths))
    by_kind: dict[str, list[Exercise]] = {}
    for ex in chosen:
        by_kind.setdefault(specs[ex.id].session, []).append(ex)
    graded: dict[str, ExerciseResult] = {}
    ends = [time.monotonic() + options.time_limit]  # shared by both kinds of child
    aliases = alias_functions()
    for kind, exercises in by_kind.items():
        used = {catalogue.get(u).function for ex in exercises for u in ex.uses}
        # A lab's `from lab_utils_common import compute_cost_logistic` fails here: the older
        # names of the earlier steps are provided too, like the current ones.
        provide = sorted(used | {a for a, f in aliases.items() if f in used})
        sessions = _Sessions([str(p) for p in paths], kind, provide, options, [""], ends)
        try:
            for ex in exercises:
                graded[ex.id] = grade_exercise(sessions, ex, specs[ex.id], catalogue)
                if sessions.session is not None and sessions.session.ready.get("output"):
                    output = sanitise(str(sessions.session.ready["output"]))
                    if output and output not in result.output:
                        result.output += output
                if sessions.session is not None:
                    for note in sessions.session.ready.get("notes", []):
                        note = sanitise(str(note), 1000)
                        if note not in result.notes:
                            result.notes.append(note)
        finally:
            sessions.close()
    result.exercises = [graded[ex.id] for ex in chosen if ex.id in graded]
    return result
