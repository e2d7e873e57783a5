"""会后总结 (summary.pdf): the office's written summary of a held meeting (domain.md §5.5).

Written after the meeting in `summary.md` in the meeting folder: a YAML front matter, then the text.
Without that file the meeting gets no 总结.

Front matter keys:

    date     成文日期, printed under the 落款 (required)
    title    标题 (default: 会议名称 + 会后总结); a list of lines sets where it breaks
    author   落款单位 (default: the meeting's organizer)

Body: paragraphs numbered 一、 （一） 1. （1） as in meeting.md; the usual sections are 会议基本情况,
经验做法, 问题与不足, 参会人员意见建议 and 下一步工作 (written by hand, not enforced). Placeholders, so
that nothing is typed twice: those of the 简报 (`briefing.facts`: {会议名称} {会议日期} {会议地点}
{到会情况}), and from minutes.md {议定事项数} (a number), {办结情况} (已办结1项，推进中3项…) and
{议定事项} alone in a paragraph (the decisions as numbered in the 纪要), and from recollected.csv
{回收情况} (涉密材料发放60份，收回57份，未收回3份: `facts.recollection_line`), and from feedback.csv
{意见建议} (共收回意见征集表12份，会议组织安排满意10份、基本满意2份…: `facts.feedback_line`).
A sentence claiming every copy came back while the record says otherwise is refused (lint).

The page is a plain 公文 page (gongwen.css): title in the 标题 font, 仿宋 body, 黑体 and 楷体 headings,
then the 落款 and date without a seal.
"""

from __future__ import annotations

from typing import Any

from .. import chinese
from ..layout import facts
from ..layout.body import Placeholder, written_blocks
from ..layout.measure import title_lines
from ..problems import Fail
from ..records import Meeting
from ..records.minutes import FILE as MINUTES_FILE
from ..records.summary import FILE

NEEDS_MINUTES = f"{MINUTES_FILE} 中的 decisions（议定事项）"
NEEDS_FEEDBACK = "回收的意见征集表（feedback.csv）"
NEEDS_RECORD = "会后收回的材料（materials 中 recollect: true）及其回收记录（recollected.csv）"


def skip(m: Meeting) -> str | None:
    return None if m.summary else f"没有 {FILE}（会后总结）"


def placeholders(m: Meeting) -> dict[str, Placeholder]:
    items = None if m.minutes is None else m.minutes.decisions  # its own problems are the 纪要's to report
    return {
        **facts.placeholders(m),
        "议定事项数": Placeholder(lambda: None if items is None else str(len(items)), needs=NEEDS_MINUTES),
        "办结情况": Placeholder(lambda: facts.progress(items), needs=NEEDS_MINUTES),
        "回收情况": Placeholder(lambda: facts.recollection_line(m), needs=NEEDS_RECORD),
        "意见建议": Placeholder(lambda: facts.feedback_line(m), needs=NEEDS_FEEDBACK),
        "议定事项": Placeholder(lambda: [facts.decision_line(i, d) for i, d in enumerate(items or [], start=1)],
                            block=True, needs=NEEDS_MINUTES),
    }


def context(m: Meeting, fail: Fail) -> list[dict[str, Any]]:
    s = m.summary
    if s is None:
        return []
    v = s.values
    title = v["title"] or [f"{m.title}会后总结"]
    author, signed = v["author"] or m.organizer, chinese.cn_date(v["date"])
    return [{
        "title": title_lines(title[0]) if len(title) == 1 else title,
        "blocks": written_blocks(s, placeholders(m), fail),
        "author": author,
        "signed": signed,
    }]
