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


@dataclass(frozen=True)
class Budget:
    """The items as laid out, over the head count and days they are reckoned for, and the 综合定额 of the class."""

    lines: list[Line]
    people: int
    days: int
    cls: str | None  # 会议类别; None: nothing to compare against
    quota: float | None

    @property
    def total(self) -> float:
        return sum(line.amount for line in self.lines)

    @property
    def per_day(self) -> float:
        """Yuan per person per day: the total over the budget's people and days."""
        return self.total / max(1, self.people * self.days)

    @property
    def over(self) -> str | None:
        """Why the budget is above the 综合定额 of its class, or None."""
        if self.quota is None or self.per_day <= self.quota + 1e-9:
            return None
        reckoned = f"{yuan(self.total)} 元 ÷ {self.people} 人 ÷ {self.days} 天"
        return (f"经费预算人均每天 {yuan(self.per_day)} 元（{reckoned}），"
                f"超过{self.cls}会议综合定额 {yuan(self.quota)} 元")


def of(m: Listed, fail: Fail | None = None) -> Budget | None:
    """The meeting's `budget` worked out once; None without one. `fail`: told of an item with neither amount nor
    standard (left out of the lines); without it, that is left to the plan's layout to say."""
    given = m.budget
    if not given:
        return None
    people = given["people"] or len(m.attending)  # everyone expected in the hall, 工作人员 and 媒体 too
    days = given["days"] or ((m.end or m.start).date() - m.start.date()).days + 1
    cls = given["class"]
    return Budget(lines(m, people, days, fail), people, days, cls, m.fee_quotas[cls] if cls else None)


def lines(m: Listed, people: int, days: int, fail: Fail | None) -> list[Line]:
    out = []
    for i, it in enumerate(m.budget["items"] if m.budget else []):
        n, d = it["people"] or people, it["days"] or days
        if it["amount"] is None and it["standard"] is None:
            if fail:
                fail(m.source.line("budget", "items", i), f"budget.items[{i + 1}]（{it['item']}）：请写金额 amount，"
                                                         "或标准 standard（按人数×天数计算）")
            continue
        amount = it["amount"] if it["amount"] is not None else it["standard"] * n * d
        shown = it["standard"] is not None
        out.append(Line(it["item"], it["standard"], n if shown else None, d if shown else None, amount,
                        it["note"] or ""))
    return out


def yuan(x: float) -> str:
    """`1,200`, `96.5`: whole yuan without decimals, otherwise to the fen."""
    return f"{x:,.0f}" if abs(x - round(x)) < 0.005 else f"{x:,.2f}".rstrip("0")
