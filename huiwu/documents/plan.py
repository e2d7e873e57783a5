"""会议方案 (plan.pdf): the meeting as proposed to the leadership, marked 送审稿 until `approved`."""

from __future__ import annotations

from typing import Any

from .. import chinese
from ..layout.facts import agenda_lines, counting_basis, plan_attachments, plan_reason
from ..layout.forms import COVERED, Col, Merged, table
from ..problems import Fail
from ..records import Meeting, budget
from ..records.meeting import COUNTED, ROLES

SCHEDULE = [Col("日期", 42), Col("时间", 26), Col("内容", 48, "left"), Col("地点", 40, "left")]
TASKS = [Col("任务", 86, "left"), Col("责任人", 24), Col("完成时限", 46)]
BUDGET = [Col("序号", 12), Col("项目", 44, "left"), Col("标准（元/人·天）", 26), Col("人数", 14), Col("天数", 12),
          Col("金额（元）", 26), Col("说明", 22, "left")]
EMERGENCY = [Col("情形", 34, "left"), Col("处置措施", 96, "left"), Col("责任人", 26)]
REVIEW = [Col("环节", 20), Col("姓名", 36), Col("签字", 52), Col("日期", 48)]
STEPS = (("拟稿", "drafter"), ("审核", "checker"), ("审定", "approver"))
BLANK_DATE = "　　年　　月　　日"


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


def budget_blocks(m: Meeting, fail: Fail) -> list[dict]:
    """The items with their amounts, the total, and the figure per person per day against the 综合定额."""
    b = budget.of(m, fail)
    if b is None:
        return []
    num = lambda x: "" if x is None else budget.yuan(x)  # noqa: E731
    rows: list = [[i, line.item, num(line.standard), line.people or "", line.days or "", budget.yuan(line.amount),
                   line.note] for i, line in enumerate(b.lines, start=1)]
    rows.append(["", "合计", "", "", "", budget.yuan(b.total), ""])
    basis = f"按 {b.people} 人、{b.days} 天计，人均每天 {budget.yuan(b.per_day)} 元"
    if b.over:
        return [{"table": table(BUDGET, rows, sign=False)}, {"p": f"{basis}，{b.over}。", "flag": True}]
    limit = f"，未超过{b.cls}会议综合定额 {budget.yuan(b.quota)} 元" if b.cls and b.quota is not None else ""
    return [{"table": table(BUDGET, rows, sign=False)}, {"p": f"{basis}{limit}。"}]


def emergency_blocks(m: Meeting) -> list[dict]:
    rows = [[e["case"], e["action"], e["owner"] or ""] for e in m.emergency]
    return [{"table": table(EMERGENCY, rows, sign=False)}] if rows else []


def review_table(m: Meeting) -> dict:
    """拟稿, 审核, 审定: the names given in `review`, and a line to sign and date by hand."""
    given = m.review or {}
    return table(REVIEW, [[step, given.get(key) or "", "", BLANK_DATE] for step, key in STEPS])


def sections(m: Meeting, fail: Fail) -> list[tuple[str, list[dict]]]:
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
        ("经费预算", budget_blocks(m, fail)),
        ("应急预案", emergency_blocks(m)),
        ("工作要求", numbered(m.requirements)),
    ]
    kept = [(h, b) for h, b in candidates if b]
    return [(f"{chinese.cn_number(i)}、{h}", b) for i, (h, b) in enumerate(kept, start=1)]


def context(m: Meeting, fail: Fail) -> list[dict[str, Any]]:
    return [{"title": f"{m.title}方案", "sections": sections(m, fail), "draft": not m.approved,
             "signed": chinese.cn_date(m.issued_on), "review": None if m.approved else review_table(m),
             "attachments": [] if m.approved else [f"{n}.{name}" for n, (_, name, _) in
                                                   enumerate(plan_attachments(m), start=1)]}]


def skip(m: Meeting) -> str | None:
    return plan_reason(m)
