"""领导提醒日程: an iCalendar file with one event and alarm per leader to remind."""

from __future__ import annotations

import csv
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar

from conftest import ROOT, SAMPLE, new_project, run, write_meeting

SHANGHAI = ZoneInfo("Asia/Shanghai")
HEAD = """---
title: 测试会议
organizer: 青川市人民政府办公室
start: "2026-12-08 14:30"
venue: 青川市行政中心1号楼3楼第一会议室
signed_on: "2026-12-01"
"""
PEOPLE = """姓名,单位,职务,类别,排序,状态
王芳,市统计局,副局长,出席,20,参会
周长,市政府,市长,主席台,1,参会
李副,市政府,副市长,主席台,2,参会
赵假,市政府,副市长,主席台,3,请假
"""


def calendar(path) -> Calendar:
    return Calendar.from_ical(path.read_bytes())


def events(cal: Calendar) -> list:
    return cal.walk("VEVENT")


def test_one_event_per_rostrum_member(sample_build):
    with open(ROOT / "content" / SAMPLE / "attendees.csv", encoding="utf-8-sig") as f:
        rostrum = [r for r in csv.DictReader(f) if r["类别"] == "主席台" and r["状态"] != "请假"]
    names = [r["姓名"] for r in sorted(rostrum, key=lambda r: int(r["排序"]))]
    found = events(calendar(sample_build / "reminders.ics"))
    assert len(found) == len(names) == 6  # 韩立新 on leave; his stand-in sits in the hall, without a reminder
    assert [str(e["SUMMARY"]) for e in found] == [f"2026年全市经济工作会议（{n}）" for n in names]
    assert len({str(e["UID"]) for e in found}) == len(found)
    for e in found:
        assert e.start == datetime(2026, 12, 8, 9, 0, tzinfo=SHANGHAI)
        assert e["DTSTART"].params["TZID"] == "Asia/Shanghai"
        assert e.end == datetime(2026, 12, 8, 11, 30, tzinfo=SHANGHAI)
        assert str(e["LOCATION"]) == "青川市行政中心1号楼3楼第一会议室"
        assert "报到地点：青川市行政中心1号楼1楼大厅" in str(e["DESCRIPTION"])
        assert "孟凡 0718-88006123" in str(e["DESCRIPTION"])
        (alarm,) = e.walk("VALARM")
        assert str(alarm["ACTION"]) == "DISPLAY"
        assert alarm["TRIGGER"].dt == timedelta(minutes=-60)
        assert "将于1小时后开始" in str(alarm["DESCRIPTION"])


def test_calendar_header_and_time_zone(sample_build):
    data = (sample_build / "reminders.ics").read_bytes()
    assert data.startswith(b"BEGIN:VCALENDAR\r\n") and b"\r\n" in data and b"\n" not in data.replace(b"\r\n", b"")
    cal = calendar(sample_build / "reminders.ics")
    assert str(cal["PRODID"]) == "-//huiwu//会务//ZH"
    assert str(cal["VERSION"]) == "2.0"
    assert str(cal["CALSCALE"]) == "GREGORIAN"
    assert str(cal["X-WR-CALNAME"]) == "2026年全市经济工作会议领导提醒"
    assert [tz.tz_name for tz in cal.timezones] == ["Asia/Shanghai"]
    assert not cal.get_missing_tzids()
    for e in events(cal):  # the signing day, 00:00 in Beijing
        assert e.DTSTAMP == datetime(2026, 11, 30, 16, 0, tzinfo=ZoneInfo("UTC"))


def test_same_bytes_on_every_build(tmp_path):
    root = new_project(tmp_path, sample=False)
    write_meeting(root, "t", HEAD + "reminders: {to: [主席台]}\n---\n\n正文。\n", attendees=PEOPLE)
    out = root / "output" / "t" / "reminders.ics"
    assert run(root, "build", "--only", "reminders", env={"TZ": "UTC"}).returncode == 0
    first = out.read_bytes()
    result = run(root, "build", "--only", "reminders", "--force",
                 env={"TZ": "America/New_York", "HUIWU_TODAY": "2027-01-05"})
    assert result.returncode == 0, result.stderr
    assert out.read_bytes() == first


