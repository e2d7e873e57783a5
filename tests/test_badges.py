"""证件: one badge per present attendee, N-up on A4 with crop marks at fixed places, then 车辆通行证."""

from __future__ import annotations

import csv
import math
import shutil
from datetime import datetime
from pathlib import Path
from types import SimpleNamespace

import pytest
import zxingcpp

from conftest import BARE, SAMPLE, TODAY, mm, new_project, open_pdf, run, sample_attending, write_meeting
from huiwu import pipeline
from huiwu.documents import badges
from huiwu.problems import Problems
from huiwu.records.schema import BADGE_SIZES

HEAD = BARE
A4 = (210.0, 297.0)
LABELS = {"主席台": ("出席证", "#C8102E"), "出席": ("出席证", "#C8102E"), "列席": ("列席证", "#0057B8"),
          "特邀": ("特邀证", "#6D2077"), "媒体": ("记者证", "#007A3D"), "工作人员": ("工作证", "#D45500")}

# domain.md §4.2: card w×h → cols×rows upright for m = 10 and m = 5, and the count the table gives
TABLE = [
    ((85.6, 54.0), (2, 5), 10, (2, 5), 10),
    ((54.0, 85.6), (3, 3), 9, (3, 3), 9),
    ((60.0, 90.0), (3, 3), 9, (3, 3), 9),
    ((70.0, 100.0), (2, 2), 4, (2, 2), 8),  # m = 5: "8 if rotated to 100×70"
    ((80.0, 120.0), (2, 2), 4, (2, 2), 4),
    ((90.0, 130.0), (2, 2), 4, (2, 2), 4),
    ((100.0, 140.0), (1, 1), 1, (2, 2), 4),
]
# Where the table's count is the upright one although turning the card fits more, which the rule
# ("try the card rotated 90° and keep whichever fits more") prefers: (w, h, margin) → (cols, rows) turned.
TURNED_FITS_MORE = {(54.0, 85.6, 10): (2, 5), (54.0, 85.6, 5): (2, 5), (100.0, 140.0, 10): (1, 2)}


def upright(w: float, h: float, margin: float) -> tuple[int, int]:
    return math.floor((210 - 2 * margin) / w), math.floor((297 - 2 * margin) / h)


@pytest.mark.parametrize("margin", [10, 5])
@pytest.mark.parametrize("row", TABLE, ids=[f"{w:g}x{h:g}" for (w, h), *_ in TABLE])
def test_grid_reproduces_the_table(row, margin):
    (w, h), up10, n10, up5, n5 = row
    up, count = (up10, n10) if margin == 10 else (up5, n5)
    assert upright(w, h, margin) == up  # the formula, upright, is the table's cols×rows
    cols, rows, rotated = badges.grid(w, h, margin, 0)
    if (w, h, margin) in TURNED_FITS_MORE:
        assert up[0] * up[1] == count and (cols, rows, rotated) == (*TURNED_FITS_MORE[w, h, margin], True)
    else:
        assert cols * rows == count
        assert rotated == ((cols, rows) != up)
        if rotated:
            assert (cols, rows) == upright(h, w, margin)


def test_grid_with_a_gutter():
    # upright 2 × 4 (5 × 54 + 4 × 3 = 282 > 277): 8; turned 3 × 3 (3 × 54 + 2 × 3 = 168 ≤ 190): 9
    assert badges.grid(85.6, 54, 10, 3) == (3, 3, True)
    assert badges.grid(60, 90, 10, 5) == (2, 4, True)  # upright 3 × 2 = 6; turned 2 × 4 = 8
    assert badges.grid(90, 130, 10, 2) == (2, 2, False)  # 2 × 90 + 2 = 182 ≤ 190
    assert badges.grid(200, 290, 10, 0) == (0, 0, False)  # does not fit at all


# -- the sample --

