"""会议简报 (briefing-<期号>.pdf) and 会后总结 (summary.pdf), read back from the PDFs."""

from __future__ import annotations

import csv
import re

import pytest
import yaml

from conftest import BARE, ROOT, SAMPLE, lines_of, mm, new_project, open_pdf, run, write_meeting

BODY_PT = 16  # 3号
TAIL_PT = 14  # 4号: the 报尾
LEFT, RIGHT, BOTTOM = 28, 28 + 156, 262  # 版心 edges
FOLDER = ROOT / "content" / SAMPLE


def is_red(c) -> bool:
    colour = c.get("non_stroking_color")
    return isinstance(colour, (tuple, list)) and len(colour) == 3 and colour[0] > 0.5 and max(colour[1:]) < 0.2


def front_matter(name: str) -> dict:
    text = (FOLDER / name).read_text(encoding="utf-8")
    return yaml.safe_load(text.split("---")[1])


def cn_date(iso: str) -> str:
    y, m, d = (int(x) for x in iso.split("-"))
    return f"{y}年{m}月{d}日"


def expected_turnout() -> str:
    """应到/实到/请假/缺席 from attendees.csv and signin.csv, without the program's code (the 总结's line)."""
    with open(FOLDER / "attendees.csv", encoding="utf-8-sig") as f:
        people = [p for p in csv.DictReader(f) if p["类别"] not in ("工作人员", "媒体")]
    with open(FOLDER / "signin.csv", encoding="utf-8-sig") as f:
        signed = {row["姓名"] for row in csv.DictReader(f)}
    came = [p for p in people if p["姓名"] in signed]
    leave = [p for p in people if p["状态"] == "请假" and p["姓名"] not in signed]
    absent = [p for p in people if p["状态"] == "参会" and p["姓名"] not in signed]
    assert came and leave and absent  # the sample exercises every count
    return f"应到{len(people)}人，实到{len(came)}人，请假{len(leave)}人，缺席{len(absent)}人"


def text_of(pdf, size: float = BODY_PT) -> str:
    return "".join(ln[1] for page in pdf.pages for ln in lines_of(page, size))


def tail_box(page) -> tuple[float, float] | None:
    """(top, bottom) in mm of the black rules around the 报尾 (or 版记) on a page."""
    rules = [r for r in page.rects if mm(r["width"]) > 150 and not is_red(r)]
    return (min(mm(r["top"]) for r in rules), max(mm(r["bottom"]) for r in rules)) if rules else None


@pytest.fixture(scope="module")
def briefing(sample_build):
    with open_pdf(sample_build / "briefing-1.pdf") as pdf:
        yield pdf


@pytest.fixture(scope="module")
def summary(sample_build):
    with open_pdf(sample_build / "summary.pdf") as pdf:
        yield pdf


# —— 会议简报 ——


def test_red_masthead_with_issue_editor_and_date(briefing):
    fm = front_matter("briefing-1.md")
    page = briefing.pages[0]
    red = [c for c in page.chars if is_red(c)]
    assert "".join(c["text"] for c in red) == fm["name"] == "2026年全市经济工作会议简报"
    assert min(c["size"] for c in red) > 22  # larger than 2号
    assert mm(max(c["bottom"] for c in red)) < 297 / 4  # in the top part of the page
    lines = lines_of(page, BODY_PT)
    assert lines[0][1] == "内部资料　注意保存" and lines[0][2] == pytest.approx(LEFT, abs=0.5)
    assert lines[0][0] < mm(min(c["top"] for c in red))  # the mark sits above the name
    assert [ln[1] for ln in lines[1:3]] == [f"第{fm['number']}期", f"{fm['editor']}{cn_date(fm['date'])}"]
    editor = lines[2]
    assert (editor[2], editor[3]) == (pytest.approx(LEFT, abs=0.5), pytest.approx(RIGHT, abs=0.5))
    rules = [r for r in page.rects if is_red(r)]
    assert len(rules) == 1 and mm(rules[0]["width"]) == pytest.approx(156, abs=1)
    assert editor[0] < mm(rules[0]["top"]) < 297 / 3 + 5  # the 报头 fills about the top third
    title = [c for c in page.chars if abs(c["size"] - 22) < 0.3 and not is_red(c)]
    assert "".join(c["text"] for c in title) == fm["title"]
    assert mm(min(c["top"] for c in title)) > mm(rules[0]["bottom"])


