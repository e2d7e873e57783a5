"""材料回收登记表: every numbered copy once, filled from recollected.csv, the copies still out in red."""

from __future__ import annotations

import csv
import hashlib
import re
import shutil

import pytest

from conftest import BARE, ROOT, SAMPLE, TODAY, flat, new_project, open_pdf, pdf_text, run, write_meeting

MAIN = ("序号", "份号", "持有单位", "持有人", "回收时间", "回收人", "完好情况", "备注")
OUT = ("序号", "持有单位", "持有人", "未收回份号", "份数", "联系电话")
ISSUE = ("序号", "份号", "领取单位", "应领人", "领取人签字", "领取时间", "备注")
SKIP = "没有会后收回的材料（materials 中 recollect: true 的材料）"


def person(holder: str) -> str:
    """Who holds a copy: a stand-in's row reads 李明（代黄永强）."""
    return flat(holder).split("（代")[0]


def _is_red(color) -> bool:
    return isinstance(color, (tuple, list)) and len(color) == 3 and color[0] > 0.5 and max(color[1:]) < 0.2


def table_rows(path, header: tuple[str, ...]) -> list[tuple[list[str], str]]:
    """Body rows of the tables with this header, each with the text printed red in it."""
    out = []
    with open_pdf(path) as pdf:
        for page in pdf.pages:
            for t in page.find_tables():
                cells = [[flat(c) for c in row] for row in t.extract()]
                if tuple(cells[0]) != header:
                    continue
                for row, found in zip(cells[1:], t.rows[1:], strict=True):
                    chars = page.crop(found.bbox).chars
                    out.append((row, flat("".join(c["text"] for c in chars if _is_red(c.get("non_stroking_color"))))))
    return out


def keyed() -> list[dict[str, str]]:
    with open(ROOT / "content" / SAMPLE / "recollected.csv", encoding="utf-8-sig") as f:
        return list(csv.DictReader(f))


def signed_in() -> set[str]:
    with open(ROOT / "content" / SAMPLE / "signin.csv", encoding="utf-8-sig") as f:
        return {row["姓名"] for row in csv.DictReader(f)}


def register(out) -> dict[str, str]:
    """份号 → 应领人 of the recollected material, from the issue register."""
    return {r[1]: r[3] for r, _ in table_rows(out / "materials-register.pdf", ISSUE) if re.fullmatch(r"\d{6}", r[1])}


# -- the sample: most copies back, three still out --

def test_every_numbered_copy_appears_exactly_once_with_its_holder(sample_build):
    rows = [r for r, _ in table_rows(sample_build / "recollection.pdf", MAIN)]
    numbers = [r[1] for r in rows]
    issued = register(sample_build)
    assert len(issued) == 66  # stand-ins hold their principals' copies
    assert numbers == sorted(issued) and len(set(numbers)) == len(numbers)
    assert {r[1]: r[3] for r in rows} == issued
    assert [r[0] for r in rows] == [str(i) for i in range(1, len(rows) + 1)]


def test_rows_are_filled_from_recollected_csv(sample_build):
    rows = {r[1]: r for r, _ in table_rows(sample_build / "recollection.pdf", MAIN)}
    came = signed_in()
    for k in keyed():
        row = rows[k["份号"].zfill(6)]
        if person(row[3]) not in came:  # the holder did not come: the copy stayed with the office, 未发放, never 收回
            assert row[4:] == ["未发放", "", "", k["备注"]], k["份号"]
            continue
        clock = k["回收时间"].removeprefix("2026-12-08 ")
        clock = "12月9日" + clock.removeprefix("2026-12-09 ") if clock.startswith("2026-12-09") else clock
        assert row[4:] == [clock, k["回收人"], k["完好情况"], k["备注"]], k["份号"]
    assert rows["000052"][4] == "12月9日10:20"  # returned the next day
    assert sorted(person(r[3]) for r in rows.values() if r[4] == "未发放") == ["万志勇", "彭丽", "胡晓军", "钱立"]


