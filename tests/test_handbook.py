"""会议须知: an A5 booklet with its table of contents, imposed 2-up on A4 for saddle stitching."""

from __future__ import annotations

import csv
import math
import re

import pytest

from conftest import ROOT, SAMPLE, TODAY, copy_project, flat, mm, new_project, open_pdf, run, run_changed, write_meeting
from huiwu.documents.handbook import sheet_order

PT = 72 / 25.4  # points in a millimetre
HEADING_PT = 14  # size of the section headings (一、会议纪律)
NUMBER = re.compile(r"—\s*(\d+)\s*—")
TOC_LINE = re.compile(r"^([一二三四五六七八九十]+、\S+?)[.·…\s]*(\d+)$")
SAMPLE_SECTIONS = ["会议纪律", "日程安排", "作息时间", "会议议程", "乘车安排", "值班及会务工作人员", "联系方式",
                   "注意事项", "参会人员名单"]  # the list last, on pages of its own


def foot_number(page) -> int | None:
    """The page number printed in the bottom 20 mm of a page (or of a cropped half sheet)."""
    x0, top, x1, bottom = page.bbox
    found = NUMBER.findall(page.crop((x0, bottom - 20 * PT, x1, bottom)).extract_text() or "")
    assert len(found) <= 1
    return int(found[0]) if found else None


def headings(pdf) -> dict[str, tuple[int, float, float]]:
    """Section heading text → (page index, top, bottom in pt), read from the heading-size lines."""
    found: dict[str, tuple[int, float, float]] = {}
    for index, page in enumerate(pdf.pages):
        rows: dict[float, list] = {}
        for c in page.chars:
            if abs(c["size"] - HEADING_PT) < 0.3:
                rows.setdefault(round(c["top"]), []).append(c)
        for chars in rows.values():
            text = "".join(c["text"] for c in sorted(chars, key=lambda c: c["x0"]))
            found.setdefault(text, (index, min(c["top"] for c in chars), max(c["bottom"] for c in chars)))
    return found


def toc(pdf) -> list[tuple[str, int]]:
    """(heading, page number) of each line of the 目录 on page 2."""
    lines = (pdf.pages[1].extract_text() or "").split("\n")
    assert flat(lines[0]) == "目录"
    return [(m[1], int(m[2])) for line in lines if (m := TOC_LINE.match(line.strip()))]


def section_lines(pdf, heading: str, next_heading: str | None = None) -> list[tuple[str, str]]:
    """(font name, text) of each line between two headings (or to the end), column by column (lists are set
    in two columns)."""
    found = headings(pdf)
    (first, _, start) = found[heading]
    last, end = found[next_heading][:2] if next_heading else (len(pdf.pages) - 1, pdf.pages[-1].height)
    out = []
    for index in range(first, last + 1):
        page = pdf.pages[index]
        top = start if index == first else 0
        bottom = end if index == last and next_heading else page.height - 18 * PT  # above the page number
        for x0, x1 in ((0, page.width / 2), (page.width / 2, page.width)):
            region = page.within_bbox((x0, top, x1, bottom))
            for line in region.extract_text_lines():
                out.append((line["chars"][0]["fontname"], line["text"]))
    return out


def base(font: str) -> str:
    """A font's name without its subset tag (ABCDEF+): the list's parts each embed a subset of their own."""
    return font.split("+", 1)[-1]


def stand_in_line(r: dict[str, str]) -> str:
    """The 须知's line for a row's 替会人员, listed under the principal's unit: `李明凤鸣区发展改革局局长（代黄永强）`,
    the unit left out when the stand-in's own description begins with it (`刘国强副秘书长（代韩立新）`)."""
    name, _, described = r["替会人员"].rstrip("）").partition("（")
    return f"{name}{described.removeprefix(r['单位'])}（代{r['姓名']}）"


def sample_rows() -> list[dict[str, str]]:
    with open(ROOT / "content" / SAMPLE / "attendees.csv", encoding="utf-8-sig") as f:
        return list(csv.DictReader(f))


# —— the booklet and its printing sheets ——

def test_a5_pages_imposed_two_up_on_a4_landscape(sample_build):
    with open_pdf(sample_build / "handbook-a5.pdf") as a5, open_pdf(sample_build / "handbook.pdf") as sheets:
        assert len(a5.pages) >= 4
        for page in a5.pages:
            assert (round(mm(page.width)), round(mm(page.height))) == (148, 210)
        for page in sheets.pages:
            assert (round(mm(page.width)), round(mm(page.height))) == (297, 210)
        assert len(sheets.pages) == math.ceil(len(a5.pages) / 4) * 2


