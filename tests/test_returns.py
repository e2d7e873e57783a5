"""返程服务表: attendees going home, grouped by date then by mode, read back from the PDF."""

from __future__ import annotations

import csv
import re
import shutil
from datetime import date

import pytest

from conftest import BARE, ROOT, SAMPLE, flat, new_project, open_pdf, pdf_text, run, write_meeting

HEADER = ["序号", "姓名", "单位", "职务", "车次航班", "电话", "送站安排/备注"]
HEADING = re.compile(r"^(\d+月\d+日（星期.）|返程日期未填)\s*(\S+)（(\d+)人）$")
WEEKDAYS = "一二三四五六日"
NO_DATA = "名单中没有参会人员填写返程信息（返程日期、返程方式、车次航班）"


def groups(path) -> list[tuple[str, str, int, list[list[str]]]]:
    """(date, mode, count in the heading, rows) in page order; a table split over pages stays in its group."""
    out: list[tuple[str, str, int, list[list[str]]]] = []
    with open_pdf(path) as pdf:
        for page in pdf.pages:
            items = [(line["top"], HEADING.match(line["text"]), None) for line in page.extract_text_lines()]
            items += [(t.bbox[1], None, t.extract()) for t in page.find_tables()]
            for _, heading, rows in sorted(items, key=lambda item: item[0]):
                if heading:
                    out.append((heading[1], heading[2], int(heading[3]), []))
                elif rows:
                    assert [flat(c) for c in rows[0]] == HEADER
                    out[-1][3].extend([flat(c) for c in row] for row in rows[1:])
    return out


def label(d: date) -> str:
    return f"{d.month}月{d.day}日（星期{WEEKDAYS[d.weekday()]}）"


def sample_people() -> list[dict[str, str]]:
    with open(ROOT / "content" / SAMPLE / "attendees.csv", encoding="utf-8-sig") as f:
        return list(csv.DictReader(f))


def signed_in() -> set[str]:
    with open(ROOT / "content" / SAMPLE / "signin.csv", encoding="utf-8-sig") as f:
        return {row["姓名"] for row in csv.DictReader(f)}


def expected(people: list[dict[str, str]]) -> dict[tuple[str, str], set[str]]:
    """By hand: people with return data who came (not on leave, signed in), by (date label, mode)."""
    out: dict[tuple[str, str], set[str]] = {}
    came = signed_in()
    for p in people:
        if p["状态"] != "请假" and p["姓名"] in came and p["返程日期"]:
            out.setdefault((label(date.fromisoformat(p["返程日期"])), p["返程方式"]), set()).add(p["姓名"])
    return out


def test_sample_groups_by_date_then_mode_with_the_right_people(sample_build):
    found = groups(sample_build / "returns.pdf")
    people = sample_people()
    want = expected(people)
    assert {(d, mode): {r[1] for r in rows} for d, mode, _, rows in found} == want
    assert [(d, mode) for d, mode, _, _ in found] == [
        ("12月8日（星期二）", "飞机"), ("12月8日（星期二）", "火车"), ("12月9日（星期三）", "飞机"), ("12月9日（星期三）", "火车")]
    by_name = {p["姓名"]: p for p in people}
    for _, _, count, rows in found:
        assert count == len(rows)
        assert [r[0] for r in rows] == [str(i) for i in range(1, len(rows) + 1)]
        for r in rows:
            p = by_name[r[1]]
            assert r[2:6] == [p["单位"], p["职务"], p["车次航班"], p["电话"]]
        refs = [r[4] for r in rows]
        assert refs == sorted(refs)  # people on the same train or flight side by side


def test_sample_lead_counts_and_absentees_left_out(sample_build):
    path = sample_build / "returns.pdf"
    people = sample_people()
    listed = {r[1] for _, _, _, rows in groups(path) for r in rows}
    away = [p["姓名"] for p in people if p["状态"] == "请假" and p["返程日期"]]
    missing = [p["姓名"] for p in people if p["状态"] == "参会" and p["返程日期"] and p["姓名"] not in signed_in()]
    assert (away, missing) == (["严文静"], ["万志勇"])  # what the sample was written to show
    assert not listed & {*away, *missing}  # nobody who stayed away is listed as travelling
    text = pdf_text(path)
    assert f"返程{len(listed)}人：12月8日（星期二）5人，12月9日（星期三）4人；飞机3人，火车6人" in text
    assert "请假人员严文静填有返程信息，未列入本表。" in text
    assert "缺席人员（未签到）万志勇填有返程信息，未列入本表。" in text


