"""会场布置及设备检查表 (equipment.pdf): "安排适量话筒…逐一提前试音", 音响、灯光、投影 — a checklist with one line
per microphone by where it is (each rostrum seat, or the shared ones; the 发言席; the hall; the spares) and the
other equipment, then a 会场布置示意 drawn from the venue: the rostrum with its microphones, the 发言席, the hall's
rows and reserved blocks (媒体席), and the entrances (venue.yaml `lectern`, `entrances`).

Source: meeting.md `equipment`; the drawing needs a seating plan (venue.yaml or `seating`)."""

from __future__ import annotations

from typing import Any

from .. import chinese
from ..layout.facts import microphones
from ..layout.forms import TICK, Col, form, table, time_place
from ..problems import Fail
from ..records import Meeting
from ..records.schema import PER_SEAT
from ..records.seating import HALL, ROSTRUM, Plan, Seat

COLUMNS = [Col("序号", 13), Col("设备及项目", 56, "left"), Col("位置", 46, "left"), Col("试音/检查", 20),
           Col("检查人", 20), Col("备注", 25, "left")]
MIC = "◎"
ROOM = (15.0, 20.0, 258.0, 170.0)  # the hall's walls in the drawing: left, top, right, bottom (mm in the page box)
SEAT_W, SEAT_H = 15.0, 8.0  # a rostrum seat
AISLE = 0.6  # an aisle, in hall seats


def skip(m: Meeting) -> str | None:
    return None if m.equipment else "没有 equipment（会场设备：话筒、投影、录音录像、试音）"


def other_rows(m: Meeting) -> list[tuple[str, str]]:
    e = m.equipment or {}
    rows = [("音响系统（调音台、功放、音箱）", "控制室、会场"), ("灯光照明", "主席台、会场")]
    rows += [(e[key], where) for key, where in (("projector", "主席台"), ("recording", "控制室")) if e[key]]
    return rows + [(item, "") for item in e["other"]]


def sound_check(m: Meeting) -> tuple[str, str]:
    given = (m.equipment or {}).get("sound_check") or {}
    when = chinese.cn_datetime(given["time"], m.clock) if given.get("time") else "　　　　　"
    return when, given.get("owner") or ""


def checklist(m: Meeting) -> dict[str, Any]:
    when, owner = sound_check(m)
    mics, others = microphones(m), other_rows(m)
    rows = [[n, what, where, TICK, owner, ""] for n, (what, where) in enumerate(mics + others, start=1)]
    lead = [f"试音时间：{when}　负责人：{owner or '　　　　'}",
            f"话筒 {len(mics)} 支，其他 {len(others)} 项：逐一试音、检查，正常的打勾，有问题的写在备注栏"]
    return form(f"{m.title}会场布置及设备检查表", time_place(m), [table(COLUMNS, rows)], lead=lead)


def context(m: Meeting, fail: Fail) -> list[dict[str, Any]]:
    parts = [{**checklist(m), "drawing": False}]
    if m.seat_plan is not None:
        parts.append(drawing(m, m.seat_plan))
    return parts


# —— 会场布置示意 ——

def drawing(m: Meeting, plan: Plan) -> dict[str, Any]:
    e = m.equipment or {}
    boxes, y = rostrum_boxes(plan, e["rostrum_mics"] == PER_SEAT)
    lectern = plan.venue.get("lectern")
    if lectern:
        left = min((b["x"] for b in boxes), default=ROOM[0] + 60)
        right = max((b["x"] + b["w"] for b in boxes), default=ROOM[2] - 60)
        x = left - 34 if lectern == "左" else right + 12
        boxes.append(box(x, y - SEAT_H - 2, 22, SEAT_H, f"发言席{MIC if e['lectern_mic'] else ''}", "lectern"))
    seats, blocks = hall(plan, y + 12)
    return {"drawing": True, "title": f"{m.title}会场布置示意", "subtitle": time_place(m), "room": room(),
            "boxes": boxes, "seats": seats, "blocks": blocks, "doors": doors(plan), "legend": legend(m)}


