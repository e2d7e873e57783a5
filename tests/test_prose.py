"""Prose agrees with the data: the writing rules run on every text that reaches paper (the 须知's lists,
纪要, 简报, 总结), with one clock style and deadlines equal to the notice's `reply_by` (domain.md §5.6)."""

from __future__ import annotations

import csv
import re
import shutil

from conftest import ROOT, SAMPLE, new_project, open_pdf, run, write_meeting

HEAD = """---
title: 测试会议
organizer: 青川市人民政府办公室
start: "2027-01-12 15:00"
venue: 青川市行政中心1号楼5楼第三会议室
reply_by: "2027-01-08 17:00"
"""
M = "content/t/meeting.md"


def check(tmp_path, meeting: str, **files: str) -> list[str]:
    root = new_project(tmp_path)
    folder = write_meeting(root, "t", meeting)
    for name, text in files.items():
        (folder / name.replace("_", "-").replace("-md", ".md")).write_text(text, encoding="utf-8")
    result = run(root, "check")
    assert "Traceback" not in result.stderr
    return result.stderr.strip().split("\n")[:-1] if result.returncode else []


def test_the_old_handbook_note_of_the_second_sample_is_refused(tmp_path):
    """The 2027-01 须知 once said 1月9日17:00, a Saturday, while the notice said 2027年1月8日（星期五）下午5:00."""
    root = new_project(tmp_path)
    shutil.copytree(ROOT / "content" / "2027-01-diaodu", root / "content" / "d")
    path = root / "content" / "d" / "meeting.md"
    text = path.read_text(encoding="utf-8").replace("follows: 2026-12-jingji\n", "")
    fixed = "请各牵头单位于2027年1月8日（星期五）下午5:00前将议定事项落实情况书面材料报市政府办公室。"
    assert fixed in text  # the sample now agrees with reply_by
    path.write_text(text.replace(fixed, "请各牵头单位于1月9日17:00前将议定事项落实情况书面材料报市政府办公室。"),
                    encoding="utf-8")
    line = text[:text.index(fixed)].count("\n") + 1
    result = run(root, "check")
    assert result.returncode == 1
    where = f"content/d/meeting.md:{line}: notes（注意事项）："
    assert result.stderr.strip().split("\n")[:-1] == [
        f"{where}日期“1月9日”缺少年份，请写成“2027年1月9日”这样的完整日期",
        f"{where}时间“17:00”应按本单位的写法加上午、下午，如“下午5:00”（设置 clock：上午9:00）",
        f"{where}截止时间“1月9日17:00前”与通知的回执截止时间（2027年1月8日（星期五）下午5:00）不一致",
    ]


def test_handbook_lists_follow_the_writing_rules(tmp_path):
    meeting = HEAD + "checkin: {time: \"2027-01-12 14:40\", place: 1号楼大厅}\n" \
                     "rules:\n  - 会议期间请将手机调至静音。\n  - 明天上午请提前到场。\n" \
                     "notes:\n  - 请于2027年1月12日（星期三）14:30前到场签到。\n---\n\n正文。\n"
    where = f"{M}:12: notes（注意事项）："
    assert check(tmp_path, meeting) == [
        f"{M}:10: rules（会议纪律）：不能使用相对时间词“明天”，请写明具体日期（如“2026年12月8日”）",
        f"{where}2027年1月12日是星期二，不是星期三",
        f"{where}时间“14:30”应按本单位的写法加上午、下午，如“下午2:30”（设置 clock：上午9:00）",
        f"{where}截止时间“2027年1月12日（星期三）14:30前”与通知的报到时间（2027年1月12日（星期二）下午2:40）不一致",
    ]


def test_minutes_briefing_and_summary_bodies_follow_the_writing_rules(tmp_path):
    minutes = '---\nnumber: 1\ndate: "2027-01-13"\n---\n\n会议要求，各单位于下月10日前报送分析。\n'
    briefing = '---\ndate: "2027-01-12"\ntitle: 调度会召开\n---\n\n会议于2027年1月12日下午15:00召开。\n'
    summary = '---\ndate: "2027-01-14"\n---\n\n一、基本情况\n\n材料已于2027年1月8日（星期五）下午3:00前收齐。\n'
    assert check(tmp_path, HEAD + "---\n\n正文。\n", minutes_md=minutes, briefing_1_md=briefing,
                 summary_md=summary) == [
        "content/t/briefing-1.md:6: 正文：“下午15:00”混用了两种时间写法，应写“下午3:00”或“15:00”",
        "content/t/minutes.md:6: 正文：不能使用相对时间词“下月”，请写明具体日期（如“2026年12月8日”）",
        "content/t/summary.md:7: 正文：截止时间“2027年1月8日（星期五）下午3:00前”与通知的回执截止时间"
        "（2027年1月8日（星期五）下午5:00）不一致",
    ]


