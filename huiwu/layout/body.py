"""Official-document body text: paragraphs, placeholders and heading levels.

Staff write the body as plain paragraphs separated by blank lines, numbering
sections themselves (一、 （一） 1. （1）). Facts that live in the front matter
are written once there and placed in the body with placeholders such as
`{会议时间}`, so a date is never typed twice.
"""

from __future__ import annotations

import difflib
import html
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from markupsafe import Markup

from ..problems import Fail
from ..records.written import Written

_PLACEHOLDER = re.compile(r"\{([^{}\s]{1,12})\}")
_HEADING = [
    (1, re.compile(r"^[一二三四五六七八九十]+、")),
    (2, re.compile(r"^（[一二三四五六七八九十]+）")),
    (3, re.compile(r"^\d+[.．]")),
    (4, re.compile(r"^（\d+）")),
]
_BOLD = re.compile(r"\*\*(.+?)\*\*")


@dataclass(frozen=True)
class Block:
    """One paragraph: its heading level (0 = plain), the heading lead, the rest."""

    level: int
    lead: str
    rest: str
    line: int

    @property
    def html(self) -> Markup:
        lead = f'<span class="h{self.level}">{_inline(self.lead)}</span>' if self.lead else ""
        return Markup(lead + _inline(self.rest))

    @property
    def css(self) -> str:
        """`para`, and `heading` for a heading standing on its own line: kept with the text after it."""
        return "para heading" if self.lead and not self.rest else "para"


# A date with its weekday is one unit on paper: `2027年1月12日（星期二）` never breaks across lines.
_DATED = re.compile(r"(?:\d{4}年)?\d{1,2}月\d{1,2}日（星期[一二三四五六日天]）")


def _inline(text: str) -> str:
    return _nobr(_BOLD.sub(r"<strong>\1</strong>", html.escape(text, quote=False)))


def _nobr(escaped: str) -> str:
    return _DATED.sub(r'<span class="nobr">\g<0></span>', escaped)


def keep_dates(text: str) -> Markup:
    """Plain text as HTML whose dates with a weekday never break across lines."""
    return Markup(_nobr(html.escape(text, quote=False)))


@dataclass(frozen=True)
class Placeholder:
    value: Callable[[], str | list[str] | None]
    block: bool = False  # expands to whole paragraphs, must stand alone
    needs: str = ""  # the front-matter key it comes from, for messages


def paragraphs(text: str, first_line: int) -> list[tuple[int, str]]:
    """Split on blank lines; join wrapped lines without a space (Chinese has none)."""
    out: list[tuple[int, str]] = []
    start = 0  # line of the paragraph being collected in buf
    buf: list[str] = []
    for offset, raw in enumerate([*text.split("\n"), ""]):
        line = raw.strip().strip("\u3000")
        if line:
            start = start if buf else first_line + offset
            if buf and buf[-1][-1:].isascii() and line[:1].isascii() and buf[-1][-1:].isalnum():
                line = " " + line
            buf.append(line)
        elif buf:
            out.append((start, "".join(buf)))
            buf = []
    return out


def blocks(text: str, first_line: int, values: dict[str, Placeholder], fail: Fail) -> list[Block]:
    """Body blocks with placeholders filled; unknown or empty placeholders call `fail`."""
    out: list[Block] = []
    for line, para in paragraphs(text, first_line):
        whole = _PLACEHOLDER.fullmatch(para)
        if whole and whole[1] in values and values[whole[1]].block:
            items = _value(values, whole[1], line, fail) or []
            out.extend(Block(0, "", item, line) for item in items)  # generated items are never headings
            continue
        out.append(classify(tidy(_fill(para, line, values, fail)), line))
    return out


def _fill(para: str, line: int, values: dict[str, Placeholder], fail: Fail) -> str:
    def sub(m: re.Match) -> str:
        name = m[1]
        if name not in values:
            close = difflib.get_close_matches(name, list(values), n=1, cutoff=0.4)
            hint = f"，是不是“{{{close[0]}}}”？" if close else f"。可用：{'、'.join('{' + k + '}' for k in values)}"
            fail(line, f"正文：未知的占位符“{m[0]}”{hint}")
            return m[0]
        if values[name].block:
            fail(line, f"正文：占位符“{m[0]}”会展开成多段，须单独成段")
            return m[0]
        value = _value(values, name, line, fail)
        return value if isinstance(value, str) else m[0]

    return _PLACEHOLDER.sub(sub, para)


def _value(values: dict[str, Placeholder], name: str, line: int, fail: Fail):
    value = values[name].value()
    if not value:
        fail(line, f"正文使用了“{{{name}}}”，但信息块中没有填写 {values[name].needs}")
    return value


_NUMBER_SPACE = re.compile(r"^(\d+[.．]|（\d+）|[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）)\s+")
_CJK_SPACE = re.compile(r"(?<=[^\x00-\x7f])[ \t]+(?=[^\x00-\x7f])")


def tidy(text: str) -> str:
    """Drop the spaces Markdown habits leave: after `1.` and between Chinese characters
    (justified text would stretch them into visible gaps)."""
    return _CJK_SPACE.sub("", _NUMBER_SPACE.sub(r"\1", text))


def classify(text: str, line: int) -> Block:
    for level, pattern in _HEADING:
        if pattern.match(text):
            lead = _heading_lead(text) if level <= 2 else ""
            return Block(level if lead else 0, lead, text[len(lead):], line)
    return Block(0, "", text, line)


HEADING_MAX = 28  # a heading fits on one line of the 28-character grid


def _heading_lead(text: str) -> str:
    """The part set in the heading font: a standalone heading (one short line
    without a full stop), or a run-in heading's first sentence when it is short.
    Enumerated items that are whole sentences stay in the body font."""
    if len(text) <= HEADING_MAX and not re.search(r"[。，；]", text):
        return text
    m = re.search(r"。", text)
    if m and m.end() < len(text) and m.end() <= HEADING_MAX and "，" not in text[: m.end()]:
        return text[: m.end()]
    return ""


def written_blocks(w: Written, values: dict[str, Placeholder], fail: Fail) -> list[Block]:
    """The body of a front-matter Markdown file other than meeting.md (minutes.md, a briefing), as blocks;
    problems in it are reported at that file's lines."""
    assert w.source is not None

    def fail_here(line: int, message: str, path: Path | None = None) -> None:
        fail(line, message, path or w.path)

    return blocks(w.source.body, w.source.body_line, values, fail_here)
