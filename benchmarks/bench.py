"""Time `nntutor grade` on a complete correct NumPy-track submission.

Reports the median wall time of grading against a bare `python -c "import numpy"` measured
in the same run, as a ratio (target: <= 4). Run: python benchmarks/bench.py [--runs N]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SUBMISSION = ROOT / "tests" / "submissions" / "correct_vectorised.py"
NUMPY_TRACK = ["sigmoid", "model_output", "loss", "cost", "gradient", "gradient_descent", "predict"]


def median_seconds(command: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, cwd=ROOT)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    grade = [sys.executable, "-m", "nntutor", "grade", str(SUBMISSION), "--format", "json"]
    for exercise in NUMPY_TRACK:
        grade += ["--exercise", exercise]
    baseline = median_seconds([sys.executable, "-c", "import numpy"], args.runs)
    graded = median_seconds(grade, args.runs)
    print(f"python -c 'import numpy'          {baseline * 1000:8.1f} ms (median of {args.runs})")
    print(f"nntutor grade (NumPy track, 7 ex.) {graded * 1000:8.1f} ms (median of {args.runs})")
    print(f"ratio                              {graded / baseline:8.2f}  (target <= 4)")


if __name__ == "__main__":
    main()
