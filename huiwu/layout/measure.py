"""Measuring text before it is laid out: widths in 字 (one CJK character), title lines."""

from __future__ import annotations

import functools
import itertools
import re
import unicodedata

from ..memo import Memo


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


class _Widths(dict):
    """Each character's width (char_width), found once a process."""

    def __missing__(self, ch: str) -> float:
        self[ch] = width = char_width(ch)
        return width


_WIDTHS = _Widths()


@functools.lru_cache(maxsize=65536)  # units, titles and names recur in every table of a meeting
def text_width(text: str) -> float:
    """Width in em of a name or label set large (桌签, 证件, 引导牌), character by character (added in order, as
    they stand: the same sum to the last bit)."""
    return sum(map(_WIDTHS.__getitem__, text))


def width_in_chars(text: str) -> float:
    """Width in 字 of running text: ASCII digits and letters are half width."""
    ascii_ = len(text.encode("ascii", "ignore"))
    return len(text) - 0.5 * ascii_ if ascii_ else len(text)


TITLE_CHARS = 20  # 2号 characters on one 156 mm line


def title_lines(title: str) -> list[str]:
    """Break a long title at word seams (rjieba) into lines of near-equal width,
    upper lines no shorter than lower ones: the 梯形 GB/T 9704 asks for."""
    if width_in_chars(title) <= TITLE_CHARS:
        return [title]
    seams = list(itertools.accumulate(len(w) for w in cut(title)))[:-1]
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


UNIT_CHARS = 8  # a cell text this short (in 字) is one unit: a unit name, a title, a date
# Runs that are one unit inside longer text: dates, times and time spans, numbers, codes
_RUN = re.compile(r"(?:\d{4}年)?\d{1,2}月\d{1,2}日(?:（星期.）)?(?:前)?|\d{4}年\d{1,2}月"
                  r"|\d{1,2}:\d{2}(?:[—–-]\d{1,2}:\d{2})?|[0-9A-Za-z·.%-]+")
_OPENING = "（《“‘〔【"
_CLOSING = "）》”’〕】、，。；：！？"


@functools.lru_cache(maxsize=65536)  # the same units and titles in every form of a meeting
def words(text: str) -> tuple[str, ...]:
    """Where a table cell's text may break: between words (rjieba), never inside a date, a time span, a
    number or a short unit name, never before closing or after opening punctuation."""
    out: list[str] = []
    for clause in _CLAUSE.findall(text):  # names in a list, phrases between commas
        out += [clause] if width_in_chars(clause) <= UNIT_CHARS else _split(clause)
    return tuple(out)


_CLAUSE = re.compile(r"[^、，；]+[、，；]*|[、，；]+")


# Units and titles of the office's own lists, so that a unit name and a title part where they meet
OFFICE_WORDS = ("发展改革委", "发展改革局", "住房城乡建设局", "自然资源和规划局", "人力资源社会保障局", "农业农村局",
                "市场监管局", "管委会", "常委会", "办公厅", "办公室", "人民政府", "局长", "副局长", "主任", "副主任",
                "常务副主任", "主任科员", "书记", "副书记", "市长", "副市长", "常务副市长", "区长", "副区长", "县长",
                "副县长", "秘书长", "副秘书长", "董事长", "总经理", "副总经理", "处长", "副处长", "科长", "副科长",
                "行长", "副行长", "院长", "副院长", "队长", "副队长", "主席", "副主席")


@functools.cache
def _segmenter():
    """rjieba with the office's words (its dictionary is global: every cut in a build sees the same words)."""
    import rjieba

    for word in OFFICE_WORDS:
        rjieba.add_word(word, 100000, None)
    return rjieba


def _cut(text: str) -> list[str]:
    return list(_segmenter().cut(text))


# rjieba's words of a text, remembered between builds (`cut.remembered`): loading rjieba alone takes 0.15 s
cut = Memo(_cut, list)


def _split(text: str) -> list[str]:
    pieces: list[str] = []
    pos = 0
    for run in _RUN.finditer(text):
        pieces += cut(text[pos:run.start()])
        pieces.append(run[0])
        pos = run.end()
    pieces += cut(text[pos:])
    return _glue([p for p in pieces if p])


def _glue(pieces: list[str]) -> list[str]:
    out: list[str] = []
    lead = ""  # opening punctuation, numbers and a leading single character wait for the next word
    for piece in pieces:
        if piece in _OPENING or piece.isascii() and piece.isdigit() or len(piece) == 1 and not out:
            lead += piece
        elif out and not lead and (piece[0] in _CLOSING or len(piece) == 1):
            out[-1] += piece
        else:
            out.append(lead + piece)
            lead = ""
    if lead:
        out.append(lead)
    return out
