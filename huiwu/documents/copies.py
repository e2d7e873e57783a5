"""涉密材料编号件 (materials/<file>/<份号>-<holder>.pdf): each numbered copy of a classified or recollected
material whose PDF sits in the meeting folder, marked on every page as a 公文 is (domain.md §5.6): the
份号, the 密级★保密期限 under it, 会后收回 where the material is recollected, the holder in small type and a
QR code of the 份号 for scanning at collection; and all copies of one material as one print file in 份号
order (<file>-全部份号.pdf)."""

from __future__ import annotations

import hashlib
import io
import re
from pathlib import Path
from typing import Any

from ..layout.qr import qr_image
from ..problems import Fail
from ..records import Meeting
from ..records.materials import BUNDLE, copies, copies_folder, first_page_size, secrecy_mark, with_files
from ..render import Stash, pdf_bytes

MM = 72 / 25.4


def skip(m: Meeting) -> str | None:
    return None if with_files(m) else "没有附 PDF 文件（file）的涉密或需收回材料"


def payload(m: Meeting, material: str, number: str) -> str:
    """What a copy's QR code says, for scanning at collection: meeting, material (its file's name) and 份号."""
    return f"huiwu-copy:{m.id}:{material}:{number}"


CHUNK = 40  # stamps rendered (and cached) together: a changed holder renders the 40 copies around theirs again


def stamps(m: Meeting, fail: Fail) -> list[dict[str, Any]]:
    """One stamp page per copy, the size of the material's first page, CHUNK copies a part."""
    docs = []
    for mat in _stamped(m):
        data = m.pdfs[mat["file"]]
        width, height = first_page_size(data)
        source = hashlib.sha256(data).hexdigest()  # the copies depend on it
        stem = Path(mat["file"]).stem
        each = [{"number": c.number, "holder": c.label, "qr": qr_image(payload(m, stem, c.number))}
                for c in copies(m, mat)]
        docs += [{"title": mat["title"], "source": source, "width": round(width / MM, 2),
                  "height": round(height / MM, 2), "mark": secrecy_mark(m, mat), "recollect": mat["recollect"],
                  "stamps": each[i:i + CHUNK]} for i in _chunks(each)]
    return docs


def _stamped(m: Meeting) -> list[dict[str, Any]]:
    return [mat for _, mat in with_files(m) if mat["file"] in m.pdfs]  # else unreadable: records said why


def _chunks(each: list) -> range:
    return range(0, max(len(each), 1), CHUNK)  # a material without copies still has its (empty) part


def stamped_copies(m: Meeting, pdfs: list[bytes], stash: Stash) -> list[tuple[str, bytes]]:
    """Each copy as a file of its own, and all of a material's copies in one print file (each copy starting
    on a fresh sheet): there the material's fonts and images are held once, whatever the number of copies.
    A copy whose material and stamp are those of the last build is taken from `stash`, not stamped again."""
    from pypdf import PdfReader, PdfWriter

    files, parts = [], iter(pdfs)
    for mat in _stamped(m):
        data = m.pdfs[mat["file"]]
        source, material = PdfReader(io.BytesIO(data)), hashlib.sha256(data).hexdigest()
        folder = copies_folder(mat)
        bundle = PdfWriter()
        made = copies(m, mat)
        overlays = [(f"{material}\0{hashlib.sha256(part).hexdigest()}\0{i}", page)
                    for part in (next(parts) for _ in _chunks(made))
                    for i, page in enumerate(PdfReader(io.BytesIO(part)).pages)]
        for c, (made_from, stamp) in zip(made, overlays, strict=True):
            own_images(stamp)
            who = (c.holder.name if c.holder else c.unit).replace("/", "／")
            name = f"{folder}/{c.number}{'-' + who if who else ''}.pdf"
            files.append((name, _single(stash, made_from, source, stamp)))
            stamp_onto(bundle, source, stamp)
            if len(bundle.pages) % 2:  # two-sided: the next copy starts on a fresh sheet
                box = bundle.pages[-1].mediabox
                bundle.add_blank_page(width=box.width, height=box.height)
        files.append((f"{folder}{BUNDLE}", pdf_bytes(bundle)))
    return files


