"""Turning files, notebooks, folders and zips into files to grade, safely."""

from __future__ import annotations

import os
import stat
import zipfile
from pathlib import Path

import pytest

from nntutor.core.results import ExerciseResult
from nntutor.core.submissions import collect, expand, extract_zip
from tests.batch.conftest import notebook
from tests.conftest import grade


def test_a_python_file_is_graded_as_it_is(tmp_path: Path) -> None:
    path = tmp_path / "a.py"
    path.write_text("x = 1\n")
    sub = collect(path, tmp_path / "work")
    assert sub.error is None and sub.files == [str(path.resolve())]


def test_a_notebook_becomes_its_code_cells_in_order_with_magics_skipped(tmp_path: Path) -> None:
    path = tmp_path / "nb.ipynb"
    path.write_text(notebook(["%matplotlib inline\nx = 1", "!pip install numpy\ny = x + 1"]))
    sub = collect(path, tmp_path / "work")
    assert sub.error is None
    code = Path(sub.files[0]).read_text()
    assert code.index("x = 1") < code.index("y = x + 1")
    assert "%matplotlib" not in code.replace("# nntutor skipped an IPython line: %matplotlib", "")
    namespace: dict[str, int] = {}
    exec(compile(code, "nb", "exec"), namespace)
    assert namespace["y"] == 2
    assert any("2 shell/magic line(s)" in note for note in sub.notes)


def test_a_cell_magic_skips_its_whole_cell_and_a_shell_assignment_its_line(
    tmp_path: Path,
) -> None:
    path = tmp_path / "nb.ipynb"
    cells = ["%%bash\nls -la data/\necho done", "files = !ls\nx = 1", "%%writefile a.txt\nhi"]
    path.write_text(notebook(cells))
    sub = collect(path, tmp_path / "work")
    namespace: dict[str, int] = {}
    exec(compile(Path(sub.files[0]).read_text(), "nb", "exec"), namespace)
    assert namespace["x"] == 1
    assert any("cell 1 (%%bash), cell 3 (%%writefile)" in note for note in sub.notes)


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"{ not json", "not valid notebook JSON"),
        (b'{"cells": 3}', "not a readable notebook"),
        (b"\xff\xfe", "not UTF-8"),
    ],
)
def test_a_broken_notebook_is_an_error_that_says_why(
    tmp_path: Path, content: bytes, reason: str
) -> None:
    path = tmp_path / "nb.ipynb"
    path.write_bytes(content)
    sub = collect(path, tmp_path / "work")
    assert sub.files == [] and reason in (sub.error or "")


def test_a_folder_is_its_python_files_and_a_workspace_is_one_submission(tmp_path: Path) -> None:
    (tmp_path / "b.py").write_text("b = 1\n")
    (tmp_path / "a.py").write_text("a = 1\n")
    (tmp_path / "notes.ipynb").write_text(notebook(["z = 1"]))
    sub = collect(tmp_path, tmp_path / "work")
    assert [os.path.basename(f) for f in sub.files] == ["a.py", "b.py"]
    assert any("notes.ipynb" in note for note in sub.notes)


def test_a_zip_is_unpacked_into_its_single_folder(tmp_path: Path) -> None:
    archive = tmp_path / "s.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("student/solution.py", "x = 1\n")
        zf.writestr("__MACOSX/student/._solution.py", "junk")
    sub = collect(archive, tmp_path / "work")
    assert sub.error is None
    assert [Path(f).name for f in sub.files] == ["solution.py"]
    assert Path(sub.files[0]).is_relative_to(tmp_path / "work")


@pytest.mark.parametrize("name", ["../evil.py", "/abs/evil.py", "a/../../evil.py"])
def test_a_zip_cannot_write_outside_its_folder(tmp_path: Path, name: str) -> None:
    archive = tmp_path / "evil.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr(name, "x = 1\n")
    target = tmp_path / "deep" / "target"
    target.mkdir(parents=True)
    with pytest.raises(ValueError, match="unsafe path"):
        extract_zip(archive, target)
    assert not (tmp_path / "evil.py").exists() and not (tmp_path / "deep" / "evil.py").exists()


def test_a_zip_with_a_link_or_too_much_data_is_refused(tmp_path: Path, monkeypatch) -> None:
    archive = tmp_path / "link.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        info = zipfile.ZipInfo("link.py")
        info.external_attr = (stat.S_IFLNK | 0o777) << 16
        zf.writestr(info, "/etc/passwd")
    assert "symbolic link" in (collect(archive, tmp_path / "w1").error or "")
    monkeypatch.setattr("nntutor.core.submissions.MAX_ZIP_BYTES", 1000)
    with zipfile.ZipFile(tmp_path / "big.zip", "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("big.py", "#" * 5000)
    assert "more than" in (collect(tmp_path / "big.zip", tmp_path / "w2").error or "")


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (lambda p: None, "no such file or folder"),
        (lambda p: p.write_bytes(b"PK\x03\x04junk"), "not a readable zip"),
        (lambda p: os.mkfifo(p), "not a regular file"),
    ],
)
def test_a_path_that_is_no_submission_is_an_error(tmp_path: Path, make, reason: str) -> None:
    path = tmp_path / "thing.zip"
    make(path)
    sub = collect(path, tmp_path / "work")
    assert sub.files == [] and reason in (sub.error or "")


def test_an_unknown_kind_of_file_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "essay.txt"
    path.write_text("hello")
    assert "not a .py file" in (collect(path, tmp_path / "w").error or "")


def test_a_folder_of_submissions_expands_but_a_code_folder_does_not(tmp_path: Path) -> None:
    room = tmp_path / "room"
    (room / "s1").mkdir(parents=True)
    (room / "s1" / "a.py").write_text("")
    (room / "s2.ipynb").write_text(notebook(["x = 1"]))
    assert expand([str(room)]) == [str(room / "s1"), str(room / "s2.ipynb")]
    assert expand([str(room / "s1")]) == [str(room / "s1")]


def test_the_digest_follows_the_content(tmp_path: Path) -> None:
    path = tmp_path / "a.py"
    path.write_text("x = 1\n")
    first = collect(path, tmp_path / "w").digest()
    assert collect(path, tmp_path / "w").digest() == first
    path.write_text("x = 2\n")
    assert collect(path, tmp_path / "w").digest() != first


def _grade_notebook(path: Path, cells: list[str]) -> ExerciseResult:
    path.write_text(notebook(cells))
    sub = collect(path, path.parent / "work")
    return grade(sub.files, ["sigmoid"]).exercises[0]


def test_errors_in_a_notebook_are_named_by_cell_and_line(tmp_path: Path) -> None:
    cells = ["import numpy as np", "x = 1", "y = 2\ndef sigmoid(z)\n  pass"]
    broken = _grade_notebook(tmp_path / "broken.ipynb", cells)
    assert "broken.ipynb, cell 3, line 2" in broken.message
    cells = ["import numpy as np", "def sigmoid(z):\n    return z / 0 + q"]
    raising = _grade_notebook(tmp_path / "raising.ipynb", cells)
    assert "raising.ipynb, cell 2, line 2, in sigmoid" in raising.checks[0].message
