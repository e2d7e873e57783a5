"""座次表 (seatmap.pdf): the seating plan in audience view — 主席台 at the top, 会场 below —
for the office director's approval, plus a staff copy with each person's 排序."""

from __future__ import annotations

from typing import Any

from .. import chinese, strokes
from ..joining import Layers, join
from ..layout.measure import text_width
from ..problems import Fail
from ..records import Meeting
from ..records.meeting import COUNTED
from ..records.seating import HALL, ROSTRUM, Plan, Seat
from ..render import Stash

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
    room = PAPER[size][1] - 2 * MARGIN - TOP - 22  # title, 主席台 bar, seat numbers, gaps, caption
    return round(min(12.0, room / max(1, plan.hall_rows + len(plan.rostrum_rows))), 2)


AISLE = 0.6  # an aisle's width, in seat boxes
RANK_MM = 2.6  # the staff copy's 序号 line under the name
LEGEND = "小字为序号，与签到表序号、证件编号一致；“代”为替会人员，坐所代领导的座位。"
TOP = 18.0  # mm below the top margin where the 主席台 bar starts (title and subtitle above)


Numbers = dict[int, int]  # id(person) → 序号 (the staff copy); empty for the copy to approve


def numbers(m: Meeting) -> Numbers:
    """Each attending person's 序号: protocol order, the same as the 签到表's 序号 and the 证件's No."""
    return {id(a): n for n, a in enumerate(m.attending, start=1)}


def tag(person: Any, numbered: Numbers) -> str:
    """The staff copy's line under a name: the 序号, and `代` for a 替会人员."""
    if not numbered or id(person) not in numbered:
        return ""
    return f"{numbered[id(person)]}{' 代' if person.stands_in else ''}"


def box(plan: Plan, s: Seat, x: float, y: float, cell: float, row: float, numbered: Numbers) -> dict[str, Any]:
    """One seat box at (x, y) mm: the name as large as fits, vertically centred by its top padding."""
    person = plan.taken.get(s)
    name = strokes.pad_name(person.name) if person else ""
    rank = tag(person, numbered) if person else ""
    note = "" if person else plan.reserved.get(s, "")
    size = min(NAME_MM, 0.82 * cell / max(text_width(name), 1), (0.45 if rank else 0.6) * row) if name else 0
    used = 1.15 * size + (RANK_MM if rank else 0) + (RANK_MM if note else 0)
    return {"x": round(x, 2), "y": round(y, 2), "name": name, "size": round(size, 2), "rank": rank, "note": note,
            "pad": round(max(0.0, (row - used) / 2), 2), "rostrum": s.area == ROSTRUM}


def blocks(boxes: list[dict[str, Any]], plan: Plan, seats: list[Seat], cell: float, row: float) -> list[dict[str, Any]]:
    """An outline round each reserved block (媒体席, 工作人员席), its name on the outline's top edge."""
    spans: dict[str, list[dict[str, Any]]] = {}
    for s, b in zip(seats, boxes, strict=True):
        if s in plan.reserved:
            spans.setdefault(plan.reserved[s], []).append(b)
    out = []
    for label, mine in spans.items():
        left, top = min(b["x"] for b in mine), min(b["y"] for b in mine)
        right, bottom = max(b["x"] for b in mine) + cell, max(b["y"] for b in mine) + row
        out.append({"x": left, "y": top, "w": round(right - left, 2), "h": round(bottom - top, 2), "text": label})
    return out


def layout(plan: Plan, width: float, cell: float, row: float, numbered: Numbers) -> dict[str, Any]:
    """Every box and label of the map, placed in mm from the top left of the page's content area."""
    boxes, labels = [], []
    reserved: list[dict[str, Any]] = []
    y = TOP + 8.0
    for r in range(len(plan.rostrum_rows), 0, -1):  # back row uppermost: the front row is nearest the hall
        n = plan.rostrum_rows[r - 1]
        left = (width - n * cell) / 2
        boxes += [box(plan, Seat(ROSTRUM, r, k), left + (k - 1) * cell, y, cell, row, numbered)
                  for k in range(1, n + 1)]
        y += row + 1.0
    if plan.hall_rows:
        y += 3.0
        grid = (plan.hall_seats + 2 + AISLE * len(plan.aisles)) * cell
        left = (width - grid) / 2
        xs = [left + cell * (k + AISLE * plan.aisles_before(k)) for k in range(1, plan.hall_seats + 1)]
        labels += [{"x": round(x, 2), "y": round(y, 2), "w": cell, "text": str(k)} for k, x in enumerate(xs, start=1)]
        y += 4.0
        hall: list[dict[str, Any]] = []
        seats = [Seat(HALL, r, k) for r in range(1, plan.hall_rows + 1) for k in range(1, plan.hall_seats + 1)]
        for r in range(1, plan.hall_rows + 1):
            hall += [box(plan, Seat(HALL, r, k), x, y, cell, row, numbered) for k, x in enumerate(xs, start=1)]
            labels += [{"x": round(x, 2), "y": round(y + row / 2 - 1.5, 2), "w": cell, "text": f"{r}排"}
                       for x in (left, xs[-1] + cell)]
            y += row
        boxes += hall
        reserved = blocks(hall, plan, seats, cell, row)
    return {"boxes": boxes, "labels": labels, "blocks": reserved, "height": round(y + 2, 2)}


