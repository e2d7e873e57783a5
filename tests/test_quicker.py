"""WeasyPrint's computed styles worked out the quick way for a property an element's stylesheets do not set
(quicker._styles_quicker): the same PDF as WeasyPrint's own way, for every kind of the sample meeting and for
styles that take WeasyPrint's own way (logical properties, var() and math functions, the special cases)."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import part_pdf
from huiwu.laid import FIRST_LINE

HEAD = '<!doctype html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n<title>样式</title>\n</head>\n'
OWN_WAY = {  # styles whose values WeasyPrint works out its own way: the same PDF either way
    "logical properties": '<body><p style="margin-inline-start: 20mm; padding-block-end: 3mm; '
                          'border-inline-end: 2pt solid red">甲乙丙</p><p dir="rtl" style="margin-inline-start: '
                          '10mm">丁戊</p></body>',
    "var() and calc()": '<body style="--gap: 7mm; font-size: calc(10pt + 4pt)"><div style="padding: var(--gap); '
                        'width: calc(50% - 2mm)"><span>己庚</span><b style="font-size: calc(120%)">辛</b></div>'
                        '<div style="text-indent: calc(10% + 5mm)"><p>寅卯辰巳午未申酉戌亥</p></div></body>',
    "inherit, initial and the special cases": '<body style="color: #335; text-decoration: underline">'
                                              '<div style="float: right; position: relative; top: 2mm">壬</div>'
                                              '<p style="display: inline-block; color: initial; page: any">癸'
                                              '<em style="border-color: inherit; border: 1pt solid">子</em></p>'
                                              '<table><tr><td style="vertical-align: bottom">丑</td></tr></table></body>',
}


def pdf(engine, part: str, quick: bool) -> bytes:
    """The part's PDF, its styles worked out the quick way (as every build does) or WeasyPrint's own way."""
    from weasyprint.css import ComputedStyle

    return part_pdf(engine, part, *([] if quick else [(ComputedStyle, "__missing__", ComputedStyle.__missing__.slow)]))


def test_every_kind_of_the_sample_meeting_comes_out_the_same(sample_build, engine):
    """One part of each kind of the sample meeting (and a numbered copy, and the forms' later pages): byte for byte
    the PDF of WeasyPrint's own way."""
    parts = sorted((sample_build.parent / ".cache" / "laid" / sample_build.name).rglob("*.html"))
    first: dict[str, Path] = {}
    for path in parts:
        first.setdefault(path.parent.name, path)
    assert len(first) >= 25
    for path in sorted(first.values()):
        part = path.read_text(encoding="utf-8").split(FIRST_LINE, 1)[1]
        assert pdf(engine, part, True) == pdf(engine, part, False), path


@pytest.mark.parametrize("name", sorted(OWN_WAY))
def test_styles_worked_out_weasyprints_own_way_come_out_the_same(engine, monkeypatch, name):
    """Each style here takes WeasyPrint's own way for some of its values (which asks check_math of each value it
    works out; the quick way asks its own copy): the same PDF as WeasyPrint's own way throughout."""
    import weasyprint.css

    check, asked = weasyprint.css.check_math, []
    monkeypatch.setattr(weasyprint.css, "check_math", lambda value: asked.append(value) or check(value))
    made = engine._document(HEAD + OWN_WAY[name], str(Path.cwd()), []).write_pdf()
    monkeypatch.undo()
    quick_way = len(asked)
    assert made == pdf(engine, HEAD + OWN_WAY[name], False)
    monkeypatch.setattr(weasyprint.css, "check_math", lambda value: asked.append(value) or check(value))
    pdf(engine, HEAD + OWN_WAY[name], False)
    assert 0 < quick_way < (len(asked) - quick_way) / 3  # some values WeasyPrint's way, most the quick way


def test_a_property_set_by_its_logical_property_is_weasyprints_own(engine):
    """margin-inline-start sets margin-left (left to right) and margin-right (right to left): the quick way, which
    knows nothing of it, is not taken for them."""
    doc = engine._document(HEAD + OWN_WAY["logical properties"], str(Path.cwd()), [])
    body = doc.pages[0]._page_box.children[0].children[0]
    ltr, rtl = body.children[0], body.children[1]
    mm = 96 / 25.4
    assert ltr.margin_left == pytest.approx(20 * mm) and ltr.margin_right == 0
    assert rtl.margin_right == pytest.approx(10 * mm) and rtl.margin_left == 0
    assert ltr.border_right_width == pytest.approx(2 * 96 / 72) and ltr.padding_bottom == pytest.approx(3 * mm)
