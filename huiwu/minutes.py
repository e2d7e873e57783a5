"""会议纪要 (minutes.pdf): the 纪要 of a held meeting (domain.md §1.7 10.3, §5.3).

Written after the meeting in `minutes.md` in the meeting folder: a YAML front matter,
then the 纪要 text. Without that file the meeting gets no 纪要 (and no 督办事项清单).

Front matter keys:

    number     期号, a positive integer: 1 prints 第1期 (required)
    date       纪要日期, also the 印发 date, e.g. "2026-12-10" (required)
    mark       纪要标志 (default: 会议名称 + 纪要, e.g. 2026年全市经济工作会议纪要)
    host       主持人, e.g. 市长周卫东
    recorder   记录人
    place      会议地点 (default: the meeting's venue)
    decisions  议定事项, a list; each item:
                 text       事项 (required)
                 lead_unit  牵头单位 (required)
                 partners   配合单位, a list
                 owner      责任人
                 due        完成时限, a date
                 status     未启动、推进中 or 已办结 (default 推进中)
                 progress   进展情况
               The items feed the 督办事项清单 as 纪要第X期第N条 (N: the item's place in this list).
    cc         分送, a list of units (printed in the 版记)

Body: paragraphs separated by blank lines, numbered 一、 （一） 1. （1） as in meeting.md.
Placeholders: {会议日期} {会议地点} {主持人} {记录人}, and {议定事项} alone in a paragraph,
which prints one paragraph per decision, numbered （一）（二）… like the 督办 list.

The lists at the end come from the sign-in result when there is one (attendance.outcome), else from
the attendee table: 出席 (主席台 and 出席, names), 请假 (单位+姓名, with who stood in), 缺席 (expected,
not on leave, did not sign in), 列席 (列席 and 特邀, 单位+姓名); 工作人员 and 媒体 are not listed.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from . import attendance, chinese
from .body import Block, Placeholder
from .model import Attendee, Meeting
from .notice import width_in_chars
from .problems import Fail
from .schema import Field, _record
from .written import Written

FILE = "minutes.md"
STATUSES = ("未启动", "推进中", "已办结")
DONE = "已办结"

MINUTES: dict[str, Field] = {
    "number": Field("期号", "int", required=True, most=9999),
    "date": Field("纪要日期", "date", required=True),
    "mark": Field("纪要标志（默认：会议名称+纪要）", "text"),
    "host": Field("主持人", "text"),
    "recorder": Field("记录人", "text"),
    "place": Field("会议地点（默认：会议的地点）", "text"),
    "decisions": Field("议定事项", "records", default=[], sub=_record(
        ("text", Field("事项", "text", required=True)),
        ("lead_unit", Field("牵头单位", "text", required=True)),
        ("partners", Field("配合单位", "texts", default=[])),
        ("owner", Field("责任人", "text")),
        ("due", Field("完成时限", "date")),
        ("status", Field("办结状态", "choice", choices=STATUSES, default="推进中")),
        ("progress", Field("进展情况", "text")))),
    "cc": Field("分送", "texts", default=[]),
}
ATTEND, SIT_IN, LISTED = ("主席台", "出席"), ("列席", "特邀"), ("主席台", "出席", "列席", "特邀")


class Minutes(Written):
    """minutes.md read and checked; `problems` holds what is wrong with it."""

    @property
    def decisions(self) -> list[dict[str, Any]]:
        return self.values.get("decisions") or []

    def mark(self, m: Meeting) -> str:
        return self.values.get("mark") or f"{m.title}纪要"


def read(m: Meeting) -> Minutes | None:
    """The meeting's minutes.md, or None when it has none."""
    return read_at(m.folder)


def read_at(folder: Path) -> Minutes | None:
    """minutes.md in a meeting folder, or None when there is none."""
    path = folder / FILE
    return Minutes.read(path, MINUTES) if path.is_file() else None


def skip(m: Meeting) -> str | None:
    return None if read(m) else f"没有 {FILE}（会议纪要）"


def cn_due(d: date | None) -> str:
    return chinese.cn_date(d) if d else ""


def decision_line(i: int, d: dict[str, Any]) -> str:
    """（一）事项（牵头单位：…；配合单位：…；完成时限：…）。"""
    parts = [f"牵头单位：{d['lead_unit']}"]
    if d["partners"]:
        parts.append(f"配合单位：{'、'.join(d['partners'])}")
    if d["due"]:
        parts.append(f"完成时限：{cn_due(d['due'])}前")
    return f"（{chinese.cn_number(i)}）{d['text'].rstrip('。；;.')}（{'；'.join(parts)}）。"


def placeholders(m: Meeting, mins: Minutes) -> dict[str, Placeholder]:
    v = mins.values
    return {
        "会议日期": Placeholder(lambda: f"{chinese.cn_date(m.start)}{chinese.day_part(m.start)}", needs="start"),
        "会议地点": Placeholder(lambda: v["place"] or m.venue, needs="place"),
        "主持人": Placeholder(lambda: v["host"], needs="host"),
        "记录人": Placeholder(lambda: v["recorder"], needs="recorder"),
        "议定事项": Placeholder(lambda: [decision_line(i, d) for i, d in enumerate(mins.decisions, start=1)],
                            block=True, needs="decisions"),
    }


def body(m: Meeting, mins: Minutes, fail: Fail) -> list[Block]:
    return mins.blocks(placeholders(m, mins), fail)


def unit_name(a: Attendee) -> str:
    return f"{a.unit}{a.name}"


def rosters(m: Meeting) -> list[dict[str, Any]]:
    """出席, 请假, (缺席,) 列席 in that order (§1.7); an empty list is left out. With a sign-in
    result the lists say who actually came; without one, they follow the attendee table."""
    came = attendance.outcome(m)
    if came is None:
        lists = [("出席", [a.name for a in m.present if a.role in ATTEND]),
                 ("请假", [unit_name(a) for a in m.on_leave if a.role in LISTED]),
                 ("列席", [unit_name(a) for a in m.present if a.role in SIT_IN])]
    else:
        stand_in = {a: f"（{s.name}代会）" for a, s in came.substitutes.items()}
        lists = [("出席", [a.name for a in came.present if a.role in ATTEND]),
                 ("请假", [unit_name(a) + stand_in.get(a, "") for a in came.leave if a.role in LISTED]),
                 ("缺席", [unit_name(a) for a in came.absent if a.role in LISTED]),
                 ("列席", [unit_name(a) for a in came.present if a.role in SIT_IN])]
    return [{"label": label, "names": names} for label, names in lists if names]


def mark_size(mark: str) -> float:
    """The 纪要标志's size in mm: large, within the 156 mm 版心 (as the notice's 发文机关标志)."""
    return round(min(18.0, 150 / width_in_chars(mark)), 2)


def context(m: Meeting, fail: Fail) -> list[dict[str, Any]]:
    mins = read(m)
    if mins is None or not mins.report(fail):
        return []
    v = mins.values
    mark = mins.mark(m)
    dated = chinese.cn_date(v["date"])
    return [{
        "title": mark,
        "mark": mark,
        "mark_mm": mark_size(mark),
        "issue": f"第{v['number']}期",
        "editor": m.organizer,
        "dated": dated,
        "blocks": body(m, mins, fail),
        "rosters": rosters(m),
        "cc": "，".join(v["cc"]),
        "printed": f"{dated}印发",
    }]
