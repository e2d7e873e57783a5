"""会议须知 (handbook.pdf): an A5 booklet for attendees, imposed 2-up on A4 for saddle stitching."""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Any

from .. import chinese
from ..joining import join
from ..layout import lists
from ..layout.facts import cn_due
from ..problems import Fail
from ..records import Meeting
from ..records.meeting import Attendee
from ..render import FIRST_PAGE, Stash, saved
from ..strokes import pad_name

Block = dict[str, Any]
NOT_LISTED = ("工作人员", "媒体")  # roles left out of 参会人员名单
KEEP_ROWS = 8  # a table, a day of the schedule, a unit's names: this short, never split across pages
A5_WIDTH = 148 / 25.4 * 72  # pt
A4_LANDSCAPE = (297 / 25.4 * 72, 210 / 25.4 * 72)  # pt


def context(m: Meeting, fail: Fail) -> list[dict[str, Any]]:
    """The booklet's front (cover, 目录, every section but the name list) and, after it, the 参会人员名单: its
    own part, cut into chunks of pages (`lists.chunks`) so that an edit to one attendee re-renders one chunk.
    The front ends on a page of its own where the list begins: the 目录 gives the list that page's number."""
    sections: list[Block] = []
    for title, build in SECTIONS:
        blocks = build(m)
        if blocks:
            n = len(sections) + 1
            sections.append({"id": f"s{n}", "heading": f"{chinese.cn_number(n)}、{title}", "blocks": blocks})
    listed = attendees(m)
    front = {"title": booklet_title(m.title), "cover": cover(m), "sections": sections, "toc": list(sections)}
    if not listed:
        return [front]
    n = len(sections) + 1
    heading = {"id": f"s{n}", "heading": f"{chinese.cn_number(n)}、参会人员名单"}
    front["toc"] = [*sections, heading]
    front["later"] = heading["id"]  # the page the list begins on: the front's last, dropped when joined
    (block,) = listed
    part = {"title": front["title"], "first_page": FIRST_PAGE}
    whole = {**part, "sections": [{**heading, "blocks": [block]}], "pageable": True}
    pages = lists.chunks(block["groups"])
    whole["pieces"] = [{**part, "sections": [{**heading, "heading": heading["heading"] if i == 0 else "",
                                                "blocks": [{**block, "groups": groups, "full": i < len(pages) - 1}]}],
                        "paged": {"count": count}}
                       for i, (groups, count) in enumerate(pages)]
    return [front, whole]


def skip(m: Meeting) -> str | None:
    if m.rules or m.schedule or m.hours or m.notes or m.duty:
        return None
    return ("会议须知需要 rules（会议纪律）、schedule（日程）、hours（作息时间）、notes（注意事项）"
            "或 duty（值班人员）中的至少一项，meeting.md 中都没有")


def booklet_title(title: str) -> str:
    """`XX会议` → `XX会议须知` (not `XX会议会议须知`)."""
    return f"{title}须知" if title.endswith("会议") else f"{title}会议须知"


def cover(m: Meeting) -> dict[str, str]:
    return {"title": m.title, "organizer": m.organizer, "dates": dates(m)}


def dates(m: Meeting) -> str:
    """`2026年12月8日`, or `2026年12月8日—10日` for a meeting of several days."""
    start, end = m.start.date(), (m.end or m.start).date()
    if end == start:
        return chinese.cn_date(start)
    if end.year != start.year:
        return f"{chinese.cn_date(start)}—{chinese.cn_date(end)}"
    return f"{chinese.cn_date(start)}—{'' if end.month == start.month else f'{end.month}月'}{end.day}日"


def month_day(d: date, sep: str = "") -> str:
    """`12月8日（星期二）`; `sep` "\\n" sets the weekday on a line of its own."""
    return f"{d.month}月{d.day}日{sep}（{chinese.weekday(d)}）"


def depart(t: datetime, clock: str) -> str:
    return f"{t.month}月{t.day}日{chinese.cn_time(t, clock)}"


# —— blocks: what the template knows how to draw ——

def paras(texts: list[str], numbered: bool = True) -> Block:
    return {"type": "paras", "items": [f"{i}.{t}" if numbered else t for i, t in enumerate(texts, start=1)]}


def sub(text: str) -> Block:
    return {"type": "sub", "text": text}


