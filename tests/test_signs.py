"""引导牌: one landscape page per sign, the destination as large as fits, a vector arrow."""

from __future__ import annotations

import math

import pytest

from conftest import lines_of, mm, new_project, open_pdf, run, write_meeting

HEAD = """---
title: 测试会议
organizer: 青川市人民政府办公室
start: "2026-12-08 09:00"
venue: 青川市行政中心1号楼3楼第一会议室
"""
MARGIN = 10  # mm: nothing of a sign may come nearer the paper edge
ARROWS = "→←↑↓↖↗↘↙➔➜⇦⇨⬅➡⬆⬇"
# direction → (x, y) of the tip relative to the arrow's box (y down): -1 low edge, 0 middle, 1 high edge
POINTING = {"右": (1, 0), "左": (-1, 0), "上": (0, -1), "下": (0, 1),
            "右上": (1, -1), "左上": (-1, -1), "右下": (1, 1), "左下": (-1, 1)}
SIDE = {"左": "left", "左上": "left", "左下": "left", "右": "right", "右上": "right", "右下": "right",
        "上": "above", "下": "below"}


def arrow_points(page) -> list[tuple[float, float]] | None:
    """The vertices (x, top), in pt, of the page's one filled polygon; None without one."""
    shapes = [c for c in page.curves if c["fill"] and len(c["pts"]) >= 7]
    assert len(shapes) <= 1
    return list(dict.fromkeys((round(x, 2), round(y, 2)) for x, y in shapes[0]["pts"])) if shapes else None


def box(points) -> tuple[float, float, float, float]:
    xs, ys = [x for x, _ in points], [y for _, y in points]
    return min(xs), min(ys), max(xs), max(ys)


def tip(points) -> tuple[float, float]:
    """The arrow's tip: the vertex farthest from the average of the vertices (shaft and head are narrower)."""
    cx, cy = sum(x for x, _ in points) / len(points), sum(y for _, y in points) / len(points)
    return max(points, key=lambda p: math.dist(p, (cx, cy)))


def tip_position(points) -> tuple[int, int]:
    """Where the tip sits in the arrow's box, per axis: -1 low edge, 0 middle, 1 high edge."""
    x0, y0, x1, y1 = box(points)
    tx, ty = tip(points)

    def where(v: float, lo: float, hi: float) -> int:
        tol = (hi - lo) * 0.03
        return -1 if abs(v - lo) < tol else 1 if abs(v - hi) < tol else 0 if abs(v - (lo + hi) / 2) < tol else 9

    return where(tx, x0, x1), where(ty, y0, y1)


def destination(page) -> tuple[str, tuple[float, float, float, float], float]:
    """The largest text on the page: its text, size and box (x0, top, x1, bottom) in pt, where
    top and bottom are those of the ideographic em box (baseline − 0.88 em to baseline + 0.12 em)."""
    size = max(c["size"] for c in page.chars)
    chars = sorted((c for c in page.chars if c["size"] == size), key=lambda c: c["x0"])
    baselines = {round(page.height - c["matrix"][5], 1) for c in chars}
    assert len(baselines) == 1, "destination wraps"
    baseline = baselines.pop()
    bbox = (chars[0]["x0"], baseline - 0.88 * size, chars[-1]["x1"], baseline + 0.12 * size)
    return "".join(c["text"] for c in chars), bbox, size


def check_sign(page, text: str, arrow: str, paper: tuple[int, int], title: str) -> None:
    assert (round(mm(page.width)), round(mm(page.height))) == paper
    found, (x0, top, x1, bottom), size = destination(page)
    assert found == text
    assert mm(x0) >= MARGIN and mm(page.width - x1) >= MARGIN
    assert title in [line for _, line, _, _ in lines_of(page)]
    assert not set(page.extract_text()) & set(ARROWS)
    points = arrow_points(page)
    if arrow == "无":
        assert points is None
        assert abs((x0 + x1) / 2 - page.width / 2) < 2
        return
    assert points is not None
    ax0, atop, ax1, abottom = box(points)
    assert mm(ax0) >= MARGIN and mm(page.width - ax1) >= MARGIN and mm(page.height - abottom) >= MARGIN
    assert tip_position(points) == POINTING[arrow]
    side = SIDE[arrow]
    if side in ("left", "right"):
        assert (ax1 < x0) if side == "left" else (ax0 > x1)
        assert abs((atop + abottom) / 2 - (top + bottom) / 2) < 0.1 * size  # on the text's line
        assert abs((min(x0, ax0) + max(x1, ax1)) / 2 - page.width / 2) < 2  # the group is centred
    else:
        assert (abottom < top) if side == "above" else (atop > bottom)
        assert abs((ax0 + ax1) / 2 - (x0 + x1) / 2) < 2


def test_sample_signs(sample_build):
    expected = [("报到处", "右", (297, 210)), ("第一会议室", "左上", (420, 297)), ("电梯", "上", (297, 210))]
    with open_pdf(sample_build / "signs.pdf") as pdf:
        assert len(pdf.pages) == len(expected)
        for page, (text, arrow, paper) in zip(pdf.pages, expected, strict=True):
            check_sign(page, text, arrow, paper, "2026年全市经济工作会议")


def test_destination_fills_the_page(sample_build):
    """As large as fits: the text and arrow use most of the width, or the text is at its height cap."""
    with open_pdf(sample_build / "signs.pdf") as pdf:
        for page in pdf.pages:
            _, (x0, top, x1, bottom), size = destination(page)
            ax0, atop, ax1, abottom = box(arrow_points(page))
            wide = (max(x1, ax1) - min(x0, ax0)) / page.width
            tall = (max(bottom, abottom) - min(top, atop)) / page.height
            assert wide > 0.8 or tall > 0.6 or size > 0.5 * page.height


SIGNS = [("会场", "右", "A4"), ("报到处", "左", "A4"), ("电梯", "上", "A4"), ("楼梯", "下", "A4"),
         ("第一会议室", "左上", "A3"), ("第二会议室", "右上", "A4"), ("餐厅", "左下", "A4"), ("停车场", "右下", "A3"),
         ("签到处", "无", "A4"), ("第一讨论组（302会议室）", "右", "A4"), ("WC", "左", "A4"),
         ("Room 302 · Meeting Hall", "无", "A3")]


@pytest.fixture(scope="module")
def every_direction(tmp_path_factory):
    root = new_project(tmp_path_factory.mktemp("signs"), sample=False)
    items = "".join(f"  - {{text: \"{t}\", arrow: {a}, size: {s}}}\n" for t, a, s in SIGNS)
    write_meeting(root, "t", HEAD + "signs:\n" + items + "---\n\n正文。\n")
    result = run(root, "build", "--only", "signs")
    assert result.returncode == 0, result.stderr
    with open_pdf(root / "output" / "t" / "signs.pdf") as pdf:
        yield pdf


@pytest.mark.parametrize("index", range(len(SIGNS)), ids=[f"{a}-{t}" for t, a, _ in SIGNS])
def test_every_direction_and_length(every_direction, index):
    text, arrow, size = SIGNS[index]
    assert len(every_direction.pages) == len(SIGNS)
    paper = (297, 210) if size == "A4" else (420, 297)
    check_sign(every_direction.pages[index], text, arrow, paper, "测试会议")
