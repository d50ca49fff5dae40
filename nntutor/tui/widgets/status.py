"""The status line: one line that words itself to fit the terminal's width."""

from __future__ import annotations

from textual import events
from textual.content import Content
from textual.widgets import Static


class StatusLine(Static):
    """Shows the longest of the wordings it was given that fits, or else the shortest."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.wordings: list[Content] = []

    def say(self, *wordings: str) -> None:
        """``wordings``: Textual markup, longest first, each saying the same facts."""
        self.wordings = [Content.from_markup(wording) for wording in wordings]
        self._fit()

    def on_resize(self, _event: events.Resize) -> None:
        self._fit()

    def _fit(self) -> None:
        if not self.wordings:
            return
        width = self.content_size.width
        fitting = (w for w in self.wordings if w.cell_length <= width)
        self.update(next(fitting, self.wordings[-1]))
