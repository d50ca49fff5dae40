"""Small modal screens: help, confirmation, the reference solution, a finished track."""

from __future__ import annotations

from typing import ClassVar

from rich.syntax import Syntax
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Markdown, Static

HELP = """\
# nntutor keys

- `r` — grade the current exercise now
- `n` / `p` — next / previous exercise
- `h` — reveal the next hint (shown under the lesson)
- `e` — open your file in `$EDITOR` (the app waits, then comes back)
- `i` — edit your file inside the app (`ctrl+s` saves and grades, `escape` closes)
- `l` — jump to the exercise list (enter opens an exercise)
- `x` — reset the exercise to its starter file (asks first)
- `s` — show the reference solution, once you have passed the exercise
- `c` — show the training curve
- `ctrl+p` — command palette: every action, any exercise, themes
- `?` — this help
- `q` — quit (your progress is saved after every grading)

**Watch mode**: saving your file grades it. If saving does nothing on your
system (network drives, WSL), start with `nntutor --manual` and press `r`.

In the results (tab to the table, then the arrow keys) each check shows its inputs,
what was expected and what your code returned, and the mistake it looks like.
The command palette also switches between dark and light themes. escape closes this help.
"""


class HelpScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark", "dismiss", "Close"),
    ]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help", classes="dialog"):
            yield Markdown(HELP)


class ConfirmScreen(ModalScreen[bool]):
    """A yes/no question; dismisses with True for yes."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Yes"),
        Binding("n,escape", "answer(False)", "No"),
    ]

    def __init__(self, question: str, yes: str = "Yes") -> None:
        super().__init__()
        self.question, self.yes = question, yes

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm", classes="dialog"):
            yield Label(self.question, id="question")
            with Horizontal(id="buttons"):
                yield Button(f"{self.yes} (y)", variant="error", id="yes")
                yield Button("No (n)", variant="primary", id="no")

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)


class SolutionScreen(ModalScreen[None]):
    """The reference implementation of a passed exercise."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,q,s", "dismiss", "Close")]

    def __init__(self, title: str, source: str) -> None:
        super().__init__()
        self.title_text, self.source = title, source

    def compose(self) -> ComposeResult:
        with Vertical(id="solution", classes="dialog"):
            yield Label(self.title_text, classes="dialog-title")
            with VerticalScroll():
                yield Static(
                    Syntax(
                        self.source,
                        "python",
                        theme="monokai" if self.app.current_theme.dark else "default",
                        background_color="default",
                        line_numbers=True,
                        word_wrap=True,
                    )
                )
            yield Label("Compare it with yours. escape closes.", classes="dim")


class CelebrationScreen(ModalScreen[None]):
    """Shown once, when the last exercise of a track passes."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,enter,q", "dismiss", "Close")]

    def __init__(self, message: str) -> None:
        super().__init__()
        self.message = message

    def compose(self) -> ComposeResult:
        with Vertical(id="celebration", classes="dialog"):
            yield Static("★  Track complete  ★", id="celebration-title")
            yield Static(self.message)
            yield Button("Onwards (enter)", variant="success", id="onwards")

    def on_button_pressed(self) -> None:
        self.dismiss()
