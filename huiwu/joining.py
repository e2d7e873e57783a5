"""Rendered parts joined into one PDF, their objects copied as they are.

qpdf (pikepdf) copies a foreign page at a time, some 0.2 ms a page: the table cards of a 2,000-person
meeting (1,581 pages in 116 chunks) took half a second to join, at every edit. Here each part is cut once
(`_Cut`): the objects its pages reach, each as the text qpdf gives of it cut at its references, and the place of
its stream in the part's bytes. Joining is writing the cuts out one after the other, numbered on; an object that
is the same as one written before (the material under every numbered copy, an emblem on every badge sheet) is
written once, and both refer to it (`_shared`). The cuts of the parts a build joined are kept in the project's
cache (`remembered`): an edit cuts only the parts it changed.
A page may also be drawn from several parts laid one over the other (`Layers`: the seat map and its bands of
names): each part's page becomes a form, and the page draws them in turn.
The file is a plain one: a cross-reference table, no object streams — what PDF/A-2b allows; the same parts
give the same bytes. A file joined again with a part or two changed is made from the file as last written, those
parts' objects put in place of their old ones, when that gives the same bytes (`before`, `settle`: see the end).
"""

from __future__ import annotations

import hashlib
import io
import os
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NamedTuple

from .memo import Shelf
from .render import Unread, bytes_of, kept_key, read_regular

# A string — literal (qpdf escapes the brackets inside) or hex — passed over as it is, or a reference.
_TOKEN = re.compile(rb"\((?:[^\\()]|\\.)*\)|<[0-9A-Fa-f\s]*>|(?<![\w./#+-])(\d+) (\d+) R")
_BOX = re.compile(rb"/(?:MediaBox|BBox) \[ ([^\]]*) \]")  # a page's size, a form's
_INHERITED = ("/Resources", "/MediaBox", "/CropBox", "/Rotate")  # kept on a page tree's root by some writers
ROOT, PAGES = 1, 2  # the joined file's catalogue and page tree: in a cut, references to them are -ROOT, -PAGES
A4 = b"0 0 595.276 841.89"

Object = tuple[list[bytes], list[int], tuple[int, int] | bytes | None]  # text cut at references; its stream


class Layers(list):
    """Parts of one page each, the same size, to be one page: the first drawn, then each next one over it (join)."""


class First(bytes):
    """A part of which only the first `pages` pages are joined (the 送审件's seat map: the copy to approve, not the
    staff's): only what those pages draw is written."""

    pages: int

    @classmethod
    def of(cls, data: bytes, pages: int) -> First:
        first = cls(data)
        first.pages = pages
        return first


