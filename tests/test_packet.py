"""The pre-meeting packet's forms and documents, read back from the PDFs of a real build."""

from __future__ import annotations

import csv
import re
import shutil

import pytest
from pypdf import PdfReader

from conftest import ROOT, SAMPLE, TODAY, copy_project, mm, new_project, open_pdf, run

OUT = "output/" + SAMPLE


def sample_rows():
    with open(ROOT / "content" / SAMPLE / "attendees.csv", encoding="utf-8-sig") as f:
        return list(csv.DictReader(f))


def text_of(path) -> str:
    with open_pdf(path) as pdf:
        return "\n".join(p.extract_text() for p in pdf.pages).replace(" ", "")


def tables_of(path) -> list[list[list[str]]]:
    with open_pdf(path) as pdf:
        return [[[(c or "").replace("\n", "").replace(" ", "") for c in row] for row in t]
                for p in pdf.pages for t in p.extract_tables()]


def body_rows(path, first: str = "序号") -> list[list[str]]:
    """Data rows of every ruled table (header rows dropped)."""
    return [row for t in tables_of(path) for row in t if row[0] != first]


def red_texts(path) -> list[str]:
    with open_pdf(path) as pdf:
        out = []
        for page in pdf.pages:
            red = [c for c in page.chars if _is_red(c.get("non_stroking_color"))]
            out.append("".join(c["text"] for c in red))
        return out


def _is_red(color) -> bool:
    return isinstance(color, (tuple, list)) and len(color) == 3 and color[0] > 0.5 and max(color[1:]) < 0.2


def edit(root, old: str, new: str, name: str = "meeting.md"):
    path = root / "content" / SAMPLE / name
    text = path.read_text(encoding="utf-8-sig")
    assert old in text, old
    path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.fixture
def project(tmp_path):
    """A copy of the sample's sources to edit; tests that read one document build just that (--only)."""
    return new_project(tmp_path, sample=True)


# -- 会议方案 --

def test_plan_has_every_section_and_the_draft_mark_on_every_page(sample_build):
    with open_pdf(sample_build / "plan.pdf") as pdf:
        pages = [p.extract_text().replace(" ", "") for p in pdf.pages]
        assert all((p.width, p.height) == pytest.approx((595.3, 841.9), abs=0.5) for p in pdf.pages)
    assert all("送审稿" in p for p in pages)
    text = "".join(pages)
    headings = re.findall(r"[一二三四五六七八九十]+、(会议名称|会议目的|会议时间和地点|参会范围及人数|会议议程|日程安排|会务分工|"
                          r"会议材料|工作要求)", text)
    assert headings == ["会议名称", "会议目的", "会议时间和地点", "参会范围及人数", "会议议程", "日程安排", "会务分工",
                        "会议材料", "工作要求"]
    counted = [r for r in sample_rows() if r["类别"] not in ("工作人员", "媒体")]
    away = [r for r in counted if r["状态"] == "请假"]
    stand_ins = [r for r in away if r["替会人员"]]
    by_role = "、".join(f"{role}{sum(1 for r in counted if r['类别'] == role)}人" for role in ("主席台", "出席", "列席"))
    coming = len(counted) - len(away) + len(stand_ins)
    assert (len(counted), len(away), len(stand_ins), coming) == (68, 7, 5, 66)  # the one basis, domain.md §5.6
    assert (f"应到{len(counted)}人（{by_role}），请假{len(away)}人，替会{len(stand_ins)}人，"
            f"拟参会（拟到）{coming}人；另有媒体3人、工作人员8人。") in text.replace("\n", "")
    assert "注：应到含主席台、出席、列席、特邀人员，不含工作人员、媒体；拟到＝应到－请假＋替会人员。" in text.replace("\n", "")
    assert "2026年12月8日（星期二）上午9:00—11:30" in text


