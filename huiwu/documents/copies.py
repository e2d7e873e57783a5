"""涉密材料编号件 (materials/<file>/<份号>-<holder>.pdf): each numbered copy of a classified or recollected
material whose PDF sits in the meeting folder, marked on every page as a 公文 is (domain.md §5.6): the
份号, the 密级★保密期限 under it, 会后收回 where the material is recollected, the holder in small type and a
QR code of the 份号 for scanning at collection; and all copies of one material as one print file in 份号
order (<file>-全部份号.pdf)."""

from __future__ import annotations

import functools
import hashlib
import io
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from ..joining import join
from ..layout.qr import qr_image
from ..problems import Fail
from ..records import Meeting
from ..records.materials import BUNDLE, copies, copies_folder, first_page_size, secrecy_mark, with_files
from ..render import Stash, Stashed, saved

MM = 72 / 25.4


def skip(m: Meeting) -> str | None:
    return None if with_files(m) else "没有附 PDF 文件（file）的涉密或需收回材料"


def payload(m: Meeting, material: str, number: str) -> str:
    """What a copy's QR code says, for scanning at collection: meeting, material (its file's name) and 份号."""
    return f"huiwu-copy:{m.id}:{material}:{number}"


CHUNK = 10  # stamps rendered (and cached) together: a changed holder renders the 10 copies around theirs again
# (20 stamps took a worker 0.2 s: with a seat band of 25, a new name at 500 people 1.93 → 1.79 s; a first build
# renders 18 parts more)


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


def stamped_copies(m: Meeting, pdfs: list[bytes], stash: Stash) -> list[tuple[str, bytes | Stashed]]:
    """Each copy as a file of its own, and all of a material's copies in one print file (each copy starting
    on a fresh sheet), joined from a piece for each stamp part: the material's fonts and images are held once
    there, whatever the number of copies. What was stamped before from the same material and stamp part (a copy,
    a piece) is taken from `stash`, not stamped again."""
    files: list[tuple[str, bytes | Stashed]] = []
    parts = iter(pdfs)
    for mat in _stamped(m):
        data = m.pdfs[mat["file"]]
        material, folder, made = hashlib.sha256(data).hexdigest(), copies_folder(mat), copies(m, mat)
        source = functools.cache(functools.partial(_reader, data))
        pieces = []
        for start in _chunks(made):
            chunk = made[start:start + CHUNK]
            part = _Stamps(material, next(parts), source, len(chunk), stash)
            for i, c in enumerate(chunk):
                who = (c.holder.name if c.holder else c.unit).replace("/", "／")
                files.append((f"{folder}/{c.number}{'-' + who if who else ''}.pdf", part.copy(i)))
            pieces.append(part.piece())
        bundle = f"{folder}{BUNDLE}"
        before = m.output_dir / bundle if m.output_dir and stash.reads else None  # joined from it (joining.join)
        files.append((bundle, join(pieces, duplex=True, before=before)))
    return files


class _Stamps:
    """One stamp part (CHUNK copies' stamps) laid over the material: each copy, and the piece of the print file
    that holds them all. The part is read only when one of them is not in the stash."""

    def __init__(self, material: str, part: bytes, source: Callable[[], Any], count: int, stash: Stash):
        self.made_from = f"{material}\0{hashlib.sha256(part).hexdigest()}"
        self.part, self.source, self.count, self.stash = part, source, count, stash

    @functools.cached_property
    def rendered(self) -> Any:
        return _reader(self.part)

    @functools.cached_property
    def pages(self) -> list[Any]:
        pages = list(self.rendered.pages)
        if len(pages) != self.count:
            raise ValueError(f"{len(pages)} stamps rendered for {self.count} copies")
        for page in pages:
            own_images(page)
        return pages

    def copy(self, i: int) -> Stashed:
        return self._made(f"{i}", [i], sheets=False)

    def piece(self) -> bytes:
        return self._made("all", range(self.count), sheets=True).read()

    def _made(self, which: str, chosen: Sequence[int], sheets: bool) -> Stashed:
        """The material under each of the `chosen` stamps, one after the other; with `sheets`, each starting on a
        fresh sheet (printed two-sided). As made before, if it was."""
        key = f"{self.made_from}\0{which}"
        stamped = functools.partial(self._stamped, chosen, sheets)
        kept = self.stash.kept(key, lambda: stamped()[0])  # its version is the code's: other code, stamped again
        return kept if kept is not None else self.stash.put(key, *stamped())

    def _stamped(self, chosen: Sequence[int], sheets: bool) -> tuple[bytes, int]:
        import pikepdf

        out = pikepdf.new()
        stamping = _Stamping(out, self.source())
        for i in chosen:
            stamping.stamp(self.rendered, self.pages[i])
            if sheets and len(out.pages) % 2:
                box = out.pages[-1].mediabox
                out.add_blank_page(page_size=(float(box[2]) - float(box[0]), float(box[3]) - float(box[1])))
        return saved(out), len(out.pages)