class _Cut:
    """The objects of one part reached from the pages (and the catalogue) given to `reach`, numbered from 0 in
    the order they are first reached: each as its text cut at its references (the referred object's number, or
    -ROOT/-PAGES), and its stream as (start, length) in the part's bytes, or the bytes themselves."""

    def __init__(self, part: Any, data: bytes, fixed: dict[tuple[int, int], int]):
        self.part, self.data = part, data
        self.at: dict[tuple[int, int], int] | None = None  # each object's offset in `data`, once a stream is sought
        self.numbers = {objgen: -number for objgen, number in fixed.items()}
        self.objects: list[Object | None] = []
        self.fixed: dict[int, Object] = {}  # ROOT's object, when the catalogue is reached
        self.kids: list[int] = []
        self.boxes: list[bytes] = []  # each page's MediaBox: a blank page after it is its size

    def _number(self, objgen: tuple[int, int], todo: list[tuple[int, int]]) -> int:
        if objgen not in self.numbers:
            self.numbers[objgen] = len(self.objects)
            self.objects.append(None)
            todo.append(objgen)
        return self.numbers[objgen]

    def reach(self, start: Any) -> int:
        """`start` and everything it refers to; its number in the cut."""
        import pikepdf

        todo: list[tuple[int, int]] = []
        self._number(start.objgen, todo)
        todo = todo or [start.objgen]  # numbered before (the catalogue): its text is taken as it is now
        while todo:
            objgen = todo.pop()
            obj = self.part.get_object(objgen)
            stream = obj.read_raw_bytes() if isinstance(obj, pikepdf.Stream) else None
            text = (obj.stream_dict if stream is not None else obj).unparse(resolved=True)
            segments, refs, last = [], [], 0
            for match in _TOKEN.finditer(text):
                if match.group(1) is not None:
                    refs.append(self._number((int(match.group(1)), int(match.group(2))), todo))
                    segments.append(text[last:match.start()])
                    last = match.end()
            segments.append(text[last:])
            cut = (segments, refs, None if stream is None else self._span(objgen, stream))
            number = self.numbers[objgen]
            if number < 0:
                self.fixed[-number] = cut
            else:
                self.objects[number] = cut
        return self.numbers[start.objgen]

    def _span(self, objgen: tuple[int, int], stream: bytes) -> tuple[int, int] | bytes:
        """Where the stream's bytes are in the part (any place holding the same bytes will do): sought from where its
        object begins (a 2 MB seat map's 200 streams each sought from the start took 26 ms)."""
        if self.at is None:
            self.at = {o: e.offset for o, e in self.part.get_xref_table().items() if e.type == 1}
        at = self.data.find(stream, self.at.get(objgen, 0))
        if at < 0:
            at = self.data.find(stream)
        return (at, len(stream)) if at >= 0 else stream

    def filled(self) -> list[Object]:
        """The objects, each reached (and so cut) by now."""
        assert all(obj is not None for obj in self.objects)
        return [obj for obj in self.objects if obj is not None]

    def pages(self, pages: list[Any]) -> None:
        for page in pages:
            self._inherit(page)
            page.obj.Parent = self.part.Root.Pages
            self._kid(page.obj)

    def forms(self, pages: list[Any]) -> None:
        """Each page as a form of its own (Layers): its content stream (as it is, still compressed) made a form
        with the page's resources and size; `kids` are then the forms."""
        import pikepdf

        for page in pages:
            self._inherit(page)
            streams = page.obj.get("/Contents")
            form = streams if isinstance(streams, pikepdf.Stream) else pikepdf.Stream(  # none, or several: made one
                self.part, b"".join(s.read_bytes() for s in (streams or [])))
            form.Type, form.Subtype, form.BBox = pikepdf.Name.XObject, pikepdf.Name.Form, page.obj.MediaBox
            form.Resources = page.obj.get("/Resources", pikepdf.Dictionary())
            self._kid(form)

    def _inherit(self, page: Any) -> None:
        """What a page takes from its page tree, set on the page: it gets another tree."""
        root = self.part.Root.Pages
        for key in _INHERITED:
            if key in root and key not in page.obj:
                page.obj[key] = root[key]

    def _kid(self, obj: Any) -> None:
        self.kids.append(self.reach(obj))
        box = _BOX.search(b"".join(self.objects[self.kids[-1]][0]))  # type: ignore[index]
        self.boxes.append(box.group(1) if box else A4)


def _cut_part(data: bytes, form: bool = False) -> tuple:
    """A part after the first, cut: (PDF/A claim, page numbers — with `form`, its pages' forms: Layers —, their
    MediaBoxes, objects, what each object is (`_shared`), the digest of the part's bytes), as the cache keeps it.
    Of a First, its first pages only."""
    import pikepdf

    from . import pdfa

    part = pikepdf.open(io.BytesIO(data))
    retag_subsets(part)
    cut = _Cut(part, data, {part.Root.Pages.objgen: PAGES})
    (cut.forms if form else cut.pages)(list(part.pages)[:getattr(data, "pages", None)])
    filled = cut.filled()
    return (pdfa.claims(part.Root), cut.kids, cut.boxes, filled, _shared(filled, data, cut.kids),
            _digest_of(data))


