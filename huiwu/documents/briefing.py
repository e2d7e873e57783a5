"""会议简报 (briefing-<期号>.pdf): one 简报 issue per `briefing-*.md` in the meeting folder (domain.md §5.4).

Each file is a YAML front matter, then the article. Without such a file the meeting gets no 简报.

Front matter keys:

    number     期号, a positive integer: 1 prints 第1期 and writes briefing-1.pdf
               (default: the number in the file name, briefing-2.md → 2)
    date       编印日期, e.g. "2026-12-08" (required)
    title      the article's title (required); long titles break between words, or where a
               list of lines says: [第一行, 第二行]
    name       简报名称, the red 报头 (default: 会议名称 + 简报, e.g. 2026年全市经济工作会议简报)
    editor     编印单位 (default: the meeting's organizer)
    marking    top-left mark, e.g. 内部资料　注意保存 (default: the meeting's 密级, if any)
    note       按语, printed in 楷体 above the title after 编者按：
    to         the 报尾's distribution, each a list of units: {报: [...], 送: [...], 发: [...]}
    copies     共印X份

Body: paragraphs separated by blank lines, numbered 一、 （一） 1. （1） as in meeting.md. Placeholders
(`facts`, shared with the 会后总结): {会议名称} {会议日期} {会议地点} {到会情况}. A 简报 goes to the
leadership: its {到会情况} neither names nor counts absentees unless the setting `briefing_absent` is true.

The 报头 (masthead.html.j2) is the 纪要's: large red name, 第X期, 编印单位 and date, red rule. The
报尾 sits at the foot of the last page between two rules, as the 版记 of the notice and the 纪要.
Two files with the same 期号 are an error: each issue is written to its own briefing-<期号>.pdf.
"""

from __future__ import annotations

from typing import Any

from .. import chinese
from ..layout.body import written_blocks
from ..layout.facts import placeholders
from ..layout.measure import mark_size, title_lines
from ..problems import Fail
from ..records import Meeting
from ..records.briefings import ROUTES, valid
from ..records.written import Written
from ..render import Stash


def skip(m: Meeting) -> str | None:
    return None if m.briefings else "没有 briefing-*.md（会议简报）"


def tail(to: dict[str, list[str]], copies: int | None) -> list[tuple[str, str]]:
    """The 报尾's lines: 报/送/发 with units separated by ，, ending in 。 (as the 版记's 抄送), then 共印X份."""
    routes = [("route", f"{route}：{'，'.join(to[route])}。") for route in ROUTES if to.get(route)]
    return routes + ([("copies", f"（共印{copies}份）")] if copies else [])


def issue(m: Meeting, n: int, b: Written, fail: Fail) -> dict[str, Any]:
    v = b.values
    name = v["name"] or f"{m.title}简报"
    return {
        "title": f"{name}第{n}期",
        "mark": name,
        "mark_mm": mark_size(name),
        "issue": f"第{n}期",
        "editor": v["editor"] or m.organizer,
        "dated": chinese.cn_date(v["date"]),
        "marking": v["marking"] or m.secrecy_mark,
        "note": v["note"] or "",
        "headline": title_lines(v["title"][0]) if len(v["title"]) == 1 else v["title"],
        "blocks": written_blocks(b, placeholders(m, m.briefing_absent), fail),
        "tail": tail(v["to"] or {}, v["copies"]),
    }


def context(m: Meeting, fail: Fail) -> list[dict[str, Any]]:
    return [issue(m, n, b, fail) for n, b in valid(m.briefings)]


def finish(m: Meeting, pdfs: list[bytes], stash: Stash) -> list[tuple[str, bytes]]:
    """One file per issue, named by its 期号 (the parts come in the order of `valid`)."""
    return [(f"briefing-{n}.pdf", pdf) for (n, _), pdf in zip(valid(m.briefings), pdfs, strict=True)]
