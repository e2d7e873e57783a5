"""The meeting model: a validated meeting with its attendees."""

from __future__ import annotations

import difflib
import os
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

from .. import strokes
from ..chinese import parse_datetime
from ..problems import Problems
from ..sources import Source, read_meeting
from ..tables import Table, read_table, table_file
from . import schema

ROLES = list(schema.ROLES)
STATUSES = ["参会", "请假"]
SECRET_LEVELS = set(schema.SECRET_LEVELS)

# column key -> accepted headers (Chinese first: that is what messages name)
COLUMNS: dict[str, tuple[str, ...]] = {
    "name": ("姓名", "name"),
    "unit": ("单位", "unit"),
    "title": ("职务", "title"),
    "role": ("类别", "role"),
    "rank": ("排序", "rank"),
    "status": ("状态", "status"),
    "leave_reason": ("请假原因", "leave_reason"),
    "phone": ("电话", "phone", "联系电话"),
    "substitute": ("替会人员", "substitute", "代会人员"),
    "group": ("分组", "group"),
    "vehicle": ("车辆", "vehicle", "乘车"),
    "seat": ("座位", "seat", "座次"),
    "return_date": ("返程日期", "return_date"),
    "return_mode": ("返程方式", "return_mode"),
    "return_ref": ("车次航班", "return_ref", "航班车次", "车次/航班"),
    "note": ("备注", "note"),
}
REQUIRED_COLUMNS = ("name", "unit")


@dataclass(frozen=True)
class Attendee:
    name: str
    unit: str
    title: str
    role: str
    rank: int | None
    status: str
    leave_reason: str
    phone: str
    note: str
    line: int
    substitute: str = ""
    group: str = ""
    vehicle: str = ""
    seat: str = ""
    return_date: date | None = None  # 返程日期
    return_mode: str = ""  # 返程方式: 飞机、火车、自驾…
    return_ref: str = ""  # 车次航班

    @property
    def present(self) -> bool:
        return self.status == "参会"

    @property
    def unit_and_title(self) -> str:
        return f"{self.unit}{self.title}"


@dataclass(kw_only=True)
class Listed(schema.Front):
    """A meeting as meeting.md and the attendee table give it: what every other record is read against.
    The whole meeting, with those records, is `records.Meeting`."""

    id: str
    folder: Path
    source: Source
    attendees: list[Attendee] = field(default_factory=list)
    attendees_path: Path | None = None
    @property
    def secret(self) -> bool:
        return self.classification in SECRET_LEVELS

    @property
    def secrecy_mark(self) -> str:
        """`机密★1年` for a classified meeting, else empty."""
        if not self.secret:
            return ""
        return self.classification + (f"★{self.secrecy_term}" if self.secrecy_term else "")

    @property
    def sort_method(self) -> str:
        return schema.NAME_ORDERS[self.name_order]

    @property
    def issued_on(self) -> date:
        return self.signed_on or self.start.date()

    @property
    def created(self) -> str:
        """The PDFs' creation date: the signing day, so the same sources give the same
        bytes on any machine, whatever its clock or time zone."""
        return f"{self.issued_on.isoformat()}T00:00:00+08:00"

    def ordered(self, people: list[Attendee]) -> list[Attendee]:
        """Protocol order: category, then 排序, then name strokes (domain.md §3)."""
        def key(a: Attendee) -> tuple:
            role = ROLES.index(a.role) if a.role in ROLES else len(ROLES)
            return (role, a.rank is None, a.rank or 0, strokes.sort_key(a.name, self.sort_method))

        return sorted(people, key=key)

    @property
    def present(self) -> list[Attendee]:
        return self.ordered([a for a in self.attendees if a.present])

    @property
    def on_leave(self) -> list[Attendee]:
        return self.ordered([a for a in self.attendees if not a.present])


