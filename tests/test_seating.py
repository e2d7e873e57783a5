"""座次: protocol order on the rostrum (domain.md §2.2), the hall by unit, explicit seats,
and the seat map read back from the PDF."""

from __future__ import annotations

import pytest

from conftest import SAMPLE, copy_project, mm, new_project, open_pdf, rebuild_counting, run, write_meeting
from huiwu.records.seating import positions

# domain.md §2.2: ranks as read from the audience, left to right
TABLE = {
    1: ("1", "1"), 2: ("1 2", "2 1"), 3: ("3 1 2", "3 1 2"), 4: ("3 1 2 4", "4 2 1 3"),
    5: ("5 3 1 2 4", "5 3 1 2 4"), 6: ("5 3 1 2 4 6", "6 4 2 1 3 5"), 7: ("7 5 3 1 2 4 6", "7 5 3 1 2 4 6"),
}


def audience_view(n: int, variant: str) -> str:
    seat_of_rank = positions(n, variant)
    return " ".join(str(seat_of_rank.index(s) + 1) for s in range(1, n + 1))


@pytest.mark.parametrize("n", range(1, 8))
def test_rostrum_variants_reproduce_the_domain_table(n):
    a, b = TABLE[n]
    assert audience_view(n, "A") == a
    assert audience_view(n, "B") == b
    assert audience_view(n, "C") == " ".join(reversed(a.split()))  # 涉外: the mirror of A


HEAD = """---
title: 测试会议
organizer: 青川市人民政府办公室
start: "2026-12-08 09:00"
venue: 青川市行政中心1号楼3楼第一会议室
"""
LEADERS = "".join(f"领导{n},市政府,职务,主席台,{i},参会,\n"
                  for i, n in enumerate("一二三四五六七八九", start=1))


def build(tmp_path, venue: str, people: str, extra: str = ""):
    root = new_project(tmp_path, sample=False)
    folder = write_meeting(root, "t", HEAD + extra + "---\n\n正文。\n", "姓名,单位,职务,类别,排序,状态,座位\n" + people)
    (folder / "venue.yaml").write_text(venue, encoding="utf-8")
    return root, run(root, "build", "--only", "seatmap")  # the document these tests read


def seat_rows(pdf_path, page_no: int = 0) -> list[tuple[float, list[str]]]:
    """The names inside the seat boxes of a page: rows top to bottom, each from the audience's left."""
    with open_pdf(pdf_path) as pdf:
        page = pdf.pages[page_no]
        frames = [r for r in page.rects if 8 < mm(r["width"]) < 80 and 5 < mm(r["height"]) < 13
                  and r["non_stroking_color"] in ((0.0, 0.0, 0.0), (0,), 0)]  # black borders: not the 送审稿 stamp
        boxes: list = []
        for r in sorted(frames, key=lambda r: -r["width"]):  # a border is drawn as more than one rect: keep the outer
            cx, cy = (r["x0"] + r["x1"]) / 2, (r["top"] + r["bottom"]) / 2
            if not any(b["x0"] < cx < b["x1"] and b["top"] < cy < b["bottom"] for b in boxes):
                boxes.append(r)
        rows: dict[int, list[tuple[float, str]]] = {}
        for box in boxes:
            inside = [c for c in page.chars if c["size"] > 7.5 and box["x0"] < (c["x0"] + c["x1"]) / 2 < box["x1"]
                      and box["top"] < (c["top"] + c["bottom"]) / 2 < box["bottom"]]
            name = "".join(c["text"] for c in sorted(inside, key=lambda c: c["x0"])).replace("　", "").strip()
            if name:
                rows.setdefault(round(mm(box["top"])), []).append((box["x0"], name))
    return [(top, [n for _, n in sorted(names)]) for top, names in sorted(rows.items())]


def test_two_row_rostrum_fills_front_row_first_each_row_by_protocol(tmp_path):
    root, result = build(tmp_path, "rostrum: {rows: [5, 4]}\n", LEADERS)
    assert result.returncode == 0, result.stderr
    rows = seat_rows(root / "output" / "t" / "seatmap.pdf")
    back, front = rows[0][1], rows[1][1]  # audience view: the back row is drawn above the front row
    assert front == ["领导五", "领导三", "领导一", "领导二", "领导四"]
    assert back == ["领导八", "领导六", "领导七", "领导九"]  # ranks 6..9 as 3 1 2 4 of their row


