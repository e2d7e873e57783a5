"""The meeting model: a validated meeting with its attendees."""

from __future__ import annotations

import difflib
import os
import re
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
COUNTED = ("主席台", "出席", "列席", "特邀")  # who 应到 counts (domain.md §5.6): never 工作人员 or 媒体
STATUSES = ["参会", "请假"]
SUBSTITUTE = re.compile(r"^([^（(，,、\s]+)\s*[（(，,、\s]?\s*(.*?)[）)]?$")  # 李明（凤鸣区发展改革局局长）
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
    "substitute_unit": ("替会人员单位", "substitute_unit"),
    "substitute_title": ("替会人员职务", "substitute_title"),
    "group": ("分组", "group"),
    "vehicle": ("车辆", "vehicle", "乘车"),
    "seat": ("座位", "seat", "座次"),
    "return_date": ("返程日期", "return_date"),
    "return_mode": ("返程方式", "return_mode"),
    "return_ref": ("车次航班", "return_ref", "航班车次", "车次/航班"),
    "lodging": ("住宿", "lodging", "住宿地点"),
    "room": ("房间", "room", "房间号"),
    "meals": ("就餐", "meals", "用餐"),
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
    substitute_unit: str = ""  # 替会人员单位, when the table gives it apart
    substitute_title: str = ""  # 替会人员职务
    lodging: str = ""  # 住宿: where they stay (a hotel, a building)
    room: str = ""  # 房间
    meals: str = ""  # 就餐: the meals arranged for them
    stands_in: Attendee | None = None  # a 替会人员: the person on leave whose place this one takes

    @property
    def present(self) -> bool:
        return self.status == "参会"

    @property
    def unit_and_title(self) -> str:
        return f"{self.unit}{self.title}"

    @property
    def delegation(self) -> str:
        """The unit this person attends for: a stand-in's is the principal's (seated with it, given its copy)."""
        return self.stands_in.unit if self.stands_in else self.unit

    @property
    def listed_name(self) -> str:
        """The name as pre-printed on the forms: `李明（代黄永强）` for a stand-in."""
        return f"{self.name}（代{self.stands_in.name}）" if self.stands_in else self.name


@dataclass(frozen=True)
class Headcount:
    """The one basis of every count a document states (domain.md §5.6)."""

    expected: int  # 应到: 主席台、出席、列席、特邀
    leave: int  # 请假, of those
    stand_ins: int  # 替会人员 expected in their place

    @property
    def coming(self) -> int:
        """拟到 = 应到 − 请假 + 替会人员."""
        return self.expected - self.leave + self.stand_ins


@dataclass(kw_only=True)
class Listed(schema.Front):
    """A meeting as meeting.md and the attendee table give it: what every other record is read against.
    The whole meeting, with those records, is `records.Meeting`."""

    id: str
    folder: Path
    source: Source
    attendees: list[Attendee] = field(default_factory=list)
    attendees_path: Path | None = None
    stand_ins: list[Attendee] = field(default_factory=list)  # 替会人员, each in the place of one on leave
    headcount: Headcount = field(default_factory=lambda: Headcount(0, 0, 0))
    # `ordered`'s answers by the order rule and the people's identities; each entry keeps its people, so an
    # identity is never that of another person made later. Never copied (a replaced meeting sorts anew).
    _sorted: dict[tuple, tuple[list[Attendee], list[Attendee]]] = field(
        default_factory=dict, init=False, repr=False, compare=False)
    # materials.copies' answers, the same way: each entry keeps the material and the people it was asked for.
    _copies: dict[tuple, tuple[dict, list[Attendee], list]] = field(
        default_factory=dict, init=False, repr=False, compare=False)

    @property
    def secret(self) -> bool:
        return self.classification in SECRET_LEVELS

    @property
    def secrecy_mark(self) -> str:
        """`机密★1年` for a classified meeting, else empty."""
        return schema.secrecy_mark(self.classification, self.secrecy_term or "")

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
        """Protocol order: category, then 排序, then name strokes (domain.md §3). Worked out once for the same
        people (the documents ask for the attending ~90 times a build); a new list each time."""
        method = self.sort_method
        asked = (method, *map(id, people))
        known = self._sorted.get(asked)
        if known is not None:
            return list(known[1])

        def key(a: Attendee) -> tuple:
            role = ROLES.index(a.role) if a.role in ROLES else len(ROLES)
            return (role, a.rank is None, a.rank or 0, strokes.sort_key(a.name, method))

        answer = sorted(people, key=key)
        self._sorted[asked] = (list(people), answer)
        return list(answer)

    @property
    def present(self) -> list[Attendee]:
        return self.ordered([a for a in self.attendees if a.present])

    @property
    def on_leave(self) -> list[Attendee]:
        return self.ordered([a for a in self.attendees if not a.present])

    @property
    def attending(self) -> list[Attendee]:
        """Who is expected in the hall: the present and the stand-ins, each stand-in in the principal's place."""
        return self.ordered([a for a in self.attendees if a.present] + self.stand_ins)


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
    meeting.stand_ins = stand_ins(meeting.attendees, meeting.substitute_on_rostrum)
    meeting.headcount = headcount(meeting.attendees, meeting.stand_ins)
    return meeting


