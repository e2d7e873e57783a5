"""暂留人员食宿安排表 (stays.pdf): people who stay on after the meeting for work and go home on a later day
("对个别因工作需要暂留的人员，在食宿方面要妥善安排"), grouped by the day they leave, with their nights,
where they stay, their room and their meals.

Source: the attendee table's 返程日期 (after the meeting's last day) and the optional columns 住宿, 房间 and
就餐; a blank 住宿 or 就餐 is left to fill in by hand. People on leave, and once there is a sign-in result
those who did not come, are not listed.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from .. import chinese, strokes
from ..layout.facts import no_attendees, travellers
from ..layout.forms import Col, Flag, form, table, time_place
from ..problems import Fail
from ..records import Meeting
from ..records.meeting import Attendee

COLUMNS = [Col("序号", 14), Col("姓名", 22), Col("单位及职务", 56, "left"), Col("住宿晚数", 22),
           Col("住宿地点", 34, "left"), Col("房间", 22), Col("就餐安排", 45, "left"), Col("电话", 30),
           Col("车次航班", 22)]  # 267 mm: the landscape page
UNARRANGED = "未安排"


def last_day(m: Meeting) -> date:
    return (m.end or m.start).date()


def staying(m: Meeting) -> list[Attendee]:
    """Who leaves on a day after the meeting's last: by that day, then protocol order."""
    end = last_day(m)
    return sorted((a for a in travellers(m) if a.return_date and a.return_date > end),
                  key=lambda a: a.return_date or end)


def nights(m: Meeting, a: Attendee) -> int:
    """Nights from the meeting's last day to the day they leave: leaving the day after is one night."""
    return ((a.return_date or last_day(m)) - last_day(m)).days


def by_day(people: list[Attendee]) -> dict[date, list[Attendee]]:
    out: dict[date, list[Attendee]] = {}
    for a in people:
        out.setdefault(a.return_date or date.min, []).append(a)
    return out


def day_table(m: Meeting, day: date, people: list[Attendee]) -> dict:
    rows = [[i, strokes.pad_name(a.name), a.unit_and_title, nights(m, a), a.lodging or Flag(UNARRANGED), a.room,
             a.meals or Flag(UNARRANGED), a.phone, a.return_ref]
            for i, a in enumerate(people, start=1)]
    label = f"{day.month}月{day.day}日（{chinese.weekday(day)}）返程"
    return table(COLUMNS, rows, heading=f"{label}（{len(people)}人，住宿{sum(nights(m, a) for a in people)}间夜）",
                 sign=False)


def totals(m: Meeting, people: list[Attendee]) -> list[str]:
    room_nights = sum(nights(m, a) for a in people)
    line = f"暂留 {len(people)} 人，共住宿 {room_nights} 间夜（会议{chinese.cn_date(last_day(m))}结束，按返程日期计）"
    open_ = [a.name for a in people if not a.lodging or not a.meals]
    return [line] + ([f"住宿或就餐尚未安排：{'、'.join(open_)}"] if open_ else [])


def context(m: Meeting, fail: Fail) -> list[dict[str, Any]]:
    people = staying(m)
    tables = [day_table(m, day, group) for day, group in by_day(people).items()]
    return [form(f"{m.title}暂留人员食宿安排表", time_place(m), tables, lead=totals(m, people), landscape=True)]


def skip(m: Meeting) -> str | None:
    if staying(m):
        return None
    return no_attendees(m) or "名单中没有会后暂留的人员（返程日期在会议结束之后）"
