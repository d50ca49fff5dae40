"""The core never imports textual or tensorflow: proven in a fresh interpreter."""

import subprocess
import sys

CORE_MODULES = [
    "nntutor.core.grader",
    "nntutor.core.catalogue",
    "nntutor.core.workspace",
    "nntutor.core.results",
    "nntutor.core.runner",
    "nntutor.core.specs",
    "nntutor.cli",
]


def test_core_imports_neither_textual_nor_tensorflow() -> None:
    code = (
        "import sys\n"
        + "".join(f"import {m}\n" for m in CORE_MODULES)
        + "from nntutor.core.specs import all_specs; all_specs()\n"
        + "from nntutor.core.catalogue import default_catalogue; default_catalogue()\n"
        + "bad = sorted(m for m in sys.modules if m.split('.')[0] in "
        + "('textual', 'tensorflow', 'keras'))\n"
        + "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_grading_a_numpy_file_never_imports_tensorflow_in_the_grader() -> None:
    code = (
        "import sys\n"
        "from nntutor.core.grader import grade_paths, GradeOptions\n"
        "r = grade_paths([sys.argv[1]], GradeOptions(exercises=['sigmoid', 'cost']))\n"
        "assert [e.status for e in r.exercises] == ['passed', 'passed'], r\n"
        "print(any(m.split('.')[0] in ('tensorflow', 'keras') for m in sys.modules))\n"
    )
    from tests.conftest import CORRECT_VECTORISED

    out = subprocess.run(
        [sys.executable, "-c", code, str(CORRECT_VECTORISED)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.strip() == "False"
