"""The 会议须知's name list cut into pages before it is laid out, as the forms are (paging.py): the list is
rendered (and cached) two pages at a time, so an edit to one attendee re-renders the two pages that show them,
not the whole booklet.

The breaks are worked out here from what handbook.css fixes: an A5 page's text block, two columns, a line of
10.5 pt at 1.5, a unit's heading never last in a column, a unit of eight or fewer never split. Where a title
may wrap, the estimate errs towards more lines, so a chunk holds at most what its pages hold. A chunk that does
not come out as the pages planned is not used: the whole list is then rendered at once instead.
"""

from __future__ import annotations

import math
from typing import Any

from .measure import text_width, words

PAGES_PER_CHUNK = 1  # rendered and cached a page at a time: an edit to one name lays out its page again
PT_MM = 25.4 / 72
BODY_MM = 210.0 - 15 - 18  # handbook.css: A5 less the top and bottom margins
HEADING_MM = 14 * 1.6 * PT_MM + 3  # the section's heading (14 pt, line-height 1.6) and the 3 mm under it
SPARE_MM = 3.0  # kept free at every column's foot, for what the estimate does not see
LINE_MM = 10.5 * 1.5 * PT_MM
GAP_MM = 2.0  # under each unit
NAME_EM = 4.5  # the name's box; the title hangs after it
TITLE_EM = (118.0 - 6) / 2 / (10.5 * PT_MM) - NAME_EM - 0.3  # a column is 56 mm: the rest, less a little


Group = dict[str, Any]


def chunks(groups: list[Group]) -> list[tuple[list[Group], int]]:
    """The groups as chunks of PAGES_PER_CHUNK pages: each chunk's slices of the groups (a unit split across
    chunks goes on without its heading) and how many pages it fills."""
    pages = paginate(groups)
    out = []
    for start in range(0, len(pages), PAGES_PER_CHUNK):
        span = [piece for page in pages[start:start + PAGES_PER_CHUNK] for column in page for piece in column]
        slices: list[Group] = []
        for g, a, b in span:
            if slices and slices[-1]["index"] == g:  # the same unit, on in the next column
                slices[-1]["end"] = b
            else:
                slices.append({"index": g, "start": a, "end": b})
        out.append(([_slice(groups[s["index"]], s["start"], s["end"]) for s in slices],
                    len(pages[start:start + PAGES_PER_CHUNK])))
    return out


def _slice(group: Group, a: int, b: int) -> Group:
    return {**group, "persons": group["persons"][a:b], "heading": group["heading"] if a == 0 else ""}


def paginate(groups: list[Group]) -> list[list[list[tuple[int, int, int]]]]:
    """Pages of two columns, each column a list of (group, first person, end) pieces."""
    columns: list[list[tuple[int, int, int]]] = [[]]
    used = 0.0

    def room() -> float:
        return BODY_MM - SPARE_MM - (HEADING_MM if len(columns) <= 2 else 0.0)

    for g, group in enumerate(groups):
        heights = [person_lines(p) * LINE_MM for p in group["persons"]]
        whole = LINE_MM + sum(heights) + GAP_MM
        if group["keep"] and whole <= room():  # kept whole: in this column or at the top of the next
            if used + whole > room():
                columns.append([])
                used = 0.0
            columns[-1].append((g, 0, len(heights)))
            used += whole
            continue
        a = 0
        while a < len(heights):
            b, height = a, LINE_MM if a == 0 else 0.0  # a heading goes with at least one name
            while b < len(heights) and used + height + heights[b] + (GAP_MM if b == len(heights) - 1 else 0) <= room():
                height += heights[b]
                b += 1
            if b == a:
                if used > 0:  # not even one more name: the next column
                    columns.append([])
                    used = 0.0
                    continue
                b, height = a + 1, height + heights[a]  # taller than a whole column: placed all the same
            columns[-1].append((g, a, b))
            used += height
            if b < len(heights):
                columns.append([])
                used = 0.0
            a = b
        used += GAP_MM
    return [columns[i:i + 2] for i in range(0, len(columns), 2)]


def person_lines(person: dict[str, str]) -> int:
    """Lines of one name and its title: the name wraps in its own box, the title in the rest of the column."""
    name = math.ceil(text_width(person["name"]) / NAME_EM)
    return max(name, title_lines(person["title"]))


def title_lines(title: str) -> int:
    if text_width(title) <= TITLE_EM:
        return 1
    lines, width = 1, 0.0
    for w in words(title):
        wide = text_width(w)
        if width + wide > TITLE_EM and width > 0:
            lines += 1 + int(wide // TITLE_EM)
            width = wide % TITLE_EM
        else:
            width += wide
    return lines
