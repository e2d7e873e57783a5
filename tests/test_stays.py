"""暂留人员食宿安排表: who stays on after the meeting, by the day they leave, with nights, lodging, room and meals,
read back from the PDF and checked against the attendee table read without the program's code."""

from __future__ import annotations

import csv
import re
from datetime import date

from conftest import BARE, ROOT, SAMPLE, flat, new_project, open_pdf, run, write_meeting

HEADER = ["序号", "姓名", "单位及职务", "住宿晚数", "住宿地点", "房间", "就餐安排", "电话", "车次航班"]
HEADING = re.compile(r"^(\d+)月(\d+)日（星期.）返程（(\d+)人，住宿(\d+)间夜）$")


def groups(path) -> list[tuple[str, int, int, list[list[str]]]]:
    """(month-day, people, room-nights in the heading, rows) in page order."""
    out: list = []
    with open_pdf(path) as pdf:
        for page in pdf.pages:
            items = [(line["top"], HEADING.match(flat(line["text"])), None) for line in page.extract_text_lines()]
            items += [(t.bbox[1], None, t.extract()) for t in page.find_tables()]
            for _, heading, rows in sorted(items, key=lambda item: item[0]):
                if heading:
                    out.append((f"{heading[1]}-{heading[2]}", int(heading[3]), int(heading[4]), []))
                elif rows:
                    assert [flat(c) for c in rows[0]] == HEADER
                    out[-1][3].extend([flat(c) for c in row] for row in rows[1:])
    return out


def test_sample_lists_who_stays_on_with_nights_and_arrangements(sample_build):
    with open(ROOT / "content" / SAMPLE / "signin.csv", encoding="utf-8-sig") as f:
        came = {r["姓名"] for r in csv.DictReader(f)}
    with open(ROOT / "content" / SAMPLE / "attendees.csv", encoding="utf-8-sig") as f:
        people = [p for p in csv.DictReader(f) if p["状态"] != "请假" and p["姓名"] in came and p["返程日期"]
                  and date.fromisoformat(p["返程日期"]) > date(2026, 12, 8)]  # the sample ends on 12月8日
    assert people  # the sample shows the document
    found = groups(sample_build / "stays.pdf")
    rows = {r[1]: r for _, _, _, rs in found for r in rs}
    assert set(rows) == {p["姓名"] for p in people}
    for p in people:
        r = rows[p["姓名"]]
        nights = (date.fromisoformat(p["返程日期"]) - date(2026, 12, 8)).days
        assert r[2:] == [p["单位"] + p["职务"], str(nights), p["住宿"], p["房间"], flat(p["就餐"]), p["电话"],
                         p["车次航班"]]
    for _day, n, room_nights, rs in found:
        assert n == len(rs) and room_nights == sum(int(r[3]) for r in rs)
        assert [r[0] for r in rs] == [str(i) for i in range(1, len(rs) + 1)]
    text = flat(open_pdf(sample_build / "stays.pdf").pages[0].extract_text())
    assert f"暂留{len(people)}人，共住宿{sum(int(r[3]) for r in rows.values())}间夜" in text


PEOPLE = """姓名,单位,职务,类别,状态,返程日期,住宿,房间,就餐
周卫东,市政府,市长,主席台,参会,2026-12-11,青川宾馆,101,12月9日至11日三餐
王建华,市财政局,局长,出席,参会,2026-12-09,,,
赵国华,市统计局,局长,出席,参会,2026-12-08,青川宾馆,102,
钱国强,市政府,副市长,主席台,请假,2026-12-10,青川宾馆,103,
孙建平,市商务局,局长,出席,参会,,,,
"""


def test_grouped_by_day_with_nights_from_the_last_day_and_gaps_flagged(tmp_path):
    root = new_project(tmp_path)
    write_meeting(root, "t", BARE, PEOPLE)  # the meeting is on 2026-12-08
    result = run(root, "build", "--only", "stays")
    assert result.returncode == 0, result.stderr
    path = root / "output" / "t" / "stays.pdf"
    found = groups(path)
    assert [(d, n, rn, [r[1] for r in rs]) for d, n, rn, rs in found] == [
        ("12-9", 1, 1, ["王建华"]), ("12-11", 1, 3, ["周卫东"])]  # leaving on the day: not staying; on leave: not
    assert found[0][3][0][4] == "未安排" and found[0][3][0][6] == "未安排"
    text = flat(open_pdf(path).pages[0].extract_text())
    assert "暂留2人，共住宿4间夜" in text and "住宿或就餐尚未安排：王建华" in text


def test_without_anyone_staying_it_says_why(tmp_path):
    root = new_project(tmp_path)
    write_meeting(root, "t", BARE, PEOPLE.replace("2026-12-11", "").replace("2026-12-09", ""))
    result = run(root, "build", "--only", "stays")
    assert result.returncode == 0, result.stderr
    assert "未生成 t/stays.pdf：名单中没有会后暂留的人员（返程日期在会议结束之后）" in result.stdout
