"""桌签: one A4 landscape tent card per seated person, in seat order, both faces named, and a checklist."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from conftest import (
    BARE,
    SAMPLE,
    TODAY,
    copy_project,
    mm,
    new_project,
    open_pdf,
    run,
    sample_attending,
    write_meeting,
)
from huiwu import pipeline
from huiwu.documents import cards
from huiwu.layout import paging
from huiwu.problems import Problems

HEAD = BARE
VENUE = "rostrum:\n  rows: [3]\nhall:\n  rows: 1\n  seats: 4\n"
PEOPLE = """姓名,单位,职务,类别,排序
欧阳振宇,市政府,常务副市长,主席台,1
阿卜杜热合曼·买买提,市政府,副市长,主席台,2
王芳,市政府,副市长,主席台,3
司马相如,市文联,主席,出席,10
李四,市文联,副主席,出席,11
"""
SMALL_ORDER = ["王芳", "欧阳振宇", "阿卜杜热合曼·买买提", "司马相如", "李四"]  # rostrum (variant A) ranks 3 1 2, then the hall
ROSTRUM = ["胡建明", "李堃", "周卫东", "欧阳振宇", "孙丽萍", "郑国平"]  # 韩立新 on leave: the row closes up
PAPER = (297, 210)
FOLD = 105.0  # mm, V-fold
MARGIN = 10.0  # mm a name keeps from its face's edges
BIG = 40  # pt: name characters are larger than anything on the checklist


def pad(name: str) -> str:
    return name[0] + "　" + name[1] if len(name) == 2 else name


def em_box(c: dict, page_height: float) -> tuple[float, float, float, float]:
    """(x0, top, x1, bottom) in mm of a character's ideographic em box (baseline −0.88 em … +0.12 em,
    turned over for a character rotated 180°)."""
    baseline, size = page_height - c["matrix"][5], c["size"]
    above, below = (0.12, 0.88) if turned(c) else (0.88, 0.12)
    return mm(c["x0"]), mm(baseline - above * size), mm(c["x1"]), mm(baseline + below * size)


def turned(c: dict) -> bool:
    a, b, cc, d = c["matrix"][:4]
    return a < 0 and d < 0 and abs(b) < 1e-6 and abs(cc) < 1e-6


def upright(c: dict) -> bool:
    a, b, cc, d = c["matrix"][:4]
    return a > 0 and d > 0 and abs(b) < 1e-6 and abs(cc) < 1e-6


def face(page, which) -> tuple[str, list[dict]]:
    """The name on one face (`turned` or `upright`), in reading order, and its characters."""
    chars = [c for c in page.chars if c["size"] > BIG and which(c) and c["text"].strip()]
    chars.sort(key=lambda c: -c["x0"] if which is turned else c["x0"])
    return "".join(c["text"] for c in chars), chars


def card_pages(pdf) -> list:
    return [p for p in pdf.pages if any(c["size"] > BIG for c in p.chars)]


def checklist_rows(pdf) -> list[list[str]]:
    rows = []
    for page in pdf.pages:
        for t in page.extract_tables():
            assert t[0] == ["序号", "座位", "姓名", "单位及职务", "排序", "已摆放"]
            rows.extend([(cell or "").replace(" ", "　") for cell in r] for r in t[1:])
    return rows


def check_card(page, name: str) -> None:
    """Both faces carry `name` on one line, centred, inside the face; the upper one turned over."""
    assert (round(mm(page.width)), round(mm(page.height))) == PAPER
    for which, (lo, hi) in ((turned, (0, FOLD)), (upright, (FOLD, PAPER[1]))):
        text, chars = face(page, which)
        assert text == name.replace("　", "")
        boxes = [em_box(c, page.height) for c in chars]
        assert len({round(b[1], 1) for b in boxes}) == 1, "name wraps"
        x0, top, x1, bottom = min(b[0] for b in boxes), boxes[0][1], max(b[2] for b in boxes), boxes[0][3]
        assert abs((x0 + x1) / 2 - PAPER[0] / 2) < 2 and abs((top + bottom) / 2 - (lo + hi) / 2) < 1
        assert x0 >= MARGIN and x1 <= PAPER[0] - MARGIN
        assert top >= lo + MARGIN and bottom <= hi - MARGIN
    assert len(page.chars) == len([c for c in page.chars if turned(c) or upright(c)])
    if len(name) == 3 and name[1] == "　":  # padded: an em of space between surname and given name
        _, (first, second) = face(page, upright)
        assert abs((second["x0"] - first["x1"]) - first["size"]) < 0.05 * first["size"]


# -- the sample meeting --

@pytest.fixture(scope="module")
def sample(sample_build):
    with open_pdf(sample_build / "table-cards.pdf") as pdf:
        yield pdf


def present() -> set[str]:
    """Who gets a card: everyone attending but 工作人员 and 媒体 (no cards by default), stand-ins included."""
    return set(sample_attending())


def seat_key(label: str) -> tuple[int, int, int]:
    found = re.fullmatch(r"(主席台)?(\d+)排(\d+)号", label)
    assert found, label
    return (0 if found[1] else 1, int(found[2]), int(found[3]))


def test_one_landscape_card_per_seated_person(sample):
    cards_ = card_pages(sample)
    assert len(cards_) == len(present()) == 66
    checklist = [p for p in sample.pages if p not in cards_]
    assert checklist and sample.pages[:len(checklist)] == checklist  # the checklist comes first
    assert len(sample.pages) == 66 + len(checklist)
    for page in sample.pages:
        assert (round(mm(page.width)), round(mm(page.height))) == PAPER


def test_cards_in_seat_order(sample):
    names = [face(p, upright)[0] for p in card_pages(sample)]
    assert names[:6] == ROSTRUM
    assert set(names) == present() and "刘国强" in names and "卫嘉琪" not in names and "白雪峰" not in names
    rows = checklist_rows(sample)
    assert [r[2].replace("　", "") for r in rows] == names
    labels = [r[1] for r in rows]
    assert labels[:6] == [f"主席台1排{i}号" for i in range(1, 7)]
    assert labels == sorted(labels, key=seat_key) and len(set(labels)) == len(labels)


def test_both_faces_named_centred_and_inside(sample):
    for page, row in zip(card_pages(sample), checklist_rows(sample), strict=True):
        check_card(page, row[2])


def test_fold_marks_at_the_paper_edges_only(sample):
    for page in card_pages(sample):
        assert not page.rects and not page.curves
        marks = [(mm(ln["x0"]), mm(ln["x1"]), mm(ln["top"]), mm(ln["bottom"])) for ln in page.lines]
        assert len(marks) == 2
        for x0, x1, top, bottom in marks:
            assert abs(top - FOLD) < 0.1 and abs(bottom - FOLD) < 0.1
            assert 0 < x1 - x0 <= 5.01
            assert x1 <= 5.01 or x0 >= PAPER[0] - 5.01  # never across the face
        assert min(m[0] for m in marks) < 0.1 and max(m[1] for m in marks) > PAPER[0] - 0.1


def test_checklist_lists_every_seat(sample):
    rows = checklist_rows(sample)
    assert [r[0] for r in rows] == [str(i) for i in range(1, 67)]
    assert rows[2][1:5] == ["主席台1排3号", "周卫东", "市政府市长", "1"]
    assert rows[6][1:5] == ["1排1号", "刘国强", "市政府副秘书长（代韩立新）", "7"]  # the stand-in, in the hall
    assert all(r[1] and r[2] and r[5] == "" for r in rows)
    text = sample.pages[0].extract_text()
    assert "2026年全市经济工作会议桌签摆放核对表" in text
    assert "共 66 张（主席台 6 张，会场 60 张）" in text


# -- a small meeting: long and short names, switches --

def small(base: Path, settings: str = "") -> Path:
    """A small meeting whose meeting.md sets `settings` (YAML lines) in its front matter."""
    root = new_project(base, sample=False)
    folder = write_meeting(root, "t", HEAD.replace("\n---\n", f"\n{settings}---\n", 1), PEOPLE)
    (folder / "venue.yaml").write_text(VENUE, encoding="utf-8")
    return root


def test_long_and_short_names_fit(tmp_path):
    root = small(tmp_path)
    result = run(root, "build", "--only", "cards")
    assert result.returncode == 0, result.stderr
    with open_pdf(root / "output" / "t" / "table-cards.pdf") as pdf:
        pages = card_pages(pdf)
        assert [face(p, upright)[0] for p in pages] == SMALL_ORDER
        for page, name in zip(pages, SMALL_ORDER, strict=True):
            check_card(page, pad(name))
        long_size = face(pages[2], upright)[1][0]["size"]
        assert mm(long_size) < 0.85 * 297 / 10 + 0.1  # shrunk from the 68 mm a 3-character name gets
        assert mm(face(pages[0], upright)[1][0]["size"]) == pytest.approx(0.65 * 105, abs=0.2)


def build_in_process(root: Path) -> Path:
    pipeline.build(pipeline.Project(root), lambda line: None, force=True, only=frozenset({"cards"}))
    return root / "output" / "t" / "table-cards.pdf"


def test_tri_fold(tmp_path):
    with open_pdf(build_in_process(small(tmp_path, "card_fold: 三折\n"))) as pdf:
        for page, name in zip(card_pages(pdf), SMALL_ORDER, strict=True):
            back, front = face(page, turned)[1], face(page, upright)[1]
            assert face(page, upright)[0] == name
            assert all(em_box(c, page.height)[3] <= 70 - MARGIN for c in back)
            assert all(70 + MARGIN <= em_box(c, page.height)[1] and em_box(c, page.height)[3] <= 140 - MARGIN
                       for c in front)
            assert sorted(round(mm(ln["top"])) for ln in page.lines) == [70, 70, 140, 140]


def test_unit_line(tmp_path):
    with open_pdf(build_in_process(small(tmp_path, "card_unit_line: true\n"))) as pdf:
        page = card_pages(pdf)[0]
        big = max(c["size"] for c in page.chars)
        name = [c for c in page.chars if upright(c) and c["size"] == big]
        unit = [c for c in page.chars if upright(c) and c["size"] < big]
        assert "".join(c["text"] for c in sorted(unit, key=lambda c: c["x0"])) == "市政府副市长"
        assert unit[0]["size"] == pytest.approx(name[0]["size"] / 3, rel=0.02)
        top, bottom = em_box(name[0], page.height)[1], em_box(unit[0], page.height)[3]
        assert em_box(unit[0], page.height)[1] > em_box(name[0], page.height)[3]  # under the name
        assert top >= FOLD + MARGIN and bottom <= PAPER[1] - MARGIN
        assert abs((top + bottom) / 2 - (FOLD + PAPER[1]) / 2) < 1  # the two lines centred together


def test_skips(tmp_path):
    root = new_project(tmp_path, sample=False)
    write_meeting(root, "t", HEAD, PEOPLE)
    m = pipeline.load(pipeline.Project(root), [root / "content" / "t"], Problems())[0]
    assert cards.skip(m) == "没有座次（venue.yaml 或 meeting.md 中的 seating）"
    assert cards.holders(m) == []
    (root / "content" / "t" / "venue.yaml").write_text("hall:\n  rows: 1\n  seats: 4\n", encoding="utf-8")
    (root / "content" / "t" / "attendees.csv").write_text("姓名,单位,状态\n李四,市文联,请假\n", encoding="utf-8")
    m = pipeline.load(pipeline.Project(root), [root / "content" / "t"], Problems())[0]
    assert cards.skip(m) == "座次中没有人"


def test_holders_in_seat_order(tmp_path):
    root = small(tmp_path)
    m = pipeline.load(pipeline.Project(root), [root / "content" / "t"], Problems())[0]
    assert cards.skip(m) is None
    assert [a.name for a in cards.holders(m)] == SMALL_ORDER


# -- the chunk cache --

def chunk_files(root: Path) -> dict[str, int]:
    folder = root / "output" / ".cache" / "chunks" / SAMPLE / "cards"
    return {p.name: p.stat().st_mtime_ns for p in folder.glob("*.pdf")}


def edit_attendee(root: Path, name: str, column: str, value: str) -> None:
    path = root / "content" / SAMPLE / "attendees.csv"
    with open(path, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    col = rows[0].index(column)
    (row,) = [r for r in rows[1:] if r[0] == name]
    row[col] = value
    with open(path, "w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f).writerows(rows)


def rebuilt(root: Path, before: dict[str, int]) -> list[str]:
    """Rebuild the cards (alone: the chunk cache works the same in a full build, whose other documents would
    only add time); return the chunk files that are new, checking every other one was left alone."""
    result = run(root, "build", "--only", "cards", env={"HUIWU_TODAY": TODAY})
    assert result.returncode == 0, result.stderr
    after = chunk_files(root)
    assert len(after) == len(before)
    kept = set(before) & set(after)
    assert all(before[n] == after[n] for n in kept)
    return sorted(set(after) - kept)


def test_an_edit_rerenders_only_its_chunks(tmp_path, sample_build):
    root = copy_project(sample_build.parents[1], tmp_path)  # built as of TODAY, its chunk cache filled
    assert run(root, "build", env={"HUIWU_TODAY": TODAY}).returncode == 0
    pdf_path = root / "output" / SAMPLE / "table-cards.pdf"
    before = chunk_files(root)
    with open_pdf(pdf_path) as pdf:
        listed = int(re.search(r"共(\d+)页", pdf.pages[0].extract_text())[1])  # the checklist's pages
    assert len(before) == -(-listed // paging.PAGES_PER_CHUNK) + -(-66 // cards.CHUNK)  # its chunks, the cards

    edit_attendee(root, "王芳", "职务", "区委副书记、区长")  # on the checklist only
    (new,) = rebuilt(root, before)
    with open_pdf(root / "output" / ".cache" / "chunks" / SAMPLE / "cards" / new) as chunk:
        assert "桌签摆放核对表" in chunk.pages[0].extract_text()
    with open_pdf(pdf_path) as pdf:
        assert any(r[3] == "青阳区人民政府区委副书记、区长" for r in checklist_rows(pdf))

    before = chunk_files(root)
    edit_attendee(root, "陈国栋", "姓名", "陈国梁")  # on one card and the checklist
    new = rebuilt(root, before)
    assert len(new) == 2
    with open_pdf(pdf_path) as pdf:
        names = [face(p, upright)[0] for p in card_pages(pdf)]
        assert "陈国梁" in names and "陈国栋" not in names
        assert any(r[2] == "陈国梁" for r in checklist_rows(pdf))