def test_plan_task_table_lists_every_task_under_its_group(sample_build):
    rows = body_rows(sample_build / "plan.pdf", first="任务")
    tasks = [r for r in rows if len(r) == 3 and r[1]]
    assert ["起草会议方案和通知", "方静怡", "2026年11月27日前"] in tasks
    assert ["预订会议室、落实领导用车", "孟凡", "2026年11月25日前"] in tasks
    groups = [r[0] for r in rows if not r[1]]
    assert [g.split("（")[0] for g in groups if g.endswith("）")] == ["材料组", "会务组", "宣传组", "保卫组", "后勤组"]


def test_approved_plan_carries_no_draft_mark(project):
    edit(project, "approved: false", "approved: true")
    assert run(project, "build", "--only", "plan").returncode == 0
    assert "送审稿" not in text_of(project / OUT / "plan.pdf")


# -- 通知签收登记表 --

def expected_units():
    units = [r["单位"] for r in sample_rows() if r["类别"] not in ("工作人员", "媒体")]
    return list(dict.fromkeys(units))


def test_receipts_have_one_row_per_receiving_unit(sample_build):
    path = sample_build / "notice-receipts.pdf"
    (header,) = {tuple(t[0]) for t in tables_of(path)}
    assert header == ("序号", "收文单位", "份数", "送达时间", "签收人", "联系电话", "备注")
    rows = body_rows(path)
    assert [r[0] for r in rows] == [str(i) for i in range(1, len(rows) + 1)]
    assert {r[1] for r in rows} == set(expected_units()) and len(rows) == len(expected_units())
    assert "关于召开2026年全市经济工作会议的通知（青政办函〔2026〕87号）" in text_of(path)


def test_phone_notification_gets_its_own_form(project):
    edit(project, "channels: [书面, 内网]", "channels: [书面, 电话]")
    assert run(project, "build", "--only", "receipts").returncode == 0
    headers = {tuple(t[0]) for t in tables_of(project / OUT / "notice-receipts.pdf")}
    assert ("序号", "单位", "通知时间", "接听人", "联系电话", "通知人", "反馈参会人员") in headers
    assert ("序号", "收文单位", "份数", "送达时间", "签收人", "联系电话", "备注") in headers


# -- 请假人员名单 --

def test_leave_list_counts_and_rows(sample_build):
    path = sample_build / "leave-list.pdf"
    people = [r for r in sample_rows() if r["类别"] not in ("工作人员", "媒体")]  # 应到 (domain.md §5.6)
    away = [r for r in sample_rows() if r["状态"] == "请假"]
    stand_ins = [r for r in away if r["替会人员"]]
    text = text_of(path)
    assert (f"应到{len(people)}人请假{len(away)}人替会{len(stand_ins)}人"
            f"拟到{len(people) - len(away) + len(stand_ins)}人") in text
    assert "应到68人请假7人替会5人拟到66人" in text  # never 79 with the staff and press
    assert "注：应到含主席台、出席、列席、特邀人员，不含工作人员、媒体；拟到＝应到－请假＋替会人员。" in text
    rows = body_rows(path)
    assert [r[1].replace("　", "") for r in rows] == ["韩立新", "黄永强", "萧雅琴", "潘文涛", "魏长青", "龚德明", "严文静"]
    assert rows[1][3:5] == ["出差（赴省参加培训）", "李明（凤鸣区发展改革局局长）"]
    assert {r[1].replace("　", "") for r in rows} == {r["姓名"] for r in away}


def test_no_one_on_leave_means_no_leave_list(project):
    path = project / "content" / SAMPLE / "attendees.csv"
    rows = list(csv.DictReader(path.read_text(encoding="utf-8-sig").splitlines()))
    for r in rows:  # everyone comes: no one on leave, no stand-in
        r.update({"状态": "参会", "请假原因": "", "替会人员": ""})
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    (project / "content" / SAMPLE / "disposed.csv").unlink()  # it disposes of copies the stand-ins held
    result = run(project, "build", "--only", "leave")
    assert result.returncode == 0, result.stderr
    assert f"未生成 {SAMPLE}/leave-list.pdf：名单中没有请假人员" in result.stdout
    assert not (project / OUT / "leave-list.pdf").exists()


