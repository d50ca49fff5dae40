"""A warm child for interactive grading: TensorFlow is imported before the learner saves.

Importing TensorFlow costs seconds, paid again by every fresh child. The pool keeps ONE
spawned child per kind that imports the heavy modules while nothing else happens, hands it
to the next grading of that kind, and at once spawns its replacement. A child is handed out
once: it loads one submission, and the grader closes it afterwards, so no child ever runs
two learners' code.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Mapping, Sequence
from typing import Any

from nntutor.core.runner import ChildSession, Limits

WARM_MODULES = {"keras": ("tensorflow", "keras")}


def _stand_in(name: str, args: list[Any], kwargs: dict[str, Any]) -> Any:
    """nntutor's own earlier steps, imported when first asked for (they import NumPy)."""
    from nntutor.core.stand_ins import call_stand_in

    return call_stand_in(name, args, kwargs)


class WarmPool:
    """One pre-warmed child per kind in ``modules``; :meth:`take` hands it out, once."""

    def __init__(
        self,
        modules: Mapping[str, Sequence[str]] = WARM_MODULES,
        command_prefix: Sequence[str] = (),
        refill: bool = True,
        run_as: tuple[int, int] | None = None,
    ) -> None:
        self.modules = {kind: tuple(names) for kind, names in modules.items()}
        self.command_prefix = tuple(command_prefix)
        self.run_as = run_as
        # False for a one-shot grading: the child is started early, and not replaced.
        self.refill = refill
        self._lock = threading.Lock()
        self._ready: dict[str, ChildSession] = {}
        self._closed = False

    def fill(self) -> None:
        """Spawn a warming child for every kind that has none (cheap: the import runs there)."""
        with self._lock:
            for kind in self.modules:
                self._spawn(kind)

    def _spawn(self, kind: str) -> None:
        if self._closed or kind in self._ready:
            return
        session = ChildSession(
            [], reference=_stand_in, command_prefix=self.command_prefix, run_as=self.run_as
        )
        session.spawn()
        session.warm(self.modules[kind])
        self._ready[kind] = session

    def take(
        self,
        kind: str,
        *,
        paths: Sequence[str],
        limits: Limits,
        provide: Sequence[str],
        stub_modules: Sequence[str],
        command_prefix: Sequence[str],
        run_as: tuple[int, int] | None,
        **hooks: Any,
    ) -> ChildSession | None:
        """The warm child of ``kind``, set up for this grading but not loaded yet, or None.

        ``hooks`` are ``on_event`` and ``cancel``. A replacement starts warming at once.
        """
        if (
            tuple(command_prefix) != self.command_prefix
            or run_as != self.run_as
            or kind not in self.modules
        ):
            return None
        with self._lock:
            session = self._ready.pop(kind, None)
            if self.refill:
                self._spawn(kind)
        if session is None:
            return None
        if not session.running:  # it died waiting: the grading starts a fresh child instead
            session.close()
            return None
        session.paths = [os.path.abspath(p) for p in paths]
        session.limits = limits
        session.provide = list(provide)
        session.stub_modules = list(stub_modules)
        session.on_event = hooks.get("on_event")
        session.cancel = hooks.get("cancel")
        return session

    def waiting(self, kind: str) -> ChildSession | None:
        """The child that the next grading of ``kind`` would get."""
        with self._lock:
            return self._ready.get(kind)

    def close(self) -> None:
        """Kill the waiting children; the pool hands out nothing more."""
        with self._lock:
            self._closed = True
            sessions, self._ready = list(self._ready.values()), {}
        for session in sessions:
            session.close()

    def __enter__(self) -> WarmPool:
        self.fill()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
