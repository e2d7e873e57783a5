"""Tables of collapsed borders drawn with their lines merged (quicker._borders_merged): the same ink, fewer strokes."""

from __future__ import annotations

import io
import re
import subprocess
from pathlib import Path

import pytest
from PIL import Image, ImageChops
from pypdf import PdfReader

from conftest import part_pdf
from huiwu.laid import FIRST_LINE

HEAD = '<!doctype html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n<title>表</title>\n</head>\n'
CELLS = "".join(f"<tr><td>{n}</td><td>张{n}</td><td>{'甲乙丙'[n % 3]}</td></tr>" for n in range(12))
PLAIN = HEAD + ('<body><table style="border-collapse: collapse; width: 100%"><tr><th>序号</th><th>姓名</th>'
                f'<th>备注</th></tr>{CELLS}</table></body>')
RULED = PLAIN.replace("<table", "<style>td, th { border: 0.75pt solid black }</style><table")
OTHER = {  # not one solid opaque line all through: drawn as WeasyPrint draws them
    "a red cell": RULED.replace("<td>张3</td>", '<td style="border: 2pt solid red">张3</td>'),
    "dashed": RULED.replace("0.75pt solid black", "1pt dashed black"),
    "half see-through": RULED.replace("0.75pt solid black", "0.75pt solid rgba(0, 0, 0, 0.5)"),
}


def pdf(engine, part: str, merged: bool) -> bytes:
    """The part's PDF, its table's lines merged (as every build draws them) or drawn one by one (WeasyPrint's)."""
    from weasyprint import draw

    return part_pdf(engine, part,
                    *([] if merged else [(draw, "draw_collapsed_borders", draw.draw_collapsed_borders.each)]))


def strokes(data: bytes) -> int:
    return sum(len(re.findall(rb"(?m)^S$", page.get_contents().get_data())) for page in PdfReader(io.BytesIO(data)).pages)


def pixels(data: bytes, tmp_path: Path, name: str) -> list[Image.Image]:
    (tmp_path / f"{name}.pdf").write_bytes(data)
    subprocess.run(["pdftoppm", "-r", "150", "-png", str(tmp_path / f"{name}.pdf"), str(tmp_path / name)], check=True)
    return [Image.open(p).convert("RGB") for p in sorted(tmp_path.glob(f"{name}-*.png"))]


def same_ink(a: bytes, b: bytes, tmp_path: Path) -> bool:
    first, second = pixels(a, tmp_path, "a"), pixels(b, tmp_path, "b")
    return len(first) == len(second) and all(ImageChops.difference(x, y).getbbox() is None
                                             for x, y in zip(first, second, strict=True))


def test_a_ruled_table_is_stroked_in_one_path_with_the_same_ink(engine, tmp_path):
    merged, each = pdf(engine, RULED, True), pdf(engine, RULED, False)
    assert strokes(each) > 40 and strokes(merged) == 1
    assert same_ink(merged, each, tmp_path)


@pytest.mark.parametrize("name", sorted(OTHER))
def test_other_tables_are_drawn_as_weasyprint_draws_them(engine, name):
    assert pdf(engine, OTHER[name], True) == pdf(engine, OTHER[name], False)


def test_the_sample_forms_keep_their_ink(sample_build, engine, tmp_path):
    """A page of each form of the sample meeting (the 签到表, the 到会统计): the same pixels as line by line."""
    laid = sample_build.parent / ".cache" / "laid" / sample_build.name
    for kind in ("signin", "attendance"):
        part = sorted((laid / kind).glob("*.html"))[0].read_text(encoding="utf-8").split(FIRST_LINE, 1)[1]
        merged, each = pdf(engine, part, True), pdf(engine, part, False)
        assert strokes(merged) < strokes(each) / 10, kind
        (tmp_path / kind).mkdir()
        assert same_ink(merged, each, tmp_path / kind), kind
