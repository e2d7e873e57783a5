"""PDF/A-2b (ISO 19005-2, level B): the form every PDF huiwu renders takes, so that the copy the office
prints is the copy it files; and what of it can be checked here.

WeasyPrint writes it (`VARIANT`): an XMP packet naming the part and level, the sRGB OutputIntent, every
font embedded, a file identifier. A file made of parts (joined, imposed) keeps the first part's
document information and, when every part has it, their PDF/A identity (`claims`). `gaps` says what a
file lacks of the requirements that can be read off it without a validator; it is not a conformance test (no
validator such as veraPDF runs here).
"""

from __future__ import annotations

import io
import re
from typing import Any

VARIANT = "pdf/a-2b"
PART, LEVEL = "2", "B"
HEADER = re.compile(rb"%PDF-1\.[0-7]\r?\n%[\x80-\xff]{4}")  # ISO 19005-2 §6.1.2: a version, then binary bytes
FONT_FILES = ("/FontFile", "/FontFile2", "/FontFile3")
# The document information entries and the XMP properties they must equal (ISO 19005-2 §6.6.3)
INFO_XMP = {"/Title": "dc:title", "/Author": "dc:creator", "/Producer": "pdf:Producer", "/Creator": "xmp:CreatorTool"}


def claims(root: Any) -> bool:
    """Whether a file's catalogue says it is PDF/A-2b: pdfaid in its XMP and an OutputIntent."""
    if "/OutputIntents" not in root or "/Metadata" not in root:
        return False
    return identification(root.Metadata.read_bytes().decode("utf-8", "replace")) == (PART, LEVEL)


def gaps(data: bytes, pdf: Any = None) -> list[str]:
    """What the file lacks of PDF/A-2b, among what can be read off it; [] when nothing was found.
    `pdf`: the file already opened with pikepdf."""
    import pikepdf

    found = [] if HEADER.match(data) else ["文件头不是 %PDF-1.0 至 1.7 加二进制注释行"]
    try:
        pdf = pdf if pdf is not None else pikepdf.open(io.BytesIO(data))
    except pikepdf.PasswordError:
        return [*found, "已加密"]
    if pdf.is_encrypted:
        return [*found, "已加密"]
    packet = xmp(pdf)
    if identification(packet) != (PART, LEVEL):
        found.append("没有 PDF/A-2b 标识（XMP pdfaid）")
    if not output_intent(pdf):
        found.append("没有 sRGB 输出意图（OutputIntent）")
    if not pdf.trailer.get("/ID"):
        found.append("没有文件标识（ID）")
    bare = sorted(unembedded(pdf))
    if bare:
        found.append("字体未嵌入：" + "、".join(bare))
    if packet is not None:
        found += [f"文档信息 {key[1:]} 与 XMP 不一致" for key in mismatched(pdf, packet)]
    return found


def xmp(pdf: Any) -> str | None:
    """The XMP packet of a file opened with pikepdf."""
    meta = pdf.Root.get("/Metadata")
    return None if meta is None else meta.read_bytes().decode("utf-8", "replace")


def identification(packet: str | None) -> tuple[str, str] | None:
    if packet is None:
        return None
    part = re.search(r'pdfaid:part\s*=\s*"(\d)"|<pdfaid:part>(\d)<', packet)
    level = re.search(r'pdfaid:conformance\s*=\s*"(\w)"|<pdfaid:conformance>(\w)<', packet)
    if part is None or level is None:
        return None
    return (part.group(1) or part.group(2)), (level.group(1) or level.group(2))


def output_intent(pdf: Any) -> bool:
    """An OutputIntent for PDF/A with an embedded 3-component (RGB) ICC profile."""
    for intent in pdf.Root.get("/OutputIntents", []):
        profile = intent.get("/DestOutputProfile")
        if intent.get("/S") == "/GTS_PDFA1" and profile is not None and profile.get("/N") == 3:
            return True
    return False


def unembedded(pdf: Any) -> set[str]:
    """The fonts used on any page, in any Form XObject, without their font program."""
    bare: set[str] = set()
    seen: set[tuple[int, int]] = set()
    for page in pdf.pages:
        _fonts(page.obj.get("/Resources"), bare, seen)
    return bare


def _first(obj: Any, seen: set[tuple[int, int]]) -> bool:
    """Whether `obj` is met for the first time (a direct object always is)."""
    if not obj.is_indirect:
        return True
    if obj.objgen in seen:
        return False
    seen.add(obj.objgen)
    return True


def _fonts(resources: Any, bare: set[str], seen: set[tuple[int, int]]) -> None:
    if resources is None or not _first(resources, seen):
        return
    for font in resources.get("/Font", {}).values():
        if not _first(font, seen):
            continue
        if font.get("/Subtype") == "/Type3":
            _fonts(font.get("/Resources"), bare, seen)
            continue
        described = font.DescendantFonts[0] if "/DescendantFonts" in font else font
        descriptor = described.get("/FontDescriptor")
        if descriptor is None or not any(k in descriptor for k in FONT_FILES):
            bare.add(str(font.get("/BaseFont", "?")).lstrip("/"))
    for obj in resources.get("/XObject", {}).values():
        if obj.get("/Subtype") == "/Form":
            _fonts(obj.get("/Resources"), bare, seen)


def mismatched(pdf: Any, packet: str) -> list[str]:
    """Document information entries whose value the XMP does not carry."""
    info = pdf.trailer.get("/Info") or {}
    wrong = [key for key in INFO_XMP if key in info and _xml(str(info[key])) not in packet]
    for key, prop in (("/CreationDate", "xmp:CreateDate"), ("/ModDate", "xmp:ModifyDate")):
        if key in info and f"<{prop}>{_iso(str(info[key]))}</{prop}>" not in packet:
            wrong.append(key)
    return wrong


def _iso(stamp: str) -> str:
    """D:20261201000000+08'00 → 2026-12-01T00:00:00+08:00 (the XMP form of the same date)."""
    d = re.fullmatch(r"D:(\d{4})(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)(?:([+-])(\d\d)'(\d\d)'?|(Z))?", stamp)
    if d is None:
        return stamp
    y, mo, day, h, mi, s, sign, zh, zm, z = d.groups()
    zone = "Z" if z else (f"{sign}{zh}:{zm}" if sign else "")
    return f"{y}-{mo}-{day}T{h}:{mi}:{s}{zone}"


def _xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
