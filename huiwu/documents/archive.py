"""归档 (archive/): the meeting's 归档文件 in packages by 密级, each with its 归档文件目录 (DA/T 22).

Made once the meeting has its 纪要 (minutes.md) or has ended by the build date. The 归档文件 are the
documents the registry marks `filed` (通知, 方案, 签到表, 到会统计, 纪要, 督办事项清单, 简报, 会后总结) and the
meeting's materials (their PDFs in the meeting folder), each indexed with its own 题名, 日期 and 文号 and its
own 密级: a material's is the stricter of its own and the meeting's. Everything else the build wrote, the
numbered copies once (as the one file of all 份号) and the meeting folder's sources travel under 工作底稿/,
outside the index.

Items at 秘密/机密/绝密 go into a package of their own (<id>-涉密.zip, archive-index-涉密.pdf), never
into the 公开/内部 one (<id>.zip, archive-index.pdf); a package is made only when it has anything.
Each zip holds its index and SHA256SUMS, which `sha256sum -c SHA256SUMS` checks in the unpacked folder.
The same files make the same zip.
"""

from __future__ import annotations

import functools
import hashlib
import io
import zipfile
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import Any, BinaryIO

from .. import pdfa
from ..files import folder_files, read_bytes, read_output
from ..layout.forms import Col, form, table
from ..memo import Memo
from ..problems import Fail
from ..records import Added, Meeting
from ..records.disposed import STEM as DISPOSED
from ..records.materials import BUNDLE, copies_folder, numbered, secrecy, secrecy_of
from ..records.meeting import build_date
from ..records.minutes import FILE as MINUTES_FILE
from ..records.recollected import STEM as RECOLLECTED
from ..records.schema import CLASSIFICATIONS, RETENTION, SECRET_LEVELS, secrecy_mark
from ..records.speeches import output as speech_file
from ..records.written import Written
from ..render import Deferred, Stash, Unread, atomic, bytes_of, kept_key

FOLDER = "archive"
INDEX = "archive-index.pdf"
SUMS = "SHA256SUMS"
WORKING = "工作底稿"
SECRET_TAG = "涉密"
COLUMNS = [Col("件号", 14), Col("责任者", 48, "left"), Col("文号", 34, "left"), Col("题名", 74, "left"),
           Col("日期", 24), Col("页数", 13), Col("密级", 22), Col("备注", 38, "left")]
NUMBERED_RECORDS = (RECOLLECTED, DISPOSED)  # tables keyed by 份号: as secret as the copies they name
ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # fixed: the same files give the same zip


@dataclass(frozen=True)
class Piece:
    """One file of a package: an 归档文件 with its index row, or a working paper (`filed` False)."""

    path: str  # inside the package, under the meeting's folder
    data: bytes
    filed: bool
    level: str  # 密级: one of CLASSIFICATIONS
    term: str = ""  # 保密期限
    title: str = ""  # 题名
    when: date | None = None  # 日期
    number: str = ""  # 文号
    note: str = ""
    author: str = ""  # 责任者, where not the organizer (a leader's speech: the leader)
    source: Path | None = None  # the file `data` was read from

    @property
    def secret(self) -> bool:
        return self.level in SECRET_LEVELS

    @property
    def is_pdf(self) -> bool:
        return self.path.lower().endswith(".pdf")

    @cached_property
    def facts(self) -> list:
        """[pages, archival, title] of a PDF; [None, False, None] of another file (pdf_facts)."""
        if not self.is_pdf:
            return [None, False, None]
        found = _joined.get(id(self.data))
        if found is not None and found[0] is self.data:
            return found[1]
        return pdf_facts(_stat_key(self.source), self.data) if self.source else _pdf_facts(self.data)

    @property
    def pages(self) -> int | None:
        return self.facts[0]

    @property
    def archival(self) -> bool:
        """A PDF with nothing found missing of PDF/A-2b."""
        return self.facts[1]

    @property
    def mark(self) -> str:
        """密级 as the index prints it: `秘密★1年`, or the open level (公开, 内部)."""
        return secrecy_mark(self.level, self.term) or self.level


def ended(m: Meeting) -> bool:
    return (m.end or m.start).date() < build_date()


def skip(m: Meeting) -> str | None:
    if m.minutes is not None or ended(m):
        return None
    return f"会议尚未结束，也没有 {MINUTES_FILE}（会议纪要）：会后再归档"


