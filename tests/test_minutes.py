"""会议纪要 and 督办事项清单, read back from the PDFs built from minutes.md."""

from __future__ import annotations

import csv
import re

import pytest

from conftest import BARE, ROOT, SAMPLE, copy_project, lines_of, mm, new_project, open_pdf, run, write_meeting

BODY_PT = 16  # 3号
CHAR_MM = mm(BODY_PT)
LEFT = 28  # 版心 left edge
LATE_DAY = "2026-12-20"  # the sample's first item (due 2026-12-15, 推进中) is 5 days late; the third is done


def is_red(c) -> bool:
    colour = c.get("non_stroking_color")
    return isinstance(colour, (tuple, list)) and len(colour) == 3 and colour[0] > 0.5 and max(colour[1:]) < 0.2


@pytest.fixture(scope="module")
def minutes(sample_build):
    with open_pdf(sample_build / "minutes.pdf") as pdf:
        yield pdf


def attendees() -> list[dict[str, str]]:
    with open(ROOT / "content" / SAMPLE / "attendees.csv", encoding="utf-8-sig") as f:
        return list(csv.DictReader(f))  # already in protocol order (类别, 排序)


def expected_lists() -> dict[str, list[str]]:
    """From attendees.csv and the sign-in result: who came, who was on leave (and who stood in), who stayed away."""
    people = attendees()
    with open(ROOT / "content" / SAMPLE / "signin.csv", encoding="utf-8-sig") as f:
        signed = {row["姓名"] for row in csv.DictReader(f)}
    listed = ("主席台", "出席", "列席")
    came = [p for p in people if p["姓名"] in signed]
    stood_in = {p["姓名"]: p["替会人员"].split("（")[0] for p in people if p["替会人员"].split("（")[0] in signed}
    return {  # one format for every list: 单位＋姓名 (GB/T 9704 §10.3)
        "出席": [p["单位"] + p["姓名"] for p in came if p["类别"] in ("主席台", "出席")],
        "请假": [p["单位"] + p["姓名"] + (f"（{stood_in[p['姓名']]}代会）" if p["姓名"] in stood_in else "")
               for p in people if p["状态"] == "请假" and p["姓名"] not in signed and p["类别"] in listed],
        "列席": [p["单位"] + p["姓名"] for p in came if p["类别"] == "列席"],
        "缺席": [p["单位"] + p["姓名"] for p in people if p["状态"] == "参会" and p["姓名"] not in signed
               and p["类别"] in listed],
    }


def baseline_lines(page, size: float) -> list[tuple[float, str, float, float]]:
    """Like `lines_of`, grouped by baseline: 黑体 and 仿宋 on one line have different tops."""
    rows: dict[float, list] = {}
    for c in page.chars:
        if abs(c["size"] - size) < 0.3:
            rows.setdefault(round(page.height - c["matrix"][5], 1), []).append(c)
    out = []
    for base, chars in sorted(rows.items()):
        chars.sort(key=lambda c: c["x0"])
        out.append((mm(base), "".join(c["text"] for c in chars), mm(chars[0]["x0"]), mm(chars[-1]["x1"])))
    return out


def body_lines(pdf) -> list[tuple[int, tuple[float, str, float, float]]]:
    """(page index, line) for every 3号 line of the document."""
    return [(i, ln) for i, page in enumerate(pdf.pages) for ln in baseline_lines(page, BODY_PT)]


def roster_text(pdf) -> str:
    text = "".join(ln[1] for _, ln in body_lines(pdf))
    return text[text.index("出席："):]


def chars_of(pdf, word: str) -> list[dict]:
    for page in pdf.pages:
        text = "".join(c["text"] for c in page.chars)
        i = text.find(word)
        if i >= 0:
            return page.chars[i:i + len(word)]
    raise AssertionError(word)


