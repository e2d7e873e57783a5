"""Reading the files of a meeting folder safely, each once per build: only regular files within their size
limits, no link leading out of the folder, text in the encodings Excel and editors write."""

from __future__ import annotations

import stat
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import NoReturn

from .problems import BuildFailed, Problems

_read: ContextVar[dict[Path, bytes] | None] = ContextVar("read", default=None)


@contextmanager
def once() -> Iterator[dict[Path, bytes]]:
    """Within this block every file is read from disk at most once, whoever asks for it (the freshness
    digest, the records, the archive): one build sees one state of each source."""
    token = _read.set({})
    try:
        yield _read.get() or {}
    finally:
        _read.reset(token)


MB = 1024 * 1024
TEXT_MOST = 5 * MB  # meeting.md, minutes.md, venue.yaml…: a real one is a few KB
TABLE_MOST = 20 * MB  # attendees, sign-in and recollection tables: a 5,000-person list is under 1 MB
FILE_MOST = 200 * MB  # anything else in a meeting folder (material PDFs, scans kept for the archive)
MOST = {".md": TEXT_MOST, ".yaml": TEXT_MOST, ".yml": TEXT_MOST, ".txt": TEXT_MOST, ".csv": TABLE_MOST,
        ".tsv": TABLE_MOST, ".xlsx": TABLE_MOST}


def refuse(path: Path, message: str) -> NoReturn:
    """A source that cannot be read safely at all: the build stops here, before anything is written."""
    problems = Problems()
    problems.add(path, 0, message)
    raise BuildFailed(problems)


def read_bytes(path: Path) -> bytes:
    """A source file's bytes: from disk the first time in a build, then as read then. Only a regular file
    within its size limit is read (a FIFO, a device or a huge file would hang the build or fill memory)."""
    kept = _read.get()
    if kept is not None and path in kept:
        return kept[path]
    most = MOST.get(path.suffix.lower(), FILE_MOST)
    try:
        st = path.stat()
        if not stat.S_ISREG(st.st_mode):
            refuse(path, "不是普通文件（是文件夹、管道或设备），无法作为会议材料读取")
        if st.st_size > most:
            refuse(path, f"文件过大（超过 {most // MB} MB），不像是会议材料：请检查是否放错了文件")
        with path.open("rb") as fh:
            data = fh.read(most + 1)
    except OSError as exc:
        refuse(path, f"无法读取（{exc.strerror or exc}）")
    if len(data) > most:
        refuse(path, f"文件过大（超过 {most // MB} MB），不像是会议材料：请检查是否放错了文件")
    if kept is not None:
        kept[path] = data
    return data


def read_output(path: Path) -> bytes:
    """A file this build wrote (an output, not a source: no size limit), from disk the first time in a build."""
    kept = _read.get()
    if kept is not None and path in kept:
        return kept[path]
    data = path.read_bytes()
    if kept is not None:
        kept[path] = data
    return data


def wrote(path: Path, data: bytes) -> None:
    """An output this build wrote, as it wrote it: read_output gives it back without reading the disk again (the
    送审件 and the archive, laid out after the others, read them: 80 MB at 2,000 attendees)."""
    kept = _read.get()
    if kept is not None:
        kept[path] = data


def _inside(path: Path, root: Path) -> bool:
    try:
        return path.resolve().is_relative_to(root)
    except (OSError, RuntimeError):  # a loop of links
        return False


def folder_files(folder: Path) -> list[Path]:
    """Every file of a meeting folder, hidden ones aside, in a stable order. A link that leads out of the
    folder stops the build: its target would be read, archived or stamped as if it were the meeting's."""
    root = folder.resolve()
    found = []
    for path in sorted(folder.rglob("*")):
        if any(part.startswith(".") for part in path.relative_to(folder).parts):
            continue
        if path.is_symlink() and not _inside(path, root):
            refuse(path, "是指向会议文件夹以外的链接：会议文件夹中只能放会议本身的文件（请复制进来，不要链接）")
        if path.is_file() or (path.exists() and not path.is_dir()):
            found.append(path)
    return found


def read_text(path: Path, problems: Problems) -> str | None:
    """Text as Excel and editors write it: UTF-8 (with or without BOM), GB18030, or
    UTF-16 with a BOM (Excel's "Unicode text", which is also tab-separated)."""
    raw = read_bytes(path)
    encodings = ("utf-16",) if raw[:2] in (b"\xff\xfe", b"\xfe\xff") else ("utf-8-sig", "gb18030")
    for encoding in encodings:
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" in text or (encoding == "gb18030" and _garbled(text)):
            break
        return text.replace("\r\n", "\n").replace("\r", "\n")
    problems.add(path, 1, "无法识别文件编码：请另存为 UTF-8 或 GB18030（GBK）")
    return None


def _garbled(text: str) -> bool:
    """Text from another encoding (Big5, Shift-JIS) read as GB18030 comes out as rare characters: real
    office text is nearly all within GB2312, the 6,763 common ones."""
    wide = [ch for ch in text if not ch.isascii()]
    if any("\ue000" <= ch <= "\uf8ff" for ch in wide):  # private use: no office text has these
        return True
    rare = 0
    for ch in wide:
        try:
            ch.encode("gb2312")
        except UnicodeEncodeError:
            rare += 1
    return len(wide) >= 5 and rare > 0.2 * len(wide)
