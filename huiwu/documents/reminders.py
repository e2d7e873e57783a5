"""领导提醒日程 (reminders.ics): one iCalendar event with an alarm per leader to remind (RFC 5545)."""

from __future__ import annotations

import difflib
import hashlib
from typing import Any

from ..layout import calendar
from ..problems import Fail
from ..records import Meeting
from ..records.meeting import ROLES, Attendee


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
    persons = people(m)
    return calendar.calendar([calendar.event(m, uid, f"{m.title}（{person.name}）")
                              for uid, person in zip(uids(m, persons), persons, strict=True)],
                             f"{m.title}领导提醒")


def uids(m: Meeting, persons: list[Attendee]) -> list[str]:
    """Stable per meeting and person (a re-imported file updates, not duplicates, the events)."""
    out: list[str] = []
    for a in persons:
        uid = f"{m.id}-{hashlib.sha1(a.name.encode()).hexdigest()[:10]}@huiwu"
        out.append(uid if uid not in out else uid.replace("@", f"-{a.line}@"))  # namesakes
    return out
