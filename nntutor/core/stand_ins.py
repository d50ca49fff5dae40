"""The grader-side functions a child may ask for while a later step runs ("stand-ins").

When ``compute_cost`` is graded, the learner's own ``sigmoid`` is swapped for one of these,
so one bug costs points in one exercise only. They run here, in the grader.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from nntutor.child.wire import StandIn
from nntutor.reference import logistic, network


class StandInRefused(PermissionError):
    """The child asked for a stand-in that the exercise being graded does not use."""


STAND_INS: dict[str, Callable[..., Any]] = {
    "sigmoid": logistic.sigmoid,
    "compute_model_output": logistic.compute_model_output,
    "compute_loss": logistic.compute_loss,
    "compute_cost": logistic.compute_cost,
    "compute_gradient": logistic.compute_gradient,
    # A second activation for my_dense's checks: the learner must apply the g it is given.
    "tanh": np.tanh,
}


def _activation(g: Any) -> Any:
    """The grader-side function for an activation the child sent back by name."""
    if isinstance(g, StandIn) and g.name in STAND_INS:
        return STAND_INS[g.name]
    raise TypeError(
        f"g must be an activation function such as sigmoid (the one nntutor provides); got {g!r}"
    )


def _my_dense(a_in: Any, W: Any, b: Any, g: Any) -> Any:
    return network.my_dense(np.asarray(a_in), np.asarray(W), np.asarray(b), _activation(g))


STAND_INS["my_dense"] = _my_dense


def register(name: str, function: Callable[..., Any]) -> None:
    """Make another reference function available as a stand-in (the Keras track adds some)."""
    STAND_INS[name] = function


# The grader computes stand-ins on shapes the learner's code chooses: refuse any that
# would make it allocate far more than a check needs ((m, 1) against (m,) is quadratic).
MAX_ELEMENTS = 2_000_000


def _check_sizes(args: list[Any], kwargs: dict[str, Any]) -> None:
    arrays = [np.shape(a) for a in [*args, *kwargs.values()] if isinstance(a, np.ndarray)]
    try:
        broadcast = np.broadcast_shapes(*arrays) if arrays else ()
    except ValueError:
        broadcast = ()  # not broadcastable: the function itself will say what is wrong
    for shape in [*arrays, broadcast]:
        if int(np.prod(shape)) > MAX_ELEMENTS:
            raise ValueError(
                f"arrays of shape {' and '.join(map(str, arrays))} are far larger "
                "than any check needs (is an (m, 1) column meeting an (m,) array?)"
            )


def call_stand_in(name: str, args: list[Any], kwargs: dict[str, Any]) -> Any:
    try:
        function = STAND_INS[name]
    except KeyError:
        raise KeyError(f"no stand-in named {name!r}") from None
    _check_sizes(args, kwargs)
    return function(*args, **kwargs)
