"""参会人员签到表 (signin.pdf): everyone expected, in protocol order, a section per 类别, the 替会人员
pre-printed in their principal's place (`李明（代黄永强）`), and blank rows for walk-ins at the end.
工作人员 and 媒体 are not on it (domain.md §5.6)."""

from __future__ import annotations

from typing import Any

from .. import chinese, strokes
from ..layout.facts import counting_basis, headcount_line, no_attendees
from ..layout.forms import Aside, Col, form, table, time_place
from ..problems import Fail
from ..records import Meeting
from ..records.meeting import COUNTED, Attendee

COLUMNS = [Col("序号", 13), Col("姓名", 30), Col("单位及职务", 73, "left"), Col("签名", 42), Col("备注", 22, "left")]
WALK_INS = "临时参会人员（名单外，请写明姓名、单位及职务）"


def holders(m: Meeting) -> list[Attendee]:
    """Who has a pre-printed row: the attending people 应到 counts, stand-ins included, in protocol order."""
    return [a for a in m.attending if a.role in COUNTED]


def name_cell(a: Attendee) -> str:
    """`王　芳`; a stand-in's `李明（代黄永强）`, the part in brackets on a smaller second line."""
    return Aside(strokes.pad_name(a.name), f"（代{a.stands_in.name}）") if a.stands_in else strokes.pad_name(a.name)


def rows(m: Meeting) -> list:
    """A group line per 类别 (`一、主席台（7人）`), then its people; numbers run on across the sections."""
    out: list = []
    people = holders(m)
    sections = [role for role in COUNTED if any(a.role == role for a in people)]
    n = 0
    for i, role in enumerate(sections, start=1):
        mine = [a for a in people if a.role == role]
        out.append(f"{chinese.cn_number(i)}、{role}（{len(mine)}人）")
        out += [[n + k, name_cell(a), a.unit_and_title, "", a.note] for k, a in enumerate(mine, start=1)]
        n += len(mine)
    if m.signin_blank_rows:
        out.append(f"{chinese.cn_number(len(sections) + 1)}、{WALK_INS}")
        out += [["", "", "", "", ""] for _ in range(m.signin_blank_rows)]
    return out


def context(m: Meeting, fail: Fail) -> list[dict[str, Any]]:
    lead = [headcount_line(m), counting_basis()]
    return [form(f"{m.title}参会人员签到表", time_place(m), [table(COLUMNS, rows(m))], lead=lead)]


def skip(m: Meeting) -> str | None:
    return no_attendees(m) or (None if holders(m) else "名单中没有应签到的参会人员（工作人员、媒体不在签到表上）")