def dated(m: Meeting) -> bool:
    """Waiting for the day after the meeting: then archived whatever the date."""
    return m.minutes is None and not ended(m)


def own_date(m: Meeting, file: str) -> tuple[date, str]:
    """A filed document's own 日期 and 文号, as it prints them: the notice's 成文日期 and 发文字号, the 纪要's
    date and 期号 (the 督办 list is drawn from it), a 简报's, the 总结's 落款 date; else the meeting's day."""
    mins, summary = m.minutes, m.summary
    if file == "notice.pdf":
        return m.issued_on, m.doc_number or ""
    if file == "plan.pdf":
        return m.issued_on, ""
    if file in ("minutes.pdf", "followups.pdf") and mins is not None and not mins.problems:
        serial = f"第{mins.values['number']}期" if file == "minutes.pdf" else ""  # the 督办 list cites the 纪要
        return mins.values["date"], serial
    if file == "summary.pdf" and summary is not None and not summary.problems:
        return summary.values["date"], ""
    for number, issue in m.briefings:
        if file == f"briefing-{number}.pdf":
            return issue.values["date"], f"第{number}期"
    speech = speech_of(m, file)
    if speech is not None:
        return speech.values["date"], ""
    return m.start.date(), ""


def speech_of(m: Meeting, file: str) -> Written | None:
    """The speech-*.md a filed speech-*.pdf was made from."""
    return next((s for s in m.speeches if file == speech_file(s) and not s.problems), None)


def own_author(m: Meeting, file: str) -> str:
    """责任者: the speaker of a speech; empty for the organizer."""
    speech = speech_of(m, file)
    return "" if speech is None else speech.values["speaker"]


def _pdf_facts(data: bytes) -> list:
    """A PDF's page count, whether it lacks nothing of PDF/A-2b, and the title it carries in its own metadata (the
    title its page prints: the layouts set it); None, False, None for a PDF that cannot be opened (damaged, or
    locked with a password)."""
    import pikepdf

    try:
        pdf = pikepdf.open(io.BytesIO(data))
    except (pikepdf.PdfError, pikepdf.PasswordError):
        return [None, False, None]
    with pdf:
        title = pdf.docinfo.get("/Title") if "/Info" in pdf.trailer else None
        return [len(pdf.pages), not pdfa.gaps(data, pdf), str(title) if title else None]


pdf_facts = Memo(lambda key, data: _pdf_facts(data), list)  # by the file's size, date and inode: a file an edit
# left as it was is not opened again (2,000 attendees: 30 ms of fonts looked through at every edit)


part_facts = Memo(lambda key, part: _pdf_facts(bytes_of(part)), list)  # a rendered part's, by its chunk cache key
_joined: dict[int, tuple[bytes, list]] = {}  # the facts of the files this build joined of parts, by the bytes' identity


def joined(data: bytes, parts: Sequence[bytes | Unread]) -> None:
    """The facts of `data`, joined of `parts` one after the other (no fresh sheets, nothing dropped), worked out from
    the parts' own: their pages; PDF/A when every part is (a join keeps the first part's catalogue, information and
    XMP only when every part claims PDF/A, writes the header and an identifier, and carries each part's fonts as they
    are); the first part's title. Each part's are kept by its chunk cache key: an edit opens the parts it changed,
    not the whole file (a 2,000-person 签到表 and 到会统计: 45 ms at the end of the build). Held until `forget`."""
    facts = [part_facts(key, p) if (key := kept_key(p)) else _pdf_facts(bytes_of(p)) for p in parts]
    if facts and all(f[0] is not None for f in facts):
        _joined[id(data)] = (data, [sum(f[0] for f in facts), all(f[1] for f in facts), facts[0][2]])


def forget() -> None:
    """The files joined by the build that ends let go."""
    _joined.clear()


def _stat_key(path: Path) -> str:
    st = path.stat()
    return f"{path}\0{st.st_size}\0{st.st_mtime_ns}\0{st.st_ino}"


def heading(meeting: str, document: str) -> str:
    """题名 of a document titled after the meeting: 2026年全市经济工作会议 + 会议纪要 → 2026年全市经济工作会议纪要."""
    return meeting + (document[2:] if meeting.endswith("会议") and document.startswith("会议") else document)