def cells(w: float, h: float, margin: float) -> tuple[int, list[tuple[float, float, float, float]]]:
    """(cols, cells (x0, top, x1, bottom) in mm), the grid centred on A4."""
    cols, rows, rotated = badges.grid(w, h, margin, 0)
    cw, ch = (h, w) if rotated else (w, h)
    x0, y0 = (A4[0] - cols * cw) / 2, (A4[1] - rows * ch) / 2
    return cols, [(x0 + c * cw, y0 + r * ch, x0 + (c + 1) * cw, y0 + (r + 1) * ch)
                  for r in range(rows) for c in range(cols)]


def cells_of(m) -> tuple[int, list[tuple[float, float, float, float]]]:
    """The cells of a built meeting's badges, from its settings."""
    return cells(*BADGE_SIZES[m.badge_size], m.badge_margin_mm)


def inside(box, cell, tol: float = 0.05) -> bool:
    return (cell[0] - tol <= box[0] and box[2] <= cell[2] + tol and cell[1] - tol <= box[1]
            and box[3] <= cell[3] + tol)


def char_box(c: dict) -> tuple[float, float, float, float]:
    return mm(c["x0"]), mm(c["top"]), mm(c["x1"]), mm(c["bottom"])


def in_cell(objs: list[dict], cell) -> list[dict]:
    """The objects whose centre lies in the cell."""
    def centre(o):
        return mm((o["x0"] + o["x1"]) / 2), mm((o["top"] + o["bottom"]) / 2)
    return [o for o in objs if cell[0] < centre(o)[0] < cell[2] and cell[1] < centre(o)[1] < cell[3]]


def text_lines(chars: list[dict]) -> list[tuple[str, float]]:
    """Lines of upright text, top to bottom: (text without spaces, size in pt of its first char)."""
    rows: dict[float, list] = {}
    for c in chars:
        rows.setdefault(round(c["bottom"]), []).append(c)
    out = []
    for _, line in sorted(rows.items()):
        line.sort(key=lambda c: c["x0"])
        out.append(("".join("".join(c["text"] for c in line).split()), line[0]["size"]))
    return out


def qr_matrix(image: dict) -> tuple[tuple[int, ...], ...]:
    """The image's pixels as dark (1) and light (0), one per module."""
    w, h = image["srcsize"]
    data = image["stream"].get_data()
    n = len(data) // (w * h)
    return tuple(tuple(int(data[(y * w + x) * n] < 128) for x in range(w)) for y in range(h))


def rgb(hex_colour: str) -> tuple[float, float, float]:
    return tuple(int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5))


@pytest.fixture(scope="module")
def sample(sample_build):
    """(meeting, badges per sheet, pdf) of the built sample."""
    root = sample_build.parents[1]
    m = pipeline.load(pipeline.Project(root), [root / "content" / SAMPLE], Problems())[0]
    with open_pdf(sample_build / "badges.pdf") as pdf:
        yield m, pdf


def badge_pages(pdf, per_sheet: int, people: int):
    return pdf.pages[:math.ceil(people / per_sheet)]


def test_one_badge_per_present_attendee(sample):
    m, pdf = sample
    assert (m.badge_size, m.badge_margin_mm, m.badge_backs) == ("90×130", 10, False)  # the defaults
    cols, grid = cells_of(m)
    people = m.attending  # stand-ins included, in their principals' places
    assert badges.holders(m) == people and sorted(a.name for a in people) == sorted(sample_attending(counted=False))
    assert len(people) == 77 and [a.name for a in people if a.stands_in] == ["刘国强", "李明", "周建", "胡晓军", "钱立"]
    sheets = math.ceil(len(people) / len(grid))
    assert len(pdf.pages) == sheets + math.ceil(len(m.vehicles) / 2) == 20 + 2
    serials, images = [], 0
    for p, page in enumerate(pdf.pages[:sheets]):
        assert (round(mm(page.width)), round(mm(page.height))) == (210, 297)
        for i, cell in enumerate(grid):
            n = p * len(grid) + i
            chars, imgs = in_cell(page.chars, cell), in_cell(page.images, cell)
            if n >= len(people):
                assert not chars and not imgs  # the last sheet is partly filled
                continue
            person = people[n]
            lines = [t for t, _ in text_lines(chars)]
            assert person.name in lines  # padded 王　芳 reads 王芳 without the space
            assert all(inside(char_box(c), cell) for c in chars)  # nothing leaves the card
            serials += [t for t in lines if t.startswith("No.")]
            images += len(imgs)
            assert len(imgs) == 1 and inside((mm(imgs[0]["x0"]), mm(imgs[0]["top"]), mm(imgs[0]["x1"]),
                                              mm(imgs[0]["bottom"])), cell)
    assert serials == [f"No.{n:04d}" for n in range(1, len(people) + 1)]
    assert images == len(people)