def test_variant_b_from_settings_and_c_from_the_venue(tmp_path):
    people = "".join(LEADERS.splitlines(keepends=True)[:4])
    root, result = build(tmp_path, "rostrum: {rows: [4]}\n", people, extra="rostrum_variant: B\n")
    assert result.returncode == 0, result.stderr
    assert seat_rows(root / "output" / "t" / "seatmap.pdf")[0][1] == ["领导四", "领导二", "领导一", "领导三"]
    three = "".join(LEADERS.splitlines(keepends=True)[:3])
    root, result = build(tmp_path / "c", "rostrum: {rows: [3], variant: C}\n", three)  # A would read 3 1 2
    assert seat_rows(root / "output" / "t" / "seatmap.pdf")[0][1] == ["领导二", "领导一", "领导三"]


HALL = "hall: {rows: 3, seats: 4, method: %s}\n"
UNITS = "".join(f"{n},{u},职务,出席,{r},参会,\n" for n, u, r in [
    ("甲一", "甲局", 10), ("甲二", "甲局", 11), ("乙一", "乙局", 20), ("乙二", "乙局", 21), ("乙三", "乙局", 22),
    ("丙一", "丙局", 30)]) + "列一,丁局,职务,列席,1,参会,\n"


@pytest.mark.parametrize("method, expected", [
    ("横排", [["甲一", "甲二", "乙一", "乙二"], ["乙三", "丙一", "列一"]]),
    ("竖排", [["甲一", "乙二", "列一"], ["甲二", "乙三"], ["乙一", "丙一"]]),
    ("左右", [["乙一", "甲一", "甲二", "乙二"], ["列一", "乙三", "丙一"]]),
])
def test_hall_methods_seat_units_together_and_listeners_behind(tmp_path, method, expected):
    root, result = build(tmp_path, HALL % method, UNITS)
    assert result.returncode == 0, result.stderr
    assert [names for _, names in seat_rows(root / "output" / "t" / "seatmap.pdf")] == expected


def test_explicit_seat_wins_and_leave_gets_no_seat(tmp_path):
    people = UNITS.replace("丙一,丙局,职务,出席,30,参会,", "丙一,丙局,职务,出席,30,参会,1排1号") + "假人,戊局,职务,出席,5,请假,\n"
    root, result = build(tmp_path, HALL % "横排", people)
    assert result.returncode == 0, result.stderr
    rows = [names for _, names in seat_rows(root / "output" / "t" / "seatmap.pdf")]
    assert rows[0] == ["丙一", "甲一", "甲二", "乙一"] and "假人" not in sum(rows, [])


@pytest.mark.parametrize("venue, people, message", [
    ("rostrum: {rows: [2]}\n", LEADERS[:200], "content/t/venue.yaml:1: 座次：主席台 9 人，座位只有 2 个"),
    (HALL % "横排", UNITS + "多一,己局,职务,出席,40,参会,\n" * 1 + "多二,己局,职务,出席,41,参会,\n"
     + "多三,己局,职务,出席,42,参会,\n" + "多四,己局,职务,出席,43,参会,\n" + "多五,己局,职务,出席,44,参会,\n"
     + "多六,己局,职务,出席,45,参会,\n", "content/t/venue.yaml:1: 座次：会场座位不足，需要 13 个，还有 12 个空座"),
    (HALL % "横排", UNITS.replace("乙一,乙局,职务,出席,20,参会,", "乙一,乙局,职务,出席,20,参会,1排2号")
     .replace("乙二,乙局,职务,出席,21,参会,", "乙二,乙局,职务,出席,21,参会,1排2号"),
     "content/t/attendees.csv:5: 座位1排2号重复：已安排给乙一（第4行）"),
    (HALL % "横排", UNITS + "假人,戊局,职务,出席,5,请假,2排1号\n", "content/t/attendees.csv:9: 假人已请假，不应安排座位（2排1号）"),
    (HALL % "横排", UNITS.replace("甲一,甲局,职务,出席,10,参会,", "甲一,甲局,职务,出席,10,参会,9排1号"),
     "content/t/attendees.csv:2: 座位“9排1号”不存在：会场共 3 排，每排 4 座"),
    (HALL % "横排", UNITS.replace("甲一,甲局,职务,出席,10,参会,", "甲一,甲局,职务,出席,10,参会,第一排"),
     "content/t/attendees.csv:2: 座位“第一排”应写成“5排12号”或“主席台1排3号”"),
])
def test_seating_problems_name_the_line(tmp_path, venue, people, message):
    _, result = build(tmp_path, venue, people)
    assert result.returncode == 1
    assert message in result.stderr.splitlines()


