"""speech-*.md: leaders' speeches to print and file with the meeting, each a front-matter Markdown file."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from .schema import Field
from .written import Written

if TYPE_CHECKING:
    from .meeting import Listed

PATTERN = "speech-*.md"

SPEECH: dict[str, Field] = {
    "title": Field("标题，如 在2026年全市经济工作会议上的讲话（要自己定分行位置时写成列表）", "texts", required=True),
    "speaker": Field("讲话人，如 周卫东", "text", required=True),
    "date": Field("讲话日期", "date", required=True),
}


def files(m: Listed) -> list[Path]:
    """speech-*.md in the meeting folder, speech-2.md before speech-10.md."""
    def key(p: Path) -> tuple:
        return tuple(int(s) if s.isdigit() else s for s in re.split(r"(\d+)", p.stem))

    return sorted((p for p in m.folder.glob(PATTERN) if p.is_file()), key=key)


def read_all(m: Listed) -> list[Written]:
    return [Written.read(p, SPEECH) for p in files(m)]


def output(s: Written) -> str:
    """speech-zhou.md → speech-zhou.pdf."""
    return f"{s.path.stem}.pdf"
