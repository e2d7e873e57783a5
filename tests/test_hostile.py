"""Hostile and broken input, case by case: each ends with exit status 1, one exact Chinese message naming
the file and line, no traceback, every previous output byte-identical — and within a memory and time
limit, so a bomb of any kind is answered, not endured."""

from __future__ import annotations

import hashlib
import os
import re
import resource
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import BARE, ROOT, TODAY, new_project, write_meeting

PEOPLE = "姓名,单位,职务,类别,排序\n张三,青川市发展改革委,主任,主席台,1\n李四,青川市财政局,局长,出席,2\n"
MEMORY = 1536 * 1024 * 1024  # bytes of address space a failing build may use
SECONDS = 120
M = "content/t/meeting.md"
A = "content/t/attendees.csv"
SECRET = """---
title: 秘密专题会议
organizer: 青川市人民政府办公室
classification: 秘密
start: "2026-11-02 09:00"
venue: 青川市行政中心1号楼3楼第一会议室
---

正文。
"""
SECRET_MINUTES = """---
number: 1
date: "2026-11-03"
decisions:
  - {text: 机密事项ZQX, lead_unit: 市发展改革委, due: "2026-12-30"}
---

纪要正文。
"""


def meeting(extra: str = "", title: str = "测试会议") -> str:
    """BARE with `extra` lines added to its front matter (after `venue:`, line 6 on)."""
    return BARE.replace("测试会议", title).replace("venue: 青川市行政中心1号楼3楼第一会议室\n",
                                                  f"venue: 青川市行政中心1号楼3楼第一会议室\n{extra}")


def set_meeting(extra: str = "", title: str = "测试会议"):
    return lambda root: (root / M).write_text(meeting(extra, title), encoding="utf-8")


def put(name: str, data: str | bytes):
    def apply(root: Path) -> None:
        path = root / "content" / "t" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return apply


def link(name: str, target: str):
    def apply(root: Path) -> None:
        path = root / "content" / "t" / name
        path.unlink(missing_ok=True)
        path.symlink_to(target)
    return apply


def folder(name: str):
    return lambda root: write_meeting(root, name, BARE)


def fifo(name: str):
    def apply(root: Path) -> None:
        (root / "content" / "t" / name).unlink(missing_ok=True)
        os.mkfifo(root / "content" / "t" / name)
    return apply


def directory(name: str):
    def apply(root: Path) -> None:
        (root / "content" / "t" / name).unlink(missing_ok=True)
        (root / "content" / "t" / name).mkdir()
    return apply


def sparse(name: str, size: int):
    def apply(root: Path) -> None:
        with open(root / "content" / "t" / name, "wb") as fh:
            fh.truncate(size)
    return apply


def follows_secret(level: str):
    def apply(root: Path) -> None:
        s = write_meeting(root, "s", SECRET.replace("秘密", level))
        (s / "minutes.md").write_text(SECRET_MINUTES, encoding="utf-8")
        set_meeting("follows: s\n")(root)
    return apply


def outside_folder(root: Path) -> None:
    elsewhere = root.parent / "elsewhere"
    write_meeting(elsewhere.parent, "elsewhere", BARE)  # a meeting folder outside the project
    (root / "content" / "ext").symlink_to(root.parent / "content" / "elsewhere")


def zip_bomb(root: Path) -> None:
    with zipfile.ZipFile(root / "content" / "t" / "attendees.xlsx", "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/worksheets/sheet1.xml", b"\0" * (300 * 1024 * 1024))
    (root / "content" / "t" / "attendees.csv").unlink()


def alias_bomb() -> str:
    lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]']
    lines += [f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)}]"
              for i in range(8)]
    return "notes: {" + ", ".join(lines) + "}\n"


def rows(n: int) -> str:
    return "姓名,单位\n" + "".join(f"张{chr(0x4e00 + i % 5000)}{i},青川市财政局\n" for i in range(n))