def test_sample_seat_map_in_audience_view(sample_build):
    with open_pdf(sample_build / "seatmap.pdf") as pdf:
        assert len(pdf.pages) == 2  # the map, and the staff copy with each person's 序号
        first, staff = (p.extract_text().replace(" ", "") for p in pdf.pages)
    assert "主席台" in first and "（面向主席台）" in first and "送审稿" in first and "第1稿" in first
    assert "工作人员用" in staff and "主席台1" not in staff and "出席10" not in staff  # no raw sort keys
    for page in (first, staff):
        assert "媒体席" in page and "工作人员席" in page  # the reserved blocks, labelled
    rows = seat_rows(sample_build / "seatmap.pdf")
    # 韩立新 on leave: the rostrum closes up round its centre (variant A for 6: 5 3 1 2 4 6); his stand-in
    # 刘国强 sits in the hall, first of the 出席 (排序 7)
    assert rows[0][1] == ["胡建明", "李堃", "周卫东", "欧阳振宇", "孙丽萍", "郑国平"]
    assert rows[1][1][:4] == ["刘国强", "王芳", "刘志刚", "陈国栋"]
    tops = [top for top, _ in rows]
    assert tops == sorted(tops)


def test_names_stay_in_their_row_in_a_hall_of_many_rows(tmp_path):
    """A hall of 80 rows: the map goes on A3 with rows under 3 mm and small names — each still drawn in its row (level
    with the row's label), not pushed below it by the line of the page's own type, where its box cut it off and the
    printed map showed empty boxes."""
    root = new_project(tmp_path, sample=True)
    venue = root / "content" / SAMPLE / "venue.yaml"
    venue.write_text(venue.read_text(encoding="utf-8").replace("  rows: 7\n", "  rows: 80\n"), encoding="utf-8")
    assert run(root, "build", "--only", "seatmap").returncode == 0
    with open_pdf(root / "output" / SAMPLE / "seatmap.pdf") as pdf:
        page = pdf.pages[0]
        words = page.extract_words()
    middle = {w["text"]: (w["top"] + w["bottom"]) / 2 for w in words}
    row = middle["2排"] - middle["1排"]
    assert 0 < mm(row) < 3
    for name in ("刘国强", "陈国栋"):  # the hall's first row
        assert abs(middle[name] - middle["1排"]) < row / 2, name


def test_approved_seat_map_has_no_draft_stamp(tmp_path):
    root = new_project(tmp_path, sample=True)
    venue = root / "content" / SAMPLE / "venue.yaml"
    venue.write_text(venue.read_text(encoding="utf-8").replace("approved: false", "approved: true"), encoding="utf-8")
    assert run(root, "build", "--only", "seatmap").returncode == 0
    with open_pdf(root / "output" / SAMPLE / "seatmap.pdf") as pdf:
        assert all("送审稿" not in p.extract_text() for p in pdf.pages)


def test_a_renamed_person_lays_out_again_only_the_band_of_names_round_their_seat(tmp_path, sample_build, monkeypatch):
    """Each copy of the map is its boxes without names, with the names laid over it BAND boxes at a time: renaming
    周卫东 (on the rostrum) lays out (Jinja2) and renders one band of each copy again, not the maps; the map shows the
    new name where the old one was, and every other seat as before."""
    root = copy_project(sample_build.parents[1], tmp_path)
    people = root / "content" / SAMPLE / "attendees.csv"
    people.write_text(people.read_text(encoding="utf-8-sig").replace("周卫东,", "周卫国,"), encoding="utf-8")
    from huiwu.documents.seatmap import BAND
    from huiwu.render import Templates

    before = seat_rows(sample_build / "seatmap.pdf")
    laid_out, html = [], Templates.html
    monkeypatch.setattr(Templates, "html", lambda self, template, context, problems: laid_out.append(
        (template, context.get("doc", {}).get("names"))) or html(self, template, context, problems))
    rendered, _ = rebuild_counting(root, monkeypatch)
    assert [names for template, names in laid_out if template == "seatmap.html.j2"] == [True, True]  # not the maps
    parts = list((root / "output" / ".cache" / "chunks" / SAMPLE / "seatmap").glob("*.pdf"))
    boxes = 7 + 7 * 14  # the sample's venue: 7 on the rostrum, 7 rows of 14 in the hall
    assert len(parts) == 2 * (1 + -(-boxes // BAND)) > 4  # each copy: its map and its bands, more than one
    assert rendered.count("seatmap") == 2  # a band of the map to approve, one of the staff's copy
    after = seat_rows(root / "output" / SAMPLE / "seatmap.pdf")
    assert after == [(top, [("周卫国" if n == "周卫东" else n) for n in names]) for top, names in before]
    assert "周卫国" in after[0][1]
