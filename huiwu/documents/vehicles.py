"""车辆调度表 (vehicles.pdf): each vehicle with its riders, driver and departure.

Riders come from the attendee table's 车辆 column (a vehicle id, or 自行 for people
who come by their own arrangements); present attendees with neither are flagged.
"""

from __future__ import annotations

from typing import Any

from .. import chinese, strokes
from ..layout.forms import Col, Flag, form, table, time_place
from ..problems import Fail
from ..records import Meeting
from ..records.meeting import Attendee

OWN_WAY = ("自行", "自驾", "不乘车")
COLUMNS = [Col("序号", 13), Col("姓名", 26), Col("单位及职务", 73, "left"), Col("联系电话", 34),
           Col("备注", 34, "left")]


def riders(m: Meeting, vehicle_id: str) -> list[Attendee]:
    return [a for a in m.present if a.vehicle == vehicle_id]


def unassigned(m: Meeting) -> list[Attendee]:
    return [a for a in m.present if not a.vehicle]


def heading(m: Meeting, v: dict) -> str:
    driver = f"驾驶员 {v['driver']} {v['phone'] or ''}".strip() if v["driver"] else ""
    depart = f"{chinese.cn_datetime(v['depart'], m.clock)}从{v['place'] or '—'}发车" if v["depart"] else ""
    parts = [f"【{v['group']}】{v['id']}" if v["group"] else v["id"], v["plate"], driver, depart]
    return "　".join(p for p in parts if p)


def rows(people: list[Attendee]) -> list:
    return [[i, strokes.pad_name(a.name), a.unit_and_title, a.phone, a.note] for i, a in enumerate(people, start=1)]


def vehicle_table(m: Meeting, v: dict) -> dict:
    people = riders(m, v["id"])
    seats = f"，核载 {v['seats']} 人" if v["seats"] else ""
    return table(COLUMNS, rows(people), heading=heading(m, v), note=f"乘车 {len(people)} 人{seats}。", sign=False)


def context(m: Meeting, fail: Fail) -> list[dict[str, Any]]:
    groups = list(dict.fromkeys(v["group"] for v in m.vehicles))
    tables = [vehicle_table(m, v) for v in sorted(m.vehicles, key=lambda v: groups.index(v["group"]))]
    lost = unassigned(m)
    if lost:
        flagged = [[i, Flag(strokes.pad_name(a.name)), a.unit_and_title, a.phone, Flag("未安排车辆")]
                   for i, a in enumerate(lost, start=1)]
        tables.append(table(COLUMNS, flagged, heading=f"未安排车辆人员（{len(lost)} 人）", sign=False,
                            note="请为以上人员安排车辆；自行前往的，请在参会人员名单中注明“自行”。"))
    lead = [f"车辆 {len(m.vehicles)} 辆　乘车 {sum(len(riders(m, v['id'])) for v in m.vehicles)} 人"
            f"　未安排 {len(lost)} 人"]
    return [form(f"{m.title}车辆调度表", time_place(m), tables, lead=lead)]


def check(m: Meeting, fail: Fail) -> None:
    """Vehicle ids unique, riders' ids known, no vehicle over its seats."""
    ids = [v["id"] for v in m.vehicles]
    for i, vid in enumerate(ids):
        if vid in ids[:i]:
            fail(m.source.line("vehicles", i, "id"), f"vehicles：车辆编号“{vid}”重复")
        seats, n = m.vehicles[i]["seats"], len(riders(m, vid))
        if seats and n > seats:
            fail(m.source.line("vehicles", i, "seats"), f"vehicles：{vid} 核载 {seats} 人，名单中安排了 {n} 人")
    for a in m.present:
        if a.vehicle and a.vehicle not in ids and a.vehicle not in OWN_WAY:
            fail(a.line, f"车辆“{a.vehicle}”不在 meeting.md 的 vehicles 中（可填：{'、'.join(ids)}，"
                         "或“自行”）", m.attendees_path)


def skip(m: Meeting) -> str | None:
    return None if m.vehicles else "没有 vehicles（车辆）"
