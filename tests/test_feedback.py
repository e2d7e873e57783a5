"""意见征集: the printable 意见征集表, the 意见建议汇总表 tallied from feedback.csv and the 总结's {意见建议}, read back
from the PDFs and recomputed from feedback.csv read without the program's code."""

from __future__ import annotations

import csv

import pytest

from conftest import BARE, ROOT, SAMPLE, new_project, pdf_tables, pdf_text, run, write_meeting

DEFAULT = ["会议组织安排", "会议材料准备", "会场布置和音响设备", "报到签到和会务服务", "食宿和交通安排"]
LEVELS = ["满意", "基本满意", "不满意"]


def sample_forms() -> list[dict[str, str]]:
    with open(ROOT / "content" / SAMPLE / "feedback.csv", encoding="utf-8-sig") as f:
        return list(csv.DictReader(f))


def test_the_form_asks_the_default_questions_with_boxes_and_room_to_write(sample_build):
    asked, write = pdf_tables(sample_build / "feedback-form.pdf")
    assert [r[1] for r in asked[1:]] == DEFAULT
    assert all(r[2] == "□满意□基本满意□不满意" for r in asked[1:])
    assert write[0] == ["对本次会议的意见和建议"] and len(write) == 9 and all(r == [""] for r in write[1:])


def test_the_summary_table_counts_each_answer(sample_build):
    forms = sample_forms()
    rating, opinions = pdf_tables(sample_build / "feedback-summary.pdf")
    assert rating[0] == ["序号", "征询事项", *LEVELS, "未答"]
    for n, (row, question) in enumerate(zip(rating[1:], DEFAULT, strict=True), start=1):
        got = [sum(1 for f in forms if f[str(n)] == level) for level in LEVELS]
        answered = sum(got)
        assert row[:2] == [str(n), question]
        assert row[2:5] == [f"{k}（{100 * k / answered:.1f}%）" for k in got]
        assert row[5] == str(sum(1 for f in forms if not f[str(n)]))
    said = [f for f in forms if f["意见建议"]]
    assert [r[1:] for r in opinions[1:]] == [[f["意见建议"], f["单位"]] for f in said]
    assert f"收回意见征集表{len(forms)}份，提出意见建议{len(said)}条" in pdf_text(sample_build / "feedback-summary.pdf")


def test_the_summary_document_states_the_tally(sample_build):
    forms = sample_forms()
    parts = []
    for n, question in enumerate(DEFAULT, start=1):
        got = [(level, sum(1 for f in forms if f[str(n)] == level)) for level in LEVELS]
        parts.append(question + "、".join(f"{level}{k}份" for level, k in got if k))
    said = sum(1 for f in forms if f["意见建议"])
    assert f"共收回意见征集表{len(forms)}份，{'；'.join(parts)}；提出意见建议{said}条" in pdf_text(sample_build / "summary.pdf")


OWN = BARE.replace("---\n\n", """feedback:
  questions:
    - {text: 会议时长是否合适, options: [合适, 偏长, 偏短]}
    - {text: 会议材料准备}
---

""", 1)


def test_own_questions_and_options(tmp_path):
    root = new_project(tmp_path)
    folder = write_meeting(root, "t", OWN)
    (folder / "feedback.csv").write_text("会议时长是否合适,第2题,意见建议,单位\n偏长,满意,时间太长,市财政局\n合适,,,\n",
                                         encoding="utf-8")
    result = run(root, "build", "--only", "feedback,opinions")
    assert result.returncode == 0, result.stderr
    asked, _ = pdf_tables(root / "output" / "t" / "feedback-form.pdf")
    assert [r[1:] for r in asked[1:]] == [["会议时长是否合适", "□合适□偏长□偏短"], ["会议材料准备", "□满意□基本满意□不满意"]]
    rating, opinions = pdf_tables(root / "output" / "t" / "feedback-summary.pdf")
    assert rating[1][1:] == ["会议时长是否合适", "合适1（50.0%），偏长1（50.0%），偏短0（0.0%）", "0"]
    assert rating[2][1:] == ["会议材料准备", "满意1（100.0%），基本满意0（0.0%），不满意0（0.0%）", "1"]
    assert opinions[1] == ["1", "时间太长", "市财政局"]


@pytest.mark.parametrize("table, said", [
    ("1,2\n合适,满意\n偏长,很好\n", "feedback.csv:3: “会议材料准备”应为 满意、基本满意、不满意 之一（或空着），收到“很好”"),
    ("1,意见建议\n合适,好\n", "feedback.csv:1: 表头缺少这些问题的列：2.会议材料准备"),
], ids=["an answer not among the options", "a missing question column"])
def test_a_mistake_in_the_table_names_its_line(tmp_path, table, said):
    root = new_project(tmp_path)
    folder = write_meeting(root, "t", OWN)
    (folder / "feedback.csv").write_text(table, encoding="utf-8")
    result = run(root, "build")
    assert result.returncode == 1
    assert said in result.stderr


def test_without_feedback_neither_is_made(tmp_path):
    root = new_project(tmp_path)
    write_meeting(root, "t", BARE)
    result = run(root, "build", "--only", "feedback,opinions")
    assert result.returncode == 0, result.stderr
    assert "未生成 t/feedback-form.pdf：没有 feedback（意见征集）" in result.stdout
    assert "未生成 t/feedback-summary.pdf：没有 feedback.csv（意见征集表回收结果）" in result.stdout
