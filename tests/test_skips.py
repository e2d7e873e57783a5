"""A meeting with only the required keys gets the notice and the checklist, and for every
other document one line saying why it was not made — never an empty form."""

from __future__ import annotations

import pytest

from conftest import BARE, TODAY, new_project, run, write_meeting
from huiwu.kinds import KINDS

SKIPPED = {
    "signin.pdf": "没有参会人员名单（attendees.csv 或 attendees.xlsx）",
    "plan.pdf": "会议方案需要 purpose（会议目的）或 tasks（会务分工）",
    "notice-receipts.pdf": "没有主送机关（recipients）也没有参会人员名单，无从列出收文单位",
    "coordination.pdf": "没有 tasks（会务分工），无从召开会务工作协调会",
    "leave-list.pdf": "没有参会人员名单（attendees.csv 或 attendees.xlsx）",
    "handbook.pdf": "会议须知需要 rules（会议纪律）、schedule（日程）",
    "vehicles.pdf": "没有 vehicles（车辆）",
    "materials-register.pdf": "没有 materials（会议材料）",
    "materials/": "没有附 PDF 文件（file）的涉密或需收回材料",
    "rostrum-materials.pdf": "座次中主席台没有人（venue.yaml 的 rostrum，名单中类别为主席台的人员）",
    "seatmap.pdf": "没有座次（venue.yaml 或 meeting.md 中的 seating）",
    "table-cards.pdf": "没有座次（venue.yaml 或 meeting.md 中的 seating）",
    "badges.pdf": "没有参会人员名单（attendees.csv 或 attendees.xlsx）",
    "equipment.pdf": "没有 equipment（会场设备：话筒、投影、录音录像、试音）",
    "signs.pdf": "没有 signs（引导牌）",
    "reminders.ics": "没有 reminders（领导提醒）",
    "attendance.pdf": "没有参会人员名单（attendees.csv 或 attendees.xlsx）",
    "minutes.pdf": "没有 minutes.md（会议纪要）",
    "followups.pdf": "没有 minutes.md（会议纪要）",
    "recollection.pdf": "没有会后收回的材料（materials 中 recollect: true 的材料）",
    "returns.pdf": "没有参会人员名单（attendees.csv 或 attendees.xlsx）",
    "stays.pdf": "没有参会人员名单（attendees.csv 或 attendees.xlsx）",
    "briefing-<期号>.pdf": "没有 briefing-*.md（会议简报）",
    "feedback-form.pdf": "没有 feedback（意见征集）：在 meeting.md 中写 feedback: {} 即用默认的五项征询事项",
    "feedback-summary.pdf": "没有 feedback.csv（意见征集表回收结果）",
    "speech-<名称>.pdf": "没有 speech-*.md（领导讲话）",
    "summary.pdf": "没有 summary.md（会后总结）",
    "plan-review.pdf": "会议方案需要 purpose（会议目的）或 tasks（会务分工）",
    "archive/": "会议尚未结束，也没有 minutes.md（会议纪要）：会后再归档",
}


@pytest.fixture(scope="module")
def bare(tmp_path_factory):
    root = new_project(tmp_path_factory.mktemp("bare"), sample=False)
    write_meeting(root, "t", BARE)
    result = run(root, "build", env={"HUIWU_TODAY": TODAY})  # before the meeting: not yet archived
    assert result.returncode == 0, result.stderr
    return root / "output" / "t", result.stdout


ALWAYS = ("notice", "tasks")  # made for every meeting
OUTPUTS = [k.output for k in KINDS if k.key not in ALWAYS]  # every other kind, as the registry lists them


@pytest.mark.parametrize("output", OUTPUTS)
def test_missing_data_skips_the_document_and_says_why(bare, output):
    out, stdout = bare
    if output in SKIPPED:
        assert f"未生成 t/{output}：{SKIPPED[output]}" in stdout
    else:  # a kind added since: it must still say why, in a line of its own
        assert any(line.startswith(f"  未生成 t/{output}：") and len(line) > len(output) + 12
                   for line in stdout.splitlines())
    assert not (out / output).exists()


def test_the_expected_reasons_name_only_registered_kinds():
    assert set(SKIPPED) <= set(OUTPUTS)


def test_the_notice_and_the_checklist_are_always_made(bare):
    out, stdout = bare
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == ["notice.pdf", "tasks.pdf"]
    assert stdout.strip().split("\n")[-1].startswith("完成：写出 2 个文件（共 ") and f"{len(OUTPUTS)} 个文档" in stdout