def test_name_is_the_largest_text_below_the_band(sample):
    m, pdf = sample
    _, grid = cells_of(m)
    page = pdf.pages[1]  # 5th to 8th badge
    for person, cell in zip(m.attending[4:8], grid, strict=True):
        lines = text_lines(in_cell(page.chars, cell))
        label = next(i for i, (t, _) in enumerate(lines) if t.endswith("证"))
        below = lines[label + 1:]
        assert max(below, key=lambda line: line[1])[0] == person.name


def test_seats_follow_the_plan(sample):
    m, pdf = sample
    _, grid = cells_of(m)
    seen = {}
    for p, page in enumerate(badge_pages(pdf, len(grid), len(m.attending))):
        for i, cell in enumerate(grid):
            n = p * len(grid) + i
            if n < len(m.attending):
                seats = [t for t, _ in text_lines(in_cell(page.chars, cell)) if t.startswith("座位：")]
                seen[m.attending[n].name] = seats
    assert seen["周卫东"] == ["座位：主席台1排3号"] and seen["刘国强"] == ["座位：1排1号"]
    for person in m.attending:
        seat = m.seat_plan.seat_of(person)
        assert seen[person.name] == ([f"座位：{seat.label}"] if seat else [])
    assert sum(1 for s in seen.values() if s) == len(m.seat_plan.taken)


def test_qr_codes_encode_meeting_serial_and_name(sample):
    """Each badge's image, read module by module, is a QR code a scanner decodes to the expected payload, at level
    M or stronger, drawn unsmoothed."""
    m, pdf = sample
    _, grid = cells_of(m)
    checked = 0
    for p, page in enumerate(badge_pages(pdf, len(grid), len(m.attending))):
        for i, cell in enumerate(grid):
            n = p * len(grid) + i
            if n >= len(m.attending):
                continue
            (image,) = in_cell(page.images, cell)
            found = decoded(qr_matrix(image))
            assert found.text == f"huiwu:{SAMPLE}:{n + 1:04d}:{m.attending[n].name}"
            assert found.ec_level in ("M", "Q", "H") and found.content_type == zxingcpp.ContentType.Text
            assert image["stream"].attrs.get("Interpolate") is False
            assert mm(image["width"]) > 15 and abs(image["width"] - image["height"]) < 0.01
            checked += 1
    assert checked == len(m.attending)


def decoded(matrix: tuple[tuple[int, ...], ...]) -> zxingcpp.Result:
    """The code as a scanner reads it: 6 pixels a module, four modules of quiet zone."""
    from PIL import Image

    size = len(matrix)
    image = Image.new("L", ((size + 8) * 6,) * 2, 255)
    for y, row in enumerate(matrix):
        for x, dark in enumerate(row):
            if dark:
                image.paste(0, ((x + 4) * 6, (y + 4) * 6, (x + 5) * 6, (y + 5) * 6))
    (found,) = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
    return found


def test_qr_codes_hold_any_name():
    """Names of any script and length a list may hold decode as written; level M at least, raised to Q or H
    where the same size holds it; a text no code holds is refused, not cut."""
    from huiwu.layout import qr

    for name in ("王伟", "欧阳建国", "李堃", "买买提·艾力", "Anna-Maria O'Neil", "𠮷野", "名" * 300):
        text = f"huiwu:{SAMPLE}:0001:{name}"
        found = decoded(tuple(tuple(row) for row in qr.modules(text)))
        assert found.text == text and found.ec_level in ("M", "Q", "H")
    assert decoded(tuple(tuple(row) for row in qr.modules("huiwu:x:0001:王伟"))).ec_level in ("Q", "H")
    with pytest.raises(ValueError):
        qr.modules("名" * 1000)


