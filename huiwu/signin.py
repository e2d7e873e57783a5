"""签到表 (signin.pdf): everyone expected, in protocol order, with room to sign."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from . import chinese, strokes
from .model import Meeting

COLUMNS = [("序号", 12), ("姓名", 30), ("单位及职务", 70), ("签名", 40), ("备注", 22)]


def time_place(m: Meeting) -> str:
    return f"时间：{chinese.date_line(m.start, m.end, m.clock)}　地点：{m.venue}"


def context(m: Meeting, fail: Callable[[int, str], None]) -> list[dict[str, Any]]:
    rows = [{"n": i, "name": strokes.pad_name(a.name), "unit": a.unit_and_title, "note": a.note}
            for i, a in enumerate(m.present, start=1)]
    return [{
        "title": f"{m.title}签到表",
        "subtitle": time_place(m),
        "columns": COLUMNS,
        "rows": rows,
    }]


def skip(m: Meeting) -> str | None:
    if not m.attendees_path:
        return "没有参会人员名单（attendees.csv 或 attendees.xlsx）"
    if not m.attendees:
        return f"参会人员名单 {m.attendees_path.name} 中没有人员"
    if not m.present:
        return "名单中没有状态为“参会”的人员"
    return None
