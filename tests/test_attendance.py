"""到会统计: the sign-in result counted against the attendee list, read back from the PDF."""

from __future__ import annotations

import csv
import re
from datetime import datetime

import pytest

from conftest import BARE, ROOT, SAMPLE, flat, new_project, open_pdf, pdf_text, run, write_meeting

START = datetime(2026, 12, 8, 9, 0)
NUMBERS = re.compile(r"应到(\d+)人实到(\d+)人请假(\d+)人缺席(\d+)人迟到(\d+)人替会(\d+)人")


def read_csv(name: str) -> list[dict[str, str]]:
    with open(ROOT / "content" / SAMPLE / name, encoding="utf-8-sig") as f:
        return list(csv.DictReader(f))


def tables_by_header(path) -> dict[str, list[list[str]]]:
    """Body rows of each ruled table, keyed by its header row joined with '|' (page breaks merged)."""
    out: dict[str, list[list[str]]] = {}
    with open_pdf(path) as pdf:
        for page in pdf.pages:
            for t in page.extract_tables():
                rows = [[flat(c) for c in row] for row in t]
                out.setdefault("|".join(rows[0]), []).extend(rows[1:])
    return out


def rows_of(path, first: str, *more: str) -> list[list[str]]:
    found = [rows for header, rows in tables_by_header(path).items() if header.startswith("|".join((first, *more)))]
    assert len(found) == 1, list(tables_by_header(path))
    return found[0]


def red_text(path) -> str:
    with open_pdf(path) as pdf:
        return "".join(c["text"] for p in pdf.pages for c in p.chars
                       if isinstance(c.get("non_stroking_color"), (tuple, list)) and len(c["non_stroking_color"]) == 3
                       and c["non_stroking_color"][0] > 0.5 and max(c["non_stroking_color"][1:]) < 0.2)


