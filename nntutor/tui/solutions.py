"""The reference solution of an exercise, read as source text (never imported).

Importing nntutor.reference would pull NumPy or TensorFlow into the TUI process; parsing the
files with ``ast`` gives the function's source at no cost.
"""

from __future__ import annotations

import ast
from pathlib import Path

import nntutor

REFERENCE_DIR = Path(nntutor.__file__).resolve().parent / "reference"


def reference_source(function: str, folder: Path = REFERENCE_DIR) -> str | None:
    """The source of ``def function`` in the reference modules, or None if none defines it."""
    for module in sorted(folder.glob("*.py")):
        text = module.read_text(encoding="utf-8")
        try:
            tree = ast.parse(text)
        except SyntaxError:
            continue
        for node in tree.body:
            if isinstance(node, ast.FunctionDef) and node.name == function:
                return ast.get_source_segment(text, node, padded=True)
    return None
