"""经费预算 (meeting.md `budget`): the items, each with its amount (given, or standard × people × days), the
total, and what it comes to per person per day against the 综合定额 of the meeting's class (setting
`fee_quotas`, domain.md §5.5: 一类 760, 二类 650, 三类/四类 550 元)."""

from __future__ import annotations

from dataclasses import dataclass

from ..problems import Fail
from .meeting import Listed


@dataclass(frozen=True)
class Line:
    item: str
    standard: float | None
    people: int | None
    days: int | None
    amount: float
    note: str


def people(m: Listed) -> int:
    """The budget's head count: as given, else everyone the list expects in the hall (工作人员 and 媒体 too)."""
    return (m.budget or {}).get("people") or len(m.attending)


def days(m: Listed) -> int:
    given = (m.budget or {}).get("days")
    return given or ((m.end or m.start).date() - m.start.date()).days + 1


def lines(m: Listed, fail: Fail) -> list[Line]:
    out = []
    for i, it in enumerate((m.budget or {}).get("items") or []):
        n, d = it["people"] or people(m), it["days"] or days(m)
        if it["amount"] is None and it["standard"] is None:
            fail(m.source.line("budget", "items", i), f"budget.items[{i + 1}]（{it['item']}）：请写金额 amount，"
                                                     "或标准 standard（按人数×天数计算）")
            continue
        amount = it["amount"] if it["amount"] is not None else it["standard"] * n * d
        shown = it["standard"] is not None
        out.append(Line(it["item"], it["standard"], n if shown else None, d if shown else None, amount,
                        it["note"] or ""))
    return out


def total(m: Listed) -> float:
    return sum(line.amount for line in lines(m, lambda *a, **k: None))


def per_day(m: Listed) -> float:
    """Yuan per person per day: the total over the budget's people and days."""
    return total(m) / max(1, people(m) * days(m))


def over_quota(m: Listed) -> str | None:
    """Why the budget is above the 综合定额 of its class, or None (no class given: nothing to compare)."""
    cls = (m.budget or {}).get("class")
    if not cls:
        return None
    quota = m.fee_quotas[cls]
    if per_day(m) <= quota + 1e-9:
        return None
    return (f"经费预算人均每天 {yuan(per_day(m))} 元（{yuan(total(m))} 元 ÷ {people(m)} 人 ÷ {days(m)} 天），"
            f"超过{cls}会议综合定额 {yuan(quota)} 元")


def yuan(x: float) -> str:
    """`1,200`, `96.5`: whole yuan without decimals, otherwise to the fen."""
    return f"{x:,.0f}" if abs(x - round(x)) < 0.005 else f"{x:,.2f}".rstrip("0")
