"""Reading a meeting folder: front matter with line numbers, body, attendee tables.

Readers only turn files into plain Python values plus line numbers; the
meaning of each value is checked in `model`.
"""

from __future__ import annotations

import csv
import io
import re
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn

import yaml

from .problems import BuildFailed, Fail, Problems

Path_ = tuple  # a key path inside the front matter, e.g. ("agenda", 0, "item")


class _Loader(yaml.SafeLoader):
    """SafeLoader without implicit timestamps: dates stay text, so a bad date
    is reported with its line instead of failing inside PyYAML."""


_Loader.yaml_implicit_resolvers = {
    ch: [(tag, rx) for tag, rx in rs if tag != "tag:yaml.org,2002:timestamp"]
    for ch, rs in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@dataclass
class Source:
    """meeting.md split into front matter values, their lines, and the body."""

    path: Path
    data: dict[str, Any]
    lines: dict[Path_, int]
    body: str
    body_line: int  # line number of the body's first line

    def value(self, *key: Any) -> Any:
        """The raw value at a key path, or None."""
        data: Any = self.data
        for k in key:
            try:
                data = data[k]
            except (KeyError, IndexError, TypeError):
                return None
        return data

    def line(self, *key: Any) -> int:
        """The line of a key path, or of its nearest parent that has one."""
        while key and key not in self.lines:
            key = key[:-1]
        return self.lines.get(key, 1)


def read_meeting(path: Path, problems: Problems) -> Source | None:
    text = read_text(path, problems)
    if text is None:
        return None
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        problems.add(path, 1, "文件应以“---”开头的 YAML 信息块开始（会议名称、时间、地点等）")
        return None
    end = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), None)
    if end is None:
        problems.add(path, 1, "YAML 信息块没有结束：缺少第二个“---”行")
        return None
    parsed = _parse_yaml("\n".join(lines[1:end]), path, 2, problems)
    if parsed is None:
        return None
    body = "\n".join(lines[end + 1 :])
    return Source(path, *parsed, body, end + 2)


def read_yaml(path: Path, problems: Problems) -> Source | None:
    """A plain YAML file (such as settings.yaml) as a Source without a body."""
    text = read_text(path, problems)
    parsed = None if text is None else _parse_yaml(text, path, 1, problems)
    return None if parsed is None else Source(path, *parsed, "", 0)


def _parse_yaml(text: str, path: Path, offset: int, problems: Problems) -> tuple[dict, dict] | None:
    try:
        alias = next((e for e in yaml.parse(text, Loader=_Loader) if isinstance(e, yaml.AliasEvent)), None)
        if alias is not None:  # `*name` repeats a value: a few of them can expand without end
            problems.add(path, alias.start_mark.line + offset if alias.start_mark else offset, ALIAS)
            return None
        node = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        # A scanner error ("while scanning a simple key / a quoted scalar") is best shown
        # where that token began; a parser error where it was found.
        scanning = str(getattr(exc, "context", "") or "").startswith("while scanning")
        mark = getattr(exc, "context_mark" if scanning else "problem_mark", None)
        problems.add(path, mark.line + offset if mark else 1, f"YAML 格式错误：{_yaml_reason(exc)}")
        return None
    except RecursionError:
        problems.add(path, offset, f"YAML 嵌套层数过多（超过 {DEPTH_MOST} 层）：请检查括号和缩进")
        return None
    try:
        data, where = ({}, {}) if node is None else _Values(offset).build(node, ())
    except _BadNode as exc:
        problems.add(path, exc.line, exc.message)
        return None
    if not isinstance(data, dict):
        problems.add(path, offset, "YAML 内容应为“键: 值”的形式")
        return None
    return data, where


ALIAS = "不能使用 YAML 别名（“&”“*”）：请把内容直接写出来；含 & 或 * 的文字请加英文引号"
DEPTH_MOST = 20  # levels of nesting: meeting.md uses four
NODES_MOST = 100_000  # values in one file
PLAIN_TAGS = {f"tag:yaml.org,2002:{t}" for t in ("str", "int", "float", "bool", "null", "map", "seq")}


class _BadNode(Exception):
    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line, self.message = line, message


