"""Problems found in a site's sources, and how they are shown to the user."""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum


class Severity(StrEnum):
    """How serious a problem is: errors stop the build, warnings do not (unless strict), infos only inform."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


# Sorted most serious first within a line (the enum's values would sort "info" before "warning").
_RANK = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}


class Problem:
    """One thing wrong in one source file, at one line (0 when the line is unknown).

    Immutable, hashable and ordered by (path, line, severity, message, hint), severities most
    serious first (error, warning, info). A plain class,
    not a dataclass: a build with nothing to do imports this module, and ``dataclasses``
    (through ``inspect``) would take a tenth of that build's time to import.
    """

    __slots__ = ("hint", "line", "message", "path", "severity")
    path: str
    line: int
    severity: Severity
    message: str
    hint: str

    def __init__(self, path: str, line: int, severity: Severity, message: str, hint: str = "") -> None:
        init = object.__setattr__
        init(self, "path", path)
        init(self, "line", line)
        init(self, "severity", severity)
        init(self, "message", message)
        init(self, "hint", hint)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"Problem is immutable: cannot set {name}")

    def _key(self) -> tuple[str, int, str, str, str]:
        return self.path, self.line, self.severity, self.message, self.hint

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Problem) and self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def _order(self) -> tuple[str, int, int, str, str]:
        return self.path, self.line, _RANK[self.severity], self.message, self.hint

    def __lt__(self, other: Problem) -> bool:
        return self._order() < other._order()

    def __repr__(self) -> str:
        return f"Problem{self._key()!r}"

    def __reduce__(self) -> tuple[type[Problem], tuple[str, int, str, str, str]]:
        return Problem, self._key()

    def format(self) -> str:
        """Render as ``path:line: error: message (hint)``."""
        where = f"{self.path}:{self.line}" if self.line else self.path
        text = f"{where}: {self.severity.value}: {self.message}"
        return f"{text} ({self.hint})" if self.hint else text


def error(path: str, line: int, message: str, hint: str = "") -> Problem:
    """Make an error problem."""
    return Problem(path, line, Severity.ERROR, message, hint)


def warning(path: str, line: int, message: str, hint: str = "") -> Problem:
    """Make a warning problem."""
    return Problem(path, line, Severity.WARNING, message, hint)


def info(path: str, line: int, message: str, hint: str = "") -> Problem:
    """Make an info problem: worth knowing, never a failure (shown by ``dangjian check`` only)."""
    return Problem(path, line, Severity.INFO, message, hint)


def has_errors(problems: Iterable[Problem]) -> bool:
    """Tell whether any problem is an error."""
    return any(p.severity is Severity.ERROR for p in problems)


def fails(problems: Iterable[Problem], strict: bool = False) -> bool:
    """Tell whether these problems fail a run: any error, or with ``strict`` any warning too."""
    failing = (Severity.ERROR, Severity.WARNING) if strict else (Severity.ERROR,)
    return any(p.severity in failing for p in problems)


def without_infos(problems: Iterable[Problem]) -> list[Problem]:
    """The errors and warnings only: what ``build`` and ``serve`` show (infos are for ``check``)."""
    return [p for p in problems if p.severity is not Severity.INFO]


def sort_problems(problems: Iterable[Problem]) -> list[Problem]:
    """Sort by file, then line, without duplicates."""
    # A key made once per problem: ``__lt__`` would make two on every comparison (thousands of warnings).
    return sorted(set(problems), key=Problem._order)


def counts(problems: Iterable[Problem], errors: bool = True) -> str:
    """Say how many errors (unless told not to) and warnings there are, and infos when there are any."""
    items = list(problems)
    found = {severity: 0 for severity in Severity}
    for problem in items:
        found[problem.severity] += 1
    parts = [f"{found[Severity.ERROR]} 个错误"] if errors else []
    parts.append(f"{found[Severity.WARNING]} 个警告")
    if found[Severity.INFO]:
        parts.append(f"{found[Severity.INFO]} 条提示")
    return "，".join(parts)


def summary(problems: Iterable[Problem], failed: str = "构建失败", unchanged: str = "输出文件夹未作任何改动。",
            strict: bool = False) -> str:
    """Say in one line how many errors and warnings there are, and what was left unchanged."""
    items = list(problems)
    if fails(items, strict):
        return f"{failed}：{counts(items)}。{unchanged}"
    return f"{counts(items, errors=False)}。"


class SiteError(Exception):
    """Raised when the sources have errors; carries every problem found."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = sort_problems(problems)
        super().__init__("\n".join(p.format() for p in self.problems))

    def __reduce__(self) -> tuple[type[SiteError], tuple[list[Problem]]]:
        # Raised in worker processes too: pickled as its problems, not as its message (an exception's args).
        return SiteError, (self.problems,)
