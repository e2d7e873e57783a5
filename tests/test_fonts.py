"""Font roles: user fonts in fonts/ win over system fallbacks; `fonts` says which file serves each role."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import new_project, open_pdf, run

UKAI = Path("/usr/share/fonts/truetype/arphic/ukai.ttc")


def test_system_fallbacks_are_reported_as_such(tmp_path):
    root = new_project(tmp_path, sample=False)
    out = run(root, "fonts").stdout
    assert "正文（仿宋）：Noto Serif CJK SC" in out
    assert "（替代字体：未找到方正/国标字体）" in out


def test_a_font_dropped_into_fonts_folder_serves_its_role(tmp_path):
    root = new_project(tmp_path, sample=True)
    (root / "fonts").mkdir()
    shutil.copy(UKAI, root / "fonts" / "KaiTi.ttc")  # stands in for an office's licensed 楷体
    out = run(root, "fonts").stdout
    kai = next(line for line in out.splitlines() if line.startswith("楷体："))
    assert str(root / "fonts" / "KaiTi.ttc") in kai and "替代字体" not in kai
    result = run(root, "build", "--only", "notice")
    assert result.returncode == 0, result.stderr
    with open_pdf(root / "output" / "2026-12-jingji" / "notice.pdf") as pdf:
        chars = [c for p in pdf.pages for c in p.chars]
    text = "".join(c["text"] for c in chars)
    heading = chars[text.index("（三）会议纪律")]  # a 楷体 heading
    assert heading["fontname"].split("+")[-1].startswith("huiwu-")  # the @font-face made from fonts/KaiTi.ttc


def test_long_titles_break_at_word_seams_upper_line_longer():
    from huiwu.layout.measure import title_lines, width_in_chars

    assert title_lines("关于召开2026年全市经济工作会议的通知") == ["关于召开2026年全市经济工作会议的通知"]
    lines = title_lines("关于召开青川市第十七届人民代表大会第三次会议筹备工作协调会暨全市人大系统年度工作总结会议的通知")
    assert "".join(lines) == "关于召开青川市第十七届人民代表大会第三次会议筹备工作协调会暨全市人大系统年度工作总结会议的通知"
    assert all(width_in_chars(x) <= 20 for x in lines)
    assert all(width_in_chars(a) >= width_in_chars(b) for a, b in zip(lines, lines[1:], strict=False))
    assert not any(line.endswith("人民代表") for line in lines)  # a word is never cut


def test_a_damaged_font_file_is_named(tmp_path):
    root = new_project(tmp_path, sample=True)
    (root / "fonts").mkdir()
    (root / "fonts" / "仿宋_GB2312.ttf").write_bytes(b"not a font")
    for command in ("build", "fonts"):
        result = run(root, command)
        assert result.returncode == 1
        assert result.stderr.split("\n")[0] == (
            "fonts/仿宋_GB2312.ttf: 无法读取字体文件（TTLibError）：请换一个完好的 TTF/OTF/TTC 文件，或把它移出 fonts/")
