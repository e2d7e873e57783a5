"""督办事项清单 (followups.pdf): the 纪要's decisions as a list to chase (domain.md §4.4).

One row per `decisions` item of minutes.md (see `minutes`), cited as 纪要第X期第N条.
Items past their due date and not 已办结 are flagged red against the build date
(`HUIWU_TODAY` fixes it), as the task list does.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from . import chinese, minutes
from .forms import Col, Flag, form, table
from .model import Meeting, build_date
from .problems import Fail

# shares are mm of the 267 mm landscape text width
COLUMNS = [Col("序号", 13), Col("议定事项", 65, "left"), Col("牵头单位", 28, "left"), Col("配合单位", 32, "left"),
           Col("责任人", 18), Col("完成时限", 36), Col("进展情况", 33, "left"), Col("办结状态", 22), Col("备注", 20)]


def overdue(item: dict[str, Any], today: date) -> str:
    """The 备注 flag: 逾期N天 or 今日到期 for an item not yet 已办结."""
    if item["status"] == minutes.DONE or not item["due"]:
        return ""
    if item["due"] < today:
        return Flag(f"逾期{(today - item['due']).days}天")
    return Flag("今日到期") if item["due"] == today else ""


def rows(number: int, items: list[dict[str, Any]], today: date) -> list[list[Any]]:
    return [[n, f"纪要第{number}期第{n}条：{d['text']}", d["lead_unit"], "、".join(d["partners"]), d["owner"],
             minutes.cn_due(d["due"]), d["progress"], d["status"], overdue(d, today)]
            for n, d in enumerate(items, start=1)]


def lead(items: list[dict[str, Any]], today: date) -> list[str]:
    counts = "　".join(f"{s} {sum(1 for d in items if d['status'] == s)} 项" for s in minutes.STATUSES)
    late = sum(1 for d in items if overdue(d, today).startswith("逾期"))
    return [f"议定事项 {len(items)} 项　{counts}（其中逾期 {late} 项）"]


def context(m: Meeting, fail: Fail) -> list[dict[str, Any]]:
    mins = minutes.read(m)
    if mins is None or not mins.report(fail):
        return []
    today = build_date()
    v = mins.values
    subtitle = f"依据：《{mins.mark(m)}》第{v['number']}期（{chinese.cn_date(v['date'])}）"
    note = f"逾期按{chinese.cn_date(today)}计；已办结事项不计逾期。"
    return [form(f"{m.title}督办事项清单", subtitle,
                 [table(COLUMNS, rows(v["number"], mins.decisions, today), note=note, sign=False)],
                 lead=lead(mins.decisions, today), landscape=True)]


def skip(m: Meeting) -> str | None:
    mins = minutes.read(m)
    if mins is None:
        return minutes.skip(m)
    return None if mins.decisions or mins.problems else f"{minutes.FILE} 中没有 decisions（议定事项）"


def dated(m: Meeting) -> bool:
    mins = minutes.read(m)
    return mins is not None and any(d["due"] and d["status"] != minutes.DONE for d in mins.decisions)
