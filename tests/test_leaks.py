"""A classified meeting's words never reach the intranet site, by any route: not its own pages, and not
through a meeting that `follows` it. A classified meeting may carry its open items into another
classified meeting's papers; a lower meeting that follows it is refused at its `follows:` line."""

from __future__ import annotations

import shutil

import pytest

from conftest import TODAY, new_project, open_pdf, run, write_meeting

MARK = "ZQXLEAK"


def secret_meeting(n: int, level: str, follows: str = "") -> str:
    return f"""---
title: {MARK}{n}专题会议
organizer: 青川市{MARK}{n}办公室
classification: {level}
start: "2026-11-0{n} 09:00"
venue: 青川市行政中心1号楼3楼{MARK}{n}会议室
contacts: [{{name: 孟凡, phone: "0718-{MARK}{n}"}}]
agenda: [{{time: "9:00", item: {MARK}{n}议题, presenter: 市长{MARK}}}]
{f"follows: {follows}" if follows else ""}
---

{MARK}{n}正文。
"""


def minutes(n: int) -> str:
    return f"""---
number: {n}
date: "2026-11-0{n}"
mark: {MARK}{n}纪要
decisions:
  - {{text: {MARK}{n}事项, lead_unit: {MARK}{n}牵头单位, due: "2026-12-30", progress: {MARK}进展}}
---

{MARK}{n}纪要正文。
"""


def public_meeting(title: str, follows: str = "", level: str = "公开") -> str:
    return f"""---
title: {title}
organizer: 青川市人民政府办公室
classification: {level}
start: "2026-12-08 09:00"
venue: 青川市行政中心1号楼3楼第一会议室
{f"follows: {follows}" if follows else ""}
---

正文。
"""


def leaks(root) -> list[str]:
    site = root / "output" / "site"
    return [p.relative_to(site).as_posix() for p in site.rglob("*")
            if MARK in p.name or (p.is_file() and MARK.encode() in p.read_bytes())]


@pytest.fixture(scope="module")
def chain(tmp_path_factory):
    """s1 (秘密, with minutes) ← s2 (机密, follows s1, with minutes) and an unrelated 公开 meeting."""
    root = new_project(tmp_path_factory.mktemp("leaks"))
    s1 = write_meeting(root, "s1", secret_meeting(1, "秘密"))
    (s1 / "minutes.md").write_text(minutes(1), encoding="utf-8")
    s2 = write_meeting(root, "s2", secret_meeting(2, "机密", follows="s1"))
    (s2 / "minutes.md").write_text(minutes(2), encoding="utf-8")
    write_meeting(root, "p", public_meeting("全市公开会议"))
    result = run(root, "build", "--only", "followups,handbook,notice", env={"HUIWU_TODAY": TODAY})
    assert result.returncode == 0, result.stderr
    result = run(root, "build", env={"HUIWU_TODAY": TODAY})
    assert result.returncode == 0, result.stderr
    return root


def test_classified_items_travel_between_classified_meetings(chain):
    with open_pdf(chain / "output" / "s2" / "followups.pdf") as pdf:
        text = "".join(p.extract_text() for p in pdf.pages)
    assert f"{MARK}1事项" in text  # carried from s1 into s2's 督办清单


def test_no_classified_word_is_on_the_site(chain):
    assert (chain / "output" / "site" / "p" / "index.html").is_file()
    assert not (chain / "output" / "site" / "s1").exists() and not (chain / "output" / "site" / "s2").exists()
    assert leaks(chain) == []


@pytest.mark.parametrize("level, follows", [("公开", "s2"), ("内部", "s1"), ("公开", "s1")])
def test_a_lower_meeting_following_a_classified_one_is_refused(chain, tmp_path, level, follows):
    root = tmp_path / "proj"
    shutil.copytree(chain, root, symlinks=True)
    site = {p.relative_to(root).as_posix(): p.read_bytes() for p in (root / "output" / "site").rglob("*") if p.is_file()}
    write_meeting(root, "later", public_meeting("后续会议", follows=follows, level=level))
    result = run(root, "build", env={"HUIWU_TODAY": TODAY})
    assert result.returncode == 1
    found = "秘密" if follows == "s1" else "机密"
    assert result.stderr.split("\n")[0].startswith(
        f"content/later/meeting.md:7: follows: 前次会议“{follows}”是{found}会议，其议定事项不能转入本次{level}会议")
    assert {p.relative_to(root).as_posix(): p.read_bytes()
            for p in (root / "output" / "site").rglob("*") if p.is_file()} == site
    assert leaks(root) == []


def test_a_chain_through_a_public_meeting_is_refused_too(chain, tmp_path):
    """later (公开) → middle (公开) → s1 (秘密): the secret items would ride through the public middle."""
    root = tmp_path / "proj"
    shutil.copytree(chain, root, symlinks=True)
    write_meeting(root, "middle", public_meeting("中间会议", follows="s1"))
    write_meeting(root, "later", public_meeting("后续会议", follows="middle"))
    result = run(root, "build", env={"HUIWU_TODAY": TODAY})
    assert result.returncode == 1
    lines = result.stderr.split("\n")
    assert any(line.startswith("content/later/meeting.md:7: follows: 前次会议“s1”是秘密会议") for line in lines)
    assert any(line.startswith("content/middle/meeting.md:7: follows: 前次会议“s1”是秘密会议") for line in lines)
    assert leaks(root) == []


def test_forms_printing_classified_copy_numbers_stay_off_the_site_even_when_named(tmp_path):
    """The 材料分发登记表 and the 主席台材料核对表 print the 份号 of the 秘密 copies: as secret as the copies, so
    `site_publish` naming them publishes neither; the 签到表 it names is published."""
    root = new_project(tmp_path)
    meeting = public_meeting("全市公开会议").replace("---\n\n", """site_publish: [签到表, 材料分发登记表, 主席台材料核对表]
materials:
  - {title: 征求意见稿, classification: 秘密, pages: 3}
seating: {rostrum: {rows: [3]}, hall: {rows: 2, seats: 5}}
---

""", 1)
    write_meeting(root, "p", meeting, "姓名,单位,职务,类别\n周卫东,市政府,市长,主席台\n王建华,市财政局,局长,出席\n")
    result = run(root, "build", env={"HUIWU_TODAY": TODAY})
    assert result.returncode == 0, result.stderr
    out, files = root / "output" / "p", root / "output" / "site" / "p" / "files"
    assert (out / "materials-register.pdf").is_file() and (out / "rostrum-materials.pdf").is_file()
    assert {p.name for p in files.iterdir()} >= {"signin.pdf"}
    assert not {"materials-register.pdf", "rostrum-materials.pdf"} & {p.name for p in files.iterdir()}
    page = (root / "output" / "site" / "p" / "index.html").read_text(encoding="utf-8")
    assert "材料分发登记表" in page[page.index("不在内网发布"):]  # said to be kept off, like any working form
