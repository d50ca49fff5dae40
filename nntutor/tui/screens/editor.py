"""The in-app editor: Textual's code editor on the learner's file."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Footer, Label

from nntutor.core.workspace import write_atomically
from nntutor.tui.messages import EditorSaved
from nntutor.tui.screens.modals import ConfirmScreen

if TYPE_CHECKING:
    from textual.widgets import TextArea


class EditorScreen(Screen[bool]):
    """Edit one file; ``ctrl+s`` saves (the app grades it), dismisses True if it was saved."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save and grade", priority=True),
        Binding("escape", "close", "Close editor", priority=True),
    ]

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path
        self.saved_text = path.read_text(encoding="utf-8")
        self.saved_once = False

    def compose(self) -> ComposeResult:
        yield Label(
            f"Editing {self.path.name}  (ctrl+s save and grade · escape close)", id="editor-title"
        )
        # Imported here: TextArea imports tree-sitter (for highlighting), which would add
        # its import time to every start-up. Without tree-sitter it edits plain text.
        from textual.widgets import TextArea

        self.editor: TextArea = TextArea.code_editor(
            self.saved_text, language="python", id="editor"
        )
        yield self.editor
        yield Footer(compact=True)

    @property
    def text(self) -> str:
        return self.editor.text

    def action_save(self) -> None:
        write_atomically(self.path, self.text)
        self.saved_text, self.saved_once = self.text, True
        self.app.post_message(EditorSaved(self.path))

    def action_close(self) -> None:
        if self.text == self.saved_text:
            self.dismiss(self.saved_once)
            return

        def answered(discard: bool | None) -> None:
            if discard:
                self.dismiss(self.saved_once)

        self.app.push_screen(
            ConfirmScreen("Close the editor and lose your unsaved changes?", yes="Discard changes"),
            answered,
        )
