"""Strict isolation holds: each hostile submission fails only what it breaks.

Each hostile ``sigmoid`` tries an attack and returns a wrong value if the attack worked,
the right one if the sandbox stopped it: a full score means the sandbox held.
"""

from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest

from nntutor.batch import runner
from nntutor.batch.runner import BatchOptions, run_batch
from nntutor.core import sandbox
from tests.batch.conftest import correct_plus
from tests.conftest import NUMPY_TRACK

pytestmark = pytest.mark.skipif(
    not sandbox.available(),
    reason="strict isolation needs bubblewrap, setpriv and prlimit (apt-get install bubblewrap)",
)
REFERENCE = Path(sandbox.__file__).resolve().parent.parent / "reference" / "logistic.py"

HOSTILE = """
import os
_real_sigmoid = sigmoid

def sigmoid(z):
    return -_real_sigmoid(z) if _attack() else _real_sigmoid(z)

def _attack():
{body}
"""

ATTACKS = {
    # The grader's own loopback listener: reachable from the host, not from a sandbox (its
    # network namespace has a loopback of its own), and no traffic leaves this machine.
    "network": """
    import socket
    try:
        socket.create_connection(("127.0.0.1", PORT), timeout=1).close()
        return True
    except OSError:
        return False
""",
    "reads_the_reference": f"""
    for path in ({str(REFERENCE)!r}, {str(REFERENCE.parent)!r} + "/__init__.py"):
        try:
            open(path).read()
            return True
        except OSError:
            pass
    try:
        from nntutor.reference import logistic
        return True
    except ImportError:
        return False
""",
    "reads_another_submission": """
    try:
        open(OTHER).read()
        return True
    except OSError:
        return False
""",
    "writes_outside_tmp": """
    open("/tmp/allowed", "w").write("fine")
    for path in (os.path.dirname(__file__) + "/planted.py", "/etc/planted", "/planted",
                 os.path.expanduser("~") + "/../planted", "/dev/shm/planted"):
        try:
            open(path, "w").write("x")
            return not path.startswith("/tmp")
        except OSError:
            pass
    return False
""",
    "daemon": """
    if os.fork() == 0:
        os.setsid()
        if os.fork() == 0:
            import time
            while True:
                time.sleep(0.05)
        os._exit(0)
    return False
""",
    "fork_bomb": """
    started = 0
    while started < 3000:
        try:
            if os.fork() == 0:
                os._exit(0)
        except OSError:
            break
        started += 1
    return started >= 3000
""",
}


@pytest.fixture
def uid(request, monkeypatch) -> int:
    """A sandbox uid of this test's own, so tests run in parallel do not see each other."""
    worker = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw"))
    slot = 1 + 20 * worker + sum(map(ord, request.node.name)) % 20
    monkeypatch.setitem(runner._worker, "slot", slot)
    return sandbox.BASE_UID + slot


def _processes_of(uid: int) -> list[int]:
    """Processes that run as ``uid``."""
    found = []
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                with open(f"/proc/{name}/status") as f:
                    owner = next(line for line in f if line.startswith("Uid:")).split()[1]
            except (OSError, StopIteration):
                continue
            if int(owner) == uid:
                found.append(int(name))
    return found


@pytest.mark.parametrize("attack", list(ATTACKS))
def test_a_hostile_submission_is_contained(tmp_path: Path, attack: str, uid: int) -> None:
    other = tmp_path / "other" / "classmate.py"
    other.parent.mkdir()
    other.write_text("SECRET = 'the answers'\n")
    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    code = (
        HOSTILE.format(body=ATTACKS[attack])
        .replace("OTHER", repr(str(other)))
        .replace("PORT", str(port))
    )
    path = tmp_path / "hostile" / "submission.py"
    path.parent.mkdir()
    path.write_text(correct_plus(code))
    options = BatchOptions(exercises=NUMPY_TRACK, jobs=1, isolation="strict")
    row, _ = run_batch([str(path), str(other)], options)
    statuses = {e["id"]: e["status"] for e in row["exercises"]}
    assert statuses == dict.fromkeys(NUMPY_TRACK, "passed"), row["exercises"][0]["checks"]
    assert not list(path.parent.glob("planted*"))
    assert _processes_of(uid) == []
    listener.close()


def test_the_sandbox_runs_as_an_unprivileged_user_with_a_clean_environment(
    tmp_path: Path, monkeypatch, uid: int
) -> None:
    monkeypatch.setenv("NNTUTOR_GRADER_SECRET", "do not leak")
    code = HOSTILE.format(
        body="""
    try:
        first = open("/proc/1/environ").read()
    except OSError:
        first = ""
    status = open("/proc/self/status").read()
    caps = [line.split()[1] for line in status.splitlines() if line.startswith("Cap")]
    return (
        os.getuid() != UID
        or any(int(c, 16) for c in caps)
        or "NNTUTOR_GRADER_SECRET" in first + str(os.environ)
        or os.environ.get("HOME") != "/tmp"
    )
"""
    ).replace("UID", str(uid))
    path = tmp_path / "submission.py"
    path.write_text(correct_plus(code))
    (row,) = run_batch([str(path)], BatchOptions(exercises=["sigmoid"], isolation="strict"))
    assert row["exercises"][0]["status"] == "passed", row["exercises"][0]["checks"]