PATH_OUT = "不在会议文件夹 t/ 中：请把文件复制到会议文件夹里，file 写文件夹内的路径（如 材料/讲话稿.pdf）"
LINK_OUT = "是指向会议文件夹以外的链接：会议文件夹中只能放会议本身的文件（请复制进来，不要链接）"
NOT_FILE = "不是普通文件（是文件夹、管道或设备），无法作为会议材料读取"
BAD_ID = "会议文件夹名只能用汉字、字母、数字和 - _ .（不超过 64 个字符，不以符号开头），例如 2026-12-经济工作会议"
FOLLOW_PATH = "follows: 应写 content/ 下前次会议的文件夹名，不能是路径或指向别处的链接"
ENCODING = "无法识别文件编码：请另存为 UTF-8 或 GB18030（GBK）"
SECRET_FOLLOW = ("follows: 前次会议“s”是{0}会议，其议定事项不能转入本次公开会议的督办事项清单和会议须知（会印发、会在内网发布）："
                 "请去掉 follows，或把本会议的密级定为{0}")

CASES = {
    # classified content reaching what is published
    "公开 follows 秘密": (follows_secret("秘密"), f"{M}:6: {SECRET_FOLLOW.format('秘密')}"),
    "公开 follows 绝密": (follows_secret("绝密"), f"{M}:6: {SECRET_FOLLOW.format('绝密')}"),
    # meeting ids that collide with outputs or carry script
    "folder named site": (folder("site"), "content/site: 会议文件夹名不能是“site”：output/ 下已有同名的站点或系统文件夹，请换一个名字"),
    "folder named SITE": (folder("SITE"), "content/SITE: 会议文件夹名不能是“SITE”：output/ 下已有同名的站点或系统文件夹，请换一个名字"),
    "javascript: folder": (folder("javascript:alert(1)"), f"content/javascript:alert(1): {BAD_ID}"),
    "markup folder": (folder("<img src=x onerror=alert(1)>"), f"content/<img src=x onerror=alert(1)>: {BAD_ID}"),
    "folder with a space": (folder("a b"), f"content/a b: {BAD_ID}"),
    # files from outside the project
    "material absolute path": (set_meeting("materials: [{title: 材料, classification: 秘密, file: /etc/hostname}]\n"),
                               f"{M}:6: materials：材料文件“/etc/hostname”{PATH_OUT}"),
    "material ../ path": (set_meeting("materials: [{title: 材料, classification: 秘密, file: ../../x.pdf}]\n"),
                          f"{M}:6: materials：材料文件“../../x.pdf”{PATH_OUT}"),
    "material link outside": (link("x.pdf", "/etc/hostname"), f"content/t/x.pdf: {LINK_OUT}"),
    "notes link outside": (link("notes.txt", "/etc/hostname"), f"content/t/notes.txt: {LINK_OUT}"),
    "attendees link to /dev/zero": (link("attendees.csv", "/dev/zero"), f"{A}: {LINK_OUT}"),
    "meeting folder link outside": (outside_folder, "content/ext: 会议文件夹是指向 content/ 以外的链接：请把会议文件夹本身放进 content/"),
    "follows ../../": (set_meeting("follows: ../../\n"), f"{M}:6: {FOLLOW_PATH}（收到“../../”）"),
    "follows absolute": (set_meeting("follows: /etc\n"), f"{M}:6: {FOLLOW_PATH}（收到“/etc”）"),
    # hangs and runaway memory
    "YAML alias bomb": (set_meeting(alias_bomb()), f"{M}:6: 不能使用 YAML 别名（“&”“*”）：请把内容直接写出来；含 & 或 * 的文字请加英文引号"),
    "attendees as a FIFO": (fifo("attendees.csv"), f"{A}: {NOT_FILE}"),
    "attendees as a folder": (directory("attendees.csv"), f"{A}: {NOT_FILE}"),
    "attendees of 30 MB": (sparse("attendees.csv", 30 * 1024 * 1024), f"{A}: 文件过大（超过 20 MB），不像是会议材料：请检查是否放错了文件"),
    "600,000 rows": (put("attendees.csv", rows(600_000)), f"{A}:20002: 表格超过 20000 行，不像是一次会议的名单：请检查是否放错了文件"),
    "20,001 rows": (put("attendees.csv", rows(20_001)), f"{A}:20002: 表格超过 20000 行，不像是一次会议的名单：请检查是否放错了文件"),
    "xlsx zip bomb": (zip_bomb, "content/t/attendees.xlsx:1: Excel 文件解压后超过 200 MB，不像是会议名单：请另存一份再试"),
    "meeting.md of 6 MB": (sparse("meeting.md", 6 * 1024 * 1024), f"{M}: 文件过大（超过 5 MB），不像是会议材料：请检查是否放错了文件"),
    # tracebacks before
    "!!python/name tag": (set_meeting("notes: !!python/name:os.system x\n"), f"{M}:6: 不支持 YAML 标记“!!python/name:os.system”：请去掉它，直接写值"),
    "!!timestamp 2026-02-30": (set_meeting("signed_on: !!timestamp 2026-02-30\n"), f"{M}:6: 不支持 YAML 标记“!!timestamp”：请去掉它，直接写值"),
    "!!int abc": (set_meeting("copies: !!int abc\n"), f"{M}:6: 无法识别的值“abc”（ValueError）"),
    "!!set": (set_meeting("notes: !!set {a, b}\n"), f"{M}:6: 不支持 YAML 标记“!!set”：请去掉它，直接写值"),
    "nesting 5000 deep": (set_meeting("notes: " + "[" * 5000 + "]" * 5000 + "\n"), f"{M}:2: YAML 嵌套层数过多（超过 20 层）：请检查括号和缩进"),
    "nesting 30 deep": (set_meeting("notes: " + "[" * 30 + "x" + "]" * 30 + "\n"), f"{M}:6: YAML 内容过多或嵌套过深（超过 100000 项或 20 层）"),
    "meeting.md as a folder": (directory("meeting.md"), f"{M}: {NOT_FILE}"),
    "CSV cell over the csv limit": (put("attendees.csv", "姓名,单位\n张三," + "长" * 200_000 + "\n"), f"{A}:2: 无法按表格读取此行（field larger than field limit (131072)）：单元格内容过长或引号不配对"),
    "CSV cell of 3000 characters": (put("attendees.csv", "姓名,单位\n张三," + "长" * 3000 + "\n"), f"{A}:2: 单元格内容超过 2000 个字，不像是名单中的一项：请检查此行"),
    "name of 1000 characters": (put("attendees.csv", "姓名,单位\n" + "名" * 1000 + ",青川市财政局\n"), f"{A}:2: 姓名: 有 1000 个字，超过 30 个字，不像是一个人的姓名：请检查此行"),
    "stand-in of 40 characters": (put("attendees.csv", "姓名,单位,状态,请假原因,替会人员\n张三,青川市财政局,请假,出差," + "名" * 40 + "\n"), f"{A}:2: 替会人员姓名: 有 40 个字，超过 30 个字，不像是一个人的姓名"),
    "600 agenda items": (set_meeting("agenda: [" + ", ".join(["{item: 议题}"] * 600) + "]\n"), f"{M}:6: agenda（议程）：列表过长（600 项，最多 500 项）"),
    # bad input accepted silently before
    "title twice": (set_meeting("title: 第二个标题\n"), f"{M}:6: “title”写了两次（第 2 行已有）：请只保留一个"),
    "title of spaces": (set_meeting(title="   "), f"{M}:2: 缺少必填项 title（会议名称）"),
    "title of ideographic spaces": (set_meeting(title="　　"), f"{M}:2: 缺少必填项 title（会议名称）"),
    "unclosed quote in the list": (put("attendees.csv", '姓名,单位\n"张三,青川市财政局\n李四,青川市财政局\n'),
                                   f"{A}:2: 此行起有一格跨了多行（英文引号“\"”没有闭合，或格内换行），后面的行会被并进这一格：请补全或删去引号、去掉格内换行"),
    "Big5 list": (put("attendees.csv", "姓名,單位,職務\n張偉,臺北市政府辦公室,秘書長\n陳明華,臺中市政府,處長\n".encode("big5")), f"{A}:1: {ENCODING}"),
    "UTF-16 without BOM": (put("attendees.csv", "姓名,单位\n张三,青川市财政局\n".encode("utf-16-le")), f"{A}:1: {ENCODING}"),
    "red rule .inf": (set_meeting("red_rule_mm: .inf\n"), f"{M}:6: red_rule_mm（版头红色分隔线粗细（毫米））：应为正数，收到“inf”"),
    "red rule .nan": (set_meeting("red_rule_mm: .nan\n"), f"{M}:6: red_rule_mm（版头红色分隔线粗细（毫米））：应为正数，收到“nan”"),
    "red rule 50": (set_meeting("red_rule_mm: 50\n"), f"{M}:6: red_rule_mm（版头红色分隔线粗细（毫米））：不能超过 3，收到 50"),
}


