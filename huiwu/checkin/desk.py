"""What the desk answers to a scan or a typed name: who it is, where they sit, what they are handed — and
every other case (already in, another meeting's badge, on leave, a stand-in, not on the list, late, a
numbered copy coming back) with a clear answer. The meeting is read once when the desk starts; the journal
holds what happened since."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from ..records import Meeting
from ..records.materials import copies, to_recollect
from ..records.meeting import Attendee
from ..site.search import name_keys
from .journal import Journal, Row

BADGE = re.compile(r"^huiwu:([^:]+):(\d{4}):(.+)$")  # documents.badges.payload
COPY = re.compile(r"^huiwu-copy:([^:]+):(.+):(\d{6})$")  # documents.copies.payload
PICK = re.compile(r"^(person|force):(\d+)$")  # a button of an earlier answer: the n-th person of `people`
SIGN, HAND = "签到", "发材料"
MODES = {"both": (SIGN, HAND), "signin": (SIGN,), "hand": (HAND,)}
MATCHES_MOST = 12


@dataclass
class Answer:
    """What the desk screen shows: a status (its colour), a headline, lines, and buttons that send `say`."""

    status: str  # ok, late, already, leave, unknown, wrong, returned, choose
    headline: str
    lines: list[str] = field(default_factory=list)
    offers: list[dict[str, str]] = field(default_factory=list)
    walkin: str = ""  # a name to offer the walk-in form for
    at: str = ""  # the desk's clock when it answered: 8:52

    def json(self) -> dict[str, Any]:
        return {"status": self.status, "headline": self.headline, "lines": self.lines, "offers": self.offers,
                "walkin": self.walkin, "at": self.at}


def key(a: Attendee) -> str:
    """The journal's key of a person: stable across restarts while the list is unchanged."""
    principal = f"替{a.stands_in.name}|{a.stands_in.unit}|" if a.stands_in else ""
    return f"{principal}{a.name}|{a.unit}|{a.role}"


def clock(at: str) -> str:
    """`2026-12-08 08:52` → `8:52`."""
    hh, mm = at[-5:].split(":")
    return f"{int(hh)}:{mm}"