def documents(m: Meeting) -> list[Piece]:
    """What the build wrote, in registry order: the filed ones indexed, the others working papers; the
    numbered copies of a material once (all its 份号 in one file), at the material's 密级."""
    assert m.output_dir is not None
    pieces = []
    for out in m.outputs:
        if out.file.count("/") > 1 or out.file.startswith(FOLDER + "/"):
            continue
        path = m.output_dir / out.file
        data = read_output(path)  # once a build: the index's layout and the packages both read it
        if out.file.startswith("materials/"):
            mat = next(x for x in m.materials if copies_folder(x) + BUNDLE == out.file)
            pieces.append(material_piece(m, mat, f"{WORKING}/{out.file}", data, filed=False, source=path))
            continue
        level, term = copies_level(m) if out.numbers else secrecy_of(m, "公开", None)
        if out.filed:
            when, number = own_date(m, out.file)
            piece = Piece(f"文件/{out.file}", data, True, level, term, "", when, number, out.file,
                          own_author(m, out.file), source=path)
            pieces.append(replace(piece, title=piece.facts[2] or heading(m.title, out.title)))
        else:
            pieces.append(Piece(f"{WORKING}/{out.file}", data, False, level, term, source=path))
    return pieces


def copies_level(m: Meeting) -> tuple[str, str]:
    """A register of numbered copies is as secret as the strictest material whose 份号 it shows."""
    levels = [secrecy(m, mat) for mat in m.materials if numbered(mat)]
    return max(levels, default=secrecy_of(m, "公开", None), key=lambda lt: CLASSIFICATIONS.index(lt[0]))


def material_piece(m: Meeting, mat: dict, path: str, data: bytes, filed: bool, source: Path) -> Piece:
    level, term = secrecy(m, mat)
    return Piece(path, data, filed, level, term, mat["title"], m.start.date(), "", Path(mat["file"]).name,
                 source=source)


def sources(m: Meeting) -> list[Piece]:
    """The meeting folder's files: what the office put in 归档/ and a material's PDF are 归档文件 at their
    密级; recollected.csv and disposed.csv (they name 份号) at the copies'; the rest working papers at the
    meeting's."""
    materials = {x["file"]: x for x in m.materials if x.get("file")}
    added = {a.path for a in m.added}
    pieces = [added_piece(m, a) for a in m.added]
    for p in folder_files(m.folder):
        name = p.relative_to(m.folder).as_posix()
        if p in added:
            continue
        mat = materials.get(name)
        if mat is not None:
            pieces.append(material_piece(m, mat, f"文件/{name}", read_bytes(p), filed=True, source=p))
            continue
        level, term = copies_level(m) if p.stem in NUMBERED_RECORDS else secrecy_of(m, "公开", None)
        pieces.append(Piece(f"{WORKING}/源文件/{name}", read_bytes(p), False, level, term, source=p))
    return pieces


def added_piece(m: Meeting, a: Added) -> Piece:
    """A file of 归档/, at the stricter of its own 密级 and the meeting's."""
    level, term = secrecy_of(m, a.level, a.term)
    name = a.path.relative_to(m.folder).as_posix()
    return Piece(f"文件/{name}", read_bytes(a.path), True, level, term, a.title, a.when, a.number, a.path.name,
                 source=a.path)


def packages(m: Meeting) -> list[tuple[str, list[Piece]]]:
    """(package name, its files): the 公开/内部 package and the 涉密 one, each only when it has files."""
    pieces = sorted(documents(m) + sources(m), key=lambda p: not p.filed)  # the indexed 件 first
    split = [(m.id, [p for p in pieces if not p.secret]),
             (f"{m.id}-{SECRET_TAG}", [p for p in pieces if p.secret])]
    return [(name, files) for name, files in split if files]


def index_name(m: Meeting, package: str) -> str:
    return INDEX if package == m.id else INDEX.replace(".pdf", f"-{SECRET_TAG}.pdf")


def rows(m: Meeting, filed: list[Piece]) -> list[list[Any]]:
    return [[reference(m, n), p.author or m.organizer, p.number, p.title, p.when.strftime("%Y%m%d") if p.when else "",
             p.pages or "", p.mark, p.note] for n, p in enumerate(filed, start=1)]


def reference(m: Meeting, n: int) -> str:
    """档号 (全宗号-年度-保管期限-件号) once the office has set its 全宗号 and 保管期限, else the 件号."""
    if m.archive_fonds and m.archive_retention:
        return f"{m.archive_fonds}-{m.start.year}-{RETENTION[m.archive_retention]}-{n:04d}"
    return f"{n:04d}"


