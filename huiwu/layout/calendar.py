"""Calendar events (RFC 5545) that the leaders' reminders and the site's meeting file share.

An event whose time or place changes is a new revision: its SEQUENCE goes up and its DTSTAMP is the
moment the change was first built (§3.8.7.4), so calendar apps take the update instead of ignoring it.
The revision is derived from the one recorded at the previous build (the pipeline keeps it beside the
outputs), never from the clock of a build whose time and place are unchanged: same sources, same bytes.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from .. import chinese
from ..memo import Memo
from ..records import Meeting, Revision

ZONE = ZoneInfo("Asia/Shanghai")
UTC = ZoneInfo("UTC")
DEFAULT_LENGTH = timedelta(hours=2)  # when the meeting has no end time
DEFAULT_ALARM = 60  # minutes before the start, when the meeting sets no reminders.before
PRODID = "-//huiwu//会务//ZH"


def when(m: Meeting) -> str:
    start, end = span(m)
    return f"{start.isoformat()}/{end.isoformat()} {m.venue}"


def revise(previous: dict | None, m: Meeting, now: datetime) -> Revision:
    """The revision to announce: the recorded one while time and place are unchanged, else the next."""
    current = when(m)
    if not previous or "when" not in previous:
        return Revision(current)
    if previous["when"] == current:
        return Revision(current, int(previous.get("sequence", 0)), str(previous.get("stamp", "")))
    moment = now.astimezone(UTC).replace(microsecond=0)
    return Revision(current, int(previous.get("sequence", 0)) + 1, moment.isoformat())


def recorded(revision: Revision) -> dict:
    return asdict(revision)


def span(m: Meeting) -> tuple[datetime, datetime]:
    start = m.start.replace(tzinfo=ZONE)
    end = m.end.replace(tzinfo=ZONE) if m.end and m.end > m.start else start + DEFAULT_LENGTH
    return start, end


def stamp(m: Meeting) -> datetime:
    if m.revision.stamp:
        return datetime.fromisoformat(m.revision.stamp)
    return datetime.combine(m.issued_on, time(), ZONE).astimezone(UTC)


def event(m: Meeting, uid: str, summary: str) -> dict[str, Any]:
    """The meeting as one event with its reminder alarm, at the meeting's current revision (plain values)."""
    start, end = span(m)
    minutes = (m.reminders or {}).get("before", DEFAULT_ALARM)
    return {"uid": uid, "dtstamp": stamp(m).isoformat(), "sequence": m.revision.sequence, "summary": summary,
            "dtstart": start.isoformat(), "dtend": end.isoformat(), "location": m.venue,
            "description": "\n".join(details(m)), "alarm": minutes,
            "alarm_text": f"{m.title}将于{duration(minutes)}后开始，地点：{m.venue}"}


def calendar(events: list[dict[str, Any]], name: str = "") -> bytes:
    """The events as one calendar file; made with icalendar once for these values, then remembered."""
    return written(json.dumps({"name": name, "events": events}, ensure_ascii=False, sort_keys=True)).encode()


def _write(key: str) -> str:
    from icalendar import Alarm, Calendar, Event

    data = json.loads(key)
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    if data["name"]:
        cal.add("x-wr-calname", data["name"])
    for values in data["events"]:
        e = Event()
        e.add("uid", values["uid"])
        e.add("dtstamp", datetime.fromisoformat(values["dtstamp"]))
        e.add("sequence", values["sequence"])
        e.add("summary", values["summary"])
        e.add("dtstart", datetime.fromisoformat(values["dtstart"]).replace(tzinfo=ZONE))
        e.add("dtend", datetime.fromisoformat(values["dtend"]).replace(tzinfo=ZONE))
        e.add("location", values["location"])
        e.add("description", values["description"])
        a = Alarm()
        a.add("action", "DISPLAY")
        a.add("trigger", timedelta(minutes=-values["alarm"]))
        a.add("description", values["alarm_text"])
        e.add_component(a)
        cal.add_component(e)
    cal.add_missing_timezones()
    return cal.to_ical().decode()


written = Memo(_write, str)  # loading icalendar and working out the time zone take 0.1 s and more a build
remembered = written.remembered  # the calendars of the last builds, kept in the project's cache


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