# -- 分工任务清单、会前自查清单 --

def test_overdue_tasks_are_flagged_against_the_build_date(sample_build):
    path = sample_build / "tasks.pdf"
    rows = {r[1]: r for r in body_rows(path) if len(r) == 6 and r[1]}
    assert rows["印发通知并逐一电话确认签收"][4] == "逾期1天"  # due 11-30, built as of 12-01
    assert rows["起草会议方案和通知"][4] == "已完成"
    assert rows["起草市长讲话稿"][4] == "未完成"
    assert "逾期1天" in red_texts(path)[0]
    text = text_of(path)
    assert "任务10项已完成2项未完成8项（其中逾期1项）" in text and f"状态按{TODAY[:4]}年12月1日计" in text


def test_checklist_has_a_tick_box_per_item(sample_build):
    with open_pdf(sample_build / "tasks.pdf") as pdf:
        rows = [r for p in pdf.pages for t in p.extract_tables() for r in t if r[0] and r[0].isdigit()
                and len(r) == 6 and r[3] == ""]
        boxes = [r for p in pdf.pages for r in p.rects if 4 < mm(r["width"]) < 5 and 4 < mm(r["height"]) < 5]
    assert len(rows) >= 10 and len(boxes) == len(rows)
    text = text_of(sample_build / "tasks.pdf")
    for item in ("会场已预订", "通知已送达，签收登记齐全", "话筒、音响、投影已调试", "引导牌已摆放", "车辆、驾驶员已落实"):
        assert item in text


def test_a_new_day_rebuilds_the_overdue_flags(sample_build, tmp_path):
    project = copy_project(sample_build.parents[1], tmp_path)  # built as of TODAY, 2026-12-01
    assert run(project, "build", env={"HUIWU_TODAY": "2026-12-01"}).returncode == 0
    again = run(project, "build", env={"HUIWU_TODAY": "2026-12-05"})
    assert again.returncode == 0 and "分工及自查清单" in again.stdout
    rows = {r[1]: r for r in body_rows(project / OUT / "tasks.pdf") if len(r) == 6 and r[1]}
    assert rows["起草市长讲话稿"][4] == "逾期1天"
    assert run(project, "build", env={"HUIWU_TODAY": "2026-12-05"}).stdout.startswith("无需更新")


# -- 车辆调度表 --

def test_vehicles_list_riders_and_flag_the_unassigned(sample_build):
    path = sample_build / "vehicles.pdf"
    text = text_of(path)
    assert "【领导用车】1号车　青A·G0001".replace("　", "") in text and "驾驶员张建国13900002001" in text
    people = sample_rows()
    for vid in ("1号车", "2号车", "3号车"):
        riders = [r["姓名"] for r in people if r["车辆"] == vid and r["状态"] == "参会"]
        assert f"乘车{len(riders)}人" in text
    lost = [r["姓名"] for r in people if not r["车辆"] and r["状态"] == "参会"]
    assert lost and f"未安排车辆人员（{len(lost)}人）" in text
    assert "".join(red_texts(path)).count("未安排车辆") == len(lost)


def test_unknown_vehicle_and_overfull_vehicle_are_errors(project):
    edit(project, "周卫东,市政府,市长,主席台,1,参会,,13900001000,,1号车",
         "周卫东,市政府,市长,主席台,1,参会,,13900001000,,9号车", name="attendees.csv")
    edit(project, "plate: 青A·G0002, seats: 4", "plate: 青A·G0002, seats: 1")
    result = run(project, "build")
    assert result.returncode == 1
    assert f"content/{SAMPLE}/attendees.csv:2: 车辆“9号车”不在 meeting.md 的 vehicles 中" in result.stderr
    assert re.search(rf"content/{SAMPLE}/meeting.md:\d+: vehicles：2号车 核载 1 人，名单中安排了 2 人", result.stderr)


