"""The TUI process stays light: textual, rich and the headless core, never TensorFlow."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# Runs in a fresh interpreter: import the app, open it headless, grade, report sys.modules.
SCRIPT = """
import asyncio, json, sys
from pathlib import Path

import nntutor.tui.app as tui_app
after_import = sorted(m for m in ("numpy", "tensorflow", "keras", "plotext") if m in sys.modules)

from nntutor.core.workspace import Workspace

async def main():
    app = tui_app.NNTutorApp(Workspace.create(Path(sys.argv[1])), watch=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        app.show_exercise(app.catalogue.get(sys.argv[2]))
        await pilot.press("r")
        await app.workers.wait_for_complete()
        await pilot.pause()

asyncio.run(main())
print(json.dumps({
    "after_import": after_import,
    "after_grading": sorted(m for m in ("tensorflow", "keras") if m in sys.modules),
}))
"""


def run_app(tmp_path: Path, exercise: str) -> dict:
    import json

    out = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(SCRIPT), str(tmp_path / "ws"), exercise],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert out.returncode == 0, out.stderr[-2000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_the_app_imports_neither_numpy_nor_tensorflow_and_grading_numpy_keeps_it(
    tmp_path: Path,
) -> None:
    found = run_app(tmp_path, "gradient_descent")
    assert found["after_import"] == []
    assert found["after_grading"] == []


@pytest.mark.slow
def test_grading_a_keras_exercise_keeps_tensorflow_out_of_the_tui(tmp_path: Path) -> None:
    found = run_app(tmp_path, "train_model")
    assert found["after_grading"] == []
