"""The copies of each material (materials: in meeting.md): who gets which, with a 6-digit 份号 for
classified material and material to be recollected, so that nothing goes missing ("不漏一份、不少一人").
The 材料分发登记表, the numbered copies and the 材料回收登记表 all list these same copies."""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from pathlib import Path

from ..files import read_bytes
from ..memo import Memo
from ..problems import Fail
from ..strokes import pad_name
from .meeting import Attendee, Listed
from .schema import CLASSIFICATIONS, PER_PERSON, PER_UNIT, SECRET_LEVELS
from .schema import secrecy_mark as schema_mark


@dataclass(frozen=True)
class Copy:
    number: str  # 6-digit 份号, or "" for material that is not numbered
    unit: str
    holder: Attendee | None  # None: handed to the unit, or to whoever signs for it

    @property
    def label(self) -> str:
        """`王芳（青阳区人民政府）`; a stand-in's `李明（代黄永强）`; the unit for a copy handed to the unit."""
        if self.holder is None:
            return self.unit
        return self.holder.listed_name if self.holder.stands_in else f"{self.holder.name}（{self.unit}）"

    @property
    def holder_name(self) -> str:
        """The 应领人 as the forms print it: `王　芳`, `李明（代黄永强）`; empty for a unit's copy."""
        if self.holder is None:
            return ""
        return self.holder.listed_name if self.holder.stands_in else pad_name(self.holder.name)


def numbered(mat: dict) -> bool:
    return mat["classification"] in SECRET_LEVELS or mat["recollect"]


def secrecy_of(m: Listed, level: str, term: str | None) -> tuple[str, str]:
    """An item's 密级 — the stricter of its own and the meeting's — and, when classified, its 保密期限 (its own,
    else the meeting's). An item with no level of its own (公开, no term) gets the meeting's."""
    level = max(level, m.classification, key=CLASSIFICATIONS.index)
    return level, (term or m.secrecy_term or "") if level in SECRET_LEVELS else ""


def secrecy(m: Listed, mat: dict) -> tuple[str, str]:
    """A material's 密级 and 保密期限 (`secrecy_of`)."""
    return secrecy_of(m, mat["classification"], mat["secrecy_term"])


def secrecy_mark(m: Listed, mat: dict) -> str:
    """`秘密★1年` on each page of a numbered copy; empty for material that is not classified."""
    return schema_mark(*secrecy(m, mat))


def marking(mat: dict) -> str:
    return f"（{mat['classification']}）" if mat["classification"] != "公开" else ""


def copies(m: Listed, mat: dict) -> list[Copy]:
    """Who gets a copy, in protocol order; staff get none unless named in `to` (domain.md §5.6). Worked out once
    for the same material and people (the documents ask ~40 times a build: 2,000 copies each time)."""
    people = m.attending if mat["copies"] == PER_PERSON else m.attendees
    asked = (id(mat), str(mat["copies"]), tuple(mat["to"] or ()), numbered(mat), *map(id, people))
    known = m._copies.get(asked)
    if known is None:  # kept with the material and people it was asked for: their ids stay theirs
        known = m._copies[asked] = (mat, people, _copies(m, mat, people))
    return list(known[2])


def _copies(m: Listed, mat: dict, people: list[Attendee]) -> list[Copy]:
    roles = mat["to"] or [r for r in ("主席台", "出席", "列席", "特邀", "媒体")]
    handed: list[tuple[str, Attendee | None]]
    if mat["copies"] == PER_PERSON:  # a stand-in gets the principal's copy, in the principal's place
        handed = [(a.delegation, a) for a in people if a.role in roles]
    elif mat["copies"] == PER_UNIT:  # every unit, whether its people come or are on leave
        listed = m.ordered([a for a in people if a.role in roles])
        handed = [(unit, None) for unit in dict.fromkeys(a.unit for a in listed)]
    else:
        handed = [("", None)] * mat["copies"]
    return [Copy(f"{i:06d}" if numbered(mat) else "", unit, holder) for i, (unit, holder) in enumerate(handed, start=1)]


def to_recollect(m: Listed) -> list[tuple[dict, list[Copy]]]:
    """Materials marked 会后收回 that someone receives, each with its numbered copies."""
    return [(mat, each) for mat in m.materials if mat["recollect"] and (each := copies(m, mat))]


BUNDLE = "-全部份号.pdf"  # a material's copies bound in one file, to print in one go


def copies_folder(mat: dict) -> str:
    """Where a material's numbered copies go under output/<meeting>/: materials/<its file's name>."""
    return f"materials/{Path(mat['file'] or '').stem}"


