"""请假人员名单 (leave-list.pdf): who will not come and who stands in, for the chair."""

from __future__ import annotations

from typing import Any

from .. import strokes
from ..layout.facts import counting_basis, headcount_line, no_attendees
from ..layout.forms import Col, form, table, time_place
from ..problems import Fail
from ..records import Meeting

COLUMNS = [Col("序号", 13), Col("姓名", 24), Col("单位及职务", 50, "left"), Col("请假事由", 37, "left"),
           Col("替会人员", 38, "left"), Col("备注", 18, "left")]


def context(m: Meeting, fail: Fail) -> list[dict[str, Any]]:
    rows = [[i, strokes.pad_name(a.name), a.unit_and_title, a.leave_reason, a.substitute, a.note]
            for i, a in enumerate(m.on_leave, start=1)]
    return [form(f"{m.title}请假人员名单", time_place(m), [table(COLUMNS, rows, sign=False, note=counting_basis())],
                 lead=[headcount_line(m)])]


def skip(m: Meeting) -> str | None:
    if not m.attendees:
        return no_attendees(m)
    return None if m.on_leave else "名单中没有请假人员"