def test_printed_front_matter_texts_of_minutes_and_briefings_follow_the_rules(tmp_path):
    minutes = ('---\nnumber: 1\ndate: "2027-01-13"\ndecisions:\n  - text: 下周报送分析报告\n    lead_unit: 市统计局\n'
               '    progress: 已于1月16日完成初稿\n---\n\n正文。\n')
    briefing = '---\ndate: "2027-01-12"\ntitle: 调度会召开\nnote: 现将2027年1月12日（星期一）会议情况刊发。\n---\n\n正文。\n'
    assert check(tmp_path, HEAD + "---\n\n正文。\n", minutes_md=minutes, briefing_1_md=briefing) == [
        "content/t/briefing-1.md:4: note：2027年1月12日是星期二，不是星期一",
        "content/t/minutes.md:5: decisions[1].text：不能使用相对时间词“下周”，请写明具体日期（如“2026年12月8日”）",
        "content/t/minutes.md:7: decisions[1].progress：日期“1月16日”缺少年份，请写成“2027年1月16日”这样的完整日期",
    ]


def test_a_deadline_in_the_notice_body_must_be_reply_by(tmp_path):
    meeting = HEAD + "---\n\n请于2027年1月7日（星期四）下午5:00前报送回执。\n"
    assert check(tmp_path, meeting) == [
        f"{M}:9: 正文：截止时间“2027年1月7日（星期四）下午5:00前”与通知的回执截止时间（2027年1月8日（星期五）下午5:00）不一致"]


def test_the_meeting_time_stated_in_prose_must_be_start(tmp_path):
    briefing = ('---\ndate: "2027-01-12"\ntitle: 调度会召开\n---\n\n'
                '2027年1月12日（星期二）下午2:30在市行政中心召开调度会。\n\n'
                '2027年1月12日（星期二）下午2:00，各组分别召开预备会。\n')
    assert check(tmp_path, HEAD + "---\n\n正文。\n", briefing_1_md=briefing) == [
        "content/t/briefing-1.md:6: 正文：会议时间“2027年1月12日（星期二）下午2:30”与通知的会议开始时间"
        "（2027年1月12日（星期二）下午3:00）不一致"]  # a time followed by a comma states something else


def test_the_24_hour_clock_refuses_the_12_hour_style_in_prose(tmp_path):
    meeting = HEAD + "clock: '9:00'\nnotes:\n  - 请于2027年1月8日（星期五）下午5:00前报送材料。\n---\n\n正文。\n"
    assert check(tmp_path, meeting) == [
        f"{M}:9: notes（注意事项）：时间“下午5:00”应按本单位的写法用24小时制，如“17:00”（设置 clock：9:00）"]


def test_prose_that_agrees_with_the_data_passes(tmp_path):
    meeting = HEAD + "checkin: {time: \"2027-01-12 14:40\", place: 1号楼大厅}\n" \
                     "notes:\n  - 请于2027年1月8日（星期五）下午5:00前报送材料，会后于2027年1月20日前报送总结。\n" \
                     "  - 请于2027年1月12日（星期二）下午2:40前到1号楼大厅报到。\n" \
                     "---\n\n请于2027年1月8日（星期五）下午5:00前报送回执。\n"
    assert check(tmp_path, meeting) == []


# —— the 总结's {回收情况} ——

RECOUNT = "涉密材料印制66份，发放62份，未发放4份（持有人缺席），收回59份，未收回3份"  # by hand: test_recollection


def summary_text(path) -> str:
    with open_pdf(path) as pdf:
        return re.sub(r"— \d+ —|\n", "", "".join(p.extract_text() for p in pdf.pages))


def test_summary_states_the_recollection_counts(sample_build):
    assert f"会后当场回收，{RECOUNT}，未收回的已逐一联系持有人限期交回。" in summary_text(sample_build / "summary.pdf")


def test_a_summary_claiming_every_copy_came_back_is_refused(tmp_path):
    root = new_project(tmp_path, sample=True)
    path = root / "content" / SAMPLE / "summary.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("会后当场回收，{回收情况}，未收回的已逐一联系持有人限期交回。", "会后当场全部收回。"),
                    encoding="utf-8")
    line = text[:text.index("{回收情况}")].count("\n") + 1
    result = run(root, "check")
    assert result.returncode == 1
    assert result.stderr.split("\n")[0] == (
        f"content/{SAMPLE}/summary.md:{line}: 正文：写的是“全部收回”，但回收记录显示{RECOUNT}；"
        "请据实改写，可用占位符 {回收情况}")


def test_once_every_copy_is_back_the_summary_may_say_so(tmp_path):
    root = new_project(tmp_path, sample=True)
    folder = root / "content" / SAMPLE
    with open(folder / "recollected.csv", encoding="utf-8-sig") as f:
        keyed = {row["份号"].zfill(6) for row in csv.DictReader(f)}
    out = sorted({f"{n:06d}" for n in range(1, 67)} - keyed)  # the sample's 66 copies: three out, two not issued
    assert len(out) == 5
    with open(folder / "recollected.csv", "a", encoding="utf-8") as f:
        f.write("".join(f"{n},12:10,廖婷婷,完好,\n" for n in out))
    path = folder / "summary.md"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "{回收情况}，未收回的已逐一联系持有人限期交回。", "{回收情况}，全部收回。"), encoding="utf-8")
    result = run(root, "build", "--only", "summary")
    assert result.returncode == 0, result.stderr
    text = summary_text(root / "output" / SAMPLE / "summary.pdf")
    assert "会后当场回收，涉密材料印制66份，发放62份，未发放4份（持有人缺席），收回62份，全部收回。" in text
