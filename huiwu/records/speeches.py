"""speech-*.md: leaders' speeches to print and file with the meeting, each a front-matter Markdown file."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .schema import Field
from .written import Written, numbered_files

if TYPE_CHECKING:
    from .meeting import Listed

PATTERN = "speech-*.md"

SPEECH: dict[str, Field] = {
    "title": Field("标题，如 在2026年全市经济工作会议上的讲话（要自己定分行位置时写成列表）", "texts", required=True),
    "speaker": Field("讲话人，如 周卫东", "text", required=True),
    "date": Field("讲话日期", "date", required=True),
}


def read_all(m: Listed) -> list[Written]:
    """speech-*.md in the meeting folder, speech-2.md before speech-10.md."""
    return [Written.read(p, SPEECH) for p in numbered_files(m.folder, PATTERN)]


def output(s: Written) -> str:
    """speech-zhou.md → speech-zhou.pdf."""
    return f"{s.path.stem}.pdf"