def test_red_mark_with_issue_number_editor_date_and_red_rule(minutes):
    page = minutes.pages[0]
    red = [c for c in page.chars if is_red(c)]
    assert "".join(c["text"] for c in red) == "2026年全市经济工作会议纪要"
    assert min(c["size"] for c in red) > 22  # larger than 2号
    assert mm(min(c["top"] for c in red)) == pytest.approx(72, abs=1)  # 35 mm below the 版心 top
    centre = (mm(min(c["x0"] for c in red)) + mm(max(c["x1"] for c in red))) / 2
    assert centre == pytest.approx(LEFT + 78, abs=1)
    lines = [ln[1] for ln in lines_of(page, BODY_PT)]
    assert lines[:2] == ["第1期", "青川市人民政府办公室2026年12月10日"]
    editor = next(ln for ln in lines_of(page, BODY_PT) if ln[1].startswith("青川市人民政府办公室"))
    assert (editor[2], editor[3]) == (pytest.approx(LEFT, abs=0.5), pytest.approx(LEFT + 156, abs=0.5))
    rules = [r for r in page.rects if is_red(r)]
    assert len(rules) == 1 and mm(rules[0]["width"]) == pytest.approx(156, abs=1)
    assert mm(rules[0]["top"]) > editor[0]


def test_body_fills_placeholders_and_numbers_decisions(minutes):
    text = "".join(ln[1] for _, ln in body_lines(minutes))
    assert text.startswith("第1期青川市人民政府办公室2026年12月10日"
                           "2026年12月8日上午，市长周卫东在青川市行政中心1号楼3楼第一会议室主持召开")
    assert "{" not in text
    assert "（一）会同市发展改革委修改完善" in text
    assert "（牵头单位：市商务局；配合单位：市财政局、市市场监管局、各区（县）人民政府；完成时限：2027年1月31日前）。" in text
    assert "（五）牵头编制2027年城乡建设和乡村振兴重点项目清单" in text
    assert "Sans" in chars_of(minutes, "一、关于2026年经济运行情况")[0]["fontname"]  # 黑体 heading


def test_attendee_lists_follow_the_attendee_table(minutes):
    text = roster_text(minutes)
    found = re.fullmatch(r"出席：(.*)请假：(.*)列席：(.*)", text)  # 出席, 请假, 列席 only, in that order
    assert found, text
    lists = dict(zip(("出席", "请假", "列席"), (part.split("、") for part in found.groups()), strict=True))
    expected = expected_lists()
    assert "松岭县人民政府彭丽" in expected.pop("缺席")  # did not sign in:
    assert lists == expected  # not named (domain.md §5.6, `minutes_absent` false)
    assert "彭丽" not in text and "万志勇" not in text


def test_absentees_are_listed_last_when_asked(tmp_path):
    root = new_project(tmp_path, sample=True)
    meeting = root / "content" / SAMPLE / "meeting.md"
    meeting.write_text(meeting.read_text(encoding="utf-8").replace("---\n", "---\nminutes_absent: true\n", 1),
                       encoding="utf-8")
    result = run(root, "build", "--only", "minutes")
    assert result.returncode == 0, result.stderr
    with open_pdf(root / "output" / SAMPLE / "minutes.pdf") as pdf:
        found = re.fullmatch(r"出席：(.*)请假：(.*)列席：(.*)缺席：(.*)", roster_text(pdf))
    assert found
    assert found[4].split("、") == expected_lists()["缺席"]


def test_labels_are_hei_and_names_are_not(minutes):
    for label in ("出席：", "请假：", "列席："):
        chars = chars_of(minutes, label)
        assert all("Sans" in c["fontname"] or "Hei" in c["fontname"] for c in chars), label
        page = next(p for p in minutes.pages if chars[0] in p.chars)
        following = page.chars[page.chars.index(chars[-1]) + 1]
        assert "Sans" not in following["fontname"] and "Hei" not in following["fontname"]
        assert following["size"] == pytest.approx(BODY_PT, abs=0.3)


def test_wrapped_list_lines_hang_under_the_first_name(minutes):
    lines = [ln for _, ln in body_lines(minutes)]
    start = next(i for i, ln in enumerate(lines) if ln[1].startswith("出席："))
    stop = next(i for i, ln in enumerate(lines) if ln[1].startswith("请假："))
    label, wrapped = lines[start], lines[start + 1:stop]
    assert len(wrapped) >= 3
    assert label[2] == pytest.approx(LEFT + 2 * CHAR_MM, abs=0.3)  # 左空二字
    first_name = chars_of(minutes, "出席：市政府周卫东")[3]
    assert mm(first_name["x0"]) == pytest.approx(LEFT + 5 * CHAR_MM, abs=0.3)
    for ln in wrapped:
        assert ln[2] == pytest.approx(mm(first_name["x0"]), abs=0.3), ln[1]
    assert all(name in "".join(ln[1] for ln in lines) for name in ("欧阳振宇", "上官婉清"))  # names never split


