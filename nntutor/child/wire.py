"""Data-only encoding of values between grader and child: JSON with tagged arrays.

Never pickle: the grader decodes only numbers, strings, sequences and numeric arrays, so a
hostile child cannot make it run code. Shared by both sides; standard library and numpy only.
"""

from __future__ import annotations

import base64
import json
import math
from typing import Any

import numpy as np

# Arrays bigger than this are described, not sent: a gigantic return value must not
# exhaust the grader's memory.
MAX_ARRAY_ELEMENTS = 2_000_000
MAX_STRING = 2_000
MAX_ITEMS = 10_000
_NUMERIC_KINDS = "biufc"

# Bound once at import so that a submission that monkeypatches numpy or json cannot break
# the encoding of its own results.
_ndarray, _generic, _dtype = np.ndarray, np.generic, np.dtype
_frombuffer = np.frombuffer
_b64encode, _b64decode = base64.b64encode, base64.b64decode
_json_dumps, _json_loads = json.dumps, json.loads


class WireError(ValueError):
    """A message that is not valid protocol data."""


class StandIn:
    """Marker for an argument that the child replaces with a grader-backed function."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return f"<nntutor's {self.name}>"


class Opaque:
    """A child value that could not be sent as data: its type and a short repr."""

    def __init__(self, type_name: str, text: str) -> None:
        self.type_name = type_name
        self.text = text

    def __repr__(self) -> str:
        return f"<{self.type_name}: {self.text}>"


def encode(value: Any, depth: int = 0) -> Any:
    """Turn a value into JSON-ready data; anything exotic becomes an ``Opaque`` record."""
    if depth > 20:
        return {"__opaque__": type(value).__name__, "text": "nested too deeply"}
    if value is None or isinstance(value, bool | str):
        return value[:MAX_STRING] if isinstance(value, str) else value
    if isinstance(value, int):
        return value if abs(value) < 2**53 else float(value)
    if isinstance(value, float):
        return value if math.isfinite(value) else {"__float__": repr(float(value))}
    if isinstance(value, StandIn):
        return {"__stand_in__": value.name}
    if isinstance(value, _generic) and value.dtype.kind in _NUMERIC_KINDS:
        return {"__npscalar__": value.dtype.str, "value": encode(value.item(), depth + 1)}
    if isinstance(value, _ndarray):
        return _encode_array(value)
    if isinstance(value, list | tuple):
        items = [encode(v, depth + 1) for v in value[:MAX_ITEMS]]
        return {
            "__seq__": type(value).__name__ if type(value) in (list, tuple) else "list",
            "items": items,
            "truncated": len(value) > MAX_ITEMS,
        }
    if isinstance(value, dict):
        pairs = list(value.items())[:MAX_ITEMS]
        return {"__dict__": [[encode(k, depth + 1), encode(v, depth + 1)] for k, v in pairs]}
    return {"__opaque__": type(value).__name__, "text": _short_repr(value)}


def _short_repr(value: Any) -> str:
    try:
        text = repr(value)
    except Exception as exc:  # a hostile __repr__ must not break the protocol
        text = f"<repr failed: {type(exc).__name__}>"
    return text[:200]


def _encode_array(arr: np.ndarray) -> Any:
    if arr.dtype.kind not in _NUMERIC_KINDS:
        return {
            "__opaque__": f"ndarray[{arr.dtype}]",
            "text": _short_repr(arr),
            "shape": list(arr.shape),
        }
    if arr.size > MAX_ARRAY_ELEMENTS:
        return {
            "__opaque__": "ndarray",
            "text": f"an array of shape {arr.shape} ({arr.size:,} elements) is too large to send",
            "shape": list(arr.shape),
        }
    # Not np.ascontiguousarray: it turns a 0-d array into shape (1,).
    data = arr if arr.flags.c_contiguous else arr.copy(order="C")
    return {
        "__ndarray__": _b64encode(data.tobytes()).decode("ascii"),
        "dtype": data.dtype.str,
        "shape": list(data.shape),
    }


def decode(data: Any) -> Any:
    """Inverse of :func:`encode`; raises :class:`WireError` on anything unexpected.

    Whatever a hostile child sends (bad dtypes, shapes, base64, keys), the grader sees only
    WireError, never another exception that would end the grading of everything else.
    """
    try:
        return _decode(data, 0)
    except WireError:
        raise
    except Exception as exc:
        raise WireError(f"malformed value: {type(exc).__name__}: {exc}") from None


def _decode(data: Any, depth: int) -> Any:
    if depth > 25:
        raise WireError("nested too deeply")
    if data is None or isinstance(data, bool | int | float | str):
        return data
    if isinstance(data, list):
        raise WireError("bare JSON list")
    if not isinstance(data, dict):
        raise WireError(f"unexpected {type(data).__name__}")
    if "__ndarray__" in data:
        dtype = _dtype(str(data["dtype"]))
        if dtype.kind not in _NUMERIC_KINDS:
            raise WireError(f"refused dtype {dtype}")
        shape = tuple(int(s) for s in data["shape"])
        raw = _b64decode(data["__ndarray__"], validate=True)
        if math.prod(shape) * dtype.itemsize != len(raw):
            raise WireError("array size does not match its shape")
        return _frombuffer(raw, dtype=dtype).reshape(shape).copy()
    if "__float__" in data:
        return float(data["__float__"])
    if "__npscalar__" in data:
        dtype = _dtype(str(data["__npscalar__"]))
        if dtype.kind not in _NUMERIC_KINDS:
            raise WireError(f"refused dtype {dtype}")
        return dtype.type(_decode(data["value"], depth + 1))
    if "__seq__" in data:
        items = [_decode(v, depth + 1) for v in data["items"]]
        return tuple(items) if data["__seq__"] == "tuple" else items
    if "__dict__" in data:
        return {
            _hashable(_decode(k, depth + 1)): _decode(v, depth + 1) for k, v in data["__dict__"]
        }
    if "__stand_in__" in data:
        return StandIn(str(data["__stand_in__"]))
    if "__opaque__" in data:
        return Opaque(str(data["__opaque__"])[:100], str(data.get("text", ""))[:MAX_STRING])
    raise WireError(f"unknown record with keys {sorted(data)[:5]}")


def _hashable(key: Any) -> Any:
    return key if isinstance(key, str | int | float | bool | type(None) | tuple) else repr(key)


def dumps(message: dict[str, Any]) -> bytes:
    """One protocol message as a JSON line."""
    return _json_dumps(message, separators=(",", ":")).encode("utf-8") + b"\n"


def loads(line: bytes) -> dict[str, Any]:
    try:
        message = _json_loads(line)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise WireError(f"not a JSON message: {exc}") from None
    if not isinstance(message, dict) or "op" not in message:
        raise WireError("a message must be an object with an 'op'")
    return message