class _Values:
    """Plain values from a YAML node tree, recording each key path's line. Refused, with the line: an alias
    (`*name`, which can repeat a value without end), a tag (`!!python/name:`, `!!timestamp`), a key written
    twice, nesting deeper than DEPTH_MOST and more than NODES_MOST values."""

    def __init__(self, offset: int):
        self.offset = offset
        self.seen: set[int] = set()

    def build(self, node: yaml.Node, key: Path_) -> tuple[Any, dict[Path_, int]]:
        line = node.start_mark.line + self.offset
        if id(node) in self.seen:
            raise _BadNode(line, ALIAS)
        self.seen.add(id(node))
        if len(self.seen) > NODES_MOST or len(key) > DEPTH_MOST:
            raise _BadNode(line, f"YAML 内容过多或嵌套过深（超过 {NODES_MOST} 项或 {DEPTH_MOST} 层）")
        if node.tag not in PLAIN_TAGS:
            tag = node.tag.replace("tag:yaml.org,2002:", "!!")
            raise _BadNode(line, f"不支持 YAML 标记“{tag}”：请去掉它，直接写值")
        where = {key: line}
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, key, where)
        if isinstance(node, yaml.SequenceNode):
            items = []
            for i, item in enumerate(node.value):
                value, sub = self.build(item, (*key, i))
                items.append(value)
                where.update(sub)
            return items, where
        return _scalar(node, line), where

    def _mapping(self, node: yaml.MappingNode, key: Path_, where: dict[Path_, int]) -> tuple[Any, dict]:
        out: dict[Any, Any] = {}
        for k_node, v_node in node.value:
            k_line = k_node.start_mark.line + self.offset
            k = _scalar(k_node, k_line) if isinstance(k_node, yaml.ScalarNode) else str(k_node.value)
            if k in out:
                raise _BadNode(k_line, f"“{k}”写了两次（第 {where[(*key, k)]} 行已有）：请只保留一个")
            value, sub = self.build(v_node, (*key, k))
            sub[(*key, k)] = k_line
            out[k] = value
            where.update(sub)
        return out, where


def _scalar(node: yaml.Node, line: int) -> Any:
    try:
        return _Loader(io.StringIO("")).construct_object(node)
    except (yaml.YAMLError, ValueError, TypeError, OverflowError) as exc:
        raise _BadNode(line, f"无法识别的值“{node.value}”（{type(exc).__name__}）") from None


_YAML_HINTS = [
    (re.compile(r"expected ',' or '\]'"), "方括号 [ ] 没有闭合，或列表项之间缺少逗号"),
    (re.compile(r"expected ',' or '\}'"), "花括号 { } 没有闭合，或各项之间缺少逗号"),
    (re.compile(r"mapping values are not allowed"), "此处不能出现“:”，含冒号的值请加英文引号"),
    (re.compile(r"found character '\\t'"), "不能用 Tab 缩进，请改用空格"),
    (re.compile(r"could not find expected ':'"), "缺少“:”，或冒号后少了空格：应为“键: 值”"),
    (re.compile(r"end of stream|found unexpected end"), "引号没有闭合"),
    (re.compile(r"found duplicate anchor|found undefined alias"), "“&”“*”在 YAML 中有特殊含义，请给值加引号"),
    (re.compile(r"but found '<scalar>'"), "前面某行的引号可能没有闭合，或本行缩进不一致"),
    (re.compile(r"expected <block end>|did not find expected"), "缩进不一致，请检查本行与上一行的缩进"),
]


def _yaml_reason(exc: yaml.YAMLError) -> str:
    problem = str(getattr(exc, "problem", None) or exc)
    hint = next((h for rx, h in _YAML_HINTS if rx.search(problem)), "请检查缩进、冒号和引号")
    return f"{hint}（{problem}）"


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


@dataclass
class Table:
    """Rows of an attendee-like table; each row keeps its line (or sheet row)."""

    path: Path
    header: list[str]
    rows: list[tuple[int, list[str]]] = field(default_factory=list)
    header_line: int = 1

    def columns(self, headers: dict[str, tuple[str, ...]]) -> dict[str, int]:
        """Known headers → column index (first match wins); other columns (手机号, 签到方式 …) are ignored."""
        lookup = {h.lower(): key for key, names in headers.items() for h in names}
        found: dict[str, int] = {}
        for i, header in enumerate(self.header):
            key = lookup.get(header.strip().lower())
            if key and key not in found:
                found[key] = i
        return found


