"""材料分发登记表 (materials-register.pdf) and the numbered copies of classified material.
The 材料回收登记表 (recollection.pdf) lists the same copies: both come from `copies`.

Every copy of a material marked 秘密 or above, or marked for recollection, gets a
6-digit 份号 and a named holder, so that nothing goes missing: "不漏一份、不少一人".
When such a material's PDF sits in the meeting folder, each copy is written to
materials/<file name>/<份号>-<holder>.pdf with the 份号 and holder on every page.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import strokes
from .forms import Col, form, table, time_place
from .model import Attendee, Meeting
from .problems import Fail
from .render import join, pdf_bytes
from .schema import PER_PERSON, PER_UNIT, SECRET_LEVELS

MM = 72 / 25.4


@dataclass(frozen=True)
class Copy:
    number: str  # 6-digit 份号, or "" for material that is not numbered
    unit: str
    holder: Attendee | None  # None: handed to the unit, or to whoever signs for it

    @property
    def label(self) -> str:
        return f"{self.holder.name}（{self.unit}）" if self.holder else self.unit


def numbered(mat: dict) -> bool:
    return mat["classification"] in SECRET_LEVELS or mat["recollect"]


def marking(mat: dict) -> str:
    return f"（{mat['classification']}）" if mat["classification"] != "公开" else ""


def copies(m: Meeting, mat: dict) -> list[Copy]:
    """Who gets a copy, in protocol order; staff get none unless named in `to`."""
    roles = mat["to"] or [r for r in ("主席台", "出席", "列席", "特邀", "媒体")]
    people = [a for a in m.present if a.role in roles]
    handed: list[tuple[str, Attendee | None]]
    if mat["copies"] == PER_PERSON:
        handed = [(a.unit, a) for a in people]
    elif mat["copies"] == PER_UNIT:
        handed = [(unit, None) for unit in dict.fromkeys(a.unit for a in people)]
    else:
        handed = [("", None)] * mat["copies"]
    return [Copy(f"{i:06d}" if numbered(mat) else "", unit, holder) for i, (unit, holder) in enumerate(handed, start=1)]


def issue_table(m: Meeting, n: int, mat: dict) -> dict:
    cols = [Col("序号", 13), *([Col("份号", 22)] if numbered(mat) else []), Col("领取单位", 80, "left"),
            Col("应领人", 30), Col("领取人签字", 40), Col("领取时间", 40), Col("备注", 30)]
    rows = [[i, *([c.number] if c.number else []), c.unit, strokes.pad_name(c.holder.name) if c.holder else "",
             "", "", ""] for i, c in enumerate(copies(m, mat), start=1)]
    return table(cols, rows, heading=f"{n}. {mat['title']}{marking(mat)}　共 {len(rows)} 份")


def context(m: Meeting, fail: Fail) -> list[dict[str, Any]]:
    """The issue part only: the 回收登记表 is its own document (recollection.py), from the same copies()."""
    issue = [issue_table(m, n, mat) for n, mat in enumerate(m.materials, start=1)]
    return [form(f"{m.title}材料分发登记表", time_place(m), issue, lead=[summary(m)], landscape=True)]


def to_recollect(m: Meeting) -> list[tuple[dict, list[Copy]]]:
    """Materials marked 会后收回 that someone receives, each with its numbered copies."""
    return [(mat, each) for mat in m.materials if mat["recollect"] and (each := copies(m, mat))]


def summary(m: Meeting) -> str:
    total = sum(len(copies(m, mat)) for mat in m.materials)
    secret = sum(len(copies(m, mat)) for mat in m.materials if mat["classification"] in SECRET_LEVELS)
    return f"材料 {len(m.materials)} 种　共 {total} 份" + (f"（其中涉密 {secret} 份，逐份编号）" if secret else "")


def skip(m: Meeting) -> str | None:
    if not m.materials:
        return "没有 materials（会议材料）"
    if not any(copies(m, mat) for mat in m.materials):
        return "materials 中的材料没有领取人（名单中没有对应类别的参会人员）"
    return None


# -- numbered copies: the material's own PDF with 份号 and holder stamped on every page --

def with_files(m: Meeting) -> list[tuple[int, dict]]:
    """Numbered materials whose PDF is in the meeting folder and that someone receives."""
    return [(i, mat) for i, mat in enumerate(m.materials) if numbered(mat) and mat["file"] and copies(m, mat)]


def skip_copies(m: Meeting) -> str | None:
    return None if with_files(m) else "没有附 PDF 文件（file）的涉密或需收回材料"


def source_pdf(m: Meeting, i: int, mat: dict, fail: Fail) -> Any:
    from pypdf import PdfReader

    path, line = m.folder / mat["file"], m.source.line("materials", i, "file")
    if not path.is_file():
        return fail(line, f"materials：找不到材料文件“{mat['file']}”，请放在会议文件夹 {m.folder.name}/ 中")
    try:
        reader = PdfReader(path)
        return reader if reader.pages else fail(line, f"materials：材料文件“{mat['file']}”没有页面")
    except Exception as exc:  # pypdf raises many kinds on a damaged file
        return fail(line, f"materials：材料文件“{mat['file']}”不是可读的 PDF（{type(exc).__name__}）")


def stamps(m: Meeting, fail: Fail) -> list[dict[str, Any]]:
    """One stamp page per copy, the size of the material's first page."""
    docs = []
    for i, mat in with_files(m):
        reader = source_pdf(m, i, mat, fail)
        if reader is None:
            continue
        box = reader.pages[0].mediabox
        source = hashlib.sha256((m.folder / mat["file"]).read_bytes()).hexdigest()  # the copies depend on it
        docs.append({"title": mat["title"], "source": source, "width": round(float(box.width) / MM, 2),
                     "height": round(float(box.height) / MM, 2), "secrecy": mat["classification"],
                     "stamps": [{"number": c.number, "holder": c.label} for c in copies(m, mat)]})
    return docs


def stamped_copies(m: Meeting, pdfs: list[bytes]) -> list[tuple[str, bytes]]:
    from pypdf import PdfReader

    files = []
    for (_, mat), overlay in zip(with_files(m), pdfs, strict=True):
        source = PdfReader(m.folder / mat["file"])
        folder = f"materials/{Path(mat['file']).stem}"
        each = []
        for c, stamp in zip(copies(m, mat), PdfReader(io.BytesIO(overlay)).pages, strict=True):
            who = (c.holder.name if c.holder else c.unit).replace("/", "／")
            each.append((f"{folder}/{c.number}{'-' + who if who else ''}.pdf", stamp_pages(source, stamp)))
        files += [*each, (f"{folder}-全部份号.pdf", join([data for _, data in each], shared_fonts=True))]
    return files


def stamp_pages(source: Any, stamp: Any) -> bytes:
    """The source with the stamp laid over every page, aligned at each page's top-left corner."""
    from pypdf import PdfWriter, Transformation

    writer = PdfWriter()
    for page in source.pages:
        target = writer.add_page(page)
        dy = float(target.mediabox.top) - float(stamp.mediabox.top)
        target.merge_transformed_page(stamp, Transformation().translate(float(target.mediabox.left), dy))
    return pdf_bytes(writer)
