"""座次: who sits where, by protocol (domain.md §2).

The venue (venue.yaml in the meeting folder, or a `seating:` block in meeting.md)
gives rostrum rows and the hall grid; people with 类别 主席台 fill the rostrum by
排序, each row centre-out (variant A, B or C); the others fill the hall by unit.
A 座位 written in the attendee table wins over the algorithm.
Seat numbers run 1.. from the audience's left; rows from the front.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

from ..problems import Fail, Problems
from ..sources import Source, read_yaml
from . import schema
from .meeting import Attendee, Listed

ROSTRUM, HALL = "主席台", "会场"
HALL_ROLES = ("出席", "列席", "特邀")  # seated in the hall unless a reserved block says otherwise
SEAT_TEXT = re.compile(r"^(主席台)?(\d+)排(\d+)号$")


@dataclass(frozen=True, order=True)
class Seat:
    area: str  # ROSTRUM or HALL
    row: int  # 1 = front
    number: int  # 1.. from the audience's left

    @property
    def label(self) -> str:
        return f"{'主席台' if self.area == ROSTRUM else ''}{self.row}排{self.number}号"


@dataclass
class Plan:
    venue: dict[str, Any]
    rostrum_rows: list[int]  # seats per rostrum row, front first
    hall_rows: int
    hall_seats: int  # per row
    aisles: list[int]  # an aisle after these seat numbers
    taken: dict[Seat, Attendee] = field(default_factory=dict)
    _seats: dict[int, Seat] = field(default_factory=dict)  # id(person) → seat
    reserved: dict[Seat, str] = field(default_factory=dict)  # seat → what it is kept for (媒体席)

    def take(self, seat: Seat, person: Attendee) -> None:
        self.taken[seat] = person
        self._seats[id(person)] = seat

    def seat_of(self, person: Attendee) -> Seat | None:
        return self._seats.get(id(person))

    def seated(self) -> list[tuple[Seat, Attendee]]:
        """Rostrum first (front row first), then the hall; each row from the audience's left."""
        return sorted(self.taken.items(), key=lambda item: (item[0].area != ROSTRUM, item[0].row, item[0].number))

    def aisles_before(self, number: int) -> int:
        """How many aisles a hall seat has to its left (from the audience): where a drawing places it."""
        return sum(1 for a in self.aisles if a < number)

    def exists(self, seat: Seat) -> bool:
        if seat.area == ROSTRUM:
            return 1 <= seat.row <= len(self.rostrum_rows) and 1 <= seat.number <= self.rostrum_rows[seat.row - 1]
        return 1 <= seat.row <= self.hall_rows and 1 <= seat.number <= self.hall_seats


# -- the protocol order of one row (domain.md §2.2) --

