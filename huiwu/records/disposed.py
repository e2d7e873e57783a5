"""disposed.csv (or .xlsx): what became of each numbered copy once the office had it back (domain.md §5.6) —
存档, 清退 or 销毁, with 日期, 经办人 and 监销人 — keyed in with recollected.csv's conventions (份号; 材料 when
several materials are recollected)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..chinese import parse_datetime
from ..problems import Fail
from .meeting import Listed
from .recollected import Key, Keyed, Material, Returned, read_keyed

STEM = "disposed"
HEADERS: dict[str, tuple[str, ...]] = {
    "number": ("份号", "编号", "number"),
    "material": ("材料", "材料名称", "material"),
    "how": ("处置方式", "处置", "how"),
    "date": ("日期", "处置日期", "date"),
    "by": ("经办人", "by"),
    "witness": ("监销人", "witness"),
    "note": ("备注", "note"),
}
WAYS = ("存档", "清退", "销毁")


@dataclass(frozen=True)
class Disposal:
    """One row of disposed.csv."""

    how: str
    when: date
    by: str
    witness: str
    note: str
    line: int


DISPOSED = Keyed(STEM, HEADERS, ("number", "how", "date"),
                 "表头缺少必需的列：份号、处置方式、日期（可选列：材料名称、经办人、监销人、备注）", "处置")


def disposed(m: Listed, mats: list[Material], held: set[Key], fail: Fail) -> dict[Key, Disposal] | None:
    """What was done with each copy the office holds (`held`: back, or never handed out); None when there
    is no disposed.csv yet."""
    return read_keyed(m, mats, DISPOSED, lambda key, raw, line: _row(held, key, raw, line), fail)


def _row(held: set[Key], key: Key, raw: dict[str, str], line: int) -> Disposal | str:
    if key not in held:
        return f"份号“{key[1]}”尚未收回，不能登记处置（收回后先在回收记录中登记）"
    how = raw.get("how", "").strip()
    if how not in WAYS:
        return f"处置方式：应为 {'、'.join(WAYS)} 之一，收到“{how}”"
    when, _, error = parse_datetime(raw.get("date", ""))
    if error or when is None:
        return f"日期：“{raw.get('date', '')}”不是有效的日期，请写成 2026-12-15"
    if how == "销毁" and not raw.get("witness", "").strip():
        return f"份号“{key[1]}”销毁须有监销人（监销人一列）"
    return Disposal(how, when.date(), raw.get("by", ""), raw.get("witness", ""), raw.get("note", ""), line)


def held(mats: list[Material], back: dict[Key, Returned] | None, unissued: set[Key]) -> set[Key]:
    """The copies the office holds: those that came back and those never handed out."""
    return {(k, c.number) for k, (_, each) in enumerate(mats) for c in each
            if (k, c.number) in (back or {}) or (k, c.number) in unissued}
