"""Helpers for the TUI tests: correct code to paste, waiting for gradings."""

from __future__ import annotations

import ast
from pathlib import Path

from textual.pilot import Pilot

from nntutor.tui.app import NNTutorApp

SUBMISSIONS = Path(__file__).resolve().parents[1] / "submissions"


def correct_source(function: str) -> str:
    """The imports and one function of tests/submissions/correct_vectorised.py."""
    text = (SUBMISSIONS / "correct_vectorised.py").read_text(encoding="utf-8")
    tree = ast.parse(text)
    imports = [
        ast.get_source_segment(text, node)
        for node in tree.body
        if isinstance(node, ast.Import | ast.ImportFrom)
    ]
    (node,) = [n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == function]
    return "\n".join(imports) + "\n\n\n" + ast.get_source_segment(text, node) + "\n"


def mistake_source(mistake: str) -> str:
    """A whole-file submission with one classic mistake (correct code plus the mistake)."""
    correct = (SUBMISSIONS / "correct_vectorised.py").read_text(encoding="utf-8")
    return correct + "\n\n" + (SUBMISSIONS / "mistakes" / f"{mistake}.py").read_text()


async def settle(app: NNTutorApp, pilot: Pilot) -> None:
    """Wait for every worker but the watcher, then for the messages they posted."""
    await pilot.pause()
    await app.workers.wait_for_complete([w for w in app.workers if w.group == "grade"])
    await pilot.pause()
    await pilot.pause()
