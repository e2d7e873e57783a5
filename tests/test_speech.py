"""领导讲话: speech-*.md printed in the office's format and filed with the meeting, read back from the PDF."""

from __future__ import annotations

import re

import pytest

from conftest import BARE, ROOT, SAMPLE, front_matter, lines_of, mm, new_project, open_pdf, run, write_meeting

BODY_PT = 16  # 3号
HEADING = re.compile(r"[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）")  # set in 黑体, 楷体
SOURCE = ROOT / "content" / SAMPLE / "speech-ouyang.md"


def paragraphs() -> list[str]:
    return [p.strip() for p in SOURCE.read_text(encoding="utf-8").split("---", 2)[2].split("\n\n") if p.strip()]


def test_sample_speech_title_date_speaker_and_body(sample_build):
    v = front_matter(SOURCE)
    with open_pdf(sample_build / "speech-ouyang.pdf") as pdf:
        first = pdf.pages[0]
        title = [c for c in first.chars if abs(c["size"] - 22) < 0.3]  # 2号
        assert "".join(c["text"] for c in title) == v["title"]
        assert "Serif" in title[0]["fontname"] and "Bold" in title[0]["fontname"]  # the 标题 font stand-in
        lines = [ln for ln in lines_of(first, BODY_PT) if ln[0] < 262]
        assert [ln[1] for ln in lines[:2]] == ["（2026年12月8日）", v["speaker"]]
        dated = [c for c in first.chars if abs(c["top"] - lines[0][0] / mm(1)) < 1 and c["size"] > 15]
        body = [c for c in first.chars if abs(c["top"] - lines[3][0] / mm(1)) < 1 and c["size"] > 15]
        assert dated[0]["fontname"] != body[0]["fontname"]  # 楷体, not the body's 仿宋
        for ln in lines[:2]:  # centred in the 版心 (28 mm .. 184 mm)
            assert (ln[2] + ln[3]) / 2 == pytest.approx(28 + 156 / 2, abs=1)
        assert lines[2][1] == "同志们：" and lines[2][2] == pytest.approx(28, abs=0.5)  # 顶格
        text = re.sub(r"\s", "", "".join(p.extract_text() for p in pdf.pages))
        for para in paragraphs():
            assert re.sub(r"\s", "", para) in text
        feet = [p.extract_text().splitlines()[-1] for p in pdf.pages]
        assert feet == [f"— {n} —" for n in range(1, len(pdf.pages) + 1)]  # page numbers as the notice's
        # below the title, page 1's 仿宋 lines sit on page 2's: the 22-line grid (楷体 and 黑体 glyphs sit
        # otherwise in their line boxes, so those lines' tops are not compared)
        plain = [ln for ln in lines_of(pdf.pages[1], BODY_PT) if ln[0] < 262 and not HEADING.match(ln[1])]
        top, pitch = plain[0][0], mm(28.95)
        assert all(abs(ln[0] - top - round((ln[0] - top) / pitch) * pitch) < 0.5 for ln in lines[2:]
                   if not HEADING.match(ln[1])), lines


def test_the_speech_is_filed_with_its_speaker_title_and_date(sample_build):
    v = front_matter(SOURCE)
    with open_pdf(sample_build / "archive" / "archive-index.pdf") as pdf:
        rows = [[(c or "").replace("\n", "") for c in r] for p in pdf.pages for t in p.extract_tables() for r in t]
    (row,) = [r for r in rows if r[-1] == "speech-ouyang.pdf"]
    assert row[1] == v["speaker"] and row[3] == v["title"] and row[4] == "20261208"


def test_a_speech_missing_its_speaker_names_the_file(tmp_path):
    root = new_project(tmp_path)
    folder = write_meeting(root, "t", BARE)
    (folder / "speech-1.md").write_text('---\ntitle: 讲话\ndate: "2026-12-08"\n---\n\n正文。\n', encoding="utf-8")
    result = run(root, "build")
    assert result.returncode == 1
    assert "content/t/speech-1.md:2: 缺少必填项 speaker（讲话人，如 周卫东）" in result.stderr, result.stderr
    assert not (root / "output" / "t").exists()


def test_each_speech_file_makes_its_own_pdf(tmp_path):
    root = new_project(tmp_path)
    folder = write_meeting(root, "t", BARE)
    for name, who in (("speech-2.md", "李堃"), ("speech-10.md", "周卫东")):
        (folder / name).write_text(f'---\ntitle: 讲话\nspeaker: {who}\ndate: "2026-12-08"\n---\n\n同志们：\n\n正文。\n',
                                   encoding="utf-8")
    result = run(root, "build", "--only", "speech")
    assert result.returncode == 0, result.stderr
    for name, who in (("speech-2.pdf", "李堃"), ("speech-10.pdf", "周卫东")):
        with open_pdf(root / "output" / "t" / name) as pdf:
            assert who in pdf.pages[0].extract_text()