# -- 材料分发登记表 and numbered copies --

def test_register_numbers_every_classified_copy_contiguously(sample_build):
    path = sample_build / "materials-register.pdf"
    rows = [r for r in body_rows(path) if re.fullmatch(r"\d{6}", r[1])]
    assert all(len(r) == 7 for r in rows)  # 序号 份号 领取单位 应领人 签字 时间 备注
    issued = [r[1] for r in rows]
    assert issued == [f"{i:06d}" for i in range(1, len(issued) + 1)]
    wanted = [r for r in sample_rows() if r["类别"] in ("主席台", "出席", "列席")
              and (r["状态"] == "参会" or r["替会人员"])]  # a stand-in gets the principal's copy
    assert len(issued) == len(wanted)
    assert "材料回收登记表" not in text_of(path)  # its own document now: recollection.pdf (test_recollection.py)


def test_every_copy_carries_its_own_number_and_holder_on_every_page(sample_build):
    folder = sample_build / "materials" / "经济运行情况"
    files = sorted(folder.glob("*.pdf"))
    register = {r[1]: r[3].replace("　", "") for r in body_rows(sample_build / "materials-register.pdf")
                if len(r) == 7 and re.fullmatch(r"\d{6}", r[1])}
    assert [f.name.split("-")[0] for f in files] == sorted(register)
    source_pages = len(PdfReader(ROOT / "content" / SAMPLE / "材料" / "经济运行情况.pdf").pages)
    for f in files[:3] + files[-2:]:
        number, holder = f.stem.split("-")
        assert register[number] == holder
        with open_pdf(f) as pdf:
            assert len(pdf.pages) == source_pages
            for page in pdf.pages:
                text = page.extract_text().replace(" ", "")
                assert number in text and holder in text and "秘密" in text
                others = set(re.findall(r"\b\d{6}\b", text)) - {number}
                assert not others


def test_missing_material_file_is_an_error_with_its_line(project):
    shutil.rmtree(project / "content" / SAMPLE / "材料")
    result = run(project, "build")
    assert result.returncode == 1
    assert re.search(rf"content/{SAMPLE}/meeting.md:\d+: materials：找不到材料文件“材料/经济运行情况.pdf”", result.stderr)


def test_classified_notice_receipts_carry_each_units_copy_number(project):
    edit(project, "classification: 公开", "classification: 机密\nsecrecy_term: 1年\ncopies: 60")
    edit(project, "channels: [书面, 内网]", "channels: [书面]")
    assert run(project, "build", "--only", "receipts").returncode == 0, "build"
    path = project / OUT / "notice-receipts.pdf"
    (header,) = {tuple(t[0]) for t in tables_of(path)}
    assert header[:4] == ("序号", "收文单位", "份数", "份号")
    rows = body_rows(path)
    assert [r[3] for r in rows] == [f"{i:06d}" for i in range(1, len(rows) + 1)]
    assert text_of(path).startswith("机密★1年")


def test_one_print_file_holds_every_copy_in_number_order(sample_build):
    copies = sorted((sample_build / "materials" / "经济运行情况").glob("*.pdf"))
    source_pages = len(PdfReader(ROOT / "content" / SAMPLE / "材料" / "经济运行情况.pdf").pages)
    with open_pdf(sample_build / "materials" / "经济运行情况-全部份号.pdf") as pdf:
        assert len(pdf.pages) == len(copies) * source_pages  # two pages each: no padding needed
        numbers = [re.findall(r"\b\d{6}\b", p.extract_text()) for p in pdf.pages]
    expected = [[c.name[:6]] for c in copies for _ in range(source_pages)]
    assert numbers == expected
