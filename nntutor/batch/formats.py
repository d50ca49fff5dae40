"""Batch outputs: a CSV gradebook, Gradescope ``results.json``, JUnit XML, a class summary.

Every function takes result dicts in the shape of
:func:`nntutor.core.results.submission_to_dict` with *all* checks (hidden ones too: these
outputs are for instructors and platforms, which hide checks themselves).
"""

from __future__ import annotations

import csv
import io
import statistics
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Sequence
from typing import Any

Row = dict[str, Any]
# What ``nntutor grade --format`` prints: the human table and four machine formats.
# Our visibility -> Gradescope's (the names happen to agree; the mapping keeps it explicit).
GRADESCOPE_VISIBILITY = {
    "visible": "visible",
    "hidden": "hidden",
    "after_due_date": "after_due_date",
}
GRADESCOPE_STATUS = {"passed": "passed", "failed": "failed", "error": "failed"}


def exercise_columns(rows: Sequence[Row]) -> list[str]:
    """Exercise ids in the order they were graded, across all rows."""
    seen: dict[str, None] = {}
    for row in rows:
        for ex in row.get("exercises", []):
            seen.setdefault(ex["id"], None)
    return list(seen)


def gradebook_csv(rows: Sequence[Row]) -> str:
    """One line per submission: submission, score, max_score, error, then one column per
    exercise (its score)."""
    columns = exercise_columns(rows)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["submission", "score", "max_score", "error", *columns])
    for row in rows:
        scores = {ex["id"]: ex["score"] for ex in row.get("exercises", [])}
        writer.writerow(
            [
                row["submission"],
                f"{row['score']:g}",
                f"{row['max_score']:g}",
                (row.get("error") or "").splitlines()[0] if row.get("error") else "",
                *(f"{scores[c]:g}" if c in scores else "" for c in columns),
            ]
        )
    return buffer.getvalue()


def _check_output(check: Row) -> str:
    parts = [check.get("message") or ""]
    if check.get("hint"):
        parts.append(f"Hint: {check['hint']}")
    return "\n".join(p for p in parts if p)


def gradescope(row: Row, execution_time: float | None = None) -> Row:
    """The Gradescope ``results.json`` of one submission (its documented field names)."""
    tests = []
    for number, ex in enumerate(row.get("exercises", []), start=1):
        for sub, check in enumerate(ex.get("checks", []), start=1):
            tests.append(
                {
                    "score": check["score"],
                    "max_score": check["max_score"],
                    "status": GRADESCOPE_STATUS[check["status"]],
                    "name": f"{ex['id']}: {check['name']}",
                    "name_format": "text",
                    "number": f"{number}.{sub}",
                    "output": _check_output(check),
                    "output_format": "text",
                    "tags": [ex["id"]] + ([check["mistake"]] if check.get("mistake") else []),
                    "visibility": GRADESCOPE_VISIBILITY.get(check["visibility"], "hidden"),
                    "extra_data": {"exercise": ex["id"], "mistake": check.get("mistake")},
                }
            )
    output = [f"This submission could not be graded: {row['error']}"] if row.get("error") else []
    output += [f"note: {note}" for note in row.get("notes", [])]
    result: Row = {
        "score": row["score"],
        "output": "\n".join(output),
        "output_format": "text",
        "test_output_format": "text",
        "test_name_format": "text",
        "visibility": "visible",
        "stdout_visibility": "hidden",
        "extra_data": {"submission": row["submission"], "max_score": row["max_score"]},
        "tests": tests,
    }
    if execution_time is not None:
        result["execution_time"] = round(execution_time, 3)
    return result