def test_body_fills_placeholders_with_the_sign_in_result(briefing):
    text = text_of(briefing)
    assert "2026年12月8日上午，2026年全市经济工作会议在青川市行政中心1号楼3楼第一会议室召开。" in text
    _expected, came, leave, _absent = expected_turnout().split("，")
    assert f"会议{came}，{leave}。" in text  # for the leadership: absentees neither named nor counted,
    assert "应到" not in text and "缺席" not in text  # and no 应到 to work them out from
    assert "{" not in text
    heading = next(ln for ln in lines_of(briefing.pages[0], BODY_PT) if ln[1].startswith("一、"))
    chars = [c for c in briefing.pages[0].chars if mm(c["top"]) == pytest.approx(heading[0], abs=0.1)]
    assert all("Sans" in c["fontname"] for c in chars)  # 黑体 heading


def test_briefing_counts_absentees_when_asked(tmp_path):
    root = new_project(tmp_path, sample=True)
    meeting = root / "content" / SAMPLE / "meeting.md"
    meeting.write_text(meeting.read_text(encoding="utf-8").replace("---\n", "---\nbriefing_absent: true\n", 1),
                       encoding="utf-8")
    result = run(root, "build", "--only", "briefing")
    assert result.returncode == 0, result.stderr
    with open_pdf(root / "output" / SAMPLE / "briefing-1.pdf") as pdf:
        assert f"会议{expected_turnout()}（应到不含工作人员、媒体）。" in text_of(pdf)


def test_tail_at_the_foot_of_the_last_page_below_the_body(briefing):
    fm = front_matter("briefing-1.md")
    last = briefing.pages[-1]
    tail = [ln for ln in lines_of(last, TAIL_PT) if not re.fullmatch(r"— \d+ —", ln[1])]
    expected = [f"{route}：{'，'.join(fm['to'][route])}。" for route in ("报", "送", "发")]
    assert [ln[1] for ln in tail] == [*expected, f"（共印{fm['copies']}份）"]
    assert tail[-1][3] == pytest.approx(RIGHT - mm(TAIL_PT), abs=0.5)  # 共印 at the right, 空一字
    top, bottom = tail_box(last)
    assert bottom == pytest.approx(BOTTOM, abs=0.5)
    assert top < tail[0][0] and tail[-1][0] < bottom
    assert max(ln[0] for ln in lines_of(last, BODY_PT)) + mm(BODY_PT) < top  # below the body, no overlap
    assert "".join(ln[1] for ln in tail).count("报：") == 1  # the reserve copy is invisible
    for page in briefing.pages[:-1]:
        assert tail_box(page) is None and not lines_of(page, TAIL_PT)[:-1]


ISSUE = '---\n{number}date: "2026-12-0{day}"\ntitle: 第{day}天会议情况\nto: {{报: [市委、市政府领导], 发: [各区（县）人民政府]}}\n' \
        "copies: 40\n---\n\n{body}\n"


def issue(day: int, lines: int, number: int | None = None) -> str:
    """A 简报 whose body is `lines` one-line paragraphs."""
    body = "\n\n".join(f"第{i}段，会议讨论了有关事项。" for i in range(1, lines + 1))
    return ISSUE.format(number=f"number: {number}\n" if number else "", day=day, body=body)


@pytest.fixture(scope="module")
def several(tmp_path_factory):
    """Issues named by file (briefing-2.md) or by `number`, with bodies of growing length around
    the point where the 报尾 no longer fits under the body of page 1."""
    root = new_project(tmp_path_factory.mktemp("several"), sample=False)
    folder = write_meeting(root, "t", BARE)
    for n, lines in zip(range(1, 6), (9, 10, 11, 12, 13), strict=True):
        (folder / f"briefing-{n}.md").write_text(issue(n, lines), encoding="utf-8")
    (folder / "briefing-extra.md").write_text(issue(9, 2, number=12), encoding="utf-8")
    result = run(root, "build", "--only", "briefing")
    assert result.returncode == 0, result.stderr
    return root


