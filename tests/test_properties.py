"""Property tests of the wire protocol, sanitising, the comparison and the references."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from nntutor.child import wire
from nntutor.core.compare import Tolerance, compare
from nntutor.core.sanitise import sanitise
from nntutor.reference import logistic as ref

DTYPES = st.sampled_from(["float64", "float32", "int64", "int32", "bool", "uint8"])
finite = st.floats(-1e6, 1e6, allow_nan=False)


@given(hnp.arrays(DTYPES, hnp.array_shapes(min_dims=0, max_dims=3, max_side=5)))
def test_arrays_round_trip_through_the_wire(array: np.ndarray) -> None:
    back = wire.decode(wire.loads(wire.dumps({"op": "x", "v": wire.encode(array)}))["v"])
    assert back.dtype == array.dtype and back.shape == array.shape
    assert np.array_equal(back, array, equal_nan=True)


@given(
    st.recursive(
        st.none() | st.booleans() | st.integers(-(10**6), 10**6) | finite | st.text(max_size=20),
        lambda inner: st.lists(inner, max_size=4) | st.tuples(inner, inner),
        max_leaves=10,
    )
)
def test_plain_values_round_trip(value: object) -> None:
    assert wire.decode(wire.encode(value)) == value


@given(
    st.sampled_from([np.float16, np.float32, np.float64, float]),
    st.floats(allow_nan=True, allow_infinity=True, width=16),
)
def test_float_scalars_round_trip_even_when_not_finite(kind: type, x: float) -> None:
    # np.float64 is a float subclass whose repr is "np.float64(nan)" under NumPy 2.
    back = wire.decode(wire.loads(wire.dumps({"op": "x", "v": wire.encode(kind(x))}))["v"])
    assert back == kind(x) or (np.isnan(back) and np.isnan(x))


@given(st.text(max_size=50))
@example("lone \ud800 and \udfff surrogates, \ufffe\uffff noncharacters, \x00\x1b[31m\r")
def test_sanitised_text_can_be_written_to_utf8_and_xml(text: str) -> None:
    clean = sanitise(text)
    clean.encode("utf-8")  # lone surrogates would raise here
    element = ET.Element("failure", message=clean)
    element.text = clean
    assert ET.fromstring(ET.tostring(element, "unicode")).get("message") == clean


def test_the_wire_refuses_object_arrays_and_bad_records() -> None:
    encoded = wire.encode(np.array([object()], dtype=object))
    assert isinstance(wire.decode(encoded), wire.Opaque)
    with pytest.raises(wire.WireError):
        wire.decode({"__ndarray__": "AAAA", "dtype": "|O", "shape": [1]})
    with pytest.raises(wire.WireError):
        wire.decode({"__ndarray__": "AAAA", "dtype": "<f8", "shape": [7]})
    with pytest.raises(wire.WireError):
        wire.loads(b"[1, 2]")


@given(
    hnp.arrays(np.float64, hnp.array_shapes(min_dims=1, max_dims=2, max_side=6), elements=finite)
)
def test_an_array_matches_itself(array: np.ndarray) -> None:
    assert compare(array, array.copy()).ok


@given(hnp.arrays(np.float64, st.integers(1, 20), elements=finite), st.data())
def test_a_perturbed_value_is_found_at_its_index(array: np.ndarray, data) -> None:
    index = data.draw(st.integers(0, array.size - 1))
    got = array.copy()
    got[index] += 1.0 + abs(array[index])
    verdict = compare(array, got, Tolerance(1e-6, 1e-8))
    assert not verdict.ok and verdict.stage == "values"
    assert verdict.details["first_bad_index"] == [index]


@given(st.integers(1, 8))
def test_a_column_is_a_shape_failure_that_explains_itself(m: int) -> None:
    verdict = compare(np.zeros(m), np.zeros((m, 1)))
    assert verdict.stage == "shape" and "(m,)" in verdict.message


@given(hnp.arrays(np.float64, st.integers(1, 30), elements=st.floats(-2000, 2000)))
def test_the_reference_sigmoid_is_stable_and_bounded(z: np.ndarray) -> None:
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        g = ref.sigmoid(z)
        assert np.all((g >= 0) & (g <= 1))
        assert np.allclose(ref.sigmoid(-z), 1 - g, atol=1e-12)
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        assert ref.compute_cost(
            np.array([[1000.0]]), np.array([0.0]), np.array([1.0]), 0.0
        ) == pytest.approx(1000.0)


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 10_000), st.integers(1, 12), st.integers(1, 4))
def test_the_reference_gradient_matches_central_differences(seed: int, m: int, n: int) -> None:
    rng = np.random.default_rng(seed)
    X, y = rng.normal(size=(m, n)), (rng.random(m) < 0.5).astype(float)
    w, b = rng.normal(size=n), float(rng.normal())
    dj_db, dj_dw = ref.compute_gradient(X, y, w, b)
    h = 1e-6
    numeric_w = np.array(
        [
            (ref.compute_cost(X, y, w + h * e, b) - ref.compute_cost(X, y, w - h * e, b)) / (2 * h)
            for e in np.eye(n)
        ]
    )
    numeric_b = (ref.compute_cost(X, y, w, b + h) - ref.compute_cost(X, y, w, b - h)) / (2 * h)
    assert np.allclose(dj_dw, numeric_w, rtol=1e-5, atol=1e-7)
    assert dj_db == pytest.approx(numeric_b, rel=1e-5, abs=1e-7)


@given(st.integers(0, 10_000), st.integers(1, 12), st.integers(1, 4))
def test_the_reference_cost_is_the_mean_loss(seed: int, m: int, n: int) -> None:
    rng = np.random.default_rng(seed)
    X, y = rng.normal(size=(m, n)), (rng.random(m) < 0.5).astype(float)
    w, b = rng.normal(size=n), float(rng.normal())
    losses = ref.compute_loss(ref.compute_model_output(X, w, b), y)
    assert ref.compute_cost(X, y, w, b) == pytest.approx(float(np.mean(losses)), rel=1e-9)
