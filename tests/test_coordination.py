"""会务工作协调会: the agenda page with the meeting's facts, then one 分工确认表 per working group, each on a
page of its own, read back from the PDF and checked against meeting.md read without the program's code."""

from __future__ import annotations

import re

from conftest import BARE, ROOT, SAMPLE, flat, front_matter, new_project, open_pdf, run, write_meeting


def pages(path) -> list[tuple[str, list[list[str]]]]:
    """Each page's text and its table rows (header rows left out)."""
    with open_pdf(path) as pdf:
        return [(flat(p.extract_text()), [[flat(c) for c in row] for t in p.find_tables() for row in t.extract()
                                         if flat(row[0]) not in ("序号", "项目")]) for p in pdf.pages]


def by_group(tasks: list[dict]) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for t in tasks:
        out.setdefault(t["group"], []).append(t)
    return {g: sorted(ts, key=lambda t: str(t.get("due") or "9999")) for g, ts in out.items()}


def due(text) -> str:
    y, m, d = (int(x) for x in str(text).split("-"))
    return f"{y}年{m}月{d}日前"


def test_sample_agenda_page_then_one_confirmation_page_per_group(sample_build):
    meeting = front_matter(ROOT / "content" / SAMPLE / "meeting.md")
    found = pages(sample_build / "coordination.pdf")
    groups = by_group(meeting["tasks"])
    assert len(found) == 1 + len(groups)  # the agenda on one page, each group's sheet on its own
    first, facts = found[0]
    c = meeting["coordination"]
    assert f"{meeting['title']}会务工作协调会" in first
    assert "时间：2026年11月26日（星期四）下午3:00" in first and f"地点：{c['place']}" in first
    assert flat(f"主持：{c['host']}") in first and f"参加：{'、'.join(c['attendees'])}" in first
    assert f"分工任务{len(meeting['tasks'])}项，工作组{len(groups)}个" in first
    facts_by_name = {r[0]: r[1] for r in facts if len(r) == 2}
    assert facts_by_name["会议地点"] == flat(meeting["venue"])
    assert facts_by_name["参会人数"] == "应到68人，请假7人，替会5人，拟到66人"
    assert facts_by_name["会议议程"].startswith(f"{len(meeting['agenda'])}项：")
    n = 0
    for (group, tasks), (text, rows) in zip(groups.items(), found[1:], strict=True):
        assert f"{meeting['title']}{group}分工确认表" in text and f"{group}任务{len(tasks)}项" in text
        assert [r[1:4] for r in rows] == [[flat(t["task"]), t["owner"], due(t["due"])] for t in tasks]
        assert [int(r[0]) for r in rows] == list(range(n + 1, n + len(tasks) + 1))  # numbers run on
        assert all(r[4] == "" for r in rows)  # the signature column is left to sign
        n += len(tasks)
    assert n == len(meeting["tasks"])


def test_default_agenda_and_blanks_without_a_coordination_block(tmp_path):
    root = new_project(tmp_path)
    tasks = ("tasks:\n  - {task: 印发通知, group: 会务组, owner: 孟凡}\n"
             "  - {task: 起草讲话, group: 材料组, owner: 金涛, due: \"2026-12-04\"}\n---")
    write_meeting(root, "t", BARE.replace("---\n\n", tasks + "\n\n", 1))
    result = run(root, "build", "--only", "coordination")
    assert result.returncode == 0, result.stderr
    found = pages(root / "output" / "t" / "coordination.pdf")
    first, rows = found[0]
    assert "时间：" in first and "地点：" in first and "主持：" in first  # left to fill in by hand
    assert [r[1] for r in rows if len(r) == 3] == ["通报会议方案：会议时间、地点、参会范围及人数、议程",
                                                   "各工作组逐项确认分工任务、责任人和完成时限",
                                                   "明确会场演练、会前检查的时间和要求", "研究需要协调解决的问题，提出工作要求"]
    assert "参加：会务组、材料组" in first
    assert [(r[1], r[3]) for _, rs in found[1:] for r in rs] == [("印发通知", ""), ("起草讲话", "2026年12月4日前")]


def test_a_meeting_without_tasks_gets_no_coordination_sheet(tmp_path):
    root = new_project(tmp_path)
    write_meeting(root, "t", BARE)
    result = run(root, "build", "--only", "coordination")
    assert result.returncode == 0, result.stderr
    assert "未生成 t/coordination.pdf：没有 tasks（会务分工），无从召开会务工作协调会" in result.stdout
    assert not (root / "output" / "t" / "coordination.pdf").exists()


def test_an_unknown_key_in_the_block_names_its_line(tmp_path):
    root = new_project(tmp_path)
    block = "tasks:\n  - {task: 印发通知, group: 会务组, owner: 孟凡}\ncoordination:\n  plce: 小会议室\n---"
    write_meeting(root, "t", BARE.replace("---\n\n", block + "\n\n", 1))
    result = run(root, "build")
    assert result.returncode == 1
    assert re.search(r"meeting\.md:9: .*未知的键“plce”，是不是“place”", result.stderr), result.stderr
