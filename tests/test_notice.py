"""会议通知: GB/T 9704 geometry and content, read back from the PDF."""

from __future__ import annotations

import re

import pytest
from pypdf import PdfReader

from conftest import BARE, ROOT, lines_of, mm, new_project, open_pdf, run, write_meeting

A4 = (210, 297)
BODY_PT = 16  # 3号


@pytest.fixture(scope="module")
def notice(sample_build):
    with open_pdf(sample_build / "notice.pdf") as pdf:
        yield pdf


def test_every_page_is_a4(notice):
    for page in notice.pages:
        assert (round(mm(page.width)), round(mm(page.height))) == A4


def full_pages(notice):
    return [p for p in notice.pages if len(lines_of(p, BODY_PT)) >= 22]


@pytest.fixture(scope="module")
def long_notice(tmp_path_factory):
    """A notice of plain paragraphs long enough to fill its pages: no heading or short paragraph
    to keep with the next page leaves a line of a page empty."""
    root = new_project(tmp_path_factory.mktemp("long"))
    para = "为全面总结本年度经济工作，分析当前经济形势，研究部署下一年度经济工作，现将有关事项通知如下。" * 3
    write_meeting(root, "long", BARE.replace("正文。", "\n\n".join([para] * 12)))
    assert run(root, "build", "--only", "notice").returncode == 0
    with open_pdf(root / "output" / "long" / "notice.pdf") as pdf:
        yield pdf


def body_font_metrics() -> tuple[float, float]:
    """hhea ascent and descent (in em) of the font serving the 正文 role."""
    from fontTools.ttLib import TTFont

    from huiwu import fonts

    face = next(r for r in fonts.resolve(ROOT / "fonts") if r.role.key == "body").primary
    font = TTFont(face.file, fontNumber=face.index, lazy=True)
    upm = font["head"].unitsPerEm
    return font["hhea"].ascent / upm, -font["hhea"].descent / upm


def test_a_full_page_holds_22_body_lines_in_the_text_block(long_notice):
    """The 版心 read back from the PDF: baselines give the line pitch, and the font's
    metrics give where each line box starts (how CSS and Word lay a line out)."""
    ascent, descent = body_font_metrics()
    pages = full_pages(long_notice)
    assert len(pages) >= 2, "the long notice should fill its middle pages"
    for page in pages:
        rows = sorted({round(mm(page.height - c["matrix"][5]), 2) for c in page.chars if abs(c["size"] - BODY_PT) < 0.3})
        assert len(rows) == 22
        pitch = (rows[-1] - rows[0]) / 21
        size = mm(BODY_PT)
        first_line_top = rows[0] - ((pitch - (ascent + descent) * size) / 2 + ascent * size)
        assert first_line_top == pytest.approx(37, abs=1)
        assert first_line_top + 22 * pitch == pytest.approx(262, abs=1)
        assert all(abs(b - a - pitch) < 0.1 for a, b in zip(rows, rows[1:], strict=False))  # an even grid


def test_text_block_left_and_right_edges(long_notice):
    page = full_pages(long_notice)[0]
    full = [ln for ln in lines_of(page, BODY_PT) if len(ln[1]) >= 26]
    assert full
    assert min(ln[2] for ln in full) == pytest.approx(28, abs=1)
    assert max(ln[3] for ln in full) == pytest.approx(184, abs=1)
    assert max(len(ln[1]) for ln in lines_of(page, BODY_PT)) <= 30  # 28 characters a line (ASCII is narrower)


def test_page_numbers_alternate_sides(notice):
    for number, page in enumerate(notice.pages, start=1):
        marks = [ln for ln in lines_of(page, 14) if re.fullmatch(r"— \d+ —", ln[1])]
        assert [ln[1] for ln in marks] == [f"— {number} —"]
        top, _, x0, x1 = marks[0]
        assert top == pytest.approx(269, abs=1)
        if number % 2:
            assert x1 == pytest.approx(184 - 4.94, abs=1)  # right, 空一字 of 4号
        else:
            assert x0 == pytest.approx(28 + 4.94, abs=1)


def test_issuer_mark_red_rule_and_title(notice):
    page = notice.pages[0]
    red = [c for c in page.chars if c["non_stroking_color"] in ((1, 0, 0), [1, 0, 0], (1.0, 0.0, 0.0))]
    assert "".join(c["text"] for c in red) == "青川市人民政府办公室"
    assert mm(min(c["top"] for c in red)) == pytest.approx(72, abs=1)
    rules = [r for r in page.rects if r["non_stroking_color"] in ((1, 0, 0), [1, 0, 0], (1.0, 0.0, 0.0))]
    assert len(rules) == 1
    assert mm(rules[0]["width"]) == pytest.approx(156, abs=1)
    text = page.extract_text()
    assert "青政办函〔2026〕87号" in text
    assert "关于召开2026年全市经济工作会议的通知" in text
    assert "各区（县）人民政府，市政府各部门，各有关单位：" in text


