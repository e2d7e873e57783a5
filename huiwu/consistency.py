"""The cross-check peers don't have: the name list, the seats, the 桌签 and the 证件 must
agree person for person ("防止遗漏、重复和出现错别字"). Runs on every build and in `check`."""

from __future__ import annotations

from dataclasses import dataclass

from .problems import Problems
from .records import Meeting
from .records.meeting import COUNTED, Attendee

SAME_NAME_OK = "同名"  # written in 备注 once a person has checked that two namesakes are two people


def duplicates(m: Meeting, problems: Problems) -> None:
    """The same person twice: same name and unit (an error), or same name in two units (a human must look).
    替会人员 count too: a stand-in who is also on the list, or stands in twice, is the same person twice."""
    first: dict[str, Attendee] = {}
    path = m.attendees_path or m.folder
    for a in m.attendees + m.stand_ins:
        seen = first.setdefault(a.name, a)
        if seen is a:
            continue
        if a.stands_in and (a.delegation in (seen.unit, seen.delegation) or a.unit == seen.unit):
            problems.add(path, a.line, f"替会人员{a.listed_name}与第{seen.line}行的{seen.listed_name}"
                                       f"（{seen.unit}）重复：同一人不能既参会又替会，也不能替两人，请改正")
        elif seen.unit == a.unit:
            problems.add(path, a.line, f"{a.name}（{a.unit}）重复：与第{seen.line}行是同一人，请删去一行")
        elif SAME_NAME_OK not in _note(a) + _note(seen):
            problems.add(path, a.line,
                         f"{a.listed_name}同时出现在{seen.unit}（第{seen.line}行）和{a.unit}：是同一人请删去一行；"
                         f"确是两人，请在备注中写“{SAME_NAME_OK}”")


def _note(a: Attendee) -> str:
    return (a.stands_in or a).note


@dataclass(frozen=True)
class Holders:
    """Who each document prints: seats (id → seat label), 桌签, 证件 and pre-printed 签到表 rows."""

    seated: dict[int, str]
    cards: list[Attendee]
    badges: list[Attendee]
    signins: list[Attendee]
    uncarded: tuple[str, ...] = ()  # roles seated without a 桌签 (工作人员、媒体 unless card_staff)


def cross_check(h: Holders, people: list[Attendee]) -> list[tuple[Attendee, str]]:
    """(person, message) for every disagreement between seats, cards, badges and sign-in rows."""
    carded, badged, signed = ({id(a) for a in x} for x in (h.cards, h.badges, h.signins))
    out = []
    for a in people:
        seat, card, badge, row = h.seated.get(id(a)), id(a) in carded, id(a) in badged, id(a) in signed
        who = a.listed_name
        if not a.present:
            held = [what for what, has in (("座位", seat), ("桌签", card), ("证件", badge), ("签到行", row)) if has]
            if held:
                out.append((a, f"{who}已请假，却有{'、'.join(held)}"))
            continue
        if seat and not card and a.role not in h.uncarded:
            out.append((a, f"{who}有座位（{seat}）但没有桌签"))
        if card and not seat:
            out.append((a, f"{who}有桌签但没有座位"))
        if seat and not badge:
            out.append((a, f"{who}有座位（{seat}）但没有证件"))
        if badge and not row and a.role in COUNTED:  # the 签到表 lists those 应到 counts
            out.append((a, f"{who}有证件但签到表上没有"))
        if row and not badge:
            out.append((a, f"{who}在签到表上但没有证件"))
    return out


def holders(m: Meeting) -> Holders:
    """What the documents will print, from the kinds whose holders are checked."""
    from .documents import badges, cards, signin

    plan = m.seat_plan
    return Holders(
        seated={id(a): s.label for s, a in plan.taken.items()} if plan else {},
        cards=cards.holders(m) if plan and not cards.skip(m) else [],
        badges=badges.holders(m) if not badges.skip(m) else [],
        signins=signin.holders(m) if not signin.skip(m) else [],
        uncarded=cards.UNCARDED if not m.card_staff else (),
    )


def check(m: Meeting, problems: Problems) -> None:
    """Seats, 桌签, 证件 and 签到表 rows as the documents will print them, compared person by person,
    替会人员 included."""
    for person, message in cross_check(holders(m), m.attendees + m.stand_ins):
        problems.add(m.attendees_path or m.folder, person.line, message)