def _digest_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _shared(objects: list[Object], data: bytes, pages: list[int]) -> list[str | None]:
    """Each object's digest: of its text, its stream and (in their place) what it refers to. Objects of the same
    digest are the same, whichever part and number they have, and are written once. A page, and whatever refers
    to one or lies on a loop of references, has none: it is always written as its own."""
    keys: list[str | None] = [None] * len(objects)
    done, kids = [False] * len(objects), set(pages)
    for start in range(len(objects)):
        stack, entered = [start], set()
        while stack:
            i = stack[-1]
            if done[i]:
                stack.pop()
                continue
            refs = [r for r in objects[i][1] if r >= 0]
            waiting = [r for r in refs if not done[r] and r not in entered]
            if i not in entered and waiting:
                entered.add(i)
                stack += waiting
                continue
            stack.pop()
            done[i] = True
            if i in kids or any(not done[r] or keys[r] is None for r in refs):  # a page, a loop
                continue
            keys[i] = _digest(objects[i], data, keys)
    return keys


def _digest(obj: Object, data: bytes, keys: list[str | None]) -> str:
    segments, refs, stream = obj
    digest = hashlib.sha256()
    for segment, ref in zip(segments, [*refs, None], strict=True):
        digest.update(b"%d:" % len(segment) + segment)
        if ref is not None:
            digest.update((keys[ref] if ref >= 0 else str(ref)).encode())  # type: ignore[union-attr]
    if stream is not None:
        digest.update(b"stream:" + (data[stream[0]:stream[0] + stream[1]] if isinstance(stream, tuple) else stream))
    return digest.hexdigest()[:32]


def _valid(cut: Any) -> bool:
    """A cut as _cut_part makes it (a cache file of another version's shape is cut again)."""
    return (isinstance(cut, tuple) and len(cut) == 6 and all(isinstance(x, list) for x in cut[1:5])
            and isinstance(cut[5], str))


_cuts = Shelf(lambda key, data, form=False: _cut_part(data, form), _valid, keep_extra=3000)
remembered = _cuts.remembered  # the cuts of the parts the last builds joined, kept in the project's cache


def _key_of(data: bytes) -> str:
    return kept_key(data) or _digest_of(data)


def _cut(data: bytes, form: bool = False) -> tuple:
    """The part's cut, made once: kept by the digest of its bytes, or by the key of the chunk cache's entry it was
    read from (render.kept_key: its bytes need no digest then); its pages as forms (`form`), or its first pages
    (First), by a key of their own."""
    key = _key_of(data)
    first = getattr(data, "pages", None)
    if form or first is not None:
        key = hashlib.sha256(f"{'form' if form else first}:{key}".encode()).hexdigest()[:40]
    return _cuts(key, data, form)


def cut_ahead(data: bytes) -> None:
    """The part's cut made now, for a join to come (kept as _cut keeps it)."""
    _cut(data)


class Joined(bytes):
    """A document's chunks joined one after the other (`join(chunks, duplex=False)`), with the chunks themselves:
    a join that takes it after its first part and without `duplex` takes the chunks instead, as their cuts are
    kept — not the joined file, cut anew whenever one of them changes (the 须知's name list: 40 ms an edit)."""

    chunks: list[bytes]

    @classmethod
    def of(cls, chunks: list[bytes]) -> Joined:
        joined = cls(join(chunks, duplex=False))
        joined.chunks = chunks
        return joined


