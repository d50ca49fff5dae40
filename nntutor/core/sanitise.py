"""Make text from learner code safe to show in a terminal and to write into any report."""

from __future__ import annotations

import re

# CSI/OSC/other escape sequences first, then any remaining C0/C1 control character.
_ESCAPES = re.compile(r"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)?|[@-Z\\-_])")
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# Lone surrogates cannot be encoded as UTF-8, and U+FFFE/U+FFFF are not allowed in XML:
# either would break writing a gradebook or a JUnit report for the whole class.
_UNWRITABLE = re.compile("[\ud800-\udfff\ufffe\uffff]")


def sanitise(text: str, limit: int = 4_000) -> str:
    """Strip escape sequences and control characters (keeps newlines and tabs), replace
    characters no UTF-8 or XML file can hold with U+FFFD, then cap."""
    text = _CONTROLS.sub("", _ESCAPES.sub("", text.replace("\r\n", "\n")))
    text = _UNWRITABLE.sub("\ufffd", text)
    if len(text) > limit:
        text = text[:limit] + f"\n[... {len(text) - limit:,} more characters not shown]"
    return text
