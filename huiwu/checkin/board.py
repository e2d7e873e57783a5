"""The chair's board: 应到, 实到, 请假, 未到 and 迟到 on the basis of the 到会统计 (records.signin.tally, the same
matching `make` does on signin.csv), by unit; who is not yet in, with their phone numbers, to call them."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from ..layout.facts import counting_basis
from ..records import Meeting
from ..records.signin import Outcome, Roster, SignIn, expected, place, tally
from .journal import Journal


def outcome(m: Meeting, journal: Journal) -> Outcome:
    """The journal's sign-ins matched to the list as `make` will match signin.csv."""
    o, roster = Outcome(m.start, expected(m)), Roster(m)
    for line, row in enumerate(journal.rows("signin.csv"), start=2):
        name, unit, at, note = row.values
        when = datetime.strptime(at, "%Y-%m-%d %H:%M") if at else None
        place(roster, o, SignIn(name, unit, when, note, line),
              Path("signin.csv"), lambda *_: None)
    return o


def state(m: Meeting, journal: Journal, now: datetime) -> dict[str, Any]:
    o = outcome(m, journal)
    total = tally(o, o.expected)
    units = list(dict.fromkeys(a.unit for a in o.expected))
    started = now >= m.start
    return {
        "title": m.title,
        "start": m.start.strftime("%H:%M"),
        "now": now.strftime("%H:%M"),
        "started": started,
        "counts": dict(zip(("应到", "实到", "请假", "未到", "迟到"), total, strict=True))
        | {"替会": len(o.substitutes), "名单外": len(o.unknown)},
        "basis": counting_basis() + "替会人员另计，不计入实到。",
        "units": [{"unit": u, "counts": tally(o, [a for a in o.expected if a.unit == u])} for u in units],
        "missing": [{"name": a.name, "unit": a.unit, "title": a.title, "phone": a.phone} for a in o.absent],
        "late": [{"name": a.name, "unit": a.unit, "minutes": o.minutes_late(a)} for a in o.late],
        "stand_ins": [{"name": s.name, "for": a.name} for a, s in o.substitutes.items()],
        "unknown": [{"name": s.name, "unit": s.unit} for s in o.unknown],
    }
