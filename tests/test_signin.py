"""签到表: everyone who attends, in protocol order, with room to sign."""

from __future__ import annotations

import csv
import re

import pytest

from conftest import ROOT, SAMPLE, mm, new_project, open_pdf, run, write_meeting

HEAD = """---
title: 测试会议
organizer: 青川市人民政府办公室
start: "2026-12-08 09:00"
venue: 青川市行政中心1号楼3楼第一会议室
"""


def table_rows(pdf) -> list[tuple[str, str]]:
    """(序号, 姓名) of each numbered row of the ruled table on each page in order (section lines and the blank
    rows for walk-ins left out); a stand-in's name reads `李明（代黄永强）`."""
    rows = []
    for page in pdf.pages:
        for table in page.extract_tables():
            assert table[0][:2] == ["序号", "姓名"]
            rows.extend((r[0], r[1].replace("\n", "").replace(" ", "　")) for r in table[1:] if (r[0] or "").isdigit())
    return rows


def test_one_row_per_attendee_expected_stand_ins_in_their_principals_place(sample_build):
    with open(ROOT / "content" / SAMPLE / "attendees.csv", encoding="utf-8-sig") as f:
        listed = [r for r in csv.DictReader(f) if r["类别"] not in ("工作人员", "媒体")]
    expected = [r["姓名"] for r in listed if r["状态"] != "请假"]
    stand_ins = [f"{r['替会人员'].split('（')[0]}（代{r['姓名']}）" for r in listed if r["状态"] == "请假" and r["替会人员"]]
    with open_pdf(sample_build / "signin.pdf") as pdf:
        rows = table_rows(pdf)
        text = "".join(p.extract_text() for p in pdf.pages)
    assert [int(n) for n, _ in rows] == list(range(1, len(expected) + len(stand_ins) + 1))
    names = [name.replace("　", "") for _, name in rows]
    assert sorted(names) == sorted(expected + stand_ins)
    assert len(stand_ins) == 5 and names.index("李明（代黄永强）") == names.index("杨喆") + 1  # the principal's place
    assert names[6] == "刘国强（代韩立新）"  # a rostrum leader's stand-in heads the 出席 section
    sections = re.findall(r"[一二三四五]、(\S+?)（(\d+)人）", text)
    assert sections == [("主席台", "6"), ("出席", "46"), ("列席", "14")]
    assert "四、临时参会人员（名单外，请写明姓名、单位及职务）" in text.replace(" ", "")


def test_form_frame_on_every_page(sample_build):
    with open_pdf(sample_build / "signin.pdf") as pdf:
        total = len(pdf.pages)
        assert total > 1
        for number, page in enumerate(pdf.pages, start=1):
            assert (round(mm(page.width)), round(mm(page.height))) == (210, 297)
            text = page.extract_text()
            assert text.count("序号") == 1 and "签名" in text  # header row repeated
            assert f"第{number}页 共{total}页" in text
        first = pdf.pages[0].extract_text().replace(" ", "　")
        assert "2026年全市经济工作会议参会人员签到表" in first
        assert "时间：2026年12月8日（星期二）上午9:00—11:30　地点：青川市行政中心1号楼3楼第一会议室" in first


def test_signature_rows_are_at_least_10mm_high(sample_build):
    with open_pdf(sample_build / "signin.pdf") as pdf:
        for page in pdf.pages:
            (table,) = page.find_tables()
            cells = table.extract()
            heights = [mm(row.bbox[3] - row.bbox[1]) for row, cells in zip(table.rows[1:], cells[1:], strict=True)
                       if "、" not in (cells[0] or "")]  # section lines are not signed on
            assert heights and min(heights) >= 10


PEOPLE = """姓名,单位,职务,类别,排序,状态
田大利,市财政局,局长,出席,20,参会
王一平,市财政局,副局长,出席,20,参会
田富,市统计局,局长,出席,20,参会
王芳,市统计局,副局长,出席,20,参会
丁一,市商务局,局长,出席,20,参会
李请假,市商务局,副局长,出席,20,请假
周长,市政府,市长,主席台,1,参会
赵列,市人大,主任,列席,1,参会
"""


@pytest.mark.parametrize("method, order", [
    ("姓氏笔画", ["周　长", "丁　一", "王　芳", "王一平", "田　富", "田大利", "赵　列"]),
    ("姓名笔画", ["周　长", "丁　一", "王一平", "王　芳", "田大利", "田　富", "赵　列"]),
])
def test_order_by_role_rank_then_strokes(tmp_path, method, order):
    root = new_project(tmp_path, sample=False)
    write_meeting(root, "t", HEAD + f"name_order: {method}\n---\n\n正文。\n", attendees=PEOPLE)
    result = run(root, "build", "--only", "signin")
    assert result.returncode == 0, result.stderr
    with open_pdf(root / "output" / "t" / "signin.pdf") as pdf:
        assert [name for _, name in table_rows(pdf)] == order
