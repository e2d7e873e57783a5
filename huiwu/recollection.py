"""材料回收登记表 (recollection.pdf): every numbered copy of the material to be recollected.

The copies are materials.copies(), the same the 材料分发登记表 issues, so the two forms
never drift. Before the meeting the form is blank, to be filled in by hand. Once
recollected.csv (or .xlsx) is in the meeting folder — 份号, 回收时间, 回收人, 完好情况, 备注
as staff key them in — the rows are filled from it, and the copies still outstanding
are listed by holder in red.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from . import attendance, strokes
from .forms import Col, Flag, form, table, time_place
from .materials import Copy, marking, to_recollect
from .model import Attendee, Meeting
from .problems import Fail
from .sources import table_file

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

COLUMNS = [Col("序号", 13), Col("份号", 22), Col("持有单位", 64, "left"), Col("持有人", 30), Col("回收时间", 34),
           Col("回收人", 28), Col("完好情况", 30), Col("备注", 45, "left")]
OUT_COLUMNS = [Col("序号", 13), Col("持有单位", 70, "left"), Col("持有人", 30), Col("未收回份号", 80, "left"),
               Col("份数", 15), Col("联系电话", 35)]

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

def source_path(folder: Path, fail: Fail | None = None) -> Path | None:
    path, clash = table_file(folder, STEM)
    if clash and fail:
        fail(1, clash, folder / f"{STEM}.xlsx")
    return path


def last_day(m: Meeting) -> date:
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


def read_rows(m: Meeting, mats: list[Material], path: Path, fail: Fail) -> dict[Key, Returned]:
    t = attendance.load_table(path, fail)
    if t is None:
        return {}
    cols = attendance.header_columns(t, HEADERS)
    if "number" not in cols:
        fail(t.header_line, "表头缺少必需的列：份号（可选列：材料名称、回收时间、回收人、完好情况、备注）", path)
        return {}
    found: dict[Key, Returned] = {}
    for line, cells in t.rows:
        raw = {key: cells[i] if i < len(cells) else "" for key, i in cols.items()}
        key = locate(mats, raw)
        if isinstance(key, str):
            fail(line, key, path)
            continue
        if key in found:
            fail(line, f"份号“{key[1]}”重复：第 {found[key].line} 行已登记收回", path)
            continue
        try:
            when = attendance.parse_time(raw.get("time", ""), last_day(m))
        except ValueError as exc:
            fail(line, f"回收时间：{exc}", path)
            continue
        found[key] = Returned(when, raw.get("by", ""), raw.get("condition", ""), raw.get("note", ""), line)
    return found


def recollected(m: Meeting, mats: list[Material], fail: Fail) -> dict[Key, Returned] | None:
    """What has come back, by copy; None when there is no recollected.csv yet."""
    path = source_path(m.folder, fail)
    return None if path is None else read_rows(m, mats, path, fail)


# -- the form --

def holder_name(c: Copy) -> str:
    return strokes.pad_name(c.holder.name) if c.holder else ""


def state(r: Returned | None, day: date, filled: bool) -> list[Any]:
    """回收时间, 回收人, 完好情况, 备注 of one copy."""
    if r is not None:
        condition = r.condition if r.condition in GOOD else Flag(r.condition)
        return [attendance.clock(r.time, day) if r.time else "", r.by, condition, r.note]
    return [Flag("未收回") if filled else "", "", "", ""]


def copy_row(i: int, c: Copy, r: Returned | None, day: date, filled: bool) -> list[Any]:
    out = filled and r is None
    return [i, Flag(c.number) if out else c.number, c.unit, Flag(holder_name(c)) if out else holder_name(c),
            *state(r, day, filled)]


def material_table(m: Meeting, n: int, mat: Material, back: dict[Key, Returned] | None) -> dict:
    spec, each = mat
    got = {} if back is None else {number: r for (k, number), r in back.items() if k == n - 1}
    rows = [copy_row(i, c, got.get(c.number), last_day(m), back is not None) for i, c in enumerate(each, start=1)]
    heading = f"{n}. {spec['title']}{marking(spec)}　应收回 {len(each)} 份"
    if back is not None:
        heading += f"　已收回 {len(got)} 份　未收回 {len(each) - len(got)} 份"
    return table(COLUMNS, rows, heading=heading, sign=back is None)


def outstanding(mats: list[Material], back: dict[Key, Returned]) -> dict[tuple[str, Attendee | None], list[Key]]:
    """Copies not yet back, by holder (a person, or a unit for copies handed to the unit)."""
    held: dict[tuple[str, Attendee | None], list[Key]] = {}
    for k, (_, each) in enumerate(mats):
        for c in each:
            if (k, c.number) not in back:
                held.setdefault((c.unit, c.holder), []).append((k, c.number))
    return held


def numbers_text(keys: list[Key], several: bool) -> str:
    if not several:
        return "、".join(number for _, number in keys)
    by_material: dict[int, list[str]] = {}
    for k, number in keys:
        by_material.setdefault(k, []).append(number)
    return "；".join(f"材料{k + 1}：{'、'.join(numbers)}" for k, numbers in by_material.items())


def outstanding_table(mats: list[Material], back: dict[Key, Returned]) -> dict:
    held = outstanding(mats, back)
    rows = [[i, unit or "—", Flag(strokes.pad_name(who.name)) if who else "",
             Flag(numbers_text(keys, len(mats) > 1)), len(keys), who.phone if who else ""]
            for i, ((unit, who), keys) in enumerate(held.items(), start=1)]
    total = sum(len(keys) for keys in held.values())
    return table(OUT_COLUMNS, rows, heading=f"未收回材料（{total} 份，{len(rows)} 个持有人）", sign=False,
                 note="请与持有人联系尽快收回；收回后在 recollected.csv 中补记一行。")


def totals(mats: list[Material], back: dict[Key, Returned] | None) -> str:
    total = sum(len(each) for _, each in mats)
    line = f"需收回材料 {len(mats)} 种　共 {total} 份"
    if back is None:
        return line + "　（尚无回收记录 recollected.csv，本表供手工登记）"
    return f"{line}，已收回 {len(back)} 份，未收回 {total - len(back)} 份"


def context(m: Meeting, fail: Fail) -> list[dict[str, Any]]:
    mats = to_recollect(m)
    back = recollected(m, mats, fail)
    tables = [material_table(m, n, mat, back) for n, mat in enumerate(mats, start=1)]
    lead = [totals(mats, back)]
    if back is not None and len(back) < sum(len(each) for _, each in mats):
        tables.append(outstanding_table(mats, back))
    elif back is not None:
        lead.append("需收回的材料已全部收回")
    return [form(f"{m.title}材料回收登记表", time_place(m), tables, lead=lead, landscape=True)]


def skip(m: Meeting) -> str | None:
    if not any(mat["recollect"] for mat in m.materials):
        return "没有会后收回的材料（materials 中 recollect: true 的材料）"
    if not to_recollect(m):
        return "会后收回的材料没有领取人（名单中没有对应类别的参会人员）"
    return None
