"""归档 (archive/): the meeting's documents and sources in one zip, with its 归档文件目录.

Made once the meeting has its 纪要 (minutes.md) or has ended by the build date. The zip holds
every document written for the meeting (the numbered copies of classified material once, as the
one file of all 份号), the sources from content/<meeting>/, archive-index.pdf and SHA256SUMS,
which `sha256sum -c SHA256SUMS` checks in the unpacked folder; archive/ holds the zip and the index.
The same files make the same zip.

The 归档文件目录 follows DA/T 22: 件号 (0001 on), 责任者, 题名, 日期 (8 digits), 页数, 密级, 备注;
one 件 per document file, then the sources.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from dataclasses import dataclass
from datetime import date
from typing import Any

from pypdf import PdfReader

from ..files import folder_files, read_bytes
from ..layout.forms import Col, form, table
from ..problems import Fail
from ..records import Meeting
from ..records.meeting import build_date
from ..records.minutes import FILE as MINUTES_FILE

FOLDER = "archive"
INDEX = f"{FOLDER}/archive-index.pdf"
SUMS = "SHA256SUMS"
COLUMNS = [Col("件号", 16), Col("责任者", 44, "left"), Col("题名", 84, "left"), Col("日期", 26),
           Col("页数", 14), Col("密级", 16), Col("备注", 67, "left")]
ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # fixed: the same files give the same zip


@dataclass(frozen=True)
class Piece:
    """One 件: a file in the zip, with its index row."""

    path: str  # inside the zip, under the meeting's folder
    data: bytes
    title: str
    when: date
    note: str


def ended(m: Meeting) -> bool:
    return (m.end or m.start).date() < build_date()


def skip(m: Meeting) -> str | None:
    if m.minutes is not None or ended(m):
        return None
    return f"会议尚未结束，也没有 {MINUTES_FILE}（会议纪要）：会后再归档"


def dated(m: Meeting) -> bool:
    """Waiting for the day after the meeting: then archived whatever the date."""
    return m.minutes is None and not ended(m)


def published_on(m: Meeting, file: str) -> date:
    mins = m.minutes
    if file == "minutes.pdf" and mins is not None and not mins.problems:
        return mins.values["date"]
    return m.issued_on if file == "notice.pdf" else m.start.date()


def documents(m: Meeting) -> list[Piece]:
    """What the build wrote, in registry order; one copy of each classified material's 份号 set."""
    assert m.output_dir is not None
    return [Piece(f"文件/{file}", (m.output_dir / file).read_bytes(), heading(m.title, title),
                  published_on(m, file), file)
            for title, file in m.outputs if file.count("/") < 2 and not file.startswith(FOLDER + "/")]


def heading(meeting: str, document: str) -> str:
    """题名: 2026年全市经济工作会议 + 会议纪要 → 2026年全市经济工作会议纪要."""
    return meeting + (document[2:] if meeting.endswith("会议") and document.startswith("会议") else document)


def sources(m: Meeting) -> list[Piece]:
    return [Piece(f"源文件/{p.relative_to(m.folder).as_posix()}", read_bytes(p), f"源文件 {p.name}",
                  m.issued_on, "源文件") for p in folder_files(m.folder)]


def pages(piece: Piece) -> int | None:
    if not piece.path.lower().endswith(".pdf"):
        return None
    return len(PdfReader(io.BytesIO(piece.data)).pages)


def rows(m: Meeting, pieces: list[Piece]) -> list[list[Any]]:
    return [[f"{n:04d}", m.organizer, p.title, p.when.strftime("%Y%m%d"), pages(p) or "", m.classification,
             p.note] for n, p in enumerate(pieces, start=1)]


def context(m: Meeting, fail: Fail) -> list[dict[str, Any]]:
    pieces = documents(m) + sources(m)
    counted = sum(pages(p) or 0 for p in pieces)
    lead = [f"共 {len(pieces)} 件，{counted} 页；文件包 {m.id}.zip 附 {SUMS}（SHA-256 校验值）"]
    return [form(f"{m.title}归档文件目录", f"立档单位：{m.organizer}", [table(COLUMNS, rows(m, pieces), sign=False)],
                 lead=lead, landscape=True)]


def finish(m: Meeting, pdfs: list[bytes]) -> list[tuple[str, bytes]]:
    index = pdfs[0]
    files = [(p.path, p.data) for p in documents(m) + sources(m)] + [("archive-index.pdf", index)]
    sums = "".join(f"{hashlib.sha256(data).hexdigest()}  {name}\n" for name, data in files).encode()
    return [(INDEX, index), (f"{FOLDER}/{m.id}.zip", pack(m.id, files + [(SUMS, sums)]))]


def pack(top: str, files: list[tuple[str, bytes]]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in files:
            info = zipfile.ZipInfo(f"{top}/{name}", ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            z.writestr(info, data)
    return out.getvalue()
