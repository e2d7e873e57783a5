"""替会人员 (domain.md §5.6): a stand-in is an attendee in the principal's place — the seat (marked 代 on the
staff copy), a 桌签 and a 证件 in their own name, a pre-printed 签到表 row `李明（代赵国华）`, the principal's
copy of each material, a line in the 须知 — and a rostrum leader's stand-in sits with the unit in the hall."""

from __future__ import annotations

import re

import pytest

from conftest import BARE, new_project, open_pdf, run, write_meeting
from huiwu.records.meeting import Attendee, stand_ins, substitute_parts

VENUE = """rostrum:
  rows: [3]
hall:
  rows: 3
  seats: 6
  reserved:
    - {role: 媒体, rows: [3], seats: 1-2, label: 媒体席}
    - {role: 工作人员, rows: [3], seats: 5-6, label: 工作人员席}
"""
MEETING = BARE.replace("---\n\n正文", """rules: [按时参会。]
materials:
  - {title: 讲话稿, to: [主席台, 出席], classification: 秘密, recollect: true}
  - {title: 工作报告, copies: 每单位一份, to: [出席]}
{extra}---

正文""")
PEOPLE = """姓名,单位,职务,类别,排序,状态,请假原因,替会人员,替会人员单位,替会人员职务,备注
周卫东,市政府,市长,主席台,1,参会,,,,,
钱国强,市政府,副市长,主席台,2,请假,出差,孙建平（市政府副秘书长）,,,
吴海燕,市政府,副市长,主席台,3,参会,,,,,
王建华,市财政局,局长,出席,10,参会,,,,,
赵国华,市统计局,局长,出席,20,请假,病假,李明,市统计局,副局长,
陈立军,市商务局,局长,出席,30,请假,出差,,,,
刘思远,市政府办公室,科员,工作人员,10,参会,,,,,
马晓东,青川日报社,记者,媒体,10,参会,,,,,
"""


def project(tmp_path, extra: str = "", people: str = PEOPLE):
    root = new_project(tmp_path)
    folder = write_meeting(root, "t", MEETING.replace("{extra}", extra), people)
    (folder / "venue.yaml").write_text(VENUE, encoding="utf-8")
    return root


def build(root, kinds: str):
    result = run(root, "build", "--only", kinds)
    assert result.returncode == 0, result.stderr
    return root / "output" / "t"


def text(path) -> str:
    with open_pdf(path) as pdf:
        return "".join((p.extract_text() or "").replace(" ", "").replace("\n", "") for p in pdf.pages)


def table_rows(path) -> list[list[str]]:
    with open_pdf(path) as pdf:
        return [[(c or "").replace("\n", "").replace(" ", "") for c in row]
                for page in pdf.pages for t in page.extract_tables() for row in t]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = project(tmp_path_factory.mktemp("standins"))
    return build(root, "signin,cards,badges,seatmap,materials,handbook,leave")


def test_signin_sheet_sections_stand_ins_and_blank_rows(built):
    rows = table_rows(built / "signin.pdf")
    assert [r[:3] for r in rows if r[0] != "序号"] == [
        ["一、主席台（2人）", "", ""],
        ["1", "周卫东", "市政府市长"], ["2", "吴海燕", "市政府副市长"],
        ["二、出席（3人）", "", ""],
        ["3", "孙建平（代钱国强）", "市政府副秘书长"], ["4", "王建华", "市财政局局长"],
        ["5", "李明（代赵国华）", "市统计局副局长"],
        ["三、临时参会人员（名单外，请写明姓名、单位及职务）", "", ""],
        *[["", "", ""]] * 5,
    ]  # no 工作人员, no 媒体, nobody on leave; a rostrum leader's stand-in in the hall, as 出席
    assert "应到6人请假3人替会2人拟到5人" in text(built / "signin.pdf")  # 6 − 3 + 2: 陈立军 has no stand-in


def test_blank_rows_are_a_setting(tmp_path):
    out = build(project(tmp_path, "signin_blank_rows: 0\n"), "signin")
    rows = table_rows(out / "signin.pdf")
    assert rows[-1][:2] == ["5", "李明（代赵国华）"] and "临时参会" not in text(out / "signin.pdf")


def checklist(built) -> dict[str, list[str]]:
    """The 桌签 checklist: 姓名 → (座位, 单位及职务)."""
    rows = [r for r in table_rows(built / "table-cards.pdf") if r and r[0].isdigit()]
    return {r[2]: [r[1], r[3]] for r in rows}