def join(pdfs: Sequence[bytes | Layers | Unread], duplex: bool = True, trim: int = 0,
         before: Path | None = None) -> bytes:
    """One PDF of several; with `duplex`, each part after the first starts on a fresh sheet (copies); without,
    pages simply follow (chunks of one document). `trim`: pages dropped from the end of the first part (a page
    kept only for the page number where the next part begins). Layers: parts drawn one over the other as one page.
    The first part's catalogue and document information and, when every part has it, their PDF/A identity
    (XMP, OutputIntent) are kept; the file identifier is a digest of the parts' bytes and how they are joined: the
    same parts give the same file, other parts another identifier (a digest of the whole file took a sixth of the
    time a join takes).
    `before`: the file the result is to be written to (settle, once written), when it holds plain parts (no Layers,
    no First): a join of the same parts but a few is then made from it (_spliced), reading only those parts of
    the ones not read yet (Unread)."""
    if len(pdfs) == 1 and not isinstance(pdfs[0], Layers):
        return bytes_of(pdfs[0])  # type: ignore[arg-type]  # not Layers
    if not duplex:  # the same pages in the same order: each Joined's chunks follow on as it would
        pdfs = [pdfs[0], *(c for p in pdfs[1:] for c in (p.chunks if isinstance(p, Joined) else [p]))]
    plain = before is not None and all(type(p) is not Layers and getattr(p, "pages", None) is None for p in pdfs)
    keys = [_key_of(p) for p in pdfs] if plain else []  # type: ignore[arg-type]  # plain: bytes each
    if plain:
        assert before is not None
        spliced = _spliced(pdfs, keys, duplex, trim, before)  # type: ignore[arg-type]
        if spliced is not None:
            return spliced
    held: list[bytes | Layers] = [p if isinstance(p, Layers) else bytes_of(p) for p in pdfs]  # read now
    import pikepdf

    from . import pdfa

    groups = [(isinstance(item, Layers), list(item) if isinstance(item, Layers) else [item]) for item in held]
    cuts = [[_cut(data, layered) for data in group[1 if g == 0 else 0:]] for g, (layered, group) in enumerate(groups)]
    head = groups[0][1][0]
    part = pikepdf.open(io.BytesIO(head))
    retag_subsets(part)
    first = _Cut(part, head, {part.Root.Pages.objgen: PAGES, part.Root.objgen: ROOT})
    pages = list(part.pages)[:len(part.pages) - trim][:getattr(head, "pages", None)]
    first.forms(pages[:1]) if groups[0][0] else first.pages(pages)
    if not (pdfa.claims(part.Root) and all(cut[0] for group in cuts for cut in group)):
        for key in ("/Metadata", "/OutputIntents"):
            if key in part.Root:
                del part.Root[key]
    first.reach(part.Root)
    info = first.reach(part.trailer.Info) if "/Info" in part.trailer else None
    out = _File()
    filled = first.filled()
    start = out.add(filled, head, _shared(filled, head, first.kids))
    out.put(first.fixed[ROOT], start, head, ROOT)
    kids: list[int] = []
    boxes: list[bytes] = []
    made_of = [f"{_digest_of(head)}:{getattr(head, 'pages', '')}"]  # a First: its pages too
    spans = [(PAGES + 1, out.next, [start[k] for k in first.kids], list(first.boxes))]  # each part's, for the record
    for g, ((layered, group), own_cuts) in enumerate(zip(groups, cuts, strict=True)):
        drawn = [start[k] for k in first.kids] if g == 0 else []
        own_boxes = list(first.boxes) if g == 0 else []
        for (_, own, more_boxes, objects, keys_, digest), data in zip(own_cuts, group[1 if g == 0 else 0:],
                                                                       strict=True):
            begun = out.next
            numbers = out.add(objects, data, keys_)
            drawn += [numbers[k] for k in own[:1 if layered else None]]
            own_boxes += more_boxes
            made_of.append(f"{digest}:{getattr(data, 'pages', '')}")
            spans.append((begun, out.next, [numbers[k] for k in own], list(more_boxes)))
        if g and duplex and len(kids) % 2:
            kids.append(out.blank(boxes[-1]))
        kids += [out.layered(own_boxes[0], drawn)] if layered else drawn
        boxes += own_boxes[:1] if layered else own_boxes
    out.bodies[PAGES] = [b"<< /Type /Pages /Kids [ %s ] /Count %d >>" % (
        b" ".join(b"%d 0 R" % kid for kid in kids), len(kids))]
    made_of += [f"{duplex}:{trim}", *(f"{len(group)} layers" for layered, group in groups if layered)]
    identifier = hashlib.sha256("\n".join(made_of).encode()).hexdigest()[:32]
    info_number = None if info is None else start[info]
    joined = out.file(info_number, identifier)
    if plain:
        assert before is not None
        _pending[str(before)] = _Record(duplex, trim, [
            (key, made, *span) for key, made, span in zip(keys, made_of[:len(keys)], spans, strict=True)],
            out.written, out.last, out.offsets, out.next, info_number)
    return joined


