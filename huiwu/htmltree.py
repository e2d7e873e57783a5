"""The parts' HTML parsed by libxml2 (lxml) into the tree WeasyPrint's own parser, tinyhtml5, makes of it.

tinyhtml5 is an HTML5 parser written in Python: 6–16 ms a part, a tenth of what WeasyPrint spends on a one-page
part. libxml2 parses the same HTML fifteen times quicker. The two agree on HTML as the layouts write it (a doctype,
head and body given, tables with their row groups or only rows, SVG of lower-case tags, no scripts, forms or raw
text) once the tree is brought to HTML5's rules where libxml2 keeps to its own: the white space before <head>
dropped, that after </body> put at the body's end, rows put in a row group, SVG's elements and attributes in their
namespace and case. Anything else — a construct HTML5 mends otherwise, a text that is not ours — is left to
tinyhtml5: `tree` gives None. tests/test_htmltree.py holds the two trees equal for every part of the sample meeting.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import Any

SVG = "http://www.w3.org/2000/svg"
SVG_TAGS = frozenset({"svg", "path", "line", "polygon", "polyline", "rect", "circle", "ellipse", "g"})  # lower case
# What HTML5 reads otherwise than libxml2, or not as text: control characters, carriage returns (HTML5 makes them
# line feeds), numeric references (but Jinja2's for quotes), raw text and form elements, <pre>'s first line feed,
# MathML, templates, HTML 4's boolean attributes given without a value.
_OTHERWISE = re.compile(
    r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ufdd0-\ufdef\ufffe\uffff]|&#(?!3[49];)|<(?:math|template|script|noscript|textarea|"
    r"plaintext|xmp|iframe|noembed|noframes|frameset|select|option|form|button|input|object|pre|listing|"
    r"image|frame|isindex|keygen|foreignobject|desc)\b|\s(?:checked|compact|declare|defer|disabled|ismap|multiple|"
    r"nohref|noresize|noshade|nowrap|readonly|selected)(?=[\s/>])", re.I)  # libxml2 gives these the name as value
_PARENTS = {"td": ("tr",), "th": ("tr",), "tr": ("table", "thead", "tbody", "tfoot"), "col": ("colgroup",),
            **{tag: ("table",) for tag in ("thead", "tbody", "tfoot", "caption", "colgroup")}}
_TABLED = frozenset({"table", "thead", "tbody", "tfoot", "tr", "colgroup"})  # text in them is moved by HTML5
_START = "<!doctype html>"


def tree(text: str) -> Any:
    """The <html> element (an ElementTree element), as tinyhtml5.parse(text, namespace_html_elements=False) gives
    it; None where the two parsers may not agree."""
    if text[:len(_START)].lower() != _START or _OTHERWISE.search(text):
        return None
    from lxml import etree

    # A parser made for each call (1 µs): one parser must not be used by two threads at once.
    parser = etree.HTMLParser(remove_blank_text=False, remove_comments=False, remove_pis=False, no_network=True,
                              huge_tree=True, default_doctype=False)
    try:
        root = etree.fromstring(text, parser)
    except (etree.Error, ValueError):
        return None
    if root is None or root.tag != "html" or [c.tag for c in root] != ["head", "body"]:
        return None
    end = text.rfind("</html>")
    return _html5(root, text[end + len("</html>"):] if end >= 0 else "")


def _html5(root: Any, after: str) -> Any:
    """`after`: the text after </html>, which libxml2 drops."""
    head, body = root
    if not _blank(root.text) or not _blank(body.tail) or not _blank(after):
        return None
    html = _element(root, svg=False)
    if html is None:
        return None
    html.text = None  # HTML5 drops the whitespace before <head>
    rest = (body.tail or "") + after  # HTML5 puts what follows </body> and </html> at the body's end
    if rest:
        last = html[1]
        if len(last):
            last[-1].tail = (last[-1].tail or "") + rest
        else:
            last.text = (last.text or "") + rest
    html[1].tail = None
    return html


def _element(node: Any, svg: bool) -> Any:
    tag = node.tag
    if not isinstance(tag, str):  # a comment (a processing instruction is not HTML5's: given back)
        if tag is not _comment():
            return None
        comment = ET.Comment(node.text)
        comment.tail = node.tail
        return comment
    svg = svg or tag == "svg"
    if svg:
        if tag not in SVG_TAGS:
            return None
        tag = f"{{{SVG}}}{tag}"
        attrib = {_svg_name(k): v for k, v in node.attrib.items()}
    else:
        if tag in _TABLED and not (_blank(node.text) and all(_blank(c.tail) for c in node)):
            return None
        if tag in _PARENTS and node.getparent().tag not in _PARENTS[tag]:  # HTML5 drops a cell out of its row,
            return None  # puts a <colgroup> round a <col> in a table, …
        attrib = dict(node.attrib)
    rows = [child.tag == "tr" for child in node] if tag == "table" else []
    if any(rows) and not all(rows):  # rows beside row groups: HTML5 groups them otherwise
        return None
    made: ET.Element[str] = ET.Element(tag, attrib)
    made.text, made.tail = node.text, node.tail
    into = made
    if rows and all(rows):  # rows without a row group: HTML5 puts them in one, the white space after the last row too
        into = ET.SubElement(made, "tbody")
    for child in node:
        kid = _element(child, svg)
        if kid is None:
            return None
        into.append(kid)
    return made


def _svg_name(name: str) -> str:
    from tinyhtml5.constants import adjust_foreign_attributes, adjust_svg_attributes

    name = adjust_svg_attributes.get(name, name)
    foreign = adjust_foreign_attributes.get(name)
    return f"{{{foreign[2]}}}{foreign[1]}" if foreign else name


def _blank(text: str | None) -> bool:
    """Nothing but HTML's white space (not U+3000: HTML5 takes that for text)."""
    return not text or not text.strip(" \t\n\f\r")


def _comment() -> Any:
    from lxml import etree

    return etree.Comment