BAND = 25  # seat boxes whose names are laid out together: a changed name lays out the names of its band again
# (a band of 50 took a worker 0.14–0.2 s, of 25 about half; a first build of 500 people has 20 bands more, ~0.3 s)


def context(m: Meeting, fail: Fail) -> list[dict[str, Any]]:
    """Each copy (the one to approve, the staff's) as its map without names — the boxes, labels, title — and then
    the names in bands of BAND boxes, each band a part of its own laid over the map (finish): a 替会 or a late
    name lays out one band again, not the two pages of hundreds of boxes."""
    plan = m.seat_plan
    assert plan is not None  # skipped without one
    size = paper(plan)
    cell, row = cell_mm(plan, size), row_mm(plan, size)
    draft = not plan.venue.get("approved")
    version = "　".join(x for x in (plan.venue.get("version") or "", chinese.cn_date(m.issued_on)) if x)
    docs = []
    for staff in (False, True):
        numbered = numbers(m) if staff else {}
        whole = layout(plan, PAPER[size][0] - 2 * MARGIN, cell, row, numbered)
        page = {"paper": size, "cell": cell, "row": row, "rank_mm": RANK_MM, "bar_top": TOP,
                "height": whole["height"], "title": f"{m.title}座次表" + ("（工作人员用）" if staff else "")}
        docs.append({
            **page, **whole, "names": False, "boxes": [_unnamed(b) for b in whole["boxes"]],
            "subtitle": f"{chinese.date_line(m.start, m.end, m.clock)}　{m.venue}",
            "draft": draft, "version": version, "staff": staff, "seated": seated(m),
            "legend": LEGEND if staff else "", "has_rostrum": bool(plan.rostrum_rows),
        })
        boxes = whole["boxes"]
        docs += [{**page, "names": True, "boxes": [b for b in boxes[i:i + BAND] if b["name"] or b["rank"]]}
                 for i in range(0, len(boxes), BAND)]
    return docs


def _unnamed(box: dict[str, Any]) -> dict[str, Any]:
    """What the map without names draws of a box (seatmap.html.j2): a name changed leaves the map's doc, and so
    its HTML, as it was — the map of 2,000 boxes is not laid out again by Jinja2 at every edit."""
    return {"x": box["x"], "y": box["y"], "rostrum": box["rostrum"], "note": box["note"],
            **({"pad": box["pad"]} if box["note"] else {})}


def finish(m: Meeting, pdfs: list[bytes], stash: Stash) -> list[tuple[str, bytes]]:
    """Each copy's map with its bands of names laid over it (the band's page is the map's size: drawn where it
    stands), the two copies one after the other."""
    half = len(pdfs) // 2
    return [("seatmap.pdf", join([Layers(pdfs[:half]), Layers(pdfs[half:])], duplex=False))]


def seated(m: Meeting) -> str:
    """The foot line: `共 77 人（拟到 66 人，另有工作人员、媒体 11 人）`, 拟到 on the one basis (Headcount)."""
    assert m.seat_plan is not None
    people = list(m.seat_plan.taken.values())
    counted, coming = sum(1 for a in people if a.role in COUNTED), m.headcount.coming
    parts = [f"拟到 {coming} 人" if counted == coming else f"其中参会人员 {counted} 人，拟到 {coming} 人"]
    if len(people) > counted:
        parts.append(f"另有工作人员、媒体 {len(people) - counted} 人")
    return f"共 {len(people)} 人（{'，'.join(parts)}）"


def skip(m: Meeting) -> str | None:
    if m.seat_plan is None:
        return "没有座次（venue.yaml 或 meeting.md 中的 seating）"
    return None if m.seat_plan.taken else "座次中没有人"
