"""领导提醒日程 (reminders.ics): one iCalendar event with an alarm per leader to remind (RFC 5545)."""

from __future__ import annotations

import difflib
import hashlib
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from icalendar import Alarm, Calendar, Event

from .. import chinese
from ..problems import Fail
from ..records import Meeting
from ..records.meeting import ROLES, Attendee

ZONE = ZoneInfo("Asia/Shanghai")
DEFAULT_LENGTH = timedelta(hours=2)  # when the meeting has no end time
PRODID = "-//huiwu//会务//ZH"


def skip(m: Meeting) -> str | None:
    if not m.reminders:
        return "没有 reminders（领导提醒）"
    if not m.attendees_path:
        return "没有参会人员名单（attendees.csv 或 attendees.xlsx），不知道提醒谁"
    to = m.reminders["to"]
    if people(m) or any(unknown(m, t) for t in to):  # an unknown entry is an error, reported by ics()
        return None
    if all(t in ROLES for t in to):
        return f"没有参会的{'、'.join(to)}人员（reminders.to），无人需要提醒"
    return f"reminders.to 所列的{'、'.join(to)}中没有参会人员，无人需要提醒"


def settings(m: Meeting) -> dict[str, Any]:
    """reminders: in meeting.md (the kind is skipped without it)."""
    assert m.reminders is not None
    return m.reminders


def people(m: Meeting) -> list[Attendee]:
    """Present attendees named in `to` by 类别 or by name, in protocol order."""
    to = set(settings(m)["to"])
    return [a for a in m.present if a.role in to or a.name in to]


def unknown(m: Meeting, entry: str) -> bool:
    """Neither a 类别 nor anyone's name in the list: a typo, not an absence."""
    return entry not in ROLES and all(a.name != entry for a in m.attendees)


def check(m: Meeting, fail: Fail) -> None:
    for i, entry in enumerate(settings(m)["to"]):
        if unknown(m, entry):
            close = difflib.get_close_matches(entry, [*ROLES, *(a.name for a in m.present)], n=1, cutoff=0.5)
            hint = f"，是不是“{close[0]}”？" if close else f"：应为类别（{'、'.join(ROLES)}）或参会人员的姓名"
            fail(m.source.line("reminders", "to", i), f"领导提醒：名单中没有“{entry}”{hint}")


def ics(m: Meeting, fail: Fail) -> bytes:
    check(m, fail)
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", f"{m.title}领导提醒")
    persons = people(m)
    for uid, person in zip(uids(m, persons), persons, strict=True):
        cal.add_component(event(m, person, uid))
    cal.add_missing_timezones()
    return cal.to_ical()


def uids(m: Meeting, persons: list[Attendee]) -> list[str]:
    """Stable per meeting and person (a re-imported file updates, not duplicates, the events)."""
    out: list[str] = []
    for a in persons:
        uid = f"{m.id}-{hashlib.sha1(a.name.encode()).hexdigest()[:10]}@huiwu"
        out.append(uid if uid not in out else uid.replace("@", f"-{a.line}@"))  # namesakes
    return out


def event(m: Meeting, person: Attendee, uid: str) -> Event:
    start = m.start.replace(tzinfo=ZONE)
    end = m.end.replace(tzinfo=ZONE) if m.end and m.end > m.start else start + DEFAULT_LENGTH
    e = Event()
    e.add("uid", uid)
    e.add("dtstamp", datetime.combine(m.issued_on, time(), ZONE).astimezone(ZoneInfo("UTC")))
    e.add("summary", f"{m.title}（{person.name}）")
    e.add("dtstart", start)
    e.add("dtend", end)
    e.add("location", m.venue)
    e.add("description", "\n".join(details(m)))
    e.add_component(alarm(m))
    return e


def alarm(m: Meeting) -> Alarm:
    minutes = settings(m)["before"]
    a = Alarm()
    a.add("action", "DISPLAY")
    a.add("trigger", timedelta(minutes=-minutes))
    a.add("description", f"{m.title}将于{duration(minutes)}后开始，地点：{m.venue}")
    return a


def details(m: Meeting) -> list[str]:
    lines = [f"会议：{m.title}", f"时间：{chinese.date_line(m.start, m.end, m.clock)}", f"地点：{m.venue}"]
    if m.checkin:
        lines.append(f"报到时间：{chinese.cn_datetime(m.checkin['time'], m.clock)}")
        lines.append(f"报到地点：{m.checkin['place']}")
    if m.contacts:
        lines.append("联系人：" + "；".join(f"{c['name']} {c['phone']}" for c in m.contacts))
    return lines


def duration(minutes: int) -> str:
    """90 → 1小时30分钟; 1440 → 1天."""
    days, rest = divmod(minutes, 1440)
    hours, mins = divmod(rest, 60)
    parts = [f"{days}天" if days else "", f"{hours}小时" if hours else "", f"{mins}分钟" if mins else ""]
    return "".join(parts)
