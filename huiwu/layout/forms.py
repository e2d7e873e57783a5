"""The common frame of 会务 forms (domain.md §4.4): title, time and place line,
ruled tables whose header row repeats on every page, 第X页 共Y页 at the foot.

A document kind builds its form from these pieces and renders `form.html.j2`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .. import chinese
from ..records import Meeting

WIDTH = {False: 180.0, True: 267.0}  # text width in mm: A4 portrait, A4 landscape


@dataclass(frozen=True)
class Col:
    name: str
    width: float  # share of the table width; the template scales the shares to the page
    align: str = "center"  # or "left"


class Flag(str):
    """A cell value printed red and bold: something staff must act on (逾期, 未安排车辆)."""


class Aside(str):
    """A cell value with a smaller second line: a name and `（代黄永强）` under it."""

    def __new__(cls, text: str, aside: str) -> Aside:
        made = super().__new__(cls, f"{text}{aside}")
        made.main, made.aside = text, aside
        return made

    main: str
    aside: str


TICK = object()  # an empty box to tick by hand


def cell(value: Any) -> dict[str, str]:
    if value is TICK:
        return {"text": "", "cls": "tick"}
    if isinstance(value, Aside):
        return {"text": value.main, "aside": value.aside, "cls": ""}
    return {"text": "" if value is None else str(value), "cls": "flag" if isinstance(value, Flag) else ""}


def table(columns: list[Col], rows: list, heading: str = "", note: str = "", sign: bool = True) -> dict:
    """Rows are lists of cell values, or a string for a group line across the table.
    `sign`: rows tall enough to sign by hand (≥ 10 mm); lists to read get shorter rows."""
    total = sum(c.width for c in columns)
    return {
        "heading": heading, "note": note, "sign": sign,
        "columns": [{"name": c.name, "share": round(100 * c.width / total, 3), "align": c.align} for c in columns],
        "rows": [{"span": r} if isinstance(r, str) else [cell(v) for v in r] for r in rows],
    }


def form(title: str, subtitle: str, tables: list[dict], lead: list[str] | None = None,
         landscape: bool = False) -> dict[str, Any]:
    """`lead`: short lines under the subtitle (counts, legends)."""
    return {"title": title, "subtitle": subtitle, "tables": tables, "lead": lead or [],
            "landscape": landscape}


def time_place(m: Meeting) -> str:
    return f"时间：{chinese.date_line(m.start, m.end, m.clock)}　地点：{m.venue}"

