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
the attendee table: 出席 (主席台 and 出席), 请假 (with who stood in), 列席 (列席 and 特邀), all in one
format (setting `minutes_names`: 单位加姓名, or 姓名 with same-name people told apart by unit);
缺席 (expected, not on leave, did not sign in) only with the setting `minutes_absent` (domain.md §5.6);
工作人员 and 媒体 are not listed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

from .. import chinese
from ..layout.body import Block, Placeholder, written_blocks
from ..layout.facts import decision_line
from ..layout.measure import mark_size
from ..problems import Fail
from ..records import Meeting
from ..records.meeting import Attendee
from ..records.minutes import FILE, Minutes

ATTEND, SIT_IN, LISTED = ("主席台", "出席"), ("列席", "特邀"), ("主席台", "出席", "列席", "特邀")


def skip(m: Meeting) -> str | None:
    return None if m.minutes else f"没有 {FILE}（会议纪要）"


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
    return written_blocks(mins, placeholders(m, mins), fail)


def namer(m: Meeting, listed: list[Attendee]) -> Callable[[Attendee], str]:
    """One format for every list (setting `minutes_names`): 单位＋姓名, or 姓名 alone, where two
    listed people with the same name are told apart by their unit: 王磊（区发展改革局）."""
    if m.minutes_names != "姓名":
        return lambda a: f"{a.unit}{a.name}"
    twice = {name for name, n in Counter(a.name for a in listed).items() if n > 1}
    return lambda a: f"{a.name}（{a.unit}）" if a.name in twice else a.name


def rosters(m: Meeting) -> list[dict[str, Any]]:
    """出席, 请假, 列席 in that order (GB/T 9704 §10.3), then 缺席 only with the setting `minutes_absent`;
    an empty list is left out. With a sign-in result the lists say who actually came; without one, they
    follow the attendee table."""
    came = m.signins
    present = m.present if came is None else came.present
    leave = m.on_leave if came is None else came.leave
    absent = [] if came is None or not m.minutes_absent else came.absent
    stand_in = {} if came is None else {a: f"（{s.name}代会）" for a, s in came.substitutes.items()}
    lists = [("出席", [a for a in present if a.role in ATTEND]),
             ("请假", [a for a in leave if a.role in LISTED]),
             ("列席", [a for a in present if a.role in SIT_IN]),
             ("缺席", [a for a in absent if a.role in LISTED])]
    name = namer(m, [a for _, people in lists for a in people])
    return [{"label": label, "names": [name(a) + stand_in.get(a, "") for a in people]}
            for label, people in lists if people]


def context(m: Meeting, fail: Fail) -> list[dict[str, Any]]:
    mins = m.minutes
    if mins is None:
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
