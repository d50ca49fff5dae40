"""Runs learner code in a child process and talks to it with data-only messages.

One :class:`ChildSession` is one child: it loads the submission once, then answers calls.
Each call has a wall-clock deadline; when the child hangs, crashes or exits, the session is
dead (:class:`SessionDied`) and the grader starts a fresh one for the next check group.
"""

from __future__ import annotations

import functools
import os
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any, Protocol

from nntutor.core.processes import LIVE_TOKENS, become_subreaper, kill_tree, start_time
from nntutor.core.sanitise import sanitise


def _wire() -> ModuleType:
    """The protocol codec, imported on the first message, not when a child is spawned.

    It imports NumPy; spawning first lets the child boot while the grader imports it too.
    """
    from nntutor.child import wire

    return wire


MAX_MESSAGE = 256 << 20
# The child finds the harness where this grader found nntutor, installed or not: first on
# the path, so an editable install of another checkout cannot shadow it.
_PACKAGE_PARENT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def _boot(grader: int | None) -> str:
    """The child's ``-c`` program. A child started directly dies with the grader (one in a
    sandbox already has bwrap's --die-with-parent, and another parent)."""
    lifeline = (
        f"from nntutor.child.lifeline import die_with_parent; die_with_parent({grader}); "
        if grader is not None
        else ""
    )
    return (
        f"import sys; sys.path.insert(0, {_PACKAGE_PARENT!r}); {lifeline}"
        "from nntutor.child.harness import main; main()"
    )


_PASSED_ENV = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "LD_LIBRARY_PATH")
# (uid, gid) of "nobody": owns no file, so learner code run as it cannot rewrite nntutor.
NOBODY = (65534, 65534)