class _File:
    """The joined file's objects by number, each as the pieces of its body: the file is made of them by one join at
    the end, a stream's bytes a view of the part's until then (copied once, not four times: 80 MB of a 2,000-person
    meeting's files joined at every edit)."""

    def __init__(self) -> None:
        self.bodies: dict[int, list[bytes | memoryview]] = {}
        self.written: dict[str, int] = {}  # an object's digest (_shared): its number
        self.next = PAGES + 1
        self.offsets: list[int] = []  # once made (file): each object's place in the file, then the table's
        self.parts = 0  # the cuts added so far
        self.last: dict[str, int] = {}  # a shared object's digest: the last cut (by its place) that has it

    def put(self, obj: Object, numbers: list[int], data: bytes, number: int) -> None:
        segments, refs, stream = obj
        pieces: list[bytes | memoryview] = [segments[0]]
        for ref, segment in zip(refs, segments[1:], strict=True):
            pieces += [b"%d 0 R" % (numbers[ref] if ref >= 0 else -ref), segment]
        if stream is not None:
            raw = memoryview(data)[stream[0]:stream[0] + stream[1]] if isinstance(stream, tuple) else stream
            pieces += [b"\nstream\n", raw, b"\nendstream"]
        self.bodies[number] = pieces

    def add(self, objects: list[Object], data: bytes, keys: list[str | None]) -> list[int]:
        """A cut's objects, numbered on; one the same as an object written before takes its number. The number
        each gets."""
        numbers, new = [], []
        for i, key in enumerate(keys):
            number = self.written.get(key) if key is not None else None
            if number is None:
                number, self.next = self.next, self.next + 1
                new.append(i)
                if key is not None:
                    self.written[key] = number
            if key is not None:
                self.last[key] = self.parts
            numbers.append(number)
        self.parts += 1
        for i in new:
            self.put(objects[i], numbers, data, numbers[i])
        return numbers

    def layered(self, box: bytes, forms: list[int]) -> int:
        """A page of this size drawing the `forms`, one over the other."""
        content = b"".join(b"/L%d Do\n" % i for i in range(len(forms)))
        named = b" ".join(b"/L%d %d 0 R" % (i, form) for i, form in enumerate(forms))
        stream, page, self.next = self.next, self.next + 1, self.next + 2
        self.bodies[stream] = [b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content)]
        self.bodies[page] = [b"<< /Type /Page /Parent %d 0 R /MediaBox [ %s ] /Resources << /XObject << %s >> >> "
                             b"/Contents %d 0 R >>" % (PAGES, box, named, stream)]
        return page

    def blank(self, box: bytes) -> int:
        """An empty page of this size."""
        number, self.next = self.next, self.next + 1
        self.bodies[number] = [b"<< /Type /Page /Parent %d 0 R /MediaBox [ %s ] /Resources << >> >>" % (PAGES, box)]
        return number

    def file(self, info: int | None, identifier: str) -> bytes:
        """The whole file, with its `identifier`."""
        head = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"
        pieces: list[bytes | memoryview] = [head]
        offsets, at = [], len(head)
        for number in range(1, self.next):
            offsets.append(at)
            wrapped = _wrapped(number, self.bodies[number])
            pieces += wrapped
            at += sum(map(len, wrapped))
        self.offsets = [*offsets, at]  # each object's place, then the cross-reference table's
        pieces.append(_ending(offsets, at, info, identifier))
        return b"".join(pieces)


def _wrapped(number: int, body: list[bytes | memoryview]) -> list[bytes | memoryview]:
    """An object as the file holds it: its number, its body, its end (a whole join and a splice write the same)."""
    return [b"%d 0 obj\n" % number, *body, b"\nendobj\n"]


