"""A document kind added through the registry alone gets everything the build does for a kind: it is laid
out from its declared source, that source is checked for glyphs no font prints, a meeting without it is
told why it got none, and the intranet site lists the file and makes its page."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from conftest import BARE, ROOT, TODAY, new_project, open_pdf, write_meeting

DRIVER = """
import sys
sys.path.insert(0, {root!r})
from huiwu import kinds
from huiwu.layout.forms import Col, form, table

def context(m, fail):
    rows = [[n, line] for n, line in enumerate(m.texts["extra.md"].splitlines(), start=1) if line]
    return [form(f"{{m.title}}测试清单", "", [table([Col("序号", 20), Col("内容", 150, "left")], rows)], lead=[])]

def skip(m):
    return None if "extra.md" in m.texts else "没有 extra.md（测试清单）"

kinds.KINDS += (kinds.Kind("extra", "测试清单", "extra.pdf", "form.html.j2", context, skip, reads=("extra.md",),
                           page=("extra.html", "测试清单"), site=kinds.ATTENDEES),)
import build
build.cli(["--project", sys.argv[1], "build"])
"""


def build_with_extra_kind(root):
    return subprocess.run([sys.executable, "-c", DRIVER.format(root=str(ROOT)), str(root)], cwd=root,
                          capture_output=True, text=True, env={**os.environ, "HUIWU_TODAY": TODAY})


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = new_project(tmp_path_factory.mktemp("extra"), sample=False)
    write_meeting(root, "t", BARE)
    (root / "content" / "t" / "extra.md").write_text("第一项：检查话筒\n第二项：摆放桌签\n", encoding="utf-8")
    write_meeting(root, "u", BARE.replace("测试会议", "另一会议"))
    result = build_with_extra_kind(root)
    assert result.returncode == 0, result.stderr
    return root, result.stdout


def test_the_new_kind_is_laid_out_from_its_declared_source(built):
    root, stdout = built
    with open_pdf(root / "output" / "t" / "extra.pdf") as pdf:
        text = "".join(p.extract_text() for p in pdf.pages)
    assert "测试会议测试清单" in text and "第一项：检查话筒" in text and "第二项：摆放桌签" in text
    assert "测试清单" in stdout and "extra.pdf" in stdout


def test_a_meeting_without_the_source_is_told_why(built):
    root, stdout = built
    assert "未生成 u/extra.pdf：没有 extra.md（测试清单）" in stdout
    assert not (root / "output" / "u" / "extra.pdf").exists()


def test_the_site_lists_the_file_and_makes_its_page(built):
    root, _ = built
    page = (root / "output" / "site" / "t" / "index.html").read_text(encoding="utf-8")
    assert 'href="files/extra.pdf"' in page and "测试清单" in page
    assert (root / "output" / "site" / "t" / "files" / "extra.pdf").is_file()
    assert "第二项：摆放桌签" in (root / "output" / "site" / "t" / "extra.html").read_text(encoding="utf-8")


def test_its_source_is_checked_for_glyphs_no_font_prints(tmp_path):
    root = new_project(tmp_path, sample=False)
    write_meeting(root, "t", BARE)
    (root / "content" / "t" / "extra.md").write_text("第一项\n第二项\U0002EBF0\n", encoding="utf-8")
    result = build_with_extra_kind(root)
    assert result.returncode == 1
    assert result.stderr.split("\n")[0] == (
        "content/t/extra.md:2: 字符“\U0002EBF0”（U+2EBF0）没有任何已配置的字体能显示，打印会成空白方框："
        "请改字或在 fonts/ 中放入含此字的字体")
    assert not (root / "output" / "t").exists()  # nothing written
