"""Forms cut into pages before they are laid out, so that a long form is rendered (and cached) a few pages at
a time: an edit to one attendee re-renders the pages that show them, not the whole 签到表 — the 第X页 共Y页
at every page's foot no longer needs the whole table laid out at once.

The page breaks are worked out here from what table.css and form.css fix: row heights (a row to sign is
11 mm, a list row 8 mm, taller only when its text wraps), line heights, margins. Text widths come from the
same measure that sizes the columns; where a cell's words may wrap, the estimate errs towards more lines, so
a page holds at most what the layout engine would put on it. Each chunk is checked when rendered: a chunk
that does not come out as the pages planned is not used, and the whole form is rendered at once instead.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from .forms import PADDING_MM, PT_MM, WIDTH, cell_pt
from .measure import text_width, words

PAGES_PER_CHUNK = 1  # the unit that is rendered and cached: an edit to one row lays out its page again
BODY_MM = {False: 297.0 - 18 - 20, True: 210.0 - 18 - 20}  # form.css: A4 less the top and bottom margins
SPARE_MM = 1.5  # kept free at every page's foot, for what the estimate does not see
BORDER_MM = 0.75 * PT_MM  # a rule between rows (collapsed borders)
LINE = 1.3  # table.css: line-height of cells, notes and the title
LEAD_LINE = 1.4  # form.css: line-height of the subtitle, leads, secrecy mark and table headings


@dataclass
class Page:
    tables: list[dict[str, Any]] = field(default_factory=list)  # slices of the form's tables
    used: float = 0.0


def chunks(doc: dict[str, Any], secrecy: bool) -> list[dict[str, Any]]:
    """The form as chunks of PAGES_PER_CHUNK pages, each a doc for the same layout: `paged` says which pages
    it holds, of how many; its tables are slices, `new_page` where a new page starts within the chunk."""
    pages = paginate(doc, secrecy)
    out = []
    for start in range(0, len(pages), PAGES_PER_CHUNK):
        tables = []
        for n, page in enumerate(pages[start:start + PAGES_PER_CHUNK]):
            tables += [{**t, "new_page": n > 0 and i == 0} for i, t in enumerate(page.tables)]
        count = len(pages[start:start + PAGES_PER_CHUNK])
        out.append({**doc, "tables": tables, "paged": {"first": start + 1, "count": count, "total": len(pages)}})
    return out


def paginate(doc: dict[str, Any], secrecy: bool) -> list[Page]:
    landscape = bool(doc.get("landscape"))
    width, room = WIDTH[landscape], BODY_MM[landscape] - SPARE_MM
    pages = [Page(used=head_mm(doc, secrecy, width))]
    for t in doc["tables"]:
        blocks = row_blocks(t, width)
        heading = heading_mm(t["heading"], width) if t["heading"] else 0.0
        start = 0
        while True:
            page, rest = pages[-1], blocks[start:]
            head = (heading if start == 0 else 0.0) + HEADER_MM
            fit = _fitting(rest, room - page.used - head)
            fresh = not page.tables and page.used == 0
            asked = start == 0 and t.get("new_page") and page.tables  # a table that starts a page of its own
            if asked or not fresh and (fit == 0 and rest or page.used + head > room):  # else: not even a row
                pages.append(Page())
                continue
            fit = max(fit, 1) if rest else 0  # a row taller than a page: the render check catches it
            page.tables.append(_slice(t, [r for b in rest[:fit] for r in b.rows], first=start == 0,
                                      last=start + fit == len(blocks)))
            page.used += head + sum(b.mm for b in rest[:fit])
            start += fit
            if start >= len(blocks):
                break
            pages.append(Page())
    return pages


@dataclass
class Block:
    rows: list[Any]  # rows kept together: a group line and the row after it, rows under a merged cell,
    mm: float  # the last row and the note under the table


def row_blocks(t: dict[str, Any], width: float) -> list[Block]:
    rows, out, i = t["rows"], [], 0
    heights: dict[tuple, float] = {}  # a cell's height by column and text: units and titles recur
    while i < len(rows):
        n = _spanned(rows[i])
        if "span" in rows[i] and i + 1 < len(rows):  # a group line never ends a page
            n = 1 + _spanned(rows[i + 1])
        out.append(Block(rows[i:i + n], sum(row_mm(r, t, width, heights) for r in rows[i:i + n])))
        i += n
    if t["note"]:
        note = 2.0 + text_mm(t["note"], width, 11, LINE)
        if out:
            out[-1] = Block(out[-1].rows, out[-1].mm + note)  # table.html.j2: the note stays with the last row
    return out


def _spanned(row: Any) -> int:
    return 1 if "span" in row else max([1] + [c.get("rows", 1) for c in row if "covered" not in c])


def _fitting(blocks: list[Block], room: float) -> int:
    used = 0.0
    for n, b in enumerate(blocks):
        used += b.mm
        if used > room:
            return n
    return len(blocks)


def _slice(t: dict[str, Any], rows: list[Any], first: bool, last: bool) -> dict[str, Any]:
    """The part of a table on one page: its heading only where it starts, its note only where it ends."""
    return {**t, "rows": rows, "heading": t["heading"] if first else "", "note": t["note"] if last else ""}


def row_mm(row: Any, t: dict[str, Any], width: float, heights: dict[tuple, float] | None = None) -> float:
    """table.css: a row to sign is at least 11 mm, a list row and a group line 8 mm; a cell's lines at
    LINE, its smaller second line (`aside`) at 1.2. `heights`: the cells' heights found so far in the table."""
    if "span" in row:
        return max(8.0, 12 * LINE * PT_MM) + BORDER_MM
    kept = getattr(row, "heights", None)  # forms.Row: as made before, for pages this wide
    if kept is not None and width in kept:
        return kept[width]
    mm = _row_mm(row, t, width, {} if heights is None else heights)
    if kept is not None:
        row.measured(width, mm)
    return mm


