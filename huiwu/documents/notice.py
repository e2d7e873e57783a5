"""会议通知 (notice.pdf): a GB/T 9704-2012 document built from the meeting source."""

from __future__ import annotations

from typing import Any

from .. import chinese
from ..layout.body import Block, Placeholder, blocks
from ..layout.facts import agenda_lines
from ..layout.measure import title_lines
from ..problems import Fail
from ..records import Meeting

# the 回执 (附件): what the body asks units to report — who comes, or why not and who stands in — and
# a mobile number labelled 手机; widths in mm add up to the 版心's 156
REPLY_COLUMNS = [("单位", 26), ("姓名", 16), ("职务", 19), ("手机", 26), ("是否参会", 19), ("请假原因", 19),
                 ("代会人员", 19), ("备注", 12)]


def placeholders(m: Meeting) -> dict[str, Placeholder]:
    checkin = m.checkin or {}
    when = (lambda t: chinese.cn_datetime(t, m.clock) if t else None)
    return {
        "会议时间": Placeholder(lambda: chinese.date_line(m.start, m.end, m.clock) if m.start else None, needs="start"),
        "会议地点": Placeholder(lambda: m.venue, needs="venue"),
        "报到": Placeholder(lambda: f"参会人员请于{when(checkin['time'])}前到{checkin['place']}报到。" if checkin
                          else None, needs="checkin"),
        "报到时间": Placeholder(lambda: when(checkin.get("time")), needs="checkin.time"),
        "报到地点": Placeholder(lambda: checkin.get("place"), needs="checkin.place"),
        "回执截止": Placeholder(lambda: when(m.reply_by), needs="reply_by"),
        "议程": Placeholder(lambda: agenda_lines(m), block=True, needs="agenda"),
        "联系人": Placeholder(lambda: contacts_line(m), needs="contacts"),
    }


def contacts_line(m: Meeting) -> str:
    if not m.contacts:
        return ""
    return "联系人：" + "；".join(f"{c['name']}，电话：{c['phone']}" for c in m.contacts) + "。"


def body(m: Meeting, fail: Fail) -> list[Block]:
    return blocks(m.source.body, m.source.body_line, placeholders(m), fail)


def context(m: Meeting, fail: Fail) -> list[dict[str, Any]]:
    """One context per printed copy (classified notices carry a 份号 each)."""
    signed = chinese.cn_date(m.issued_on)
    common = {
        "title": m.notice_title or title_lines(f"关于召开{m.title}的通知"),
        "blocks": body(m, fail),
        "recipients": "，".join(m.recipients or []),
        "attachment": f"{m.title}回执",
        "signed": signed,
        "printed": f"{signed}印发",
        "cc": "，".join(m.cc or []),
        "reply_columns": REPLY_COLUMNS,
        "reply_rows": m.reply_rows,
        "reply_by": m.reply_by and chinese.cn_datetime(m.reply_by, m.clock),
    }
    copies = m.copies if m.secret else 1
    return [{**common, "copy_number": f"{n:06d}" if m.secret else ""} for n in range(1, copies + 1)]
