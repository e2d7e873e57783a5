"""证件 (badges.pdf, domain.md §4.2): one badge per present attendee, N-up on A4 portrait
with crop marks, then the 车辆通行证, two A5 landscape passes per A4 sheet.

The document is chunked: `context` gives one dict per chunk of at most CHUNK_SHEETS sheets,
and a chunk shows nothing but its own badges (no totals), so editing one attendee re-renders
one chunk. The card size, the paper margin and duplex backs are settings (`badge_size`,
`badge_margin_mm`, `badge_backs` in schema.SETTINGS), read from the meeting.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from datetime import date
from typing import Any

from .. import chinese
from ..layout.measure import text_width
from ..layout.qr import qr_image
from ..problems import Fail
from ..records import Meeting
from ..records.meeting import Attendee
from ..records.schema import BADGE_SIZES
from ..strokes import pad_name

PAPER = (210.0, 297.0)  # A4 portrait, mm
GUTTER = 0.0  # mm between cards; 0: neighbours share their cut lines
CHUNK_SHEETS = 2  # sheets per chunk (cache unit)
MARK_LEN, MARK_GAP, MARK_PT = 5.0, 3.0, 0.25  # crop marks: length and distance from the trim in mm, line in pt
NOTICE = "凭证入场，不得转借；遗失请及时报告会务组。"
PASSES_PER_SHEET = 2  # 车辆通行证: A5 landscape halves of an A4 portrait sheet
FIT = 0.94  # share of a line's width a one-line text may take (font metrics vary)
FIT_WRAPPED = 0.85  # the same for a text wrapped over several lines (ragged line ends)
LABEL_SPACING = 0.25  # em between the characters of the type label


@dataclass(frozen=True)
class BadgeType:
    label: str
    colour: str  # band colour, printed behind white type: dark and saturated


TYPES = {  # 类别 → badge type (domain.md §4.2: colours are per office, none is standard)
    "主席台": BadgeType("出席证", "#C8102E"),
    "出席": BadgeType("出席证", "#C8102E"),
    "列席": BadgeType("列席证", "#0057B8"),
    "特邀": BadgeType("特邀证", "#6D2077"),
    "媒体": BadgeType("记者证", "#007A3D"),
    "工作人员": BadgeType("工作证", "#D45500"),
}


@dataclass(frozen=True)
class Style:
    """Sizes in mm of a card's parts, for the card size `base`; other cards scale them."""

    base: tuple[float, float]
    pad: float
    title: tuple[float, float, int]  # largest, smallest size, lines
    band: float
    label: float
    name: float
    unit: tuple[float, float]
    post: tuple[float, float]  # 职务: omitted when it would need less than the smallest size
    seat: float
    qr: float
    meta: float
    gap: float


PORTRAIT = Style((90.0, 130.0), pad=5.0, title=(4.2, 2.8, 2), band=22.0, label=14.0, name=13.0, unit=(5.0, 3.2),
                 post=(4.0, 3.0), seat=4.5, qr=24.0, meta=2.6, gap=3.0)
LANDSCAPE = Style((85.6, 54.0), pad=3.5, title=(3.0, 2.2, 1), band=10.0, label=7.0, name=8.0, unit=(3.4, 2.4),
                  post=(2.8, 2.2), seat=3.0, qr=18.0, meta=2.4, gap=2.0)


# -- the sheet --

def grid(w: float, h: float, margin: float, gutter: float) -> tuple[int, int, bool]:
    """Cards of w × h on A4 portrait: (cols, rows, rotated); the card turned 90° when that fits more."""
    upright, turned = _fit(w, h, margin, gutter), _fit(h, w, margin, gutter)
    if turned[0] * turned[1] > upright[0] * upright[1]:
        return (*turned, True)
    return (*upright, False)


def _fit(w: float, h: float, margin: float, gutter: float) -> tuple[int, int]:
    across = math.floor((PAPER[0] - 2 * margin + gutter) / (w + gutter) + 1e-9)
    down = math.floor((PAPER[1] - 2 * margin + gutter) / (h + gutter) + 1e-9)
    return max(across, 0), max(down, 0)