def box(x: float, y: float, w: float, h: float, text: str, cls: str) -> dict[str, Any]:
    return {"x": round(x, 2), "y": round(y, 2), "w": round(w, 2), "h": round(h, 2), "text": text, "cls": cls}


def room() -> dict[str, float]:
    left, top, right, bottom = ROOM
    return {"x": left, "y": top, "w": right - left, "h": bottom - top}


def rostrum_boxes(plan: Plan, each: bool) -> tuple[list[dict[str, Any]], float]:
    """The rostrum's seats, back row uppermost, each with its microphone; the y below the front row."""
    middle, y, out = (ROOM[0] + ROOM[2]) / 2, ROOM[1] + 6, []
    for r in range(len(plan.rostrum_rows), 0, -1):
        n = plan.rostrum_rows[r - 1]
        left = middle - n * SEAT_W / 2
        for k in range(1, n + 1):
            person = plan.taken.get(Seat(ROSTRUM, r, k))
            mark = MIC if each and person else ""
            out.append(box(left + (k - 1) * SEAT_W, y, SEAT_W, SEAT_H, f"{k}{mark}", "rostrum"))
        y += SEAT_H + 1.5
    if plan.rostrum_rows:
        widest = max(plan.rostrum_rows) * SEAT_W
        out.append(box(middle - widest / 2, y, widest, 4, "主席台", "table"))
        y += 4
    return out, y


def hall(plan: Plan, top: float) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The hall's seats as small boxes (reserved ones shaded) and a dashed frame round each reserved block."""
    if not plan.hall_rows:
        return [], []
    span = plan.hall_seats + AISLE * len(plan.aisles)
    w = min(14.0, (ROOM[2] - ROOM[0] - 20) / span)
    h = min(10.0, (ROOM[3] - 8 - top) / plan.hall_rows)
    left = (ROOM[0] + ROOM[2]) / 2 - span * w / 2
    place = {}
    for r in range(1, plan.hall_rows + 1):
        for k in range(1, plan.hall_seats + 1):
            x = left + (k - 1 + AISLE * plan.aisles_before(k)) * w
            place[Seat(HALL, r, k)] = (x, top + (r - 1) * h)
    seats = [box(x, y, w - 0.8, h - 0.8, "", "reserved" if s in plan.reserved else "seat")
             for s, (x, y) in place.items()]
    blocks = []
    for label in dict.fromkeys(plan.reserved.values()):
        spots = [place[s] for s, lab in plan.reserved.items() if lab == label and s in place]
        if spots:
            x0, y0 = min(x for x, _ in spots), min(y for _, y in spots)
            x1, y1 = max(x for x, _ in spots) + w, max(y for _, y in spots) + h
            blocks.append(box(x0 - 0.8, y0 - 0.8, x1 - x0 + 0.8, y1 - y0 + 0.8, label, "block"))
    return seats, blocks


DOOR = {"前左": (0.0, 0.12), "前右": (1.0, 0.12), "左": (0.0, 0.55), "右": (1.0, 0.55), "后左": (0.15, 1.0),
        "后": (0.5, 1.0), "后右": (0.85, 1.0)}  # where on the walls: share of the width, share of the height


def doors(plan: Plan) -> list[dict[str, Any]]:
    left, top, right, bottom = ROOM
    out = []
    for d in plan.venue.get("entrances") or []:
        fx, fy = DOOR[d["side"]]
        x, y = left + fx * (right - left), top + fy * (bottom - top)
        out.append(box(x - 9, y - 3, 18, 6, d["name"], "door"))
    return out


def legend(m: Meeting) -> str:
    e = m.equipment or {}
    parts = [f"{MIC} 话筒：主席台" + ("每座一支" if e["rostrum_mics"] == PER_SEAT else f"共用{e['rostrum_mics']}支")]
    if e["lectern_mic"]:
        parts.append("发言席一支")
    if e["hall_mics"]:
        parts.append(f"会场话筒{e['hall_mics']}支由工作人员传递")
    if e["spare_mics"]:
        parts.append(f"备用{e['spare_mics']}支由会务组保管")
    return "，".join(parts) + "。灰色为专座，虚线框标出专座区。（面向主席台）"
