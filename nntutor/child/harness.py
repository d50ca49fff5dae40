"""The child process: loads the learner's code and runs the calls the grader asks for.

Started by :mod:`nntutor.core.runner`, the two pipe descriptors as its last arguments. It
speaks JSON lines (:mod:`nntutor.child.wire`) and never sees expected answers: it returns
what the learner's functions returned, and the grader judges. Earlier steps that a later step
calls ("stand-ins") are computed by the grader on request, so no reference code lives here.
"""

from __future__ import annotations

import builtins
import copy
import importlib
import importlib.machinery
import inspect
import io
import math
import os
import resource
import sys
import traceback
import types
from collections.abc import Callable
from typing import Any

import numpy as np

from nntutor.child import wire
from nntutor.child.loader import Loader, explain_name_error
from nntutor.child.places import place

MAX_OUTPUT = 20_000
_MISSING = object()
# Bound before learner code runs: a submission that monkeypatches numpy or copy must not
# change how its inputs are checked for mutation.
_array_equal, _deepcopy, _ndarray = np.array_equal, copy.deepcopy, np.ndarray
# Modules a submission may patch (np.exp = ...) and every exercise shares: put back after
# each call, so one exercise's patch cannot fail the next exercise graded in this child.
_SHARED_MODULES = (np, np.random, np.linalg, math, copy)


class Channel:
    """The two pipes to the grader, with the functions bound before learner code runs.

    Only the process the grader started may use them. A process the learner's code forks
    shares the pipes; if it comes back into the harness (its copy of the function raised or
    returned), it would answer for the child the grader is waiting on. It ends quietly.
    """

    def __init__(self, request_fd: int, response_fd: int) -> None:
        self._requests = os.fdopen(request_fd, "rb", buffering=1 << 16)
        self._response_fd = response_fd
        self._write, self._getpid, self._exit = os.write, os.getpid, os._exit
        self._owner = os.getpid()

    def _leave_if_forked(self) -> None:
        if self._getpid() != self._owner:
            self._exit(0)

    def send(self, message: dict[str, Any]) -> None:
        self._leave_if_forked()
        data = memoryview(wire.dumps(message))
        while data:
            data = data[self._write(self._response_fd, data) :]

    def receive(self) -> dict[str, Any]:
        self._leave_if_forked()
        line = self._requests.readline()
        if not line:
            raise SystemExit(0)  # the grader went away: nothing left to do
        return wire.loads(line)


class CappedOutput(io.TextIOBase):
    """Keeps the first ``MAX_OUTPUT`` characters a submission prints and counts the rest."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.kept = 0
        self.dropped = 0

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        text = str(text)
        room = MAX_OUTPUT - self.kept
        if room > 0:
            self.parts.append(text[:room])
            self.kept += min(room, len(text))
        self.dropped += max(0, len(text) - max(room, 0))
        return len(text)

    def take(self) -> str:
        text = "".join(self.parts)
        if self.dropped:
            text += f"\n[... {self.dropped:,} more characters not shown]"
        self.parts, self.kept, self.dropped = [], 0, 0
        return text


class _Placeholder(types.ModuleType):
    """Stands in for a heavy module (TensorFlow) that this grading does not load.

    Top-level ``import tensorflow as tf`` and ``from tensorflow.keras import Dense`` succeed;
    only *using* it raises, with a message that says why.
    """

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        return _Placeholder(f"{self.__name__}.{name}")

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        raise RuntimeError(
            f"{self.__name__} is not loaded while nntutor grades NumPy exercises: "
            "these exercises are meant to be solved with NumPy alone"
        )


class ImportGuard:
    """Refuses imports of nntutor itself and replaces heavy modules with placeholders.

    A meta path finder and loader by protocol (find_spec, create_module, exec_module), not
    by subclassing importlib.abc, whose import costs every child ~18 ms.
    """

    def __init__(self, stub_roots: list[str]) -> None:
        self.stub_roots = set(stub_roots)
        self.allow_nntutor = False

    def find_spec(self, fullname: str, path: Any, target: Any = None) -> Any:
        root = fullname.partition(".")[0]
        if root == "nntutor" and not self.allow_nntutor:
            raise ImportError(
                f"submissions cannot import {fullname}: nntutor's reference "
                "implementations stay with the grader"
            )
        if root in self.stub_roots:
            return importlib.machinery.ModuleSpec(fullname, self, is_package=True)
        return None

    def create_module(self, spec: Any) -> types.ModuleType:
        module = _Placeholder(spec.name)
        module.__path__ = []
        return module

    def exec_module(self, module: types.ModuleType) -> None:
        return None


def apply_limits(limits: dict[str, int]) -> None:
    """Memory (RLIMIT_DATA, which TensorFlow tolerates), CPU, file size and core dumps."""
    mib = 1 << 20
    for name, value in (
        ("RLIMIT_DATA", limits.get("data_mib", 0) * mib),
        ("RLIMIT_CPU", limits.get("cpu_s", 0)),
        ("RLIMIT_FSIZE", limits.get("fsize_mib", 0) * mib),
    ):
        if value:
            resource.setrlimit(getattr(resource, name), (value, value))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def describe_error(exc: BaseException, learner_files: set[str]) -> dict[str, Any]:
    """An exception as data, with the traceback cut to the learner's own lines."""
    if isinstance(exc, SystemExit):
        kind, message = "exit", f"the code called sys.exit({exc.code!r})"
    elif isinstance(exc, SyntaxError):
        where = place(exc.filename or "", exc.lineno or 0)
        code = (exc.text or "").strip()
        return {
            "kind": "syntax",
            "type": type(exc).__name__,
            "message": f"{type(exc).__name__}: {exc.msg} ({where})",
            "where": [f"{where}: {code}" if code else where],
        }
    elif isinstance(exc, MemoryError):
        kind, message = "memory", "ran out of memory (MemoryError)"
    else:
        kind, message = "exception", f"{type(exc).__name__}: {exc}"
    frames: list[str] = []
    repeats = 0
    for f in traceback.extract_tb(exc.__traceback__):
        if f.filename not in learner_files:
            continue
        line = f"{place(f.filename, f.lineno or 0)}, in {f.name}: {(f.line or '').strip()}"
        if frames and frames[-1] == line:
            repeats += 1  # deep recursion: one line, not a thousand
            continue
        frames.append(line)
    if repeats:
        frames.append(f"(the line above repeated {repeats:,} more times)")
    return {
        "kind": kind,
        "type": type(exc).__name__,
        "message": message[:2000],
        "where": frames[-5:],
    }