def table(columns: Sequence[tuple[str, float, str]], *bodies: list[list[Any]]) -> Block:
    """Columns: (heading, width share, align); rows in one or more bodies (a schedule's days), a short body
    never split across pages; a cell is a value or {"text", "rowspan"} (rowspan 0: covered).
    A column empty in every row is left out."""
    rows = [r for body in bodies for r in body]
    used = [i for i in range(len(columns)) if any(r[i] for r in rows)]
    total = sum(columns[i][1] for i in used)
    return {"type": "table",
            "columns": [{"name": n, "share": round(100 * w / total, 3), "align": a}
                        for n, w, a in (columns[i] for i in used)],
            "bodies": [{"keep": len(body) <= KEEP_ROWS, "rows": [[cell(r[i]) for i in used] for r in body]}
                       for body in bodies]}


def cell(value: Any) -> dict[str, Any]:
    if isinstance(value, dict):
        return value
    return {"text": "" if value is None else str(value), "rowspan": 1}


def names(groups: dict[str, list[tuple[str, str]]], wide: bool = False) -> Block:
    """Names with their titles under a heading each (unit, group); `wide`: one column, for long titles."""
    return {"type": "names", "wide": wide, "groups": [
        {"heading": h, "keep": len(persons) <= KEEP_ROWS,
         "persons": [_person(pad_name(n), t) for n, t in persons]}
        for h, persons in groups.items()]}


def _person(name: str, title: str) -> dict[str, Any]:
    return {"name": name, "title": title, "wide": _wide(name)}


def _wide(name: str) -> int:
    """How many em a name of full-width characters only takes (each exactly one: ideographs, U+3000), up to the
    name's box (lists.NAME_EM); 0 for another name. The title then follows after a margin, not an inline box of
    its own: a page of 60 names is laid out a seventh quicker, the same to the pixel."""
    if len(name) < lists.NAME_EM and all(unicodedata.east_asian_width(ch) in "WF" for ch in name):
        return len(name)
    return 0


def fields(heading: str, rows: list[tuple[str, str | None]]) -> Block:
    return {"type": "fields", "heading": heading, "rows": [{"label": k, "text": v} for k, v in rows if v]}


# —— sections, in booklet order ——

def rules(m: Meeting) -> list[Block]:
    return [paras(m.rules)] if m.rules else []


def schedule(m: Meeting) -> list[Block]:
    """One row per item; the day once, spanning its rows."""
    days: dict[date, list[list[Any]]] = {}
    for s in sorted(m.schedule, key=lambda s: s["day"]):
        days.setdefault(s["day"], []).append(["", s["time"], s["item"], s["place"]])
    for day, rows in days.items():
        rows[0][0] = {"text": month_day(day, "\n"), "rowspan": len(rows)}
        for row in rows[1:]:
            row[0] = {"text": "", "rowspan": 0}
    cols = [("日期", 22, "center"), ("时间", 24, "center"), ("内容", 38, "left"), ("地点", 34, "left")]
    return [table(cols, *days.values())] if days else []


def hours(m: Meeting) -> list[Block]:
    cols = [("时间", 30, "center"), ("安排", 70, "left")]
    return [table(cols, [[h["time"], h["item"]] for h in m.hours])] if m.hours else []


def agenda(m: Meeting) -> list[Block]:
    cols = [("时间", 14, "center"), ("议程", 60, "left"), ("主持/主讲", 34, "center")]
    rows = [[a["time"], a["item"], a["presenter"]] for a in m.agenda or []]
    return [table(cols, rows)] if rows else []


def by(key: Callable[[Attendee], str], persons: list[Attendee]) -> dict[str, list[Attendee]]:
    """Persons grouped by `key`, groups in order of first appearance."""
    groups: dict[str, list[Attendee]] = {}
    for a in persons:
        groups.setdefault(key(a), []).append(a)
    return groups


def attendees(m: Meeting) -> list[Block]:
    """参会人员名单 by unit; a 替会人员 under the unit attended for: `李明　凤鸣区发展改革局局长（代黄永强）`."""
    listed = by(lambda a: a.delegation, [a for a in m.attending if a.role not in NOT_LISTED])
    return [names({u: [(a.name, post(a)) for a in group] for u, group in listed.items()})] if listed else []


def post(a: Attendee) -> str:
    if not a.stands_in:
        return a.title
    own = a.title if a.unit == a.delegation else a.unit_and_title
    return f"{own}（代{a.stands_in.name}）"


def groups(m: Meeting) -> list[Block]:
    grouped = by(lambda a: a.group, [a for a in m.present if a.group])
    return [names({g: [(a.name, a.unit_and_title) for a in group] for g, group in grouped.items()},
                  wide=True)] if grouped else []


def board(m: Meeting) -> list[Block]:
    parts = [("住宿", m.accommodation), ("就餐", m.meals)]
    present = [(label, texts) for label, texts in parts if texts]
    if len(present) == 1:
        return [paras(present[0][1], numbered=len(present[0][1]) > 1)]
    return [b for i, (label, texts) in enumerate(present, start=1)
            for b in (sub(f"（{chinese.cn_number(i)}）{label}"), paras(texts, numbered=len(texts) > 1))]