def test_page_numbers_centred_at_the_foot_none_on_the_cover(sample_build):
    with open_pdf(sample_build / "handbook-a5.pdf") as pdf:
        assert foot_number(pdf.pages[0]) is None
        cover = flat(pdf.pages[0].extract_text())
        assert "2026年全市经济工作会议" in cover and "会议须知" in cover
        assert "青川市人民政府办公室" in cover and "2026年12月8日" in cover
        for index, page in enumerate(pdf.pages[1:], start=2):
            assert foot_number(page) == index
            (number,) = [w for w in page.extract_words() if w["text"] == str(index)]
            assert abs(mm((number["x0"] + number["x1"]) / 2) - 74) < 1.5


def test_saddle_stitch_order_read_from_the_printed_sheets(sample_build):
    with open_pdf(sample_build / "handbook-a5.pdf") as a5, open_pdf(sample_build / "handbook.pdf") as sheets:
        pages = len(a5.pages)
        padded = math.ceil(pages / 4) * 4
        printed = lambda i: i + 1 if 0 < i < pages else None  # noqa: E731  cover and padding: no number
        for i, side in enumerate(sheets.pages):
            sheet, back = divmod(i, 2)
            left, right = (2 * sheet + 1, padded - 2 - 2 * sheet) if back else (padded - 1 - 2 * sheet, 2 * sheet)
            half = side.width / 2
            assert foot_number(side.crop((0, 0, half, side.height))) == printed(left)
            assert foot_number(side.crop((half, 0, side.width, side.height))) == printed(right)
        front = sheets.pages[0]
        assert "会议须知" in flat(front.crop((front.width / 2, 0, front.width, front.height)).extract_text())


def test_sheet_order_folds_into_reading_order():
    assert sheet_order(8) == [(7, 0), (1, 6), (5, 2), (3, 4)]  # sheet 1: 8|1, 2|7; sheet 2: 6|3, 4|5
    for n in (4, 12, 40):
        sides = sheet_order(n)
        assert len(sides) == n // 2
        assert sorted(p for side in sides for p in side) == list(range(n))
        assert all(left + right == n - 1 for left, right in sides)  # facing pages of one spread


def test_same_a5_pages_give_the_same_sheets(sample_build):
    from huiwu.documents.handbook import impose

    a5 = (sample_build / "handbook-a5.pdf").read_bytes()
    assert impose(a5) == impose(a5) == (sample_build / "handbook.pdf").read_bytes()


# —— contents ——

def test_toc_gives_the_page_of_each_heading(sample_build):
    with open_pdf(sample_build / "handbook-a5.pdf") as pdf:
        entries = toc(pdf)
        found = headings(pdf)
        assert [h.split("、", 1)[1] for h, _ in entries] == SAMPLE_SECTIONS
        for n, (heading, page) in enumerate(entries, start=1):
            assert heading.startswith("一二三四五六七八九"[n - 1] + "、")
            assert found[heading][0] + 1 == page, heading


def test_rules_schedule_and_duty_are_printed(sample_build):
    with open_pdf(sample_build / "handbook-a5.pdf") as pdf:
        text = flat("".join(p.extract_text() or "" for p in pdf.pages))
        tables = [t for p in pdf.pages for t in p.extract_tables()]
    for rule in ["1.参会人员请按时报到，凭参会证入场，按座次表对号入座。", "3.未经会务组同意不得录音、录像、拍照。"]:
        assert rule in text
    assert "1.会场设在行政中心1号楼3楼第一会议室，请从1号楼南门进入，乘电梯至3楼。" in text
    (schedule,) = [t for t in tables if t[0] == ["日期", "时间", "内容", "地点"]]
    assert [flat(c) for c in schedule[1]] == ["12月8日（星期二）", "8:30—9:00", "报到、签到、领取会议材料",
                                              "行政中心1号楼1楼大厅"]
    assert [r[0] for r in schedule[2:]] == [None, None]  # the day once, spanning its rows
    assert [flat(r[2]) for r in schedule[1:]] == ["报到、签到、领取会议材料", "全体会议", "散会，按车辆安排返回"]
    (duty,) = [t for t in tables if t[0] == ["岗位", "姓名", "电话", "地点"]]
    assert [(flat(r[1]), r[2]) for r in duty[1:3]] == [("白雪峰", "15000008364"), ("廖婷婷", "18600009856")]
    assert ("孟凡", "0718-88006123") in [(flat(r[1]), r[2]) for r in duty[1:]]
    assert "车牌青A·G0001驾驶员张建国13900002001发车12月8日上午8:30，市政府北门" in text
    assert "乘车人员周卫东、欧阳振宇、李堃、孙丽萍" in text