def headcount(people: list[Attendee], stand_ins: list[Attendee]) -> Headcount:
    counted = [a for a in people if a.role in COUNTED]
    return Headcount(len(counted), sum(not a.present for a in counted),
                     sum(1 for s in stand_ins if s.stands_in and s.stands_in.role in COUNTED))


def stand_ins(people: list[Attendee], on_rostrum: bool) -> list[Attendee]:
    """An attendee for each 替会人员 named by someone on leave: their own name, unit and title; the principal's
    category and 排序 (a rostrum leader's stand-in sits in the hall, as 出席, unless `on_rostrum`) and line."""
    out = []
    for a in people:
        if a.present or not a.substitute:
            continue
        name, unit, title = substitute_parts(a)
        role = "出席" if a.role == "主席台" and not on_rostrum else a.role
        out.append(Attendee(name, unit, title, role, a.rank, "参会", "", "", "", a.line,
                            seat=a.seat if role == a.role else "", stands_in=a))
    return out


def substitute_parts(a: Attendee) -> tuple[str, str, str]:
    """(name, unit, title) of a 替会人员: `李明（凤鸣区发展改革局局长）`, or the name with the columns
    替会人员单位 and 替会人员职务. A description that starts with the principal's unit splits there; any other
    is kept whole as the unit (nothing guesses where a unit's name ends)."""
    found = SUBSTITUTE.match(a.substitute.strip())
    name, described = (found[1], found[2].strip()) if found else (a.substitute.strip(), "")
    if a.substitute_unit or a.substitute_title:
        return name, a.substitute_unit, a.substitute_title
    if a.unit and described.startswith(a.unit) and described != a.unit:
        return name, a.unit, described[len(a.unit):]
    return name, described, ""


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


NAME_MOST = 30  # characters in a name (阿卜杜热合曼·买买提明: 11): its badge's QR code holds it, with room to spare


def _attendee(raw: dict[str, str], line: int, path: Path, problems: Problems) -> Attendee | None:
    errors_before = len(problems)
    name = "".join(raw.get("name", "").split())  # padding is a rendering choice; keep the middle dot
    if not name:
        problems.add(path, line, "姓名: 不能为空")
    elif len(name) > NAME_MOST:
        problems.add(path, line, f"姓名: 有 {len(name)} 个字，超过 {NAME_MOST} 个字，不像是一个人的姓名：请检查此行")
    elif unknown := strokes.missing_chars(name):
        problems.add(path, line, f"姓名“{name}”中的“{unknown[0]}”不在笔画数据中，无法按笔画排序")
    _check_substitute(raw, line, path, problems)
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
                    raw.get("return_ref", ""), raw.get("substitute_unit", ""), raw.get("substitute_title", ""),
                    raw.get("lodging", ""), raw.get("room", ""), raw.get("meals", ""))


def _check_substitute(raw: dict[str, str], line: int, path: Path, problems: Problems) -> None:
    """A 替会人员 is written for someone on leave, and their name can be sorted like any other."""
    text = raw.get("substitute", "").strip()
    if not text:
        if raw.get("substitute_unit") or raw.get("substitute_title"):
            problems.add(path, line, "填写了替会人员单位或职务，却没有填写替会人员姓名")
        return
    if (raw.get("status") or "参会") == "参会":
        problems.add(path, line, f"替会人员“{text}”：本人状态为参会，不需要替会人员；本人请假请把状态写成“请假”")
    found = SUBSTITUTE.match(text)
    name = found[1] if found else text
    if len(name) > NAME_MOST:
        problems.add(path, line, f"替会人员姓名: 有 {len(name)} 个字，超过 {NAME_MOST} 个字，不像是一个人的姓名")
    elif unknown := strokes.missing_chars(name):
        problems.add(path, line, f"替会人员姓名“{name}”中的“{unknown[0]}”不在笔画数据中，无法按笔画排序")