class Desk:
    def __init__(self, m: Meeting, journal: Journal, now: Callable[[], datetime] = datetime.now):
        self.m, self.journal, self.now = m, journal, now
        self.people = m.attending + [a for a in m.attendees if not a.present]  # the n of `person:n`
        self.keys = {id(a): name_keys(a.name) for a in self.people}
        self.handed = handed_out(m)

    # -- the answer to what was typed or scanned --

    def scan(self, text: str, mode: str = "both", staff: str = "", station: str = "") -> Answer:
        said = unicodedata.normalize("NFKC", text).strip()
        answer = self._answer(said, MODES.get(mode, MODES["both"]), staff.strip())
        answer.at = clock(self.now().strftime("%H:%M"))
        self.journal.note(said, answer.headline, station)
        return answer

    def _answer(self, said: str, mode: tuple[str, ...], staff: str) -> Answer:
        if not said:
            return Answer("wrong", "请扫描证件，或输入姓名")
        if badge := BADGE.match(said):
            return self._badge(badge[1], int(badge[2]), badge[3], mode)
        if copy := COPY.match(said):
            return self._copy(copy[1], copy[2], copy[3], staff)
        if said.startswith(("huiwu:", "huiwu-copy:")):
            return Answer("wrong", "无法识别的二维码", [said[:80]])
        if pick := PICK.match(said):
            n = int(pick[2])
            if n >= len(self.people):
                return Answer("wrong", "名单已变，请重新查找")
            return self._person(self.people[n], mode, force=pick[1] == "force")
        return self._name(said, mode)

    def _badge(self, meeting: str, serial: int, name: str, mode: tuple[str, ...]) -> Answer:
        if meeting != self.m.id:
            return Answer("wrong", "这是另一个会议的证件", [f"证件所属会议：{meeting}", f"本签到台：{self.m.title}"])
        listed = self.m.attending
        if 1 <= serial <= len(listed) and listed[serial - 1].name == name:
            return self._person(listed[serial - 1], mode)
        same = [a for a in self.people if a.name == name]
        if len(same) == 1:
            return self._person(same[0], mode)
        return Answer("wrong", f"证件上的“{name}”不在现在的名单中", ["名单可能已改动：请核对后按姓名查找"], walkin=name)

    def _name(self, said: str, mode: tuple[str, ...]) -> Answer:
        query = "".join(said.lower().split())
        exact = [a for a in self.people if a.name == query]
        found = exact or [a for a in self.people
                          if query in a.name or any(k.startswith(query) for k in self.keys[id(a)])]
        if len(found) == 1 and exact:
            return self._person(found[0], mode)
        if not found:
            return Answer("unknown", f"名单中没有“{said}”", ["如确属参会人员，请填写名单外签到"], walkin=said)
        offers = [{"label": f"{a.name}　{a.unit}{a.title}", "say": f"person:{self.people.index(a)}"}
                  for a in found[:MATCHES_MOST]]
        more = [f"另有 {len(found) - MATCHES_MOST} 人，请多输入几个字"] if len(found) > MATCHES_MOST else []
        return Answer("choose", f"找到 {len(found)} 人，请选择", more, offers, walkin=said if not exact else "")

    def _person(self, a: Attendee, mode: tuple[str, ...], force: bool = False) -> Answer:
        if not a.present and not force:
            return self._on_leave(a)
        lines = [f"{a.unit}{a.title}", f"座位：{self.seat(a)}"]
        if a.stands_in:
            lines.insert(1, f"替会（代{a.stands_in.name}）")
        status, headline = "ok", a.name
        if SIGN in mode:
            status, said = self._sign(a)
            lines.insert(0, said)
        if HAND in mode:
            lines += self._hand(a)
        return Answer(status, headline, lines)

    def _on_leave(self, a: Attendee) -> Answer:
        lines = [f"{a.unit}{a.title}", f"请假：{a.leave_reason}" if a.leave_reason else "已请假"]
        offers = []
        stand_in = next((s for s in self.m.stand_ins if s.stands_in is a), None)
        if stand_in is not None:
            lines.append(f"登记的替会人员：{stand_in.name}")
            offers.append({"label": f"为替会人员{stand_in.name}签到", "say": f"person:{self.people.index(stand_in)}"})
        offers.append({"label": f"{a.name}本人到会，仍然签到", "say": f"force:{self.people.index(a)}"})
        return Answer("leave", f"{a.name}已请假", lines, offers)

    def _sign(self, a: Attendee) -> tuple[str, str]:
        at = self.now().strftime("%Y-%m-%d %H:%M")
        note = f"替{a.stands_in.name}" if a.stands_in else ("请假后到会" if not a.present else "")
        if not self.journal.add("signin.csv", Row(key(a), (a.name, a.unit, at, note))):
            return "already", f"已于{clock(self.signed_at(a))}签到"
        late = int((self.now() - self.m.start).total_seconds() // 60)
        return ("late", f"签到成功，迟到 {late} 分钟") if late > 0 else ("ok", "签到成功")

    def _hand(self, a: Attendee) -> list[str]:
        mine = [f"{title}{'　份号 ' + number if number else ''}" for title, number in self.handed.get(id(a), [])]
        if not mine:
            return ["无需发放材料"]
        at = self.now().strftime("%Y-%m-%d %H:%M")
        if not self.journal.add("received.csv", Row(key(a), (a.name, a.unit, at, ""))):
            return [f"材料已于{clock(self.received_at(a))}领取：", *mine]
        return ["请发放材料：", *mine]

    def _copy(self, meeting: str, stem: str, number: str, staff: str) -> Answer:
        if meeting != self.m.id:
            return Answer("wrong", "这是另一个会议的材料", [f"所属会议：{meeting}"])
        for mat, each in to_recollect(self.m):
            if Path(mat["file"] or "").stem != stem:
                continue
            copy = next((c for c in each if c.number == number), None)
            if copy is None:
                break
            if not staff:
                return Answer("wrong", "请先填写回收人", ["在页面上方“回收人”处填写值守人员姓名"])
            at = self.now().strftime("%Y-%m-%d %H:%M")
            row = Row(f"{stem}|{number}", (mat["title"], number, at, staff, "完好", ""))
            if not self.journal.add("recollected.csv", row):
                return Answer("already", f"份号 {number} 已收回", [mat["title"]])
            return Answer("returned", f"收回 份号 {number}", [mat["title"], f"应领：{copy.label}", f"回收人：{staff}"])
        return Answer("wrong", "不是本会议需收回材料的份号", [f"{stem} {number}"])

    def walkin(self, name: str, unit: str, title: str, note: str) -> Answer:
        """Someone not on the list, signed in on the spot: listed as 名单外签到 on the 到会统计."""
        name = "".join(name.split())
        if not name:
            return Answer("wrong", "请填写姓名")
        at = self.now().strftime("%Y-%m-%d %H:%M")
        title = f"职务：{title.strip()}" if title.strip() else ""
        remark = "；".join(x for x in ("名单外签到", title, note.strip()) if x)
        if not self.journal.add("signin.csv", Row(f"名单外|{name}|{unit.strip()}", (name, unit.strip(), at, remark))):
            return Answer("already", f"{name}已签到（名单外）")
        return Answer("ok", name, ["名单外签到成功", unit.strip()])

    # -- what the journal says --

    def signed_at(self, a: Attendee) -> str:
        return next((r.values[2] for r in self.journal.rows("signin.csv") if r.person == key(a)), "")

    def received_at(self, a: Attendee) -> str:
        return next((r.values[2] for r in self.journal.rows("received.csv") if r.person == key(a)), "")

    def seat(self, a: Attendee) -> str:
        plan = self.m.seat_plan
        seat = plan.seat_of(a) if plan else None
        return seat.label if seat else (a.seat or "未排座位")


def handed_out(m: Meeting) -> dict[int, list[tuple[str, str]]]:
    """Each person's materials (id of the Attendee → (title, 份号)); a copy for a unit is shown to each of its
    people (whoever comes first takes it)."""
    out: dict[int, list[tuple[str, str]]] = {}
    for mat in m.materials:
        for c in copies(m, mat):
            takers = [c.holder] if c.holder else [a for a in m.attending if a.delegation == c.unit]
            title = mat["title"] + ("（单位一份）" if c.holder is None else "")
            for a in takers:
                out.setdefault(id(a), []).append((title, c.number))
    return out
