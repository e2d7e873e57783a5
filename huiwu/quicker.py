"""WeasyPrint made quicker where it does work whose result is thrown away or made again, for the same PDF: each
change here is checked against WeasyPrint's own (tests/test_quicker.py, test_borders.py, test_htmltree.py). They are
made once a process, when its WeasyPrint is set up (render.Engine); WeasyPrint's version is pinned
(requirements.txt) and each change names what of it it takes the place of."""

from __future__ import annotations

import contextlib
import io
import re
import zlib
from collections.abc import Callable, Iterator
from typing import Any

from . import htmltree


def apply(ffi: Any) -> None:
    """Every change below, made once (`ffi`: WeasyPrint's cffi, for its text libraries)."""
    _arrays_by_items(ffi)
    _deflate_quicker()
    _cut_once()
    _parse_quicker()
    _borders_merged()
    _styles_quicker()


SIZED = re.compile(r"(\w+)\[(\d+)\]")


def _arrays_by_items(ffi: Any) -> None:
    """WeasyPrint makes the arrays of glyphs it cuts a font to as `hb_codepoint_t[<n>]`: a C type for each length,
    which cffi parses anew (3 ms), some for every PDF. Made as `hb_codepoint_t[]` from the same items, the array is
    the same, and its type is parsed once a process."""
    if getattr(ffi.new, "by_items", False):
        return
    new = ffi.new

    def by_items(cdecl: Any, init: Any = None) -> Any:
        sized = SIZED.fullmatch(cdecl) if isinstance(cdecl, str) else None
        if sized and isinstance(init, list | tuple) and len(init) == int(sized[2]):
            return new(f"{sized[1]}[]", init)
        return new(cdecl, init)

    by_items.by_items = True  # type: ignore[attr-defined]
    ffi.new = by_items


DROPPED = (b"BASE", b"DSIG", b"EBDT", b"EBLC", b"EBSC", b"GPOS", b"GSUB", b"JSTF", b"LTSH", b"PCLT", b"SVG ")


def _cut_once() -> None:
    """WeasyPrint cuts each font a PDF embeds twice with HarfBuzz: keeping the whole font's glyph numbers (the page
    names glyphs by them), then again to drop the glyphs after the last one used, and the hints. The first cut
    already ends at the last glyph used — HarfBuzz keeps no glyph after it — and can drop the hints itself: one cut,
    with the flags and dropped tables of both, gives the same glyphs in about half the time (a part with two
    fonts of the 8,000-glyph working copies: 9 of its 27 ms went to cutting them). Where it fails, WeasyPrint's own."""
    from weasyprint.pdf import fonts

    if getattr(fonts.Font._harfbuzz_subset, "once", False):
        return
    twice = fonts.Font._harfbuzz_subset

    def once(font: Any, to_unicode: Any, hinting: bool) -> None:
        ffi, harfbuzz, cut = fonts.ffi, fonts.harfbuzz, fonts.harfbuzz_subset
        asked = ffi.gc(cut.hb_subset_input_create_or_fail(), cut.hb_subset_input_destroy)
        for which, items in ((cut.hb_subset_input_glyph_set(asked), sorted(to_unicode)),
                             (cut.hb_subset_input_set(asked, cut.HB_SUBSET_SETS_DROP_TABLE_TAG),
                              [harfbuzz.hb_tag_from_string(tag, -1) for tag in DROPPED])):
            harfbuzz.hb_set_add_sorted_array(which, ffi.new("hb_codepoint_t[]", items), len(items))
        flags = (cut.HB_SUBSET_FLAGS_RETAIN_GIDS | cut.HB_SUBSET_FLAGS_PASSTHROUGH_UNRECOGNIZED
                 | cut.HB_SUBSET_FLAGS_DESUBROUTINIZE | (0 if hinting else cut.HB_SUBSET_FLAGS_NO_HINTING)
                 | (cut.HB_SUBSET_FLAGS_NOTDEF_OUTLINE if font.missing else 0))
        cut.hb_subset_input_set_flags(asked, flags)
        face = ffi.gc(cut.hb_subset_or_fail(font.hb_face, asked), harfbuzz.hb_face_destroy)
        data = fonts.get_hb_object_data(face) if face else None
        if data:
            font.file_content = data
        else:
            twice(font, to_unicode, hinting)

    once.once = True  # type: ignore[attr-defined]
    fonts.Font._harfbuzz_subset = once


