"""引导牌 (signs.pdf): one landscape page per sign, the destination as large as fits, a vector arrow."""

from __future__ import annotations

import math
from typing import Any

from ..layout.measure import text_width
from ..problems import Fail
from ..records import Meeting

PAPER = {"A4": (297.0, 210.0), "A3": (420.0, 297.0)}  # landscape, mm
MARGIN = 15.0  # mm, every side
HEADER = 18.0  # mm taken by the meeting title band at the top
TITLE = 5.6  # mm, the meeting title's letter height (16pt), less for a long title
FIT = 0.94  # leave room for font metrics: the destination must never wrap
MOST = 0.55  # largest letter height, as a share of the paper height
GAP = 0.3  # between arrow and text, in em
ARROW = 1.2  # arrow length, in em
SLANT = 1.25  # a slanted arrow is drawn longer, to look as big as a level one

# The arrow pointing right, length 100, centred on the origin: shaft, then a wide head.
SHAPE = ((-50, -12), (5, -12), (5, -40), (50, 0), (5, 40), (5, 12), (-50, 12))
ANGLES = {"右": 0, "右下": 45, "下": 90, "左下": 135, "左": 180, "左上": 225, "上": 270, "右上": 315}  # y down
SIDES = {"左": "left", "左上": "left", "左下": "left", "上": "above", "下": "below"}  # else right


def context(m: Meeting, fail: Fail) -> list[dict[str, Any]]:
    title_mm = min(TITLE, FIT * (PAPER["A4"][0] - 2 * MARGIN) / text_width(m.title))
    return [{"title": f"{m.title}引导牌", "margin_mm": MARGIN, "header_mm": HEADER, "title_mm": round(title_mm, 1),
             "signs": [sign(s) for s in m.signs]}]


def skip(m: Meeting) -> str | None:
    return None if m.signs else "没有 signs（引导牌）"


def sign(s: dict[str, Any]) -> dict[str, Any]:
    width, height = PAPER[s["size"]]
    arrow = Arrow.pointing(s["arrow"])
    size = font_size(s["text"], width, height, arrow)
    return {
        "text": s["text"], "page": s["size"].lower(), "font_mm": round(size, 1), "height_mm": height,
        "gap_mm": round(GAP * size, 1),
        "arrow": arrow and {"points": arrow.points, "viewbox": arrow.viewbox, "side": arrow.side,
                            "w_mm": round(arrow.width * size, 1), "h_mm": round(arrow.height * size, 1)},
    }


def font_size(text: str, width: float, height: float, arrow: Arrow | None) -> float:
    """The letter height in mm that fits `text` and its arrow on one line of a `width` × `height` sign."""
    room_w, room_h = width - 2 * MARGIN, height - 2 * MARGIN - HEADER
    ems_w, ems_h = text_width(text), 1.0
    if arrow and arrow.side in ("above", "below"):
        ems_h += GAP + arrow.height
    elif arrow:
        ems_w += GAP + arrow.width
        ems_h = max(ems_h, arrow.height)
    return min(FIT * room_w / ems_w, FIT * room_h / ems_h, MOST * height)


class Arrow:
    """The arrow polygon turned to a direction: SVG points, and its box in em of the destination text."""

    def __init__(self, direction: str):
        turn = math.radians(ANGLES[direction])
        pts = [(x * math.cos(turn) - y * math.sin(turn), x * math.sin(turn) + y * math.cos(turn)) for x, y in SHAPE]
        x0, y0 = min(p[0] for p in pts), min(p[1] for p in pts)
        x1, y1 = max(p[0] for p in pts), max(p[1] for p in pts)
        self.points = " ".join(f"{x - x0:.2f},{y - y0:.2f}" for x, y in pts)
        self.viewbox = f"0 0 {x1 - x0:.2f} {y1 - y0:.2f}"
        length = ARROW * (SLANT if len(direction) == 2 else 1)
        self.width, self.height = (x1 - x0) / 100 * length, (y1 - y0) / 100 * length
        self.side = SIDES.get(direction, "right")

    @classmethod
    def pointing(cls, direction: str) -> Arrow | None:
        return cls(direction) if direction in ANGLES else None
