"""Make text from learner code safe to show in a terminal."""

from __future__ import annotations

import re

# CSI/OSC/other escape sequences first, then any remaining C0/C1 control character.
_ESCAPES = re.compile(r"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)?|[@-Z\\-_])")
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def sanitise(text: str, limit: int = 4_000) -> str:
    """Strip escape sequences and control characters (keeps newlines and tabs), then cap."""
    text = _CONTROLS.sub("", _ESCAPES.sub("", text.replace("\r\n", "\n")))
    if len(text) > limit:
        text = text[:limit] + f"\n[... {len(text) - limit:,} more characters not shown]"
    return text