def snapshot(out: Path) -> dict[str, str]:
    return {p.relative_to(out).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(out.rglob("*")) if p.is_file() and ".cache" not in p.parts}


def limited() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


def build(root: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "build.py"), "--project", str(root), "build"], cwd=root,
                          capture_output=True, text=True, timeout=SECONDS, preexec_fn=limited,
                          env={**os.environ, "HUIWU_TODAY": TODAY})


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    root = new_project(tmp_path_factory.mktemp("hostile"))
    write_meeting(root, "t", BARE, PEOPLE)
    result = build(root)
    assert result.returncode == 0, result.stderr
    return root


@pytest.mark.parametrize("case", CASES)
def test_hostile_input_is_refused_with_its_line(built, tmp_path, case):
    change, message = CASES[case]
    root = tmp_path / "proj"
    shutil.copytree(built, root, symlinks=True)
    before = snapshot(root / "output")
    change(root)
    result = build(root)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.split("\n")[0] == message
    assert snapshot(root / "output") == before
    assert not [p for p in (root / "output").rglob("*.tmp")]


def edit_notice(root: Path) -> None:
    (root / M).write_text(BARE.replace("正文。", "正文改了。"), encoding="utf-8")


def test_a_file_in_the_way_is_named_and_what_was_replaced_is_said(built, tmp_path):
    root = tmp_path / "proj"
    shutil.copytree(built, root, symlinks=True)
    before = snapshot(root / "output")
    (root / "output" / "t" / "badges.pdf").unlink()
    (root / "output" / "t" / "badges.pdf").mkdir()  # in the way of the new badges
    (root / A).write_text(PEOPLE + "王五,青川市财政局,副局长,出席,3\n", encoding="utf-8")  # 签到表, 分工… change too
    result = build(root)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    lines = result.stderr.strip().split("\n")
    assert lines[0] == "output/t/badges.pdf: 无法写入此文件：已有同名的文件夹。请腾出空间或检查 output/ 的权限后再运行"
    written = re.fullmatch(r"1 处错误，生成中止：本次已写出 (\d+) 个文件（已替换为新内容），其余文件仍是上次生成的内容。"
                           r"排除问题后再运行 make 即可补齐。", lines[-1])
    after = snapshot(root / "output")
    changed = sorted(k for k in after if after[k] != before.get(k))
    # the documents finished before the badges' turn (which ones: as their parts came back from the workers) are
    # written whole, and said; the others are last time's
    assert written and int(written[1]) == len(changed) >= 1, (written, changed)
    assert "t/notice.pdf" not in changed  # untouched: not rewritten, still last time's


