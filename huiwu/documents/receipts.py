"""通知签收登记表 (notice-receipts.pdf): which unit got the notice, when, and who signed for it.

One row per receiving unit; written delivery (书面、内网、邮件) gets the 签收 form,
phone notification (电话、短信、微信) the 电话通知 form; a meeting using both gets both.
"""

from __future__ import annotations

from typing import Any

from ..layout.facts import receiving_units
from ..layout.forms import Col, form, table, time_place
from ..problems import Fail
from ..records import Meeting

WRITTEN, SPOKEN = ("书面", "内网", "邮件"), ("电话", "短信", "微信")


def notice_name(m: Meeting) -> str:
    return f"关于召开{m.title}的通知" + (f"（{m.doc_number}）" if m.doc_number else "")


def written(m: Meeting, names: list[str]) -> dict:
    columns = [Col("序号", 10), Col("收文单位", 52, "left"), Col("份数", 12)]
    copy_numbers = m.secret and m.copies >= len(names)
    if copy_numbers:
        columns.append(Col("份号", 18))
    columns += [Col("送达时间", 30), Col("签收人", 24), Col("联系电话", 26), Col("备注", 16)]
    rows = [[i, unit, 1, *([f"{i:06d}"] if copy_numbers else []), "", "", "", ""]
            for i, unit in enumerate(names, start=1)]
    return table(columns, rows, heading=f"通知名称：{notice_name(m)}", note="送达时间写到分钟，如 12月2日 15:30。")


def spoken(m: Meeting, names: list[str]) -> dict:
    columns = [Col("序号", 10), Col("单位", 52, "left"), Col("通知时间", 28), Col("接听人", 22),
               Col("联系电话", 26), Col("通知人", 20), Col("反馈参会人员", 40)]
    rows = [[i, unit, "", "", "", "", ""] for i, unit in enumerate(names, start=1)]
    channels = "、".join(c for c in m.channels if c in SPOKEN)
    return table(columns, rows, heading=f"{channels}通知：{notice_name(m)}")


def context(m: Meeting, fail: Fail) -> list[dict[str, Any]]:
    names = receiving_units(m)
    docs = []
    if any(c in WRITTEN for c in m.channels):
        docs.append(form(f"{m.title}通知签收登记表", time_place(m), [written(m, names)], landscape=True))
    if any(c in SPOKEN for c in m.channels):
        docs.append(form(f"{m.title}电话通知登记表", time_place(m), [spoken(m, names)], landscape=True))
    return docs


def skip(m: Meeting) -> str | None:
    return None if receiving_units(m) else "没有主送机关（recipients）也没有参会人员名单，无从列出收文单位"
