"""Naming a line of learner code the way the learner sees it: "lab.ipynb, cell 3, line 2"
for a script made from a notebook, "lab.py, line 12" otherwise."""

from __future__ import annotations

import os
from functools import cache

# The first line of a script made from a notebook, and the marker before each code cell.
NOTEBOOK_HEADER = "# nntutor: the code cells of "
CELL_MARKER = "# --- cell "


@cache
def _lines(filename: str) -> tuple[str, ...]:
    try:
        with open(filename, encoding="utf-8") as f:
            return tuple(f.read().splitlines())
    except (OSError, UnicodeDecodeError):
        return ()


def place(filename: str, lineno: int) -> str:
    """Where line ``lineno`` (1-based) of ``filename`` is, in the learner's terms."""
    lines = _lines(filename)
    if not lines or not lines[0].startswith(NOTEBOOK_HEADER):
        return f"{os.path.basename(filename)}, line {lineno}"
    notebook = lines[0].removeprefix(NOTEBOOK_HEADER)
    for index in range(min(lineno, len(lines)) - 1, 0, -1):
        if lines[index].startswith(CELL_MARKER):
            cell = lines[index].removeprefix(CELL_MARKER).split()[0]
            return f"{notebook}, cell {cell}, line {lineno - index - 1}"
    return f"{notebook}, line {lineno}"
