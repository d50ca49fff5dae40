"""The grader-side functions a child may ask for while a later step runs ("stand-ins").

When ``compute_cost`` is graded, the learner's own ``sigmoid`` is swapped for one of these,
so one bug costs points in one exercise only. They run here, in the grader.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from nntutor.reference import logistic

STAND_INS: dict[str, Callable[..., Any]] = {
    "sigmoid": logistic.sigmoid,
    "compute_model_output": logistic.compute_model_output,
    "compute_loss": logistic.compute_loss,
    "compute_cost": logistic.compute_cost,
    "compute_gradient": logistic.compute_gradient,
}


def register(name: str, function: Callable[..., Any]) -> None:
    """Make another reference function available as a stand-in (the Keras track adds some)."""
    STAND_INS[name] = function


def call_stand_in(name: str, args: list[Any], kwargs: dict[str, Any]) -> Any:
    try:
        function = STAND_INS[name]
    except KeyError:
        raise KeyError(f"no stand-in named {name!r}") from None
    return function(*args, **kwargs)
