"""意见征集: the questions the 意见征集表 asks (meeting.md `feedback`, else a default set) and the forms handed
back, keyed in as feedback.csv or feedback.xlsx: one row per form, one column per question (headed by the
question's text or its number: 1, 第1题), the free text under 意见建议, and 单位 where the form gives one."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..problems import Fail
from ..tables import load_table, source_table
from .meeting import Listed

STEM = "feedback"
LEVELS = ("满意", "基本满意", "不满意")
DEFAULT = ("会议组织安排", "会议材料准备", "会场布置和音响设备", "报到签到和会务服务", "食宿和交通安排")
FREE = ("意见建议", "其他意见和建议", "对本次会议的意见和建议", "suggestion")
UNIT = ("单位", "unit")
NUMBER = re.compile(r"^(?:第|题)?(\d{1,3})题?$")


@dataclass(frozen=True)
class Question:
    text: str
    options: tuple[str, ...]


@dataclass(frozen=True)
class Reply:
    """One form handed back: the option ticked for each question ("" left blank), its free text, its unit."""

    line: int
    answers: tuple[str, ...]
    text: str
    unit: str


def questions(m: Listed) -> list[Question]:
    given = (m.feedback or {}).get("questions") or []
    if not given:
        return [Question(t, LEVELS) for t in DEFAULT]
    return [Question(q["text"], tuple(q["options"]) or LEVELS) for q in given]


def replies(m: Listed, fail: Fail) -> list[Reply] | None:
    """The forms handed back, each checked against the questions; None: no table yet."""
    path = source_table(m.folder, STEM, fail)
    t = None if path is None else load_table(path, fail)
    if path is None or t is None:
        return None
    asked = questions(m)
    where = _columns(t.header, asked)
    missing = [f"{n}.{q.text}" for n, q in enumerate(asked, start=1) if n - 1 not in where]
    if missing:
        fail(t.header_line, f"表头缺少这些问题的列：{'、'.join(missing)}（列名写问题原文或题号，如 1、第1题）", path)
        return []
    free, unit = _find(t.header, FREE), _find(t.header, UNIT)
    out = []
    for line, cells in t.rows:
        def cell(i: int | None, cells: list[str] = cells) -> str:
            return cells[i].strip() if i is not None and i < len(cells) else ""

        answers = tuple(cell(where[k]) for k in range(len(asked)))
        for q, a in zip(asked, answers, strict=True):
            if a and a not in q.options:
                fail(line, f"“{q.text}”应为 {'、'.join(q.options)} 之一（或空着），收到“{a}”", path)
        if any(answers) or cell(free):
            out.append(Reply(line, answers, cell(free), cell(unit)))
    return out


def counts(q: Question, k: int, replies: list[Reply]) -> tuple[list[int], int]:
    """How many forms ticked each option of question `k`, and how many left it blank."""
    got = [r.answers[k] for r in replies]
    return [got.count(o) for o in q.options], got.count("")


def _columns(header: list[str], asked: list[Question]) -> dict[int, int]:
    """Question index → column: by the question's text or its number."""
    found: dict[int, int] = {}
    texts = {q.text: k for k, q in enumerate(asked)}
    for i, h in enumerate(header):
        name = h.strip()
        number = NUMBER.match(name)
        k = texts.get(name, int(number[1]) - 1 if number else None)
        if k is not None and 0 <= k < len(asked) and k not in found:
            found[k] = i
    return found


def _find(header: list[str], names: tuple[str, ...]) -> int | None:
    return next((i for i, h in enumerate(header) if h.strip().lower() in names), None)
