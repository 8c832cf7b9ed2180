"""A run's problems as ``dangjian check`` shows them: grouped by file for people, or JSON for other tools.

Every line keeps the ``path:line: severity: message (hint)`` form, so that an editor can jump
to it; files are separated by a blank line. The JSON is deterministic: problems sorted, keys in
a fixed order, Chinese as is (``ensure_ascii=False``).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence

from generator.core.errors import Problem, Severity, sort_problems

JSON_FORMAT = 1
"""Bump when the shape of the JSON report changes."""


def grouped(problems: Iterable[Problem]) -> list[str]:
    """The problems sorted, one a line, with a blank line between the files they are in."""
    lines: list[str] = []
    last: str | None = None
    for problem in sort_problems(problems):
        if last is not None and problem.path != last:
            lines.append("")
        lines.append(problem.format())
        last = problem.path
    return lines


def tally(problems: Iterable[Problem]) -> dict[str, int]:
    """How many problems of each severity: ``{"errors": 1, "warnings": 0, "infos": 2}``."""
    found = {severity: 0 for severity in Severity}
    for problem in problems:
        found[problem.severity] += 1
    return {"errors": found[Severity.ERROR], "warnings": found[Severity.WARNING], "infos": found[Severity.INFO]}


def as_json(problems: Sequence[Problem], passed: bool, strict: bool,
            stories: int | None = None, pages: int | None = None) -> str:
    """The report as one JSON document: ``{"format", "problems": [...], "summary": {...}}``."""
    ordered = sort_problems(problems)
    document = {
        "format": JSON_FORMAT,
        "problems": [{"path": p.path, "line": p.line, "severity": p.severity.value, "message": p.message,
                      "hint": p.hint} for p in ordered],
        "summary": {**tally(ordered), "passed": passed, "strict": strict, "stories": stories, "pages": pages},
    }
    return json.dumps(document, ensure_ascii=False, indent=2)
