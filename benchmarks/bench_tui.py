"""Time the TUI: launch to the catalogue on screen, and a save to the verdict on screen.

Every number is a median, reported beside a bare ``python -c "import numpy"`` measured in the
same run (ratio = time / that). The app runs headless (Textual's test driver) with the real
file watcher, so save-to-verdict includes the watcher's debounce and the child process.
Run: python benchmarks/bench_tui.py [--runs N]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# In a fresh interpreter: from process start to the catalogue and the lesson on screen.
LAUNCH = """
import asyncio, sys, tempfile, time
from pathlib import Path
from nntutor.core.workspace import Workspace
from nntutor.tui.app import NNTutorApp

async def main():
    app = NNTutorApp(Workspace.create(Path(tempfile.mkdtemp()) / "ws"), watch=False)
    async with app.run_test(size=(120, 40)) as pilot:
        lesson, overall = app.main.query_one("#lesson-text"), app.main.query_one("#overall")
        while "Progress:" not in str(overall.render()) or not lesson.children:
            await pilot.pause(0.001)

asyncio.run(main())
"""


def median_seconds(commands: dict[str, list[str]], runs: int) -> dict[str, float]:
    """Median wall time of each command; the commands take turns, so load spikes hit all."""
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, command in commands.items():
            started = time.perf_counter()
            subprocess.run(command, check=True, stdout=subprocess.DEVNULL, cwd=ROOT)
            times[name].append(time.perf_counter() - started)
    return {name: statistics.median(values) for name, values in times.items()}


async def save_to_verdict(runs: int) -> tuple[float, float]:
    """Median seconds from writing the file to the verdict shown, and of grading alone."""
    sys.path.insert(0, str(ROOT / "tests"))
    from tui.helpers import correct_source

    from nntutor.core.grader import GradeOptions, grade_paths
    from nntutor.core.workspace import Workspace
    from nntutor.tui.app import NNTutorApp

    workspace = Workspace.create(Path(tempfile.mkdtemp()) / "ws")
    exercise = workspace.catalogue.get("sigmoid")
    path = workspace.file_for(exercise)
    versions = [correct_source("sigmoid"), exercise.starter()]
    app = NNTutorApp(workspace)
    timings, alone = [], []
    async with app.run_test(size=(120, 40)) as pilot:
        await asyncio.sleep(1.0)  # let the watcher start
        for i in range(runs):
            before = app._run
            started = time.perf_counter()
            path.write_text(versions[i % 2])
            while app._run == before or app.grading is not None:
                await pilot.pause(0.002)
            timings.append(time.perf_counter() - started)
            await asyncio.sleep(0.3)  # let the save's events settle before the next one
    for _ in range(runs):
        started = time.perf_counter()
        grade_paths([str(path)], GradeOptions(exercises=["sigmoid"]))
        alone.append(time.perf_counter() - started)
    return statistics.median(timings), statistics.median(alone)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    python = sys.executable
    medians = median_seconds(
        {
            "numpy": [python, "-c", "import numpy"],
            "import": [python, "-c", "import nntutor.tui.app"],
            "launch": [python, "-c", LAUNCH],
        },
        args.runs,
    )
    numpy = medians["numpy"]
    verdict, grading = asyncio.run(save_to_verdict(args.runs))
    numpy_after = median_seconds({"numpy": [python, "-c", "import numpy"]}, args.runs)["numpy"]

    def row(what: str, seconds: float) -> None:
        print(f"{what:<46} {seconds * 1000:8.1f} ms   {seconds / numpy:5.2f}x numpy import")

    print(f"medians of {args.runs} runs")
    row("python -c 'import numpy' (baseline)", numpy)
    row("python -c 'import nntutor.tui.app'", medians["import"])
    row("launch to catalogue + lesson on screen", medians["launch"])
    numpy = numpy_after  # the save-to-verdict runs are compared with a baseline taken after
    row("python -c 'import numpy' (baseline, again)", numpy)
    row("save to verdict on screen (sigmoid, watch)", verdict)
    row("  of which grading alone (grade_paths)", grading)


if __name__ == "__main__":
    main()