def vehicles(m: Meeting) -> list[Block]:
    return [vehicle(m, v) for v in m.vehicles]


def vehicle(m: Meeting, v: dict[str, Any]) -> Block:
    riders = "、".join(a.name for a in m.present if a.vehicle == v["id"])
    when = depart(v["depart"], m.clock) if v["depart"] else ""
    return fields(v["id"] + (f"（{v['group']}）" if v["group"] else ""), [
        ("车牌", v["plate"]),
        ("驾驶员", "　".join(x for x in (v["driver"], v["phone"]) if x)),
        ("发车", "，".join(x for x in (when, v["place"]) if x)),
        ("乘车人员", riders),
    ])


def duty(m: Meeting) -> list[Block]:
    cols = [("岗位", 30, "left"), ("姓名", 22, "center"), ("电话", 28, "center"), ("地点", 32, "left")]
    rows = [[d["group"], pad_name(d["name"]), d["phone"], d["place"]] for d in m.duty]
    return [table(cols, rows)] if rows else []


def contacts(m: Meeting) -> list[Block]:
    cols = [("联系人", 40, "center"), ("电话", 60, "center")]
    return [table(cols, [[pad_name(c["name"]), c["phone"]] for c in m.contacts])] if m.contacts else []


def carried_items(m: Meeting) -> list[Block]:
    """Open items of the meeting this one follows: what attendees report on."""
    cols = [("序号", 10, "center"), ("事项", 44, "left"), ("牵头单位", 20, "center"), ("完成时限", 22, "center"),
            ("进展情况", 30, "left")]
    rows = [[n, f"{i.cite}：{i.decision['text']}", i.decision["lead_unit"], cn_due(i.decision["due"]),
             i.decision["progress"] or i.decision["status"]]
            for n, i in enumerate(m.carried, start=1)]
    return [table(cols, rows)] if rows else []


def notes(m: Meeting) -> list[Block]:
    return [paras(m.notes)] if m.notes else []


SECTIONS: tuple[tuple[str, Callable[[Meeting], list[Block]]], ...] = (
    ("会议纪律", rules), ("日程安排", schedule), ("作息时间", hours), ("会议议程", agenda), ("分组名单", groups),
    ("食宿安排", board), ("乘车安排", vehicles), ("值班及会务工作人员", duty), ("联系方式", contacts),
    ("前次会议议定事项落实情况", carried_items), ("注意事项", notes),
)  # then the 参会人员名单 (`context`): the booklet's last section


# —— printing: saddle-stitch imposition ——

def finish(m: Meeting, pdfs: list[bytes], stash: Stash) -> list[tuple[str, bytes]]:
    """The front, its last page (where the list begins) dropped, then the name list's parts."""
    a5 = join(pdfs, duplex=False, trim=1) if len(pdfs) > 1 else pdfs[0]
    return [("handbook.pdf", impose(a5)), ("handbook-a5.pdf", a5)]


def sheet_order(n: int) -> list[tuple[int, int]]:
    """(left, right) page indexes of each printed side, for n pages (a multiple of 4):
    sheet i front n-1-2i | 2i, back 2i+1 | n-2-2i; folding the stack gives pages in order."""
    sides = []
    for i in range(n // 4):
        sides += [(n - 1 - 2 * i, 2 * i), (2 * i + 1, n - 2 - 2 * i)]
    return sides


def impose(a5: bytes) -> bytes:
    """A4 landscape sheets, two A5 pages side by side; missing pages (padding to 4) stay blank. Each A5 page is
    placed whole as a form (its content never parsed); the file keeps the A5's information and PDF/A identity."""
    import pikepdf

    pdf = pikepdf.open(io.BytesIO(a5))
    forms = [page.as_form_xobject() for page in pdf.pages]
    margin = (A4_LANDSCAPE[0] - 2 * A5_WIDTH) / 2  # 0.5 mm each side: the fold falls on the middle
    for side in sheet_order(-(-len(forms) // 4) * 4):
        sheet = pdf.add_blank_page(page_size=A4_LANDSCAPE)  # type: ignore[arg-type]  # floats, typed as int
        drawn = [f"q 1 0 0 1 {margin + slot * A5_WIDTH:.4f} 0 cm "
                 f"{sheet.add_resource(forms[i], pikepdf.Name.XObject, pikepdf.Name(f'/P{i}'))} Do Q\n"
                 for slot, i in enumerate(side) if i < len(forms)]
        sheet.contents_add(pikepdf.Stream(pdf, "".join(drawn).encode()))
    del pdf.pages[:len(forms)]
    return saved(pdf)