def test_outstanding_copies_are_all_copies_minus_those_keyed_in(sample_build):
    path = sample_build / "recollection.pdf"
    issued = register(sample_build)
    back = {k["份号"].zfill(6) for k in keyed()}
    came = signed_in()
    kept = [n for n, holder in issued.items() if person(holder) not in came]  # never handed out
    missing = sorted(set(issued) - back - set(kept))
    assert len(missing) == 3  # what the sample was written to show
    listed = [r for r, _ in table_rows(path, OUT)]
    assert [n for r in listed for n in r[3].split("、")] == missing
    assert {r[2]: r[3] for r in listed} == {issued[n]: n for n in missing}
    assert all(r[4] == "1" for r in listed)
    main = {r[1]: r[4] for r, _ in table_rows(path, MAIN)}
    assert sorted(n for n, state in main.items() if state == "未收回") == missing
    text = pdf_text(path)
    assert len(kept) == 4  # two listed people and two stand-ins did not come; 印制 = 发放 + 未发放; 发放 = 收回 + 未收回
    counts = (f"印制{len(issued)}份，发放{len(issued) - len(kept)}份，未发放{len(kept)}份（持有人缺席），"
              f"收回{len(back - set(kept))}份，未收回{len(missing)}份")
    assert counts == "印制66份，发放62份，未发放4份（持有人缺席），收回59份，未收回3份"
    assert f"需收回材料1种{counts}" in text
    assert f"未收回材料（{len(missing)}份，{len(missing)}个持有人）" in text


def test_outstanding_rows_are_red_and_returned_rows_are_not(sample_build):
    path = sample_build / "recollection.pdf"
    back = {k["份号"].zfill(6) for k in keyed()}
    for row, red in table_rows(path, MAIN):
        if row[1] in back or row[4] == "未发放":  # back, or never handed out (it stayed with the office)
            assert red in ("", row[6]), row  # only a damaged copy's 完好情况 is red
        else:
            assert red == row[1] + row[3].replace("　", "") + "未收回"
    damaged = [k["完好情况"] for k in keyed() if k["完好情况"] != "完好"]
    assert damaged == ["封面折损"]
    assert "封面折损" in "".join(red for _, red in table_rows(path, MAIN))
    for row, red in table_rows(path, OUT):
        assert red == row[2] + row[3], row


def test_the_issue_register_no_longer_carries_the_return_form(sample_build):
    assert "回收" not in pdf_text(sample_build / "materials-register.pdf")
    assert not table_rows(sample_build / "materials-register.pdf", MAIN)


# -- bad rows in recollected.csv --