def test_attendee_list_has_everyone_present_once_by_unit(sample_build):
    rows = sample_rows()
    listed = [r for r in rows if r["状态"] != "请假" and r["类别"] not in ("工作人员", "媒体")]
    with open_pdf(sample_build / "handbook-a5.pdf") as pdf:
        first, top, _ = headings(pdf)["九、参会人员名单"]  # unit names are set in the headings' font
        hei_font = base(next(c["fontname"] for c in pdf.pages[first].chars if abs(c["top"] - top) < 1))
        lines = [(base(font), text) for font, text in section_lines(pdf, "九、参会人员名单")]
    units = [flat(text) for font, text in lines if font == hei_font]
    people: list[str] = []
    for font, text in lines:
        if font == hei_font:
            continue
        if flat(text).startswith("（代"):  # a stand-in's line, wrapped
            people[-1] += flat(text)
        else:
            people.append(flat(text))
    stand_ins = [stand_in_line(r) for r in rows if r["状态"] == "请假" and r["替会人员"]
                 and r["类别"] not in ("工作人员", "媒体")]
    assert "刘国强副秘书长（代韩立新）" in stand_ins and "李明凤鸣区发展改革局局长（代黄永强）" in stand_ins
    assert sorted(people) == sorted([r["姓名"] + r["职务"] for r in listed] + stand_ins)  # each exactly once
    assert set(units) == {r["单位"] for r in listed} | {r["单位"] for r in rows if r["状态"] == "请假" and r["替会人员"]
                                                    and r["类别"] not in ("工作人员", "媒体")}
    assert len(units) == len(set(units))
    assert units[:3] == ["市政府", "市政协", "青阳区人民政府"]  # order of first appearance in protocol order
    assert "王 芳 区长" in [text for _, text in lines]  # two-character names padded: 王　芳
    away = {r["姓名"] for r in rows if r["状态"] == "请假"} | {r["姓名"] for r in rows if r["类别"] == "媒体"}
    assert not [p for p in people for name in away if p.startswith(name)]


def test_titles_hang_four_and_a_half_em_after_the_name(sample_build):
    """A name of full-width characters (王　芳, 欧阳振宇) takes its own width in em and the title follows after a margin
    to 4.5 em; any other name (longer, or with other characters) keeps a box of 4.5 em: titles line up either way."""
    from huiwu.documents.handbook import _wide

    assert [_wide(n) for n in ("王　芳", "欧阳振宇", "阿依古丽买买提", "Anna")] == [3, 4, 0, 0]
    with open_pdf(sample_build / "handbook-a5.pdf") as pdf:
        first = headings(pdf)["九、参会人员名单"][0]
        chars = [c for page in pdf.pages[first:] for c in page.chars if abs(c["size"] - 10.5) < 0.2]
    for name, title in (("王", "区"), ("欧", "常")):
        start = next(c for c in chars if c["text"] == name)
        line = [c for c in chars if c["page_number"] == start["page_number"] and abs(c["top"] - start["top"]) < 1
                and 0 <= c["x0"] - start["x0"] < 60]
        hung = next(c for c in line if c["text"] == title)
        assert hung["x0"] - start["x0"] == pytest.approx(4.5 * 10.5, abs=0.05)


def test_the_list_has_pages_of_its_own_and_an_edit_renders_its_part_again(sample_build, tmp_path):
    """The 参会人员名单 begins on a fresh page after the front and is rendered PAGES_PER_CHUNK pages at a time (as
    planned from the line heights: no part comes out otherwise): an edit to one name re-renders its part only."""
    from huiwu.layout.lists import PAGES_PER_CHUNK

    root = copy_project(sample_build.parents[1], tmp_path)
    chunks = root / "output" / ".cache" / "chunks" / SAMPLE / "handbook"
    before = {p.name: p.stat().st_mtime_ns for p in chunks.glob("*.pdf")}
    with open_pdf(sample_build / "handbook-a5.pdf") as pdf:
        first, top, _ = headings(pdf)["九、参会人员名单"]
        assert mm(top) < 20  # at the top of its page
        listed = len(pdf.pages) - first
    pages = [int(name.split("-")[1].removesuffix(".pdf")) for name in before]
    assert listed >= 2 and len(before) == 1 + math.ceil(listed / PAGES_PER_CHUNK)  # the front, the list's parts
    assert sum(pages) == first + 1 + listed  # the front's last page is where the list begins: dropped when joined
    table = root / "content" / SAMPLE / "attendees.csv"
    text = table.read_text(encoding="utf-8-sig")
    assert text.count(",院长,") == 1  # 覃海涛, listed last
    table.write_text(text.replace(",院长,", ",党委书记、院长,"), encoding="utf-8")
    assert run(root, "build", "--only", "handbook", env={"HUIWU_TODAY": TODAY}).returncode == 0
    after = {p.name: p.stat().st_mtime_ns for p in chunks.glob("*.pdf")}
    assert len(after) == len(before) and len(set(after) - set(before)) == 1
    assert all(after[name] == before[name] for name in set(after) & set(before))  # not rendered again
    with open_pdf(root / "output" / SAMPLE / "handbook-a5.pdf") as pdf:
        assert "覃海涛 党委书记、院长" in pdf.pages[-1].extract_text()
        assert [foot_number(page) for page in pdf.pages[1:]] == list(range(2, len(pdf.pages) + 1))


