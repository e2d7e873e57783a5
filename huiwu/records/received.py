"""received.csv: who has been handed their materials (姓名, 单位, 领取时间, 备注), written by the check-in desk at
报到 or keyed in by staff; the 材料分发登记表 marks their copies 已领 with the time."""

from __future__ import annotations

from datetime import datetime

from ..problems import Fail
from ..tables import source_table
from .meeting import Attendee, Listed
from .signin import HEADERS, read_signins

STEM = "received"
RECEIVED_HEADERS = HEADERS | {"time": ("领取时间", "时间", "time")}


def received(m: Listed, fail: Fail) -> dict[Attendee, datetime | None] | None:
    """Each attending person named in received.csv (a stand-in by their own name) and when; None: no table."""
    path = source_table(m.folder, STEM, fail)
    if path is None:
        return None
    found: dict[Attendee, datetime | None] = {}
    for row in read_signins(path, m.start.date(), fail, RECEIVED_HEADERS):
        same = [a for a in m.attending if a.name == row.name and (not row.unit or row.unit == a.unit)]
        if len(same) != 1:
            why = "在名单中有多人，请填写单位以区分" if same else "不在参会名单中（请假人员的材料由替会人员领取）"
            fail(row.line, f"姓名“{row.name}”{why}", path)
            continue
        found.setdefault(same[0], row.time)
    return found
