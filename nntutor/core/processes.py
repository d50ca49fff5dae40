"""Making sure every process a submission starts is gone when grading returns.

The grader becomes a Linux "child subreaper": a daemon that a submission detaches with
``setsid()`` is re-parented to the grader instead of init, where it can be found (by the
run token in its environment) and killed.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import sys
from functools import cache
from typing import Any

_PR_SET_CHILD_SUBREAPER = 36


@cache
def become_subreaper() -> bool:
    """Make this process the reaper of orphaned descendants (Linux only; once)."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(_PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


# NNTUTOR_RUN tokens of the children this process started on purpose and still runs.
LIVE_TOKENS: set[bytes] = set()
_TOKEN_KEY = b"NNTUTOR_RUN="


def _stat(pid: int | str) -> list[bytes]:
    """Fields of /proc/PID/stat after the command name: state, ppid, ..., starttime (19)."""
    with open(f"/proc/{pid}/stat", "rb") as f:
        return f.read().rsplit(b")", 1)[1].split()


def start_time(pid: int) -> int | None:
    """When ``pid`` started, in clock ticks since boot (None if it cannot be read)."""
    try:
        return int(_stat(pid)[19])
    except (OSError, ValueError, IndexError):
        return None


def _run_token(environ: bytes) -> bytes | None:
    for entry in environ.split(b"\0"):
        if entry.startswith(_TOKEN_KEY):
            return entry[len(_TOKEN_KEY) :]
    return None


def _orphans(token: bytes, started: int | None) -> list[int]:
    """Children of this process left behind by the child that carried ``token``.

    A descendant re-parented to us is one if it carries the token, or if it started after
    that child and carries no token of a child we still run: a daemon can exec a program
    with an empty environment, but it cannot have started before the child that made it.
    """
    me, found = os.getpid(), []
    try:
        entries = os.listdir("/proc")
    except OSError:
        return found
    for name in entries:
        if not name.isdigit():
            continue
        try:
            fields = _stat(name)
            if int(fields[1]) != me:
                continue
            with open(f"/proc/{name}/environ", "rb") as f:
                theirs = _run_token(f.read())
            late = started is not None and int(fields[19]) >= started
            if theirs == token or (late and theirs not in LIVE_TOKENS):
                found.append(int(name))
        except (OSError, ValueError, IndexError):
            continue
    return found


def kill_tree(process: Any, token: bytes, started: int | None = None) -> None:
    """Kill the process group of ``process`` and every orphan it left behind.

    ``started`` is when ``process`` started (:func:`start_time`), to find orphans that
    dropped the token from their environment.
    """
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    # Killing a daemon re-parents its own children to us: repeat until none is left.
    for _ in range(200):
        orphans = _orphans(token, started)
        if not orphans:
            return
        for orphan in orphans:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(orphan, signal.SIGKILL)
            with contextlib.suppress(ChildProcessError):
                os.waitpid(orphan, 0)