def test_type_label_and_colour(sample):
    m, pdf = sample
    _, grid = cells_of(m)
    counts: dict[str, int] = {}
    for p, page in enumerate(badge_pages(pdf, len(grid), len(m.attending))):
        for i, cell in enumerate(grid):
            n = p * len(grid) + i
            if n >= len(m.attending):
                continue
            label, colour = LABELS[m.attending[n].role]
            chars = [c for c in in_cell(page.chars, cell) if c["text"] in label]
            big = max(c["size"] for c in chars)
            glyphs = sorted((c for c in chars if c["size"] == big), key=lambda c: c["x0"])
            assert "".join(c["text"] for c in glyphs) == label
            assert all(c["non_stroking_color"] == (1.0, 1.0, 1.0) or c["non_stroking_color"] == (1, 1, 1)
                       for c in glyphs)  # white on the band
            behind = [r for r in in_cell(page.rects, cell) if r["fill"] and r["non_stroking_color"] != (1, 1, 1)
                      and r["x0"] <= glyphs[0]["x0"] and glyphs[-1]["x1"] <= r["x1"]
                      and r["top"] <= glyphs[0]["top"] and glyphs[0]["bottom"] <= r["bottom"]]
            assert len(behind) == 1
            assert behind[0]["non_stroking_color"] == pytest.approx(rgb(colour), abs=0.003)
            counts[label] = counts.get(label, 0) + 1
    assert counts == {"出席证": 52, "列席证": 14, "记者证": 3, "工作证": 8}  # 5 stand-ins among 出席 and 列席
    assert len({c for _, c in LABELS.values()}) == 5  # one colour per label


def crop_marks(page) -> set[tuple[float, float, float, float]]:
    thin = [ln for ln in page.lines if abs(ln["linewidth"] - 0.25) < 0.02]
    assert len(thin) == len(page.lines) and not page.curves
    return {(round(mm(ln["x0"]), 2), round(mm(ln["top"]), 2), round(mm(ln["x1"]), 2), round(mm(ln["bottom"]), 2))
            for ln in thin}


def test_crop_marks_are_the_same_on_every_sheet(sample):
    m, pdf = sample
    _, grid = cells_of(m)
    pages = badge_pages(pdf, len(grid), len(m.attending))
    marks = crop_marks(pages[0])
    assert all(crop_marks(page) == marks for page in pages)  # the last, partly filled sheet too
    xs = sorted({x for c in grid for x in (c[0], c[2])})
    ys = sorted({y for c in grid for y in (c[1], c[3])})
    left, top, right, bottom = xs[0], ys[0], xs[-1], ys[-1]
    expected = set()
    for x in xs:  # shared cut lines (gutter 0): cols + 1 vertical, rows + 1 horizontal
        expected |= {(x, top - 8, x, top - 3), (x, bottom + 3, x, bottom + 8)}
    for y in ys:
        expected |= {(left - 8, y, left - 3, y), (right + 3, y, right + 8, y)}
    assert len(xs) == 3 and len(ys) == 3
    assert marks == {tuple(round(v, 2) for v in e) for e in expected}