def columns(m: Meeting) -> list[Col]:
    if m.archive_fonds and m.archive_retention:
        return [Col("档号", 36), *(replace(c, width=40) if c.name == "责任者" else c for c in COLUMNS[1:7]),
                Col("备注", 28, "left")]
    return COLUMNS


def context(m: Meeting, fail: Fail) -> list[dict[str, Any]]:
    return [index_form(m, package, pieces) for package, pieces in packages(m)]


def index_form(m: Meeting, package: str, pieces: list[Piece]) -> dict[str, Any]:
    filed = [p for p in pieces if p.filed]
    working = len(pieces) - len(filed)
    counted = sum(p.pages or 0 for p in filed)
    lead = [f"共 {len(filed)} 件，{counted} 页；文件包 {package}.zip 附 {SUMS}（SHA-256 校验值）"
            + (f"；另有工作底稿 {working} 个文件（{WORKING}/，不编件号）" if working else "")]
    if any(p.is_pdf for p in filed):  # a package of photos alone says nothing of PDF forms
        lead.append(pdf_forms(m, filed))
    title = f"{m.title}归档文件目录" + ("（涉密部分）" if package != m.id else "")
    return form(title, f"立档单位：{m.organizer}", [table(columns(m), rows(m, filed), sign=False)],
                lead=lead, landscape=True)


def pdf_forms(m: Meeting, filed: list[Piece]) -> str:
    """What form the filed PDFs are in: huiwu writes PDF/A-2b; a file the office supplied may not be."""
    pdfs = [(reference(m, n), p) for n, p in enumerate(filed, start=1) if p.is_pdf]
    other = [ref for ref, p in pdfs if not p.archival]
    every = "均" if len(pdfs) > 1 else ""
    if not other:
        return f"PDF 文件 {len(pdfs)} 件{every}为 PDF/A-2b 格式"
    which = f"{'、'.join(other)}，办公室提供的原件"
    if len(other) == len(pdfs):
        return f"PDF 文件 {len(pdfs)} 件{every}不是 PDF/A 格式（{which}）：移交档案部门前请转为 PDF/A"
    return (f"PDF 文件 {len(pdfs)} 件中 {len(pdfs) - len(other)} 件为 PDF/A-2b 格式；"
            f"其余不是（{which}）：移交档案部门前请转为 PDF/A")


def finish(m: Meeting, pdfs: list[bytes], stash: Stash) -> list[tuple[str, bytes | Deferred]]:
    """Each package's index, and its zip: packed and written behind the build (render.Deferred)."""
    out: list[tuple[str, bytes | Deferred]] = []
    for (package, pieces), index in zip(packages(m), pdfs, strict=True):
        name = index_name(m, package)
        files = [(p.path, p.data) for p in pieces] + [(name, index)]
        zipped = Deferred(functools.partial(write_package, package, files))
        out += [(f"{FOLDER}/{name}", index), (f"{FOLDER}/{package}.zip", zipped)]
    return out


def write_package(top: str, files: list[tuple[str, bytes]], path: Path) -> None:
    """The package's zip written to `path` as it is packed (not held whole first), its files hashed for
    SHA256SUMS in threads meanwhile (hashing, like writing, lets other threads run)."""
    with ThreadPoolExecutor(max_workers=2) as hashing, atomic(path) as out:
        digests = [hashing.submit(_hexdigest, data) for _, data in files]
        pack(out, top, files, functools.partial(_sums, [name for name, _ in files], digests))


def _hexdigest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _sums(paths: list[str], digests: list[Future[str]]) -> bytes:
    """SHA256SUMS, as `sha256sum` writes it (and `sha256sum -c` reads it)."""
    return "".join(f"{digest.result()}  {path}\n" for path, digest in zip(paths, digests, strict=True)).encode()


def pack(out: BinaryIO, top: str, files: list[tuple[str, bytes]], sums: Callable[[], bytes]) -> None:
    """The package as a zip written to `out`, SHA256SUMS last: PDFs stored as they are (their streams are
    compressed already: deflating them again saves 7 % and takes most of the time), the other files deflated."""
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in [*files, (SUMS, None)]:
            info = zipfile.ZipInfo(f"{top}/{name}", ZIP_TIME)
            info.compress_type = zipfile.ZIP_STORED if name.endswith(".pdf") else zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            z.writestr(info, sums() if data is None else data)