def _parse_quicker() -> None:
    """WeasyPrint parses a part's HTML with tinyhtml5, in Python: 6–16 ms a part. Where libxml2 makes the same tree
    of it (htmltree), that tree is taken instead — a fifteenth of the time; elsewhere, tinyhtml5's."""
    import weasyprint

    if not isinstance(weasyprint.tinyhtml5, _Parser):
        weasyprint.tinyhtml5 = _Parser(weasyprint.tinyhtml5)


class _Parser:
    """tinyhtml5, but for parse."""

    def __init__(self, slow: Any) -> None:
        self.slow = slow

    def __getattr__(self, name: str) -> Any:
        return getattr(self.slow, name)

    def parse(self, document: Any, **options: Any) -> Any:
        if options == {"namespace_html_elements": False} and isinstance(document, io.StringIO):
            made = htmltree.tree(document.getvalue())
            if made is not None:
                return made
        return self.slow.parse(document, **options)


def _borders_merged() -> None:
    """A table of collapsed borders (every form) has WeasyPrint stroke each cell's side as a line of its own, in a
    state saved and restored: 350 lines a page of a form. Where every line is solid, of one width and one opaque
    colour, the lines that meet or overlap on one row or column are stroked as one (butt ends: the same ink, to the
    pixel), all in one path: a page's drawing of its table takes a third of the time, its PDF 5 % fewer bytes.
    Other tables are drawn line by line as WeasyPrint draws them (the lines it works out, in its order)."""
    from weasyprint import draw

    if hasattr(draw.draw_collapsed_borders, "each"):
        return
    each = draw.draw_collapsed_borders

    def merged(stream: Any, table: Any) -> None:
        lines = _collapsed_lines(draw, each, table)
        kinds = {line[4:] for line in lines}
        if len(kinds) != 1 or lines[0][5] != "solid" or lines[0][6].alpha != 1:
            for line in lines:
                with stream.artifact(), stream.stacked():
                    draw.draw_line(stream, *line)
            return
        with stream.artifact(), stream.stacked():
            stream.set_color(lines[0][6], stroke=True)
            stream.set_line_width(lines[0][4])
            for (x1, y1), (x2, y2) in _runs(lines):
                stream.move_to(x1, y1)
                stream.line_to(x2, y2)
            stream.stroke()

    merged.each = each  # type: ignore[attr-defined]  # WeasyPrint's own
    draw.draw_collapsed_borders = merged


def _collapsed_lines(draw: Any, each: Callable[[Any, Any], None], table: Any) -> list[tuple]:
    """The lines WeasyPrint's `each` strokes for the table, in its order: (x1, y1, x2, y2, width, style, colour)."""
    lines: list[tuple] = []
    line = draw.draw_line
    draw.draw_line = lambda stream, *drawn: lines.append(drawn[:7])
    try:
        each(_Unmarked(), table)
    finally:
        draw.draw_line = line
    return lines


class _Unmarked:
    """A stream that marks nothing: what WeasyPrint's table drawing wraps each line in (the lines are taken)."""

    @contextlib.contextmanager
    def artifact(self) -> Iterator[None]:
        yield

    stacked = artifact


