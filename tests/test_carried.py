"""督办事项 carried forward: the second sample meeting `follows` the first and lists its open items."""

from __future__ import annotations

import shutil

import pytest
import yaml
from test_minutes import table_rows

from conftest import ROOT, SAMPLE, TODAY, copy_project, new_project, open_pdf, run, write_meeting

LATER = "2027-01-diaodu"


def decisions() -> list[dict]:
    text = (ROOT / "content" / SAMPLE / "minutes.md").read_text(encoding="utf-8")
    return yaml.safe_load(text.split("---")[1])["decisions"]


@pytest.fixture(scope="module")
def pair(tmp_path_factory, sample_build):
    """The sample (a copy of the session build) and the meeting that follows it, built as of TODAY; tests that
    edit or add meetings work on a copy."""
    root = copy_project(sample_build.parents[1], tmp_path_factory.mktemp("pair"))
    shutil.copytree(ROOT / "content" / LATER, root / "content" / LATER)
    result = run(root, "build", env={"HUIWU_TODAY": TODAY})
    assert result.returncode == 0, result.stderr
    return root


def test_the_later_meeting_lists_the_open_items_of_the_earlier_one(pair):
    open_items = [(n, d) for n, d in enumerate(decisions(), start=1) if d.get("status", "推进中") != "已办结"]
    assert 0 < len(open_items) < len(decisions())  # the sample has done and open items
    with open_pdf(pair / "output" / LATER / "followups.pdf") as pdf:
        rows = table_rows(pdf)
        text = pdf.pages[0].extract_text()
    assert "前次会议转入的未办结事项" in text
    assert f"含前次会议转入未办结事项 {len(open_items)} 项" in text
    assert [r[1] for r in rows] == [f"《2026年全市经济工作会议纪要》第1期第{n}条：{d['text']}" for n, d in open_items]
    assert [r[2] for r in rows] == [d["lead_unit"] for _, d in open_items]
    assert all(r[7] != "已办结" for r in rows)
    # built on TODAY (2026-12-01), it cites its own 纪要 of 2027-01-13: counted as of that day, so the
    # carried items due in December are late
    assert "逾期按2027年1月13日计" in text.replace("\n", "")
    assert [r[8] for r in rows][:2] == ["逾期29天", "逾期13天"]


def test_the_later_handbook_reports_the_open_items(pair):
    with open_pdf(pair / "output" / LATER / "handbook-a5.pdf") as pdf:
        text = "".join((p.extract_text() or "") for p in pdf.pages).replace("\n", "")
        rows = [r for r in table_rows(pdf) if "纪要》第" in r[1]]
    assert "前次会议议定事项落实情况" in text
    open_items = [(n, d) for n, d in enumerate(decisions(), start=1) if d.get("status") != "已办结"]
    assert [r[1] for r in rows] == [f"《2026年全市经济工作会议纪要》第1期第{n}条：{d['text']}" for n, d in open_items]
    assert [r[4] for r in rows] == [d.get("progress") or d["status"] for _, d in open_items]


def test_an_item_marked_done_upstream_leaves_the_later_lists(tmp_path, pair):
    root = copy_project(pair, tmp_path)
    assert run(root, "build", env={"HUIWU_TODAY": TODAY}).returncode == 0
    minutes = root / "content" / SAMPLE / "minutes.md"
    text = minutes.read_text(encoding="utf-8")
    minutes.write_text(text.replace("status: 推进中", "status: 已办结", 1), encoding="utf-8")
    result = run(root, "build", env={"HUIWU_TODAY": TODAY})
    assert result.returncode == 0, result.stderr
    assert f"{LATER}  督办事项清单" in result.stdout  # the later meeting was rebuilt for an upstream edit
    with open_pdf(root / "output" / LATER / "followups.pdf") as pdf:
        cites = [r[1].split("：")[0] for r in table_rows(pdf)]
    assert "《2026年全市经济工作会议纪要》第1期第1条" not in cites
    assert "《2026年全市经济工作会议纪要》第1期第2条" in cites


def test_items_travel_down_a_chain_of_meetings(tmp_path, pair):
    root = copy_project(pair, tmp_path)
    md = (ROOT / "content" / LATER / "meeting.md").read_text(encoding="utf-8")
    third = md.replace("follows: 2026-12-jingji", f"follows: {LATER}").replace("2027-01-12", "2027-02-10")
    write_meeting(root, "2027-02-diaodu", third)
    shutil.copy(ROOT / "content" / LATER / "attendees.csv", root / "content" / "2027-02-diaodu")
    assert run(root, "build", "--only", "followups", env={"HUIWU_TODAY": TODAY}).returncode == 0
    with open_pdf(root / "output" / "2027-02-diaodu" / "followups.pdf") as pdf:
        rows = table_rows(pdf)
    assert len(rows) == sum(1 for d in decisions() if d.get("status") != "已办结")


@pytest.mark.parametrize("follows, message", [
    ("2026-13-nowhere", "follows: content/ 下没有会议“2026-13-nowhere”（应写前次会议的文件夹名）"),
    ("later", "follows: 会议接续关系成环（later → … → later）"),
])
def test_a_wrong_follows_is_an_error_at_its_line(tmp_path, follows, message):
    root = new_project(tmp_path, sample=False)
    md = (ROOT / "content" / LATER / "meeting.md").read_text(encoding="utf-8")
    folder = write_meeting(root, "later", md.replace("follows: 2026-12-jingji", f"follows: {follows}"))
    shutil.copy(ROOT / "content" / LATER / "attendees.csv", folder)
    line = md.split("\n").index("follows: 2026-12-jingji") + 1
    result = run(root, "build")
    assert result.returncode == 1
    assert f"content/later/meeting.md:{line}: {message}" in result.stderr
    assert not (root / "output" / "later").exists()