def _row_mm(row: Any, t: dict[str, Any], width: float, heights: dict[tuple, float]) -> float:
    tallest = 0.0
    for i, (c, col) in enumerate(zip(row, t["columns"], strict=False)):
        if "covered" in c or c.get("rows", 1) > 1:  # a merged cell's height is shared by its rows
            continue
        key = (i, c["text"], c.get("aside"))
        high = heights.get(key)
        if high is None:
            pt, mm = cell_pt(col["align"], t["sign"]), width * col["share"] / 100 - PADDING_MM
            high = text_mm(c["text"], mm, pt, LINE)
            if c.get("aside"):
                high += text_mm(c["aside"], mm, 10.5, 1.2)
            heights[key] = high
        tallest = max(tallest, high)
    return max(11.0 if t["sign"] else 8.0, tallest) + BORDER_MM


HEADER_MM = 9.0 + 2 * BORDER_MM  # table.css: the header row (its names fit on one line: the columns are sized for them)


def heading_mm(text: str, width: float) -> float:
    """form.css h2: 14 pt, 5 mm above and 2 mm below."""
    return 5.0 + text_mm(text, width, 14, LEAD_LINE) + 2.0


def head_mm(doc: dict[str, Any], secrecy: bool, width: float) -> float:
    """form.css: the secrecy mark, the title (22 pt), the subtitle and the leads over the first table."""
    mm = (text_mm("", width, 14, LEAD_LINE) + 2.0) if secrecy else 0.0
    mm += text_mm(doc["title"], width, 22, LINE) + 4.0
    mm += text_mm(doc["subtitle"], width, 12, LEAD_LINE) + 4.0
    for line in doc["lead"]:
        mm += text_mm(line, width, 12, LEAD_LINE) + 3.0
    return mm


def text_mm(text: str, width: float, pt: float, line: float) -> float:
    """The height of `text` set at `pt` with line-height `line` in a box `width` mm wide."""
    return _lines(text, width / PT_MM / pt) * pt * line * PT_MM


def _lines(text: str, room: float) -> int:
    """Lines of `text` in a box `room` ems wide, breaking between words as table cells do (greedy), with a
    tenth of an em to spare on each line."""
    if not text:
        return 1
    if text_width(text) <= room - 0.1:
        return 1
    lines, used = 1, 0.0
    for w in words(text):
        size = text_width(w)
        if used and used + size > room - 0.1:
            lines, used = lines + 1, 0.0
        used += size
        if used > room:  # one word wider than the line: it is cut where it must be
            extra = math.ceil(used / room) - 1
            lines, used = lines + extra, used - extra * room
    return lines
