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
import subprocess
import sys
from functools import cache

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


def _orphans(token: bytes) -> list[int]:
    """This process's children whose environment carries ``token``."""
    me, found = os.getpid(), []
    try:
        entries = os.listdir("/proc")
    except OSError:
        return found
    for name in entries:
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", "rb") as f:
                ppid = int(f.read().rsplit(b")", 1)[1].split()[1])
            if ppid != me:
                continue
            with open(f"/proc/{name}/environ", "rb") as f:
                if token in f.read():
                    found.append(int(name))
        except (OSError, ValueError, IndexError):
            continue
    return found


def kill_tree(process: subprocess.Popen[bytes], token: bytes) -> None:
    """Kill the process group of ``process`` and every orphan it left behind."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    # Killing a daemon re-parents its own children to us: repeat until none is left.
    for _ in range(200):
        orphans = _orphans(token)
        if not orphans:
            return
        for orphan in orphans:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(orphan, signal.SIGKILL)
            with contextlib.suppress(ChildProcessError):
                os.waitpid(orphan, 0)