def test_one_pdf_per_briefing_named_by_its_issue_number(several):
    out = several / "output" / "t"
    assert sorted(p.name for p in out.glob("briefing-*.pdf")) == [f"briefing-{n}.pdf" for n in (1, 12, 2, 3, 4, 5)]
    for n, day in ((1, 1), (5, 5), (12, 9)):
        with open_pdf(out / f"briefing-{n}.pdf") as pdf:
            lines = [ln[1] for ln in lines_of(pdf.pages[0], BODY_PT)]
            assert lines[:2] == [f"第{n}期", f"青川市人民政府办公室2026年12月{day}日"]  # no top-left mark
            assert "".join(c["text"] for c in pdf.pages[0].chars if is_red(c)) == "测试会议简报"


def test_tail_never_overlaps_the_body(several):
    pages = []
    for n in range(1, 6):
        with open_pdf(several / "output" / "t" / f"briefing-{n}.pdf") as pdf:
            pages.append(len(pdf.pages))
            last = pdf.pages[-1]
            top, bottom = tail_box(last)
            assert bottom == pytest.approx(BOTTOM, abs=0.5)
            body = [ln for ln in lines_of(last, BODY_PT) if ln[1].startswith("第")]
            assert not body or body[-1][0] + mm(BODY_PT) < top, n
            assert all(tail_box(p) is None for p in pdf.pages[:-1])
    assert pages[0] == 1 and pages[-1] == 2  # the bodies straddle the page's end


def test_removed_briefing_loses_its_pdf(tmp_path):
    root = new_project(tmp_path, sample=False)
    folder = write_meeting(root, "t", BARE)
    (folder / "briefing-1.md").write_text(issue(1, 2), encoding="utf-8")
    (folder / "briefing-2.md").write_text(issue(2, 2), encoding="utf-8")
    assert run(root, "build").returncode == 0
    (folder / "briefing-2.md").unlink()
    result = run(root, "build")
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in (root / "output" / "t").glob("briefing-*")) == ["briefing-1.pdf"]


def test_same_issue_number_twice_is_an_error_and_nothing_is_written(tmp_path):
    root = new_project(tmp_path, sample=False)
    folder = write_meeting(root, "t", BARE)
    (folder / "briefing-1.md").write_text(issue(1, 2), encoding="utf-8")
    (folder / "briefing-2.md").write_text(issue(2, 2, number=1), encoding="utf-8")
    result = run(root, "build")
    assert result.returncode == 1
    assert "content/t/briefing-2.md:2: number（期号）：第1期已用于 briefing-1.md，每期简报的期号不能相同" in result.stderr
    assert not list((root / "output").rglob("*.pdf"))


def test_bad_values_name_their_lines(tmp_path):
    root = new_project(tmp_path, sample=False)
    folder = write_meeting(root, "t", BARE)
    text = issue(1, 2).replace('"2026-12-01"', '"2026-13-01"').replace("发:", "抄:")
    (folder / "briefing-1.md").write_text(text, encoding="utf-8")
    (folder / "briefing-x.md").write_text(text.replace("---\n", "---\nnumber: 零\n", 1), encoding="utf-8")
    result = run(root, "build")
    assert result.returncode == 1
    assert "content/t/briefing-1.md:2: date（编印日期）：“2026-13-01”不是有效的日期或时间" in result.stderr
    assert "content/t/briefing-1.md:4: 未知的键“抄”" in result.stderr
    assert "content/t/briefing-x.md:2: number（期号）：应为正整数，收到“零”" in result.stderr
    assert not list((root / "output").rglob("*.pdf"))


