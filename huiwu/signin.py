"""签到表 (signin.pdf): everyone expected, in protocol order, with room to sign."""

from __future__ import annotations

from typing import Any

from . import strokes
from .forms import Col, form, table, time_place
from .model import Meeting
from .problems import Fail

COLUMNS = [Col("序号", 13), Col("姓名", 30), Col("单位及职务", 73, "left"), Col("签名", 42), Col("备注", 22, "left")]


def context(m: Meeting, fail: Fail) -> list[dict[str, Any]]:
    rows = [[i, strokes.pad_name(a.name), a.unit_and_title, "", a.note] for i, a in enumerate(m.present, start=1)]
    return [form(f"{m.title}签到表", time_place(m), [table(COLUMNS, rows)])]


def skip(m: Meeting) -> str | None:
    if not m.attendees_path:
        return "没有参会人员名单（attendees.csv 或 attendees.xlsx）"
    if not m.attendees:
        return f"参会人员名单 {m.attendees_path.name} 中没有人员"
    if not m.present:
        return "名单中没有状态为“参会”的人员"
    return None
