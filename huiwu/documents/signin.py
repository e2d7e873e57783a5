"""签到表 (signin.pdf): everyone expected, in protocol order, with room to sign."""

from __future__ import annotations

from typing import Any

from .. import strokes
from ..layout.facts import no_attendees
from ..layout.forms import Col, form, table, time_place
from ..problems import Fail
from ..records import Meeting

COLUMNS = [Col("序号", 13), Col("姓名", 30), Col("单位及职务", 73, "left"), Col("签名", 42), Col("备注", 22, "left")]


def context(m: Meeting, fail: Fail) -> list[dict[str, Any]]:
    rows = [[i, strokes.pad_name(a.name), a.unit_and_title, "", a.note] for i, a in enumerate(m.present, start=1)]
    return [form(f"{m.title}签到表", time_place(m), [table(COLUMNS, rows)])]


def skip(m: Meeting) -> str | None:
    return no_attendees(m)
