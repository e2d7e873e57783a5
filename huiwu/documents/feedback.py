"""意见征集 ("尤其要注意收集整理参会人员对会议的意见、建议"): the printable 意见征集表 (feedback-form.pdf) with the
questions of meeting.md's `feedback` (else the default five) and room to write, and, once the forms handed back
are keyed in as feedback.csv, the 意见建议汇总表 (feedback-summary.pdf) and the 总结's {意见建议}."""

from __future__ import annotations

from typing import Any

from ..layout.forms import Col, form, table, time_place
from ..problems import Fail
from ..records import Meeting
from ..records.feedback import STEM, Reply, counts, questions

BOX = "□"
ASK = [Col("序号", 13), Col("征询事项", 60, "left"), Col("评价（请在相应的□内打√）", 107, "left")]
WRITE_ROWS = 8  # ruled lines to write the 意见和建议 on


def form_skip(m: Meeting) -> str | None:
    if m.feedback is not None or m.replies is not None:
        return None
    return "没有 feedback（意见征集）：在 meeting.md 中写 feedback: {} 即用默认的五项征询事项"


def form_context(m: Meeting, fail: Fail) -> list[dict[str, Any]]:
    rows = [[n, q.text, "　　".join(f"{BOX}{o}" for o in q.options)] for n, q in enumerate(questions(m), start=1)]
    write = table([Col("对本次会议的意见和建议", 180, "left")], [[""] for _ in range(WRITE_ROWS)],
                  heading="二、意见和建议")
    lead = ["为改进会务工作，请您对本次会议的组织和服务提出意见建议。本表可不署名，填好后请交会务工作人员。",
            "单位（可不填）：＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿"]
    return [form(f"{m.title}意见征集表", time_place(m),
                 [table(ASK, rows, heading="一、满意度评价", sign=False), write], lead=lead)]


def summary_skip(m: Meeting) -> str | None:
    if m.replies is None:
        return f"没有 {STEM}.csv（意见征集表回收结果）"
    return None if m.replies else f"{STEM}.csv 中没有填写内容的意见征集表"


def share(n: int, of: int) -> str:
    return f"{n}（{100 * n / of:.1f}%）" if of else str(n)


def rating_table(m: Meeting, replies: list[Reply]) -> dict:
    """One column per option when every question has the same options (the default), else one text column."""
    asked = questions(m)
    options = asked[0].options
    same = all(q.options == options for q in asked)
    rows = []
    for k, q in enumerate(asked):
        got, blank = counts(q, k, replies)
        answered = sum(got)
        cells = [share(n, answered) for n in got] if same else \
            ["，".join(f"{o}{share(n, answered)}" for o, n in zip(q.options, got, strict=True))]
        rows.append([k + 1, q.text, *cells, blank])
    cols = [Col("序号", 13), Col("征询事项", 55, "left")]
    cols += [Col(o, 30) for o in options] if same else [Col("评价（份数及占比）", 90, "left")]
    return table(cols + [Col("未答", 16)], rows, heading="一、满意度评价（份数及占作答份数的比例）", sign=False)


def opinions_table(replies: list[Reply]) -> dict:
    said = [r for r in replies if r.text]
    rows = [[n, r.text, r.unit] for n, r in enumerate(said, start=1)]
    return table([Col("序号", 13), Col("意见建议", 127, "left"), Col("单位", 40, "left")], rows,
                 heading=f"二、意见建议（{len(said)} 条）", sign=False)


def summary_context(m: Meeting, fail: Fail) -> list[dict[str, Any]]:
    replies = m.replies or []
    lead = [f"收回意见征集表 {len(replies)} 份，提出意见建议 {sum(1 for r in replies if r.text)} 条"]
    return [form(f"{m.title}意见建议汇总表", time_place(m), [rating_table(m, replies), opinions_table(replies)],
                 lead=lead)]