def test_imprint_with_distribution_at_the_foot_of_the_last_page(minutes):
    last = minutes.pages[-1]
    imprint = [ln[1] for ln in lines_of(last, 14) if not re.fullmatch(r"— \d+ —", ln[1])]
    assert imprint[0].startswith("分送：市委办公室，市人大常委会办公厅，市政协办公厅，")
    assert imprint[-1] == "青川市人民政府办公室2026年12月10日印发"
    assert "".join(imprint).count("分送") == 1  # the reserve copy is invisible
    black = [r for r in last.rects if mm(r["width"]) > 150 and not is_red(r)]
    assert max(mm(r["bottom"]) for r in black) == pytest.approx(262, abs=0.5)
    for page in minutes.pages[:-1]:
        assert not any("印发" in ln[1] for ln in lines_of(page, 14))


def test_page_numbers(minutes):
    for number, page in enumerate(minutes.pages, start=1):
        assert [ln[1] for ln in lines_of(page, 14) if re.fullmatch(r"— \d+ —", ln[1])] == [f"— {number} —"]


LEADERS = """姓名,单位,职务,类别,排序,状态,备注
张军,市政府,副市长,主席台,1,参会,
王磊,区发展改革局,局长,出席,10,参会,同名
王磊,区财政局,局长,出席,20,参会,同名
李红,区商务局,局长,出席,30,请假,
王芳,区统计局,副局长,列席,40,参会,
"""


@pytest.mark.parametrize("names", ["姓名", "单位加姓名"])
def test_every_list_has_one_format_and_namesakes_are_told_apart(tmp_path, names):
    root = new_project(tmp_path)
    folder = write_meeting(root, "t", BARE.replace("---\n\n", f"minutes_names: {names}\n---\n\n"), LEADERS)
    (folder / "minutes.md").write_text('---\nnumber: 1\ndate: "2026-12-10"\n---\n\n会议研究了有关事项。\n',
                                       encoding="utf-8")
    result = run(root, "build", "--only", "minutes")
    assert result.returncode == 0, result.stderr
    with open_pdf(root / "output" / "t" / "minutes.pdf") as pdf:
        text = roster_text(pdf)
    if names == "姓名":  # a small meeting of leaders: names alone, a namesake's unit in brackets
        assert text == "出席：张军、王磊（区发展改革局）、王磊（区财政局）请假：李红列席：王芳", text
    else:
        assert text == "出席：市政府张军、区发展改革局王磊、区财政局王磊请假：区商务局李红列席：区统计局王芳", text


def test_a_bad_due_date_names_its_line(tmp_path):
    root = new_project(tmp_path, sample=True)
    path = root / "content" / SAMPLE / "minutes.md"
    text = path.read_text(encoding="utf-8")
    assert 'due: "2027-01-31"' in text
    path.write_text(text.replace('due: "2027-01-31"', 'due: "2027-13-01"'), encoding="utf-8")
    line = text[: text.index('due: "2027-01-31"')].count("\n") + 1
    result = run(root, "build")
    assert result.returncode != 0
    assert f"content/{SAMPLE}/minutes.md:{line}: decisions[4].due（完成时限）：" in result.stderr


def test_unknown_key_and_missing_number(tmp_path):
    root = new_project(tmp_path, sample=False)
    folder = write_meeting(root, "t", BARE)
    (folder / "minutes.md").write_text('---\ndate: "2026-12-10"\nhots: 韩立新\n---\n\n会议纪要正文。\n', encoding="utf-8")
    result = run(root, "build")
    assert result.returncode != 0
    assert "content/t/minutes.md:3: 未知的键“hots”，是不是“host”？" in result.stderr
    assert "content/t/minutes.md:2: 缺少必填项 number（期号）" in result.stderr


# —— 督办事项清单 ——


