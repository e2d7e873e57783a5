"""分工任务清单 and 会前自查清单 (tasks.pdf): who does what by when, and the final walk-through.

Every meeting gets the checklist; the task list comes with `tasks`.
Tasks past their due date and not done are flagged against the build date
(`HUIWU_TODAY` fixes it); the checklist is generated from what the meeting has.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from .. import chinese
from ..layout.facts import counting_basis, headcount_line, microphones, receiving_units
from ..layout.forms import TICK, Col, Flag, form, table, time_place
from ..problems import Fail
from ..records import Meeting, materials
from ..records.meeting import build_date

TASK_COLUMNS = [Col("序号", 13), Col("任务", 64, "left"), Col("责任人", 22), Col("完成时限", 38), Col("状态", 24),
                Col("备注", 19)]
CHECK_COLUMNS = [Col("序号", 13), Col("检查项目", 64, "left"), Col("依据/数量", 50, "left"), Col("已查", 14),
                 Col("检查人", 20), Col("备注", 19)]


def state(task: dict, today: date) -> str:
    if task["done"]:
        return "已完成"
    if task["due"] and task["due"] < today:
        return Flag(f"逾期{(today - task['due']).days}天")
    return Flag("今日到期") if task["due"] == today else "未完成"


def task_rows(m: Meeting, today: date) -> list:
    """A group line, then the group's tasks by due date; numbers run on across groups."""
    rows: list = []
    n = 0
    for group in dict.fromkeys(t["group"] for t in m.tasks):
        rows.append(group)
        for t in sorted((t for t in m.tasks if t["group"] == group), key=lambda t: (t["due"] is None, t["due"])):
            n += 1
            rows.append([n, t["task"], t["owner"], chinese.cn_date(t["due"]) if t["due"] else "", state(t, today), ""])
    return rows


def checklist(m: Meeting) -> list[tuple[str, str]]:
    """(item, what to check it against), from what the meeting actually has."""
    items = [("会场已预订，桌椅、灯光、空调已检查", m.venue)]
    units = receiving_units(m)
    if units:
        items.append(("通知已送达，签收登记齐全", f"{len(units)} 个单位"))
    if m.reply_by:
        items.append(("参会回执已收齐", f"截止{chinese.cn_datetime(m.reply_by, m.clock)}"))
    if m.attendees:
        items.append(("请假人员已报批，替会人员已确认", headcount_line(m)))
        items.append(("签到表已打印，签到笔已备好", f"拟到 {m.headcount.coming} 人"))
        items.append(("座次表已报审，桌签与座次逐一核对", f"拟到 {m.headcount.coming} 人及工作人员、媒体"))
        items.append(("参会证件已制作，与名单逐一核对", f"{len(m.attending)} 人（含工作人员、媒体）"))
    mics = microphones(m)
    items.append(("话筒、音响、投影已调试，备用话筒和电池已备好",
                  f"话筒 {len(mics)} 支，见会场布置及设备检查表" if mics else ""))
    for mat in m.materials:
        secret = f"，{mat['classification']}，逐份编号" if materials.numbered(mat) else ""
        items.append((f"材料已清点：{mat['title']}", f"{len(materials.copies(m, mat))} 份{secret}"))
    if m.vehicles:
        items.append(("车辆、驾驶员已落实", f"{len(m.vehicles)} 辆"))
    if m.signs:
        items.append(("引导牌已摆放", f"{len(m.signs)} 块"))
    if m.duty:
        items.append(("值班及会务工作人员已到岗", f"{len(m.duty)} 人"))
    return items


def context(m: Meeting, fail: Fail) -> list[dict[str, Any]]:
    today = build_date()
    tables = []
    if m.tasks:
        tables.append(table(TASK_COLUMNS, task_rows(m, today), heading="一、会务分工任务清单", sign=False,
                            note=f"状态按{chinese.cn_date(today)}计。"))
    checks = [[i, item, basis, TICK, "", ""] for i, (item, basis) in enumerate(checklist(m), start=1)]
    tables.append(table(CHECK_COLUMNS, checks, heading=f"{'二' if m.tasks else '一'}、会前自查清单",
                        note=counting_basis() if m.attendees else ""))
    return [form(f"{m.title}会务分工及会前自查清单", time_place(m), tables, lead=lead(m, today))]


def lead(m: Meeting, today: date) -> list[str]:
    if not m.tasks:
        return []
    late = sum(1 for t in m.tasks if state(t, today).startswith("逾期"))
    undone = sum(1 for t in m.tasks if not t["done"])
    return [f"任务 {len(m.tasks)} 项　已完成 {len(m.tasks) - undone} 项　未完成 {undone} 项（其中逾期 {late} 项）"]


def dated(m: Meeting) -> bool:
    return any(t["due"] and not t["done"] for t in m.tasks)
