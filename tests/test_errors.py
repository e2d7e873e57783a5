"""Bad input: every rule has a failing source and its exact message (file:line)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, new_project, run, write_meeting
from huiwu.kinds import KINDS, OFFICE

HEAD = """---
title: 测试会议
organizer: 青川市人民政府办公室
start: "2026-12-08 09:00"
venue: 青川市行政中心1号楼3楼第一会议室
"""
BODY = "---\n\n为做好工作，决定召开测试会议。\n"
M = "content/t/meeting.md"
ATT = "content/t/attendees.csv"

FORMS = "、".join(k.title for k in KINDS if k.site == OFFICE)  # the working forms, as the registry lists them
CASES = {
    "relative word in a time field": (
        HEAD.replace('"2026-12-08 09:00"', '"明天 09:00"') + BODY,
        [f"{M}:4: start（开始时间）：不能使用相对时间词“明天”，请写明具体日期，如 2026-12-08 09:00"]),
    "a document the site cannot publish": (
        HEAD + "site_publish: [签到表, 座位图]\n" + BODY,
        [f"{M}:6: site_publish（在内网发布的工作用表）：应为 {FORMS} 之一，收到“座位图”"]),
    "relative word in the venue": (
        HEAD.replace("venue: 青川市", "venue: 下周在青川市") + BODY,
        [f"{M}:5: venue：不能使用相对时间词“下周”，请写明具体日期"]),
    "relative word in the body": (
        HEAD + "---\n\n请于本月底前报送回执。\n",
        [f"{M}:8: 正文：不能使用相对时间词“本月底”，请写明具体日期（如“2026年12月8日”）"]),
    "date without a year in a field": (
        HEAD.replace('"2026-12-08 09:00"', '"12-08 09:00"') + BODY,
        [f"{M}:4: start（开始时间）：“12-08 09:00”缺少完整年份，请写成 2026-12-08 09:00"]),
    "date without a year in the body": (
        HEAD + "---\n\n请于12月4日前报送回执。\n",
        [f"{M}:8: 正文：日期“12月4日”缺少年份，请写成“2026年12月4日”这样的完整日期"]),
    "weekday that does not match its date": (
        HEAD + "---\n\n会议定于2026年12月8日（星期三）召开。\n",
        [f"{M}:8: 正文：2026年12月8日是星期二，不是星期三"]),
    "venue without floor and room": (
        HEAD.replace("青川市行政中心1号楼3楼第一会议室", "青川市行政中心") + BODY,
        [f"{M}:5: venue（会议地点）：“青川市行政中心”应写明楼栋、楼层和房间，如“市行政中心1号楼3楼301会议室”"]),
    "classified meeting notified by SMS or WeChat": (
        HEAD + "classification: 机密\nchannels: [书面, 短信, 微信]\n" + BODY,
        [f"{M}:7: channels（通知方式）：机密会议不得通过短信发送通知",
         f"{M}:7: channels（通知方式）：机密会议不得通过微信发送通知"]),
    "unknown key with a suggestion": (
        HEAD + "organiser: 某单位\n" + BODY,
        [f"{M}:6: 未知的键“organiser”，是不是“organizer”？"]),
    "missing required key": (
        HEAD.replace("title: 测试会议\n", "") + BODY,
        [f"{M}:2: 缺少必填项 title（会议名称）"]),
    "document number with the wrong brackets": (
        HEAD + "doc_number: 青政办函（2026）87号\n" + BODY,
        [f"{M}:6: doc_number（发文字号）：“青政办函（2026）87号”年份应使用六角括号〔〕，如“青政办函〔2026〕87号”"]),
    "YAML syntax error": (
        HEAD + "agenda: [a, b\n" + BODY,
        [f"{M}:6: YAML 格式错误：方括号 [ ] 没有闭合，或列表项之间缺少逗号（expected ',' or ']', but got '<stream end>'）"]),
    "YAML bracket left open, found lines later": (
        HEAD + "agenda: [开幕\ndoc_number: 青政办函〔2026〕87号\n" + BODY,
        [f"{M}:7: YAML 格式错误：方括号 [ ] 没有闭合，或列表项之间缺少逗号（expected ',' or ']', but got ':'）；"
         "这个方括号从第 6 行开始"]),
    "unknown placeholder": (
        HEAD + "---\n\n会议于{会议时辰}召开。\n",
        [f"{M}:8: 正文：未知的占位符“{{会议时辰}}”，是不是“{{会议时间}}”？"]),
    "placeholder without its data": (
        HEAD + "---\n\n{报到}\n",
        [f"{M}:8: 正文使用了“{{报到}}”，但信息块中没有填写 checkin"]),
}


@pytest.mark.parametrize("case", CASES)
def test_each_rule_has_its_message(tmp_path, case):
    source, expected = CASES[case]
    root = new_project(tmp_path, sample=False)
    write_meeting(root, "t", source)
    result = run(root, "check")
    assert result.returncode == 1
    lines = result.stderr.strip().split("\n")
    assert lines[:-1] == expected
    assert lines[-1] == f"{len(expected)} 处错误（1 个文件），未生成任何文件。"
    assert "Traceback" not in result.stderr


ATTENDEE_CASES = {
    "rank that is not a number": (
        "姓名,单位,排序\n张三,市政府,一\n", [f"{ATT}:2: 排序: 应为整数，收到“一”"]),
    "unknown status": (
        "姓名,单位,状态\n张三,市政府,出差\n", [f"{ATT}:2: 状态: 应为 参会 或 请假，收到“出差”"]),
    "missing name column": (
        "名字,单位\n张三,市政府\n", [f"{ATT}:1: 未知的列“名字”，是不是“姓名”？", f"{ATT}:1: 表头缺少必需的列：姓名"]),
    "header typo": (
        "姓名,单位,职物\n张三,市政府,市长\n", [f"{ATT}:1: 未知的列“职物”，是不是“职务”？"]),
    "empty name": (
        "姓名,单位\n,市政府\n", [f"{ATT}:2: 姓名: 不能为空"]),
}


@pytest.mark.parametrize("case", ATTENDEE_CASES)
def test_attendee_table_rules(tmp_path, case):
    table, expected = ATTENDEE_CASES[case]
    root = new_project(tmp_path, sample=False)
    write_meeting(root, "t", HEAD + BODY, attendees=table)
    result = run(root, "check")
    assert result.returncode == 1
    assert result.stderr.strip().split("\n")[:-1] == expected


def test_gb18030_table_from_excel_is_read(tmp_path):
    root = new_project(tmp_path, sample=False)
    folder = write_meeting(root, "t", HEAD + BODY)
    (folder / "attendees.csv").write_bytes("姓名,单位,职务\n王芳,市财政局,局长\n".encode("gb18030"))
    result = run(root, "check")
    assert result.returncode == 0, result.stderr


def test_missing_glyph_fails_the_build_naming_the_character(tmp_path):
    root = new_project(tmp_path, sample=False)
    write_meeting(root, "t", HEAD + "---\n\n会议由\U0002EBF0同志主持。\n")
    result = run(root, "build")
    assert result.returncode == 1
    assert result.stderr.split("\n")[0] == (
        f"{M}:8: 字符“\U0002EBF0”（U+2EBF0）没有任何已配置的字体能显示，打印会成空白方框：请改字或在 fonts/ 中放入含此字的字体")
    assert not (root / "output" / "t").exists()


def test_every_problem_in_every_file_is_reported_once(tmp_path):
    root = new_project(tmp_path, sample=False)
    write_meeting(root, "a", HEAD.replace("测试会议", "") + BODY)
    write_meeting(root, "b", HEAD + BODY, attendees="姓名,单位,排序\n张三,市政府,一\n李四,市政府,二\n")
    result = run(root, "build")
    assert result.returncode == 1
    assert result.stderr.strip().split("\n")[-1] == "3 处错误（2 个文件），未生成任何文件。"


def test_xlsx_table_is_read_and_its_rows_are_named_in_messages(tmp_path):
    import openpyxl

    root = new_project(tmp_path, sample=False)
    folder = write_meeting(root, "t", HEAD + BODY)
    book = openpyxl.Workbook()
    sheet = book.active
    for row in (["姓名", "单位", "排序"], ["王芳", "市财政局", 1], ["李四", "市统计局", "第二"]):
        sheet.append(row)
    book.save(folder / "attendees.xlsx")
    result = run(root, "check")
    assert result.returncode == 1
    assert result.stderr.split("\n")[0] == "content/t/attendees.xlsx:3: 排序: 应为整数，收到“第二”"
    sheet["C3"] = 2
    book.save(folder / "attendees.xlsx")
    assert run(root, "build", "--only", "signin").returncode == 0
    assert (root / "output" / "t" / "signin.pdf").exists()


BODY_RULES = {
    "请于2026年12月08日前报送。": "正文：日期中的“08”不编虚位，应写成“8”",
    "请于26年12月8日前报送。": "正文：年份“26年”应写全，如“2026年”",
    "会议于下午15:00开始。": "正文：“下午15:00”混用了两种时间写法，应写“下午3:00”或“15:00”",
    "- 请准时参会。": "正文：公文正文不用“-”符号分条，请用“一、”“（一）”“1.”“（1）”编号",
    "请于2026.12.4前报送。": "正文：日期“2026.12.4”应写成“2026年12月8日”的形式",
}


@pytest.mark.parametrize("text", BODY_RULES)
def test_body_writing_rules(tmp_path, text):
    root = new_project(tmp_path, sample=False)
    write_meeting(root, "t", HEAD + "---\n\n" + text + "\n")
    result = run(root, "check")
    assert result.stderr.split("\n")[0] == f"{M}:8: {BODY_RULES[text]}"


def test_excel_unicode_text_export_is_read(tmp_path):
    root = new_project(tmp_path, sample=False)
    folder = write_meeting(root, "t", HEAD + BODY)
    (folder / "attendees.csv").write_bytes("姓名\t单位\t职务\n王芳\t市财政局\t局长\n".encode("utf-16"))
    assert run(root, "build", "--only", "signin").returncode == 0
    from conftest import open_pdf

    with open_pdf(root / "output" / "t" / "signin.pdf") as pdf:
        assert "王 芳 市财政局局长" in pdf.pages[0].extract_text()


def test_missing_glyph_in_the_minutes_names_its_line(tmp_path):
    root = new_project(tmp_path, sample=False)
    folder = write_meeting(root, "t", HEAD + "---\n\n正文。\n")
    (folder / "minutes.md").write_text('---\nnumber: 1\ndate: "2026-12-09"\n---\n\n会议由\U0002EBF0同志主持。\n',
                                       encoding="utf-8")
    result = run(root, "build")
    assert result.returncode == 1
    assert result.stderr.split("\n")[0] == (
        "content/t/minutes.md:6: 字符“\U0002EBF0”（U+2EBF0）没有任何已配置的字体能显示，打印会成空白方框：请改字或在 fonts/ 中放入含此字的字体")


@pytest.mark.parametrize("name, text, line", [
    ("briefing-2.md", '---\ndate: "2026-12-09"\ntitle: 会议简报\n---\n\n会议由\U0002EBF0同志主持。\n', 6),
    ("summary.md", '---\ndate: "2026-12-11"\n---\n\n一、会议基本情况\n\n\U0002EBF0\n', 7),
    ("recollected.csv", "份号,回收时间,回收人\n000001,2026-12-08 11:40,\U0002EBF0\n", 2),
])
def test_missing_glyph_in_other_sources_names_its_line(tmp_path, name, text, line):
    root = new_project(tmp_path, sample=False)
    folder = write_meeting(root, "t", HEAD + "---\n\n正文。\n")
    (folder / name).write_text(text, encoding="utf-8")
    result = run(root, "build")
    assert result.returncode == 1
    assert result.stderr.split("\n")[0].startswith(f"content/t/{name}:{line}: 字符“\U0002EBF0”（U+2EBF0）没有任何已配置的字体能显示")


def make(root: Path, *goals: str) -> subprocess.CompletedProcess:
    """`make` in a project laid out like the repository, with the tests' Python standing in for .venv."""
    venv = root / "venv"
    venv.mkdir(exist_ok=True)
    for marker in (".system-ok", ".installed"):
        (venv / marker).touch()
    return subprocess.run(["make", "--no-print-directory", *goals, f"VENV={venv}", f"PY={sys.executable}"],
                          cwd=root, capture_output=True, text=True)