def positions(n: int, variant: str) -> list[int]:
    """Seat index (1.. from the audience's left) of ranks 1..n in a row of n."""
    if variant == "B" and n % 2 == 0:
        c = n // 2 + 1
        return [c if r == 1 else c - r // 2 if r % 2 == 0 else c + (r - 1) // 2 for r in range(1, n + 1)]
    c = math.ceil(n / 2)
    placed = [c if r == 1 else c + r // 2 if r % 2 == 0 else c - (r - 1) // 2 for r in range(1, n + 1)]
    return [n + 1 - p for p in placed] if variant == "C" else placed


def row_positions(people: int, seats: int, variant: str) -> list[int]:
    """`people` ranked persons in a row of `seats`, centred on the row."""
    offset = (seats - people) // 2
    return [offset + p for p in positions(people, variant)]


# -- reading the venue --

def venue(m: Listed, problems: Problems) -> tuple[dict[str, Any], Source, tuple] | None:
    """The validated venue, its source and the key prefix of its lines; None without one."""
    path = m.folder / "venue.yaml"
    if path.exists() and m.seating:
        problems.add(path, 1, "venue.yaml 与 meeting.md 中的 seating 只能保留一个，否则不知以哪个为准")
    if m.seating:
        return m.seating, m.source, ("seating",)
    if not path.exists():
        return None
    source = read_yaml(path, problems)
    return None if source is None else (schema.check_venue(source, problems), source, ())


def assign(m: Listed, problems: Problems) -> Plan | None:
    """Seat everyone who gets a seat; problems (clashes, overflow) are collected, not raised. None: the
    meeting has no venue layout (or no one to seat)."""
    found = venue(m, problems)
    if found is None or not m.attendees:
        return None
    data, source, key = found
    if not data.get("rostrum") and not data.get("hall"):
        problems.add(source.path, source.line(*key), "座次：至少要有 rostrum（主席台）或 hall（会场）")
        return None

    def fail(line: int, message: str, path: Any = None) -> None:
        problems.add(path or source.path, line, message)

    plan = Plan(data, (data["rostrum"] or {}).get("rows", []), *_hall_size(data["hall"]))
    where = lambda *k: source.line(*key, *k)  # noqa: E731
    _explicit(m, plan, fail)
    _rostrum(m, plan, data["rostrum"] or {}, where, fail)
    if data["hall"]:
        _hall(m, plan, data["hall"], where, fail)
    return plan


def _hall_size(hall: dict | None) -> tuple[int, int, list[int]]:
    return (hall["rows"], hall["seats"], sorted(hall["aisles"])) if hall else (0, 0, [])


def _explicit(m: Listed, plan: Plan, fail: Fail) -> None:
    """座位 written in the attendee table: checked, then taken before the algorithm runs."""
    path = m.attendees_path
    for a in m.attendees + m.stand_ins:
        if not a.seat or any(s.stands_in is a for s in m.stand_ins):
            continue  # a stand-in takes the principal's 座位
        parsed = SEAT_TEXT.match(a.seat)
        if not parsed:
            fail(a.line, f"座位“{a.seat}”应写成“5排12号”或“主席台1排3号”", path)
            continue
        seat = Seat(ROSTRUM if parsed[1] else HALL, int(parsed[2]), int(parsed[3]))
        if not a.present:
            fail(a.line, f"{a.name}已请假，不应安排座位（{a.seat}）", path)
        elif not plan.exists(seat):
            fail(a.line, f"座位“{a.seat}”不存在：{_size(plan, seat.area)}", path)
        elif seat in plan.taken:
            other = plan.taken[seat]
            fail(a.line, f"座位{seat.label}重复：已安排给{other.name}（第{other.line}行）", path)
        else:
            plan.take(seat, a)


def _size(plan: Plan, area: str) -> str:
    if area == ROSTRUM:
        return f"主席台共 {len(plan.rostrum_rows)} 排，每排 {'、'.join(map(str, plan.rostrum_rows)) or 0} 座"
    return f"会场共 {plan.hall_rows} 排，每排 {plan.hall_seats} 座"


def _fill(plan: Plan, people: list[Attendee], seats: list[Seat]) -> None:
    free = [s for s in seats if s not in plan.taken]
    for person, seat in zip(people, free, strict=False):  # overflow is reported by the caller
        plan.take(seat, person)


def _rostrum(m: Listed, plan: Plan, rostrum: dict, where: Any, fail: Fail) -> None:
    """Ranks fill the rostrum row by row; in each row the seats go by protocol precedence."""
    people = [a for a in m.attending if a.role == ROSTRUM and plan.seat_of(a) is None]
    variant = rostrum.get("variant") or m.rostrum_variant
    order = [Seat(ROSTRUM, r, p) for r, n in enumerate(plan.rostrum_rows, start=1) for p in positions(n, variant)]
    free = [s for s in order if s not in plan.taken]
    if len(free) == len(order):  # no 座位 written: a row not filled closes up round its centre
        free = closed_up(plan.rostrum_rows, len(people), variant)
    if len(people) > len(free):
        seated = sum(1 for s in plan.taken if s.area == ROSTRUM)
        fail(where("rostrum", "rows") or where(), f"座次：主席台 {len(people) + seated} 人，座位只有 {len(order)} 个")
    _fill(plan, people, free)


def closed_up(rows: list[int], people: int, variant: str) -> list[Seat]:
    """Rostrum seats in precedence order for `people`: full rows front first, the last row centred."""
    out: list[Seat] = []
    for r, n in enumerate(rows, start=1):
        k = min(n, people - len(out))
        out += [Seat(ROSTRUM, r, p) for p in row_positions(k, n, variant)]
    return out + [Seat(ROSTRUM, r, p) for r, n in enumerate(rows, start=1) for p in positions(n, variant)
                  if Seat(ROSTRUM, r, p) not in out]


def _hall(m: Listed, plan: Plan, hall: dict, where: Any, fail: Fail) -> None:
    reserved = _reserved(plan, hall, where, fail)
    taken_by_blocks = {s for seats in reserved.values() for s in seats}
    general = [s for s in _hall_order(plan, hall["method"], m.rostrum_variant) if s not in taken_by_blocks]
    for role, seats in reserved.items():
        people = [a for a in by_unit(m, (role,)) if plan.seat_of(a) is None]
        free = [s for s in seats if s not in plan.taken]
        _overflow(len(people), free, f"{role}专座", where("hall", "reserved"), fail)
        _fill(plan, people, seats)
    people = [a for a in by_unit(m, tuple(r for r in HALL_ROLES if r not in reserved)) if plan.seat_of(a) is None]
    _overflow(len(people), [s for s in general if s not in plan.taken], "会场座位", where("hall"), fail)
    _fill(plan, people, general)


def _overflow(need: int, free: list[Seat], what: str, line: int, fail: Fail) -> None:
    if need > len(free):
        fail(line, f"座次：{what}不足，需要 {need} 个，还有 {len(free)} 个空座")


def by_unit(m: Listed, roles: tuple[str, ...]) -> list[Attendee]:
    """Attending people of these roles: role by role, units in order of their first member, the unit kept
    together (a stand-in with the unit attended for)."""
    out: list[Attendee] = []
    for role in roles:
        units: dict[str, list[Attendee]] = {}  # in order of their first member (a list looked through once a role:
        # once a unit, 2,000 people of 80 units took 15 ms of every build before its first document)
        for a in m.attending:
            if a.role == role:
                units.setdefault(a.delegation, []).append(a)
        for people in units.values():
            out += people
    return out


def _hall_order(plan: Plan, method: str, variant: str) -> list[Seat]:
    """The hall's seats in the order units fill them (domain.md §2.4)."""
    rows, seats = range(1, plan.hall_rows + 1), range(1, plan.hall_seats + 1)
    if method == "竖排":
        return [Seat(HALL, r, s) for s in seats for r in rows]
    if method == "左右":
        return [Seat(HALL, r, p) for r in rows for p in positions(plan.hall_seats, variant)]
    return [Seat(HALL, r, s) for r in rows for s in seats]


def _reserved(plan: Plan, hall: dict, where: Any, fail: Fail) -> dict[str, list[Seat]]:
    """role → its reserved seats, front row first."""
    out: dict[str, list[Seat]] = {}
    for i, block in enumerate(hall["reserved"]):
        span = re.fullmatch(r"(\d+)(?:\s*[-—~～至]\s*(\d+))?", block["seats"])
        line = where("hall", "reserved", i, "seats")
        if not span:
            fail(line, f"专座座号应写成“1-4”或“5”，收到“{block['seats']}”")
            continue
        first, last = int(span[1]), int(span[2] or span[1])
        seats = [Seat(HALL, r, s) for r in block["rows"] for s in range(first, last + 1)]
        missing = [s.label for s in seats if not plan.exists(s)]
        if missing:
            fail(line, f"专座{missing[0]}不存在：{_size(plan, HALL)}")
            continue
        out.setdefault(block["role"], []).extend(seats)
        plan.reserved.update(dict.fromkeys(seats, block["label"] or f"{block['role']}席"))
    return out