def test_date_line_is_computed_from_start(notice):
    text = "".join(p.extract_text() for p in notice.pages).replace("\n", "")
    assert "2026年12月8日（星期二）上午9:00—11:30，会期半天。" in text
    assert "参会人员请于2026年12月8日（星期二）上午8:30前到青川市行政中心1号楼1楼大厅报到。" in text
    assert "请各单位于2026年12月4日（星期五）下午5:00前" in text
    assert "{" not in text


def test_heading_levels_use_their_fonts(notice):
    def font_of(word):
        for page in notice.pages:
            text = "".join(c["text"] for c in page.chars)
            i = text.find(word)
            if i >= 0:
                return page.chars[i]["fontname"]
        raise AssertionError(word)

    assert "Sans" in font_of("一、会议时间")  # 黑体 role
    assert "WenKai" in font_of("（三）会议纪律")  # 楷体 role: the open 楷体 closest to the 正文 in size
    assert "Serif" in font_of("为全面总结")  # 仿宋 role


def test_signature_date_attachment_and_imprint(notice):
    last = notice.pages[-1]
    text = "".join(p.extract_text() for p in notice.pages)
    assert "附件：2026年全市经济工作会议回执" in text
    assert re.search(r"青川市人民政府办公室\n2026年12月1日\n", text)
    assert "附件" in last.extract_text().split("\n")[0]
    (reply,) = [t for t in last.find_tables() if t.extract()[0][0] == "单位"]
    assert reply.extract()[0] == ["单位", "姓名", "职务", "手机", "是否参会", "请假原因", "代会人员", "备注"]
    body = text.replace("\n", "")
    assert "在回执中注明请假原因及代会人员" in body  # what the body asks for has its column
    assert mm(reply.bbox[2] - reply.bbox[0]) == pytest.approx(156, abs=0.5)  # within the 版心
    imprint = lines_of(last, 14)
    assert any(ln[1].startswith("抄送：市委办公室") and ln[1].endswith("。") for ln in imprint)
    assert any("2026年12月1日印发" in ln[1] for ln in imprint)
    black = [r for r in last.rects if mm(r["width"]) > 150 and r["non_stroking_color"] == (0.0, 0.0, 0.0)]
    assert max(mm(r["bottom"]) for r in black) == pytest.approx(262, abs=0.5)


def test_fonts_are_embedded(sample_build):
    for name in ("notice.pdf", "signin.pdf"):
        reader = PdfReader(sample_build / name)
        for page in reader.pages:
            for font in page["/Resources"]["/Font"].values():
                font = font.get_object()
                descendants = font.get("/DescendantFonts")
                descriptor = (descendants[0].get_object() if descendants else font)["/FontDescriptor"]
                assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")), font["/BaseFont"]


SECRET = """---
title: 2026年全市安全生产形势分析会议
organizer: 青川市人民政府办公室
doc_number: 青政办函〔2026〕90号
classification: 机密
secrecy_term: 1年
copies: 3
start: "2026-12-10 15:00"
venue: 青川市行政中心1号楼5楼第二会议室
channels: [书面]
---

经市政府研究，决定召开会议。会议时间：{会议时间}。
"""


def test_classified_notice_numbers_each_copy(tmp_path):
    from conftest import new_project, run, write_meeting

    root = new_project(tmp_path, sample=False)
    write_meeting(root, "s", SECRET)
    assert run(root, "build", "--only", "notice").returncode == 0
    with open_pdf(root / "output" / "s" / "notice.pdf") as pdf:
        firsts = [p for p in pdf.pages if "附件" not in p.extract_text().split("\n")[0]]
        assert len(pdf.pages) % 2 == 0
        numbers = []
        for page in firsts:
            top_lines = lines_of(page, BODY_PT)[:2]
            numbers.append(top_lines[0][1])
            assert top_lines[0][2] == pytest.approx(28, abs=0.5)  # flush left
            assert 37 <= top_lines[0][0] <= 37 + 10.2  # first grid line
            assert top_lines[1][1] == "机密★1年"
            assert "Sans" in next(c for c in page.chars if c["text"] == "机")["fontname"]  # 黑体
        assert numbers == ["000001", "000002", "000003"]
    first = (root / "output" / "s" / "notice.pdf").read_bytes()
    assert run(root, "build", "--only", "notice", "--force").returncode == 0
    assert (root / "output" / "s" / "notice.pdf").read_bytes() == first  # joined copies are reproducible too
