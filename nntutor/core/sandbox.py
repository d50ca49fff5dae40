"""The strict sandbox: a bubblewrap command prefix for the grading child of one submission.

Inside, the child runs as an unprivileged uid with no capabilities and no-new-privs, in
its own network (none), PID, IPC and UTS namespaces, on a root made only of read-only
binds of what Python needs, with a small private ``/tmp``, a cleared environment, the
grader's reference code hidden and no other submission visible.

Why bwrap runs as root and ``setpriv`` runs inside it (not the other way round): the
interpreter may live where the unprivileged uid cannot reach (a pyenv under a 0700
``/root``). bwrap, still root, binds exactly the interpreter's own folder onto fresh 0755
directories; then ``setpriv`` drops to the sandbox uid before Python starts, so the code
never holds kernel uid 0 (a ``--uid`` mapping alone would) and ``RLIMIT_NPROC`` applies.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import sysconfig
import time
from collections.abc import Sequence
from functools import cache
from pathlib import Path

# Sandbox uids: one per worker slot, so one submission's fork bomb (RLIMIT_NPROC counts per
# uid) cannot starve a submission graded beside it. They need no /etc/passwd entry.
BASE_UID = 61000
TMP_BYTES = 64 << 20
MAX_PROCESSES = 256
INSTALL_HINT = (
    "strict isolation needs bubblewrap and setpriv: install them with "
    "`apt-get install bubblewrap util-linux` (Debian/Ubuntu) or `dnf install bubblewrap`, "
    "or choose `--isolation process` to grade without the sandbox"
)
_PACKAGE_DIR = Path(__file__).resolve().parent.parent
# Grader-only code: the reference implementations and the specs that hold the answers.
HIDDEN_PACKAGES = ("reference", "core")
_SYSTEM = ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/etc")


class SandboxUnavailable(Exception):
    """Strict isolation was asked for and cannot be had; the message says how to get it."""


def _ancestors(path: Path) -> list[Path]:
    return list(reversed(path.parents))[1:]


def _python_roots() -> list[Path]:
    """Folders the interpreter and its packages live in (venv, base install, stdlib)."""
    roots = {Path(sys.prefix), Path(sys.base_prefix), Path(sys.executable).resolve().parent}
    for key in ("stdlib", "platstdlib", "purelib", "platlib"):
        roots.add(Path(sysconfig.get_paths()[key]))
    roots = {r.resolve() for r in roots if r.exists()}
    # Keep the outermost: a bind of a folder already covers everything below it.
    return sorted(r for r in roots if not any(o != r and o in r.parents for o in roots))


def sandbox_environment(token: str) -> dict[str, str]:
    """The child's environment, given to bwrap with --setenv after --clearenv."""
    from nntutor.core.runner import child_environment

    return child_environment(token, "/tmp")


