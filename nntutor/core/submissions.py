"""Turning what an instructor points at into Python files to grade.

A submission is a ``.py`` file, a Jupyter notebook, a folder (a workspace or a folder of
``.py`` files) or a ``.zip`` of any of these. Each becomes a :class:`Submission`: the ``.py``
files to grade in order, notes on what was changed, and, when it cannot be graded, an
error in words an instructor can act on. Nothing here raises for a bad submission.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import stat
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from nntutor.child.places import CELL_MARKER, NOTEBOOK_HEADER

MAX_FILE_BYTES = 5 << 20
MAX_ZIP_BYTES = 50 << 20
MAX_ZIP_MEMBERS = 2000
NOTEBOOK = ".ipynb"
# Notebook lines that are IPython, not Python: magics, shell escapes (also assigned, as in
# `files = !ls`), help queries.
_IPYTHON_LINE = re.compile(
    r"^\s*(%|!|\?)|^\s*[\w.]+\?\??\s*$|^\s*[\w.]+(\s*,\s*[\w.]+)*\s*=\s*[!%]"
)


@dataclass
class Submission:
    """One submission, ready to grade: ``files`` in grading order, or an ``error`` (what is
    wrong with it, to be shown after its name)."""

    name: str
    files: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    error: str | None = None

    def digest(self) -> str:
        """A hash of what is graded (file names and contents, or the error)."""
        h = hashlib.sha256()
        if self.error:
            h.update(b"error\0" + self.error.encode())
        for file in self.files:
            h.update(os.path.basename(file).encode() + b"\0")
            h.update(Path(file).read_bytes() + b"\0")
        return h.hexdigest()


def notebook_to_python(path: Path) -> tuple[str, list[str]]:
    """The code cells of a notebook, in order, as one script; IPython lines commented out.

    Raises ValueError with a readable reason when the file is not a notebook.
    """
    import nbformat

    try:
        text = path.read_text(encoding="utf-8")
        json.loads(text)  # nbformat's own error does not say where the JSON breaks
        notebook = nbformat.reads(text, as_version=4)
    except UnicodeDecodeError as exc:
        raise ValueError(f"it is not UTF-8 text (byte {exc.start})") from None
    except json.JSONDecodeError as exc:
        raise ValueError(f"it is not valid notebook JSON (line {exc.lineno}: {exc.msg})") from None
    except Exception as exc:  # nbformat raises several kinds for malformed notebooks
        raise ValueError(f"it is not a readable notebook ({type(exc).__name__}: {exc})") from None
    parts, skipped, cell_magics = [NOTEBOOK_HEADER + path.name], 0, []
    for number, cell in enumerate(notebook.cells, start=1):
        if cell.get("cell_type") != "code":
            continue
        source = str(cell.get("source", ""))
        magic = source.lstrip().split(maxsplit=1)[0] if source.strip() else ""
        if magic.startswith("%%"):  # the whole cell is for the magic (%%bash, %%writefile)
            cell_magics.append(f"cell {number} ({magic})")
            parts.append(f"{CELL_MARKER}{number} ---\n# nntutor skipped this {magic} cell")
            continue
        lines = []
        for line in source.splitlines():
            if _IPYTHON_LINE.match(line):
                skipped += 1
                indent = line[: len(line) - len(line.lstrip())]
                lines.append(f"{indent}pass  # nntutor skipped an IPython line: {line.strip()}")
            else:
                lines.append(line)
        parts.append(f"{CELL_MARKER}{number} ---\n" + "\n".join(lines))
    notes = []
    if skipped:
        notes.append(
            f"{path.name}: {skipped} shell/magic line(s) (%, !, ?) were skipped: they are "
            "IPython commands, not Python"
        )
    if cell_magics:
        notes.append(
            f"{path.name}: skipped {', '.join(cell_magics)}: a cell magic makes the whole "
            "cell something other than Python"
        )
    return "\n\n".join(parts) + "\n", notes


def _read_python(path: Path) -> str | None:
    """None when ``path`` is readable UTF-8 text of a sane size, else the reason."""
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            return f"{path.name} is larger than {MAX_FILE_BYTES >> 20} MB"
        path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        return f"{path.name} is not UTF-8 text (byte {exc.start}); save it as UTF-8"
    except OSError as exc:
        return f"cannot read {path.name}: {exc.strerror}"
    return None


def extract_zip(archive: Path, target: Path) -> None:
    """Extract safely: no absolute or ``..`` paths, no links, capped count and size.

    Raises ValueError with the reason.
    """
    try:
        with zipfile.ZipFile(archive) as zf:
            members = zf.infolist()
            if len(members) > MAX_ZIP_MEMBERS:
                raise ValueError(f"it holds more than {MAX_ZIP_MEMBERS} files")
            if sum(m.file_size for m in members) > MAX_ZIP_BYTES:
                raise ValueError(f"it unpacks to more than {MAX_ZIP_BYTES >> 20} MB")
            for member in members:
                name = PurePosixPath(member.filename.replace("\\", "/"))
                if name.is_absolute() or ".." in name.parts or ":" in member.filename:
                    raise ValueError(f"it holds an unsafe path: {member.filename!r}")
                if stat.S_ISLNK(member.external_attr >> 16):
                    raise ValueError(f"it holds a symbolic link: {member.filename!r}")
                if name.parts and name.parts[0] == "__MACOSX":
                    continue
                destination = target.joinpath(*name.parts)
                if member.is_dir():
                    destination.mkdir(parents=True, exist_ok=True)
                    continue
                destination.parent.mkdir(parents=True, exist_ok=True)
                with zf.open(member) as source, destination.open("wb") as sink:
                    # Read at most the declared size + 1: a lying header cannot fill the disk.
                    data = source.read(member.file_size + 1)
                    if len(data) > member.file_size:
                        raise ValueError(f"{member.filename!r} is bigger than it declares")
                    sink.write(data)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, NotImplementedError) as exc:
        raise ValueError(f"it is not a readable zip file ({exc})") from None
    except OSError as exc:
        raise ValueError(f"it could not be unpacked ({exc.strerror or exc})") from None


def _visible(entries: list[Path]) -> list[Path]:
    return sorted(p for p in entries if not p.name.startswith((".", "_")))


def _single_root(folder: Path) -> Path:
    """A zip often wraps everything in one folder: descend into it."""
    while True:
        entries = _visible(list(folder.iterdir()))
        if len(entries) == 1 and entries[0].is_dir():
            folder = entries[0]
        else:
            return folder


def collect(path: str | os.PathLike[str], workdir: Path, whole: bool = False) -> Submission:
    """The files to grade for one submission; converted files are written under ``workdir``.

    ``whole``: ``path`` is a folder that is one student's submission (Gradescope's), so
    all its ``.py`` files and notebooks are graded together.
    """
    source = Path(path)
    submission = Submission(name=str(path))
    try:
        if whole and source.is_dir():
            _collect_whole_folder(submission, source, workdir)
        else:
            _collect_into(submission, source, workdir, depth=0)
    except ValueError as exc:
        submission.files = []
        submission.error = str(exc)
    if not submission.error and not submission.files:
        submission.error = "it holds no Python file or notebook to grade"
    return submission


def _collect_into(submission: Submission, source: Path, workdir: Path, depth: int) -> None:
    if not source.exists() and not source.is_symlink():
        raise ValueError("no such file or folder")
    if source.is_dir():
        _collect_folder(submission, source, workdir, depth)
    elif not source.is_file():
        raise ValueError("it is not a regular file or folder")
    elif source.suffix == ".py":
        error = _read_python(source)
        if error:
            raise ValueError(error)
        submission.files.append(str(source.resolve()))
    elif source.suffix == NOTEBOOK:
        try:
            text, notes = notebook_to_python(source)
        except OSError as exc:
            raise ValueError(f"cannot read it: {exc.strerror}") from None
        workdir.mkdir(parents=True, exist_ok=True)
        target = workdir / f"{len(submission.files):02d}_{source.stem}.py"
        target.write_text(text, encoding="utf-8")
        submission.files.append(str(target))
        submission.notes += notes
    elif source.suffix == ".zip" and depth == 0:
        unpacked = workdir / "unzipped"
        unpacked.mkdir(parents=True, exist_ok=True)
        extract_zip(source, unpacked)
        _collect_folder(submission, _single_root(unpacked), workdir / "converted", depth + 1)
    else:
        raise ValueError("it is not a .py file, a notebook (.ipynb), a folder or a .zip")


def _collect_folder(submission: Submission, folder: Path, workdir: Path, depth: int) -> None:
    """A folder's ``.py`` files (a workspace, a folder of files), else its notebooks."""
    try:
        entries = _visible(list(folder.iterdir()))
    except OSError as exc:
        raise ValueError(f"cannot read the folder: {exc.strerror}") from None
    python = [p for p in entries if p.suffix == ".py" and p.is_file()]
    notebooks = [p for p in entries if p.suffix == NOTEBOOK and p.is_file()]
    chosen = python or notebooks
    if not chosen:
        zips = [p for p in entries if p.suffix == ".zip" and p.is_file()]
        if len(zips) == 1 and depth == 0:
            _collect_into(submission, zips[0], workdir, depth)
        return
    if python and notebooks:
        submission.notes.append(
            f"graded the .py files; the notebook(s) beside them were ignored: "
            f"{', '.join(p.name for p in notebooks)}"
        )
    for entry in chosen:
        _collect_into(submission, entry, workdir, depth + 1)


