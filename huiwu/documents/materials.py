"""材料分发登记表 (materials-register.pdf): every copy of every material, with its 份号 where it has one
(records.materials), to be signed for. The 回收登记表 (recollection.py) and the numbered copies
(copies.py) list the same copies."""

from __future__ import annotations

from typing import Any

from ..layout.facts import clock
from ..layout.forms import Col, form, table, time_place
from ..problems import Fail
from ..records import Meeting
from ..records.materials import Copy, copies, marking, numbered
from ..records.schema import SECRET_LEVELS


def issue_table(m: Meeting, n: int, mat: dict) -> dict:
    cols = [Col("序号", 13), *([Col("份号", 22)] if numbered(mat) else []), Col("领取单位", 80, "left"),
            Col("应领人", 30), Col("领取人签字", 40), Col("领取时间", 40), Col("备注", 30)]
    attending = frozenset(m.attending) if m.received else frozenset()
    rows = [[i, *([c.number] if c.number else []), c.unit, c.holder_name, "", *taken(m, c, attending)]
            for i, c in enumerate(copies(m, mat), start=1)]
    return table(cols, rows, heading=f"{n}. {mat['title']}{marking(mat)}　共 {len(rows)} 份")


def taken(m: Meeting, c: Copy, attending: frozenset) -> list[str]:
    """领取时间 and 备注 of a copy the desk (received.csv) saw handed over: its holder's, or for a unit's copy
    the first of the unit's people (`attending`: those expected); blank for the hand to fill in otherwise."""
    given = m.received or {}
    people = [c.holder] if c.holder else [a for a in given if a in attending]
    times = [given[a] for a in people if a in given and a.delegation == c.unit]
    if not times:
        return ["", ""]
    first = min((t for t in times if t), default=None)
    return [clock(first, m.start.date()) if first else "", "已领"]


def context(m: Meeting, fail: Fail) -> list[dict[str, Any]]:
    issue = [issue_table(m, n, mat) for n, mat in enumerate(m.materials, start=1)]
    return [form(f"{m.title}材料分发登记表", time_place(m), issue, lead=[summary(m)], landscape=True)]


def summary(m: Meeting) -> str:
    total = sum(len(copies(m, mat)) for mat in m.materials)
    secret = sum(len(copies(m, mat)) for mat in m.materials if mat["classification"] in SECRET_LEVELS)
    return f"材料 {len(m.materials)} 种　共 {total} 份" + (f"（其中涉密 {secret} 份，逐份编号）" if secret else "")


def skip(m: Meeting) -> str | None:
    if not m.materials:
        return "没有 materials（会议材料）"
    if not any(copies(m, mat) for mat in m.materials):
        return "materials 中的材料没有领取人（名单中没有对应类别的参会人员）"
    return None
