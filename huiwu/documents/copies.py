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
from ..records.materials import BUNDLE, copies, copies_folder, secrecy_mark, with_files
from ..render import join, pdf_bytes

MM = 72 / 25.4


def skip(m: Meeting) -> str | None:
    return None if with_files(m) else "没有附 PDF 文件（file）的涉密或需收回材料"


def payload(m: Meeting, material: str, number: str) -> str:
    """What a copy's QR code says, for scanning at collection: meeting, material (its file's name) and 份号."""
    return f"huiwu-copy:{m.id}:{material}:{number}"


def stamps(m: Meeting, fail: Fail) -> list[dict[str, Any]]:
    """One stamp page per copy, the size of the material's first page."""
    from pypdf import PdfReader

    docs = []
    for _, mat in with_files(m):
        data = m.pdfs.get(mat["file"])
        if data is None:  # unreadable: records said why
            continue
        box = PdfReader(io.BytesIO(data)).pages[0].mediabox
        source = hashlib.sha256(data).hexdigest()  # the copies depend on it
        stem = Path(mat["file"]).stem
        docs.append({"title": mat["title"], "source": source, "width": round(float(box.width) / MM, 2),
                     "height": round(float(box.height) / MM, 2), "mark": secrecy_mark(m, mat),
                     "recollect": mat["recollect"],
                     "stamps": [{"number": c.number, "holder": c.label, "qr": qr_image(payload(m, stem, c.number))}
                                for c in copies(m, mat)]})
    return docs


def stamped_copies(m: Meeting, pdfs: list[bytes]) -> list[tuple[str, bytes]]:
    from pypdf import PdfReader

    files = []
    for (_, mat), overlay in zip(with_files(m), pdfs, strict=True):
        source = PdfReader(io.BytesIO(m.pdfs[mat["file"]]))
        folder = copies_folder(mat)
        each = []
        for c, stamp in zip(copies(m, mat), PdfReader(io.BytesIO(overlay)).pages, strict=True):
            who = (c.holder.name if c.holder else c.unit).replace("/", "／")
            each.append((f"{folder}/{c.number}{'-' + who if who else ''}.pdf", stamp_pages(source, stamp)))
        files += [*each, (f"{folder}{BUNDLE}", join([data for _, data in each], shared_fonts=True))]
    return files


def own_images(page: Any) -> None:
    """The stamps of all copies are rendered as one document, whose pages share one dictionary of all their
    images (a QR code each): keep on this page only the images it draws, else every copy would carry every
    copy's QR code (and merging them would take minutes)."""
    from pypdf.generic import DictionaryObject, NameObject

    resources = page["/Resources"].get_object()
    images = resources.get("/XObject")
    if images is None:
        return
    drawn = set(re.findall(rb"/([^\s/\[\]()<>{}%]+)\s+Do\b", page.get_contents().get_data()))
    kept = DictionaryObject({NameObject(k): v for k, v in images.get_object().items() if k[1:].encode() in drawn})
    page[NameObject("/Resources")] = DictionaryObject({**resources, NameObject("/XObject"): kept})


def stamp_pages(source: Any, stamp: Any) -> bytes:
    """The source with the stamp laid over every page, aligned at each page's top-left corner."""
    from pypdf import PdfWriter, Transformation

    own_images(stamp)
    writer = PdfWriter()
    for page in source.pages:
        target = writer.add_page(page)
        dy = float(target.mediabox.top) - float(stamp.mediabox.top)
        target.merge_transformed_page(stamp, Transformation().translate(float(target.mediabox.left), dy))
    return pdf_bytes(writer)
