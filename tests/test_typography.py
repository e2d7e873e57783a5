"""Typography that shows on paper, read back from the PDFs: no 背题, dates kept whole, the 落款 with
body text on its page, the 成文日期 and red rule where GB/T 9704 puts them."""

from __future__ import annotations

import re
import shutil

import pytest

from conftest import ROOT, lines_of, mm, new_project, open_pdf, run

BODY_PT = 16
ZI = mm(BODY_PT)  # one 字 of 3号
HEADING = re.compile(r"（?[一二三四五六七八九十]+[、）][^。，；]{0,26}")
DATED = re.compile(r"\d{1,2}月\d{1,2}日（星期[一二三四五六日天]）")


@pytest.fixture(scope="module")
def diaodu(tmp_path_factory):
    """The 2027-01 sample notice, whose body ends near a page foot (and its 签收表, whose table fills page 1)."""
    root = new_project(tmp_path_factory.mktemp("diaodu"), sample=True)
    shutil.copytree(ROOT / "content" / "2027-01-diaodu", root / "content" / "2027-01-diaodu")
    result = run(root, "build", "--only", "notice,receipts", env={"HUIWU_TODAY": "2026-12-01"})
    assert result.returncode == 0, result.stderr
    return root / "output" / "2027-01-diaodu" / "notice.pdf"


def body_lines(page):
    """The 3号 lines inside the 版心 (not the page number, not the 版记)."""
    return [ln for ln in lines_of(page, BODY_PT) if ln[0] < 262]


def documents(sample_build, diaodu):
    return [sample_build / "notice.pdf", sample_build / "minutes.pdf", sample_build / "summary.pdf", diaodu]


def test_no_page_ends_with_a_heading(sample_build, diaodu):
    checked = 0
    for path in documents(sample_build, diaodu):
        with open_pdf(path) as pdf:
            for number, page in enumerate(pdf.pages[:-1], start=1):
                lines = body_lines(page)
                if lines:
                    checked += 1
                    assert not HEADING.fullmatch(lines[-1][1]), f"{path.name} p{number}: {lines[-1][1]}"
    assert checked >= 8


def test_a_date_and_its_weekday_stay_on_one_line(sample_build, diaodu):
    for path in (sample_build / "notice.pdf", diaodu):
        with open_pdf(path) as pdf:
            lines = [ln[1] for page in pdf.pages for ln in body_lines(page)]
        whole = len(DATED.findall("".join(lines)))
        assert whole, path.name
        assert sum(len(DATED.findall(line)) for line in lines) == whole, path.name


def test_the_signature_page_carries_body_text(diaodu):
    with open_pdf(diaodu) as pdf:
        page = next(p for p in pdf.pages if any(ln[1] == "2027年1月5日" for ln in body_lines(p)))
        texts = [ln[1] for ln in body_lines(page)]
    note = next(i for i, t in enumerate(texts) if t.startswith("附件："))
    assert note >= 1, texts  # the 附件说明 and 落款 do not stand alone
    assert "联系人：孟凡" in "".join(texts[:note])


@pytest.mark.parametrize("name", ["notice", "diaodu"])
def test_date_starts_two_zi_right_of_the_signer(sample_build, diaodu, name):
    path = sample_build / "notice.pdf" if name == "notice" else diaodu
    with open_pdf(path) as pdf:
        lines = [ln for p in pdf.pages for ln in body_lines(p)]
    signer = next(i for i, ln in enumerate(lines) if ln[1] == "青川市人民政府办公室")
    date = lines[signer + 1]
    assert re.fullmatch(r"\d{4}年\d{1,2}月\d{1,2}日", date[1])
    assert date[2] - lines[signer][2] == pytest.approx(2 * ZI, abs=0.3)  # 成文日期 2 字 right of the 署名
    assert 184 - lines[signer][3] == pytest.approx(2 * ZI, abs=0.3)  # 署名 右空二字


def test_red_rule_is_4mm_below_the_document_number(sample_build):
    with open_pdf(sample_build / "notice.pdf") as pdf:
        page = pdf.pages[0]
        rule = next(r for r in page.rects if r["non_stroking_color"] in ((1, 0, 0), [1, 0, 0]))
        docno = [c for c in page.chars if "〔" in "".join(ch["text"] for ch in page.chars
                                                          if abs(ch["top"] - c["top"]) < 1)]
        assert "".join(c["text"] for c in docno) == "青政办函〔2026〕87号"
        assert mm(rule["top"] - max(c["bottom"] for c in docno)) == pytest.approx(4, abs=0.3)


FORMS = ["signin.pdf", "vehicles.pdf", "plan.pdf", "tasks.pdf", "notice-receipts.pdf", "followups.pdf",
         "materials-register.pdf", "leave-list.pdf"]


def cells(path):
    with open_pdf(path) as pdf:
        for page in pdf.pages:
            for t in page.extract_tables():
                yield from (c for row in t for c in row if c)


@pytest.mark.parametrize("name", FORMS)
def test_table_cells_break_only_between_words(sample_build, name):
    from huiwu.layout.measure import words

    wrapped = 0
    for text in cells(sample_build / name):
        parts = text.split("\n")
        if len(parts) < 2 or " " in text:  # a space is a seam of its own, and not drawn at a line's end
            continue
        wrapped += 1
        pieces = words("".join(parts))
        seams = {sum(len(w) for w in pieces[:i]) for i in range(1, len(pieces))}
        ends = {sum(len(p) for p in parts[:i]) for i in range(1, len(parts))}
        assert ends <= seams, parts
        assert not any(re.search(r"(董事|改革|\d+月\d+|\d:\d\d—)$", p) for p in parts[:-1]), parts
    if name == "signin.pdf":
        assert wrapped  # long unit names do wrap, between words


def test_plan_schedule_merges_the_days_date_and_keeps_times_whole(sample_build):
    with open_pdf(sample_build / "plan.pdf") as pdf:
        table = next(t for p in pdf.pages for t in p.extract_tables() if t[0][:2] == ["日期", "时间"])
    assert [r[1] for r in table[1:]] == ["8:30—9:00", "9:00—11:30", "11:40"]
    assert [r[0] for r in table[1:]] == ["12月8日（星期二）", None, None]  # one cell over the day's rows


def test_plan_page_one_keeps_the_grid(sample_build):
    """Below its title, page 1's lines sit on the lines of page 2 (the 22-line grid), down to the 22nd."""
    with open_pdf(sample_build / "plan.pdf") as pdf:
        first, second = ([ln for ln in body_lines(p) if ln[0] > 37] for p in pdf.pages[:2])  # not 送审稿
    top, pitch = second[0][0], mm(28.95)
    body = [ln for ln in first if not ln[1].startswith("2026年全市经济工作会议方案")]
    assert all(abs(ln[0] - top - round((ln[0] - top) / pitch) * pitch) < 0.5 for ln in body), body
    # filled to the 22nd line, or to the 20th when the next paragraph has three lines: it does not leave
    # one line alone at either page (widows and orphans, 2 lines), as word processors' 孤行控制 does
    assert round((body[-1][0] - top) / pitch) >= 19


def test_no_page_holds_only_a_tables_note(diaodu):
    with open_pdf(diaodu.parent / "notice-receipts.pdf") as pdf:
        assert len(pdf.pages) >= 2  # the case: the table runs onto a second page
        for page in pdf.pages:
            rows = [r for t in page.extract_tables() for r in t if r[0] and r[0].isdigit()]
            assert rows, page.extract_text()
        assert "送达时间写到分钟" in pdf.pages[-1].extract_text()
