"""材料回收登记表 (recollection.pdf): every numbered copy of the material to be recollected.

The copies are materials.copies(), the same the 材料分发登记表 issues, so the two forms
never drift. Before the meeting the form is blank, to be filled in by hand. Once
recollected.csv (or .xlsx) is in the meeting folder — 份号, 回收时间, 回收人, 完好情况, 备注
as staff key them in — the rows are filled from it, and the copies still outstanding
are listed by holder in red. A copy whose holder did not sign in was never handed out: it reads 未发放,
whatever was keyed in for it, and the counts are those of the 总结 (`facts.recollection`).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from .. import strokes
from ..layout.facts import OUT, UNISSUED, clock, copy_state, recollection
from ..layout.forms import Col, Flag, form, table, time_place
from ..problems import Fail
from ..records import Meeting
from ..records.materials import Copy, marking, to_recollect
from ..records.meeting import Attendee
from ..records.recollected import GOOD, Key, Material, Returned, last_day

COLUMNS = [Col("序号", 13), Col("份号", 22), Col("持有单位", 64, "left"), Col("持有人", 30), Col("回收时间", 34),
           Col("回收人", 28), Col("完好情况", 30), Col("备注", 45, "left")]
OUT_COLUMNS = [Col("序号", 13), Col("持有单位", 70, "left"), Col("持有人", 30), Col("未收回份号", 80, "left"),
               Col("份数", 15), Col("联系电话", 35)]

# -- the form --

def holder_name(c: Copy) -> str:
    return c.holder_name


def state(kept: str | None, r: Returned | None, day: date) -> list[Any]:
    """回收时间, 回收人, 完好情况, 备注 of one copy; `kept`: its state once there is a record."""
    if kept == UNISSUED:  # stayed with the office: whatever was keyed in, it was never handed out
        return [UNISSUED, "", "", r.note if r and r.note else "持有人缺席"]
    if r is not None:
        condition = r.condition if r.condition in GOOD else Flag(r.condition)
        return [clock(r.time, day) if r.time else "", r.by, condition, r.note]
    return [Flag(OUT) if kept else "", "", "", ""]


def copy_row(m: Meeting, i: int, k: int, c: Copy) -> list[Any]:
    kept = copy_state(m, k, c) if m.recollected is not None else None
    r = m.recollected.get((k, c.number)) if m.recollected is not None else None
    out = kept == OUT
    return [i, Flag(c.number) if out else c.number, c.unit, Flag(holder_name(c)) if out else holder_name(c),
            *state(kept, r, last_day(m))]


def material_table(m: Meeting, n: int, mat: Material) -> dict:
    spec, each = mat
    rows = [copy_row(m, i, n - 1, c) for i, c in enumerate(each, start=1)]
    r = recollection(m, n - 1)
    heading = f"{n}. {spec['title']}{marking(spec)}　" + (f"应收回 {len(each)} 份" if r is None else r.counts)
    return table(COLUMNS, rows, heading=heading, sign=r is None)


def outstanding(m: Meeting, mats: list[Material]) -> dict[tuple[str, Attendee | None], list[Key]]:
    """Copies handed out and not yet back, by holder (a person, or a unit for copies handed to the unit)."""
    held: dict[tuple[str, Attendee | None], list[Key]] = {}
    for k, (_, each) in enumerate(mats):
        for c in each:
            if copy_state(m, k, c) == OUT:
                held.setdefault((c.unit, c.holder), []).append((k, c.number))
    return held


def numbers_text(keys: list[Key], several: bool) -> str:
    if not several:
        return "、".join(number for _, number in keys)
    by_material: dict[int, list[str]] = {}
    for k, number in keys:
        by_material.setdefault(k, []).append(number)
    return "；".join(f"材料{k + 1}：{'、'.join(numbers)}" for k, numbers in by_material.items())


def outstanding_table(m: Meeting, mats: list[Material]) -> dict:
    held = outstanding(m, mats)
    rows = [[i, unit or "—", Flag(strokes.pad_name(who.name)) if who else "",
             Flag(numbers_text(keys, len(mats) > 1)), len(keys), who.phone if who else ""]
            for i, ((unit, who), keys) in enumerate(held.items(), start=1)]
    total = sum(len(keys) for keys in held.values())
    return table(OUT_COLUMNS, rows, heading=f"未收回材料（{total} 份，{len(rows)} 个持有人）", sign=False,
                 note="请与持有人联系尽快收回，收回后补记回收时间和回收人。")


def totals(m: Meeting, mats: list[Material]) -> str:
    r = recollection(m)
    line = f"需收回材料 {len(mats)} 种　"
    if r is None:
        return line + f"共 {sum(len(each) for _, each in mats)} 份　（尚无回收记录，本表供手工登记）"
    return line + r.counts


def context(m: Meeting, fail: Fail) -> list[dict[str, Any]]:
    mats = to_recollect(m)
    r = recollection(m)
    tables = [material_table(m, n, mat) for n, mat in enumerate(mats, start=1)]
    lead = [totals(m, mats)]
    if r is not None and r.out:
        tables.append(outstanding_table(m, mats))
    elif r is not None:
        lead.append("发放的材料已全部收回")
    return [form(f"{m.title}材料回收登记表", time_place(m), tables, lead=lead, landscape=True)]


def skip(m: Meeting) -> str | None:
    if not any(mat["recollect"] for mat in m.materials):
        return "没有会后收回的材料（materials 中 recollect: true 的材料）"
    if not to_recollect(m):
        return "会后收回的材料没有领取人（名单中没有对应类别的参会人员）"
    return None
