"""Comparing a learner's value with the expected one, in a fixed order of stages.

type -> shape -> dtype -> finite -> values: the first stage that fails gives the message,
so a learner hears about a ``(m, 1)`` column before a thousand wrong numbers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from nntutor.child.wire import Opaque


@dataclass(frozen=True)
class Tolerance:
    """``|got - expected| <= atol + rtol * |expected|``, elementwise (``np.isclose``)."""

    rtol: float = 1e-6
    atol: float = 1e-8

    def describe(self) -> str:
        return f"rtol {self.rtol:g}, atol {self.atol:g}"


EXACT = Tolerance(0.0, 0.0)


@dataclass
class Verdict:
    ok: bool
    stage: str = "values"
    message: str = ""
    details: dict[str, Any] = field(default_factory=dict)


def show(value: Any) -> str:
    """A short, readable rendering of a value for messages."""
    if isinstance(value, np.ndarray):
        body = np.array2string(
            value, precision=6, threshold=8, edgeitems=3, separator=", ", max_line_width=88
        )
        return f"{body} (shape {value.shape}, dtype {value.dtype})" if value.ndim else body
    if isinstance(value, float | np.floating):
        return f"{float(value):.8g}"
    if isinstance(value, list | tuple) and len(value) > 6:
        return f"{type(value).__name__} of {len(value)} items [{show(value[0])}, ...]"
    if isinstance(value, list | tuple):
        inner = ", ".join(show(v) for v in value)
        return f"({inner})" if isinstance(value, tuple) else f"[{inner}]"
    return repr(value)[:300]


def describe_type(value: Any) -> str:
    if value is None:
        return "None"
    if isinstance(value, Opaque):
        return f"a value of type {value.type_name} ({value.text})"
    if isinstance(value, np.ndarray):
        return f"a NumPy array of shape {value.shape}"
    if isinstance(value, bool):
        return "a bool"
    if isinstance(value, int | float | np.number):
        return f"a {type(value).__name__} ({show(value)})"
    if isinstance(value, list | tuple):
        return f"a {type(value).__name__} of {len(value)} item(s)"
    return f"a {type(value).__name__}"


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float | np.number) and not isinstance(value, bool)


def compare(
    expected: Any,
    got: Any,
    tol: Tolerance = Tolerance(),
    what: str = "the result",
    integer: bool = False,
) -> Verdict:
    """Compare a scalar or an array result. ``integer``: exact 0/1-style labels."""
    expected_arr = np.asarray(expected)
    scalar = expected_arr.ndim == 0
    if got is None:
        return Verdict(False, "type", f"{what} is None — is a `return` statement missing?")
    if scalar:
        if isinstance(got, np.ndarray) and got.ndim == 0:
            got = got[()]
        if isinstance(got, np.ndarray):
            return Verdict(
                False,
                "shape",
                f"{what} should be a single number (a scalar), got an array of shape "
                f"{got.shape} — reduce it (np.sum / np.mean) or take the element",
                {"expected_shape": [], "got_shape": list(got.shape)},
            )
        if not _is_number(got):
            return Verdict(False, "type", f"{what} should be a number, got {describe_type(got)}")
        got_arr = np.asarray(got)
    else:
        if not isinstance(got, np.ndarray):
            extra = ""
            if isinstance(got, list | tuple):
                extra = (
                    " — build it with NumPy operations (or np.array(...)) so it keeps "
                    "its shape and works with the rest of the code"
                )
            return Verdict(
                False,
                "type",
                f"{what} should be a NumPy array of shape {expected_arr.shape}, "
                f"got {describe_type(got)}{extra}",
            )
        got_arr = got
        if got_arr.shape != expected_arr.shape:
            return Verdict(
                False,
                "shape",
                _shape_message(what, expected_arr.shape, got_arr.shape),
                {"expected_shape": list(expected_arr.shape), "got_shape": list(got_arr.shape)},
            )
    if got_arr.dtype.kind == "c":
        return Verdict(False, "dtype", f"{what} has complex dtype {got_arr.dtype}")
    if not integer and got_arr.dtype.kind in "biu":
        return Verdict(
            False,
            "dtype",
            f"{what} has integer dtype {got_arr.dtype}, expected floats — is a "
            "value being rounded, or built with np.zeros(..., dtype=int)?",
            {"got_dtype": str(got_arr.dtype)},
        )
    got_f = got_arr.astype(float)
    exp_f = expected_arr.astype(float)
    bad_finite = ~np.isfinite(got_f) & np.isfinite(exp_f)
    if bad_finite.any():
        index = _first(bad_finite)
        return Verdict(
            False,
            "finite",
            f"{what} contains {show(got_f[index] if index else got_f.item())} "
            f"{_at(index)}where {show(exp_f[index] if index else exp_f.item())} was "
            "expected — an overflow in np.exp, or log(0)?",
            {"first_bad_index": list(index) if index else None},
        )
    close = np.isclose(got_f, exp_f, rtol=tol.rtol, atol=tol.atol)
    if close.all():
        return Verdict(True)
    error = np.abs(got_f - exp_f)
    details = {
        "expected": show(expected_arr if not scalar else float(exp_f)),
        "got": show(got_arr if not scalar else got_arr.item()),
        "max_abs_error": float(np.nanmax(error)),
        "tolerance": tol.describe(),
    }
    if scalar:
        message = (
            f"{what} is {show(got_arr.item())}, expected {show(float(exp_f))} "
            f"(abs error {float(error):.3g}, tolerance {tol.describe()})"
        )
    else:
        index = _first(~close)
        details["first_bad_index"] = list(index)
        details["wrong"] = int((~close).sum())
        message = (
            f"{int((~close).sum())} of {close.size} values of {what} are wrong; first at "
            f"index {_index(index)}: got {show(got_f[index])}, expected "
            f"{show(exp_f[index])}; max abs error {details['max_abs_error']:.3g} "
            f"(tolerance {tol.describe()})"
        )
    return Verdict(False, "values", message, details)


def _shape_message(what: str, expected: tuple[int, ...], got: tuple[int, ...]) -> str:
    message = f"{what} has shape {got}, expected {expected}"
    if len(expected) == 1 and got in ((expected[0], 1), (1, expected[0])):
        message += (
            " — a 2-D column or row instead of a flat array. X @ w with w of shape "
            "(n,) already gives (m,); a reshape(-1, 1), keepdims=True or a w of shape "
            "(n, 1) makes the extra axis"
        )
    return message


def _first(mask: np.ndarray) -> tuple[int, ...]:
    return tuple(int(i) for i in np.argwhere(mask)[0]) if mask.ndim else ()


def _index(index: tuple[int, ...]) -> str:
    return str(index[0]) if len(index) == 1 else str(index)


def _at(index: tuple[int, ...]) -> str:
    return f"at index {_index(index)} " if index else ""


def same(a: Any, b: Any, tol: Tolerance = Tolerance()) -> bool:
    """Whether two values match structurally within ``tol`` (for naming mistakes)."""
    if isinstance(a, tuple | list) or isinstance(b, tuple | list):
        return (
            isinstance(a, tuple | list)
            and isinstance(b, tuple | list)
            and len(a) == len(b)
            and all(same(x, y, tol) for x, y in zip(a, b, strict=True))
        )
    try:
        a_arr, b_arr = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    except (TypeError, ValueError):
        return False
    return a_arr.shape == b_arr.shape and bool(
        np.allclose(a_arr, b_arr, rtol=tol.rtol, atol=tol.atol, equal_nan=True)
    )
