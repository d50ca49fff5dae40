"""Time batch grading: seconds per submission against a bare `python -c "import numpy"`.

Generates a class of submissions (correct ones, the loop version, and the correct solution
with one classic mistake each), grades it with `nntutor grade --jobs 2`, and reports
seconds per submission divided by the median start of `python -c "import numpy"` measured
in the same run (target for the NumPy track: <= 1.0), for process isolation (the fork
server) and for the strict sandbox, on the NumPy track and on every exercise graded in the
NumPy child; then the per-submission cost of the Keras exercises, when their specs exist.
Run: python benchmarks/bench_batch.py [--count N] [--jobs N]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SUBMISSIONS = ROOT / "tests" / "submissions"
sys.path.insert(0, str(ROOT))

from nntutor.core.catalogue import default_catalogue  # noqa: E402
from nntutor.core.specs import all_specs  # noqa: E402


def generate(folder: Path, count: int) -> list[str]:
    """``count`` submissions: every third correct, the rest one mistake each (NumPy ones)."""
    correct = (SUBMISSIONS / "correct_vectorised.py").read_text()
    loops = (SUBMISSIONS / "correct_loops.py").read_text()
    mistakes = sorted(p for p in (SUBMISSIONS / "mistakes").glob("*.py") if "keras" not in p.name)
    paths = []
    for i in range(count):
        if i % 6 == 0:
            text = correct
        elif i % 6 == 3:
            text = loops
        else:
            text = correct + "\n\n" + mistakes[i % len(mistakes)].read_text()
        path = folder / f"student{i:03d}.py"
        path.write_text(text)
        paths.append(str(path))
    return paths


def seconds(command: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(
        command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT
    )
    return time.perf_counter() - started


def grade_command(paths: list[str], exercises: list[str], jobs: int, isolation: str) -> list[str]:
    command = [sys.executable, "-m", "nntutor", "grade", *paths, "--format", "csv"]
    command += ["--jobs", str(jobs), "--isolation", isolation]
    for exercise in exercises:
        command += ["--exercise", exercise]
    return command


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=120)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--keras-count", type=int, default=4)
    args = parser.parse_args()
    specs = all_specs()
    numpy_track = [e.id for e in default_catalogue().tracks[0].exercises if e.id in specs]
    numpy_session = [i for i, s in specs.items() if s.session == "numpy"]
    keras_ids = [i for i, s in specs.items() if s.session == "keras"]
    baseline = statistics.median(seconds([sys.executable, "-c", "import numpy"]) for _ in range(7))
    print(f"python -c 'import numpy' (median of 7)      {baseline * 1000:8.1f} ms")
    with tempfile.TemporaryDirectory(prefix="nntutor-bench-") as folder:
        paths = generate(Path(folder), args.count)
        print(f"{args.count} submissions (1 in 6 written with loops), --jobs {args.jobs}")
        for label, exercises in (
            (f"NumPy track, {len(numpy_track)} exercises", numpy_track),
            (f"every NumPy-run exercise, {len(numpy_session)}", numpy_session),
        ):
            print(f"{label}:")
            for isolation in ("process", "strict"):
                try:
                    total = seconds(grade_command(paths, exercises, args.jobs, isolation))
                except subprocess.CalledProcessError:
                    print(f"  {isolation:8}: not available here")
                    continue
                per = total / args.count
                print(
                    f"  {isolation:8}: {total:6.2f} s total, {per * 1000:7.1f} ms per submission, "
                    f"ratio {per / baseline:5.2f}"
                    + (
                        "  (target <= 1.0)"
                        if (exercises, isolation) == (numpy_track, "process")
                        else ""
                    )
                )
        if not keras_ids:
            tf = statistics.median(
                seconds([sys.executable, "-c", "import tensorflow"]) for _ in range(3)
            )
            print(
                "Keras track: no Keras grading specs in this checkout yet; its floor is the "
                f"TensorFlow import in each child: {tf:5.2f} s, ratio {tf / baseline:5.1f}"
            )
            return
        # Keras functions are in the vectorised solution, not in the loop one.
        chosen = [p for i, p in enumerate(paths) if i % 6 != 3][: args.keras_count]
        per = seconds(grade_command(chosen, keras_ids, args.jobs, "process")) / len(chosen)
        print(
            f"Keras track ({len(keras_ids)} exercises, {len(chosen)} submissions): "
            f"{per:6.2f} s per submission, ratio {per / baseline:6.1f}"
        )


if __name__ == "__main__":
    main()