def test_stand_ins_take_the_seats_cards_and_badges(built):
    seats = checklist(built)
    # the rostrum closes up (2 of 3 seats, variant A for N = 2: 1 2); 孙建平 heads the hall as 出席 (排序 2),
    # 李明 sits where 赵国华 would have, after 王建华; 工作人员 and 媒体 get no 桌签
    assert seats == {"周卫东": ["主席台1排1号", "市政府市长"], "吴海燕": ["主席台1排2号", "市政府副市长"],
                     "孙建平": ["1排1号", "市政府副秘书长（代钱国强）"], "王建华": ["1排2号", "市财政局局长"],
                     "李明": ["1排3号", "市统计局副局长（代赵国华）"]}
    badges = text(built / "badges.pdf").replace("　", "")
    for name in ("周卫东", "吴海燕", "孙建平", "王建华", "李明", "刘思远", "马晓东"):
        assert badges.count(name) == 1
    for away in ("钱国强", "赵国华", "陈立军"):
        assert away not in badges
    assert badges.count("No.") == 7 and "市统计局副局长" not in badges  # 李明's unit and post on lines of their own


def test_rostrum_stand_in_on_the_rostrum_with_the_setting(tmp_path):
    out = build(project(tmp_path, "substitute_on_rostrum: true\ncard_staff: true\n"), "cards")
    seats = checklist(out)
    # variant A, N = 3: 3 1 2 — 孙建平 in 钱国强's seat, right of 周卫东 from the audience
    assert seats["周卫东"][0] == "主席台1排2号" and seats["孙建平"][0] == "主席台1排3号"
    assert seats["吴海燕"][0] == "主席台1排1号" and seats["李明"][0] == "1排2号"
    assert seats["刘思远"][0] == "3排5号" and seats["马晓东"][0] == "3排1号"  # card_staff: their cards too


def test_seat_map_marks_stand_ins_and_labels_reserved_blocks(built):
    with open_pdf(built / "seatmap.pdf") as pdf:
        approval, staff = (p.extract_text() for p in pdf.pages)
    for page in (approval, staff):
        assert "媒体席" in page and "工作人员席" in page
    assert "代" not in approval.replace("（面向主席台）", "")
    tags = re.findall(r"(\d+) 代", staff)
    assert sorted(tags) == ["3", "5"]  # the 序号 of the 签到表, not 类别+排序
    assert "出席10" not in staff and "主席台1" not in staff


def test_materials_follow_the_seat_and_go_to_every_unit(built):
    rows = table_rows(built / "materials-register.pdf")
    numbered = [r for r in rows if re.fullmatch(r"\d{6}", r[1] if len(r) > 1 else "")]
    assert [(r[1], r[3]) for r in numbered] == [
        ("000001", "周卫东"), ("000002", "吴海燕"), ("000003", "孙建平（代钱国强）"), ("000004", "王建华"),
        ("000005", "李明（代赵国华）")]
    units = [r[1] for r in rows if len(r) > 1 and r[0].isdigit() and not re.fullmatch(r"\d{6}", r[1])]
    assert units == ["市财政局", "市统计局", "市商务局"]  # 市商务局: its one person on leave, no stand-in: still a copy


def test_handbook_lists_the_stand_ins_under_the_unit(built):
    names = text(built / "handbook-a5.pdf")
    assert "李明市统计局副局长（代赵国华）" not in names  # the unit is the heading, not repeated
    assert "李明副局长（代赵国华）" in names.replace("李　明", "李明")
    assert "孙建平副秘书长（代钱国强）" in names
    assert "赵国华" not in names.replace("代赵国华", "")


def test_stand_in_duplicating_an_attendee_is_an_error(tmp_path):
    people = PEOPLE.replace("刘思远,市政府办公室,科员,工作人员,10,参会,,,,,",
                            "李明,市统计局,副局长,出席,21,参会,,,,,")
    root = project(tmp_path, people=people)
    result = run(root, "check")
    assert result.returncode == 1
    assert ("content/t/attendees.csv:6: 替会人员李明（代赵国华）与第8行的李明（市统计局）重复："
            "同一人不能既参会又替会，也不能替两人，请改正") in result.stderr.splitlines()


def test_stand_in_for_someone_present_is_an_error(tmp_path):
    people = PEOPLE.replace("王建华,市财政局,局长,出席,10,参会,,,,,", "王建华,市财政局,局长,出席,10,参会,,张三,,,")
    result = run(project(tmp_path, people=people), "check")
    assert result.returncode == 1
    assert ("content/t/attendees.csv:5: 替会人员“张三”：本人状态为参会，不需要替会人员；本人请假请把状态写成“请假”"
            in result.stderr.splitlines())


