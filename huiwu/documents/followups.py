"""督办事项清单 (followups.pdf): the 纪要's decisions as a list to chase (domain.md §4.4).

One row per `decisions` item of minutes.md (see `minutes`), cited as 纪要第X期第N条, then — for a
meeting that `follows` an earlier one — that meeting's open items (see `carried`). A meeting without
minutes.md of its own still gets the list when it carries open items: the office chases them before it.
Items past their due date and not 已办结 are flagged red against the build date
(`HUIWU_TODAY` fixes it), as the task list does — or against the latest 纪要 the list cites, when that
is later: the list is never dated before a 纪要 it cites.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from .. import chinese
from ..layout.facts import cn_due
from ..layout.forms import Col, Flag, form, table, time_place
from ..problems import Fail
from ..records import Meeting
from ..records.carried import Item
from ..records.meeting import build_date
from ..records.minutes import DONE, FILE, STATUSES

# shares are mm of the 267 mm landscape text width
COLUMNS = [Col("序号", 13), Col("议定事项", 65, "left"), Col("牵头单位", 28, "left"), Col("配合单位", 32, "left"),
           Col("责任人", 18), Col("完成时限", 36), Col("进展情况", 33, "left"), Col("办结状态", 22), Col("备注", 20)]


def overdue(item: dict[str, Any], today: date) -> str:
    """The 备注 flag: 逾期N天 or 今日到期 for an item not yet 已办结."""
    if item["status"] == DONE or not item["due"]:
        return ""
    if item["due"] < today:
        return Flag(f"逾期{(today - item['due']).days}天")
    return Flag("今日到期") if item["due"] == today else ""


def row(n: int, cite: str, d: dict[str, Any], today: date) -> list[Any]:
    return [n, f"{cite}：{d['text']}", d["lead_unit"], "、".join(d["partners"]), d["owner"],
            cn_due(d["due"]), d["progress"], d["status"], overdue(d, today)]


def lead(items: list[dict[str, Any]], carried_count: int, today: date) -> list[str]:
    counts = "　".join(f"{s} {sum(1 for d in items if d['status'] == s)} 项" for s in STATUSES)
    late = sum(1 for d in items if overdue(d, today).startswith("逾期"))
    more = f"（含前次会议转入未办结事项 {carried_count} 项）" if carried_count else ""
    return [f"督办事项 {len(items)} 项{more}　{counts}（其中逾期 {late} 项）",
            f"逾期按{chinese.cn_date(today)}计；已办结事项不计逾期。"]


def tables(m: Meeting, own: list[dict[str, Any]], number: int, items: list[Item],
           today: date) -> list[dict[str, Any]]:
    """This meeting's decisions (纪要第`number`期), then the open items carried from the meetings it follows."""
    out = []
    if own:
        rows = [row(n, f"纪要第{number}期第{n}条", d, today) for n, d in enumerate(own, start=1)]
        out.append(table(COLUMNS, rows, heading="本次会议议定事项" if m.follows else "", sign=False))
    if items:
        rows = [row(n, i.cite, i.decision, today) for n, i in enumerate(items, start=1)]
        out.append(table(COLUMNS, rows, heading="前次会议转入的未办结事项", sign=False))
    return out


def as_of(m: Meeting) -> date:
    """The day the list is counted as of: the build date, but never before a 纪要 it cites (a list
    printed ahead of its 纪要's date would otherwise state progress before the decisions were issued)."""
    issued = [m.minutes.values["date"]] if m.minutes else []
    issued += [i.issued for i in m.carried]
    return max([build_date(), *filter(None, issued)])


def context(m: Meeting, fail: Fail) -> list[dict[str, Any]]:
    mins = m.minutes
    today = as_of(m)
    own = mins.decisions if mins else []
    if mins is not None:
        v = mins.values
        subtitle = f"依据：《{mins.mark(m)}》第{v['number']}期（{chinese.cn_date(v['date'])}）"
    else:
        subtitle = time_place(m)
    items = m.carried
    number = mins.values["number"] if mins else 0
    return [form(f"{m.title}督办事项清单", subtitle, tables(m, own, number, items, today),
                 lead=lead(own + [i.decision for i in items], len(items), today), landscape=True)]


def skip(m: Meeting) -> str | None:
    mins = m.minutes
    if (mins and (mins.decisions or mins.problems)) or m.carried:
        return None
    if mins is None:
        return f"没有 {FILE}（会议纪要）" if not m.follows else f"没有 {FILE}，接续的前次会议也没有未办结事项"
    return f"{FILE} 中没有 decisions（议定事项）"


def dated(m: Meeting) -> bool:
    mins = m.minutes
    items = (mins.decisions if mins else []) + [i.decision for i in m.carried]
    return any(d["due"] and d["status"] != DONE for d in items)