def _reader(data: bytes) -> Any:
    import pikepdf

    return pikepdf.open(io.BytesIO(data))


def own_images(page: Any) -> None:
    """The stamps of CHUNK copies are rendered as one document, whose pages share one dictionary of all their
    images (a QR code each): keep on this page only the images it draws, else every copy would carry every
    copy's QR code."""
    import pikepdf

    resources = page.obj.get("/Resources")
    images = None if resources is None else resources.get("/XObject")
    if images is None:
        return
    drawn = set(re.findall(rb"/([^\s/\[\]()<>{}%]+)\s+Do\b", _content(page)))
    kept = pikepdf.Dictionary({k: v for k, v in images.items() if k[1:].encode() in drawn})
    page.obj.Resources = pikepdf.Dictionary({**dict(resources.items()), "/XObject": kept})


class _Stamping:
    """The material's pages added to `out` once for each stamp laid over them. Each stamp becomes one form of
    `out` that the pages draw at their top-left corner: the material's own content is neither parsed nor
    rewritten (its streams, fonts and images are held once in `out`, however many copies it holds), only wrapped
    (q … Q) so that it cannot change how the stamp is drawn."""

    def __init__(self, out: Any, source: Any):
        self.out, self.source = out, source
        self.own: dict[int, tuple[dict, list]] = {}  # each material page's resources and content, as copied

    def stamp(self, rendered: Any, stamp: Any) -> None:
        """The material once more, `stamp` (a page of `rendered`) over each page."""
        import pikepdf

        out = self.out
        drawn = out.copy_foreign(_form(rendered, stamp))
        opened = out.make_indirect(pikepdf.Stream(out, b"q\n"))
        for n, page in enumerate(self.source.pages):
            out.pages.append(page)  # a page added again is a copy of the one added before, this code's changes too
            target = out.pages[-1]
            if n not in self.own:  # the first time: as the material has them
                self.own[n] = _own(target)
            resources, contents = self.own[n]
            forms = pikepdf.Dictionary(dict(resources["/XObject"].items()) if "/XObject" in resources else {})
            name = next(f"/Huiwu{i}" for i in range(len(forms) + 1) if f"/Huiwu{i}" not in forms)
            forms[name] = drawn
            target.obj.Resources = pikepdf.Dictionary({**resources, "/XObject": forms})
            box, at = target.mediabox, stamp.mediabox
            dx, dy = float(box[0]) - float(at[0]), float(box[3]) - float(at[3])
            closed = pikepdf.Stream(out, f"\nQ\nq 1 0 0 1 {dx:.4f} {dy:.4f} cm {name} Do Q\n".encode())
            target.obj.Contents = pikepdf.Array([opened, *contents, out.make_indirect(closed)])


def _own(page: Any) -> tuple[dict, list]:
    """A page's resources (by name) and content streams."""
    return dict(page.obj.Resources.items()) if "/Resources" in page.obj else {}, _streams(page)


def _form(pdf: Any, stamp: Any) -> Any:
    """The stamp page as a form XObject of its own document `pdf` (copied from there into the copy's)."""
    import pikepdf

    form = pikepdf.Stream(pdf, _content(stamp))
    form.Type, form.Subtype = pikepdf.Name.XObject, pikepdf.Name.Form
    form.BBox, form.Resources = stamp.mediabox, stamp.obj.Resources
    return pdf.make_indirect(form)


def _content(page: Any) -> bytes:
    return b"".join(stream.read_bytes() for stream in _streams(page))


def _streams(page: Any) -> list[Any]:
    """A page's content streams, whether it has one, an array of them or none."""
    import pikepdf

    own = page.obj.get("/Contents")
    return list(own) if isinstance(own, pikepdf.Array) else [] if own is None else [own]