def test_without_the_files_both_documents_are_skipped(tmp_path):
    root = new_project(tmp_path, sample=False)
    write_meeting(root, "t", BARE)
    result = run(root, "build", "--only", "briefing,summary")
    assert result.returncode == 0, result.stderr
    assert "未生成 t/briefing-<期号>.pdf：没有 briefing-*.md（会议简报）" in result.stdout
    assert "未生成 t/summary.pdf：没有 summary.md（会后总结）" in result.stdout
    assert not list((root / "output" / "t").glob("briefing*")) and not (root / "output" / "t" / "summary.pdf").exists()


# —— 会后总结 ——


def test_summary_title_body_and_signature(summary):
    first = summary.pages[0]
    title = [c for c in first.chars if abs(c["size"] - 22) < 0.3]
    assert "".join(c["text"] for c in title) == "2026年全市经济工作会议会后总结"
    assert "Serif" in title[0]["fontname"] and "Bold" in title[0]["fontname"]  # the 标题 font stand-in
    assert 37 <= mm(min(c["top"] for c in title)) < 37 + mm(35)  # on the 版心's first line (35pt high)
    heading = next(ln for ln in lines_of(first, BODY_PT) if ln[1] == "一、会议基本情况")
    assert all("Sans" in c["fontname"] for c in first.chars if mm(c["top"]) == pytest.approx(heading[0], abs=0.1))
    last = [ln for ln in lines_of(summary.pages[-1], BODY_PT)][-2:]
    assert [ln[1] for ln in last] == ["青川市人民政府办公室", cn_date(front_matter("summary.md")["date"])]
    assert last[0][3] == pytest.approx(RIGHT - 2 * mm(BODY_PT), abs=0.5)  # 右空二字


def test_summary_placeholders_come_from_the_data(summary):
    text = text_of(summary)
    assert "{" not in text
    assert ("2026年全市经济工作会议于2026年12月8日上午在青川市行政中心1号楼3楼第一会议室召开" in text)
    assert f"会议{expected_turnout()}（应到不含工作人员、媒体），请假人员" in text  # the one basis, stated
    decisions = front_matter("minutes.md")["decisions"]
    statuses = [d.get("status", "推进中") for d in decisions]
    assert f"共议定事项{len(decisions)}项" in text
    done = "，".join(f"{s}{statuses.count(s)}项" for s in ("已办结", "推进中", "未启动") if s in statuses)
    assert f"目前{done}。" in text and done == "已办结1项，推进中3项，未启动1项"


SUMMARY = '---\ndate: "2026-12-11"\ntitle: [测试会议, 会务工作总结]\n---\n\n会议{{到会情况}}。\n\n{text}\n'
PEOPLE = "姓名,单位,类别,状态\n王芳,甲单位,出席,参会\n李强,乙单位,出席,请假\n赵敏,丙单位,出席,参会\n孟凡,会务组,工作人员,参会\n"


def test_summary_counts_from_the_attendee_table_without_a_sign_in(tmp_path):
    root = new_project(tmp_path, sample=False)
    folder = write_meeting(root, "t", BARE, PEOPLE)
    (folder / "summary.md").write_text(SUMMARY.format(text="会议取得圆满成功。"), encoding="utf-8")
    result = run(root, "build", "--only", "summary")
    assert result.returncode == 0, result.stderr
    with open_pdf(root / "output" / "t" / "summary.pdf") as pdf:
        assert [ln[1] for ln in lines_of(pdf.pages[0], 22)] == ["测试会议", "会务工作总结"]
        assert "会议应到3人，实到2人，请假1人（应到不含工作人员、媒体）。" in text_of(pdf)  # 工作人员 not counted


def test_summary_decision_count_needs_minutes(tmp_path):
    root = new_project(tmp_path, sample=False)
    folder = write_meeting(root, "t", BARE, PEOPLE)
    (folder / "summary.md").write_text(SUMMARY.format(text="共议定事项{议定事项数}项。"), encoding="utf-8")
    result = run(root, "build")
    assert result.returncode == 1
    assert ("content/t/summary.md:8: 正文使用了“{议定事项数}”，但信息块中没有填写 minutes.md 中的 decisions（议定事项）"
            in result.stderr)
