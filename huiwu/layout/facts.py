"""Facts and phrases several documents print the same way: counts, dates, decisions, the agenda.
Each is worded once here, so two documents can never disagree about the same fact."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from .. import chinese
from ..records import Meeting, feedback
from ..records.materials import Copy, to_recollect
from ..records.meeting import Attendee
from ..records.minutes import STATUSES
from ..records.schema import PER_SEAT, SECRET_LEVELS
from ..records.seating import ROSTRUM
from ..records.signin import expected, not_handed_out, tally
from ..strokes import pad_name
from .body import Placeholder


def no_attendees(m: Meeting) -> str | None:
    """Why a document made from the attendee list cannot be made, or None."""
    if not m.attendees_path:
        return "没有参会人员名单（attendees.csv 或 attendees.xlsx）"
    if not m.attendees:
        return f"参会人员名单 {m.attendees_path.name} 中没有人员"
    if not m.present:
        return "名单中没有状态为“参会”的人员"
    return None


def has_return(a: Attendee) -> bool:
    return bool(a.return_date or a.return_mode or a.return_ref)


def absent(m: Meeting) -> list[Attendee]:
    """Expected but not signed in (the sign-in result, once there is one): they do not travel home from
    the meeting, nor stay on after it, whatever the list says."""
    return m.signins.absent if m.signins else []


def travellers(m: Meeting) -> list[Attendee]:
    """Who goes home from the meeting with a return trip in the list: present, and not known to be absent."""
    away = set(absent(m))
    return [a for a in m.present if has_return(a) and a not in away]


def plan_reason(m: Meeting) -> str | None:
    """Why a meeting has no 会议方案 (nor its 送审件), or None."""
    if not m.purpose and not m.tasks:
        return "会议方案需要 purpose（会议目的）或 tasks（会务分工）"
    return None


def plan_attachments(m: Meeting) -> list[tuple[str, str, int | None]]:
    """(file, name, pages: None for all) of what the 会议方案 sends for 审定 with it: the seat map's first page
    (the second is the staff's copy), when there is one, and the notice as drafted."""
    seated = m.seat_plan is not None and bool(m.seat_plan.taken)
    return ([("seatmap.pdf", "座次表", 1)] if seated else []) + [("notice.pdf", "会议通知（代拟稿）", None)]


def microphones(m: Meeting) -> list[tuple[str, str]]:
    """(what, where) of each microphone of meeting.md's `equipment`: each seated rostrum seat and its person, or
    the shared ones; the 发言席; the hall; the spares."""
    e, plan = m.equipment or {}, m.seat_plan
    if not e:
        return []
    rows = []
    if e["rostrum_mics"] == PER_SEAT:
        rostrum = [(s, a) for s, a in (plan.seated() if plan else []) if s.area == ROSTRUM]
        rows += [("主席台话筒", f"{s.label}（{pad_name(a.name)}）") for s, a in rostrum]
    else:
        rows += [(f"主席台话筒（共用）{k}", "主席台") for k in range(1, e["rostrum_mics"] + 1)]
    if e["lectern_mic"]:
        rows.append(("发言席话筒", "发言席"))
    rows += [(f"会场话筒{k}（交流、提问）", "会场") for k in range(1, e["hall_mics"] + 1)]
    return rows + [(f"备用话筒{k}（含备用电池）", "会务组") for k in range(1, e["spare_mics"] + 1)]


def headcount_line(m: Meeting) -> str:
    """`应到 68 人　请假 7 人　替会 5 人　拟到 66 人`: the one count (records.meeting.Headcount)."""
    n = m.headcount
    return f"应到 {n.expected} 人　请假 {n.leave} 人　替会 {n.stand_ins} 人　拟到 {n.coming} 人"


def counting_basis() -> str:
    """The note every document that states a count carries (domain.md §5.6)."""
    return "注：应到含主席台、出席、列席、特邀人员，不含工作人员、媒体；拟到＝应到－请假＋替会人员。"


def receiving_units(m: Meeting) -> list[str]:
    """The attendee units in protocol order (the office's own staff excluded), else the 主送 list."""
    found = [a.unit for a in m.ordered(m.attendees) if a.role not in ("工作人员", "媒体")]
    return list(dict.fromkeys(found)) or list(m.recipients)


def agenda_lines(m: Meeting) -> list[str]:
    def who(a: dict) -> str:
        return f"（{a['presenter'].replace(' ', '')}）" if a["presenter"] else ""

    items = m.agenda or []
    return [f"（{chinese.cn_number(i)}）{a['item']}{who(a)}{'。' if i == len(items) else '；'}"
            for i, a in enumerate(items, start=1)]


def clock(t: datetime | None, day: date) -> str:
    """A sign-in or return time: `8:52` on `day`, else with its date."""
    if t is None:
        return "—"
    hm = f"{t.hour}:{t.minute:02d}"
    return hm if t.date() == day else f"{t.month}月{t.day}日 {hm}"


def meeting_days(m: Meeting) -> str:
    """`2026年12月8日上午`, or `2026年12月8日至10日` for a meeting of several days."""
    end = m.end
    if end is None or end.date() == m.start.date():
        return f"{chinese.cn_date(m.start)}{chinese.day_part(m.start)}"
    last = (f"{end.day}日" if (end.year, end.month) == (m.start.year, m.start.month)
            else f"{end.month}月{end.day}日" if end.year == m.start.year else chinese.cn_date(end))
    return f"{chinese.cn_date(m.start)}至{last}"


def turnout(m: Meeting, absent: bool = True) -> str | None:
    """`应到79人，实到71人，请假6人，缺席2人（应到不含工作人员、媒体）` from the sign-in result; without one,
    from the attendee table's 状态 (everyone not on leave came). 工作人员 and 媒体 are not counted.
    `absent` False (a 简报 for the leadership, domain.md §5.6): absentees are neither named nor counted,
    nor left to be worked out from 应到 — the line says only who came and who was on leave."""
    o = m.signins
    if o is not None:
        expected_, came, leave, away, _late = tally(o, o.expected)
    else:
        people = expected(m)
        expected_, leave, away = len(people), sum(not a.present for a in people), 0
        came = expected_ - leave
    if not expected_:
        return None
    counts = [("应到", expected_), ("实到", came), ("请假", leave), ("缺席", away)]
    if away and not absent:
        counts = counts[1:3]
    line = "，".join(f"{label}{n}人" for label, n in counts if n or label in ("应到", "实到"))
    return line + BASIS if counts[0][0] == "应到" else line


BASIS = "（应到不含工作人员、媒体）"  # the one basis of 应到 (domain.md §5.6), said where a text states it


def placeholders(m: Meeting, absent: bool = True) -> dict[str, Placeholder]:
    """Facts both the 简报 and the 会后总结 may place in their text; `absent`: whether {到会情况}
    counts the absentees (see `turnout`)."""
    return {
        "会议名称": Placeholder(lambda: m.title, needs="title"),
        "会议日期": Placeholder(lambda: meeting_days(m), needs="start"),
        "会议地点": Placeholder(lambda: m.venue, needs="venue"),
        "到会情况": Placeholder(lambda: turnout(m, absent), needs="参会人员名单（attendees.csv）"),
    }


def feedback_line(m: Meeting) -> str | None:
    """The 总结's {意见建议}: `共收回意见征集表12份，会议组织安排满意10份、基本满意2份；……；提出意见建议5条`
    (options no form ticked are not named); None until feedback.csv has forms."""
    if not m.replies:
        return None
    parts = []
    for k, q in enumerate(feedback.questions(m)):
        got, _ = feedback.counts(q, k, m.replies)
        if any(got):
            parts.append(q.text + "、".join(f"{o}{n}份" for o, n in zip(q.options, got, strict=True) if n))
    said = sum(1 for r in m.replies if r.text)
    return f"共收回意见征集表{len(m.replies)}份，{'；'.join(parts)}；提出意见建议{said}条"


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


def progress(items: list[dict[str, Any]] | None) -> str | None:
    """`已办结1项，推进中3项，未启动1项`: the statuses that occur, 已办结 first."""
    if not items:
        return None
    counts = [(s, sum(1 for d in items if d["status"] == s)) for s in reversed(STATUSES)]
    return "，".join(f"{s}{n}项" for s, n in counts if n)


UNISSUED, BACK, OUT = "未发放", "收回", "未收回"  # the state of a copy once there is a record


@dataclass(frozen=True)
class Recollection:
    """Copies of material to be recollected, accounted for (domain.md §5.6): 印制 = 发放 + 未发放,
    发放 = 收回 + 未收回. A copy whose holder did not come stays with the office: 未发放, never 收回."""

    printed: int
    unissued: int
    back: int
    secret: bool  # every such material is 涉密

    @property
    def issued(self) -> int:
        return self.printed - self.unissued

    @property
    def out(self) -> int:
        return self.issued - self.back

    @property
    def counts(self) -> str:
        """`发放60份，收回57份，未收回3份`, with 印制 and 未发放 first when some copies stayed behind."""
        issued = [f"印制{self.printed}份", f"发放{self.issued}份", f"{UNISSUED}{self.unissued}份（持有人缺席）"] \
            if self.unissued else [f"发放{self.issued}份"]
        return "，".join(issued + [f"{BACK}{self.back}份"] + ([f"{OUT}{self.out}份"] if self.out else []))


def unissued(m: Meeting, c: Copy) -> bool:
    """A copy whose holder did not come: never handed out (records.signin.not_handed_out)."""
    return not_handed_out(m.signins, c.holder)


def copy_state(m: Meeting, k: int, c: Copy) -> str:
    """未发放, 收回 or 未收回 of copy `c` of the `k`th material to recollect, by the record (which exists)."""
    if unissued(m, c):
        return UNISSUED
    return BACK if m.recollected is not None and (k, c.number) in m.recollected else OUT


def recollection(m: Meeting, only: int | None = None) -> Recollection | None:
    """The count of every material to recollect (or of the `only`th); None until there is a record of
    what came back, or when nothing is to be recollected."""
    mats = [(k, mat) for k, mat in enumerate(to_recollect(m)) if only in (None, k)]
    if not mats or m.recollected is None:
        return None
    states = [copy_state(m, k, c) for k, (_, each) in mats for c in each]
    return Recollection(len(states), states.count(UNISSUED), states.count(BACK),
                        all(mat["classification"] in SECRET_LEVELS for _, (mat, _) in mats))


def recollection_line(m: Meeting) -> str | None:
    """The 总结's {回收情况}: `涉密材料发放60份，收回57份，未收回3份`."""
    r = recollection(m)
    return None if r is None else ("涉密材料" if r.secret else "会后收回的材料") + r.counts