def test_nothing_written_before_the_failure_says_so(built, tmp_path):
    root = tmp_path / "proj"
    shutil.copytree(built, root, symlinks=True)
    (root / "output" / "t" / "notice.pdf").unlink()
    (root / "output" / "t" / "notice.pdf").mkdir()
    edit_notice(root)
    result = build(root)
    assert result.returncode == 1
    assert result.stderr.strip().split("\n")[-1] == "1 处错误（1 个文件），未生成任何文件。"


def test_a_full_disk_names_the_file_and_leaves_no_partial_one(built, tmp_path):
    """The file-size limit stands in for a disk that fills up while the notice is written."""
    import signal

    root = tmp_path / "proj"
    shutil.copytree(built, root, symlinks=True)
    before = snapshot(root / "output")
    edit_notice(root)

    def small_disk() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (20_000, 20_000))

    result = subprocess.run([sys.executable, str(ROOT / "build.py"), "--project", str(root), "build"], cwd=root,
                            capture_output=True, text=True, timeout=SECONDS, preexec_fn=small_disk,
                            env={**os.environ, "HUIWU_TODAY": TODAY})
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    first = result.stderr.split("\n")[0]
    assert first.endswith(": 无法写入此文件：文件超过了系统允许的大小。请腾出空间或检查 output/ 的权限后再运行"), first
    assert snapshot(root / "output") == before  # the notice is larger than the limit: the old one stays whole
    assert not [p for p in root.rglob("*.tmp")]
