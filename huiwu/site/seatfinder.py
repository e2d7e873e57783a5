"""The site's seat finder: the seat plan as SVG shapes, and the seated people with their pinyin keys."""

from __future__ import annotations

from typing import Any

from markupsafe import Markup, escape

from ..records.seating import HALL, ROSTRUM, Plan, Seat
from . import search

CELL, ROW, AISLE = 20.0, 13.0, 8.0  # SVG user units


def context(plan: Plan) -> dict[str, Any]:
    """The seat map as SVG shapes and the list of seated people (with pinyin keys) for the finder."""
    widest = max([plan.hall_seats * CELL + len(plan.aisles) * AISLE, *(n * CELL for n in plan.rostrum_rows)])
    width = widest + 2 * CELL  # row labels on both sides
    seats: list[dict[str, Any]] = []
    labels: list[dict[str, Any]] = []
    y = 4.0
    if plan.rostrum_rows:
        labels.append({"x": width / 2, "y": y + 8, "text": "主席台", "cls": "area"})
        y += 14
        for r in range(len(plan.rostrum_rows), 0, -1):  # back row uppermost, front row nearest the hall
            n = plan.rostrum_rows[r - 1]
            left = (width - n * CELL) / 2
            seats += [seat_shape(plan, Seat(ROSTRUM, r, k), left + (k - 1) * CELL, y) for k in range(1, n + 1)]
            y += ROW + 2
        y += 10
    if plan.hall_rows:
        left = (width - widest) / 2
        xs = [left + (k - 1) * CELL + AISLE * plan.aisles_before(k)
              for k in range(1, plan.hall_seats + 1)]
        labels += [{"x": x + CELL / 2, "y": y + 6, "text": str(k), "cls": "number"} for k, x in enumerate(xs, 1)]
        y += 10
        for r in range(1, plan.hall_rows + 1):
            seats += [seat_shape(plan, Seat(HALL, r, k), x, y) for k, x in enumerate(xs, start=1)]
            labels += [{"x": x, "y": y + ROW / 2 + 2, "text": f"{r}排", "cls": "row"}
                       for x in (CELL / 2, width - CELL / 2)]
            y += ROW + 2
    people = [{"name": p.name, "unit": p.unit, "title": p.title, "pinyin": " ".join(search.name_keys(p.name)),
               "seat": seat_id(s), "where": where(s)} for s, p in plan.seated()]
    return {"width": round(width, 1), "height": round(y + 4, 1), "shapes": seats, "labels": labels,
            "people": people, "cell": CELL, "row": ROW, "seats_svg": seats_svg(seats), "rows": rows(people)}


def seats_svg(shapes: list[dict[str, Any]]) -> Markup:
    """Each seat as SVG (a box, its name), made here: as the template's loop, 2,000 seats took 40 ms of a build."""
    out = []
    for s in shapes:
        cls = "seat" + (" rostrum" if s["rostrum"] else "") + ("" if s["name"] else " empty")
        said = f"：{s['name']}" if s["name"] else f"：{s['reserved']}" if s["reserved"] else ""
        text = (f'<text x="{s["x"] + (CELL - 1) / 2}" y="{s["y"] + ROW / 2 + s["size"] * 0.36}" '
                f'font-size="{s["size"]}">{escape(s["name"])}</text>' if s["name"] else "")
        out.append(f'<g class="{cls}" id="{escape(s["id"])}"><title>{escape(s["where"] + said)}</title>'
                   f'<rect x="{s["x"]}" y="{s["y"]}" width="{CELL - 1}" height="{ROW}" rx="1.5"></rect>{text}</g>\n')
    return Markup("".join(out))


def rows(people: list[dict[str, Any]]) -> Markup:
    """The list of seated people, a row each (their pinyin keys for the finder in data-keys), made here too."""
    return Markup("".join(
        f'<tr data-name="{escape(p["name"])}" data-keys="{escape(p["pinyin"])}" data-seat="{escape(p["seat"])}" '
        f'data-where="{escape(p["where"])}"><td>{escape(p["name"])}</td><td>{escape(p["unit"])}{escape(p["title"])}'
        f'</td><td class="nowrap"><a href="#{escape(p["seat"])}">{escape(p["where"])}</a></td></tr>\n'
        for p in people))


def seat_id(s: Seat) -> str:
    return f"seat-{'r' if s.area == ROSTRUM else 'h'}-{s.row}-{s.number}"


def where(s: Seat) -> str:
    return f"{'主席台' if s.area == ROSTRUM else '会场'}第{s.row}排第{s.number}座"


def seat_shape(plan: Plan, s: Seat, x: float, y: float) -> dict[str, Any]:
    person = plan.taken.get(s)
    name = person.name if person else ""
    size = min(5.2, 0.86 * CELL / max(len(name), 1))
    return {"id": seat_id(s), "x": round(x + 0.5, 1), "y": round(y, 1), "name": name, "size": round(size, 2),
            "where": where(s), "reserved": "" if person else plan.reserved.get(s, ""),
            "rostrum": s.area == ROSTRUM}