def table_rows(pdf) -> list[list[str]]:
    rows = []
    for page in pdf.pages:
        for table in page.extract_tables():
            rows += [[(cell or "").replace("\n", "") for cell in row] for row in table if row[0] and row[0] != "序号"]
    return rows


@pytest.fixture(scope="module")
def late_build(tmp_path_factory, sample_build):
    """The sample built as of LATE_DAY: the session build (as of TODAY) copied and brought up to that day."""
    root = copy_project(sample_build.parents[1], tmp_path_factory.mktemp("late"))
    result = run(root, "build", env={"HUIWU_TODAY": LATE_DAY})
    assert result.returncode == 0, result.stderr
    return root


def test_followups_one_row_per_decision(late_build):
    with open_pdf(late_build / "output" / SAMPLE / "followups.pdf") as pdf:
        page = pdf.pages[0]
        assert mm(page.width) > mm(page.height)  # landscape
        rows = table_rows(pdf)
    assert [r[0] for r in rows] == ["1", "2", "3", "4", "5"]
    assert all(r[1].startswith(f"纪要第1期第{r[0]}条：") for r in rows)
    first = rows[0]
    assert first[1] == "纪要第1期第1条：会同市发展改革委修改完善2026年全市经济运行情况通报，按程序报市政府常务会议审定后印发"
    assert first[2:8] == ["市统计局", "市发展改革委", "姜明", "2026年12月15日", "已完成修改稿，正在征求市直有关部门意见", "推进中"]
    assert rows[3][3] == "市财政局、市市场监管局、各区（县）人民政府"


def test_overdue_items_are_flagged_red_and_done_items_are_not(late_build):
    with open_pdf(late_build / "output" / SAMPLE / "followups.pdf") as pdf:
        rows = table_rows(pdf)
        red = "".join(c["text"] for p in pdf.pages for c in p.chars if is_red(c))
        text = pdf.pages[0].extract_text()
    assert [r[8] for r in rows] == ["逾期5天", "", "", "", ""]
    assert rows[2][7] == "已办结"  # due 2026-12-18, done: not late
    assert red == "逾期5天"
    assert "（其中逾期 1 项）" in text and "逾期按2026年12月20日计" in text


def test_followups_are_rebuilt_the_next_day(late_build, tmp_path):
    root = copy_project(late_build, tmp_path)
    result = run(root, "build", env={"HUIWU_TODAY": "2026-12-21"})
    assert result.returncode == 0, result.stderr
    with open_pdf(root / "output" / SAMPLE / "followups.pdf") as pdf:
        assert table_rows(pdf)[0][8] == "逾期6天"


def test_nothing_is_late_before_the_due_dates(sample_build):
    with open_pdf(sample_build / "followups.pdf") as pdf:
        assert [r[8] for r in table_rows(pdf)] == [""] * 5
        assert not any(is_red(c) for p in pdf.pages for c in p.chars)


def test_the_list_is_never_dated_before_its_minutes(sample_build):
    """Built on 2026-12-01 (TODAY), before the 纪要 of 2026-12-10 it cites: counted as of the 纪要's date."""
    with open_pdf(sample_build / "followups.pdf") as pdf:
        text = "".join(p.extract_text() for p in pdf.pages).replace("\n", "")
    assert "依据：《2026年全市经济工作会议纪要》第1期（2026年12月10日）" in text
    assert "逾期按2026年12月10日计" in text and "逾期按2026年12月1日计" not in text


def test_without_minutes_or_decisions_the_documents_are_skipped(tmp_path):
    root = new_project(tmp_path, sample=False)
    write_meeting(root, "t", BARE)
    folder = write_meeting(root, "u", BARE)
    (folder / "minutes.md").write_text('---\nnumber: 2\ndate: "2026-12-10"\n---\n\n会议纪要正文。\n', encoding="utf-8")
    result = run(root, "build", "--only", "minutes,followups")
    assert result.returncode == 0, result.stderr
    assert "未生成 t/minutes.pdf：没有 minutes.md（会议纪要）" in result.stdout
    assert "未生成 t/followups.pdf：没有 minutes.md（会议纪要）" in result.stdout
    assert "未生成 u/followups.pdf：minutes.md 中没有 decisions（议定事项）" in result.stdout
    assert (root / "output" / "u" / "minutes.pdf").exists()