def test_vehicle_passes(sample):
    m, pdf = sample
    pages = pdf.pages[-2:]
    text = "".join("".join(p.extract_text().split()) for p in pages)
    assert text.count("车辆通行证") == 3 == len(m.vehicles)
    for v in m.vehicles:
        assert v["plate"] in text and f"（{v['id']}）" in text
    assert text.count("有效期限：2026年12月8日") == 3 and text.count("发证单位：青川市人民政府办公室") == 3
    # the area each car may enter (its `area`, else the meeting's `pass_area`), never its pickup point
    assert [v.get("area") for v in m.vehicles] == [None, None, "行政中心地下停车场"]
    assert text.count(f"通行区域：{m.pass_area}") == 2 and "通行区域：行政中心地下停车场" in text
    assert not any(f"通行区域：{v['place']}" in text for v in m.vehicles)
    assert [n for n in ("No.001", "No.002", "No.003") if n in text] == ["No.001", "No.002", "No.003"]
    for page in pages:
        assert (round(mm(page.width)), round(mm(page.height))) == (210, 297)
        plates = [c for c in page.chars if c["size"] > 0.99 * max(ch["size"] for ch in page.chars)]
        halves = {mm(c["top"]) < 148.5 for c in plates}
        assert halves == ({True, False} if page is pages[0] else {True})  # 2 passes, then 1


