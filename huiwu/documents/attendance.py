"""到会统计 (attendance.pdf): who came, who was late, who stayed away, from the sign-in result.

Source: signin.csv or signin.xlsx in the meeting folder (姓名, 单位, 签到时间, 备注), keyed in by
staff or exported from a sign-in device. The result is read and matched once, in `records.signin`.
"""

from __future__ import annotations

from typing import Any

from .. import strokes
from ..layout.facts import clock, counting_basis, no_attendees
from ..layout.forms import Col, Flag, form, table, time_place
from ..problems import Fail
from ..records import Meeting
from ..records.meeting import Attendee
from ..records.signin import Outcome, expected, tally

UNIT_COLUMNS = [Col("单位", 70, "left"), Col("应到", 22), Col("实到", 22), Col("请假", 22), Col("缺席", 22),
                Col("迟到", 22)]
LATE_COLUMNS = [Col("序号", 13), Col("姓名", 26), Col("单位及职务", 81, "left"), Col("签到时间", 30),
                Col("迟到分钟", 30)]
ABSENT_COLUMNS = [Col("序号", 13), Col("姓名", 26), Col("单位及职务", 81, "left"), Col("联系电话", 34),
                  Col("备注", 26, "left")]
LEAVE_COLUMNS = [Col("序号", 13), Col("姓名", 22), Col("单位及职务", 40, "left"), Col("请假原因", 34, "left"),
                 Col("替会人员", 40, "left"), Col("到会情况", 31, "left")]
UNKNOWN_COLUMNS = [Col("序号", 13), Col("姓名", 26), Col("单位", 61, "left"), Col("签到时间", 30),
                   Col("备注", 50, "left")]


# -- the form --

def overall(o: Outcome) -> str:
    n = tally(o, o.expected)
    return (f"应到 {n[0]} 人　实到 {n[1]} 人　请假 {n[2]} 人　缺席 {n[3]} 人　迟到 {n[4]} 人"
            f"　替会 {len(o.substitutes)} 人")


def unit_table(o: Outcome) -> dict:
    units = list(dict.fromkeys(a.unit for a in o.expected))
    rows: list[list[Any]] = [[u, *tally(o, [a for a in o.expected if a.unit == u])] for u in units]
    rows.append(["合计", *tally(o, o.expected)])
    note = (f"{counting_basis()}替会人员另计，不计入实到；迟到指签到时间晚于会议开始时间"
            f"（{clock(o.start, o.start.date())}）。")
    return table(UNIT_COLUMNS, rows, heading="按单位统计", note=note, sign=False)


def late_table(o: Outcome) -> dict:
    day = o.start.date()
    rows = [[i, strokes.pad_name(a.name), a.unit_and_title, clock(o.signed[a].time, day), o.minutes_late(a)]
            for i, a in enumerate(o.late, start=1)]
    return table(LATE_COLUMNS, rows, heading=f"迟到人员（{len(rows)} 人）", sign=False)


def absent_table(o: Outcome) -> dict:
    rows = [[i, Flag(strokes.pad_name(a.name)), a.unit_and_title, a.phone, a.note]
            for i, a in enumerate(o.absent, start=1)]
    return table(ABSENT_COLUMNS, rows, heading=f"缺席人员（{len(rows)} 人）", sign=False,
                 note="名单中状态为“参会”但没有签到的人员。")


def leave_state(o: Outcome, a: Attendee) -> tuple[str, str]:
    """(替会人员, 到会情况) of an on-leave attendee."""
    day = o.start.date()
    stand_in = o.substitutes.get(a)
    who = a.substitute or (f"{stand_in.name}（{stand_in.unit}）" if stand_in and stand_in.unit else "")
    if a in o.signed:
        return who, f"本人到会 {clock(o.signed[a].time, day)}"
    if stand_in is not None:
        return who or stand_in.name, f"替会已到 {clock(stand_in.time, day)}"
    return who, "替会未到" if a.substitute else "—"


def leave_table(o: Outcome) -> dict:
    people = o.leave + o.came_anyway
    rows = [[i, strokes.pad_name(a.name), a.unit_and_title, a.leave_reason, *leave_state(o, a)]
            for i, a in enumerate(people, start=1)]
    came = "、".join(a.name for a in o.came_anyway)
    note = f"{came}请假后本人仍到会，计入实到，不计请假。" if came else ""
    return table(LEAVE_COLUMNS, rows, heading=f"请假人员（{len(o.leave)} 人）", note=note, sign=False)


def unknown_table(o: Outcome) -> dict:
    day = o.start.date()
    rows = [[i, strokes.pad_name(s.name), s.unit, clock(s.time, day), s.note] for i, s in enumerate(o.unknown, 1)]
    return table(UNKNOWN_COLUMNS, rows, heading=f"名单外签到（{len(rows)} 人）", sign=False,
                 note="签到结果中有、参会人员名单中没有的人员（已与请假人员的替会人员核对），请核实。")


def context(m: Meeting, fail: Fail) -> list[dict[str, Any]]:
    o = m.signins
    if o is None:
        return []
    parts = [("迟到人员", o.late, late_table), ("缺席人员", o.absent, absent_table),
             ("请假人员", o.leave + o.came_anyway, leave_table), ("名单外签到", o.unknown, unknown_table)]
    tables = [unit_table(o)] + [make(o) for _, people, make in parts if people]
    empty = "　".join(f"{name}：无" for name, people, _ in parts if not people)
    lead = [overall(o)] + ([empty] if empty else [])
    return [form(f"{m.title}到会统计", time_place(m), tables, lead=lead)]


def skip(m: Meeting) -> str | None:
    if not m.attendees:
        return no_attendees(m)
    if m.signins is None:
        return "没有签到结果（signin.csv 或 signin.xlsx）"
    if not expected(m):
        return "名单中没有应到人员（工作人员、媒体不计）"
    return None
