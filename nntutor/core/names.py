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


def likeness(name: str, function: str) -> float:
    """How much ``name`` looks like ``function``: 1 for the same letters, 0.9 when it
    contains it (sigmoid_function), else difflib's ratio, all ignoring case and underscores."""
    a, b = _normal(name), _normal(function)
    if a == b:
        return 1.0
    if b in a:
        return 0.9
    return difflib.SequenceMatcher(None, a, b).ratio()


def near_misses(
    target: str, candidates: Iterable[str], functions: Iterable[str], taken: set[str]
) -> list[str]:
    """Up to three of the learner's names that look like a misspelt ``target``.

    A name is suggested only for the exercise function it looks most like (computeCost is
    compute_cost's, not compute_loss's); names in ``taken`` (exercises, their aliases) and
    test helpers never are.
    """
    functions = list(functions)
    scored = []
    for name in candidates:
        if name in taken or _normal(name).startswith("test") or name.endswith("_test"):
            continue
        best = max(functions, key=lambda f: likeness(name, f))
        score = likeness(name, target)
        if best == target and score >= 0.75:
            scored.append((-score, name))
    return [name for _, name in sorted(scored)[:3]]


def missing_message(function: str, suggestions: list[str]) -> str:
    message = f"{function}() is not defined in your file"
    if suggestions:
        names = " or ".join(f"{s}()" for s in suggestions)
        message += (
            f". Did you mean {names}? nntutor finds functions by their exact names: "
            f"rename it to {function} (or call it from a function named {function})."
        )
    return message
