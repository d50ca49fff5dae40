"""Reference Keras results for the grader, computed by a trusted worker and cached on disk.

The grader never imports TensorFlow and never trusts the learner's child with expected
values, so reference training runs in a separate ``python -c`` process on nntutor's own
code (:mod:`nntutor.reference.keras_track`). Answers are cached under the user's cache folder,
keyed by the request's content, the TensorFlow version and the worker's source, so the cost
(a TensorFlow import and a short fit) is paid once per machine.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import tempfile
import uuid
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

from nntutor.child import wire
from nntutor.core.processes import LIVE_TOKENS
from nntutor.core.runner import child_environment

_PACKAGE_PARENT = Path(__file__).resolve().parents[2]
_WORKER_SOURCE = Path(__file__).resolve().parents[1] / "reference" / "keras_track.py"
_BOOT = (
    f"import sys; sys.path.insert(0, {str(_PACKAGE_PARENT)!r}); "
    "from nntutor.reference.keras_track import main; main()"
)
WORKER_TIMEOUT = 300.0
# One worker at a time: it is heavy, and two gradings asking the same answer share it.
_executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="nntutor-keras-reference")


class ReferenceUnavailable(Exception):
    """The reference worker failed: nntutor's problem, never the learner's."""


def cache_dir() -> Path:
    """``$NNTUTOR_CACHE_DIR`` or the platform's cache folder for nntutor."""
    if os.environ.get("NNTUTOR_CACHE_DIR"):
        return Path(os.environ["NNTUTOR_CACHE_DIR"])
    from platformdirs import user_cache_path

    return user_cache_path("nntutor")


def _tensorflow_version() -> str:
    import importlib.metadata  # only when a Keras reference is asked for: it is slow to load

    try:
        return importlib.metadata.version("tensorflow")
    except importlib.metadata.PackageNotFoundError:
        return "none"


def cache_key(request: dict[str, Any]) -> str:
    digest = hashlib.sha256()
    digest.update(wire.dumps(request))
    digest.update(_tensorflow_version().encode())
    digest.update(_WORKER_SOURCE.read_bytes())
    return digest.hexdigest()[:32]


# In-memory answers, used instead of the disk cache when learner code runs as this user
# and many learners are graded: one could otherwise rewrite the cache for the others.
_memory: dict[str, Any] | None = None


def keep_in_memory() -> None:
    """Cache answers in this process only (a batch graded without the sandbox)."""
    global _memory
    if _memory is None:
        _memory = {}


if os.environ.get("NNTUTOR_REFERENCE_CACHE") == "memory":
    keep_in_memory()


def compute(request: dict[str, Any]) -> Any:
    """The worker's answer to ``request`` (values encoded with :mod:`wire`), cached."""
    encoded = {k: wire.encode(v) if k != "op" else v for k, v in request.items()}
    key = cache_key(encoded)
    if _memory is not None:
        if key not in _memory:
            _memory[key] = _run_worker(encoded)
        return wire.decode(_memory[key])
    path = cache_dir() / "keras-reference" / f"{key}.json"
    try:
        return wire.decode(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError):
        pass  # not cached yet, or a damaged entry: compute it again
    value = _run_worker(encoded)
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile("w", dir=path.parent, delete=False, suffix=".tmp") as tmp:
        json.dump(value, tmp)
    os.replace(tmp.name, path)
    return wire.decode(value)


def compute_later(request: dict[str, Any]) -> Future[Any]:
    """Start :func:`compute` in the background (it overlaps with the learner's own fit)."""
    return _executor.submit(compute, request)


def _run_worker(encoded: dict[str, Any]) -> Any:
    # A token of its own, live while it runs: it runs beside a learner's child, and the sweep
    # after that child must not take it for an orphan (nor may a daemon borrow the token).
    token = f"reference-{uuid.uuid4().hex}"
    LIVE_TOKENS.add(token.encode())
    try:
        return _run_worker_as(encoded, token)
    finally:
        LIVE_TOKENS.discard(token.encode())


def _run_worker_as(encoded: dict[str, Any], token: str) -> Any:
    with tempfile.TemporaryDirectory(prefix="nntutor-reference-") as home:
        try:
            completed = subprocess.run(
                [sys.executable, "-I", "-c", _BOOT],
                input=wire.dumps(encoded),
                capture_output=True,
                timeout=WORKER_TIMEOUT,
                env=child_environment(token, home),
                cwd=home,
                check=False,
            )
        except subprocess.TimeoutExpired:
            raise ReferenceUnavailable(
                f"the reference computation took more than {WORKER_TIMEOUT:g} s"
            ) from None
    try:
        reply = wire.loads(completed.stdout.strip().splitlines()[-1])
        return reply["value"]
    except (IndexError, KeyError, wire.WireError):
        tail = completed.stderr.decode("utf-8", "replace").strip()[-600:]
        raise ReferenceUnavailable(
            f"the reference computation failed (exit code {completed.returncode}): {tail}"
        ) from None
