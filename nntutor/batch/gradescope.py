"""The Gradescope autograder bundle: ``setup.sh``, ``run_autograder`` and nntutor's source.

Gradescope unpacks the zip into ``/autograder/source``, runs ``setup.sh`` once to build the
image, then ``run_autograder`` per submission: it grades ``/autograder/submission`` and
writes ``/autograder/results/results.json``. ``NNTUTOR_AUTOGRADER_ROOT`` replaces
``/autograder`` (tests run the script against a folder laid out the same way).
"""

from __future__ import annotations

import shlex
import stat
import zipfile
from collections.abc import Sequence
from pathlib import Path

_PROJECT = Path(__file__).resolve().parents[2]
SOURCE_PARTS = ("pyproject.toml", "README.md", "nntutor", "exercises")

SETUP_SH = """#!/usr/bin/env bash
# Runs once when Gradescope builds the autograder image (Ubuntu, as root).
set -euo pipefail
ROOT="${NNTUTOR_AUTOGRADER_ROOT:-/autograder}"
VENV="${NNTUTOR_VENV:-/opt/nntutor}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q python3 python3-venv
PYTHON=python3
# nntutor needs Python 3.11+; Ubuntu 22.04's python3 is 3.10, its python3.11 package is not.
if ! python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
    apt-get install -y -q python3.11 python3.11-venv
    PYTHON=python3.11
fi
"$PYTHON" -m venv "$VENV"
"$VENV/bin/pip" install --quiet "$ROOT/source/nntutor"
"""

# Process isolation inside Gradescope: the container is already the per-submission sandbox
# and lacks the privileges bubblewrap needs; the child still runs with its rlimits, a clean
# environment and its own session.
RUN_AUTOGRADER = """#!/usr/bin/env bash
# Grades /autograder/submission into /autograder/results/results.json; a results file is
# written even when grading itself fails, so the student sees why.
set -uo pipefail
ROOT="${{NNTUTOR_AUTOGRADER_ROOT:-/autograder}}"
PYTHON="${{NNTUTOR_PYTHON:-/opt/nntutor/bin/python}}"
mkdir -p "$ROOT/results"
cd "$ROOT"
# The submission runs as this user: reference answers stay in memory, out of its reach.
# The whole folder is one student's submission, whatever files it holds.
if NNTUTOR_REFERENCE_CACHE=memory "$PYTHON" -m nntutor grade "$ROOT/submission" \\
        --format gradescope --isolation process --one-submission \\
        --jobs 1{exercises} > "$ROOT/results/results.json.part" 2> "$ROOT/results/stderr.txt"; then
    mv "$ROOT/results/results.json.part" "$ROOT/results/results.json"
else
    "$PYTHON" - "$ROOT/results" <<'EOF'
import json, pathlib, sys
folder = pathlib.Path(sys.argv[1])
reason = (folder / "stderr.txt").read_text(errors="replace").strip()[-2000:]
result = {{
    "score": 0,
    "output": "The autograder could not grade this submission: " + (reason or "no reason given"),
    "visibility": "visible",
    "tests": [],
}}
(folder / "results.json").write_text(json.dumps(result))
EOF
fi
"""


class BundleError(Exception):
    """The bundle could not be written; the message says why."""


def run_autograder_script(exercises: Sequence[str] | None = None) -> str:
    flags = "".join(f" --exercise {shlex.quote(e)}" for e in exercises or ())
    return RUN_AUTOGRADER.format(exercises=flags)


def _add(zf: zipfile.ZipFile, name: str, text: str, executable: bool) -> None:
    info = zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0))
    mode = 0o755 if executable else 0o644
    info.external_attr = (stat.S_IFREG | mode) << 16
    info.compress_type = zipfile.ZIP_DEFLATED
    zf.writestr(info, text)


def build_autograder(target: Path, exercises: Sequence[str] | None = None) -> None:
    """Write the autograder zip to ``target``: the scripts at the top, nntutor's source
    (package, exercise content, pyproject) under ``nntutor/`` for setup.sh to install."""
    missing = [part for part in SOURCE_PARTS if not (_PROJECT / part).exists()]
    if missing:
        raise BundleError(
            f"nntutor's source is incomplete here (missing {', '.join(missing)}): build the "
            "autograder from a checkout of nntutor"
        )
    try:
        with zipfile.ZipFile(target, "w") as zf:
            _add(zf, "setup.sh", SETUP_SH, executable=True)
            _add(zf, "run_autograder", run_autograder_script(exercises), executable=True)
            for part in SOURCE_PARTS:
                root = _PROJECT / part
                files = [root] if root.is_file() else sorted(root.rglob("*"))
                for file in files:
                    if file.is_file() and "__pycache__" not in file.parts:
                        relative = file.relative_to(_PROJECT).as_posix()
                        zf.write(file, f"nntutor/{relative}")
    except OSError as exc:
        raise BundleError(f"cannot write {target}: {exc.strerror or exc}") from None
