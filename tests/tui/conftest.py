"""Fixtures for the TUI tests: a home of our own, a fresh workspace, apps on it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from nntutor.core.workspace import Workspace
from nntutor.tui.app import NNTutorApp


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A home folder of our own, so paths shown as ~/... are the same on every run."""
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("EDITOR", raising=False)
    monkeypatch.delenv("VISUAL", raising=False)
    return tmp_path


@pytest.fixture
def workspace(home: Path) -> Workspace:
    return Workspace.create(home / "ws")


@pytest.fixture
def make_app(workspace: Workspace) -> Callable[..., NNTutorApp]:
    """Apps on the test workspace; the file watcher is replaced by injected messages."""

    def make(**kwargs) -> NNTutorApp:
        return NNTutorApp(Workspace.open(workspace.root), watch=False, **kwargs)

    return make