def _single(stash: Stash, made_from: str, source: Any, stamp: Any) -> bytes:
    """One copy: the material with its stamp, as stamped before if it was."""
    from pypdf import PdfWriter

    data = stash.get(made_from)  # its version is the code's: stamped by other code, stamped again
    if data is None:
        single = PdfWriter()
        stamp_onto(single, source, stamp)
        data = pdf_bytes(single)
        stash.put(made_from, data)
    return data


def own_images(page: Any) -> None:
    """The stamps of CHUNK copies are rendered as one document, whose pages share one dictionary of all their
    images (a QR code each): keep on this page only the images it draws, else every copy would carry every
    copy's QR code."""
    from pypdf.generic import DictionaryObject, NameObject

    resources = page["/Resources"].get_object()
    images = resources.get("/XObject")
    if images is None:
        return
    drawn = set(re.findall(rb"/([^\s/\[\]()<>{}%]+)\s+Do\b", page.get_contents().get_data()))
    kept = DictionaryObject({NameObject(k): v for k, v in images.get_object().items() if k[1:].encode() in drawn})
    page[NameObject("/Resources")] = DictionaryObject({**resources, NameObject("/XObject"): kept})


def stamp_onto(writer: Any, source: Any, stamp: Any) -> None:
    """The source's pages added to `writer`, the stamp laid over each at the page's top-left corner. The stamp
    becomes one form of the writer that each page draws: the material's own content is neither parsed nor
    rewritten, only wrapped (q … Q) so that it cannot change how the stamp is drawn."""
    from pypdf.generic import ArrayObject, DictionaryObject, NameObject

    drawn = writer._add_object(_form(writer, stamp))
    opened = writer._add_object(_stream(b"q\n"))
    for page in source.pages:
        target = writer.add_page(page)
        resources = DictionaryObject(target["/Resources"].get_object() if "/Resources" in target else {})
        forms = DictionaryObject(resources.get("/XObject", DictionaryObject()).get_object())
        name = next(f"/Huiwu{i}" for i in range(len(forms) + 1) if f"/Huiwu{i}" not in forms)
        forms[NameObject(name)] = drawn
        resources[NameObject("/XObject")] = forms
        box, at = target.mediabox, stamp.mediabox
        dx, dy = float(box.left) - float(at.left), float(box.top) - float(at.top)
        closed = _stream(f"\nQ\nq 1 0 0 1 {dx:.4f} {dy:.4f} cm {name} Do Q\n".encode())
        target[NameObject("/Resources")] = resources
        target[NameObject("/Contents")] = ArrayObject([opened, *_contents(writer, target), writer._add_object(closed)])


def _form(writer: Any, stamp: Any) -> Any:
    """The stamp page as a form XObject of `writer`."""
    from pypdf.generic import NameObject, RectangleObject

    form = _stream(stamp.get_contents().get_data())
    form.update({NameObject("/Type"): NameObject("/XObject"), NameObject("/Subtype"): NameObject("/Form"),
                 NameObject("/BBox"): RectangleObject(stamp.mediabox),
                 NameObject("/Resources"): stamp["/Resources"].get_object().clone(writer)})
    return form


def _contents(writer: Any, page: Any) -> list[Any]:
    """References to the page's content streams, whether it has one, an array of them or none."""
    from pypdf.generic import IndirectObject

    own = page.raw_get("/Contents") if "/Contents" in page else []
    if isinstance(own, IndirectObject) and isinstance(own.get_object(), list):
        own = own.get_object()
    if isinstance(own, list):
        return list(own)
    return [own if isinstance(own, IndirectObject) else writer._add_object(own)]


def _stream(data: bytes) -> Any:
    from pypdf.generic import DecodedStreamObject

    made = DecodedStreamObject()
    made.set_data(data)
    return made
