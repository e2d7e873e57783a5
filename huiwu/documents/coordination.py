"""会务工作协调会 (coordination.pdf): once the plan is settled, the organising department calls the groups
together; a one-page agenda with the meeting's key facts, then a 分工确认表 per working group for its
members to sign against each task.

Sources: `tasks` (required), and `coordination` (time, place, host, who attends, agenda items; each
left blank to fill in by hand, the items defaulting to the usual four).
"""

from __future__ import annotations

from typing import Any

from .. import chinese
from ..layout.facts import headcount_line
from ..layout.forms import Col, form, table
from ..problems import Fail
from ..records import Meeting

FACTS = [Col("项目", 30), Col("内容", 150, "left")]
AGENDA = [Col("序号", 15), Col("议程", 120, "left"), Col("负责", 45)]
CONFIRM = [Col("序号", 13), Col("任务", 70, "left"), Col("责任人", 24), Col("完成时限", 34), Col("确认签字", 39)]
BLANK = "　" * 8  # a line left to write on
DEFAULT_ITEMS = (
    ("通报会议方案：会议时间、地点、参会范围及人数、议程", "主办部门"),
    ("各工作组逐项确认分工任务、责任人和完成时限", "各工作组"),
    ("明确会场演练、会前检查的时间和要求", "会务组"),
    ("研究需要协调解决的问题，提出工作要求", "主持人"),
)


def facts(m: Meeting) -> list[list[str]]:
    """What every group works from: the meeting's name, time, place, check-in, people, agenda, materials."""
    rows = [["会议名称", m.title], ["会议时间", chinese.date_line(m.start, m.end, m.clock)], ["会议地点", m.venue]]
    if m.checkin:
        rows.append(["报到", f"{chinese.cn_datetime(m.checkin['time'], m.clock)}，{m.checkin['place']}"])
    if m.attendees:
        rows.append(["参会人数", headcount_line(m).replace("　", "，")])
    if m.agenda:
        rows.append(["会议议程", f"{len(m.agenda)} 项：" + "；".join(a["item"] for a in m.agenda)])
    if m.materials:
        rows.append(["会议材料", f"{len(m.materials)} 种"])
    return rows


def groups(m: Meeting) -> dict[str, list[dict]]:
    """The tasks by working group, groups in order of first appearance, tasks by due date (none last)."""
    out: dict[str, list[dict]] = {}
    for t in m.tasks:
        out.setdefault(t["group"], []).append(t)
    return {g: sorted(ts, key=lambda t: (t["due"] is None, t["due"])) for g, ts in out.items()}


def agenda(m: Meeting) -> list[list[Any]]:
    given = (m.coordination or {}).get("items") or []
    items = [(i["item"], i["who"] or "") for i in given] if given else DEFAULT_ITEMS
    return [[i, text, who] for i, (text, who) in enumerate(items, start=1)]


def subtitle(m: Meeting) -> str:
    c = m.coordination or {}
    when = chinese.cn_datetime(c["time"], m.clock) if c.get("time") else BLANK
    parts = [f"时间：{when}", f"地点：{c.get('place') or BLANK}", f"主持：{c.get('host') or BLANK}"]
    return "　".join(parts)


def confirm_table(m: Meeting, group: str, tasks: list[dict], first: int) -> dict:
    """A page of its own, to hand to the group: the meeting's name over it, numbers running on."""
    rows = [[first + i, t["task"], t["owner"], f"{chinese.cn_date(t['due'])}前" if t["due"] else "", ""]
            for i, t in enumerate(tasks)]
    owners = "、".join(dict.fromkeys(t["owner"] for t in tasks))
    made = table(CONFIRM, rows, heading=f"{m.title}{group}分工确认表",
                 note=f"{group}任务 {len(tasks)} 项，责任人：{owners}。请责任人逐项核对任务和时限，无误后签字；"
                      "需调整的在会上提出，由会务组汇总后报批。")
    return {**made, "new_page": True}


def context(m: Meeting, fail: Fail) -> list[dict[str, Any]]:
    c = m.coordination or {}
    units = c.get("attendees") or list(groups(m))
    lead = [f"参加：{'、'.join(units)}", f"分工任务 {len(m.tasks)} 项，工作组 {len(groups(m))} 个（分工确认表附后）"]
    tables = [table(FACTS, facts(m), heading="一、会议基本情况", sign=False),
              table(AGENDA, agenda(m), heading="二、协调会议程", sign=False)]
    n = 1
    for group, tasks in groups(m).items():
        tables.append(confirm_table(m, group, tasks, n))
        n += len(tasks)
    return [form(f"{m.title}会务工作协调会", subtitle(m), tables, lead=lead)]


def skip(m: Meeting) -> str | None:
    return None if m.tasks else "没有 tasks（会务分工），无从召开会务工作协调会"