@dataclass(frozen=True)
class Sheet:
    """Where the cells of a sheet are: cells of cell_w × cell_h from (x0, y0), `gutter` apart."""

    cols: int
    rows: int
    rotated: bool
    cell_w: float
    cell_h: float
    gutter: float

    @classmethod
    def of(cls, w: float, h: float, margin: float, gutter: float = GUTTER) -> Sheet:
        """The sheet for cards of w × h kept `margin` mm from the paper's edges."""
        cols, rows, rotated = grid(w, h, margin, gutter)
        return cls(cols, rows, rotated, *((h, w) if rotated else (w, h)), gutter)

    @property
    def per_sheet(self) -> int:
        return self.cols * self.rows

    @property
    def x0(self) -> float:
        return (PAPER[0] - self.cols * self.cell_w - (self.cols - 1) * self.gutter) / 2

    @property
    def y0(self) -> float:
        return (PAPER[1] - self.rows * self.cell_h - (self.rows - 1) * self.gutter) / 2

    def cell(self, index: int, mirrored: bool = False) -> tuple[float, float]:
        """Top-left corner of cell `index` (row by row); `mirrored`: columns reversed, for a back sheet."""
        row, col = divmod(index, self.cols)
        if mirrored:
            col = self.cols - 1 - col
        return self.x0 + col * (self.cell_w + self.gutter), self.y0 + row * (self.cell_h + self.gutter)

    def cuts(self) -> tuple[list[float], list[float]]:
        """The x of every vertical and the y of every horizontal cut line."""
        xs = sorted({round(self.cell(c)[0] + d, 3) for c in range(self.cols) for d in (0, self.cell_w)})
        ys = sorted({round(self.cell(r * self.cols)[1] + d, 3) for r in range(self.rows) for d in (0, self.cell_h)})
        return xs, ys

    def marks(self) -> list[tuple[float, float, float, float]]:
        """Crop marks (x1, y1, x2, y2 in mm): each cut line extended outside the block of cards,
        MARK_GAP from the trim, MARK_LEN long (shorter only where the paper ends first)."""
        xs, ys = self.cuts()
        top, bottom, left, right = ys[0], ys[-1], xs[0], xs[-1]
        out = []
        for x in xs:
            out += [(x, top - MARK_GAP, x, max(top - MARK_GAP - MARK_LEN, 0)),
                    (x, bottom + MARK_GAP, x, min(bottom + MARK_GAP + MARK_LEN, PAPER[1]))]
        for y in ys:
            out += [(left - MARK_GAP, y, max(left - MARK_GAP - MARK_LEN, 0), y),
                    (right + MARK_GAP, y, min(right + MARK_GAP + MARK_LEN, PAPER[0]), y)]
        return [(round(a, 3), round(b, 3), round(c, 3), round(d, 3)) for a, b, c, d in out]


def marks_path(lines: list[tuple[float, float, float, float]]) -> str:
    """SVG path data in pt (the marks' viewBox is the page in pt, so a 0.25 stroke is 0.25 pt)."""
    pt = 72 / 25.4
    return " ".join(f"M{x1 * pt:.3f} {y1 * pt:.3f}L{x2 * pt:.3f} {y2 * pt:.3f}" for x1, y1, x2, y2 in lines)


# -- who and what --

def holders(m: Meeting) -> list[Attendee]:
    """Who gets a badge: everyone attending, a 替会人员 in their own name, in protocol order (the order of
    the serials, the same as the 签到表's 序号)."""
    return m.attending


def skip(m: Meeting) -> str | None:
    if not m.attendees:
        return "没有参会人员名单（attendees.csv 或 attendees.xlsx）"
    if not holders(m):
        return "名单中没有状态为“参会”的人员"
    return None


def serial(n: int) -> str:
    return f"{n:04d}"


def payload(m: Meeting, number: int, name: str) -> str:
    """What the QR code says, for sign-in: meeting, serial and name."""
    return f"huiwu:{m.id}:{serial(number)}:{name}"


# -- fitting text --

def fit(text: str, width: float, largest: float, smallest: float, lines: int = 1) -> tuple[float, int]:
    """Font size in mm and line count for `text` in a box `width` wide: one line as large as fits up to
    `largest`; if that is below `smallest`, wrapped over `lines` lines (and smaller still if need be)."""
    ems = max(text_width(text), 1.0)
    one = FIT * width / ems
    if one >= smallest or lines == 1:
        return round(min(largest, one), 2), 1
    return round(min(largest, FIT_WRAPPED * lines * width / ems), 2), lines


@functools.lru_cache(maxsize=65536)  # units, titles, the validity and the issuer recur on every badge of a meeting
def sized(text: str, width: float, largest: float, smallest: float, lines: int = 1) -> dict[str, Any]:
    """The text with its size, line count and the `style` that sets them (kept from wrapping when on one line). One
    dict for the same text in the same box, shared by the badges that show it: never changed after."""
    size, count = fit(text, width, largest, smallest, lines)
    style = ("white-space: nowrap; " if count == 1 else "") + f"font-size: {size}mm"
    return {"text": text, "mm": size, "lines": count, "style": style}


# -- the badges --

def style_of(w: float, h: float) -> tuple[Style, float]:
    """The layout for a card's shape and the scale of its sizes."""
    s = PORTRAIT if h >= w else LANDSCAPE
    return s, min(w / s.base[0], h / s.base[1])


