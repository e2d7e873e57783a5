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
(`facts`, shared with the 会后总结): {会议名称} {会议日期} {会议地点} {到会情况}.

The 报头 (masthead.html.j2) is the 纪要's: large red name, 第X期, 编印单位 and date, red rule. The
报尾 sits at the foot of the last page between two rules, as the 版记 of the notice and the 纪要.
Two files with the same 期号 are an error: each issue is written to its own briefing-<期号>.pdf.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from . import attendance, chinese
from .body import Placeholder
from .minutes import mark_size
from .model import Meeting
from .notice import title_lines
from .problems import Fail
from .schema import Field, _record
from .written import Written

PATTERN = "briefing-*.md"
ROUTES = {"报": "报送的上级机关和领导", "送": "送往的有关单位", "发": "发往的下级单位"}  # the 报尾's lines

BRIEFING: dict[str, Field] = {
    "number": Field("期号", "int", most=9999),
    "date": Field("编印日期", "date", required=True),
    "title": Field("标题（要自己定分行位置时写成列表）", "texts", required=True),
    "name": Field("简报名称（默认：会议名称+简报）", "text"),
    "editor": Field("编印单位（默认：主办单位）", "text"),
    "marking": Field("左上角标注（密级或“内部资料”字样）", "text"),
    "note": Field("按语", "text"),
    "to": Field("报尾的报、送、发", "record", default={}, sub=_record(
        *((route, Field(label, "texts", default=[])) for route, label in ROUTES.items()))),
    "copies": Field("印数（共印X份）", "int", most=99999),
}


# -- facts both the 简报 and the 会后总结 may place in their text --

def meeting_days(m: Meeting) -> str:
    """`2026年12月8日上午`, or `2026年12月8日至10日` for a meeting of several days."""
    end = m.end
    if end is None or end.date() == m.start.date():
        return f"{chinese.cn_date(m.start)}{chinese.day_part(m.start)}"
    last = (f"{end.day}日" if (end.year, end.month) == (m.start.year, m.start.month)
            else f"{end.month}月{end.day}日" if end.year == m.start.year else chinese.cn_date(end))
    return f"{chinese.cn_date(m.start)}至{last}"


def turnout(m: Meeting) -> str | None:
    """`应到79人，实到71人，请假6人，缺席2人` from the sign-in result; without one, from the attendee
    table's 状态 (everyone not on leave came). 工作人员 and 媒体 are not counted."""
    o = attendance.outcome(m)
    if o is not None:
        expected, came, leave, absent, _late = attendance.tally(o, o.expected)
    else:
        people = attendance.expected(m)
        expected, leave, absent = len(people), sum(not a.present for a in people), 0
        came = expected - leave
    if not expected:
        return None
    counts = [("应到", expected), ("实到", came), ("请假", leave), ("缺席", absent)]
    return "，".join(f"{label}{n}人" for label, n in counts if n or label in ("应到", "实到"))


def facts(m: Meeting) -> dict[str, Placeholder]:
    return {
        "会议名称": Placeholder(lambda: m.title, needs="title"),
        "会议日期": Placeholder(lambda: meeting_days(m), needs="start"),
        "会议地点": Placeholder(lambda: m.venue, needs="venue"),
        "到会情况": Placeholder(lambda: turnout(m), needs="参会人员名单（attendees.csv）"),
    }


# -- the issues --

def files(m: Meeting) -> list[Path]:
    """briefing-*.md in the meeting folder, briefing-2.md before briefing-10.md."""
    def key(p: Path) -> tuple:
        return tuple(int(s) if s.isdigit() else s for s in re.split(r"(\d+)", p.stem))

    return sorted((p for p in m.folder.glob(PATTERN) if p.is_file()), key=key)


def number_of(b: Written) -> int | None:
    """The 期号: the `number` key (None when it is wrong: the schema check says why), else the
    number in the file name; a file with neither gets a problem."""
    assert b.source is not None
    if b.source.data.get("number") not in (None, ""):
        return b.values["number"]
    found = re.fullmatch(r"briefing-0*([1-9]\d{0,3})", b.path.stem)
    if found:
        return int(found[1])
    b.problems.add(b.path, 1, "缺少 number（期号）：请写 number: 1，或把文件命名为 briefing-1.md")
    return None


def read_all(m: Meeting) -> list[tuple[int | None, Written]]:
    """Every briefing file with its 期号; a 期号 used before is a problem of the later file."""
    found: list[tuple[int | None, Written]] = []
    seen: dict[int, Written] = {}
    for b in (Written.read(p, BRIEFING) for p in files(m)):
        n = number_of(b) if b.source else None
        if n is not None and n in seen:
            first, line = seen[n], b.source.line("number") if b.source else 1
            b.problems.add(b.path, line, f"number（期号）：第{n}期已用于 {first.path.name}，每期简报的期号不能相同")
        elif n is not None:
            seen[n] = b
        found.append((n, b))
    return found


def valid(found: list[tuple[int | None, Written]]) -> list[tuple[int, Written]]:
    """The issues without problems, by 期号."""
    return sorted(((n, b) for n, b in found if n is not None and not b.problems), key=lambda item: item[0])


def skip(m: Meeting) -> str | None:
    return None if files(m) else "没有 briefing-*.md（会议简报）"


def distribution(to: dict[str, list[str]]) -> list[dict[str, str]]:
    """The 报尾's 报/送/发 lines: units separated by ，, ending in 。 (as the 版记's 抄送)."""
    return [{"label": route, "units": "，".join(to[route]) + "。"} for route in ROUTES if to.get(route)]


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
        "blocks": b.blocks(facts(m), fail),
        "distribution": distribution(v["to"] or {}),
        "copies": f"（共印{v['copies']}份）" if v["copies"] else "",
    }


def context(m: Meeting, fail: Fail) -> list[dict[str, Any]]:
    found = read_all(m)
    for _, b in found:
        b.report(fail)
    return [issue(m, n, b, fail) for n, b in valid(found)]


def finish(m: Meeting, pdfs: list[bytes]) -> list[tuple[str, bytes]]:
    """One file per issue, named by its 期号 (the parts come in the order of `valid`)."""
    return [(f"briefing-{n}.pdf", pdf) for (n, _), pdf in zip(valid(read_all(m)), pdfs, strict=True)]
