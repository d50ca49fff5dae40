"""Time grading the whole Keras track (build_model, compile_model, train_model), cold and warm.

Each is reported against a bare `python -c "import tensorflow"` measured in the same run:
- cold, CLI: `nntutor grade` end to end; its child imports TensorFlow;
- cold, in process: `grade_paths` with a fresh child (what a front end pays without a pool);
- warm: `grade_paths` with a WarmPool whose child imported TensorFlow before the "save"
  (--settle seconds, untimed, let the pool's replacement child finish its import).
The reference curves are cached on disk; a first run fills the cache and is reported apart.
Run: python benchmarks/bench_keras.py [--runs N] [--settle S]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from nntutor.core.grader import GradeOptions, grade_paths  # noqa: E402
from nntutor.core.warm import WarmPool  # noqa: E402

SUBMISSION = ROOT / "tests" / "submissions" / "correct_vectorised.py"
KERAS_TRACK = ["build_model", "compile_model", "train_model"]


def seconds(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def run(command: list[str]) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TF_CPP_MIN_LOG_LEVEL": "3"}
    subprocess.run(
        command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT, env=env
    )


def grade(options: GradeOptions) -> None:
    result = grade_paths([str(SUBMISSION)], options)
    failed = [e.id for e in result.exercises if e.status != "passed"]
    if failed:
        raise SystemExit(f"the correct submission failed {failed}: nothing to measure")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--settle", type=float, default=6.0)
    args = parser.parse_args()
    os.environ.setdefault("NNTUTOR_CACHE_DIR", tempfile.mkdtemp(prefix="nntutor-bench-"))
    cli = [sys.executable, "-m", "nntutor", "grade", str(SUBMISSION), "--format", "json"]
    for exercise in KERAS_TRACK:
        cli += ["--exercise", exercise]
    first = seconds(lambda: run(cli))
    baseline, cold_cli, cold, warm = [], [], [], []
    with WarmPool() as pool:
        for _ in range(args.runs):
            # Untimed: the pool's waiting child finishes importing TensorFlow, so it neither
            # runs late nor competes with the measurements for the CPU.
            time.sleep(args.settle)
            warm.append(seconds(lambda: grade(GradeOptions(exercises=KERAS_TRACK, warm=pool))))
            time.sleep(args.settle)
            baseline.append(seconds(lambda: run([sys.executable, "-c", "import tensorflow"])))
            cold_cli.append(seconds(lambda: run(cli)))
            cold.append(seconds(lambda: grade(GradeOptions(exercises=KERAS_TRACK))))
    base = statistics.median(baseline)
    print(f"medians of {args.runs} runs; reference cache filled by a first run of {first:.2f} s")
    print(f"python -c 'import tensorflow'       {base:6.2f} s")
    for label, times in (
        ("nntutor grade, Keras track (cold)", cold_cli),
        ("grade_paths, fresh child (cold)", cold),
        ("grade_paths, warm child", warm),
    ):
        value = statistics.median(times)
        print(f"{label:<36}{value:6.2f} s   ratio {value / base:5.2f}")


if __name__ == "__main__":
    main()
