"""主席台材料核对表: each rostrum seat in seat order with the materials stacked there, their 份号 and page counts,
read back from the PDF and checked against the sources read without the program's code."""

from __future__ import annotations

import csv
import re

from pypdf import PdfReader

from conftest import BARE, ROOT, SAMPLE, flat, front_matter, new_project, open_pdf, run, write_meeting

SEAT = re.compile(r"^主席台\d+排\d+号")


def seats_of(path) -> list[tuple[str, list[list[str]]]]:
    """(the seat's group line, its material rows) in page order."""
    out: list[tuple[str, list[list[str]]]] = []
    with open_pdf(path) as pdf:
        for page in pdf.pages:
            for table in page.find_tables():
                for row in table.extract():
                    cells = [flat(c) for c in row]
                    if cells[0] == "顺序":
                        continue
                    if all(c == "" for c in cells[1:]) or len([c for c in row if c is not None]) == 1:
                        out.append((cells[0], []))
                    else:
                        out[-1][1].append(cells)
    return out


def card_seats(path) -> dict[str, str]:
    """Name → seat label on the 桌签 checklist (another document's account of the seating)."""
    found = {}
    with open_pdf(path) as pdf:
        for page in pdf.pages:
            for table in page.find_tables():
                for row in table.extract():
                    cells = [flat(c) for c in row]
                    if cells[0].isdigit():
                        found[cells[2]] = cells[1]
    return found


def test_sample_lists_every_rostrum_seat_with_its_stack_and_page_counts(sample_build):
    meeting = front_matter(ROOT / "content" / SAMPLE / "meeting.md")
    with open(ROOT / "content" / SAMPLE / "attendees.csv", encoding="utf-8-sig") as f:
        rostrum = {r["姓名"] for r in csv.DictReader(f) if r["类别"] == "主席台" and r["状态"] != "请假"}
    mats = [m for m in meeting["materials"] if m.get("copies", "每人一份") == "每人一份"
            and (not m.get("to") or "主席台" in m["to"])]
    def pages(m):
        return len(PdfReader(ROOT / "content" / SAMPLE / m["file"]).pages) if m.get("file") else m["pages"]

    found = seats_of(sample_build / "rostrum-materials.pdf")
    cards = card_seats(sample_build / "table-cards.pdf")
    names = []
    for group, rows in found:
        seat = SEAT.match(group).group(0)
        (name,) = [n for n in rostrum if group[len(seat):].startswith(n)]
        names.append(name)
        assert cards[name] == seat  # the seat the card checklist gives this person
        assert [r[1] for r in rows] == [flat(m["title"]) for m in mats]  # stacked in the materials' order
        assert [r[0] for r in rows] == [str(k) for k in range(1, len(mats) + 1)]
        assert [int(r[4]) for r in rows] == [pages(m) for m in mats]
        for r, m in zip(rows, mats, strict=True):
            if m.get("classification") in ("秘密", "机密", "绝密") or m.get("recollect"):
                folder = sample_build / "materials" / m["file"].split("/")[-1].removesuffix(".pdf")
                copy = next(folder.glob(f"*-{name}.pdf"))
                assert r[2] == copy.name.split("-")[0]  # the 份号 of the copy printed for this person
            else:
                assert r[2] == "—"
    assert sorted(names) == sorted(rostrum)
    assert [cards[n] for n in names] == sorted((cards[n] for n in names), key=lambda s: int(s[5:-1]))
    text = flat(open_pdf(sample_build / "rostrum-materials.pdf").pages[0].extract_text())
    assert f"主席台{len(rostrum)}个座位，共摆放材料{len(rostrum) * len(mats)}份" in text


MEETING = BARE.replace("---\n\n", """materials:
  - {title: 讲话稿, pages: 5}
  - {title: 经济运行情况, file: 运行.pdf, pages: 9}
  - {title: 参阅材料}
---

""", 1)
PEOPLE = "姓名,单位,职务,类别,排序\n周卫东,市政府,市长,主席台,1\n王建华,市财政局,局长,出席,10\n"
VENUE = "rostrum: {rows: [3]}\nhall: {rows: 2, seats: 5}\n"


def project(tmp_path, meeting: str = MEETING):
    from pypdf import PdfWriter

    root = new_project(tmp_path)
    folder = write_meeting(root, "t", meeting, PEOPLE)
    (folder / "venue.yaml").write_text(VENUE, encoding="utf-8")
    writer = PdfWriter()
    for _ in range(3):
        writer.add_blank_page(595, 842)
    writer.write(folder / "运行.pdf")
    return root


def test_a_declared_page_count_that_differs_from_the_file_names_its_line(tmp_path):
    result = run(project(tmp_path), "build")
    assert result.returncode == 1
    assert "meeting.md:8: materials：“经济运行情况”写明 9 页，材料文件“运行.pdf”有 3 页" in result.stderr


def test_unknown_page_counts_are_flagged(tmp_path):
    root = project(tmp_path, MEETING.replace(", pages: 9", ""))
    result = run(root, "build", "--only", "rostrum")
    assert result.returncode == 0, result.stderr
    (group, rows), = seats_of(root / "output" / "t" / "rostrum-materials.pdf")
    assert group.startswith("主席台1排2号周卫东")  # variant A, one person on three seats: the middle one
    assert [(r[1], r[4]) for r in rows] == [("讲话稿", "5"), ("经济运行情况", "3"), ("参阅材料", "未知")]
    text = flat(open_pdf(root / "output" / "t" / "rostrum-materials.pdf").pages[0].extract_text())
    assert "页数未知（请在materials中写file或pages）：参阅材料" in text


def test_without_rostrum_or_its_materials_it_says_why(tmp_path):
    root = new_project(tmp_path)
    write_meeting(root, "t", BARE)
    result = run(root, "build", "--only", "rostrum")
    assert "未生成 t/rostrum-materials.pdf：座次中主席台没有人" in result.stdout
    root = project(tmp_path / "b", MEETING.replace("{title: 讲话稿, pages: 5}", "{title: 讲话稿, to: [出席]}")
                   .replace("\n  - {title: 经济运行情况, file: 运行.pdf, pages: 9}\n  - {title: 参阅材料}", ""))
    result = run(root, "build", "--only", "rostrum")
    assert result.returncode == 0, result.stderr
    assert "未生成 t/rostrum-materials.pdf：没有发给主席台的材料" in result.stdout
