"""会议方案 (plan.pdf): the meeting as proposed to the leadership, marked 送审稿 until `approved`."""

from __future__ import annotations

from typing import Any

from .. import chinese
from ..layout.facts import agenda_lines, counting_basis
from ..layout.forms import COVERED, Col, Merged, table
from ..problems import Fail
from ..records import Meeting
from ..records.meeting import COUNTED, ROLES

SCHEDULE = [Col("日期", 42), Col("时间", 26), Col("内容", 48, "left"), Col("地点", 40, "left")]
TASKS = [Col("任务", 86, "left"), Col("责任人", 24), Col("完成时限", 46)]


def numbers(m: Meeting) -> list[str]:
    """应到 by category, 请假, 替会 and 拟到 (records.meeting.Headcount), the 工作人员 and 媒体 besides, and the
    note on what is counted."""
    n = m.headcount
    by_role = [f"{r}{k}人" for r in COUNTED if (k := sum(1 for a in m.attendees if a.role == r))]
    others = [f"{r}{k}人" for r in ROLES if r not in COUNTED and (k := sum(1 for a in m.attending if a.role == r))]
    line = (f"应到{n.expected}人（{'、'.join(by_role)}），请假{n.leave}人，替会{n.stand_ins}人，"
            f"拟参会（拟到）{n.coming}人" + (f"；另有{'、'.join(others)}" if others else "") + "。")
    return [line, counting_basis()]


def scope(m: Meeting) -> list[str]:
    lines = [f"（{chinese.cn_number(i)}）{p.rstrip('。')}。" for i, p in enumerate(m.participants, start=1)]
    return lines + (numbers(m) if m.attendees else [])


def time_place(m: Meeting) -> list[str]:
    lines = [f"时间：{chinese.date_line(m.start, m.end, m.clock)}。", f"地点：{m.venue}。"]
    if m.checkin:
        lines.append(f"报到：{chinese.cn_datetime(m.checkin['time'], m.clock)}，{m.checkin['place']}。")
    return lines


def schedule_table(m: Meeting) -> dict:
    """One row per item; a day's date is one cell beside all of its items."""
    rows: list[list[Any]] = []
    for day in dict.fromkeys(s["day"] for s in m.schedule):
        items = [s for s in m.schedule if s["day"] == day]
        date = Merged(f"{day.month}月{day.day}日（{chinese.weekday(day)}）", len(items))
        rows += [[date if i == 0 else COVERED, s["time"], s["item"], s["place"]] for i, s in enumerate(items)]
    return table(SCHEDULE, rows, sign=False)


def task_table(m: Meeting) -> dict:
    """One line per group with its owners, then the group's tasks."""
    rows: list = []
    for group in dict.fromkeys(t["group"] for t in m.tasks):
        mine = [t for t in m.tasks if t["group"] == group]
        rows.append(f"{group}（{'、'.join(dict.fromkeys(t['owner'] for t in mine))}）")
        rows += [[t["task"], t["owner"], f"{chinese.cn_date(t['due'])}前" if t["due"] else ""] for t in mine]
    return table(TASKS, rows, sign=False)


def sections(m: Meeting) -> list[tuple[str, list[dict]]]:
    """(heading, blocks); a block is {"p": text} or {"table": …}; sections without data are left out."""
    paras = lambda lines: [{"p": t} for t in lines]  # noqa: E731
    numbered = lambda items: [{"p": f"{i}.{t}"} for i, t in enumerate(items, start=1)]  # noqa: E731
    candidates: list[tuple[str, list[dict]]] = [
        ("会议名称", paras([m.title])),
        ("会议目的", paras([m.purpose] if m.purpose else [])),
        ("会议时间和地点", paras(time_place(m))),
        ("参会范围及人数", paras(scope(m))),
        ("会议议程", paras(agenda_lines(m))),
        ("日程安排", [{"table": schedule_table(m)}] if m.schedule else []),
        ("会务分工", [{"table": task_table(m)}] if m.tasks else []),
        ("会议材料", numbered([f"{mat['title']}（{mat['classification']}）" for mat in m.materials])),
        ("工作要求", numbered(m.requirements)),
    ]
    kept = [(h, b) for h, b in candidates if b]
    return [(f"{chinese.cn_number(i)}、{h}", b) for i, (h, b) in enumerate(kept, start=1)]


def context(m: Meeting, fail: Fail) -> list[dict[str, Any]]:
    return [{"title": f"{m.title}方案", "sections": sections(m), "draft": not m.approved,
             "signed": chinese.cn_date(m.issued_on)}]


def skip(m: Meeting) -> str | None:
    if not m.purpose and not m.tasks:
        return "会议方案需要 purpose（会议目的）或 tasks（会务分工）"
    return None
