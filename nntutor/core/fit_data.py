"""How the data a learner passed to ``fit`` relates to the data nntutor gave them.

The child reports the arrays ``fit`` received (:func:`nntutor.child.probes.describe_fit`);
:func:`relate` compares one of them with the grader's own copy and says what was done to it:
nothing, a slice of the rows, a rescaling, a per-feature transformation, a reordering.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

# The learner may pass a float64 copy or a tensor of the float32 data: float32 precision.
RTOL, ATOL = 1e-5, 1e-6


@dataclass(frozen=True)
class Relation:
    """``kind``: same | part | scaled | transformed | reordered | other | missing.

    ``part``: ``rows`` of the given rows, ``start``/``stop`` when they are one slice;
    ``scaled``: every value multiplied by ``factor``; ``shape`` is what fit received.
    """

    kind: str
    shape: tuple[int, ...] | None = None
    rows: int | None = None
    start: int | None = None
    stop: int | None = None
    factor: float | None = None


def relate(given: np.ndarray, fed: np.ndarray | None) -> Relation:
    """What ``fed`` (what fit received) is, compared with ``given`` (m, ...) (what nntutor gave)."""
    if fed is None or fed.dtype.kind not in "biuf":
        return Relation("missing")
    shape = tuple(int(n) for n in fed.shape)
    m = given.shape[0]
    rows_given = given.reshape(m, -1).astype(np.float64)
    width = rows_given.shape[1]
    if fed.size == 0 or fed.size % width:
        return Relation("other", shape)
    rows_fed = fed.reshape(-1, width).astype(np.float64)
    k = rows_fed.shape[0]
    if k == m and _close(rows_fed, rows_given):
        # A (m,) y given as (m, 1) is the same data: Keras reads it the same way.
        return Relation("same", shape)
    if k < m:
        return _part(rows_given, rows_fed, shape)
    if k > m:
        return Relation("other", shape)
    scale = float(np.vdot(rows_fed, rows_given) / max(np.vdot(rows_given, rows_given), 1e-30))
    if scale != 0.0 and _close(rows_fed, scale * rows_given):
        return Relation("scaled", shape, factor=scale)
    if _affine_per_column(rows_given, rows_fed):
        return Relation("transformed", shape)
    if _close(_sorted_rows(rows_fed), _sorted_rows(rows_given)):
        return Relation("reordered", shape)
    return Relation("other", shape)


def _close(a: np.ndarray, b: np.ndarray) -> bool:
    return a.shape == b.shape and bool(np.allclose(a, b, rtol=RTOL, atol=ATOL))


def _part(rows_given: np.ndarray, rows_fed: np.ndarray, shape: tuple[int, ...]) -> Relation:
    """Fewer rows than given: one slice of them, some of them, or other data."""
    k, m = rows_fed.shape[0], rows_given.shape[0]
    for start in range(m - k + 1):
        if _close(rows_given[start : start + k], rows_fed):
            return Relation("part", shape, rows=k, start=start, stop=start + k)
    if all(np.isclose(rows_given, row, rtol=RTOL, atol=ATOL).all(axis=1).any() for row in rows_fed):
        return Relation("part", shape, rows=k)
    return Relation("other", shape)


def _affine_per_column(rows_given: np.ndarray, rows_fed: np.ndarray) -> bool:
    """Each fed column is a * column + b of the given one (standardised, min-max scaled...)."""
    for given, fed in zip(rows_given.T, rows_fed.T, strict=True):
        design = np.column_stack([given, np.ones_like(given)])
        coefficients, *_ = np.linalg.lstsq(design, fed, rcond=None)
        if coefficients[0] == 0.0 or not _close(design @ coefficients, fed):
            return False
    return True


def _sorted_rows(rows: np.ndarray) -> np.ndarray:
    return rows[np.lexsort(rows.T[::-1])]
