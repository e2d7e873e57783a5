"""座次表 (seatmap.pdf): the seating plan in audience view — 主席台 at the top, 会场 below —
for the office director's approval, plus a staff copy with each person's 排序."""

from __future__ import annotations

from typing import Any

from . import chinese, strokes
from .model import Meeting
from .problems import Fail
from .seating import HALL, ROSTRUM, Plan, Seat
from .signs import text_width

PAPER = {"A4": (297.0, 210.0), "A3": (420.0, 297.0)}  # landscape, mm
MARGIN = 12.0  # mm
NAME_MM = 5.0  # largest name letter height in a seat box


def paper(plan: Plan) -> str:
    chosen = plan.venue.get("paper")
    if chosen:
        return chosen
    return "A4" if cell_mm(plan, "A4") >= 14 and row_mm(plan, "A4") >= 9 else "A3"  # names still legible


def cell_mm(plan: Plan, size: str) -> float:
    """Width of one seat box: the widest row, aisles and two row-label columns across the page."""
    width = PAPER[size][0] - 2 * MARGIN
    columns = max([plan.hall_seats + len(plan.aisles) + 2, *(n + 2 for n in plan.rostrum_rows)])
    return round(width / columns, 2)


def row_mm(plan: Plan, size: str) -> float:
    """Height of a row of seat boxes: everything on one sheet, at most 12 mm."""
    room = PAPER[size][1] - 2 * MARGIN - 48  # title, subtitle, 主席台 bar, seat numbers, caption
    return round(min(12.0, room / max(1, plan.hall_rows + len(plan.rostrum_rows))), 2)


def seat(plan: Plan, s: Seat, cell: float, staff: bool) -> dict[str, Any]:
    person = plan.taken.get(s)
    if person is None:
        return {"name": "", "size": 0, "note": plan.reserved.get(s, ""), "rank": ""}
    name = strokes.pad_name(person.name)
    size = min(NAME_MM, 0.82 * cell / max(text_width(name), 1))
    rank = f"{person.role}{person.rank or ''}" if staff else ""
    return {"name": name, "size": round(size, 2), "note": "", "rank": rank}


def rostrum_rows(plan: Plan, cell: float, staff: bool) -> list[list[dict]]:
    """Back row first: in audience view the front row is nearest the hall."""
    rows = [[seat(plan, Seat(ROSTRUM, r, n), cell, staff) for n in range(1, count + 1)]
            for r, count in enumerate(plan.rostrum_rows, start=1)]
    return rows[::-1]


def hall_rows(plan: Plan, cell: float, staff: bool) -> list[dict]:
    out = []
    for r in range(1, plan.hall_rows + 1):
        seats = []
        for n in range(1, plan.hall_seats + 1):
            seats.append(seat(plan, Seat(HALL, r, n), cell, staff))
            if n in plan.aisles:
                seats.append({"aisle": True})
        out.append({"row": r, "seats": seats})
    return out


def header(plan: Plan) -> list[str]:
    """Seat numbers above the hall, with blanks for the aisles."""
    out: list[str] = []
    for n in range(1, plan.hall_seats + 1):
        out.append(str(n))
        if n in plan.aisles:
            out.append("")
    return out


def context(m: Meeting, fail: Fail) -> list[dict[str, Any]]:
    plan: Plan = m.seat_plan
    size = paper(plan)
    cell = cell_mm(plan, size)
    draft = "" if plan.venue.get("approved") else "送审稿"
    version = "　".join(x for x in (plan.venue.get("version") or "", chinese.cn_date(m.issued_on)) if x)
    docs = []
    for staff in (False, True):
        docs.append({
            "title": f"{m.title}座次表" + ("（工作人员用）" if staff else ""),
            "subtitle": f"{chinese.date_line(m.start, m.end, m.clock)}　{m.venue}",
            "paper": size, "cell": cell, "row_mm": row_mm(plan, size), "draft": draft, "version": version,
            "staff": staff,
            "rostrum": rostrum_rows(plan, cell, staff), "hall": hall_rows(plan, cell, staff),
            "numbers": header(plan), "seated": len(plan.taken),
        })
    return docs


def skip(m: Meeting) -> str | None:
    if m.seat_plan is None:
        return "没有座次（venue.yaml 或 meeting.md 中的 seating）"
    return None if m.seat_plan.taken else "座次中没有人"
