"""返程服务表 (returns.pdf): who goes home when and how, for the 送站 arrangements.

Source: the attendee table's optional columns 返程日期, 返程方式, 车次航班. Present
attendees with any of them (not those on leave, nor, once there is a sign-in result, those who did not
come: the lead line names them as left out) are grouped by date (ascending; no date last), then by mode
in the fixed order of MODES (other modes after them as they first appear; no mode last).
Within a group people on the same train or flight are listed together.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from .. import chinese, strokes
from ..layout.facts import absent, has_return, no_attendees, travellers
from ..layout.forms import Col, form, table, time_place
from ..problems import Fail
from ..records import Meeting
from ..records.meeting import Attendee

MODES = ("飞机", "火车", "汽车", "自驾")
NO_MODE = "方式未填"
COLUMNS = [Col("序号", 15), Col("姓名", 30), Col("单位", 70, "left"), Col("职务", 40, "left"), Col("车次航班", 30),
           Col("电话", 40), Col("送站安排/备注", 70, "left")]

Group = tuple[date | None, str, list[Attendee]]


def mode_of(a: Attendee) -> str:
    return a.return_mode or NO_MODE


def mode_order(people: list[Attendee]) -> list[str]:
    seen = list(dict.fromkeys(mode_of(a) for a in people))
    others = [x for x in seen if x not in MODES and x != NO_MODE]
    return [x for x in MODES if x in seen] + others + ([NO_MODE] if NO_MODE in seen else [])


def groups(people: list[Attendee]) -> list[Group]:
    days = sorted({a.return_date for a in people}, key=lambda d: (d is None, d or date.min))
    out = []
    for day in days:
        for mode in mode_order(people):
            group = [a for a in people if a.return_date == day and mode_of(a) == mode]
            if group:  # a stable sort: protocol order among people on the same train or flight
                out.append((day, mode, sorted(group, key=lambda a: a.return_ref)))
    return out


def day_label(day: date | None) -> str:
    return f"{day.month}月{day.day}日（{chinese.weekday(day)}）" if day else "返程日期未填"


def group_table(day: date | None, mode: str, people: list[Attendee]) -> dict:
    rows = [[i, strokes.pad_name(a.name), a.unit, a.title, a.return_ref, a.phone, a.note]
            for i, a in enumerate(people, start=1)]
    return table(COLUMNS, rows, heading=f"{day_label(day)}　{mode}（{len(people)}人）")


def totals(people: list[Attendee], found: list[Group]) -> str:
    by_day = {day_label(day): 0 for day, _, _ in found}
    by_mode = {mode: 0 for mode in mode_order(people)}
    for day, mode, group in found:
        by_day[day_label(day)] += len(group)
        by_mode[mode] += len(group)
    days = "，".join(f"{label} {n} 人" for label, n in by_day.items())
    return f"返程 {len(people)} 人：{days}；" + "，".join(f"{mode} {n} 人" for mode, n in by_mode.items())


def left_out(m: Meeting) -> list[str]:
    """Who has a return trip in the list but is not travelling from the meeting, and why."""
    found = [("请假人员", [a.name for a in m.on_leave if has_return(a)]),
             ("缺席人员（未签到）", [a.name for a in absent(m) if has_return(a)])]
    return [f"{who}{'、'.join(names)}填有返程信息，未列入本表。" for who, names in found if names]


def context(m: Meeting, fail: Fail) -> list[dict[str, Any]]:
    people = travellers(m)
    found = groups(people)
    lead = [totals(people, found), *left_out(m)]
    tables = [group_table(day, mode, group) for day, mode, group in found]
    return [form(f"{m.title}返程服务表", time_place(m), tables, lead=lead, landscape=True)]


def skip(m: Meeting) -> str | None:
    if travellers(m):
        return None
    return no_attendees(m) or "名单中没有参会人员填写返程信息（返程日期、返程方式、车次航班）"
