"""Finding the learner's function for an exercise: its name, an older lab's name, or a
near miss to point out ("did you mean ...?")."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from typing import Any


def _normal(name: str) -> str:
    return name.replace("_", "").lower()


def find_function(
    function: str, aliases: Mapping[str, str], functions: Mapping[str, dict[str, Any]]
) -> tuple[str, dict[str, Any]] | None:
    """The name to call and its description: ``function`` itself, else the first alias the
    learner defined. Stand-ins nntutor provided do not count."""
    for name in (function, *aliases):
        info = functions.get(name)
        if info is not None and not info.get("stand_in"):
            return name, info
    return None


def near_misses(target: str, candidates: Iterable[str], taken: set[str]) -> list[str]:
    """Up to three of the learner's names that look like a misspelt ``target``.

    Names of other exercises (and their aliases) and test helpers are never suggested.
    """
    pool = [
        c
        for c in candidates
        if c not in taken and not _normal(c).startswith("test") and not c.endswith("_test")
    ]
    want = _normal(target)
    same = [c for c in pool if _normal(c) == want]
    close = difflib.get_close_matches(target, pool, n=3, cutoff=0.75)
    containing = [c for c in pool if want in _normal(c)]
    return list(dict.fromkeys(same + close + containing))[:3]


def missing_message(function: str, suggestions: list[str]) -> str:
    message = f"{function}() is not defined in your file"
    if suggestions:
        names = " or ".join(f"{s}()" for s in suggestions)
        message += (
            f". Did you mean {names}? nntutor finds functions by their exact names: "
            f"rename it to {function} (or call it from a function named {function})."
        )
    return message