def table_file(folder: Path, stem: str) -> tuple[Path | None, str]:
    """`<stem>.csv` or `<stem>.xlsx` in a meeting folder, and a message when both are there."""
    found = [folder / f"{stem}.{ext}" for ext in ("csv", "xlsx") if (folder / f"{stem}.{ext}").exists()]
    clash = f"{stem}.csv 与 {stem}.xlsx 只能保留一个，否则不知以哪个为准" if len(found) > 1 else ""
    return (found[0] if found else None), clash


def load_table(path: Path, fail: Fail) -> Table | None:
    """A staff-keyed table (.csv or .xlsx); reading problems go to `fail` with the file's path."""
    problems = Problems()
    t = read_table(path, problems)
    for p in problems.items:
        fail(p.line, p.message, path)
    return t


ROWS_MOST = 20_000  # rows of one table: more than any meeting's list, sign-in or recollection record
CELL_MOST = 2_000  # characters in one cell
XLSX_INFLATED_MOST = 200 * MB  # an .xlsx is a zip: what it may unpack to


def read_table(path: Path, problems: Problems) -> Table | None:
    if path.suffix.lower() == ".xlsx":
        return _read_xlsx(path, problems)
    text = read_text(path, problems)
    if text is None:
        return None
    first = text.split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text), delimiter="\t" if first.count("\t") > first.count(",") else ",")
    rows: list[tuple[int, list[str]]] = []
    start = 1
    try:
        for cells in reader:
            if any("\n" in c for c in cells):
                problems.add(path, start, "此行起有一格跨了多行（英文引号“\"”没有闭合，或格内换行），"
                                          "后面的行会被并进这一格：请补全或删去引号、去掉格内换行")
                return None
            rows.append((start, [c.strip() for c in cells]))
            start = reader.line_num + 1
            if len(rows) > ROWS_MOST + 1:  # the header and one row too many: enough to say so
                break
    except csv.Error as exc:
        problems.add(path, reader.line_num, f"无法按表格读取此行（{exc}）：单元格内容过长或引号不配对")
        return None
    return _table(path, rows, problems)


def _table(path: Path, rows: list[tuple[int, list[str]]], problems: Problems) -> Table | None:
    """Header and rows from numbered lines of cells (blank lines skipped), within the limits."""
    rows = [(n, cells) for n, cells in rows if any(cells)]
    if not rows:
        problems.add(path, 1, "表格是空的：第一行应为表头（姓名、单位、职务……）")
        return None
    if len(rows) > ROWS_MOST + 1:
        problems.add(path, rows[ROWS_MOST + 1][0],
                     f"表格超过 {ROWS_MOST} 行，不像是一次会议的名单：请检查是否放错了文件")
        return None
    for n, cells in rows:
        if any(len(c) > CELL_MOST for c in cells):
            problems.add(path, n, f"单元格内容超过 {CELL_MOST} 个字，不像是名单中的一项：请检查此行")
            return None
    (header_line, header), *body = rows
    return Table(path, header, body, header_line)


def _read_xlsx(path: Path, problems: Problems) -> Table | None:
    import zipfile

    import openpyxl

    data = read_bytes(path)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            inflated = sum(info.file_size for info in z.infolist())
        if inflated > XLSX_INFLATED_MOST:
            problems.add(path, 1, f"Excel 文件解压后超过 {XLSX_INFLATED_MOST // MB} MB，不像是会议名单：请另存一份再试")
            return None
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # zipfile and openpyxl raise many kinds for a damaged file
        problems.add(path, 1, f"无法读取 Excel 文件：{exc}")
        return None
    rows = []
    for number, values in enumerate(book.worksheets[0].iter_rows(values_only=True), start=1):
        rows.append((number, [_cell_text(v) for v in values]))
        if len(rows) > ROWS_MOST * 2:  # blank rows count too, but not without end
            break
    book.close()
    return _table(path, rows, problems)


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()