def test_second_sample_leaves_out_a_leader_on_leave(tmp_path):
    root = new_project(tmp_path)
    shutil.copytree(ROOT / "content" / "2027-01-diaodu", root / "content" / "2027-01-diaodu")
    (root / "content" / "2027-01-diaodu" / "meeting.md").write_text(
        (ROOT / "content" / "2027-01-diaodu" / "meeting.md").read_text(encoding="utf-8").replace(
            "follows: 2026-12-jingji\n", ""), encoding="utf-8")
    result = run(root, "build", "--only", "returns")
    assert result.returncode == 0, result.stderr
    path = root / "output" / "2027-01-diaodu" / "returns.pdf"
    assert {r[1] for _, _, _, rows in groups(path) for r in rows} == {"赵敏"}
    assert "请假人员黄永强填有返程信息，未列入本表。" in pdf_text(path)


PEOPLE = """姓名,单位,职务,类别,状态,返程日期,返程方式,车次航班
王芳,甲局,局长,出席,参会,2026-12-10,轮船,渝轮3号
李强,乙局,局长,列席,参会,2026-12-09,自驾,
陈刚,丙局,局长,出席,请假,2026-12-09,火车,G1
刘洋,丁局,局长,特邀,参会,2026-12-09,,K1234
赵敏,戊局,局长,特邀,参会,,火车,G22
孙明,己局,局长,出席,参会,2026-12-09,火车,G88
周伟,庚局,局长,出席,参会,2026-12-09,飞机,CA1
吴静,辛局,局长,出席,参会,,,
"""


def small(tmp_path, people: str | None):
    root = new_project(tmp_path, sample=False)
    write_meeting(root, "t", BARE, people)
    return root, root / "output" / "t" / "returns.pdf"


def test_fixed_mode_order_missing_mode_and_missing_date_come_last(tmp_path):
    root, path = small(tmp_path, PEOPLE)
    result = run(root, "build", "--only", "returns")
    assert result.returncode == 0, result.stderr
    found = [(d, mode, [r[1] for r in rows]) for d, mode, _, rows in groups(path)]
    assert found == [
        ("12月9日（星期三）", "飞机", ["周伟"]),
        ("12月9日（星期三）", "火车", ["孙明"]),  # 陈刚 is on leave
        ("12月9日（星期三）", "自驾", ["李强"]),
        ("12月9日（星期三）", "方式未填", ["刘洋"]),
        ("12月10日（星期四）", "轮船", ["王芳"]),
        ("返程日期未填", "火车", ["赵敏"]),
    ]
    assert "请假人员陈刚填有返程信息" in pdf_text(path)


def test_a_bad_return_date_is_an_error_with_its_line(tmp_path):
    root, path = small(tmp_path, PEOPLE.replace("2026-12-10", "12月32日"))
    result = run(root, "build")
    assert result.returncode == 1
    assert "content/t/attendees.csv:2: 返程日期: " in result.stderr
    assert not path.exists()


@pytest.mark.parametrize(("people", "reason"), [
    (None, "没有参会人员名单（attendees.csv 或 attendees.xlsx）"),
    ("姓名,单位,类别\n王芳,甲局,出席\n", NO_DATA),
    ("姓名,单位,状态,返程日期,返程方式\n王芳,甲局,请假,2026-12-09,火车\n李强,乙局,参会,,\n", NO_DATA),
])
def test_no_return_data_skips_the_form_and_says_why(tmp_path, people, reason):
    root, path = small(tmp_path, people)
    result = run(root, "build", "--only", "returns")
    assert result.returncode == 0, result.stderr
    assert f"未生成 t/returns.pdf：{reason}" in result.stdout
    assert not path.exists()
