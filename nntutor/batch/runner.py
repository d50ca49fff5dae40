"""Grading many submissions: worker processes, a result store to resume from, progress.

Submissions are collected (notebooks converted, zips unpacked) in this process, hashed,
and skipped when ``--out`` already holds a result for the same content and grading. The
rest are graded by ``jobs`` worker processes, each with its own fork server (process
isolation) or a bubblewrap sandbox per submission (strict isolation). Each result is
written as soon as it is known, so an interrupted batch keeps what it finished.
"""

from __future__ import annotations

import json
import os
import re
import signal
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from hashlib import sha1
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from nntutor import __version__
from nntutor.core.results import SubmissionResult, submission_to_dict
from nntutor.core.submissions import Submission, collect
from nntutor.core.workspace import write_atomically

if TYPE_CHECKING:
    from concurrent.futures import Future

    from nntutor.core.warm import WarmPool

Row = dict[str, Any]
Isolation = Literal["strict", "process"]
RESULTS_DIR = "submissions"


@dataclass
class BatchOptions:
    """How to grade a batch. ``exercises`` None means every exercise."""

    exercises: Sequence[str] | None = None
    jobs: int = field(default_factory=lambda: os.cpu_count() or 1)
    isolation: Isolation = "process"
    out: Path | None = None
    # Each path is one student's whole submission: a folder's files are graded together.
    whole: bool = False
    # Seconds one submission's code may run in all (GradeOptions.time_limit).
    time_limit: float = 300.0
    # Live events (epochs) of the grading, when it runs in this process (one job).
    on_event: Callable[[str, dict[str, Any]], None] | None = None
    # Children started ahead of time, when the grading runs in this process (one job).
    warm: WarmPool | None = None


@dataclass
class Job:
    """One submission to grade, as sent to a worker."""

    index: int
    name: str
    files: list[str]
    notes: list[str]
    digest: str


def grading_key(options: BatchOptions) -> str:
    """What, besides the content, decides a result: the grader version, the exercises and
    the time limit."""
    chosen = ",".join(sorted(options.exercises)) if options.exercises else "all"
    return f"nntutor {__version__}; exercises {chosen}; time limit {options.time_limit:g} s"