def _ending(offsets: Sequence[int], at: int, info: int | None, identifier: str) -> bytes:
    """The cross-reference table (at `at`: the objects' `offsets`, numbered from 1) and the trailer."""
    more = b" /Info %d 0 R" % info if info else b""
    return b"".join([b"xref\n0 %d\n0000000000 65535 f \n" % (len(offsets) + 1),
                     *[b"%010d 00000 n \n" % offset for offset in offsets],
                     b"trailer\n<< /Size %d /Root %d 0 R%s /ID [ <%s> <%s> ] >>\nstartxref\n%d\n%%%%EOF\n"
                     % (len(offsets) + 1, ROOT, more, identifier.encode(), identifier.encode(), at)])


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


# —— a file joined again from the last one ——
#
# An edit changes a part or two of a document of hundreds (a name: one sheet of badges in 238). Joined anew, every
# part's cut is read and every object numbered and written again; yet when the changed parts come out with as many
# objects, the same pages and the same objects shared with the others, every other object keeps its number and its
# bytes, and the new file is the last one with those parts' objects put in place of theirs, and a new cross-reference
# table and identifier. A plain join given the file it is written to (`before`) leaves a record of how the file is
# made (_Record); once the file is written, `settle` keeps it with the file's size, date and inode. The next join
# for that file takes the file as it stands if it is still the one recorded and the parts allow; else it joins anew.
# Either way the bytes are the same (tests/test_joined.py).

Span = tuple[str, str, int, int, list[int], list[bytes]]  # a part's key, its line of the identifier, its objects'
# numbers (from, to), its pages' numbers and sizes


class _Record(NamedTuple):
    duplex: bool
    trim: int
    parts: list[Span]
    written: dict[str, int]  # the shared objects' digests and numbers (_File.written)
    last: dict[str, int]  # the last part that has each (_File.last)
    offsets: list[int]  # each object's place, then the cross-reference table's (_File.offsets)
    next: int
    info: int | None
    stat: tuple[int, int, int] | None = None  # the file's size, date and inode once written


_pending: dict[str, _Record] = {}  # by the file each is to be written to: joined, not yet written


def settle(path: Path) -> None:
    """`path` is written with what the last join for it gave: its record is kept (a join given `before=path`)."""
    record = _pending.pop(str(path), None)
    if record is not None:
        found = path.stat()
        _records.set(_record_key(path), tuple(record._replace(stat=(found.st_size, found.st_mtime_ns, found.st_ino))))


def _record_key(path: Path) -> str:
    return hashlib.sha256(os.fsencode(path)).hexdigest()[:40]


def _valid_record(value: Any) -> bool:
    return isinstance(value, tuple) and len(value) == len(_Record._fields) and isinstance(value[2], list)


def _unrecorded(key: str) -> tuple:
    raise KeyError(key)  # records are set (settle), never made: asked for with Shelf.get only


_records: Shelf[tuple] = Shelf(_unrecorded, _valid_record)  # by the file's path: how each joined output is made
recorded = _records.remembered  # kept in the project's cache


def _spliced(pdfs: Sequence[bytes | Unread], keys: list[str], duplex: bool, trim: int, before: Path) -> bytes | None:
    """The join of `pdfs`, made from the file `before` as the last join recorded it; None if it cannot be (or the
    record is of another shape: a damaged cache)."""
    try:
        return _made_from(pdfs, keys, duplex, trim, before)
    except (KeyError, IndexError, TypeError, ValueError, AttributeError):
        return None


