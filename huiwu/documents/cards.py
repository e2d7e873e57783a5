"""桌签 (table-cards.pdf, domain.md §4.1): one A4 landscape tent card per seated person, in seat order,
and a checklist for whoever places them.

The document comes in chunks (HTML parts, each cached): the checklist, then the cards CHUNK at a time.
A chunk's HTML depends only on what it shows, so editing one person re-renders few chunks.
"""

from __future__ import annotations

from typing import Any

from .. import strokes
from ..layout.forms import TICK, Col, form, table, time_place
from ..layout.measure import text_width
from ..problems import Fail
from ..records import Meeting
from ..records.meeting import Attendee
from ..records.seating import ROSTRUM, Plan, Seat

PAPER = (297.0, 210.0)  # A4 landscape, mm
PANELS = {"对折": 2, "三折": 3}  # setting card_fold → panels; of three, the lowest folds under as a base
MARGIN = 10.0  # mm the name keeps from every edge of its face
HEIGHT_SHARE = 0.65  # §4.1: letter height at most this share of the face height …
WIDTH_SHARE = 0.85  # … and the name at most this share of the face width
FIT = 0.94  # leave room for font metrics: a name must never wrap
UNIT_SHARE = 1 / 3  # letter height of the 单位及职务 line (setting card_unit_line), as a share of the name's
UNIT_GAP = 0.2  # em of the name between the two lines
STRUT = 1.5  # em: taller than any font's ascent, so the strut alone sets where the baseline falls
MARK = 5.0  # mm: length of the fold marks at the paper edges
CHUNK = 10  # cards per chunk

CHECKLIST = [Col("序号", 12), Col("座位", 30), Col("姓名", 26), Col("单位及职务", 80, "left"), Col("排序", 14),
             Col("已摆放", 18)]


UNCARDED = ("工作人员", "媒体")  # seated in their blocks without a card, unless the setting card_staff


def carded(m: Meeting) -> list[tuple[Seat, Attendee]]:
    """The seats that get a card, in seat order: everyone seated (a 替会人员 in their own name), but
    工作人员 and 媒体 only with the setting card_staff (domain.md §5.6)."""
    plan: Plan | None = m.seat_plan
    seated = plan.seated() if plan else []
    return [(s, a) for s, a in seated if m.card_staff or a.role not in UNCARDED]


def holders(m: Meeting) -> list[Attendee]:
    """Who gets a card, in seat order."""
    return [a for _, a in carded(m)]


def skip(m: Meeting) -> str | None:
    if m.seat_plan is None:
        return "没有座次（venue.yaml 或 meeting.md 中的 seating）"
    if not m.seat_plan.taken:
        return "座次中没有人"
    return None if carded(m) else "座次中只有工作人员、媒体（设置 card_staff: true 才为他们制作桌签）"


def context(m: Meeting, fail: Fail) -> list[dict[str, Any]]:
    seated = carded(m)
    people = [a for _, a in seated]
    return [checklist(m, seated), *(cards(m, people[i:i + CHUNK]) for i in range(0, len(people), CHUNK))]


def checklist(m: Meeting, seated: list[tuple[Seat, Attendee]]) -> dict[str, Any]:
    rows = [[i, seat.label, strokes.pad_name(a.name), described(a), "" if a.rank is None else a.rank, TICK]
            for i, (seat, a) in enumerate(seated, start=1)]
    rostrum = sum(1 for seat, _ in seated if seat.area == ROSTRUM)
    lead = f"共 {len(seated)} 张（主席台 {rostrum} 张，会场 {len(seated) - rostrum} 张），按座位顺序排列"
    doc = form(f"{m.title}桌签摆放核对表", time_place(m), [table(CHECKLIST, rows, sign=False)], [lead], landscape=True)
    return {**doc, "checklist": True}


def described(a: Attendee) -> str:
    """单位及职务; a stand-in's with whom they stand in for: `凤鸣区发展改革局局长（代黄永强）`."""
    return f"{a.unit_and_title}（代{a.stands_in.name}）" if a.stands_in else a.unit_and_title


def cards(m: Meeting, people: list[Attendee]) -> dict[str, Any]:
    """One chunk of cards, cut into the equal horizontal bands of the card_fold setting: the top one is
    the back face (turned), the next the front."""
    width, height = PAPER
    panels = PANELS[m.card_fold]
    band = height / panels
    return {
        "checklist": False, "title": f"{m.title}桌签", "width_mm": width, "height_mm": height, "mark_mm": MARK,
        "faces": [{"top_mm": 0.0, "height_mm": band, "turned": True},  # the back, read by the person seated
                  {"top_mm": band, "height_mm": band, "turned": False}],  # the front, facing the audience
        "folds": [round(band * i, 2) for i in range(1, panels)],
        "cards": [card(a, width, band, m.card_unit_line) for a in people],
    }


def card(a: Attendee, face_w: float, face_h: float, unit_line: bool) -> dict[str, Any]:
    """The name (and, with `unit_line`, the 单位及职务 line) of one card, each line placed by its baseline
    so the stack is centred on the face."""
    name = strokes.pad_name(a.name)
    unit = a.unit_and_title if unit_line else ""
    size = name_size(name, face_w, face_h, bool(unit))
    unit_size = min(UNIT_SHARE * size, FIT * (face_w - 2 * MARGIN) / text_width(unit)) if unit else 0.0
    gap = UNIT_GAP * size if unit else 0.0
    top = (face_h - size - gap - unit_size) / 2
    lines = [line(name, size, top), line(unit, unit_size, top + size + gap)] if unit else [line(name, size, top)]
    return {"lines": lines}


def line(text: str, size: float, em_top: float) -> dict[str, Any]:
    """One line of text whose ideographic em box (baseline − 0.88 em … + 0.12 em) starts `em_top` mm down the face.

    A strut STRUT em tall sets the baseline at its foot, whatever the font's ascent and descent."""
    baseline = em_top + 0.88 * size
    return {"text": text, "size_mm": round(size, 2), "strut_mm": round(STRUT * size, 2),
            "top_mm": round(baseline - STRUT * size, 2)}


def name_size(name: str, face_w: float, face_h: float, unit_line: bool = False) -> float:
    """Letter height in mm: §4.1's formula, shrunk so the name (and unit line) stays inside the margins."""
    ems = text_width(name)
    tall = 1 + (UNIT_GAP + UNIT_SHARE if unit_line else 0)
    return min(HEIGHT_SHARE * face_h, FIT * (face_h - 2 * MARGIN) / tall,
               WIDTH_SHARE * face_w / ems, FIT * (face_w - 2 * MARGIN) / ems)