def check(m: Meeting, fail: Fail) -> None:
    size = BADGE_SIZES[m.badge_size]
    if not Sheet.of(*size, m.badge_margin_mm).per_sheet:
        fail(0, f"证件尺寸 {size[0]:g}×{size[1]:g} 毫米放不进 A4 纸（页边距 {m.badge_margin_mm:g} 毫米）")


def context(m: Meeting, fail: Fail) -> list[dict[str, Any]]:
    size = BADGE_SIZES[m.badge_size]
    sheet = Sheet.of(*size, m.badge_margin_mm)
    if not sheet.per_sheet:  # said by check
        return []
    people = holders(m)
    per_chunk = sheet.per_sheet * CHUNK_SHEETS
    card = Card.of(m, sheet, size)
    common = {"title": "证件", "kind": "badges", "card": card.frame(), "marks": marks_path(sheet.marks()),
              "mark_pt": MARK_PT}  # the same in every chunk: worked out once
    chunks = [badge_chunk(m, sheet, card, common, list(enumerate(people[i:i + per_chunk], start=i + 1)))
              for i in range(0, len(people), per_chunk)]
    step = PASSES_PER_SHEET * CHUNK_SHEETS
    vehicles = list(enumerate(m.vehicles, start=1))
    return chunks + [pass_chunk(m, vehicles[i:i + step]) for i in range(0, len(vehicles), step)]


def badge_chunk(m: Meeting, sheet: Sheet, card: Card, common: dict[str, Any],
                numbered: list[tuple[int, Attendee]]) -> dict[str, Any]:
    sheets = []
    for start in range(0, len(numbered), sheet.per_sheet):
        batch = numbered[start:start + sheet.per_sheet]
        sheets.append({"back": False, "turn": card.turn, "cards": [
            {**badge(m, n, a, card), **_at(sheet, i)} for i, (n, a) in enumerate(batch)]})
        if m.badge_backs:
            sheets.append({"back": True, "turn": -card.turn, "cards": [
                {**back(n, a, card), **_at(sheet, i, mirrored=True)} for i, (n, a) in enumerate(batch)]})
    return {**common, "sheets": sheets}


def _at(sheet: Sheet, index: int, mirrored: bool = False) -> dict[str, float]:
    x, y = sheet.cell(index, mirrored)
    return {"x": round(x, 3), "y": round(y, 3)}


LEADING = {"meeting": 1.2, "name": 1.2, "unit": 1.25, "post": 1.25, "seat": 1.3, "serial": 1.3}


@dataclass(frozen=True)
class Card:
    """A card of the meeting's badge_size laid out in mm: where its parts go, the same on every badge."""

    w: float
    h: float
    style: Style
    k: float  # scale of the style's sizes
    turn: int  # degrees the card is turned on the sheet
    cell: tuple[float, float]
    meeting: dict[str, Any]  # the meeting name, fitted

    @classmethod
    def of(cls, m: Meeting, sheet: Sheet, size: tuple[float, float]) -> Card:
        w, h = size
        s, k = style_of(w, h)
        title = sized(m.title, w - 2 * s.pad * k, s.title[0] * k, s.title[1] * k, s.title[2])
        return cls(w, h, s, k, 90 if sheet.rotated else 0, (sheet.cell_w, sheet.cell_h), title)

    def mm(self, key: str) -> float:
        return getattr(self.style, key) * self.k

    @property
    def portrait(self) -> bool:
        return self.style is PORTRAIT

    @property
    def inner(self) -> float:
        return self.w - 2 * self.mm("pad")

    @property
    def info_w(self) -> float:
        """Width of the name lines: the QR code is beside them on a landscape card, below on a portrait one."""
        return self.inner if self.portrait else self.inner - self.mm("qr") - self.mm("gap")

    @property
    def band_top(self) -> float:
        return self.mm("pad") + height(self.meeting, "meeting") + self.mm("gap") / 2

    @property
    def region(self) -> tuple[float, float]:
        """Top and bottom of the space for the name lines."""
        top = self.band_top + self.mm("band") + self.mm("gap")
        foot = self.mm("qr") + self.mm("gap") if self.portrait else 0.0
        return top, self.h - self.mm("pad") - foot

    def centred(self, content: float) -> float:
        top, bottom = self.region
        return round(top + max(0.0, (bottom - top - content) / 2), 2)

    def frame(self) -> dict[str, Any]:
        keys = ("pad", "gap", "band", "qr", "seat", "meta")
        return {"w": self.w, "h": self.h, "cell_w": self.cell[0], "cell_h": self.cell[1],
                "shape": "portrait" if self.portrait else "landscape", "meeting": self.meeting,
                "inner": round(self.inner, 2), "info_w": round(self.info_w, 2), "band_top": round(self.band_top, 2),
                "side_top": self.centred(self.mm("qr") + self.mm("meta") * LEADING["serial"]),
                **{key: round(self.mm(key), 2) for key in keys}}