def test_editing_one_attendee_renders_one_chunk_again(sample_build, tmp_path):
    root = tmp_path / "proj"
    shutil.copytree(sample_build.parents[1], root, symlinks=True)
    chunks = root / "output" / ".cache" / "chunks" / SAMPLE / "badges"
    before = {p.name: p.stat().st_mtime_ns for p in chunks.glob("*.pdf")}
    chunks_of_badges = -(-77 // (4 * badges.CHUNK_SHEETS))  # 77 badges, 4 a sheet
    assert len(before) == chunks_of_badges + 1  # and the vehicle passes
    table = root / "content" / SAMPLE / "attendees.csv"
    text = table.read_text(encoding="utf-8-sig")
    assert text.count(",信息科科员,") == 1  # the last badge: its 职务 changes nothing else
    table.write_text(text.replace(",信息科科员,", ",信息科副科长,"), encoding="utf-8")
    result = run(root, "build", "--only", "badges", env={"HUIWU_TODAY": TODAY})  # the cache works as in a full build
    assert result.returncode == 0, result.stderr
    after = {p.name: p.stat().st_mtime_ns for p in chunks.glob("*.pdf")}
    assert len(after) == len(before) and len(set(after) - set(before)) == 1
    assert all(after[name] == before[name] for name in set(after) & set(before))  # not rewritten
    with open_pdf(root / "output" / SAMPLE / "badges.pdf") as pdf:
        assert "信息科副科长" in pdf.pages[19].extract_text()


# -- other layouts, built in process with other settings --

PEOPLE = """姓名,单位,职务,类别,状态
王芳,青川市发展和改革委员会国民经济综合处暨重大项目建设协调推进办公室,党组成员、副主任、一级调研员兼综合处处长、市重大项目建设协调推进办公室常务副主任,出席,参会
阿卜杜热合曼·买买提,市政府,副市长,主席台,参会
欧阳振宇,市政府,常务副市长,列席,参会
李明,青川日报社,记者,媒体,参会
张三丰,"青川市某某集团（Qingchuan Investment Holding Group Co., Ltd.）",总经理,特邀,参会
赵六,市政府办公室,,工作人员,参会
钱七,市政府办公室,科员,工作人员,请假
"""
LONG_TITLE = "2026年青川市国民经济和社会发展第十五个五年规划纲要实施情况中期评估专题工作会议"
NAMES = ["阿卜杜热合曼·买买提", "王芳", "欧阳振宇", "张三丰", "李明", "赵六"]  # protocol order


def build_small(tmp_path: Path, settings: str = "", people: str = PEOPLE) -> Path:
    """Build a meeting whose meeting.md sets `settings` (YAML lines) in its front matter."""
    root = new_project(tmp_path, sample=False)
    write_meeting(root, "t", HEAD.replace("测试会议", LONG_TITLE).replace("\n---\n", f"\n{settings}---\n", 1), people)
    pipeline.build(pipeline.Project(root), lambda line: None, force=True, only=frozenset({"badges"}))
    return root / "output" / "t" / "badges.pdf"


@pytest.mark.parametrize("settings, card, margin", [
    ("", (90.0, 130.0), 10),
    ("badge_size: ID-1\n", (85.6, 54.0), 10),
    ("badge_size: 70×100\nbadge_margin_mm: 5\n", (70.0, 100.0), 5),
], ids=["90x130", "ID-1", "70x100-turned"])
def test_long_names_and_units_stay_on_the_card(tmp_path, settings, card, margin):
    _, grid = cells(*card, margin)
    with open_pdf(build_small(tmp_path, settings)) as pdf:
        assert len(pdf.pages) == math.ceil(len(NAMES) / len(grid))
        for p, page in enumerate(pdf.pages):
            for i, cell in enumerate(grid):
                n = p * len(grid) + i
                chars = in_cell(page.chars, cell)
                if n >= len(NAMES):
                    assert not chars
                    continue
                assert chars and all(inside(char_box(c), cell) for c in chars)
                assert f"No.{n + 1:04d}" in "".join(c["text"] for c in chars)
                assert len(in_cell(page.images, cell)) == 1
        if card == (90.0, 130.0):  # upright: the lines can be read back
            lines = [t for t, _ in text_lines(in_cell(pdf.pages[0].chars, grid[1]))]
            assert "王芳" in lines and not any("常务副主任" in t for t in lines)  # 职务 too long: left out
            assert "".join(lines).count("青川市发展和改革委员会") == 1  # the unit, wrapped
            first = [t for t, _ in text_lines(in_cell(pdf.pages[0].chars, grid[0]))]
            assert "阿卜杜热合曼·买买提" in first and "副市长" in first


def test_duplex_backs_mirror_the_fronts(tmp_path):
    cols, grid = cells(90.0, 130.0, 10)
    with open_pdf(build_small(tmp_path, "badge_backs: true\n")) as pdf:
        fronts, backs = pdf.pages[0:4:2], pdf.pages[1:4:2]
        assert len(pdf.pages) == 4 and crop_marks(fronts[0]) == crop_marks(backs[0]) == crop_marks(backs[1])
        for s, (front, back) in enumerate(zip(fronts, backs, strict=True)):
            for i, cell in enumerate(grid):
                n = s * len(grid) + i
                row, col = divmod(i, cols)
                mirror = grid[row * cols + cols - 1 - col]
                assert abs((cell[0] + mirror[2]) - A4[0]) < 0.01  # the same place seen through the paper
                front_lines = [t for t, _ in text_lines(in_cell(front.chars, cell))]
                back_lines = [t for t, _ in text_lines(in_cell(back.chars, mirror))]
                if n >= len(NAMES):
                    assert not front_lines and not back_lines
                    continue
                assert NAMES[n] in front_lines and f"No.{n + 1:04d}" in front_lines
                assert f"No.{n + 1:04d}" in back_lines
                assert "凭证入场，不得转借；遗失请及时报告会务组。" in "".join(back_lines)
                assert not in_cell(back.images, mirror)


def quarter_turn(c: dict) -> int:
    """Degrees a character is turned on the page, clockwise."""
    return round(math.degrees(math.atan2(-c["matrix"][1], c["matrix"][0])))


def band(page, cell) -> dict:
    """The card's coloured band (on a back the thin strip above 须知)."""
    (rect,) = [r for r in in_cell(page.rects, cell) if r["fill"] and tuple(r["non_stroking_color"]) != (1, 1, 1)]
    return rect


def test_turned_cards_turn_back_the_other_way(tmp_path):
    """On a back sheet a turned card is turned the other way, so both faces share their top edge."""
    sheet = badges.Sheet.of(70.0, 100.0, 5.0)
    assert (sheet.cols, sheet.rows, sheet.rotated) == (2, 4, True)
    for i in range(sheet.per_sheet):
        (x, y), (bx, by) = sheet.cell(i), sheet.cell(i, mirrored=True)
        assert by == y and bx + sheet.cell_w == pytest.approx(A4[0] - x)
    cols, grid = cells(70.0, 100.0, 5)
    settings = "badge_size: 70×100\nbadge_margin_mm: 5\nbadge_backs: true\n"
    with open_pdf(build_small(tmp_path, settings)) as pdf:
        assert len(pdf.pages) == 2 and len(grid) == 8 > len(NAMES)
        front, back = pdf.pages
        for i, cell in enumerate(grid[:len(NAMES)]):
            row, col = divmod(i, cols)
            mirror = grid[row * cols + cols - 1 - col]
            assert {quarter_turn(c) for c in in_cell(front.chars, cell)} == {90}
            assert {quarter_turn(c) for c in in_cell(back.chars, mirror)} == {-90}
            # the card's top is the cell's right edge in front and its left edge behind: the same edge
            assert mm(band(back, mirror)["x0"]) - mirror[0] == pytest.approx(cell[2] - mm(band(front, cell)["x1"]),
                                                                            abs=0.1)


def test_unknown_badge_size_fails_the_build(tmp_path):
    root = new_project(tmp_path, sample=False)
    write_meeting(root, "t", HEAD.replace("\n---\n", "\nbadge_size: 95×140\n---\n", 1), PEOPLE)
    result = run(root, "build")
    assert result.returncode == 1
    assert result.stderr.split("\n")[0] == (
        "content/t/meeting.md:6: badge_size（证件尺寸（卡套规格，宽×高，毫米））："
        "应为 ID-1、ID-1竖、60×90、70×100、80×120、90×130、100×140 之一，收到“95×140”")
    assert not (root / "output" / "t").exists()


def test_skips(tmp_path):
    root = new_project(tmp_path, sample=False)
    write_meeting(root, "t", HEAD)
    m = pipeline.load(pipeline.Project(root), [root / "content" / "t"], Problems())[0]
    assert badges.skip(m) == "没有参会人员名单（attendees.csv 或 attendees.xlsx）"
    (root / "content" / "t" / "attendees.csv").write_text("姓名,单位,状态\n李四,市文联,请假\n", encoding="utf-8")
    m = pipeline.load(pipeline.Project(root), [root / "content" / "t"], Problems())[0]
    assert badges.skip(m) == "名单中没有状态为“参会”的人员"
    assert badges.holders(m) == []


def test_holders_are_the_present_in_protocol_order(tmp_path):
    root = new_project(tmp_path, sample=False)
    write_meeting(root, "t", HEAD, PEOPLE)
    m = pipeline.load(pipeline.Project(root), [root / "content" / "t"], Problems())[0]
    assert badges.skip(m) is None
    assert [a.name for a in badges.holders(m)] == NAMES
    rows = list(csv.reader(PEOPLE.splitlines()))[1:]
    assert {a.name for a in badges.holders(m)} == {r[0] for r in rows if r[4] == "参会"}


def test_validity_dates():
    def M(start: str, end: str | None) -> SimpleNamespace:
        return SimpleNamespace(start=datetime.fromisoformat(start), end=end and datetime.fromisoformat(end))

    assert badges.validity(M("2026-12-08 09:00", "2026-12-08 11:30")) == "2026年12月8日"
    assert badges.validity(M("2026-12-08 09:00", None)) == "2026年12月8日"
    assert badges.validity(M("2026-12-01 09:00", "2026-12-03 17:00")) == "2026年12月1日—3日"
    assert badges.validity(M("2026-11-30 09:00", "2026-12-01 17:00")) == "2026年11月30日—12月1日"
    assert badges.validity(M("2026-12-31 09:00", "2027-01-01 12:00")) == "2026年12月31日—2027年1月1日"


def test_without_libqrencode_the_build_says_what_to_install(monkeypatch):
    from huiwu.layout import qr
    from huiwu.problems import BuildFailed

    monkeypatch.setattr(qr, "LIBRARY", "libqrencode-not-here.so.4")
    qr._library.cache_clear()
    try:
        with pytest.raises(BuildFailed) as failed:
            qr.modules("huiwu:x:0001:王伟")
        assert "libqrencode4" in str(failed.value.problems) and "make" in str(failed.value.problems)
    finally:
        qr._library.cache_clear()
