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


def test_the_kai_stand_in_is_chosen_by_measuring_it_against_the_body_font():
    """AR PL UKai draws its characters small and high: beside 仿宋 a 楷体 heading looked a size smaller.
    Whatever order the stand-ins are listed in, the one nearest the 正文 in drawn size comes first."""
    import dataclasses

    from huiwu import fonts

    resolved = {r.role.key: r for r in fonts.resolve(Path("/nonexistent"))}
    kai, body = resolved["kai"], resolved["body"].primary
    assert kai.primary.family == "LXGW WenKai"
    size = {f.family: fonts.ink(f)[0] for f in kai.chain}
    assert abs(size["LXGW WenKai"] - fonts.ink(body)[0]) < abs(size["AR PL UKai CN"] - fonts.ink(body)[0])
    listed_the_other_way = dataclasses.replace(kai.role, fallbacks=tuple(reversed(kai.role.fallbacks)))
    again = fonts._by_measure(fonts.Resolved(listed_the_other_way, tuple(reversed(kai.chain[:2]))), body)
    assert [f.family for f in again.chain] == ["LXGW WenKai", "AR PL UKai CN"]


def test_fonts_are_measured_by_harfbuzz_as_fonttools_reads_them_whole():
    """The characters a font draws (HarfBuzz's cmap) and its ink (measured on a cut of five characters) are what
    fontTools reads from the whole font, for every font of every role."""
    from fontTools.pens.boundsPen import BoundsPen

    from huiwu import fonts, harfbuzz

    faces = {f for r in fonts.resolve(Path("/nonexistent")) for f in r.chain}
    assert len(faces) >= 4
    for face in faces:
        whole = fonts._open(face)
        cmap = whole.getBestCmap()
        assert set(harfbuzz.unicodes(face.file, face.index)) == set(cmap), face
        glyphs, upm, boxes = whole.getGlyphSet(), whole["head"].unitsPerEm, []
        for ch in fonts.INK_SAMPLE:
            pen = BoundsPen(glyphs)
            glyphs[cmap[ord(ch)]].draw(pen)
            boxes.append(pen.bounds)
        height = sum(b[3] - b[1] for b in boxes) / len(boxes) / upm
        centre = sum(b[3] + b[1] for b in boxes) / 2 / len(boxes) / upm
        assert fonts.ink(face) == (height, centre), face


def test_a_build_on_stand_in_fonts_says_so_once(tmp_path):
    from conftest import BARE, write_meeting

    root = new_project(tmp_path)
    write_meeting(root, "a", BARE)
    write_meeting(root, "b", BARE)
    result = run(root, "build", "--only", "notice")
    assert result.returncode == 0, result.stderr
    notes = [line for line in result.stdout.splitlines() if "替代字体" in line]
    assert len(notes) == 1
    assert "楷体" in notes[0] and "fonts/" in notes[0]


def test_no_stand_in_note_when_the_office_fonts_serve_every_role(tmp_path):
    from conftest import BARE, write_meeting

    root = new_project(tmp_path)
    (root / "fonts").mkdir()
    serif = next(f for f in Path("/usr/share/fonts/opentype/noto").glob("NotoSerifCJK-Regular.tt*"))
    for name in ("方正小标宋简体", "仿宋_GB2312", "黑体", "楷体_GB2312", "宋体"):  # stand in for licensed files
        shutil.copy(serif, root / "fonts" / f"{name}{serif.suffix}")
    write_meeting(root, "a", BARE)
    result = run(root, "build", "--only", "notice")
    assert result.returncode == 0, result.stderr
    assert "替代字体" not in result.stdout
