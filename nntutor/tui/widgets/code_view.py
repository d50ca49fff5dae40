"""The learner's file, syntax highlighted, read-only (edit with e or i)."""

from __future__ import annotations

from pathlib import Path

from rich.syntax import Syntax
from textual.containers import VerticalScroll
from textual.widgets import Static


class CodeView(VerticalScroll):
    """Shows a Python file; follows the app's light or dark theme."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.path: Path | None = None
        self.code = ""

    def compose(self):
        yield Static(id="code")

    def on_mount(self) -> None:
        self.app.theme_changed_signal.subscribe(self, lambda _theme: self._render_code())

    def show(self, path: Path) -> None:
        """Read ``path`` again and redraw (a missing file shows how to get it back)."""
        self.path = path
        try:
            self.code = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            self.code = f"# Cannot read {path.name}: {exc}\n# Press x to restore the starter."
        self._render_code()

    def _render_code(self) -> None:
        dark = self.app.current_theme.dark
        syntax = Syntax(
            self.code,
            "python",
            theme="monokai" if dark else "default",
            line_numbers=True,
            word_wrap=True,
            background_color="default",
        )
        self.query_one("#code", Static).update(syntax)
