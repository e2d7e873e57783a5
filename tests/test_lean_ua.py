"""Parts laid out with a lean copy of WeasyPrint's user agent stylesheet (render._lean_ua): the same PDF."""

from __future__ import annotations

import re

from conftest import part_pdf
from huiwu import render
from huiwu.laid import FIRST_LINE

AUTO = render._MARKED
HEAD = '<!doctype html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n<title>纪要</title>\n</head>\n'


def pdf(engine, part: str, ua: str) -> bytes:
    """The part's PDF with the user agent stylesheet `ua` would be given: as a build chooses it ("auto"), WeasyPrint's
    own ("full") or the lean one, whatever the part says ("lean")."""
    return part_pdf(engine, part,
                    (render, "_MARKED", {"auto": AUTO, "full": re.compile(""), "lean": re.compile("(?!)")}[ua]))


def test_every_kind_of_the_sample_meeting_comes_out_the_same_with_the_lean_stylesheet(sample_build, engine):
    """WeasyPrint's own stylesheet gives every element a ::marker and five footnote and note pseudo-elements, each
    styled whether it is drawn or not (a tenth of a part's time). One part of each kind of the sample meeting, and
    every part with a list, comes out byte for byte as with WeasyPrint's own."""
    parts = sorted((sample_build.parent / ".cache" / "laid" / sample_build.name).rglob("*.html"))
    texts = {path: path.read_text(encoding="utf-8").split(FIRST_LINE, 1)[1] for path in parts}
    first = {}
    for path in parts:
        first.setdefault(path.parent.name, path)
    chosen = sorted(set(first.values()) | {path for path, text in texts.items() if "<li" in text})
    assert len(first) >= 25 and any("<li" in texts[path] for path in chosen)
    for path in chosen:
        assert not AUTO.search(texts[path]), path  # the lean stylesheet is the one a build takes
        assert pdf(engine, texts[path], "auto") == pdf(engine, texts[path], "full"), path


LISTS = HEAD + ("<body><ol><li>甲</li><li>乙<ul><li>丙</li><li style='color: red'>丁</li></ul></li></ol>"
                "<ul style='list-style: square inside'><li>戊</li></ul><p>己</p></body></html>")
MARKED = {
    "a list item that is not an <li>": HEAD + '<body><div style="display: list-item; list-style: lower-alpha inside; text-transform: uppercase">甲</div></body>',
    "a footnote": HEAD + '<body><p>正文<span style="float: footnote">注释</span></p></body>',
}


def test_lists_come_out_the_same_and_a_part_that_needs_the_full_stylesheet_gets_it(engine):
    assert pdf(engine, LISTS, "auto") == pdf(engine, LISTS, "full")
    for name, part in MARKED.items():
        full = pdf(engine, part, "full")
        assert pdf(engine, part, "auto") == full, name
        try:  # what the lean one would have made of it: another marker, no footnote call
            lean = pdf(engine, part, "lean")
        except TypeError:
            lean = None
        assert lean != full, name