def test_roles_and_names_default_end_and_lead_time(tmp_path):
    root = new_project(tmp_path, sample=False)
    write_meeting(root, "t", HEAD + "reminders: {to: [王芳, 主席台], before: 90}\n---\n\n正文。\n", attendees=PEOPLE)
    result = run(root, "build", "--only", "reminders")
    assert result.returncode == 0, result.stderr
    found = events(calendar(root / "output" / "t" / "reminders.ics"))
    assert [str(e["SUMMARY"]) for e in found] == ["测试会议（周长）", "测试会议（李副）", "测试会议（王芳）"]
    for e in found:
        assert e.end - e.start == timedelta(hours=2)  # no end time given
        (alarm,) = e.walk("VALARM")
        assert alarm["TRIGGER"].dt == timedelta(minutes=-90)
        assert "将于1小时30分钟后开始" in str(alarm["DESCRIPTION"])


def test_unknown_name_fails_with_its_line(tmp_path):
    root = new_project(tmp_path, sample=False)
    meeting = HEAD + "reminders:\n  to:\n    - 主席台\n    - 周常\n---\n\n正文。\n"
    write_meeting(root, "t", meeting, attendees=PEOPLE)
    result = run(root, "build")
    assert result.returncode == 1
    line = meeting.split("\n").index("    - 周常") + 1
    assert f"meeting.md:{line}: 领导提醒：名单中没有“周常”，是不是“周长”？" in result.stderr
    assert not (root / "output" / "t").exists()


def test_nobody_to_remind_says_why(tmp_path):
    root = new_project(tmp_path, sample=False)
    write_meeting(root, "t", HEAD + "reminders: {to: [特邀, 赵假]}\n---\n\n正文。\n", attendees=PEOPLE)
    result = run(root, "build", "--only", "reminders")
    assert result.returncode == 0, result.stderr
    assert not (root / "output" / "t" / "reminders.ics").exists()
    assert "未生成 t/reminders.ics：reminders.to 所列的特邀、赵假中没有参会人员" in result.stdout


def test_a_changed_time_or_place_is_a_new_revision(tmp_path):
    """RFC 5545 §3.8.7.4: calendar apps take an update only with a higher SEQUENCE (and a newer DTSTAMP).
    The revision is recorded beside the outputs: a build that changes nothing changes no byte."""
    root = new_project(tmp_path, sample=False)
    meeting = HEAD + "reminders: {to: [主席台]}\n---\n\n正文。\n"
    folder = write_meeting(root, "t", meeting, attendees=PEOPLE)
    out = root / "output" / "t" / "reminders.ics"

    def build(*extra: str) -> list:
        result = run(root, "build", "--only", "reminders", *extra)
        assert result.returncode == 0, result.stderr
        return events(calendar(out))

    first = build()
    assert [int(e["SEQUENCE"]) for e in first] == [0, 0]
    assert first[0].DTSTAMP == datetime(2026, 11, 30, 16, 0, tzinfo=ZoneInfo("UTC"))
    (folder / "meeting.md").write_text(meeting.replace("3楼第一会议室", "5楼第三会议室"), encoding="utf-8")
    moved = build()
    assert [int(e["SEQUENCE"]) for e in moved] == [1, 1]
    assert str(moved[0]["LOCATION"]) == "青川市行政中心1号楼5楼第三会议室"
    assert abs(moved[0].DTSTAMP - datetime.now(ZoneInfo("UTC"))) < timedelta(minutes=5)
    data = out.read_bytes()
    build("--force")
    assert out.read_bytes() == data  # unchanged time and place: the recorded revision, not the clock
    (folder / "meeting.md").write_text(meeting.replace("3楼第一会议室", "5楼第三会议室")
                                       .replace("14:30", "15:00").replace("正文。", "正文有改动。"), encoding="utf-8")
    later = build()
    assert [int(e["SEQUENCE"]) for e in later] == [2, 2]
    assert later[0].start == datetime(2026, 12, 8, 15, 0, tzinfo=SHANGHAI)
    (folder / "meeting.md").write_text(meeting.replace("3楼第一会议室", "5楼第三会议室")
                                       .replace("14:30", "15:00"), encoding="utf-8")
    assert [int(e["SEQUENCE"]) for e in build()] == [2, 2]  # the body changed, not the time or place