def _made_from(pdfs: Sequence[bytes | Unread], keys: list[str], duplex: bool, trim: int, before: Path) -> bytes | None:
    found = _records.get(_record_key(before))
    record = None if found is None else _Record(*found)
    if record is None or (record.duplex, record.trim, len(record.parts)) != (duplex, trim, len(pdfs)):
        return None
    changed = [i for i, key in enumerate(keys) if key != record.parts[i][0]]
    if not changed or changed[0] == 0 or len(changed) * 2 > len(pdfs):  # the first part: the file's catalogue
        return None
    f = read_regular(before)  # the file as it stands when read (another build may replace it meanwhile)
    if f is None:
        return None
    try:
        with f:
            held = os.fstat(f.fileno())
            if record.stat != (held.st_size, held.st_mtime_ns, held.st_ino):
                return None
            old = f.read()
    except OSError:
        return None
    if len(old) != held.st_size:
        return None
    put: dict[int, bytes] = {}  # the changed parts' objects, each as the file holds one
    parts = list(record.parts)
    written, last = dict(record.written), dict(record.last)
    for i in changed:
        objects = _renumbered(bytes_of(pdfs[i]), record, i, written, last)
        if objects is None:
            return None
        put |= objects[0]
        parts[i] = (keys[i], f"{objects[1]}:", *record.parts[i][2:])
    joined, offsets = _rewritten(old, record, put, [made for _, made, *_ in parts])
    _pending[str(before)] = record._replace(parts=parts, written=written, last=last, offsets=offsets, stat=None)
    return joined


def _renumbered(data: bytes, record: _Record, i: int, written: dict[str, int],
                last: dict[str, int]) -> tuple[dict[int, bytes], str] | None:
    """Part `i`'s new objects, numbered as a whole join would number them, each serialized, and the part's digest
    — None unless they take the old ones' numbers and every other part refers to what it did: as many objects, the
    same pages, each shared object a later part has at its old number, none of a later part's own. `written`,
    `last`: the record's, made this part's."""
    _, _, begin, end, pages, boxes = record.parts[i]
    _, own, more_boxes, objects, shared, digest = _cut(data)
    numbers: list[int] = []
    new: list[int] = []
    mine: dict[str, int] = {}  # the shared objects this part is the first to have
    at = begin
    for key in shared:
        number = None if key is None else written.get(key) if written.get(key, end) < begin else mine.get(key)
        if number is None:
            number, at = at, at + 1
            new.append(len(numbers))
            if key is not None:
                if record.written.get(key, begin) >= end:  # a later part's own: it would refer to this one's
                    return None
                mine[key] = number
        numbers.append(number)
    if at != end or [numbers[k] for k in own] != pages or list(more_boxes) != boxes:
        return None
    dropped = [key for key, number in record.written.items() if begin <= number < end]
    if any(last[key] > i and mine.get(key) != record.written[key] for key in dropped):
        return None
    for key in dropped:
        del written[key]
        if last[key] == i:
            del last[key]
    written.update(mine)
    for key in [k for k in shared if k is not None]:
        last[key] = max(last.get(key, i), i)
    scratch = _File()
    for j in new:
        scratch.put(objects[j], numbers, data, numbers[j])
    serialized = {n: b"".join(_wrapped(n, scratch.bodies[n])) for n in range(begin, end)}
    return serialized, digest


def _rewritten(old: bytes, record: _Record, put: dict[int, bytes], made_of: list[str]) -> tuple[bytes, list[int]]:
    """The file `old` with the objects `put` in place of its own, a new cross-reference table and identifier (of
    the parts' lines, `made_of`); and the objects' new places, then the table's."""
    view = memoryview(old)
    offsets = record.offsets
    pieces: list[bytes | memoryview] = []
    placed, shift, copied = [], 0, 0
    for number in range(1, record.next):
        at = offsets[number - 1]
        if number in put:
            if copied < at:
                pieces.append(view[copied:at])
            pieces.append(put[number])
            copied = offsets[number]
            placed.append(at + shift)
            shift += len(put[number]) - (offsets[number] - at)
        else:
            placed.append(at + shift)
    table = offsets[-1]
    pieces.append(view[copied:table])
    identifier = hashlib.sha256("\n".join([*made_of, f"{record.duplex}:{record.trim}"]).encode()).hexdigest()[:32]
    pieces.append(_ending(placed, table + shift, record.info, identifier))
    return b"".join(pieces), [*placed, table + shift]