def with_files(m: Listed) -> list[tuple[int, dict]]:
    """Numbered materials whose PDF is in the meeting folder and that someone receives."""
    return [(i, mat) for i, mat in enumerate(m.materials) if numbered(mat) and mat["file"] and copies(m, mat)]


def outside(m: Listed, name: str) -> bool:
    """A `file` that is not a file of the meeting folder: an absolute path, ../, or a link leading out."""
    path = m.folder / name
    try:
        return Path(name).is_absolute() or ".." in Path(name).parts or not path.resolve().is_relative_to(
            m.folder.resolve())
    except (OSError, RuntimeError):  # a loop of links
        return True


def check_files(m: Listed, fail: Fail) -> None:
    """Every material's `file` names a file inside the meeting folder."""
    for i, mat in enumerate(m.materials):
        if mat["file"] and outside(m, mat["file"]):
            fail(m.source.line("materials", i, "file"),
                 f"materials：材料文件“{mat['file']}”不在会议文件夹 {m.folder.name}/ 中：请把文件复制到会议文件夹里，"
                 "file 写文件夹内的路径（如 材料/讲话稿.pdf）")


def source_pdf(m: Listed, i: int, mat: dict, fail: Fail) -> bytes | None:
    """A numbered material's PDF, checked to be readable and to have pages."""
    path, line = m.folder / mat["file"], m.source.line("materials", i, "file")
    if not path.is_file():
        fail(line, f"materials：找不到材料文件“{mat['file']}”，请放在会议文件夹 {m.folder.name}/ 中")
        return None
    data = read_bytes(path)
    try:
        if facts_of(data)[0]:
            return data
        fail(line, f"materials：材料文件“{mat['file']}”没有页面")
    except Exception as exc:  # a damaged file: qpdf's errors, or worse
        fail(line, f"materials：材料文件“{mat['file']}”不是可读的 PDF（{type(exc).__name__}）")
    return None


def pages_of(data: bytes) -> int:
    import pikepdf

    with pikepdf.open(io.BytesIO(data)) as pdf:
        return len(pdf.pages)


def first_page_size(data: bytes) -> tuple[float, float]:
    """The width and height in points of a material's first page (its media box)."""
    _, width, height = facts_of(data)
    return width, height


def facts_of(data: bytes) -> list:
    """[pages, width, height of the first page] of a material's PDF: read once a content and kept between builds
    (pipeline.remembering) — pikepdf, 30–40 ms to load, is then not loaded while the sources are read and the
    documents laid out, before the first of them goes to the workers. A kept entry of another shape is read again."""
    key = hashlib.sha256(data).hexdigest()
    found = known(key, data)
    if len(found) != 3 or not all(isinstance(x, int | float) and not isinstance(x, bool) for x in found):
        found = _facts(data)
        known.set(key, found)
    return found


def _facts(data: bytes) -> list:
    import pikepdf

    with pikepdf.open(io.BytesIO(data)) as pdf:
        if not pdf.pages:
            return [0, 0.0, 0.0]
        box = pdf.pages[0].mediabox
        return [len(pdf.pages), float(box[2]) - float(box[0]), float(box[3]) - float(box[1])]


known = Memo(lambda key, data: _facts(data), list)


def page_counts(m: Listed, pdfs: dict[str, bytes], fail: Fail) -> dict[int, int]:
    """Each material's page count, by its index in `materials`: read from its PDF (`pdfs`, else the file),
    else as declared in `pages`; a declared count that differs from the file's is a problem."""
    counts: dict[int, int] = {}
    tried = {mat["file"] for _, mat in with_files(m)}  # read_files said what is wrong with those
    for i, mat in enumerate(m.materials):
        data = pdfs.get(mat["file"])
        if data is None and mat["file"] and mat["file"] not in tried and not outside(m, mat["file"]):
            data = source_pdf(m, i, mat, fail)
        found = facts_of(data)[0] if data else None
        if found and mat["pages"] and found != mat["pages"]:
            fail(m.source.line("materials", i, "pages"),
                 f"materials：“{mat['title']}”写明 {mat['pages']} 页，材料文件“{mat['file']}”有 {found} 页")
        if found or mat["pages"]:
            counts[i] = found or mat["pages"]
    return counts


def read_files(m: Listed, fail: Fail) -> dict[str, bytes]:
    """The PDFs of the numbered materials someone receives, by `file`: read and checked once."""
    found = {}
    for i, mat in with_files(m):
        if outside(m, mat["file"]):
            continue  # check_files said why
        data = source_pdf(m, i, mat, fail)
        if data is not None:
            found[mat["file"]] = data
    return found