class ResultStore:
    """``OUT/submissions/<name>.json``: one result per submission, with its content hash."""

    def __init__(self, out: Path) -> None:
        self.folder = out / RESULTS_DIR
        self.folder.mkdir(parents=True, exist_ok=True)

    def path_for(self, name: str) -> Path:
        stem = re.sub(r"[^\w.-]+", "_", name).strip("._")[-80:] or "submission"
        return self.folder / f"{stem}-{sha1(name.encode()).hexdigest()[:8]}.json"

    def load(self, name: str, digest: str, key: str) -> Row | None:
        """The stored result if it was graded from the same content the same way."""
        try:
            row = json.loads(self.path_for(name).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(row, dict) or row.get("digest") != digest or row.get("grading") != key:
            return None
        return row

    def save(self, row: Row) -> None:
        write_atomically(self.path_for(row["submission"]), json.dumps(row, indent=1))


def error_row(
    submission: Submission, digest: str, key: str, exercises: Sequence[str] | None
) -> Row:
    """The row of a submission that cannot be read: 0 out of the full score."""
    from nntutor.core.grader import unreadable

    message = f"This submission could not be read: {submission.error}"
    result = SubmissionResult(
        submission.name,
        exercises=unreadable(message, exercises),
        notes=submission.notes,
        error=submission.error,
    )
    row = submission_to_dict(result)
    return {**row, "digest": digest, "grading": key, "seconds": 0.0}


# -- in a worker -----------------------------------------------------------------------
_worker: dict[str, Any] = {"slot": 0, "zygote": None, "cancel": threading.Event()}


def _init_worker(counter: Any, parent: int) -> None:
    """Pool initializer: a slot number (the sandbox uid), die with the batch, Ctrl-C
    cancels the submission being graded instead of raising in the middle of cleanup."""
    from nntutor.child.lifeline import die_with_parent
    from nntutor.core.processes import become_subreaper

    die_with_parent(parent)
    with counter.get_lock():
        _worker["slot"] = counter.value
        counter.value += 1
    _worker["zygote"] = None
    _worker["cancel"] = threading.Event()
    become_subreaper.cache_clear()  # the flag is not inherited through fork
    signal.signal(signal.SIGINT, lambda *_: _worker["cancel"].set())


def grade_job(
    job: Job,
    exercises: Sequence[str] | None,
    isolation: Isolation,
    key: str,
    time_limit: float,
    fork_server: bool = True,
    on_event: Callable[[str, dict[str, Any]], None] | None = None,
    warm: WarmPool | None = None,
) -> Row:
    """Grade one submission in this process (a worker, or the batch itself with one job)."""
    from nntutor.core.grader import GradeOptions, grade_paths
    from nntutor.core.runner import Cancelled, unprivileged_user

    options = GradeOptions(
        exercises=exercises,
        cancel=_worker["cancel"],
        on_event=on_event,
        warm=warm,
        time_limit=time_limit,
    )
    if isolation == "process":
        # Without a sandbox, a grader running as root must not run learner code as root:
        # it could rewrite nntutor itself (and so its own score).
        options.run_as = unprivileged_user()
    if isolation == "process" and fork_server:
        # Many learners' code runs as this user: none may rewrite another's reference.
        from nntutor.core import keras_reference

        keras_reference.keep_in_memory()
    if isolation == "strict":
        from nntutor.core.sandbox import command_prefix

        options.command_prefix = command_prefix(job.files, slot=_worker["slot"])
    elif fork_server:
        from nntutor.core.zygote import Zygote

        if _worker["zygote"] is None:
            _worker["zygote"] = Zygote()
        options.spawner = _worker["zygote"]
    start = time.monotonic()
    try:
        result = grade_paths(job.files, options)
    except Cancelled:
        raise
    except Exception as exc:  # a grader fault costs this submission, not the batch
        result = SubmissionResult(
            job.name,
            error=f"nntutor could not grade this submission ({type(exc).__name__}: {exc}); "
            "this is nntutor's fault, not the submission's (a batch with --out grades it "
            "again on its next run)",
        )
        job.digest = ""  # never reused from the store
    finally:
        if isolation == "strict":
            from nntutor.core.sandbox import sweep

            sweep()
    result.submission = job.name
    result.notes = job.notes + result.notes
    row = submission_to_dict(result)
    return {**row, "digest": job.digest, "grading": key, "seconds": time.monotonic() - start}


def close_worker() -> None:
    if _worker["zygote"] is not None:
        _worker["zygote"].close()
        _worker["zygote"] = None


# -- the batch -------------------------------------------------------------------------
def run_batch(
    paths: Sequence[str],
    options: BatchOptions,
    on_result: Callable[[Row, bool], None] | None = None,
) -> list[Row]:
    """Grade every path (one submission each); rows in the order of ``paths``.

    ``on_result(row, reused)`` is called as each result is known (for a progress bar).
    """
    key = grading_key(options)
    store = ResultStore(options.out) if options.out is not None else None
    rows: list[Row | None] = [None] * len(paths)

    def done(index: int, row: Row, reused: bool) -> None:
        rows[index] = row
        if store is not None and not reused:
            store.save(row)
        if on_result is not None:
            on_result(row, reused)

    with tempfile.TemporaryDirectory(prefix="nntutor-batch-") as work:
        pending: list[Job] = []
        for index, path in enumerate(paths):
            submission = collect(path, Path(work) / f"{index:05d}", options.whole)
            try:
                digest = submission.digest()
            except OSError as exc:
                submission.error = f"cannot read it ({exc.strerror})"
                submission.files, digest = [], submission.digest()
            if submission.error:
                done(index, error_row(submission, digest, key, options.exercises), False)
                continue
            cached = store.load(submission.name, digest, key) if store is not None else None
            if cached is not None:
                done(index, cached, True)
                continue
            pending.append(Job(index, submission.name, submission.files, submission.notes, digest))
        if options.jobs <= 1 or len(pending) <= 1:
            try:
                for job in pending:
                    row = grade_job(
                        job,
                        options.exercises,
                        options.isolation,
                        key,
                        options.time_limit,
                        fork_server=len(pending) > 1,
                        on_event=options.on_event,
                        warm=options.warm,
                    )
                    done(job.index, row, False)
            finally:
                close_worker()
        else:
            _run_parallel(pending, options, key, done)
    return [row for row in rows if row is not None]


def _run_parallel(
    pending: list[Job], options: BatchOptions, key: str, done: Callable[[int, Row, bool], None]
) -> None:
    """Grade ``pending`` on ``options.jobs`` worker processes.

    A submission that kills its worker (or the worker's memory) breaks the whole pool: the
    jobs it took down are graded again one per pool, so the culprit costs only itself.
    """
    broken = _run_pool(pending, options, key, done, options.jobs)
    for job in broken:
        if _run_pool([job], options, key, done, 1):
            result = SubmissionResult(
                job.name,
                error="the grading worker died while grading this submission (did it kill its "
                "parent process, or exhaust the machine's memory?)",
            )
            row = {**submission_to_dict(result), "digest": "", "grading": key, "seconds": 0.0}
            done(job.index, row, False)


def _run_pool(
    jobs: list[Job],
    options: BatchOptions,
    key: str,
    done: Callable[[int, Row, bool], None],
    workers: int,
) -> list[Job]:
    """Grade ``jobs`` on a pool of ``workers``; returns the jobs lost to a broken pool."""
    import multiprocessing  # only for a parallel batch: one learner's file never needs it
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
    from concurrent.futures.process import BrokenProcessPool

    from nntutor.core.runner import Cancelled

    context = multiprocessing.get_context("fork")
    counter = context.Value("i", 0)
    pool = ProcessPoolExecutor(
        max_workers=min(workers, len(jobs)),
        mp_context=context,
        initializer=_init_worker,
        initargs=(counter, os.getpid()),
    )
    futures: dict[Future[Row], Job] = {}
    broken: list[Job] = []
    try:
        for job in jobs:
            future = pool.submit(
                grade_job, job, options.exercises, options.isolation, key, options.time_limit
            )
            futures[future] = job
        remaining = set(futures)
        while remaining:
            finished, remaining = wait(remaining, return_when=FIRST_COMPLETED)
            for future in finished:
                try:
                    row = future.result()
                except Cancelled:  # a worker saw the Ctrl-C before we did
                    raise KeyboardInterrupt from None
                except BrokenProcessPool:
                    broken.append(futures[future])
                    continue
                done(futures[future].index, row, False)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
    return sorted(broken, key=lambda job: job.index)
