"""主席台材料核对表 (rostrum-materials.pdf): for each rostrum seat, in seat order, the materials stacked there
top to bottom with their 份号 and page counts, to check order and pages seat by seat before the meeting
("对摆放在主席台上的材料，要从头到尾检查顺序和页码").

A seat's materials are the copies the register hands its holder (records.materials.copies); the page count
is the material's PDF's (`file`), else its declared `pages`.
"""

from __future__ import annotations

from typing import Any

from .. import strokes
from ..layout.forms import TICK, Col, Flag, form, table, time_place
from ..problems import Fail
from ..records import Meeting
from ..records.materials import Copy, copies
from ..records.meeting import Attendee
from ..records.seating import ROSTRUM, Seat

COLUMNS = [Col("顺序", 14), Col("材料名称", 92, "left"), Col("份号", 22), Col("密级", 18), Col("页数", 16),
           Col("已核对", 18)]
UNKNOWN = "未知"


Stack = list[tuple[int, dict, Copy]]  # (index in `materials`, material, copy), in the order they lie


def stacks(m: Meeting) -> list[tuple[Seat, Attendee, Stack]]:
    """The rostrum's seats with their people and the copies each is handed: front row first, each row from the
    audience's left. Each material's copies are worked out once."""
    seated = [(s, a) for s, a in (m.seat_plan.seated() if m.seat_plan else []) if s.area == ROSTRUM]
    handed = [(i, mat, copies(m, mat)) for i, mat in enumerate(m.materials)] if seated else []
    return [(s, a, [(i, mat, c) for i, mat, each in handed for c in each if c.holder is a]) for s, a in seated]


def pages(m: Meeting, i: int) -> Any:
    return m.pages[i] if i in m.pages else Flag(UNKNOWN)


def rows(m: Meeting, found: list[tuple[Seat, Attendee, Stack]]) -> list:
    out: list = []
    for seat, a, stack in found:
        out.append(f"{seat.label}　{strokes.pad_name(a.name)}　{a.unit_and_title}")
        out += [[k, mat["title"], c.number or "—", mat["classification"], pages(m, i), TICK]
                for k, (i, mat, c) in enumerate(stack, start=1)]
    return out


def lead(m: Meeting, found: list[tuple[Seat, Attendee, Stack]]) -> list[str]:
    line = f"主席台 {len(found)} 个座位，共摆放材料 {sum(len(stack) for _, _, stack in found)} 份"
    placed = {i for _, _, stack in found for i, _, _ in stack}
    unknown = [mat["title"] for i, mat in enumerate(m.materials) if i in placed and i not in m.pages]
    return [line] + ([f"页数未知（请在 materials 中写 file 或 pages）：{'、'.join(unknown)}"] if unknown else [])


def context(m: Meeting, fail: Fail) -> list[dict[str, Any]]:
    note = ("各座位的材料自上而下按“顺序”摆放。逐座从头到尾翻检每份材料：顺序正确，页码连续，无缺页、倒页、"
            "重页，份号与座位上的人一致，核对无误后在“已核对”栏打勾。")
    found = stacks(m)
    return [form(f"{m.title}主席台材料核对表", time_place(m), [table(COLUMNS, rows(m, found), note=note)],
                 lead=lead(m, found))]


def skip(m: Meeting) -> str | None:
    found = stacks(m)
    if not found:
        return "座次中主席台没有人（venue.yaml 的 rostrum，名单中类别为主席台的人员）"
    if not any(stack for _, _, stack in found):
        return "没有发给主席台的材料（materials 中 to 含主席台或不写 to，且每人一份）"
    return None
