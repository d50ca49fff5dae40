"""The main screen: catalogue | lesson | code, results and curve; a status line; keys."""

from __future__ import annotations

from typing import ClassVar

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Header, Markdown, TabbedContent, TabPane

from nntutor.core.catalogue import Catalogue
from nntutor.tui.widgets.catalogue import CataloguePanel
from nntutor.tui.widgets.code_view import CodeView
from nntutor.tui.widgets.curve import CurvePanel
from nntutor.tui.widgets.results import ResultsPanel
from nntutor.tui.widgets.status import StatusLine

# Below this width the catalogue hides and opens over the lesson with l.
NARROW = 100


class MainScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "app.grade", "Grade"),
        Binding("n", "app.next", "Next"),
        Binding("p", "app.previous", "Prev"),
        Binding("h", "app.hint", "Hint"),
        Binding("e", "app.edit", "Edit"),
        Binding("i", "app.edit_inside", "Editor", show=False),
        Binding("l", "list", "List"),
        Binding("x", "app.reset", "Reset"),
        Binding("s", "app.solution", "Solution"),
        Binding("c", "app.show_tab('curve')", "Curve", show=False),
        Binding("question_mark", "app.help", "Help"),
        Binding("q", "app.quit", "Quit"),
        Binding("escape", "hide_list", "Close list", show=False),
    ]

    class Ready(Message):
        """Every widget is mounted and laid out: the app can fill them."""

    def __init__(self, catalogue: Catalogue) -> None:
        super().__init__()
        self.catalogue = catalogue

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="body"):
            yield CataloguePanel(self.catalogue, id="catalogue")
            with VerticalScroll(id="lesson"):
                yield Markdown(id="lesson-text")
            with TabbedContent(id="work", initial="code"):
                with TabPane("Code", id="code"):
                    yield CodeView(id="code-view")
                with TabPane("Results", id="results"):
                    yield ResultsPanel(id="results-panel")
                with TabPane("Curve", id="curve"):
                    yield CurvePanel(id="curve-panel")
        yield StatusLine(id="status")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        # Filled only once laid out: the first resize sets -narrow, which resets every
        # widget's styles, and a Static updated before that layout keeps its stale height
        # (at 80x24 the code showed one line).
        self.call_after_refresh(self.post_message, self.Ready())

    def on_resize(self, event: events.Resize) -> None:
        narrow = event.size.width < NARROW
        self.set_class(narrow, "-narrow")
        # At 80 columns every key fits only without the palette's entry (ctrl+p still works,
        # and the help screen lists it).
        self.query_one(Footer).show_command_palette = not narrow

    def action_list(self) -> None:
        self.add_class("-show-list")
        self.query_one("#exercises").focus()

    def action_hide_list(self) -> None:
        self.remove_class("-show-list")
