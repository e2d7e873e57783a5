"""Rendered parts joined into one PDF, their objects copied as they are.

qpdf (pikepdf) copies a foreign page at a time, some 0.2 ms a page: the table cards of a 2,000-person
meeting (1,581 pages in 116 chunks) took half a second to join, at every edit. Here each part is read with
pikepdf, the objects its pages reach are renumbered in the text qpdf gives of them, and written out with
their streams byte for byte (a fifth of the time). The file is a plain one: a cross-reference table, no
object streams — what PDF/A-2b allows; the same parts give the same bytes.
"""

from __future__ import annotations

import hashlib
import io
import re
from typing import Any

# A string — literal (qpdf escapes the brackets inside) or hex — passed over as it is, or a reference.
_TOKEN = re.compile(rb"\((?:[^\\()]|\\.)*\)|<[0-9A-Fa-f\s]*>|(?<![\w./#+-])(\d+) (\d+) R")
_INHERITED = ("/Resources", "/MediaBox", "/CropBox", "/Rotate")  # kept on a page tree's root by some writers
ROOT, PAGES = 1, 2  # the joined file's catalogue and page tree


class _Out:
    """The joined file's objects, numbered in the order they are first reached."""

    def __init__(self) -> None:
        self.bodies: dict[int, bytes] = {}
        self.next = PAGES + 1

    def number(self) -> int:
        self.next += 1
        return self.next - 1

    def copy(self, part: Any, start: Any, numbers: dict[tuple[int, int], int]) -> int:
        """Copy `start` (an object of `part`) and everything it refers to; its number in the joined file."""
        import pikepdf

        todo = [start.objgen]
        for objgen in todo:
            if objgen not in numbers:
                numbers[objgen] = self.number()
        while todo:
            objgen = todo.pop()
            obj = part.get_object(objgen)
            stream = obj.read_raw_bytes() if isinstance(obj, pikepdf.Stream) else None
            text = (obj.stream_dict if stream is not None else obj).unparse(resolved=True)

            def renumbered(match: re.Match[bytes]) -> bytes:
                if match.group(1) is None:
                    return match.group(0)
                ref = (int(match.group(1)), int(match.group(2)))
                if ref not in numbers:
                    numbers[ref] = self.number()
                    todo.append(ref)
                return b"%d 0 R" % numbers[ref]

            body = _TOKEN.sub(renumbered, text)
            if stream is not None:
                body += b"\nstream\n" + stream + b"\nendstream"
            self.bodies[numbers[objgen]] = body
        return numbers[start.objgen]

    def file(self, info: int | None) -> bytes:
        out = io.BytesIO()
        out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
        offsets = []
        for number in range(1, self.next):
            offsets.append(out.tell())
            out.write(b"%d 0 obj\n%s\nendobj\n" % (number, self.bodies[number]))
        identifier = hashlib.md5(out.getvalue()).hexdigest().encode()
        start = out.tell()
        out.write(b"xref\n0 %d\n0000000000 65535 f \n" % self.next)
        out.write(b"".join(b"%010d 00000 n \n" % offset for offset in offsets))
        more = b" /Info %d 0 R" % info if info else b""
        out.write(b"trailer\n<< /Size %d /Root %d 0 R%s /ID [ <%s> <%s> ] >>\nstartxref\n%d\n%%%%EOF\n"
                  % (self.next, ROOT, more, identifier, identifier, start))
        return out.getvalue()


def join(pdfs: list[bytes], duplex: bool = True, trim: int = 0) -> bytes:
    """One PDF of several; with `duplex`, each part after the first starts on a fresh sheet (copies); without,
    pages simply follow (chunks of one document). `trim`: pages dropped from the end of the first part (a page
    kept only for the page number where the next part begins). The first part's catalogue and document
    information and, when every part has it, their PDF/A identity (XMP, OutputIntent) are kept; the file
    identifier is made from the joined file's content."""
    if len(pdfs) == 1:
        return pdfs[0]
    import pikepdf

    from . import pdfa

    parts = [pikepdf.open(io.BytesIO(data)) for data in pdfs]
    out, kids, count = _Out(), list[int](), 0
    first = parts[0]
    kept = {first.Root.Pages.objgen: PAGES, first.Root.objgen: ROOT}  # the first part's: its catalogue is kept
    for i, part in enumerate(parts):
        retag_subsets(part)
        numbers = kept if i == 0 else {part.Root.Pages.objgen: PAGES}
        pages = list(part.pages)[:len(part.pages) - trim if i == 0 else None]
        if duplex and count % 2:
            kids.append(_blank(out, kids[-1]))
        for page in pages:
            _inherit(page.obj, part.Root.Pages)
            page.obj.Parent = part.Root.Pages
            kids.append(out.copy(part, page.obj, numbers))
        count = len(kids)
    if not all(pdfa.claims(p.Root) for p in parts):
        for key in ("/Metadata", "/OutputIntents"):
            if key in first.Root:
                del first.Root[key]
    out.copy(first, first.Root, kept)
    info = out.copy(first, first.trailer.Info, kept) if "/Info" in first.trailer else None
    out.bodies[PAGES] = b"<< /Type /Pages /Kids [ %s ] /Count %d >>" % (
        b" ".join(b"%d 0 R" % kid for kid in kids), len(kids))
    return out.file(info)


def _inherit(page: Any, root: Any) -> None:
    """The attributes a page takes from its page tree, set on the page itself: it gets another tree."""
    for key in _INHERITED:
        if key in root and key not in page:
            page[key] = root[key]


def _blank(out: _Out, before: int) -> int:
    """An empty page the size of the page `before` (a joined file's object)."""
    box = re.search(rb"/MediaBox \[ ([^\]]*) \]", out.bodies[before])
    number = out.number()
    out.bodies[number] = b"<< /Type /Page /Parent %d 0 R /MediaBox [ %s ] /Resources << >> >>" % (
        PAGES, box.group(1) if box else b"0 0 595.276 841.89")
    return number


def retag_subsets(pdf: Any) -> None:
    """Each part names its font subsets with tags of its own making, the same tag for a font whatever
    glyphs it holds; joined, one tag would stand for different subsets (ISO 32000-1 §9.6.4 wants a tag
    per subset). The tag is made from the subset's own bytes: a different subset, a different tag."""
    import pikepdf

    done: set[tuple[int, int]] = set()
    for page in pdf.pages:
        for font in page.obj.get("/Resources", {}).get("/Font", {}).values():
            if font.objgen in done or "/DescendantFonts" not in font:
                continue
            done.add(font.objgen)
            cid = font.DescendantFonts[0]
            descriptor = cid.FontDescriptor
            files = [descriptor[k] for k in ("/FontFile2", "/FontFile3", "/FontFile") if k in descriptor]
            name = str(font.BaseFont).lstrip("/")
            if not files or "+" not in name:
                continue
            digest = hashlib.sha256(files[0].read_raw_bytes()).digest()  # as stored: no need to inflate it
            tagged = pikepdf.Name("/" + "".join(chr(65 + b % 26) for b in digest[:6]) + "+" + name.split("+", 1)[1])
            font.BaseFont = cid.BaseFont = descriptor.FontName = tagged