def _runs(lines: list[tuple]) -> Iterator[tuple[tuple[float, float], tuple[float, float]]]:
    """Each row's and column's lines, those that meet or overlap made one: their ends."""
    spans: dict[tuple[bool, float], list[tuple[float, float]]] = {}
    for x1, y1, x2, y2, *_ in lines:
        across = y1 == y2
        spans.setdefault((across, y1 if across else x1), []).append(
            (min(x1, x2), max(x1, x2)) if across else (min(y1, y2), max(y1, y2)))
    for (across, at), found in spans.items():
        found.sort()
        joined = [list(found[0])]
        for begin, stop in found[1:]:
            if begin <= joined[-1][1]:
                joined[-1][1] = max(joined[-1][1], stop)
            else:
                joined.append([begin, stop])
        for start, end in joined:
            yield ((start, at), (end, at)) if across else ((at, start), (at, end))


DEFLATE = 1  # zlib's level for the PDFs' streams


def _deflate_quicker() -> None:
    """pydyf (WeasyPrint's PDF writer) deflates every stream at zlib's level 9: a third of the time it takes to write
    a part's PDF, for files 1.6 % smaller than at level 1 (the 13 parts a new name renders at 2,000 attendees:
    155 ms at level 9, 89 ms at 6, 53 ms at 1; 2,131, 2,137 and 2,166 KB). The same streams, deflated at DEFLATE."""
    import pydyf

    if not isinstance(pydyf.zlib, _Deflate):
        pydyf.zlib = _Deflate()


class _Deflate:
    """zlib, but for the level asked of compressobj."""

    def __getattr__(self, name: str) -> Any:
        return getattr(zlib, name)

    @staticmethod
    def compressobj(level: int = DEFLATE, *args: Any, **kwargs: Any) -> Any:
        return zlib.compressobj(DEFLATE, *args, **kwargs)


_SPECIAL = ("float", "display", "position", "page")  # computed from others, or kept as specified: WeasyPrint's way


def _styles_quicker() -> None:
    """An element's computed style is a dict whose values WeasyPrint works out as they are first asked for
    (ComputedStyle.__missing__): a part asks for 200,000 of them, most of them a property its stylesheets do not
    set — the parent's value for an inherited one, the initial value for the others — yet each goes through every
    step a set value needs (logical properties, var() and math functions, the special cases): an eighth of the
    time a part takes to render. A property not set on the element, with no logical property set in its place and
    no math function in the value it takes, gets that value directly — what the steps come to; anything else is
    WeasyPrint's own."""
    from weasyprint.css import ComputedStyle
    from weasyprint.css.computed_values import COMPUTER_FUNCTIONS, PHYSICAL_FUNCTIONS
    from weasyprint.css.functions import check_math
    from weasyprint.css.properties import INHERITED, INITIAL_NOT_COMPUTED, INITIAL_VALUES, Dimension

    if hasattr(ComputedStyle.__missing__, "slow"):
        return
    slow = ComputedStyle.__missing__
    plain = (str, int, float, Dimension)  # values with no math function in them (check_math's own test)
    how = {key: (key in INHERITED, COMPUTER_FUNCTIONS.get(key) if key in INITIAL_NOT_COMPUTED else None,
                 PHYSICAL_FUNCTIONS.get(key))
           for key, value in INITIAL_VALUES.items()
           if key not in _SPECIAL and key[:2] != "__" and key[:16] != "text_decoration_" and not check_math(value)}

    def unset(self: Any, key: str) -> Any:
        found = how.get(key)
        if found is None or key in self.cascaded:
            return slow(self, key)
        inherited, compute, physical = found
        if physical is not None and physical(block="ttb", inline=self["direction"]) in self.cascaded:
            return slow(self, key)  # set by its logical property (margin-inline-start, say)
        parent = self.parent_style
        if inherited and parent is not None:
            value = parent[key]
            if type(value) not in plain and check_math(value):
                return slow(self, key)
        else:
            value = INITIAL_VALUES[key]
            if compute is not None:
                value = compute(self, key, value)
        self[key] = value
        return value

    unset.slow = slow  # type: ignore[attr-defined]  # WeasyPrint's own
    ComputedStyle.__missing__ = unset
