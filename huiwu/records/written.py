"""Front-matter Markdown files of a meeting folder other than meeting.md (minutes.md, briefing-*.md,
summary.md): read, checked against their own keys, with their problems kept for the build to report."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Self

from ..problems import Fail, Problems
from ..sources import Source, read_meeting
from .schema import Field, _check_mapping


def numbered_files(folder: Path, pattern: str) -> list[Path]:
    """The files of `folder` matching `pattern` (briefing-*.md), briefing-2.md before briefing-10.md."""
    def key(p: Path) -> tuple:
        return tuple(int(s) if s.isdigit() else s for s in re.split(r"(\d+)", p.stem))

    return sorted((p for p in folder.glob(pattern) if p.is_file()), key=key)


@dataclass
class Written:
    """A front-matter Markdown file of the meeting folder (like minutes.md), read and checked;
    `problems` holds what is wrong with it."""

    path: Path
    source: Source | None
    values: dict[str, Any]
    problems: Problems

    @classmethod
    def read(cls, path: Path, fields: dict[str, Field]) -> Self:
        problems = Problems()
        source = read_meeting(path, problems)
        values = _check_mapping(source.data, fields, (), source, problems) if source else {}
        return cls(path, source, values, problems)

    def report(self, fail: Fail) -> bool:
        """Pass the problems on to the build; true when there were none."""
        for p in self.problems.items:
            fail(p.line, p.message, Path(p.path))
        return not self.problems
