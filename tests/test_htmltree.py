"""The parts' HTML parsed by libxml2 into the very tree tinyhtml5 (WeasyPrint's own parser) makes of it
(huiwu/htmltree.py), and given back to tinyhtml5 where the two may not agree."""

import tinyhtml5
import weasyprint

from huiwu import htmltree, quicker, render
from huiwu.laid import FIRST_LINE

HEAD = '<!doctype html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n<title>签到表</title>\n</head>\n'


def shape(element, depth=0, out=None):
    """Every element in order: its depth, tag, attributes (in order), text and tail."""
    out = [] if out is None else out
    out.append((depth, element.tag if isinstance(element.tag, str) else "comment", list(element.attrib.items()),
                element.text, element.tail))
    for child in element:
        shape(child, depth + 1, out)
    return out


def slow(html):
    return shape(tinyhtml5.parse(html, namespace_html_elements=False))


def test_every_part_of_the_sample_meeting_is_parsed_the_quick_way_into_tinyhtml5s_tree(sample_build):
    parts = sorted((sample_build.parent / ".cache" / "laid" / sample_build.name).rglob("*.html"))
    assert len({p.parent.name for p in parts}) >= 25  # the parts of every kind of document
    for path in parts:
        html, _, _ = render._style_apart(path.read_text(encoding="utf-8").split(FIRST_LINE, 1)[1])
        quick = htmltree.tree(html)
        assert quick is not None, path
        assert shape(quick) == slow(html), path


SAME = {
    "rows without a row group": "<body><table>\n  <tr><td>甲</td></tr>\n  <tr><td>乙</td></tr>\n</table></body>",
    "SVG's cases and namespaces": ('<body><svg class="marks" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">'
                                   '<path d="M0 0h1"/><line x1="0" y1="1"/></svg></body>'),
    "white space after the body and the document": "<body><p>会议</p>\n</body>\n</html>\n\n",
    "an empty body with space after it": "<body></body>\n",
    "a comment": "<body><!-- 注 --><p>甲</p></body>",
    "escaped markup and quotes": "<body><p>&lt;/td&gt;&lt;script&gt;&amp;&#34;&#39;</p><p>王&nbsp;五</p></body>",
    "a row group with white space": "<body><table><thead><tr><th>姓名</th></tr></thead>\n<tbody>\n<tr><td>甲</td></tr>\n</tbody></table></body>",
    "a full-width space is text": "<body><p>\u3000甲</p>\u3000</body>",
}
OTHER = {
    "no doctype": "<html><body><p>甲</p></body></html>",
    "a numeric reference": "<body><p>&#0;&#12288;</p></body>",
    "a carriage return": "<body><p>甲\r\n乙</p></body>",
    "a control character": "<body><p>甲\x0b乙</p></body>",
    "pre's first line feed": "<body><pre>\n甲</pre></body>",
    "a script": "<body><script>1 < 2</script></body>",
    "a col outside a colgroup": "<body><table><col><tr><td>甲</td></tr></table></body>",
    "rows after a row group": "<body><table><thead><tr><th>甲</th></tr></thead><tr><td>乙</td></tr></table></body>",
    "an attribute without a value": "<body><table><tbody><tr><td nowrap>甲</td></tr></tbody></table></body>",
    "a cell out of a row": "<body><td>甲</td></body>",
    "text in a table": "<body><table>甲<tr><td>乙</td></tr></table></body>",
    "MathML": "<body><math><mi>x</mi></math></body>",
    "an SVG element of mixed case": '<body><svg><linearGradient id="g"/></svg></body>',
    "text before the head": "甲" + "<body></body>",
}


def test_the_quick_tree_is_tinyhtml5s_or_none_is_given():
    for name, body in SAME.items():
        html = HEAD + body
        quick = htmltree.tree(html)
        assert quick is not None, name
        assert shape(quick) == slow(html), name
    for name, body in OTHER.items():
        html = body if name == "no doctype" else HEAD.replace("<head>", body + "<head>", 1) if name.startswith(
            "text before") else HEAD + body
        assert htmltree.tree(html) is None, name


def test_weasyprint_parses_the_parts_the_quick_way_and_others_its_own(monkeypatch):
    """The parser WeasyPrint is given takes the quick tree where there is one, and tinyhtml5's where there is
    none; both lay out the same."""
    render.Engine()
    assert isinstance(weasyprint.tinyhtml5, quicker._Parser)
    asked = []
    quick = htmltree.tree
    monkeypatch.setattr(htmltree, "tree", lambda html: asked.append(quick(html)) or asked[-1])
    ours = weasyprint.HTML(string=HEAD + SAME["rows without a row group"])
    other = weasyprint.HTML(string=HEAD + OTHER["rows after a row group"])
    assert asked[0] is ours.etree_element and asked[1] is None
    assert [e.tag for e in ours.etree_element.iter()] == [e.tag for e in tinyhtml5.parse(
        HEAD + SAME["rows without a row group"], namespace_html_elements=False).iter()]
    assert [e.tag for e in other.etree_element.iter()].count("tbody") == 1  # tinyhtml5's: the rows given one
