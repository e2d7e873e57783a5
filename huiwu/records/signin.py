"""The sign-in result (signin.csv or signin.xlsx: 姓名, 单位, 签到时间, 备注), keyed in by staff or exported
from a sign-in device, matched against the attendee list once per build: `Outcome` is what the 到会统计,
the 纪要's lists and the 简报's 到会情况 all count from."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time
from functools import cached_property
from pathlib import Path

from ..chinese import parse_datetime
from ..problems import Fail
from ..tables import Table, load_table, source_table
from .meeting import COUNTED, Attendee, Listed

HEADERS: dict[str, tuple[str, ...]] = {
    "name": ("姓名", "name"),
    "unit": ("单位", "unit"),
    "time": ("签到时间", "time", "签到", "时间"),
    "note": ("备注", "note"),
}
CLOCK = re.compile(r"^(\d{1,2})[:：](\d{2})(?:[:：]\d{2})?$")
SECONDS = re.compile(r"(\d{1,2}[:：]\d{2})[:：]\d{2}$")  # Excel writes 08:52:00
STAND_IN = re.compile(r"^替(?!会)(.+)$")  # 备注 `替黄永强`

@dataclass(frozen=True)
class SignIn:
    """One row of the sign-in result."""

    name: str
    unit: str
    time: datetime | None  # None: signed in without a time (ticked by hand)
    note: str
    line: int


@dataclass
class Outcome:
    """Who is expected and who signed in; the lists are in protocol order."""

    start: datetime
    expected: list[Attendee]  # everyone except 工作人员 and 媒体
    signed: dict[Attendee, SignIn] = field(default_factory=dict)  # listed people who signed in (earliest row)
    substitutes: dict[Attendee, SignIn] = field(default_factory=dict)  # on-leave attendee → stand-in's sign-in
    unknown: list[SignIn] = field(default_factory=list)  # rows matching nobody on the list

    # Read once the result is complete (records.signin.outcome, checkin.board.outcome): the lists are kept.

    @cached_property
    def present(self) -> list[Attendee]:
        return [a for a in self.expected if a in self.signed]

    @cached_property
    def leave(self) -> list[Attendee]:
        """On leave and did not come (one who came anyway is present)."""
        return [a for a in self.expected if not a.present and a not in self.signed]

    @cached_property
    def came_anyway(self) -> list[Attendee]:
        return [a for a in self.expected if not a.present and a in self.signed]

    @cached_property
    def absent(self) -> list[Attendee]:
        return [a for a in self.expected if a.present and a not in self.signed]

    @cached_property
    def away(self) -> frozenset[Attendee]:
        """`absent` as a set, for the many questions of whether one person is in it."""
        return frozenset(self.absent)

    @cached_property
    def late(self) -> list[Attendee]:
        return [a for a in self.present if self.minutes_late(a) > 0]

    @cached_property
    def counted(self) -> tuple[frozenset[Attendee], ...]:
        """present, leave, absent and late as sets (tally: a set meets a set by the hashes it holds, a list's people
        are hashed again each time — every field of each, for each unit of a 2,000-person meeting)."""
        return tuple(frozenset(x) for x in (self.present, self.leave, self.absent, self.late))

    def minutes_late(self, a: Attendee) -> int:
        t = self.signed[a].time
        return 0 if t is None else max(0, int((t - self.start).total_seconds() // 60))


def not_handed_out(o: Outcome | None, holder: Attendee | None) -> bool:
    """A copy whose holder was expected but did not sign in (a stand-in: nobody signed in for the principal):
    it stayed with the office, 未发放. Without a sign-in result nobody is known to be away."""
    if holder is None or o is None:
        return False
    if holder.stands_in is not None:
        return holder.stands_in not in o.substitutes
    return holder in o.away


# -- reading --

def parse_time(text: str, day: date) -> datetime | None:
    """`2026-12-08 08:52`, or `8:52` on the meeting day; raises ValueError with the reason."""
    text = text.strip()
    if not text:
        return None
    hint = f"“{text}”不是有效的时间，请写成 2026-12-08 08:52 或 8:52（指会议当天）"
    if clock := CLOCK.match(text):
        hour, minute = int(clock[1]), int(clock[2])
        if hour > 23 or minute > 59:
            raise ValueError(hint)
        return datetime.combine(day, time(hour, minute))
    value, has_time, error = parse_datetime(SECONDS.sub(r"\1", text))
    if error or value is None:
        raise ValueError(hint)
    if not has_time:
        raise ValueError(f"“{text}”只有日期，缺少时刻，请写成 2026-12-08 08:52 或 8:52")
    return value


def columns(t: Table, fail: Fail, headers: dict[str, tuple[str, ...]] = HEADERS) -> dict[str, int] | None:
    found = t.columns(headers)
    if "name" not in found:
        optional = "、".join(names[0] for key, names in headers.items() if key != "name")
        fail(t.header_line, f"表头缺少必需的列：姓名（可选列：{optional}）", t.path)
        return None
    return found


def read_signins(path: Path, day: date, fail: Fail, headers: dict[str, tuple[str, ...]] = HEADERS) -> list[SignIn]:
    """The rows of a table of people and times: signin.csv, or received.csv with its own `headers`."""
    t = load_table(path, fail)
    cols = None if t is None else columns(t, fail, headers)
    if t is None or cols is None:
        return []
    rows = []
    for line, cells in t.rows:
        raw = {key: cells[i] if i < len(cells) else "" for key, i in cols.items()}
        name = "".join(raw["name"].split())
        if not name:
            fail(line, "姓名: 不能为空", path)
            continue
        try:
            when = parse_time(raw.get("time", ""), day)
        except ValueError as exc:
            fail(line, f"{headers['time'][0]}：{exc}", path)
            continue
        rows.append(SignIn(name, raw.get("unit", ""), when, raw.get("note", ""), line))
    return rows


# -- matching --

def expected(m: Listed) -> list[Attendee]:
    """Whom 应到 counts (records.meeting.COUNTED, the basis of Headcount), in protocol order."""
    return m.ordered([a for a in m.attendees if a.role in COUNTED])


class Roster:
    """The attendee list looked up by name, once for all the rows matched against it (each row used to look
    through the whole list: a sheet of 2,000 sign-ins against 2,000 people took seconds)."""

    def __init__(self, m: Listed):
        self.named: dict[str, list[Attendee]] = {}
        self.away: dict[str, Attendee] = {}  # on leave, by name: the first of each name
        self.standing: dict[str, Attendee] = {}  # on leave, by the name their 替会人员 starts with: the first
        for a in m.attendees:
            self.named.setdefault(a.name, []).append(a)
            if not a.present:
                self.away.setdefault(a.name, a)
                self.standing.setdefault(re.split(r"[（(，,、\s]", a.substitute.strip(), maxsplit=1)[0], a)

    def candidates(self, s: SignIn) -> list[Attendee]:
        same = self.named.get(s.name, [])
        if len(same) > 1 and s.unit:
            return [a for a in same if a.unit == s.unit] or same
        return same

    def stood_in_for(self, s: SignIn) -> Attendee | None:
        """The on-leave attendee this row stands in for: named in 备注 (`替黄永强`), or whose
        替会人员 starts with this name (`李明（凤鸣区发展改革局局长）`)."""
        named = STAND_IN.match(s.note.strip())
        found = self.away.get("".join(named[1].split())) if named else None
        return found or self.standing.get(s.name)


def keep_earliest(rows: dict[Attendee, SignIn], a: Attendee, s: SignIn) -> None:
    old = rows.get(a)
    if old is None or (s.time is not None and (old.time is None or s.time < old.time)):
        rows[a] = s


def place(roster: Roster, o: Outcome, s: SignIn, path: Path, fail: Fail) -> None:
    found = roster.candidates(s)
    if len(found) > 1:
        units = "、".join(a.unit for a in found)
        fail(s.line, f"姓名“{s.name}”在名单中有 {len(found)} 人（{units}），请填写单位以区分", path)
    elif found:
        keep_earliest(o.signed, found[0], s)
    elif (absentee := roster.stood_in_for(s)) is not None:
        keep_earliest(o.substitutes, absentee, s)
    else:
        o.unknown.append(s)


def outcome(m: Listed, report: Fail) -> Outcome | None:
    """The sign-in result matched against the attendee list; None when there is no result."""
    path = source_table(m.folder, "signin", report)
    if path is None:
        return None
    o, roster = Outcome(m.start, expected(m)), Roster(m)
    for s in read_signins(path, m.start.date(), report):
        place(roster, o, s, path, report)
    return o




def tally(o: Outcome, people: list[Attendee]) -> list[int]:
    """应到, 实到, 请假, 缺席, 迟到 among `people`."""
    group = set(people)
    return [len(group)] + [len(group & x) for x in o.counted]
