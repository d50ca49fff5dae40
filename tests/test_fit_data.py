"""What fit received, related to what nntutor gave: named without TensorFlow."""

import numpy as np
import pytest

from nntutor.core import data
from nntutor.core.fit_data import relate
from nntutor.core.specs.keras import _compile_problem, _data_problem

X, Y = data.roast_quality(1301, 128)
BCE_ADAM = {
    "loss": {"kind": "object", "class": "BinaryCrossentropy", "name": "binary_crossentropy"},
    "optimizer": {"class": "Adam", "learning_rate": 0.001},
}


def test_the_same_data_as_a_float64_copy_or_a_column_is_the_same() -> None:
    assert relate(X, X.astype(np.float64)).kind == "same"
    assert relate(Y, Y.reshape(-1, 1)).kind == "same"


def test_a_slice_says_where_it_starts_and_stops() -> None:
    relation = relate(X, X[:-10])
    assert (relation.kind, relation.start, relation.stop, relation.rows) == ("part", 0, 118, 118)
    picked = relate(X, X[::2])
    assert (picked.kind, picked.rows, picked.start) == ("part", 64, None)


def test_rescaled_normalised_reordered_and_other_data_are_told_apart() -> None:
    scaled = relate(X, X / 10)
    assert scaled.kind == "scaled" and scaled.factor == pytest.approx(0.1)
    standardised = (X - X.mean(axis=0)) / X.std(axis=0)
    assert relate(X, standardised).kind == "transformed"
    assert relate(X, X[::-1]).kind == "reordered"
    assert relate(X, np.zeros_like(X)).kind == "other"
    assert relate(X, np.concatenate([X, X])).kind == "other"
    assert relate(X, None).kind == "missing"


def _fit(x: np.ndarray, y: np.ndarray, **settings: object) -> dict:
    return {"x": {"values": x}, "y": {"values": y}, "validation_split": 0.0, **settings}


def test_each_data_mistake_is_named_with_what_was_done() -> None:
    message, mistake = _data_problem(_fit(X[:-10], Y[:-10]), X, Y) or ("", None)
    assert mistake is not None and mistake.id == "train_part_of_data" and "X[0:118]" in message
    message, mistake = _data_problem(_fit(X / 10, Y), X, Y) or ("", None)
    assert mistake is not None and mistake.id == "train_rescaled_data" and "X / 10" in message
    message, mistake = _data_problem(_fit(X, 1 - Y), X, Y) or ("", None)
    assert mistake is not None and mistake.id == "train_rescaled_data" and "1 - y" in message
    message, mistake = _data_problem(_fit(X, Y, validation_split=0.2), X, Y) or ("", None)
    assert (
        mistake is not None and mistake.id == "train_part_of_data" and "102 of the 128" in message
    )
    message, mistake = _data_problem(_fit(X, Y, batch_size=16), X, Y) or ("", None)
    assert mistake is not None and mistake.id == "train_wrong_data" and "8 batches" in message
    assert _data_problem(_fit(X, Y, batch_size=32), X, Y) is None


def test_a_recompiled_loss_or_optimizer_is_named_from_what_fit_ran_with() -> None:
    assert _compile_problem(BCE_ADAM) is None
    mse = {**BCE_ADAM, "loss": {"kind": "string", "name": "mse"}}
    message, mistake = _compile_problem(mse) or ("", None)
    assert mistake is not None and mistake.id == "train_recompiled_loss" and "mse" in message
    faster = {**BCE_ADAM, "optimizer": {"class": "Adam", "learning_rate": 0.01}}
    message, mistake = _compile_problem(faster) or ("", None)
    assert mistake is not None and mistake.id == "train_recompiled_optimizer"
    assert "learning rate 0.01" in message
