"""会场布置及设备检查表: a line per microphone by where it is and the other equipment to check, then the 会场布置示意
drawn from the venue — read back from the PDF and recomputed from the sources read without the program's code."""

from __future__ import annotations

import csv
import re
from collections import Counter

import yaml

from conftest import BARE, ROOT, SAMPLE, flat, front_matter, mm, new_project, open_pdf, run, write_meeting


def checklist(path) -> list[list[str]]:
    with open_pdf(path) as pdf:
        return [[flat(c) for c in row] for p in pdf.pages for t in p.find_tables() for row in t.extract()
                if flat(row[0]).isdigit()]


def card_seats(path) -> dict[str, str]:
    with open_pdf(path) as pdf:
        return {flat(r[2]): flat(r[1]) for p in pdf.pages for t in p.find_tables() for r in t.extract()
                if flat(r[0]).isdigit()}


def test_sample_lists_each_microphone_where_it_is(sample_build):
    e = front_matter(ROOT / "content" / SAMPLE / "meeting.md")["equipment"]
    with open(ROOT / "content" / SAMPLE / "attendees.csv", encoding="utf-8-sig") as f:
        rostrum = [r["姓名"] for r in csv.DictReader(f) if r["类别"] == "主席台" and r["状态"] != "请假"]
    seats = card_seats(sample_build / "table-cards.pdf")
    rows = checklist(sample_build / "equipment.pdf")
    assert [int(r[0]) for r in rows] == list(range(1, len(rows) + 1))
    mics = [r for r in rows if "话筒" in r[1]]
    on_rostrum = [r for r in mics if r[1] == "主席台话筒"]
    in_seat_order = sorted(rostrum, key=lambda n: int(re.search(r"(\d+)号", seats[n])[1]))
    assert [r[2] for r in on_rostrum] == [f"{seats[n]}（{n}）" for n in in_seat_order]  # the seat the card gives
    assert [r[2] for r in mics if r[1] == "发言席话筒"] == ["发言席"]
    assert len([r for r in mics if r[1].startswith("会场话筒")]) == e["hall_mics"]
    assert len([r for r in mics if r[1].startswith("备用话筒")]) == e["spare_mics"]
    assert all(r[4] == e["sound_check"]["owner"] for r in rows)
    for item in (e["projector"], e["recording"], *e["other"]):
        assert flat(item) in [r[1] for r in rows]
    with open_pdf(sample_build / "equipment.pdf") as pdf:
        text = flat(pdf.pages[0].extract_text())
    assert "试音时间：2026年12月7日（星期一）下午3:00负责人：夏宇航" in text
    assert f"话筒{len(mics)}支，其他{len(rows) - len(mics)}项" in text
    walk = [r for r in checklist(sample_build / "tasks.pdf") if r[1].startswith("话筒、音响、投影已调试")]
    assert [r[2] for r in walk] == [f"话筒{len(mics)}支，见会场布置及设备检查表"]  # the 自查清单 counts the same


def test_sample_drawing_shows_the_rostrum_microphones_lectern_hall_and_doors(sample_build):
    venue = yaml.safe_load((ROOT / "content" / SAMPLE / "venue.yaml").read_text(encoding="utf-8"))
    with open(ROOT / "content" / SAMPLE / "attendees.csv", encoding="utf-8-sig") as f:
        rostrum = [r for r in csv.DictReader(f) if r["类别"] == "主席台" and r["状态"] != "请假"]
    with open_pdf(sample_build / "equipment.pdf") as pdf:
        page = pdf.pages[-1]
        text = page.extract_text()
        sizes = Counter((round(mm(r["width"]), 1), round(mm(r["height"]), 1)) for r in page.rects)
    assert "会场布置示意" in text
    assert text.count("◎") == len(rostrum) + 1 + 1  # each seated rostrum seat, the 发言席, the legend
    assert "发言席◎" in flat(text)
    for d in venue["entrances"]:
        assert d["name"] in text
    for block in venue["hall"]["reserved"]:
        assert block["label"] in text
    hall = venue["hall"]["rows"] * venue["hall"]["seats"]
    assert hall in sizes.values()  # one box per hall seat, all the same size
    assert sizes[(15.0, 8.0)] == 2 * venue["rostrum"]["rows"][0]  # each rostrum seat: its fill and its frame


MEETING = BARE.replace("---\n\n", """equipment: {rostrum_mics: 2, spare_mics: 1}
---

""", 1)


def test_shared_rostrum_microphones_and_no_drawing_without_a_venue(tmp_path):
    root = new_project(tmp_path)
    write_meeting(root, "t", MEETING)
    result = run(root, "build", "--only", "equipment")
    assert result.returncode == 0, result.stderr
    path = root / "output" / "t" / "equipment.pdf"
    assert [r[1:3] for r in checklist(path)][:3] == [["主席台话筒（共用）1", "主席台"], ["主席台话筒（共用）2", "主席台"],
                                                    ["备用话筒1（含备用电池）", "会务组"]]
    with open_pdf(path) as pdf:
        assert len(pdf.pages) == 1 and "会场布置示意" not in pdf.pages[0].extract_text()
        assert "试音时间：" in pdf.pages[0].extract_text()  # left to fill in


def test_a_wrong_entrance_side_names_its_line(tmp_path):
    root = new_project(tmp_path)
    folder = write_meeting(root, "t", MEETING)
    (folder / "venue.yaml").write_text("hall: {rows: 2, seats: 4}\nentrances:\n  - {name: 南门, side: 中间}\n",
                                       encoding="utf-8")
    result = run(root, "build")
    assert result.returncode == 1
    assert "venue.yaml:3: entrances[1].side（位置）：应为 前左、前右、左、右、后左、后、后右 之一，收到“中间”" in result.stderr


def test_without_equipment_it_says_why(tmp_path):
    root = new_project(tmp_path)
    write_meeting(root, "t", BARE)
    result = run(root, "build", "--only", "equipment")
    assert "未生成 t/equipment.pdf：没有 equipment（会场设备：话筒、投影、录音录像、试音）" in result.stdout
