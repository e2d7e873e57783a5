"""briefing-*.md: the 会议简报 issues, each a front-matter Markdown file, read once per build with its 期号."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from .schema import Field, _record
from .written import Written, numbered_files

if TYPE_CHECKING:
    from .meeting import Listed

Issue = tuple[int | None, Written]  # a briefing file and its 期号 (None: unknown, a problem says why)
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


def files(m: Listed) -> list[Path]:
    """briefing-*.md in the meeting folder, briefing-2.md before briefing-10.md."""
    return numbered_files(m.folder, PATTERN)


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


def read_all(m: Listed) -> list[Issue]:
    """Every briefing file with its 期号; a 期号 used before is a problem of the later file."""
    found: list[Issue] = []
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


def valid(found: list[Issue]) -> list[tuple[int, Written]]:
    """The issues without problems, by 期号."""
    return sorted(((n, b) for n, b in found if n is not None and not b.problems), key=lambda item: item[0])