def test_make_answers_rejected_input_with_status_1_and_only_the_chinese_messages(tmp_path):
    root = new_project(tmp_path)
    for name in ("Makefile", "build.py", "requirements.txt", "tools"):
        (shutil.copytree if (ROOT / name).is_dir() else shutil.copy2)(ROOT / name, root / name)
    os.symlink(ROOT / "huiwu", root / "huiwu")
    write_meeting(root, "t", HEAD.replace("venue: 青川市行政中心1号楼3楼第一会议室\n", "") + BODY)
    message = f"{M}:2: 缺少必填项 venue（会议地点）"
    for goals in ((), ("build",), ("check",)):
        result = make(root, *goals)
        assert (result.returncode, result.stdout) == (1, ""), goals
        assert result.stderr.splitlines() == [message, "1 处错误（1 个文件），未生成任何文件。"], goals
    write_meeting(root, "t", HEAD + BODY)
    result = make(root, "check")
    assert result.returncode == 0, result.stderr


def test_a_build_rejected_at_once_never_shows_a_worker_stopped_on_its_way_up(tmp_path):
    """The render workers start as the build does; sources rejected at once stop them while they are still
    starting (before they set their own stop handling): every time, only the Chinese message is shown."""
    root = new_project(tmp_path)
    (root / "content" / "t" / "meeting.md").mkdir(parents=True)
    for _ in range(20):  # the moment varies from run to run
        result = run(root, "build")
        assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr


def test_a_layout_mistake_found_while_the_workers_send_what_they_rendered_still_ends_the_build(tmp_path):
    """A mistake in a layout laid out late (the 总结) stops a 2,000-person meeting's first build while the workers
    are still sending the forms sent to them early, each larger than a pipe holds: the build says where the mistake
    is and ends (the stopped workers' results thrown away), instead of waiting for the rest of a result cut short."""
    sys.path.insert(0, str(ROOT / "bench"))
    from bench import synthetic_project

    root = synthetic_project(tmp_path, 2000)
    (root / "layouts").unlink()
    shutil.copytree(ROOT / "layouts", root / "layouts")
    summary = root / "layouts" / "summary.html.j2"
    summary.write_text(summary.read_text(encoding="utf-8").replace("{% block body %}", "{% block body %}{{ doc.x.y }}"),
                       encoding="utf-8")
    result = subprocess.run([sys.executable, str(ROOT / "build.py"), "--project", str(root), "build"], cwd=root,
                            capture_output=True, text=True, timeout=150)
    assert result.returncode == 1
    assert "layouts/summary.html.j2:" in result.stderr and "模板错误" in result.stderr
    assert not (root / "output" / "bench").exists()  # nothing written


@pytest.mark.parametrize(("args", "said"), [
    (["bogus"], "没有命令 'bogus'。"),
    (["build", "--forc"], "没有选项 '--forc'。 是不是 '--force'？"),
    (["build", "extra"], "多出了参数（extra）"),
    (["watch", "--port", "abc"], "'--port' 的值不对：'abc' 不是数字。"),
    (["--project", "没有这个文件夹", "build"], "文件夹 '没有这个文件夹' 不存在。"),
    (["checkin", "--port"], "选项 '--port' 后面要写一个值。"),
])
def test_a_command_line_mistake_is_said_in_chinese(tmp_path, args, said):
    """A mistyped command, option or value: said in Chinese (click's own words translated), exit status 1 as for
    a mistake in the sources, nothing written."""
    root = new_project(tmp_path)
    result = run(root, *args)
    assert result.returncode == 1
    assert f"错误：{said}" in result.stderr or said in result.stderr
    assert not any(word in result.stderr for word in ("Error", "Invalid", "No such", "Missing", "Usage"))
    assert not (root / "output").exists()
