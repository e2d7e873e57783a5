"""Reading a meeting folder: front matter with line numbers, body, attendee tables.

Readers only turn files into plain Python values plus line numbers; the
meaning of each value is checked in `model`.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .problems import Fail, Problems

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
        node = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        # A scanner error ("while scanning a simple key / a quoted scalar") is best shown
        # where that token began; a parser error where it was found.
        scanning = str(getattr(exc, "context", "") or "").startswith("while scanning")
        mark = getattr(exc, "context_mark" if scanning else "problem_mark", None)
        problems.add(path, mark.line + offset if mark else 1, f"YAML 格式错误：{_yaml_reason(exc)}")
        return None
    data, where = ({}, {}) if node is None else _to_python(node, (), offset=offset)
    if not isinstance(data, dict):
        problems.add(path, offset, "YAML 内容应为“键: 值”的形式")
        return None
    return data, where


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


def _to_python(node: yaml.Node, key: Path_, offset: int) -> tuple[Any, dict[Path_, int]]:
    """Build plain values from a YAML node tree, recording each key path's line."""
    where = {key: node.start_mark.line + offset}
    if isinstance(node, yaml.MappingNode):
        out: dict[Any, Any] = {}
        for k_node, v_node in node.value:
            k = _scalar(k_node)
            value, sub = _to_python(v_node, (*key, k), offset)
            sub[(*key, k)] = k_node.start_mark.line + offset
            out[k] = value
            where.update(sub)
        return out, where
    if isinstance(node, yaml.SequenceNode):
        items = []
        for i, item in enumerate(node.value):
            value, sub = _to_python(item, (*key, i), offset)
            items.append(value)
            where.update(sub)
        return items, where
    return _scalar(node), where


def _scalar(node: yaml.Node) -> Any:
    if not isinstance(node, yaml.ScalarNode):
        return str(node.value)
    return _Loader(io.StringIO("")).construct_object(node)


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


def read_bytes(path: Path) -> bytes:
    """A source file's bytes: from disk the first time in a build, then as read then."""
    kept = _read.get()
    if kept is None:
        return path.read_bytes()
    if path not in kept:
        kept[path] = path.read_bytes()
    return kept[path]


def read_text(path: Path, problems: Problems) -> str | None:
    """Text as Excel and editors write it: UTF-8 (with or without BOM), GB18030, or
    UTF-16 with a BOM (Excel's "Unicode text", which is also tab-separated)."""
    raw = read_bytes(path)
    encodings = ("utf-16",) if raw[:2] in (b"\xff\xfe", b"\xfe\xff") else ("utf-8-sig", "gb18030")
    for encoding in encodings:
        try:
            return raw.decode(encoding).replace("\r\n", "\n").replace("\r", "\n")
        except UnicodeDecodeError:
            continue
    problems.add(path, 1, "无法识别文件编码：请另存为 UTF-8 或 GB18030（GBK）")
    return None


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


def read_table(path: Path, problems: Problems) -> Table | None:
    if path.suffix.lower() == ".xlsx":
        return _read_xlsx(path, problems)
    text = read_text(path, problems)
    if text is None:
        return None
    first = text.split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text), delimiter="\t" if first.count("\t") > first.count(",") else ",")
    table: Table | None = None
    start = 1
    for cells in reader:
        cells = [c.strip() for c in cells]
        if table is None:
            if any(cells):
                table = Table(path, cells, header_line=start)
        elif any(cells):
            table.rows.append((start, cells))
        start = reader.line_num + 1
    if table is None:
        problems.add(path, 1, "表格是空的：第一行应为表头（姓名、单位、职务……）")
    return table


def _read_xlsx(path: Path, problems: Problems) -> Table | None:
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(read_bytes(path)), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        problems.add(path, 1, f"无法读取 Excel 文件：{exc}")
        return None
    sheet = book.worksheets[0]
    table: Table | None = None
    for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
        cells = [_cell_text(v) for v in values]
        if not any(cells):
            continue
        if table is None:
            table = Table(path, cells, header_line=number)
        else:
            table.rows.append((number, cells))
    book.close()
    if table is None:
        problems.add(path, 1, "表格是空的：第一行应为表头（姓名、单位、职务……）")
    return table


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()
