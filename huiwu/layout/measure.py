"""Measuring text before it is laid out: widths in 字 (one CJK character), title lines."""

from __future__ import annotations

import itertools
import unicodedata


def char_width(ch: str) -> float:
    """One character's width in em: CJK 1, ASCII letters and digits about half (wide capitals more)."""
    if not ch.isascii():
        return 1.0 if unicodedata.east_asian_width(ch) in ("W", "F", "A") else 0.7
    if ch in "MWmw%@&":
        return 0.9
    if ch.isupper():
        return 0.7
    if ch.isalnum():
        return 0.55
    return 0.3 if ch == " " else 0.45


def text_width(text: str) -> float:
    """Width in em of a name or label set large (桌签, 证件, 引导牌), character by character."""
    return sum(char_width(ch) for ch in text)


def width_in_chars(text: str) -> float:
    """Width in 字 of running text: ASCII digits and letters are half width."""
    return sum(0.5 if ch.isascii() else 1 for ch in text)


TITLE_CHARS = 20  # 2号 characters on one 156 mm line


def title_lines(title: str) -> list[str]:
    """Break a long title at word seams (rjieba) into lines of near-equal width,
    upper lines no shorter than lower ones: the 梯形 GB/T 9704 asks for."""
    if width_in_chars(title) <= TITLE_CHARS:
        return [title]
    import rjieba

    seams = list(itertools.accumulate(len(w) for w in rjieba.cut(title)))[:-1]
    best: tuple[float, int] | None = None
    for i in seams:
        upper, lower = width_in_chars(title[:i]), width_in_chars(title[i:])
        if upper > TITLE_CHARS:
            break
        penalty = abs(upper - lower) + (4 if lower > upper else 0) + (8 if lower > TITLE_CHARS else 0)
        if best is None or penalty < best[0]:
            best = (penalty, i)
    if best is None:
        return [title]
    return [title[: best[1]], *title_lines(title[best[1]:])]


def mark_size(mark: str) -> float:
    """A red 标志's size in mm (纪要, 简报): large, within the 156 mm 版心 (as the notice's 发文机关标志)."""
    return round(min(18.0, 150 / width_in_chars(mark)), 2)