def hand_count() -> dict:
    people = [r for r in read_csv("attendees.csv") if r["类别"] not in ("工作人员", "媒体")]
    signed = {r["姓名"]: datetime.strptime(r["签到时间"], "%Y-%m-%d %H:%M") for r in read_csv("signin.csv")}
    came = [r for r in people if r["姓名"] in signed]
    late = {r["姓名"]: int((signed[r["姓名"]] - START).total_seconds() // 60) for r in came
            if signed[r["姓名"]] > START}
    return {
        "应到": len(people), "实到": len(came),
        "请假": len([r for r in people if r["状态"] == "请假" and r["姓名"] not in signed]),
        "缺席": [r["姓名"] for r in people if r["状态"] == "参会" and r["姓名"] not in signed],
        "迟到": late,
        "替会": [r["姓名"] for r in read_csv("signin.csv") if r["备注"] == "替会"],
    }


def test_overall_numbers_equal_a_hand_count_and_add_up(sample_build):
    numbers = NUMBERS.search(pdf_text(sample_build / "attendance.pdf"))
    assert numbers, "overall line missing"
    expected, present, leave, absent, late, stand_ins = map(int, numbers.groups())
    count = hand_count()
    assert (expected, present, leave, absent, late, stand_ins) == (
        count["应到"], count["实到"], count["请假"], len(count["缺席"]), len(count["迟到"]), len(count["替会"]))
    assert expected == present + leave + absent
    assert (late, absent, stand_ins) == (3, 2, 3)  # what the sample was written to show


def test_unit_rows_add_up_to_the_total_row_in_protocol_order(sample_build):
    rows = rows_of(sample_build / "attendance.pdf", "单位", "应到")
    *units, total = rows
    assert total[0] == "合计"
    assert [sum(int(r[i]) for r in units) for i in range(1, 6)] == [int(v) for v in total[1:]]
    order = list(dict.fromkeys(r["单位"] for r in read_csv("attendees.csv") if r["类别"] not in ("工作人员", "媒体")))
    assert [r[0] for r in units][:3] == ["市政府", "市政协", "青阳区人民政府"]
    assert sorted(r[0] for r in units) == sorted(order)
    for unit, *numbers in units:
        expected, present, leave, absent, _ = map(int, numbers)
        assert expected == present + leave + absent, unit


def test_late_people_are_listed_with_their_minutes(sample_build):
    rows = rows_of(sample_build / "attendance.pdf", "序号", "姓名", "单位及职务", "签到时间", "迟到分钟")
    assert {r[1]: int(r[4]) for r in rows} == hand_count()["迟到"]
    assert [r[3] for r in rows] == ["9:03", "9:11", "9:20"]


def test_absentees_are_listed_and_flagged_red(sample_build):
    path = sample_build / "attendance.pdf"
    rows = rows_of(path, "序号", "姓名", "单位及职务", "联系电话")
    assert [r[1] for r in rows] == hand_count()["缺席"] == ["彭丽", "万志勇"]
    red = flat(red_text(path))
    assert "彭丽" in red and "万志勇" in red


def test_stand_ins_and_unknown_sign_ins_are_reported(sample_build):
    path = sample_build / "attendance.pdf"
    leave = {r[1]: r for r in rows_of(path, "序号", "姓名", "单位及职务", "请假原因")}
    assert leave["黄永强"][5] == "替会已到8:41" and leave["潘文涛"][5] == "替会已到8:47"
    assert leave["魏长青"][5] == "替会未到"
    unknown = rows_of(path, "序号", "姓名", "单位", "签到时间")
    assert [r[1:] for r in unknown] == [["赵红", "市财政局办公室", "8:50", "随行"]]


def test_a_bad_signin_time_fails_the_build_with_its_line(tmp_path):
    root = new_project(tmp_path, sample=True)
    path = root / "content" / SAMPLE / "signin.csv"
    lines = path.read_text(encoding="utf-8-sig").split("\n")
    lines[5] = re.sub(r"\d\d:\d\d", "8:7x", lines[5])  # 2026-12-08 8:7x
    path.write_text("\n".join(lines), encoding="utf-8-sig")
    result = run(root, "build")
    assert result.returncode == 1
    assert f"content/{SAMPLE}/signin.csv:6: 签到时间：" in result.stderr
    assert "请写成 2026-12-08 08:52 或 8:52" in result.stderr


SMALL = """姓名,单位,职务,类别,状态,请假原因,替会人员,备注
王芳,甲局,局长,出席,参会,,,同名
王芳,乙局,副局长,出席,参会,,,同名
李强,丙局,局长,出席,请假,出差,张伟（丙局副局长）,
陈刚,丁局,局长,出席,请假,病假,,
刘洋,戊局,局长,出席,参会,,,
孙明,市政府办公室,科员,工作人员,参会,,,
"""
SMALL_SIGNIN = """姓名,单位,签到时间,备注
王芳,乙局,8:52,
王芳,甲局,2026-12-08 09:05,
张伟,丙局,8:40,替会
陈刚,丁局,08:58:00,
孙明,市政府办公室,8:00,
赵六,,8:30,随行
"""


def small_project(tmp_path, signin: str | None):
    root = new_project(tmp_path, sample=False)
    folder = write_meeting(root, "t", BARE, SMALL)
    if signin is not None:
        (folder / "signin.csv").write_text(signin, encoding="utf-8")
    return root


def test_namesakes_short_times_and_a_person_on_leave_who_came(tmp_path):
    root = small_project(tmp_path, SMALL_SIGNIN)
    result = run(root, "build", "--only", "attendance")
    assert result.returncode == 0, result.stderr
    path = root / "output" / "t" / "attendance.pdf"
    # 应到 5 (staff not counted); 陈刚 was on leave but came: 实到, not 请假
    assert NUMBERS.search(pdf_text(path)).groups() == ("5", "3", "1", "1", "1", "1")
    assert "迟到指签到时间晚于会议开始时间（9:00）" in pdf_text(path)
    late = rows_of(path, "序号", "姓名", "单位及职务", "签到时间", "迟到分钟")
    assert [r[1:] for r in late] == [["王芳", "甲局局长", "9:05", "5"]]
    leave = {r[1]: r[5] for r in rows_of(path, "序号", "姓名", "单位及职务", "请假原因")}
    assert leave == {"李强": "替会已到8:40", "陈刚": "本人到会8:58"}
    assert [r[1] for r in rows_of(path, "序号", "姓名", "单位", "签到时间")] == ["赵六"]


def test_namesakes_without_a_unit_are_an_error(tmp_path):
    root = small_project(tmp_path, "姓名,签到时间\n王芳,8:50\n")
    result = run(root, "build")
    assert result.returncode == 1
    assert "content/t/signin.csv:2: 姓名“王芳”在名单中有 2 人（甲局、乙局），请填写单位以区分" in result.stderr


def test_both_signin_files_are_an_error(tmp_path):
    root = small_project(tmp_path, SMALL_SIGNIN)
    (root / "content" / "t" / "signin.xlsx").write_bytes(b"")
    result = run(root, "build")
    assert result.returncode == 1
    assert "content/t/signin.xlsx:1: signin.csv 与 signin.xlsx 只能保留一个" in result.stderr


@pytest.mark.parametrize(("attendees", "reason"), [
    (True, "没有签到结果（signin.csv 或 signin.xlsx）"),
    (False, "没有参会人员名单（attendees.csv 或 attendees.xlsx）"),
])
def test_without_a_signin_result_the_document_is_skipped_and_says_why(tmp_path, attendees, reason):
    root = new_project(tmp_path, sample=False)
    write_meeting(root, "t", BARE, SMALL if attendees else None)
    result = run(root, "build", "--only", "attendance")
    assert result.returncode == 0, result.stderr
    assert f"未生成 t/attendance.pdf：{reason}" in result.stdout
    assert not (root / "output" / "t" / "attendance.pdf").exists()


def test_the_roster_matches_sign_ins_as_a_look_through_the_whole_list_does():
    """records.signin.Roster looks names up once for all rows; it finds, row by row, whom a look through the whole
    list finds (the first of a name; namesakes told apart by unit; on leave and named in 备注, or whose 替会人员
    starts with the row's name): random lists with namesakes, people on leave with and without stand-ins."""
    import random
    from types import SimpleNamespace

    from huiwu.records.meeting import Attendee
    from huiwu.records.signin import STAND_IN, Roster, SignIn

    def looked_through(people, s):
        same = [a for a in people if a.name == s.name]
        found = ([a for a in same if a.unit == s.unit] or same) if len(same) > 1 and s.unit else same
        away = [a for a in people if not a.present]
        named = STAND_IN.match(s.note.strip())
        by_name = next((a for a in away if named and a.name == "".join(named[1].split())), None)
        standing = next((a for a in away if re.split(r"[（(，,、\s]", a.substitute.strip(), maxsplit=1)[0] == s.name),
                        None)
        return found, by_name or standing

    rng = random.Random(7)
    names = ["王伟", "李娜", "张 敏", "刘洋", "陈静", "杨帆", "赵磊", "黄强"]
    for _ in range(200):
        people = [Attendee(rng.choice(names), rng.choice(["甲局", "乙局", ""]), "", "出席", None,
                           rng.choice(["参会", "参会", "请假"]), "", "", "", i,
                           substitute=rng.choice(["", "", *(f"{n}（丙局）" for n in names), "李娜，丁局"]))
                  for i in range(rng.randint(0, 12))]
        roster = Roster(SimpleNamespace(attendees=people))
        for i in range(10):
            s = SignIn(rng.choice(names + ["孙丽"]), rng.choice(["甲局", "乙局", ""]), None,
                       rng.choice(["", "", f"替{rng.choice(names)}", "替 王 伟", "替会"]), i + 2)
            found, stands = looked_through(people, s)
            assert roster.candidates(s) == found
            assert roster.stood_in_for(s) is stands