def height(text: dict[str, Any] | None, kind: str) -> float:
    return text["lines"] * text["mm"] * LEADING[kind] if text else 0.0


def badge(m: Meeting, number: int, a: Attendee, card: Card) -> dict[str, Any]:
    s, width = card.style, card.info_w
    kind = TYPES.get(a.role, TYPES["出席"])
    seat = m.seat_plan.seat_of(a) if m.seat_plan is not None else None
    post = sized(a.title, width, s.post[0] * card.k, 0) if a.title else None
    lines = {
        "name": sized(pad_name(a.name), width, card.mm("name"), 0),
        "unit": sized(a.unit, width, s.unit[0] * card.k, s.unit[1] * card.k, lines=2) if a.unit else None,
        "post": post if post and post["mm"] >= s.post[1] * card.k else None,
        "seat": sized(f"座位：{seat.label}", width, card.mm("seat"), 0) if seat else None,
    }
    meta_w = card.inner - card.mm("qr") - card.mm("gap")
    return {
        **lines, "serial": f"No.{serial(number)}", "colour": kind.colour,
        "label": label(kind.label, card.inner - 2 * card.mm("pad"), card.mm("label")),
        "info_top": card.centred(sum(height(t, key) for key, t in lines.items())),
        "qr": qr_image(payload(m, number, a.name)),
        "valid": sized(f"有效期：{validity(m)}", meta_w, card.mm("meta"), 0),
        "issuer": sized(m.organizer, meta_w, card.mm("meta"), 0),
    }


def back(number: int, a: Attendee, card: Card) -> dict[str, Any]:
    s = card.style
    return {
        "serial": f"No.{serial(number)}", "colour": TYPES.get(a.role, TYPES["出席"]).colour,
        "notice": sized(NOTICE, card.inner, s.unit[0] * card.k, s.unit[0] * card.k, lines=3),  # wrapped
    }


def label(text: str, width: float, largest: float) -> dict[str, Any]:
    """The type label, spaced out by LABEL_SPACING em after each character."""
    ems = text_width(text) + LABEL_SPACING * len(text)
    return {"text": text, "mm": round(min(largest, FIT * width / ems), 2), "spacing": LABEL_SPACING}


def validity(m: Meeting) -> str:
    """The meeting's days: `2026年12月8日`, `2026年12月8日—10日`, `2026年11月30日—12月1日`."""
    first: date = m.start.date()
    last: date = m.end.date() if m.end else first
    if last == first:
        return chinese.cn_date(first)
    if (last.year, last.month) == (first.year, first.month):
        return f"{chinese.cn_date(first)}—{last.day}日"
    if last.year == first.year:
        return f"{chinese.cn_date(first)}—{last.month}月{last.day}日"
    return f"{chinese.cn_date(first)}—{chinese.cn_date(last)}"


# -- 车辆通行证 --

PASS = (210.0, PAPER[1] / PASSES_PER_SHEET)  # A5 landscape (148 mm high) with half a mm to spare
PASS_PAD = 14.0  # mm from the pass's edges to its text (a red frame runs 8 mm in)


def pass_chunk(m: Meeting, numbered: list[tuple[int, dict[str, Any]]]) -> dict[str, Any]:
    sheets = [[vehicle_pass(m, n, v) for n, v in numbered[i:i + PASSES_PER_SHEET]]
              for i in range(0, len(numbered), PASSES_PER_SHEET)]
    cut = PASS[1]
    marks = [(0.0, cut, MARK_LEN, cut), (PAPER[0] - MARK_LEN, cut, PAPER[0], cut)]  # where to cut the sheet in two
    return {"title": "车辆通行证", "kind": "passes", "sheets": sheets,
            "pass": {"w": PASS[0], "h": PASS[1], "pad": PASS_PAD}, "marks": marks_path(marks), "mark_pt": MARK_PT}


def vehicle_pass(m: Meeting, number: int, v: dict[str, Any]) -> dict[str, Any]:
    inner = PASS[0] - 2 * PASS_PAD
    rows = [("编　　号", f"No.{number:03d}（{v['id']}）"), ("通行区域", v["area"] or m.pass_area or ""),
            ("有效期限", validity(m)), ("发证单位", m.organizer)]
    return {
        "meeting": sized(m.title, inner, 7.0, 4.0, 2),
        "plate": sized(v["plate"] or "", inner, 22.0, 8.0),
        "rows": [{"key": key, **sized(value, inner - 30, 5.5, 3.0, 2)} for key, value in rows],
    }
