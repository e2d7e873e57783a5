"""到会统计 (attendance.pdf): who came, who was late, who stayed away, from the sign-in result.

Source: signin.csv or signin.xlsx in the meeting folder (姓名, 单位, 签到时间, 备注), keyed in by
staff or exported from a sign-in device. `outcome` is shared with the 会议纪要.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from . import signin, strokes
from .chinese import parse_datetime
from .forms import Col, Flag, form, table, time_place
from .model import Attendee, Meeting
from .problems import Fail, Problems
from .sources import Table, read_table, table_file

HEADERS: dict[str, tuple[str, ...]] = {
    "name": ("姓名", "name"),
    "unit": ("单位", "unit"),
    "time": ("签到时间", "time", "签到", "时间"),
    "note": ("备注", "note"),
}
NOT_EXPECTED = ("工作人员", "媒体")
CLOCK = re.compile(r"^(\d{1,2})[:：](\d{2})(?:[:：]\d{2})?$")
SECONDS = re.compile(r"(\d{1,2}[:：]\d{2})[:：]\d{2}$")  # Excel writes 08:52:00
STAND_IN = re.compile(r"^替(?!会)(.+)$")  # 备注 `替黄永强`

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

    @property
    def present(self) -> list[Attendee]:
        return [a for a in self.expected if a in self.signed]

    @property
    def leave(self) -> list[Attendee]:
        """On leave and did not come (one who came anyway is present)."""
        return [a for a in self.expected if not a.present and a not in self.signed]

    @property
    def came_anyway(self) -> list[Attendee]:
        return [a for a in self.expected if not a.present and a in self.signed]

    @property
    def absent(self) -> list[Attendee]:
        return [a for a in self.expected if a.present and a not in self.signed]

    @property
    def late(self) -> list[Attendee]:
        return [a for a in self.present if self.minutes_late(a) > 0]

    def minutes_late(self, a: Attendee) -> int:
        t = self.signed[a].time
        return 0 if t is None else max(0, int((t - self.start).total_seconds() // 60))


# -- reading --

def signin_path(folder: Path, fail: Fail | None = None) -> Path | None:
    path, clash = table_file(folder, "signin")
    if clash and fail:
        fail(1, clash, folder / "signin.xlsx")
    return path


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


def header_columns(t: Table, headers: dict[str, tuple[str, ...]]) -> dict[str, int]:
    """Known headers → column index (first match wins); other columns (手机号, 签到方式 …) are ignored."""
    lookup = {h.lower(): key for key, names in headers.items() for h in names}
    found: dict[str, int] = {}
    for i, header in enumerate(t.header):
        key = lookup.get(header.strip().lower())
        if key and key not in found:
            found[key] = i
    return found


def columns(t: Table, fail: Fail) -> dict[str, int] | None:
    found = header_columns(t, HEADERS)
    if "name" not in found:
        fail(t.header_line, "表头缺少必需的列：姓名（可选列：单位、签到时间、备注）", t.path)
        return None
    return found


def load_table(path: Path, fail: Fail) -> Table | None:
    """A staff-keyed table (.csv or .xlsx); reading problems go to `fail` with the file's path."""
    problems = Problems()
    t = read_table(path, problems)
    for p in problems.items:
        fail(p.line, p.message, path)
    return t


def read_signins(path: Path, day: date, fail: Fail) -> list[SignIn]:
    t = load_table(path, fail)
    cols = None if t is None else columns(t, fail)
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
            fail(line, f"签到时间：{exc}", path)
            continue
        rows.append(SignIn(name, raw.get("unit", ""), when, raw.get("note", ""), line))
    return rows


# -- matching --

def expected(m: Meeting) -> list[Attendee]:
    return m.ordered([a for a in m.attendees if a.role not in NOT_EXPECTED])


def candidates(m: Meeting, s: SignIn) -> list[Attendee]:
    same = [a for a in m.attendees if a.name == s.name]
    if len(same) > 1 and s.unit:
        return [a for a in same if a.unit == s.unit] or same
    return same


def stood_in_for(m: Meeting, s: SignIn) -> Attendee | None:
    """The on-leave attendee this row stands in for: named in 备注 (`替黄永强`), or whose
    替会人员 starts with this name (`李明（凤鸣区发展改革局局长）`)."""
    away = [a for a in m.attendees if not a.present]
    named = STAND_IN.match(s.note.strip())
    for a in away:
        if named and a.name == "".join(named[1].split()):
            return a
    for a in away:
        if re.split(r"[（(，,、\s]", a.substitute.strip(), maxsplit=1)[0] == s.name:
            return a
    return None


def keep_earliest(rows: dict[Attendee, SignIn], a: Attendee, s: SignIn) -> None:
    old = rows.get(a)
    if old is None or (s.time is not None and (old.time is None or s.time < old.time)):
        rows[a] = s


def place(m: Meeting, o: Outcome, s: SignIn, path: Path, fail: Fail) -> None:
    found = candidates(m, s)
    if len(found) > 1:
        units = "、".join(a.unit for a in found)
        fail(s.line, f"姓名“{s.name}”在名单中有 {len(found)} 人（{units}），请填写单位以区分", path)
    elif found:
        keep_earliest(o.signed, found[0], s)
    elif (absentee := stood_in_for(m, s)) is not None:
        keep_earliest(o.substitutes, absentee, s)
    else:
        o.unknown.append(s)


def _ignore(line: int, message: str, path: Path | None = None) -> None:
    return None


def outcome(m: Meeting, fail: Fail | None = None) -> Outcome | None:
    """The sign-in result matched against the attendee list; None when there is no result."""
    report: Fail = fail or _ignore
    path = signin_path(m.folder, report)
    if path is None:
        return None
    o = Outcome(m.start, expected(m))
    for s in read_signins(path, m.start.date(), report):
        place(m, o, s, path, report)
    return o


# -- the form --

def clock(t: datetime | None, day: date) -> str:
    if t is None:
        return "—"
    hm = f"{t.hour}:{t.minute:02d}"
    return hm if t.date() == day else f"{t.month}月{t.day}日 {hm}"


def tally(o: Outcome, people: list[Attendee]) -> list[int]:
    """应到, 实到, 请假, 缺席, 迟到 among `people`."""
    group = set(people)
    return [len(group)] + [len(group.intersection(x)) for x in (o.present, o.leave, o.absent, o.late)]


def overall(o: Outcome) -> str:
    n = tally(o, o.expected)
    return (f"应到 {n[0]} 人　实到 {n[1]} 人　请假 {n[2]} 人　缺席 {n[3]} 人　迟到 {n[4]} 人"
            f"　替会 {len(o.substitutes)} 人")


def unit_table(o: Outcome) -> dict:
    units = list(dict.fromkeys(a.unit for a in o.expected))
    rows: list[list[Any]] = [[u, *tally(o, [a for a in o.expected if a.unit == u])] for u in units]
    rows.append(["合计", *tally(o, o.expected)])
    note = (f"应到不含工作人员、媒体；替会人员不计入实到；迟到指签到时间晚于会议开始时间"
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
    o = outcome(m, fail)
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
        return signin.skip(m)
    if signin_path(m.folder) is None:
        return "没有签到结果（signin.csv 或 signin.xlsx）"
    if not expected(m):
        return "名单中没有应到人员（工作人员、媒体不计）"
    return None