def test_unknown_duplicate_and_bad_rows_fail_with_their_lines_and_keep_the_outputs(sample_build, tmp_path):
    root = tmp_path / "proj"
    shutil.copytree(sample_build.parents[1], root, symlinks=True)
    out = root / "output" / SAMPLE
    before = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in out.rglob("*.pdf")}
    path = root / "content" / SAMPLE / "recollected.csv"
    lines = path.read_text(encoding="utf-8-sig").rstrip("\n").split("\n")
    first = next(i for i, line in enumerate(lines, start=1) if line.startswith("000005,"))
    lines += ["000099,11:50,沈佳,完好,", "000005,11:51,沈佳,完好,", "000027,25:70,沈佳,完好,", "12a,11:52,沈佳,完好,"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8-sig")
    n = len(lines)
    result = run(root, "build", env={"HUIWU_TODAY": TODAY})
    assert result.returncode == 1
    err = result.stderr
    where = f"content/{SAMPLE}/recollected.csv"
    assert f"{where}:{n - 3}: 份号“000099”不是需收回材料的份号（“2026年全市经济运行情况" in err
    assert "（征求意见稿）”为 000001—000066）" in err
    assert f"{where}:{n - 2}: 份号“000005”重复：第 {first} 行已登记收回" in err
    assert f"{where}:{n - 1}: 回收时间：“25:70”不是有效的时间" in err
    assert f"{where}:{n}: 份号：“12a”不是有效的份号，请写 6 位数字" in err
    assert err.strip().split("\n")[-1] == "4 处错误（1 个文件），未生成任何文件。"
    assert {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in out.rglob("*.pdf")} == before


# -- small meetings: no record yet, several materials, Excel, skips --

MEETING = BARE.replace("---\n\n正文。", """materials:
  - {title: 经济运行情况, to: [出席], classification: 秘密, recollect: true}
%s---

正文。""")
SECOND = "  - {title: 重点项目清单, to: [出席], recollect: true}\n"
PEOPLE = """姓名,单位,职务,类别,状态
王芳,甲局,局长,出席,参会
李强,乙局,局长,出席,参会
陈刚,丙局,局长,出席,请假
刘洋,丁局,局长,列席,参会
"""


def small(tmp_path, meeting: str = MEETING % "", people: str | None = PEOPLE):
    root = new_project(tmp_path, sample=False)
    folder = write_meeting(root, "t", meeting, people)
    return root, folder


def test_without_a_record_the_form_is_blank_for_hand_filling(tmp_path):
    root, _ = small(tmp_path)
    result = run(root, "build", "--only", "recollection")
    assert result.returncode == 0, result.stderr
    path = root / "output" / "t" / "recollection.pdf"
    rows = [r for r, _ in table_rows(path, MAIN)]
    assert [r[1:4] for r in rows] == [["000001", "甲局", "王芳"], ["000002", "乙局", "李强"]]
    assert all(r[4:] == ["", "", "", ""] for r in rows)
    assert not table_rows(path, OUT) and "未收回" not in pdf_text(path)
    assert "本表供手工登记" in pdf_text(path)


def test_several_materials_need_the_material_column_and_excel_drops_no_copy(tmp_path):
    root, folder = small(tmp_path, MEETING % SECOND)
    (folder / "recollected.csv").write_text("份号,回收时间\n1,11:40\n", encoding="utf-8")
    result = run(root, "build", "--only", "recollection")
    assert result.returncode == 1
    assert ("content/t/recollected.csv:2: 份号“000001”在多种材料中都有（“经济运行情况”、“重点项目清单”），"
            "请在“材料”列写明是哪种材料") in result.stderr
    (folder / "recollected.csv").unlink()
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    book.active.append(["材料", "份号", "回收时间", "回收人"])
    book.active.append(["经济运行", 1, "11:40", "沈佳"])  # a number cell: Excel keeps no leading zeros
    book.active.append(["重点项目清单", 2, "2026-12-08 11:45", "沈佳"])
    book.save(folder / "recollected.xlsx")
    result = run(root, "build", "--only", "recollection")
    assert result.returncode == 0, result.stderr
    path = root / "output" / "t" / "recollection.pdf"
    assert [(r[1], r[4]) for r, _ in table_rows(path, MAIN)] == [
        ("000001", "11:40"), ("000002", "未收回"), ("000001", "未收回"), ("000002", "11:45")]
    assert [r[1:4] for r, _ in table_rows(path, OUT)] == [["乙局", "李强", "材料1：000002"],
                                                         ["甲局", "王芳", "材料2：000001"]]
    assert "需收回材料2种发放4份，收回2份，未收回2份" in pdf_text(path)


def test_a_material_name_that_matches_nothing_is_an_error_and_all_back_means_no_list(tmp_path):
    root, folder = small(tmp_path)
    (folder / "recollected.csv").write_text("份号,材料\n000001,讲话稿\n", encoding="utf-8")
    result = run(root, "build", "--only", "recollection")
    assert result.returncode == 1
    assert "content/t/recollected.csv:2: 材料“讲话稿”不是需收回的材料（需收回的材料：“经济运行情况”）" in result.stderr
    (folder / "recollected.csv").write_text("份号,材料,回收时间\n2,经济运行情况,11:41\n000001,,11:40\n", encoding="utf-8")
    result = run(root, "build", "--only", "recollection")
    assert result.returncode == 0, result.stderr
    path = root / "output" / "t" / "recollection.pdf"
    assert [(r[1], r[4]) for r, _ in table_rows(path, MAIN)] == [("000001", "11:40"), ("000002", "11:41")]
    assert not table_rows(path, OUT)
    assert "需收回材料1种发放2份，收回2份发放的材料已全部收回" in pdf_text(path)


@pytest.mark.parametrize(("meeting", "people", "reason"), [
    (BARE, None, SKIP),
    (MEETING.replace("recollect: true", "recollect: false") % "", PEOPLE, SKIP),
    (MEETING % "", "姓名,单位,类别\n刘洋,丁局,列席\n", "会后收回的材料没有领取人（名单中没有对应类别的参会人员）"),
])
def test_no_material_to_recollect_skips_the_form_and_says_why(tmp_path, meeting, people, reason):
    root, _ = small(tmp_path, meeting, people)
    result = run(root, "build", "--only", "recollection")
    assert result.returncode == 0, result.stderr
    assert f"未生成 t/recollection.pdf：{reason}" in result.stdout
    assert not (root / "output" / "t" / "recollection.pdf").exists()