def command_prefix(files: Sequence[str], *, slot: int = 0, token: str = "sandbox") -> list[str]:
    """The bwrap + setpriv prefix that runs the child of ``files`` (the submission's files,
    bound read-only at their own paths; nothing else of the host's files is visible)."""
    bwrap, setpriv, prlimit = (shutil.which(t) for t in ("bwrap", "setpriv", "prlimit"))
    if not (bwrap and setpriv and prlimit):
        raise SandboxUnavailable(INSTALL_HINT)
    uid = BASE_UID + slot
    args = [
        bwrap,
        "--unshare-net",
        "--unshare-pid",
        "--unshare-ipc",
        "--unshare-uts",
        "--unshare-cgroup-try",
        "--die-with-parent",
        "--new-session",
        # setpriv needs these to drop to the sandbox uid; it then clears every capability.
        "--cap-drop",
        "ALL",
        "--cap-add",
        "CAP_SETUID",
        "--cap-add",
        "CAP_SETGID",
        "--cap-add",
        "CAP_SETPCAP",
        "--clearenv",
    ]
    for key, value in sandbox_environment(token).items():
        args += ["--setenv", key, value]
    made: set[Path] = set()

    def bind(path: Path, flag: str = "--ro-bind") -> None:
        # bwrap (as root) would create the missing parents 0700: make them 0755 first.
        for parent in _ancestors(path):
            if parent not in made and str(parent) not in _SYSTEM:
                args.extend(["--perms", "0755", "--dir", str(parent)])
                made.add(parent)
        args.extend([flag, str(path), str(path)])
        made.add(path)

    for system in _SYSTEM:
        if os.path.exists(system):
            args += ["--ro-bind", system, system]
    args += ["--proc", "/proc", "--dev", "/dev"]
    args += ["--perms", "1777", "--size", str(TMP_BYTES), "--tmpfs", "/tmp", "--chdir", "/tmp"]
    made.add(Path("/tmp"))
    # Everything below comes after the private /tmp, which would otherwise cover a venv, a
    # checkout or a converted submission that lives under /tmp (mount order matters).
    for root in _python_roots():
        if not any(str(root).startswith(s + "/") for s in _SYSTEM):
            bind(root)
    bind(_PACKAGE_DIR)
    # After the package bind, or the bind would cover the empty tmpfs.
    for hidden in HIDDEN_PACKAGES:
        args += ["--perms", "0000", "--tmpfs", str(_PACKAGE_DIR / hidden)]
    for file in files:
        bind(Path(file).resolve())
    return [
        *args,
        prlimit,
        f"--nproc={MAX_PROCESSES}",
        "--",
        setpriv,
        f"--reuid={uid}",
        f"--regid={uid}",
        "--clear-groups",
        "--inh-caps=-all",
        "--bounding-set=-all",
        "--no-new-privs",
    ]


def _bwrap_children() -> list[int]:
    """Our children that are bwrap processes (running or zombie)."""
    me, found = os.getpid(), []
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", "rb") as f:
                comm, _, rest = f.read().partition(b" (")[2].rpartition(b") ")
        except OSError:
            continue
        if comm == b"bwrap" and int(rest.split()[1]) == me:
            found.append(int(name))
    return found


def sweep(timeout: float = 5.0) -> None:
    """After a sandboxed child was killed: reap the sandbox's init, re-parented to us.

    Killing bwrap ends its PID namespace, but the kernel tears it down after our wait for
    bwrap has returned. The namespace's init (bwrap's own child, re-parented to us, a
    subreaper) exits only once every process of its namespace is gone: reaping it makes
    "nothing survives the submission" hold when grading returns, and leaves no zombie.
    """
    deadline = time.monotonic() + timeout
    pending = _bwrap_children()
    while pending and time.monotonic() < deadline:
        for pid in list(pending):
            with contextlib.suppress(ChildProcessError):
                if os.waitpid(pid, os.WNOHANG)[0] == 0:
                    continue
            pending.remove(pid)
        if pending:
            time.sleep(0.001)


_SELF_TEST = """
import os, socket, sys
sys.path.insert(0, sys.argv[1])
import nntutor.child.harness
assert os.getuid() != 0, "runs as root"
# No traffic is sent to find out: a fresh network namespace has only a loopback interface.
assert [name for _, name in socket.if_nameindex()] == ["lo"], "the network is reachable"
try:
    from nntutor.reference import logistic
    raise AssertionError("the reference implementations are visible")
except ImportError:
    pass
print("sandbox-ok")
"""


@cache
def self_test() -> None:
    """Run a tiny child in the sandbox once per process; raise SandboxUnavailable if the
    sandbox does not start or does not hold (runs as root, reaches the network...)."""
    prefix = command_prefix([])
    try:
        done = subprocess.run(
            [*prefix, sys.executable, "-I", "-c", _SELF_TEST, str(_PACKAGE_DIR.parent)],
            capture_output=True,
            text=True,
            timeout=60,
            env={"PATH": "/usr/bin:/bin"},
            cwd="/",
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise SandboxUnavailable(f"the sandbox did not start ({exc}); {INSTALL_HINT}") from None
    if "sandbox-ok" not in done.stdout:
        reason = (done.stderr.strip().splitlines() or ["no output"])[-1]
        raise SandboxUnavailable(f"the sandbox self-test failed ({reason}); {INSTALL_HINT}")


def available() -> bool:
    """True when strict isolation works on this machine."""
    try:
        self_test()
    except SandboxUnavailable:
        return False
    return True
