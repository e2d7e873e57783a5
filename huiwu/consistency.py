"""The cross-check peers don't have: the name list, the seats, the 桌签 and the 证件 must
agree person for person ("防止遗漏、重复和出现错别字"). Runs on every build and in `check`."""

from __future__ import annotations

from .problems import Problems
from .records import Meeting
from .records.meeting import Attendee

SAME_NAME_OK = "同名"  # written in 备注 once a person has checked that two namesakes are two people


def duplicates(m: Meeting, problems: Problems) -> None:
    """The same person twice: same name and unit (an error), or same name in two units (a human must look)."""
    first: dict[str, Attendee] = {}
    path = m.attendees_path or m.folder
    for a in m.attendees:
        seen = first.setdefault(a.name, a)
        if seen is a:
            continue
        if seen.unit == a.unit:
            problems.add(path, a.line, f"{a.name}（{a.unit}）重复：与第{seen.line}行是同一人，请删去一行")
        elif SAME_NAME_OK not in a.note + seen.note:
            problems.add(path, a.line,
                         f"{a.name}同时出现在{seen.unit}（第{seen.line}行）和{a.unit}：是同一人请删去一行；"
                         f"确是两人，请在备注中写“{SAME_NAME_OK}”")


def cross_check(seated: dict[int, str], cards: list[Attendee], badges: list[Attendee],
                people: list[Attendee]) -> list[tuple[Attendee, str]]:
    """(person, message) for every disagreement between seats (id → seat label), cards and badges."""
    carded, badged = {id(a) for a in cards}, {id(a) for a in badges}
    out = []
    for a in people:
        seat, card, badge = seated.get(id(a)), id(a) in carded, id(a) in badged
        if not a.present:
            held = [what for what, has in (("座位", seat), ("桌签", card), ("证件", badge)) if has]
            if held:
                out.append((a, f"{a.name}已请假，却有{'、'.join(held)}"))
            continue
        if seat and not card:
            out.append((a, f"{a.name}有座位（{seat}）但没有桌签"))
        if card and not seat:
            out.append((a, f"{a.name}有桌签但没有座位"))
        if seat and not badge:
            out.append((a, f"{a.name}有座位（{seat}）但没有证件"))
    return out


def check(m: Meeting, problems: Problems) -> None:
    """Seats, 桌签 and 证件 as the documents will print them, compared person by person."""
    from .documents import badges, cards  # the kinds whose holders are checked

    plan = m.seat_plan
    seated = {id(a): s.label for s, a in plan.taken.items()} if plan else {}
    carded = cards.holders(m) if plan and not cards.skip(m) else []
    badged = badges.holders(m) if not badges.skip(m) else []
    for person, message in cross_check(seated, carded, badged, m.attendees):
        problems.add(m.attendees_path or m.folder, person.line, message)
