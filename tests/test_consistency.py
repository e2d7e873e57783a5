"""The cross-check: name list, seats, 桌签 and 证件 agree person for person; each rule has an
input that breaks it and the exact message a user reads."""

from __future__ import annotations

from dataclasses import replace

from conftest import BARE, new_project, run, write_meeting
from huiwu.consistency import Holders, cross_check
from huiwu.records.meeting import Attendee

HEAD = BARE


def build(tmp_path, people: str):
    root = new_project(tmp_path, sample=False)
    write_meeting(root, "t", HEAD, "姓名,单位,职务,类别,排序,状态,备注\n" + people)
    return run(root, "check")


def test_same_name_same_unit_is_an_error(tmp_path):
    result = build(tmp_path, "王芳,市财政局,局长,出席,1,参会,\n李四,市统计局,局长,出席,2,参会,\n王芳,市财政局,局长,出席,3,参会,\n")
    assert result.returncode == 1
    assert "content/t/attendees.csv:4: 王芳（市财政局）重复：与第2行是同一人，请删去一行" in result.stderr.splitlines()


def test_same_name_in_two_units_asks_for_a_human_look_until_marked(tmp_path):
    people = "王芳,市财政局,局长,出席,1,参会,\n王芳,市统计局,副局长,出席,2,参会,{}\n"
    result = build(tmp_path, people.format(""))
    assert result.returncode == 1
    assert ("content/t/attendees.csv:3: 王芳同时出现在市财政局（第2行）和市统计局：是同一人请删去一行；"
            "确是两人，请在备注中写“同名”") in result.stderr.splitlines()
    assert build(tmp_path / "ok", people.format("同名")).returncode == 0


def person(name: str, status: str = "参会", line: int = 2) -> Attendee:
    return Attendee(name, "市政府", "职务", "出席", 1, status, "", "", "", line)


def test_each_cross_check_rule_names_the_person():
    seat_no_card, card_no_seat, seat_no_badge, away = (person(n) for n in ("甲", "乙", "丙", "丁"))
    away = person("丁", status="请假")
    ok = person("戊")
    principal = person("己", status="请假")
    stand_in = replace(person("庚"), stands_in=principal)  # badge and seat, but no sign-in row
    unsigned = person("辛")  # on the sign-in sheet without a badge
    staff = replace(person("壬"), role="工作人员")  # seated without a card or a sign-in row: as it should be
    seated = {id(seat_no_card): "1排1号", id(seat_no_badge): "1排2号", id(away): "1排3号", id(ok): "1排4号",
              id(stand_in): "1排5号", id(staff): "7排1号"}
    people = [seat_no_card, card_no_seat, seat_no_badge, away, ok, principal, stand_in, unsigned, staff]
    holders = Holders(seated, cards=[card_no_seat, seat_no_badge, away, ok, stand_in],
                      badges=[seat_no_card, card_no_seat, away, ok, stand_in, staff],
                      signins=[seat_no_card, card_no_seat, seat_no_badge, away, ok, unsigned],
                      uncarded=("工作人员", "媒体"))
    found = [m for _, m in cross_check(holders, people)]
    assert found == ["甲有座位（1排1号）但没有桌签", "乙有桌签但没有座位", "丙有座位（1排2号）但没有证件",
                     "丙在签到表上但没有证件", "丁已请假，却有座位、桌签、证件、签到行", "庚（代己）有证件但签到表上没有",
                     "辛在签到表上但没有证件"]


def test_sample_passes_every_check(tmp_path):
    root = new_project(tmp_path, sample=True)
    result = run(root, "check")
    assert result.returncode == 0, result.stderr
