"""A pre-warmed parent that forks grading children: Python and NumPy start once, not per
submission.

The zygote is a process started like a grading child (``python -I``, the child's clean
environment, its own session) that imports NumPy and the child harness and then waits.
For each session it forks a fresh child that sets up exactly what a freshly started child
would have (new session, stdout/stderr to the session's file, only the two pipes open, the
session's environment and working folder, default signals) and runs the harness. The
harness applies the rlimits when it loads the submission, as it does in a started child.

It holds no secrets: it imports nothing but the harness (never ``nntutor.core`` grading
code or the references), so there is nothing in its memory for a child to find.

The child is forked twice: the middle process exits at once, so the child is re-parented
to the grader (a child subreaper), which can then wait for it, kill its group and find its
orphans by the run token as for a child it started itself.
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from typing import Any

from nntutor.child.lifeline import die_with_parent

_TOKEN_KEY = "NNTUTOR_RUN"
# Same length as a run token (uuid4().hex), so a child can write its own over it in place.
_TOKEN_PLACEHOLDER = "z" * 32
_PR_SET_DUMPABLE = 4


# -- inside the zygote -----------------------------------------------------------------
def _set_environ_token(token: str) -> None:
    """Write ``token`` over the placeholder in this process's *initial* environment block.

    ``/proc/PID/environ`` (how the grader finds a submission's orphans) shows that block,
    not ``os.environ``; a forked child shares the zygote's block until it writes its own.
    """
    needle = f"{_TOKEN_KEY}={_TOKEN_PLACEHOLDER}".encode()
    with open("/proc/self/stat", "rb") as f:
        fields = f.read().rsplit(b")", 1)[1].split()
    env_start = int(fields[50 - 3])  # field 50 of stat; the split starts at field 3
    with open("/proc/self/environ", "rb") as f:
        offset = f.read().find(needle)
    if offset < 0 or len(token) != len(_TOKEN_PLACEHOLDER):
        return
    with open("/proc/self/mem", "r+b", buffering=0) as mem:
        mem.seek(env_start + offset + len(_TOKEN_KEY) + 1)
        mem.write(token.encode())


def _become_user(uid: int, gid: int, grader: int) -> None:
    """Run as ``uid``/``gid`` from now on, with no supplementary groups, for good."""
    os.setgroups([])
    os.setgid(gid)
    os.setuid(uid)
    # Changing user without exec makes the process undumpable: /proc/self/* would be root's,
    # unlike a started child's. And it clears the parent-death signal: arm it again.
    ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_DUMPABLE, 1, 0, 0, 0)
    die_with_parent(grader)


def _become_child(request: dict[str, Any], fds: list[int], middle: int) -> None:
    """In the forked child: look like a freshly started harness child, then run it."""
    # First, so that the grader can kill the group as soon as it knows the pid.
    os.setsid()
    request_fd, response_fd, output_fd = fds
    while os.getppid() == middle:  # the middle process is about to exit
        time.sleep(0.0002)
    # Now the grader's child: die with it, as a started child would lose its pipes.
    die_with_parent(request["grader"])
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGCHLD, signal.SIGPIPE):
        signal.signal(sig, signal.SIG_DFL)
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.dup2(output_fd, 1)
    os.dup2(output_fd, 2)
    keep = {0, 1, 2, request_fd, response_fd}
    for name in os.listdir("/proc/self/fd"):
        fd = int(name)
        if fd not in keep:
            with contextlib.suppress(OSError):
                os.close(fd)
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    _set_environ_token(request["env"].get(_TOKEN_KEY, ""))  # needs our own /proc/self/mem
    if request.get("run_as"):
        _become_user(*request["run_as"], grader=request["grader"])
    sys.argv = ["nntutor-child", str(request_fd), str(response_fd)]
    # As in a started child, no grader module is loaded (this one holds no secret anyway).
    for name in [m for m in sys.modules if m.startswith("nntutor.core")]:
        del sys.modules[name]
    from nntutor.child.harness import main

    main()


def serve(control_fd: int, grader: int) -> None:
    """The zygote's loop: one request (JSON + three fds) in, one child pid out."""
    die_with_parent(grader)
    import nntutor.child.harness  # noqa: F401  (the point: import it once, before forking)

    control = socket.socket(fileno=control_fd)
    while True:
        try:
            data, fds, _, _ = socket.recv_fds(control, 1 << 16, 3)
        except OSError:
            return
        if not data:
            return  # the grader closed the socket
        request = json.loads(data)
        pid_r, pid_w = os.pipe()
        middle = os.fork()
        if middle == 0:
            try:
                middle_pid = os.getpid()
                child = os.fork()
                if child == 0:
                    try:
                        control.close()
                        os.close(pid_r)
                        os.close(pid_w)
                        _become_child(request, fds, middle_pid)
                    finally:
                        os._exit(0)
                # Report the child only once it leads its own session: from then on the
                # grader's killpg reaches it.
                while os.getsid(child) != child:
                    time.sleep(0.0001)
                os.write(pid_w, f"{child}".encode())
            finally:
                os._exit(0)
        os.close(pid_w)
        for fd in fds:
            os.close(fd)
        with os.fdopen(pid_r, "rb") as pipe:
            pid = pipe.read()
        # Once the middle process is gone the child is the grader's: only then say its pid.
        os.waitpid(middle, 0)
        control.send(pid or b"0")


# -- in the grader ---------------------------------------------------------------------
class ForkedProcess:
    """A child the zygote forked, re-parented to us: the part of ``Popen`` the runner uses."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.returncode: int | None = None

    def poll(self) -> int | None:
        if self.returncode is None:
            try:
                pid, status = os.waitpid(self.pid, os.WNOHANG)
            except ChildProcessError:
                self.returncode = -signal.SIGKILL  # reaped elsewhere (kill_tree's orphan sweep)
                return self.returncode
            if pid:
                self.returncode = os.waitstatus_to_exitcode(status)
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired(str(self.pid), timeout or 0)
            time.sleep(0.002)
        assert self.returncode is not None
        return self.returncode


_BOOT = (
    "import sys; sys.path.insert(0, {parent!r}); "
    "from nntutor.core.zygote import serve; serve(int(sys.argv[1]), int(sys.argv[2]))"
)


class Zygote:
    """The grader's handle on one fork server; use it as ``GradeOptions.spawner``."""

    def __init__(self) -> None:
        self._process: subprocess.Popen[bytes] | None = None
        self._control: socket.socket | None = None
        self._home: tempfile.TemporaryDirectory[str] | None = None

    def start(self) -> None:
        from nntutor.core.processes import become_subreaper
        from nntutor.core.runner import _PACKAGE_PARENT, child_environment

        # Started before any child it forks: no orphan sweep mistakes it for a late orphan.
        become_subreaper()
        self._home = tempfile.TemporaryDirectory(prefix="nntutor-zygote-")
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        env = child_environment(_TOKEN_PLACEHOLDER, self._home.name)
        self._process = subprocess.Popen(
            [
                sys.executable,
                "-I",
                "-c",
                _BOOT.format(parent=_PACKAGE_PARENT),
                str(theirs.fileno()),
                str(os.getpid()),
            ],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            pass_fds=(theirs.fileno(),),
            start_new_session=True,
            env=env,
            cwd=self._home.name,
        )
        theirs.close()
        self._control = ours

    def __call__(
        self,
        command: list[str],
        *,
        pass_fds: tuple[int, ...],
        env: dict[str, str],
        cwd: str,
        output: Any,
        run_as: tuple[int, int] | None,
    ) -> Any:
        """Fork a child for ``command`` (a plain harness command line; anything else, like a
        sandbox prefix, is started normally)."""
        if command[:2] != [sys.executable, "-I"]:
            from nntutor.core.runner import popen_user

            return subprocess.Popen(
                command,
                stdin=subprocess.DEVNULL,
                stdout=output,
                stderr=output,
                pass_fds=pass_fds,
                start_new_session=True,
                env=env,
                cwd=cwd,
                **popen_user(run_as),
            )
        if self._control is None or self._process is None or self._process.poll() is not None:
            self.close()
            self.start()
        assert self._control is not None
        request = json.dumps(
            {"env": env, "cwd": cwd, "grader": os.getpid(), "run_as": run_as}
        ).encode()
        socket.send_fds(self._control, [request], [*pass_fds, output.fileno()])
        pid = int(self._control.recv(64) or b"0")
        if pid <= 0:
            raise OSError("the fork server could not start a grading process")
        return ForkedProcess(pid)

    def close(self) -> None:
        if self._control is not None:
            self._control.close()
            self._control = None
        if self._process is not None:
            with contextlib.suppress(ProcessLookupError):
                self._process.kill()
            self._process.wait()
            self._process = None
        if self._home is not None:
            self._home.cleanup()
            self._home = None
