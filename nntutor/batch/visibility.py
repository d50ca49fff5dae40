"""Which checks students see, from an instructor's TOML file (``--visibility FILE``)::

    [cost]
    hidden = ["a single example (m = 1)"]   # a case: every check it makes
    [gradient_descent]
    after_due_date = ["*"]                  # every check of the exercise

A check not named stays visible. Rules apply to the outputs, not to what is stored, so
changing them needs no regrading.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from nntutor.core.results import Visibility

Rules = dict[str, dict[str, Visibility]]
_KINDS: tuple[Visibility, ...] = ("hidden", "after_due_date")


def load_rules(path: Path) -> Rules:
    """Read and check a rules file; raises ValueError with a one-line reason."""
    from nntutor.core.grader import MUTATION_CHECK
    from nntutor.core.specs import all_specs

    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ValueError(f"cannot read {path}: {exc.strerror}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ValueError(f"{path} is not valid TOML: {exc}") from None
    specs = all_specs()
    rules: Rules = {}
    for exercise, table in data.items():
        if exercise not in specs:
            raise ValueError(f"{path}: [{exercise}] is not an exercise id")
        if not isinstance(table, dict) or set(table) - set(_KINDS):
            raise ValueError(f"{path}: [{exercise}] may only set {' and '.join(_KINDS)}")
        spec = specs[exercise]
        cases = {case.name for case in spec.cases("standard")}
        known = cases | {MUTATION_CHECK, "*"}
        for kind in _KINDS:
            names = table.get(kind, [])
            if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
                raise ValueError(f"{path}: [{exercise}] {kind} must be a list of check names")
            for name in names:
                if name not in known:
                    choices = "; ".join(sorted(cases))
                    raise ValueError(f"{path}: [{exercise}] has no check {name!r} ({choices})")
                rules.setdefault(exercise, {})[name] = kind
    return rules


def _visibility(check_name: str, rules: dict[str, Visibility]) -> Visibility:
    for name, kind in rules.items():
        # A case's checks are named after it: "<case>" or "<case>: final w".
        if name == "*" or check_name == name or check_name.startswith(name + ": "):
            return kind
    return "visible"


def apply_rules(row: dict[str, Any], rules: Rules) -> dict[str, Any]:
    """``row`` (a submission's JSON result) with each check's visibility set by ``rules``."""
    exercises = []
    for exercise in row.get("exercises", []):
        own = rules.get(exercise["id"], {})
        checks = [{**c, "visibility": _visibility(c["name"], own)} for c in exercise["checks"]]
        exercises.append({**exercise, "checks": checks})
    return {**row, "exercises": exercises}
