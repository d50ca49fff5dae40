"""Helpers for batch tests: a class of submissions in every accepted shape."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from tests.conftest import CORRECT_VECTORISED, SUBMISSIONS

MISTAKES = SUBMISSIONS / "mistakes"


def correct_plus(code: str) -> str:
    """The correct solution followed by ``code`` (later definitions win)."""
    return CORRECT_VECTORISED.read_text(encoding="utf-8") + "\n\n" + code


def notebook(cells: list[str]) -> str:
    return json.dumps(
        {
            "nbformat": 4,
            "nbformat_minor": 5,
            "metadata": {},
            "cells": [
                {
                    "cell_type": "code",
                    "id": f"c{i}",
                    "metadata": {},
                    "execution_count": None,
                    "outputs": [],
                    "source": source,
                }
                for i, source in enumerate(cells)
            ],
        }
    )


@pytest.fixture
def classroom(tmp_path: Path) -> Path:
    """A folder of submissions: a file, a mistaken file, a notebook, a folder, a zip and two
    broken ones."""
    room = tmp_path / "class"
    room.mkdir()
    (room / "ada.py").write_text(CORRECT_VECTORISED.read_text(encoding="utf-8"))
    (room / "bob.py").write_text(correct_plus((MISTAKES / "cost_not_divided_by_m.py").read_text()))
    source = CORRECT_VECTORISED.read_text(encoding="utf-8")
    (room / "cy.ipynb").write_text(notebook(["%matplotlib inline\n!pip install numpy", source]))
    folder = room / "dee"
    folder.mkdir()
    (folder / "part1.py").write_text(source)
    with zipfile.ZipFile(room / "eve.zip", "w") as zf:
        zf.writestr(
            "eve/solution.py", correct_plus((MISTAKES / "sigmoid_sign_flipped.py").read_text())
        )
    (room / "fay.ipynb").write_text("{ this is not json")
    (room / "gus.zip").write_bytes(b"PK\x03\x04 not really a zip")
    return room
