"""涉密材料清退（销毁）登记表 (disposal.pdf): what became of every numbered copy of the material to be
recollected once the office had it back — 存档, 清退 or 销毁, with 日期, 经办人 and 监销人 — from disposed.csv,
and the copies not yet disposed of (domain.md §5.6). Blank before there is a record, to fill in by hand."""

from __future__ import annotations

from typing import Any

from .. import chinese
from ..layout.facts import unissued
from ..layout.forms import Col, Flag, form, table, time_place
from ..problems import Fail
from ..records import Meeting
from ..records.disposed import WAYS
from ..records.materials import marking, to_recollect

COLUMNS = [Col("序号", 13), Col("份号", 22), Col("持有人", 60, "left"), Col("处置方式", 24), Col("日期", 34),
           Col("经办人", 28), Col("监销人", 28), Col("备注", 58, "left")]
PENDING = "未处置"


def skip(m: Meeting) -> str | None:
    if not to_recollect(m):
        return "没有会后收回的材料（materials 中 recollect: true 的材料）"
    return None if m.recollected is not None else "尚无回收记录：材料收回后再登记清退、销毁"


def rows(m: Meeting, k: int) -> list[list[Any]]:
    done = m.disposed or {}
    out = []
    for i, c in enumerate(to_recollect(m)[k][1], start=1):
        d = done.get((k, c.number))
        holder = c.holder.listed_name if c.holder else c.unit
        if d is not None:
            out.append([i, c.number, holder, d.how, chinese.cn_date(d.when), d.by, d.witness, d.note])
        else:
            state = "未发放" if unissued(m, c) else ""
            out.append([i, c.number, holder, Flag(PENDING) if m.disposed is not None else "", "", "", "", state])
    return out


def totals(m: Meeting) -> str:
    each = [c for _, copies in to_recollect(m) for c in copies]
    done = m.disposed
    if done is None:
        return f"共 {len(each)} 份　（尚无处置记录，本表供手工登记）"
    counts = [f"{way} {sum(1 for d in done.values() if d.how == way)} 份" for way in WAYS]
    return f"共 {len(each)} 份：{'，'.join(counts)}，{PENDING} {len(each) - len(done)} 份"


def context(m: Meeting, fail: Fail) -> list[dict[str, Any]]:
    tables = [table(COLUMNS, rows(m, k), heading=f"{k + 1}. {mat['title']}{marking(mat)}", sign=m.disposed is None)
              for k, (mat, _) in enumerate(to_recollect(m))]
    return [form(f"{m.title}涉密材料清退（销毁）登记表", time_place(m), tables, lead=[totals(m)], landscape=True)]
