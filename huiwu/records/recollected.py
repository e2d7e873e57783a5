"""recollected.csv (or .xlsx): the copies that came back after the meeting — 份号, 回收时间, 回收人,
完好情况, 备注 as staff key them in — matched to the numbered copies once per build."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Protocol, TypeVar

from ..problems import Fail
from ..tables import load_table, source_table
from .materials import Copy
from .meeting import Listed
from .signin import parse_time

STEM = "recollected"
HEADERS: dict[str, tuple[str, ...]] = {
    "number": ("份号", "编号", "number"),
    "material": ("材料", "材料名称", "material"),
    "time": ("回收时间", "时间", "time"),
    "by": ("回收人", "经办人", "by"),
    "condition": ("完好情况", "condition"),
    "note": ("备注", "note"),
}
GOOD = ("", "完好", "完整", "良好", "无损")  # any other 完好情况 is flagged
NUMBER = re.compile(r"\d{1,6}", re.ASCII)  # Excel drops leading zeros: 12 is 000012

Material = tuple[dict, list[Copy]]
Key = tuple[int, str]  # (index into the materials to recollect, 份号)


@dataclass(frozen=True)
class Returned:
    """One row of recollected.csv."""

    time: datetime | None
    by: str
    condition: str
    note: str
    line: int


# -- reading recollected.csv --

def last_day(m: Listed) -> date:
    """A bare clock time (11:35) in recollected.csv means this day: copies come back at the end."""
    return (m.end or m.start).date()


def copy_number(text: str) -> str | None:
    text = unicodedata.normalize("NFKC", text).strip()
    return text.zfill(6) if NUMBER.fullmatch(text) else None


def span(mat: Material) -> str:
    numbers = [c.number for c in mat[1]]
    return f"{numbers[0]}—{numbers[-1]}"


def named(mats: list[Material], text: str) -> list[int] | str:
    """Materials the 材料 cell may mean (all when empty), or why it means none."""
    if not text:
        return list(range(len(mats)))
    found = [i for i, (mat, _) in enumerate(mats) if text in mat["title"] or text == Path(mat["file"] or "").stem]
    if len(found) == 1:
        return found
    titles = "、".join(f"“{mat['title']}”" for mat, _ in mats)
    return f"材料“{text}”{'对应多种材料，请写完整名称' if found else '不是需收回的材料'}（需收回的材料：{titles}）"


def locate(mats: list[Material], raw: dict[str, str]) -> Key | str:
    """The copy a row names, or why it names none."""
    if not raw["number"]:
        return "份号：不能为空"
    number = copy_number(raw["number"])
    if number is None:
        return f"份号：“{raw['number']}”不是有效的份号，请写 6 位数字，如 000012"
    chosen = named(mats, raw.get("material", ""))
    if isinstance(chosen, str):
        return chosen
    having = [i for i in chosen if any(c.number == number for c in mats[i][1])]
    if len(having) == 1:
        return having[0], number
    if having:
        titles = "、".join(f"“{mats[i][0]['title']}”" for i in having)
        return f"份号“{number}”在多种材料中都有（{titles}），请在“材料”列写明是哪种材料"
    ranges = "；".join(f"“{mats[i][0]['title']}”为 {span(mats[i])}" for i in chosen)
    return f"份号“{number}”不是需收回材料的份号（{ranges}）"


class Row(Protocol):
    """A keyed row: it remembers its line, for the duplicate message."""

    @property
    def line(self) -> int: ...


R = TypeVar("R", bound=Row)


@dataclass(frozen=True)
class Keyed:
    """A table staff key in by 份号 after the meeting (recollected.csv, disposed.csv): its columns, the ones it
    must have (named in order in `missing`), and what its rows record (for the duplicate message)."""

    stem: str
    headers: dict[str, tuple[str, ...]]
    required: tuple[str, ...]
    missing: str  # the message when a required column is missing
    done: str  # 收回, 处置: `第 N 行已登记收回`


def read_keyed(m: Listed, mats: list[Material], table: Keyed, row: Callable[[Key, dict[str, str], int], R | str],
               fail: Fail) -> dict[Key, R] | None:
    """The table's rows by copy, each made by `row` (or the reason it is wrong); None when there is no table.
    A 份号 that names no copy, or one already keyed in, is reported with its line."""
    path = source_table(m.folder, table.stem, fail)
    if path is None:
        return None
    t = load_table(path, fail)
    if t is None:
        return {}
    cols = t.columns(table.headers)
    if not set(table.required) <= set(cols):
        fail(t.header_line, table.missing, path)
        return {}
    found: dict[Key, R] = {}
    for line, cells in t.rows:
        raw = {key: cells[i] if i < len(cells) else "" for key, i in cols.items()}
        key = locate(mats, raw)
        if isinstance(key, str):
            fail(line, key, path)
        elif key in found:
            fail(line, f"份号“{key[1]}”重复：第 {found[key].line} 行已登记{table.done}", path)
        elif isinstance(made := row(key, raw, line), str):
            fail(line, made, path)
        else:
            found[key] = made
    return found


RECOLLECTED = Keyed(STEM, HEADERS, ("number",),
                    "表头缺少必需的列：份号（可选列：材料名称、回收时间、回收人、完好情况、备注）", "收回")


def recollected(m: Listed, mats: list[Material], fail: Fail) -> dict[Key, Returned] | None:
    """What has come back, by copy; None when there is no recollected.csv yet."""
    def returned(key: Key, raw: dict[str, str], line: int) -> Returned | str:
        try:
            when = parse_time(raw.get("time", ""), last_day(m))
        except ValueError as exc:
            return f"回收时间：{exc}"
        return Returned(when, raw.get("by", ""), raw.get("condition", ""), raw.get("note", ""), line)

    return read_keyed(m, mats, RECOLLECTED, returned, fail)