class Harness:
    """Holds the learner's namespace and answers the grader's requests."""

    def __init__(self, channel: Channel) -> None:
        self.channel = channel
        self.namespace: dict[str, Any] = {}
        self.learner_files: set[str] = set()
        self.output = CappedOutput()
        self.guard = ImportGuard([])
        self._builtins = dict(builtins.__dict__)
        self._modules = [(m.__dict__, dict(m.__dict__)) for m in _SHARED_MODULES]
        self._hooks: Any = None
        self.left_out: dict[str, str] = {}

    # -- stand-ins ---------------------------------------------------------------------
    def stand_in(self, name: str) -> Callable[..., Any]:
        """A function that asks the grader to compute nntutor's own ``name``."""
        channel = self.channel

        def stand_in(*args: Any, **kwargs: Any) -> Any:
            channel.send(
                {
                    "op": "ref",
                    "fn": name,
                    "args": [wire.encode(_marker(a)) for a in args],
                    "kwargs": {k: wire.encode(_marker(v)) for k, v in kwargs.items()},
                }
            )
            reply = channel.receive()
            if reply["op"] == "ref_error":
                raise ValueError(reply["message"])
            return wire.decode(reply["value"])

        stand_in.__name__ = stand_in.__qualname__ = name
        stand_in.__nntutor_stand_in__ = True  # type: ignore[attr-defined]
        return stand_in

    # -- loading -----------------------------------------------------------------------
    def load(self, request: dict[str, Any]) -> dict[str, Any]:
        apply_limits(request.get("limits", {}))
        self.guard.stub_roots = set(request.get("stub_modules", []))
        sys.meta_path.insert(0, self.guard)
        for name in list(sys.modules):
            if name.partition(".")[0] in self.guard.stub_roots:
                del sys.modules[name]
        self.namespace = {"__name__": "submission", "__builtins__": builtins}
        for name in request.get("provide", []):
            self.namespace[name] = self.stand_in(name)
        sys.modules["submission"] = types.ModuleType("submission")
        error = None
        self.output.take()
        loader = Loader(self.namespace, request["paths"])
        try:
            for path in request["paths"]:
                self.learner_files.add(path)
                self.namespace["__file__"] = path
                loader.load(path)
        except BaseException as exc:  # a syntax error, or an exit from a decorator
            error = describe_error(exc, self.learner_files)
        self._restore_shared_state()
        self.left_out = loader.left_out
        return {
            "op": "ready",
            "error": error,
            "functions": self._functions(loader),
            "notes": loader.notes,
            "output": self.output.take(),
        }

    def _functions(self, loader: Loader) -> dict[str, Any]:
        """Every callable the learner defined, with its parameters (for variant detection),
        the ``variant`` of one the loader built from top-level code, and ``blank`` for a
        starter left unwritten."""
        found = {}
        for name, value in self.namespace.items():
            if (
                name.startswith("__")
                or not callable(value)
                or isinstance(value, type)
                or name in loader.provided
            ):
                continue
            try:
                params = [
                    {"name": p.name, "kind": p.kind.name, "default": p.default is not p.empty}
                    for p in inspect.signature(value).parameters.values()
                ]
            except (TypeError, ValueError):
                params = None
            found[name] = {
                "params": params,
                "stand_in": getattr(value, "__nntutor_stand_in__", False),
                "defined": name in loader.defined_at,
                "blank": name in loader.blank,
            }
            if name in loader.variants:
                found[name]["variant"] = loader.variants[name]
        return found

    def _restore_shared_state(self) -> None:
        """Undo what learner code did to builtins and to the shared library modules."""
        current = builtins.__dict__
        for key in [k for k in current if k not in self._builtins]:
            del current[key]
        for module, saved in [(current, self._builtins), *self._modules]:
            for key, value in saved.items():
                if module.get(key, _MISSING) is not value:
                    module[key] = value

    # -- calls -------------------------------------------------------------------------
    def hooks(self) -> Any:
        """Makers and probes for Keras values, imported only when a call needs them."""
        if self._hooks is None:
            self.guard.allow_nntutor = True
            try:
                self._hooks = importlib.import_module("nntutor.child.probes")
            finally:
                self.guard.allow_nntutor = False
        return self._hooks

    def _materialise(self, value: Any) -> Any:
        if isinstance(value, wire.StandIn):
            return self.stand_in(value.name)
        if isinstance(value, dict) and "__make__" in value:
            return self.hooks().make(value["__make__"], value.get("spec"), self.emit)
        return value

    def emit(self, event: dict[str, Any]) -> None:
        """Send a progress event (an epoch's loss) to the grader while a call runs."""
        self.channel.send({"op": "event", "event": wire.encode(event)})

    def call(self, request: dict[str, Any]) -> dict[str, Any]:
        fn = self.namespace.get(request["fn"])
        if not callable(fn):
            return {
                "op": "result",
                "id": request["id"],
                "error": {
                    "kind": "missing",
                    "type": "NameError",
                    "message": f"{request['fn']} is not defined",
                    "where": [],
                },
            }
        raw_args = request.get("args", [])
        args = [self._materialise(wire.decode(a)) for a in raw_args]
        kwargs = {
            k: self._materialise(wire.decode(v)) for k, v in request.get("kwargs", {}).items()
        }
        pristine = [_deepcopy(a) if isinstance(a, _ndarray) else None for a in args]
        saved = {}
        for name in request.get("substitute", []):
            saved[name] = self.namespace.get(name, _MISSING)
            self.namespace[name] = self.stand_in(name)
        self.output.take()
        reply: dict[str, Any] = {"op": "result", "id": request["id"]}
        try:
            value = fn(*args, **kwargs)
        except BaseException as exc:  # the learner's code may raise anything, even exits
            reply["error"] = describe_error(exc, self.learner_files)
            explained = explain_name_error(exc, self.left_out)
            if explained:
                reply["error"]["message"] += f" — {explained}"
        finally:
            for name, old in saved.items():
                if old is _MISSING:
                    self.namespace.pop(name, None)
                else:
                    self.namespace[name] = old
            # Before any of our own code runs again: a patched builtin must not break it,
            # nor a patched np.exp the next exercise.
            self._restore_shared_state()
        if "error" not in reply:
            try:
                probe = request.get("probe")
                if probe:
                    value = self.hooks().probe(probe, value, args, self.emit)
                reply["value"] = wire.encode(value)
            except BaseException as exc:  # probing runs the learner's objects' methods
                reply["error"] = describe_error(exc, self.learner_files)
        reply["mutated"] = [
            i
            for i, (a, p) in enumerate(zip(args, pristine, strict=True))
            if p is not None and not _same_array(a, p)
        ]
        reply["output"] = self.output.take()
        return reply

    def serve(self) -> None:
        sys.stdout = sys.stderr = self.output
        while True:
            request = self.channel.receive()
            op = request["op"]
            if op == "warm":
                warm(request.get("modules", []))
            elif op == "load":
                self.channel.send(self.load(request))
            elif op == "call":
                self.channel.send(self.call(request))
            else:
                return


def warm(modules: list[str]) -> None:
    """Import heavy modules before any learner code arrives (a warm child for the next save).

    A failure is left for the learner's own import to report, in the learner's terms.
    """
    for name in modules:
        try:
            importlib.import_module(str(name))
        except Exception:  # reported later, when the learner's file imports it
            continue


def _marker(value: Any) -> Any:
    """A stand-in passed on to another stand-in (my_dense(x, W, b, sigmoid)) goes back by name."""
    if isinstance(value, types.FunctionType) and value.__dict__.get("__nntutor_stand_in__"):
        return wire.StandIn(value.__name__)
    return value


def _same_array(a: Any, pristine: np.ndarray) -> bool:
    return (
        isinstance(a, _ndarray)
        and a.shape == pristine.shape
        and bool(_array_equal(a, pristine, equal_nan=a.dtype.kind in "fc"))
    )


def main() -> None:
    request_fd, response_fd = int(sys.argv[-2]), int(sys.argv[-1])
    Harness(Channel(request_fd, response_fd)).serve()


if __name__ == "__main__":
    main()
