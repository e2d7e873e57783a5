"""The common frame of 会务 forms (domain.md §4.4): title, time and place line,
ruled tables whose header row repeats on every page, 第X页 共Y页 at the foot.

A document kind builds its form from these pieces and renders `form.html.j2`.
"""

from __future__ import annotations

import functools
import hashlib
import html
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from markupsafe import Markup

from .. import chinese
from ..memo import Bin, Bins
from ..records import Meeting
from .body import keep_dates
from .measure import text_width, words

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


class Merged(str):
    """A cell value spanning `rows` rows (a schedule's day); the cells below it are COVERED."""

    rows: int

    def __new__(cls, text: str, rows: int) -> Merged:
        made = super().__new__(cls, text)
        made.rows = rows
        return made


COVERED = object()  # the place of a cell under a Merged one
PT_MM = 25.4 / 72
PADDING_MM = 5.0  # 2 mm each side in table.css, and 1 mm to spare


def cell(value: Any) -> dict[str, Any]:
    """A cell as `text` (the site, the search index; paper: _td), its class and the rows it spans; none where a
    merged cell covers it."""
    if value is TICK:
        return {"text": "", "cls": "tick", "rows": 1}
    if value is COVERED:
        return {"covered": True}
    if isinstance(value, Aside):
        return {"text": value.main, "aside": value.aside, "cls": "", "rows": 1}
    text = "" if value is None else str(value)
    return {"text": text, "cls": "flag" if isinstance(value, Flag) else "",
            "rows": value.rows if isinstance(value, Merged) else 1}


def unbreakable(text: str, room: float | None = None) -> str:
    """A cell's text as HTML whose lines break only between words: each word is kept whole. A text that fits on one
    line in `room` ems is left as it is: it never breaks (and a page of spans is a fifth slower to lay out)."""
    if room is not None and text_width(text) <= room:
        return html.escape(text, quote=False)
    return "".join(f'<span class="w">{html.escape(w, quote=False)}</span>' if len(w) > 1
                   else html.escape(w, quote=False) for w in words(text))


def table(columns: list[Col], rows: list, heading: str = "", note: str = "", sign: bool = True) -> dict:
    """Rows are lists of cell values, or a string for a group line across the table.
    `sign`: rows tall enough to sign by hand (≥ 10 mm); lists to read get shorter rows.
    Column widths are the shares given, widened where a column's longest word would not fit."""
    widths = fitted(columns, [r for r in rows if not isinstance(r, str)], sign)
    total = sum(widths)
    page = min(sum(c.width for c in columns), WIDTH[True])  # the shares are drawn on the page they are for
    rooms = [_room(c, w * page / total, sign) for c, w in zip(columns, widths, strict=True)]
    shares = [round(100 * w / total, 3) for w in widths]
    tds: dict[tuple, Any] = {}  # see _cells
    kept = made(_bin_name(columns, rooms, shares, sign))
    return {
        "heading": keep_dates(heading), "note": note, "sign": sign,
        "columns": [{"name": c.name, "share": share, "align": c.align}
                    for c, share in zip(columns, shares, strict=True)],
        "rows": [{"span": r} if isinstance(r, str) else _row(r, columns, rooms, tds, kept) for r in rows],
    }


class Row(list):
    """A row's cells, and the row as HTML (`html`): made here, as a template's macro a row took a fifth of the
    time it takes to lay out every document of a meeting. `heights`: its height by the width of the page (paging),
    kept with it in `kept`."""

    html: Markup
    heights: dict[float, float]
    kept: Bin
    key: tuple | None  # its values, as its bin keeps it (None: not kept)

    def measured(self, width: float, mm: float) -> None:
        """Its height on pages `width` wide (paging), kept with it: its entry is written again after the build."""
        self.heights[width] = mm
        if self.key is not None:
            self.kept.touched(self.key)

    def __reduce_ex__(self, protocol: Any) -> tuple:
        """Pickled as what it prints, its HTML (laid.Laid's keys): how it was made and its cells (which the site
        shows, from the same values) are not part of it. Half the time of a 2,000-person meeting's keys."""
        return Row, (), {"html": str(self.html)}


# The rows of the forms made by the builds before, kept in the project's cache (`remembered`) by the columns they were
# made for (_bin_name): each row's cells, their HTML and its heights, by the row's values (_key). An edit to one
# attendee makes that attendee's rows again, not the 11,000 rows of a 2,000-person meeting's forms (0.33 → 0.15 s).
made = Bins(keep_extra=50)
remembered = made.remembered
_MADE_BY = hashlib.sha256(b"".join((Path(__file__).parent / name).read_bytes()
                                   for name in ("forms.py", "paging.py", "measure.py"))).hexdigest()


def _bin_name(columns: list[Col], rooms: list[float], shares: list[float], sign: bool) -> str:
    """What a row's HTML and height are made from besides its values: this code, the columns, the table's kind."""
    made_for = repr((_MADE_BY, [c.align for c in columns], rooms, shares, sign))
    return hashlib.sha256(made_for.encode()).hexdigest()[:40]


def _key(values: list) -> tuple | None:
    """The row's values as a key of its bin: each value's kind and text; None for a value of another kind (not
    kept: made each time)."""
    out: list[Any] = []
    for value in values:
        kind = type(value)
        if kind is str or value is None:
            out.append(value)
        elif kind is Aside:
            out.append(("aside", value.main, value.aside))
        elif kind is Flag:
            out.append(("flag", str(value)))
        elif kind is Merged:
            out.append(("merged", str(value), value.rows))
        elif value is TICK or value is COVERED:
            out.append(("tick" if value is TICK else "covered",))
        elif kind is int:
            out.append(("int", value))
        else:
            return None
    return tuple(out)