def _collect_whole_folder(submission: Submission, folder: Path, workdir: Path) -> None:
    """Every ``.py`` file, then every notebook, of ``folder``; other files are noted."""
    try:
        entries = _visible(list(_single_root(folder).iterdir()))
    except OSError as exc:
        raise ValueError(f"cannot read the folder: {exc.strerror}") from None
    python = [p for p in entries if p.suffix == ".py" and p.is_file()]
    notebooks = [p for p in entries if p.suffix == NOTEBOOK and p.is_file()]
    ignored = [p.name for p in entries if p not in python and p not in notebooks]
    if ignored:
        submission.notes.append(
            f"only .py files and notebooks are graded; ignored: {', '.join(ignored)}"
        )
    chosen = python + notebooks
    if len(chosen) > 1:
        submission.notes.append(
            f"graded {', '.join(p.name for p in chosen)} together, in this order: a function "
            "defined in several of them is graded as the last one defines it"
        )
    for entry in chosen:
        _collect_into(submission, entry, workdir, depth=1)


def is_folder_of_submissions(folder: Path) -> bool:
    """True for a folder holding submissions (sub-folders, notebooks or zips), not code."""
    if not folder.is_dir() or (folder / ".nntutor").is_dir():
        return False
    try:
        entries = _visible(list(folder.iterdir()))
    except OSError:
        return False
    if any(p.suffix == ".py" for p in entries):
        return False
    return len(entries) > 1 or any(p.is_dir() for p in entries)


def expand(paths: list[str]) -> list[str]:
    """Each path as one submission; a folder of submissions becomes its entries."""
    out: list[str] = []
    for raw in paths:
        path = Path(raw)
        if is_folder_of_submissions(path):
            out += [str(p) for p in _visible(list(path.iterdir()))]
        else:
            out.append(raw)
    return out