def junit_xml(rows: Sequence[Row]) -> str:
    """JUnit XML: one ``testsuite`` per submission, one ``testcase`` per check."""
    suites = ET.Element("testsuites", name="nntutor")
    totals = Counter[str]()
    for row in rows:
        suite = ET.SubElement(suites, "testsuite", name=row["submission"])
        if row.get("seconds") is not None:
            suite.set("time", f"{row['seconds']:.3f}")
        counts = Counter[str]()
        if row.get("error"):
            case = ET.SubElement(suite, "testcase", classname=row["submission"], name="loads")
            ET.SubElement(case, "error", message=row["error"].splitlines()[0]).text = row["error"]
            counts.update(tests=1, errors=1)
        for ex in row.get("exercises", []):
            for check in ex.get("checks", []):
                case = ET.SubElement(
                    suite,
                    "testcase",
                    classname=f"{row['submission']}.{ex['id']}",
                    name=check["name"],
                )
                properties = ET.SubElement(case, "properties")
                for key in ("score", "max_score", "visibility", "mistake"):
                    if check.get(key) is not None:
                        ET.SubElement(properties, "property", name=key, value=str(check[key]))
                counts.update(tests=1)
                if check["status"] != "passed":
                    tag = "error" if check["status"] == "error" else "failure"
                    message = (check.get("message") or check["status"]).splitlines()[0]
                    ET.SubElement(case, tag, message=message).text = _check_output(check)
                    counts.update({"errors" if tag == "error" else "failures": 1})
        for key in ("tests", "failures", "errors"):
            suite.set(key, str(counts[key]))
        totals.update(counts)
    for key in ("tests", "failures", "errors"):
        suites.set(key, str(totals[key]))
    ET.indent(suites)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(suites, "unicode") + "\n"


def summary(rows: Sequence[Row], mistake_titles: dict[str, str] | None = None) -> Row:
    """What to re-teach: score distribution, checks most often failed, mistakes most named."""
    titles = mistake_titles or {}
    graded = [r for r in rows if not r.get("error")]
    # An unreadable submission scores 0 of the full maximum and counts; a grader fault
    # (no maximum: nothing was graded) says nothing about the class.
    percents = [100.0 * r["score"] / r["max_score"] for r in rows if r["max_score"]]
    buckets = Counter(min(int(p // 10), 9) for p in percents)
    failed: Counter[str] = Counter()
    mistakes: Counter[str] = Counter()
    for row in graded:
        for ex in row.get("exercises", []):
            for check in ex.get("checks", []):
                if check["status"] != "passed":
                    failed[f"{ex['id']}: {check['name']}"] += 1
            # A mistake counts once per submission and exercise, however many cases show it.
            mistakes.update({c["mistake"] for c in ex.get("checks", []) if c.get("mistake")})
    return {
        "submissions": len(rows),
        "graded": len(graded),
        "errors": [
            {"submission": r["submission"], "error": r["error"]} for r in rows if r.get("error")
        ],
        "score_percent": {
            "mean": round(statistics.fmean(percents), 2) if percents else None,
            "median": round(statistics.median(percents), 2) if percents else None,
            "min": round(min(percents), 2) if percents else None,
            "max": round(max(percents), 2) if percents else None,
            "histogram": {f"{10 * b}-{10 * b + 10}%": buckets.get(b, 0) for b in range(10)},
        },
        "most_failed_checks": [{"check": k, "submissions": n} for k, n in failed.most_common(10)],
        "most_named_mistakes": [
            {"mistake": k, "title": titles.get(k, k), "submissions": n}
            for k, n in mistakes.most_common(10)
        ],
    }


def summary_markdown(data: Row) -> str:
    """The class summary as Markdown for the instructor to read."""
    score = data["score_percent"]
    lines = [
        "# Class summary",
        "",
        f"{data['graded']} of {data['submissions']} submissions graded"
        + (f"; {len(data['errors'])} could not be graded." if data["errors"] else "."),
        "",
        "## Scores (percent of the maximum)",
        "",
    ]
    if score["mean"] is not None:
        lines.append(
            f"mean {score['mean']:g}, median {score['median']:g}, "
            f"min {score['min']:g}, max {score['max']:g}"
        )
        lines.append("")
        width = max(score["histogram"].values()) or 1
        for bucket, count in score["histogram"].items():
            lines.append(f"    {bucket:>8} | {'#' * round(20 * count / width):<20} {count}")
    lines += ["", "## Checks most often failed", ""]
    lines += [f"- {c['check']} — {c['submissions']}" for c in data["most_failed_checks"]] or [
        "- none"
    ]
    lines += ["", "## Mistakes most often named", ""]
    lines += [
        f"- {m['title']} (`{m['mistake']}`) — {m['submissions']}"
        for m in data["most_named_mistakes"]
    ] or ["- none"]
    if data["errors"]:
        lines += ["", "## Could not be graded", ""]
        lines += [f"- {e['submission']}: {e['error'].splitlines()[0]}" for e in data["errors"]]
    return "\n".join(lines) + "\n"