def _row(values: list, columns: list[Col], rooms: list[float], tds: dict[tuple, Any], kept: Bin) -> Row:
    """The row as the last builds made it for the same columns (`kept`), else made now and kept."""
    key = _key(values)
    found = None if key is None else kept.get(key)
    if not (isinstance(found, tuple) and len(found) == 3):  # none kept, or not as this code keeps it: made again
        cells, parts = _cells(values, columns, rooms, tds)
        found = (cells, "".join(parts), {})
        if key is not None:
            kept.put(key, found)
    row = Row(found[0])
    row.html, row.heights, row.kept, row.key = Markup(f"<tr>{found[1]}</tr>"), found[2], kept, key
    return row


def _cells(values: list, columns: list[Col], rooms: list[float], tds: dict[tuple, Any]) -> tuple[list, list[str]]:
    """The row's cells and their HTML. `tds`: each cell and its HTML, made once for the same column and value (units
    and titles recur; a plain text is looked up by itself, 2,000 rows of six columns made a tenth of a second
    quicker)."""
    row, parts = [], []
    for i, (col, value) in enumerate(zip(columns, values, strict=False)):
        plain = value is None or type(value) is str  # no class, no span, no second line
        made = tds.get((i, value)) if plain else None
        if made is None:
            c = cell(value)
            if "covered" in c:  # covered by a merged cell above
                made = (c, "")
            else:
                key = (i, c["text"], c["cls"], c["rows"], c.get("aside"))
                made = tds.get(key) or (c, _td(col, c, rooms[i]))
                tds[key] = made
            if plain:
                tds[(i, value)] = made
        row.append(made[0])
        parts.append(made[1])
    return row, parts


def _td(col: Col, c: dict[str, Any], room: float) -> str:
    span = f' rowspan="{c["rows"]}"' if c["rows"] > 1 else ""
    aside = f'<span class="aside">{html.escape(c["aside"], quote=False)}</span>' if "aside" in c else ""
    return f'<td class="{col.align} {c["cls"]}"{span}>{unbreakable(c["text"], room)}{aside}</td>'


def _room(c: Col, mm: float, sign: bool) -> float:
    """The ems of the column's font that fit on one line of a column `mm` wide, with 1 mm to spare for the
    font's own measure."""
    return max(0.0, (mm - PADDING_MM - 1.0) / PT_MM / cell_pt(c.align, sign))


def cell_pt(align: str, sign: bool) -> int:
    """table.css: 12 pt left-aligned cells and lists, 14 pt centred cells to sign."""
    return 12 if align == "left" or not sign else 14


def fitted(columns: list[Col], rows: list[list], sign: bool) -> list[float]:
    """The shares (in mm of the page they were drawn for), each at least as wide as its longest word.
    What a column gains is taken first from columns wider than their whole longest text (a column left
    blank to write in, a short status), then from the others' room beyond their longest word."""
    widths = [c.width for c in columns]
    measured = [_need(c, [r[i] for r in rows], sign) for i, c in enumerate(columns)]
    needs, wants = [need for need, _ in measured], [want for _, want in measured]
    short = sum(max(0.0, n - w) for w, n in zip(widths, needs, strict=True))
    for floor in ([max(n, v) for n, v in zip(needs, wants, strict=True)], needs):
        spare = [max(0.0, w - f) for w, f in zip(widths, floor, strict=True)]
        give = min(short, sum(spare))
        widths = [w - t for w, t in zip(widths, _taken(give, widths, spare), strict=True)]
        short -= give
    return [max(w, n) for w, n in zip(widths, needs, strict=True)]


def _taken(give: float, widths: list[float], spare: list[float]) -> list[float]:
    """`give` mm taken from the columns with room to spare, in proportion to their widths and never more than
    a column's spare: so a longer text in one row leaves the columns as they were unless it runs out of
    room (a long form is cut into pages rendered apart: one edit must not change every page)."""
    taken = [0.0] * len(widths)
    while give > 1e-9:
        open_ = [i for i, s in enumerate(spare) if s - taken[i] > 1e-9]
        if not open_:
            break
        per = give / sum(widths[i] for i in open_)
        for i in open_:
            t = min(spare[i] - taken[i], per * widths[i])
            taken[i] += t
            give -= t
    return taken


def _need(c: Col, values: list, sign: bool) -> tuple[float, float]:
    """The width in mm a column needs for its widest word, and for its widest whole text (table.css: 12 pt, 14 pt
    centred cells to sign)."""
    pt = cell_pt(c.align, sign)
    texts = {str(v) for v in values if v is not None and v is not TICK and v is not COVERED}  # units recur
    measured = [_widths(t) for t in texts]
    header = text_width(c.name) * 12
    word = max((widest for widest, _ in measured), default=0.0) * pt
    whole = max((entire for _, entire in measured), default=0.0) * pt
    return max(word, header) * PT_MM + PADDING_MM, max(whole, header) * PT_MM + PADDING_MM


@functools.lru_cache(maxsize=65536)  # a name, a unit is in every form of a meeting
def _widths(text: str) -> tuple[float, float]:
    """The text's widest word and the whole text, in ems."""
    return max(map(text_width, words(text)), default=0.0), text_width(text)


def form(title: str, subtitle: str, tables: list[dict], lead: list[str] | None = None,
         landscape: bool = False) -> dict[str, Any]:
    """`lead`: short lines under the subtitle (counts, legends)."""
    return {"title": title, "subtitle": subtitle, "tables": tables, "lead": lead or [],
            "landscape": landscape, "pageable": True}


def time_place(m: Meeting) -> str:
    return f"时间：{chinese.date_line(m.start, m.end, m.clock)}　地点：{m.venue}"

