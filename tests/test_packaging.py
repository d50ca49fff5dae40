"""The wheel ships the exercise content, so a non-editable install can list it."""

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_the_wheel_contains_every_exercise(tmp_path: Path) -> None:
    pytest.importorskip("hatchling")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("nntutor-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "nntutor/_exercises/catalogue.toml" in names
    for folder in (ROOT / "exercises").iterdir():
        if folder.is_dir():
            for file in ("exercise.toml", "instructions.md", "starter.py"):
                assert f"nntutor/_exercises/{folder.name}/{file}" in names
    assert not any(name.startswith("tests/") for name in names)