# -- the sample: 刘国强 for 韩立新 (rostrum), 李明 for 黄永强, 周建, 胡晓军 and 钱立 --

def test_sample_seat_map_numbers_are_the_sign_in_numbers(sample_build):
    signed = {r[1]: r[0] for r in table_rows(sample_build / "signin.pdf") if r and r[0].isdigit()}
    stood_in = sorted(int(n) for name, n in signed.items() if "（代" in name)
    assert len(stood_in) == 5 and signed["刘国强（代韩立新）"] == "7"  # heads the 出席, after 6 on the rostrum
    with open_pdf(sample_build / "seatmap.pdf") as pdf:
        approval, staff = (p.extract_text() for p in pdf.pages)
    assert sorted(int(n) for n in re.findall(r"(\d+) 代", staff)) == stood_in
    for page in (approval, staff):  # 68 − 7 + 5, the sign-in sheet's count
        assert "共77人（拟到66人，另有工作人员、媒体11人）" in page.replace(" ", "")


def test_sample_reserved_blocks_are_named_over_their_seats(sample_build):
    with open_pdf(sample_build / "seatmap.pdf") as pdf:
        for page in pdf.pages:
            words = {w["text"]: w for w in page.extract_words()}
            for label, first, last in (("媒体席", "卫嘉琪", "任思远"), ("工作人员席", "白雪峰", "史晨曦")):
                mark, left, right = words[label], words[first], words[last]
                assert left["x0"] - 2 <= mark["x0"] < right["x1"]  # at the block's left edge, inside it
                assert 0 < left["top"] - mark["bottom"] < 15  # on the outline, just above the names of row 7


def test_sample_register_gives_stand_ins_the_principals_copies(sample_build):
    rows = table_rows(sample_build / "materials-register.pdf")
    holders = [r[3] for r in rows if len(r) > 3 and re.fullmatch(r"\d{6}", r[1])]
    assert {"刘国强（代韩立新）", "李明（代黄永强）", "周建（代潘文涛）", "钱立（代龚德明）"} <= set(holders)
    assert "韩立新" not in holders and "严文静" not in holders
    speech = [r[1] for r in rows if len(r) > 2 and r[0].isdigit() and not re.fullmatch(r"\d{6}", r[1]) and r[2] == ""]
    assert "青川大学" in speech and "市科技局" in speech  # 每单位一份: the unit gets it though its person is away


@pytest.mark.parametrize("document", ["leave-list.pdf", "tasks.pdf", "signin.pdf"])
def test_sample_counts_on_one_basis_with_the_note(sample_build, document):
    said = text(sample_build / document) + "".join("".join(r) for r in table_rows(sample_build / document))
    assert "应到68人请假7人替会5人拟到66人" in said  # 79 − 8 工作人员 − 3 媒体; 68 − 7 + 5
    assert "注：应到含主席台、出席、列席、特邀人员，不含工作人员、媒体；拟到＝应到－请假＋替会人员。" in said


def test_sample_attendance_states_the_basis(sample_build):
    said = text(sample_build / "attendance.pdf")
    assert "应到68人" in said and "注：应到含主席台、出席、列席、特邀人员，不含工作人员、媒体" in said


@pytest.mark.parametrize("principal_unit, written, columns, parts", [
    ("市政府", "刘国强（市政府副秘书长）", ("", ""), ("刘国强", "市政府", "副秘书长")),  # split at the principal's unit
    ("凤鸣区人民政府", "李明（凤鸣区发展改革局局长）", ("", ""), ("李明", "凤鸣区发展改革局局长", "")),  # kept whole
    ("市统计局", "李明", ("市统计局", "副局长"), ("李明", "市统计局", "副局长")),  # the two columns
    ("市统计局", "李明(市统计局副局长)", ("", ""), ("李明", "市统计局", "副局长")),  # half-width brackets
    ("", "李明（副局长）", ("", ""), ("李明", "副局长", "")),
    ("市统计局", "李明", ("", ""), ("李明", "", "")),
])
def test_stand_in_name_unit_and_title(principal_unit, written, columns, parts):
    principal = Attendee("赵国华", principal_unit, "局长", "出席", 20, "请假", "", "", "", 2, written,
                         substitute_unit=columns[0], substitute_title=columns[1])
    assert substitute_parts(principal) == parts
    (made,) = stand_ins([principal], on_rostrum=False)
    assert (made.name, made.unit, made.title, made.role, made.rank, made.line) == (*parts, "出席", 20, 2)
    assert made.listed_name == f"{parts[0]}（代赵国华）" and made.delegation == principal_unit