@functools.cache
def unprivileged_user() -> tuple[int, int] | None:
    """Who learner code must run as: nobody when this grader is root (as on Gradescope,
    where no sandbox is available) and nobody can start the child, else None."""
    if os.geteuid() != 0:
        return None
    boot = f"import sys; sys.path.insert(0, {_PACKAGE_PARENT!r}); import nntutor.child.harness"
    try:
        # Python installed in a folder private to root (~/.pyenv) cannot start as nobody.
        probe = subprocess.run(
            [sys.executable, "-I", "-c", boot],
            stdin=subprocess.DEVNULL,
            capture_output=True,
            env={"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"},
            cwd="/",
            timeout=60,
            **popen_user(NOBODY),
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return NOBODY if probe.returncode == 0 else None


ReferenceFn = Callable[[str, list[Any], dict[str, Any]], Any]
EventFn = Callable[[dict[str, Any]], None]


class Spawner(Protocol):
    """Starts the child (a pre-warmed fork server, say) instead of ``subprocess.Popen``.

    Returns an object with ``pid``, ``wait(timeout)`` and ``poll()``; the child must run in
    its own session with ``output`` as stdout/stderr and only ``pass_fds`` kept open, as
    the (uid, gid) ``run_as`` when given, before any learner code runs.
    """

    def __call__(
        self,
        command: list[str],
        *,
        pass_fds: tuple[int, ...],
        env: dict[str, str],
        cwd: str,
        output: Any,
        run_as: tuple[int, int] | None,
    ) -> Any: ...


@dataclass(frozen=True)
class Limits:
    """Resource limits of one child. Memory is RLIMIT_DATA: RLIMIT_AS aborts TensorFlow."""

    call_timeout: float = 10.0
    load_timeout: float = 20.0
    data_mib: int = 1024
    cpu_s: int = 300
    fsize_mib: int = 16


@dataclass
class CallOutcome:
    """What the learner's function did: a value, or an error record, plus side effects."""

    value: Any = None
    error: dict[str, Any] | None = None
    mutated: list[int] = field(default_factory=list)
    output: str = ""


class SessionDied(Exception):
    """The child timed out, crashed or exited; the message says which, in learner terms."""


class Cancelled(Exception):
    """Grading was cancelled by the caller (a newer save, the app closing)."""


def child_environment(token: str, home: str) -> dict[str, str]:
    """A clean environment: nothing of the grader's leaks in, threads pinned to one."""
    env = {
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "HOME": home,
        "TMPDIR": home,
        "LANG": "C.UTF-8",
        "PYTHONHASHSEED": "0",
        "PYTHONDONTWRITEBYTECODE": "1",
        "OMP_NUM_THREADS": "1",
        "OPENBLAS_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
        "TF_CPP_MIN_LOG_LEVEL": "3",
        "TF_ENABLE_ONEDNN_OPTS": "0",
        "NNTUTOR_RUN": token,
    }
    env.update({k: os.environ[k] for k in _PASSED_ENV if k in os.environ})
    return env


def popen_user(run_as: tuple[int, int] | None) -> dict[str, Any]:
    """``Popen`` arguments that start the child as ``run_as``, with no supplementary groups."""
    if run_as is None:
        return {}
    return {"user": run_as[0], "group": run_as[1], "extra_groups": []}


def _malformed(what: str) -> SessionDied:
    return SessionDied(f"the grading process sent malformed data ({what})")


def describe_exit(returncode: int | None) -> str:
    if returncode is None:
        return "the process stopped answering"
    if returncode < 0:
        sig = signal.Signals(-returncode)
        reason = {
            signal.SIGXCPU: " (CPU time limit reached)",
            signal.SIGKILL: " (killed: often the memory limit)",
            signal.SIGSEGV: " (a crash in native code)",
        }.get(sig, "")
        return f"the process was ended by {sig.name}{reason}"
    return (
        f"the process exited with code {returncode} — does your code call os._exit(), "
        "or exit from a thread?"
    )


class ChildSession:
    """A child process running the harness on the learner's files."""

    def __init__(
        self,
        paths: Sequence[str],
        *,
        reference: ReferenceFn,
        limits: Limits | None = None,
        provide: Sequence[str] = (),
        stub_modules: Sequence[str] = ("tensorflow", "keras"),
        on_event: EventFn | None = None,
        cancel: threading.Event | None = None,
        command_prefix: Sequence[str] = (),
        spawner: Spawner | None = None,
        run_as: tuple[int, int] | None = None,
    ) -> None:
        self.paths = [os.path.abspath(p) for p in paths]
        self.reference = reference
        self.limits = limits or Limits()
        self.provide = list(provide)
        self.stub_modules = list(stub_modules)
        self.on_event = on_event
        self.cancel = cancel
        self.command_prefix = list(command_prefix)
        self.spawner = spawner
        self.run_as = run_as
        self.token = uuid.uuid4().hex
        self._started: int | None = None
        self.ready: dict[str, Any] = {}
        self._process: subprocess.Popen[bytes] | None = None
        self._buffer = bytearray()
        self._home: tempfile.TemporaryDirectory[str] | None = None
        self._stray: Any = None
        self._call_id = 0

    # -- life cycle --------------------------------------------------------------------
    def start(self) -> dict[str, Any]:
        """Start the child and load the submission; returns the child's ``ready`` report."""
        self.spawn()
        return self.load()

    def spawn(self) -> None:
        """Start the child process, which then waits for ``load`` (or ``warm``) requests."""
        become_subreaper()
        self._home = tempfile.TemporaryDirectory(prefix="nntutor-run-")
        if self.run_as is not None:
            os.chown(self._home.name, *self.run_as)  # its working folder, its only one
        # Closed in close(): it outlives this method, so no context manager.
        self._stray = tempfile.TemporaryFile()  # noqa: SIM115
        request_r, self._request_w = os.pipe()
        self._response_r, response_w = os.pipe()
        os.set_blocking(self._request_w, False)  # see _send
        LIVE_TOKENS.add(self.token.encode())  # before it exists: no sweep may take it
        command = [
            *self.command_prefix,
            sys.executable,
            "-I",
            "-c",
            _boot(None if self.command_prefix else os.getpid()),
            str(request_r),
            str(response_w),
        ]
        try:
            if self.spawner is not None:
                self._process = self.spawner(
                    command,
                    pass_fds=(request_r, response_w),
                    env=child_environment(self.token, self._home.name),
                    cwd=self._home.name,
                    output=self._stray,
                    run_as=self.run_as,
                )
            else:
                self._process = subprocess.Popen(
                    command,
                    stdin=subprocess.DEVNULL,
                    stdout=self._stray,
                    stderr=self._stray,
                    pass_fds=(request_r, response_w),
                    start_new_session=True,
                    env=child_environment(self.token, self._home.name),
                    cwd=self._home.name,
                    **popen_user(self.run_as),
                )
        finally:
            os.close(request_r)
            os.close(response_w)
        self._started = start_time(self._process.pid)

    def warm(self, modules: Sequence[str]) -> None:
        """Have the child import ``modules`` now, before any learner code is loaded."""
        self._send({"op": "warm", "modules": list(modules)})

    def load(self) -> dict[str, Any]:
        """Load the submission in the spawned child; returns the child's ``ready`` report."""
        self._send(
            {
                "op": "load",
                "paths": self._readable_paths(),
                "provide": self.provide,
                "stub_modules": self.stub_modules,
                "limits": {
                    "data_mib": self.limits.data_mib,
                    "cpu_s": self.limits.cpu_s,
                    "fsize_mib": self.limits.fsize_mib,
                },
            }
        )
        try:
            self.ready = self._checked_ready(
                self._wait_for(
                    "ready", time.monotonic() + self.limits.load_timeout, "loading your file"
                )
            )
        except SessionDied:
            self.close()
            raise
        return self.ready

    def _readable_paths(self) -> list[str]:
        """The files for the child to load: copies in its own folder when it runs as another
        user, who may not read the originals (a notebook converted into root's temp folder)."""
        if self.run_as is None or self._home is None:
            return self.paths
        copies = []
        for index, path in enumerate(self.paths):
            # One folder per file keeps its name, which the learner's messages show.
            folder = os.path.join(self._home.name, "submission", f"{index:02d}")
            os.makedirs(folder, exist_ok=True)
            copies.append(shutil.copyfile(path, os.path.join(folder, os.path.basename(path))))
        return copies

    def close(self) -> None:
        """Kill the child and everything it started; safe to call twice."""
        if self._process is not None:
            kill_tree(self._process, self.token.encode(), self._started)
            LIVE_TOKENS.discard(self.token.encode())
            self._process = None
            for fd in (self._request_w, self._response_r):
                os.close(fd)
        if self._home is not None:
            self._home.cleanup()
            self._home = None
        if self._stray is not None:
            self._stray.close()
            self._stray = None

    def __enter__(self) -> ChildSession:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def alive(self) -> bool:
        return self._process is not None

    @property
    def running(self) -> bool:
        """The child process was started and has not exited (a warm child may have died)."""
        return self._process is not None and self._process.poll() is None

    # -- calls -------------------------------------------------------------------------
    def call(
        self,
        fn: str,
        args: Sequence[Any] = (),
        kwargs: dict[str, Any] | None = None,
        *,
        substitute: Sequence[str] = (),
        probe: str | None = None,
        deadline: float | None = None,
    ) -> CallOutcome:
        """Call the learner's ``fn``; raises :class:`SessionDied` if the child does not answer."""
        if self._process is None:
            raise SessionDied("the grading process is not running")
        self._call_id += 1
        self._send(
            {
                "op": "call",
                "id": self._call_id,
                "fn": fn,
                "args": [_wire().encode(a) for a in args],
                "kwargs": {k: _wire().encode(v) for k, v in (kwargs or {}).items()},
                "substitute": list(substitute),
                "probe": probe,
            }
        )
        deadline = deadline or time.monotonic() + self.limits.call_timeout
        reply = self._wait_for("result", deadline, f"{fn}()")
        if reply.get("id") != self._call_id:
            self.close()
            raise _malformed("an answer to a call that was not made")
        try:
            value = _wire().decode(reply.get("value"))
        except _wire().WireError as exc:
            self.close()
            raise _malformed(str(exc)) from None
        mutated = reply.get("mutated", [])
        if not isinstance(mutated, list) or not all(type(i) is int for i in mutated):
            self.close()
            raise _malformed("'mutated' is not a list of argument positions")
        return CallOutcome(
            value=value,
            error=self._checked_error(reply.get("error")),
            mutated=mutated,
            output=sanitise(str(reply.get("output", ""))),
        )

    def _checked_error(self, error: Any) -> dict[str, Any] | None:
        """The child's error record, checked and made safe to show; None if there is none."""
        if error is None:
            return None
        where = error.get("where", []) if isinstance(error, dict) else None
        if not isinstance(where, list):
            self.close()
            raise _malformed("an error record that is not one")
        return {
            "kind": str(error.get("kind", "exception"))[:40],
            "type": sanitise(str(error.get("type", "")), 200),
            "message": sanitise(str(error.get("message", "")), 4000),
            "where": [sanitise(str(line), 500) for line in where[:10]],
        }

    def _checked_ready(self, ready: dict[str, Any]) -> dict[str, Any]:
        """The child's load report, with every field the grader reads checked."""
        functions = ready.get("functions", {})
        notes = ready.get("notes", [])
        if not isinstance(functions, dict) or not isinstance(notes, list):
            raise _malformed("a load report with the wrong shape")
        checked: dict[str, dict[str, Any]] = {}
        for name, info in functions.items():
            params = info.get("params") if isinstance(info, dict) else None
            if not isinstance(info, dict) or not (params is None or isinstance(params, list)):
                raise _malformed(f"a malformed description of {str(name)[:40]}")
            for param in params or []:
                if not (
                    isinstance(param, dict)
                    and isinstance(param.get("name"), str)
                    and isinstance(param.get("kind"), str)
                ):
                    raise _malformed(f"malformed parameters of {str(name)[:40]}")
            variant = info.get("variant")
            checked[str(name)] = {**info, "variant": variant if isinstance(variant, dict) else None}
        return {
            **ready,
            "functions": checked,
            "error": self._checked_error(ready.get("error")),
            "notes": [sanitise(str(note), 2000) for note in notes[:200]],
            "output": sanitise(str(ready.get("output", "")), 20_000),
        }

    def _wait_for(self, op: str, deadline: float, doing: str) -> dict[str, Any]:
        while True:
            message = self._read(deadline, doing)
            kind = message["op"]
            if kind == op:
                return message
            if kind == "ref":
                self._answer_reference(message, deadline)
            elif kind == "event" and self.on_event is not None:
                try:
                    event = _wire().decode(message.get("event"))
                except _wire().WireError:
                    continue
                if isinstance(event, dict):
                    self.on_event(event)

    def _answer_reference(self, message: dict[str, Any], deadline: float) -> None:
        name = str(message.get("fn"))
        try:
            args = [_wire().decode(a) for a in message.get("args", [])]
            kwargs = {str(k): _wire().decode(v) for k, v in message.get("kwargs", {}).items()}
            value = self.reference(name, args, kwargs)
            self._send({"op": "ref_result", "value": _wire().encode(value)}, deadline)
        except PermissionError as exc:  # a stand-in this exercise may not use
            self._send({"op": "ref_error", "message": str(exc)}, deadline)
        except Exception as exc:  # bad arguments from learner code: tell it, keep going
            self._send(
                {
                    "op": "ref_error",
                    "message": f"nntutor's own {name}() could not run with the arguments "
                    f"your code passed: {type(exc).__name__}: {exc}",
                },
                deadline,
            )

    # -- plumbing ----------------------------------------------------------------------
    def _send(self, message: dict[str, Any], deadline: float | None = None) -> None:
        """Write one message; a child that stops reading cannot block the grader."""
        data = memoryview(_wire().dumps(message))
        deadline = deadline or time.monotonic() + self.limits.call_timeout
        try:
            while data:
                try:
                    data = data[os.write(self._request_w, data) :]
                except BlockingIOError:
                    remaining = deadline - time.monotonic()
                    if remaining <= 0:
                        self.close()
                        raise SessionDied(
                            "the grading process stopped reading its instructions and was stopped"
                        ) from None
                    select.select([], [self._request_w], [], min(remaining, 0.05))
        except (BrokenPipeError, OSError):
            raise SessionDied(self._death("talking to it")) from None

    def _read(self, deadline: float, doing: str) -> dict[str, Any]:
        while True:
            end = self._buffer.find(b"\n")
            if end >= 0:
                line = bytes(self._buffer[:end])
                del self._buffer[: end + 1]
                try:
                    return _wire().loads(line)
                except _wire().WireError as exc:
                    raise SessionDied(f"the grading process sent malformed data ({exc})") from None
            if self.cancel is not None and self.cancel.is_set():
                self.close()
                raise Cancelled()
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                seconds = (
                    self.limits.call_timeout if doing.endswith(")") else self.limits.load_timeout
                )
                self.close()
                raise SessionDied(
                    f"{doing} did not finish within {seconds:g} s (an infinite loop, a very "
                    "slow loop, or waiting for input?) and was stopped"
                )
            ready, _, _ = select.select([self._response_r], [], [], min(remaining, 0.05))
            if not ready:
                continue
            chunk = os.read(self._response_r, 1 << 20)
            if not chunk:
                raise SessionDied(self._death(doing))
            self._buffer += chunk
            if len(self._buffer) > MAX_MESSAGE:
                self.close()
                raise SessionDied("the grading process sent more data than allowed")

    def _death(self, doing: str) -> str:
        process = self._process
        returncode = None
        if process is not None:
            try:
                returncode = process.wait(timeout=2)
            except subprocess.TimeoutExpired:
                returncode = None
        tail = self._stray_tail()
        self.close()
        text = f"while {doing}, {describe_exit(returncode)}"
        return text + (f"\nLast output:\n{tail}" if tail else "")

    def _stray_tail(self) -> str:
        if self._stray is None:
            return ""
        self._stray.seek(0, os.SEEK_END)
        size = self._stray.tell()
        self._stray.seek(max(0, size - 1500))
        return sanitise(self._stray.read().decode("utf-8", "replace"), 1500).strip()
