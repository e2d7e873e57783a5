"""minutes.md: the 纪要 written after the meeting (front matter, then the text), read once per build.
Its decisions feed the 纪要, the 督办事项清单, the 会后总结, the archive and later meetings (`follows`)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from .schema import Field, _record
from .written import Written

if TYPE_CHECKING:
    from .meeting import Listed

FILE = "minutes.md"
STATUSES = ("未启动", "推进中", "已办结")
DONE = "已办结"

MINUTES: dict[str, Field] = {
    "number": Field("期号", "int", required=True, most=9999),
    "date": Field("纪要日期", "date", required=True),
    "mark": Field("纪要标志（默认：会议名称+纪要）", "text"),
    "host": Field("主持人", "text"),
    "recorder": Field("记录人", "text"),
    "place": Field("会议地点（默认：会议的地点）", "text"),
    "decisions": Field("议定事项", "records", default=[], sub=_record(
        ("text", Field("事项", "text", required=True)),
        ("lead_unit", Field("牵头单位", "text", required=True)),
        ("partners", Field("配合单位", "texts", default=[])),
        ("owner", Field("责任人", "text")),
        ("due", Field("完成时限", "date")),
        ("status", Field("办结状态", "choice", choices=STATUSES, default="推进中")),
        ("progress", Field("进展情况", "text")))),
    "cc": Field("分送", "texts", default=[]),
}


class Minutes(Written):
    """minutes.md read and checked; `problems` holds what is wrong with it."""

    @property
    def decisions(self) -> list[dict[str, Any]]:
        return self.values.get("decisions") or []

    def mark(self, m: Listed) -> str:
        return self.values.get("mark") or f"{m.title}纪要"


def read_at(folder: Path) -> Minutes | None:
    """minutes.md in a meeting folder, or None when there is none."""
    path = folder / FILE
    return Minutes.read(path, MINUTES) if path.is_file() else None