def test_a_list_part_that_comes_out_otherwise_than_planned_is_redone_whole(sample_build, tmp_path):
    """An estimate that puts too many names on a page (here: pages taken as 1.4 times as tall, a part a page) is caught when
    the parts are rendered: the list is then rendered at once, numbered on from the front all the same."""
    root = copy_project(sample_build.parents[1], tmp_path)
    result = run_changed(root, "import huiwu.layout.lists as l; l.BODY_MM *= 1.4; l.PAGES_PER_CHUNK = 1", "build", "--force", "--only",
                         "handbook", env={"HUIWU_TODAY": TODAY})
    assert result.returncode == 0, result.stderr
    redone, chunks = root / "output" / SAMPLE / "handbook-a5.pdf", root / "output" / ".cache" / "chunks"
    with open_pdf(redone) as pdf, open_pdf(sample_build / "handbook-a5.pdf") as planned:
        first = headings(pdf)["九、参会人员名单"][0]
        assert [foot_number(page) for page in pdf.pages[1:]] == list(range(2, len(pdf.pages) + 1))
        listed = [base(f) + t for f, t in section_lines(pdf, "九、参会人员名单")]
        assert listed == [base(f) + t for f, t in section_lines(planned, "九、参会人员名单")]  # the same columns
    whole = len(pdf.pages) - first
    assert whole in [int(p.stem.split("-")[1]) for p in (chunks / SAMPLE / "handbook").glob("*.pdf")]


# —— other meetings ——

HEAD = """---
title: 测试会议
organizer: 青川市人民政府办公室
start: "2026-12-08 09:00"
end: "2026-12-09 17:00"
venue: 青川市行政中心1号楼3楼第一会议室
"""

GROUPED = HEAD + """rules: [按时参会。]
schedule:
  - {day: "2026-12-08", time: "9:00", item: 开幕式, place: 第一会议室}
  - {day: "2026-12-08", time: "14:30", item: 分组讨论, place: 各讨论室}
  - {day: "2026-12-09", time: "9:00", item: 闭幕式, place: 第一会议室}
accommodation: [住青川宾馆。]
meals: [早餐7:00—8:00。]
---

正文。
"""

PEOPLE = """姓名,单位,职务,类别,排序,状态,分组
周长,市政府,市长,主席台,1,参会,第一组
田大利,市财政局,局长,出席,20,参会,第一组
王芳,市统计局,副局长,出席,20,参会,第二组
李请假,市商务局,副局长,出席,20,请假,第二组
丁一,市政府办公室,科员,工作人员,1,参会,
"""


def test_group_list_board_and_a_schedule_of_two_days(tmp_path):
    root = new_project(tmp_path, sample=False)
    write_meeting(root, "g", GROUPED, attendees=PEOPLE)
    result = run(root, "build", "--only", "handbook")
    assert result.returncode == 0, result.stderr
    with open_pdf(root / "output" / "g" / "handbook-a5.pdf") as pdf:
        assert [h for h, _ in toc(pdf)] == ["一、会议纪律", "二、日程安排", "三、分组名单", "四、食宿安排",
                                            "五、参会人员名单"]
        groups = [flat(t) for _, t in section_lines(pdf, "三、分组名单", "四、食宿安排")]
        text = flat("".join(p.extract_text() or "" for p in pdf.pages))
        (schedule,) = [t for p in pdf.pages for t in p.extract_tables()]
    assert groups == ["第一组", "周长市政府市长", "田大利市财政局局长", "第二组", "王芳市统计局副局长"]
    assert "（一）住宿住青川宾馆。（二）就餐早餐7:00—8:00。" in text
    assert [flat(r[0]) if r[0] else None for r in schedule[1:]] == ["12月8日（星期二）", None, "12月9日（星期三）"]


@pytest.mark.parametrize("key", ["hours: [{time: \"8:30\", item: 报到}]", "notes: [请准时参会。]"])
def test_one_of_the_sections_is_enough(tmp_path, key):
    root = new_project(tmp_path, sample=False)
    write_meeting(root, "o", HEAD + key + "\n---\n\n正文。\n")
    assert run(root, "build", "--only", "handbook").returncode == 0
    with open_pdf(root / "output" / "o" / "handbook-a5.pdf") as pdf, \
            open_pdf(root / "output" / "o" / "handbook.pdf") as sheets:
        assert len(toc(pdf)) == 1
        assert len(pdf.pages) == 3 and len(sheets.pages) == 2  # cover, 目录, one page; padded to 4
