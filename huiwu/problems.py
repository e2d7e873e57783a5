"""User-facing problems: collected with file and line, reported together."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}" if self.line else f"{self.path}: {self.message}"


@dataclass
class Problems:
    """A collector: every check adds to it, the build stops once at the end."""

    items: list[Problem] = field(default_factory=list)

    def add(self, path: Path | str, line: int, message: str) -> None:
        self.items.append(Problem(display_path(path), line, message))

    def extend(self, other: Problems) -> None:
        self.items.extend(other.items)

    def __bool__(self) -> bool:
        return bool(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def summary(self) -> str:
        unique = set(self.items)
        files = len({p.path for p in unique})
        return f"{len(unique)} 处错误（{files} 个文件），未生成任何文件。"

    def report(self) -> str:
        unique = list(dict.fromkeys(self.items))
        lines = [str(p) for p in sorted(unique, key=_order)]
        return "\n".join([*lines, self.summary()])


def _order(p: Problem) -> tuple:
    return (p.path, p.line)  # stable: same line keeps the order found


class Fail(Protocol):
    """How a document kind reports bad input: meeting.md's line, or `path` for another source."""

    def __call__(self, line: int, message: str, path: Path | None = None) -> None: ...


class BuildFailed(Exception):
    """Raised with the collected problems when a build cannot go on."""

    def __init__(self, problems: Problems):
        super().__init__(problems.report())
        self.problems = problems

    def __reduce__(self) -> tuple:  # raised in a worker process, re-raised here
        return (BuildFailed, (self.problems,))


def display_path(path: Path | str) -> str:
    """A path relative to the working directory where possible (clickable in editors)."""
    p = Path(path)
    try:
        return str(p.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(p)
