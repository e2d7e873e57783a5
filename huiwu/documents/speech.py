"""领导讲话 (speech-<名称>.pdf): each `speech-*.md` of the meeting folder printed in the office's format for
印发 and filed with the meeting: the title in the 标题 font (2号), the date `（2026年12月8日）` in 楷体 under it,
the speaker's line, then the body in 仿宋 on the 22-line grid with page numbers as the notice's.

Front matter keys (records.speeches): title (a list of lines sets where it breaks), speaker, date — all
required. Body: paragraphs numbered 一、 （一） 1. （1） as in meeting.md, with the placeholders of the 简报
({会议名称} {会议日期} {会议地点} {到会情况}).
"""

from __future__ import annotations

from typing import Any

from .. import chinese
from ..layout.body import written_blocks
from ..layout.facts import placeholders
from ..layout.measure import title_lines
from ..problems import Fail
from ..records import Meeting
from ..records.speeches import PATTERN, output
from ..records.written import Written
from ..render import Stash


def skip(m: Meeting) -> str | None:
    return None if m.speeches else f"没有 {PATTERN}（领导讲话）"


def valid(m: Meeting) -> list[Written]:
    return [s for s in m.speeches if not s.problems]


def speech(m: Meeting, s: Written, fail: Fail) -> dict[str, Any]:
    v = s.values
    blocks = written_blocks(s, placeholders(m), fail)
    return {
        "title": title_lines(v["title"][0]) if len(v["title"]) == 1 else v["title"],
        "dated": f"（{chinese.cn_date(v['date'])}）",
        "speaker": v["speaker"],
        "blocks": blocks,
        "salutation": bool(blocks) and salutation(blocks[0].lead + blocks[0].rest),
    }


def salutation(text: str) -> bool:
    """`同志们：` opening the speech: set flush left (顶格), as a notice's 主送."""
    return text.endswith(("：", ":")) and len(text) <= 12


def context(m: Meeting, fail: Fail) -> list[dict[str, Any]]:
    return [speech(m, s, fail) for s in valid(m)]


def finish(m: Meeting, pdfs: list[bytes], stash: Stash) -> list[tuple[str, bytes]]:
    """One file per speech, named after its source: speech-zhou.md → speech-zhou.pdf."""
    return [(output(s), pdf) for s, pdf in zip(valid(m), pdfs, strict=True)]
