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
{议定事项} alone in a paragraph (the decisions as numbered in the 纪要).

The page is a plain 公文 page (gongwen.css): title in the 标题 font, 仿宋 body, 黑体 and 楷体 headings,
then the 落款 and date without a seal.
"""

from __future__ import annotations

from typing import Any

from . import chinese, minutes
from .body import Placeholder
from .briefing import facts
from .model import Meeting
from .notice import signature, title_lines
from .problems import Fail
from .schema import Field
from .written import Written

FILE = "summary.md"

SUMMARY: dict[str, Field] = {
    "date": Field("成文日期", "date", required=True),
    "title": Field("标题（默认：会议名称+会后总结；要自己定分行位置时写成列表）", "texts"),
    "author": Field("落款单位（默认：主办单位）", "text"),
}
NEEDS_MINUTES = f"{minutes.FILE} 中的 decisions（议定事项）"


def skip(m: Meeting) -> str | None:
    return None if (m.folder / FILE).is_file() else f"没有 {FILE}（会后总结）"


def decisions(m: Meeting) -> list[dict[str, Any]] | None:
    """The 纪要's decisions; None without a minutes.md (its own problems are the 纪要's to report)."""
    mins = minutes.read(m)
    return None if mins is None else mins.decisions


def progress(items: list[dict[str, Any]] | None) -> str | None:
    """`已办结1项，推进中3项，未启动1项`: the statuses that occur, 已办结 first."""
    if not items:
        return None
    counts = [(s, sum(1 for d in items if d["status"] == s)) for s in reversed(minutes.STATUSES)]
    return "，".join(f"{s}{n}项" for s, n in counts if n)


def placeholders(m: Meeting) -> dict[str, Placeholder]:
    items = decisions(m)
    return {
        **facts(m),
        "议定事项数": Placeholder(lambda: None if items is None else str(len(items)), needs=NEEDS_MINUTES),
        "办结情况": Placeholder(lambda: progress(items), needs=NEEDS_MINUTES),
        "议定事项": Placeholder(lambda: [minutes.decision_line(i, d) for i, d in enumerate(items or [], start=1)],
                            block=True, needs=NEEDS_MINUTES),
    }


def context(m: Meeting, fail: Fail) -> list[dict[str, Any]]:
    s = Written.read(m.folder / FILE, SUMMARY)
    if not s.report(fail):
        return []
    v = s.values
    title = v["title"] or [f"{m.title}会后总结"]
    author, signed = v["author"] or m.organizer, chinese.cn_date(v["date"])
    return [{
        "title": title_lines(title[0]) if len(title) == 1 else title,
        "blocks": s.blocks(placeholders(m), fail),
        "author": author,
        "signed": signed,
        "indent": signature(author, signed),
        "secrecy": m.secrecy_mark,
    }]