def build_date() -> date:
    """Today, for deadlines; HUIWU_TODAY=YYYY-MM-DD fixes it (tests, reprinting an old packet)."""
    fixed = os.environ.get("HUIWU_TODAY")
    return date.fromisoformat(fixed) if fixed else date.today()


M = TypeVar("M", bound=Listed)


def load_meeting(folder: Path, problems: Problems, settings: dict[str, Any], cls: type[M]) -> M | None:
    """meeting.md and the attendee table, read and checked; problems are collected, not raised."""
    source = read_meeting(folder / "meeting.md", problems)
    if source is None:
        return None
    fields = schema.check(source, problems, settings)
    meeting = cls(id=folder.name, folder=folder, source=source, **fields)
    table_path = attendee_table(folder, problems)
    if table_path is not None:
        table = read_table(table_path, problems)
        if table is not None:
            meeting.attendees = _attendees(table, problems)
            meeting.attendees_path = table_path
    return meeting


def attendee_table(folder: Path, problems: Problems) -> Path | None:
    path, clash = table_file(folder, "attendees")
    if clash:
        problems.add(folder / "attendees.xlsx", 1, clash)
    return path


def _attendees(table: Table, problems: Problems) -> list[Attendee]:
    columns = _columns(table, problems)
    if columns is None:
        return []
    people = []
    for line, cells in table.rows:
        raw = {key: cells[i] if i < len(cells) else "" for key, i in columns.items()}
        person = _attendee(raw, line, table.path, problems)
        if person:
            people.append(person)
    return people


def _columns(table: Table, problems: Problems) -> dict[str, int] | None:
    lookup = {h.lower(): key for key, names in COLUMNS.items() for h in names}
    columns: dict[str, int] = {}
    for i, header in enumerate(table.header):
        key = lookup.get(header.strip().lower())
        if key:
            columns[key] = i
        elif header:
            close = difflib.get_close_matches(header, list(lookup), n=1, cutoff=0.5)
            if close:
                problems.add(table.path, table.header_line, f"未知的列“{header}”，是不是“{close[0]}”？")
    missing = [COLUMNS[k][0] for k in REQUIRED_COLUMNS if k not in columns]
    if missing:
        problems.add(table.path, table.header_line, f"表头缺少必需的列：{'、'.join(missing)}")
        return None
    return columns


def _attendee(raw: dict[str, str], line: int, path: Path, problems: Problems) -> Attendee | None:
    errors_before = len(problems)
    name = "".join(raw.get("name", "").split())  # padding is a rendering choice; keep the middle dot
    if not name:
        problems.add(path, line, "姓名: 不能为空")
    elif unknown := strokes.missing_chars(name):
        problems.add(path, line, f"姓名“{name}”中的“{unknown[0]}”不在笔画数据中，无法按笔画排序")
    role = raw.get("role") or "出席"
    if role not in ROLES:
        problems.add(path, line, f"类别: 应为 {'、'.join(ROLES)} 之一，收到“{role}”")
    status = raw.get("status") or "参会"
    if status not in STATUSES:
        problems.add(path, line, f"状态: 应为 参会 或 请假，收到“{status}”")
    rank = None
    if raw.get("rank"):
        try:
            rank = int(raw["rank"])
        except ValueError:
            problems.add(path, line, f"排序: 应为整数，收到“{raw['rank']}”")
    return_date = None
    if raw.get("return_date"):
        parsed, _, error = parse_datetime(raw["return_date"])
        if error or parsed is None:
            problems.add(path, line, f"返程日期: {error or '无法识别'}")
        else:
            return_date = parsed.date()
    if len(problems) > errors_before:
        return None
    return Attendee(name, raw.get("unit", ""), raw.get("title", ""), role, rank, status,
                    raw.get("leave_reason", ""), raw.get("phone", ""), raw.get("note", ""), line,
                    raw.get("substitute", ""), raw.get("group", ""), raw.get("vehicle", ""),
                    "".join(raw.get("seat", "").split()), return_date, raw.get("return_mode", ""),
                    raw.get("return_ref", ""))
