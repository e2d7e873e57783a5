"""Front matter: meeting.md (and minutes.md, briefing-*.md, summary.md, venue.yaml, settings.yaml) split
into plain values with the line of every key path, and the Markdown body. The meaning of each value is
checked in `records.schema`; the files themselves are read by `files`."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .files import read_text
from .problems import Problems

Path_ = tuple  # a key path inside the front matter, e.g. ("agenda", 0, "item")


class _Loader(yaml.SafeLoader):
    """SafeLoader without implicit timestamps: dates stay text, so a bad date
    is reported with its line instead of failing inside PyYAML."""


class _Quick(getattr(yaml, "CSafeLoader", _Loader)):  # type: ignore[misc]
    """_Loader with LibYAML's parser, where PyYAML has it (the PyPI wheels and Debian's do): five times quicker,
    with the same values and lines. A file it refuses is read again by _Loader, whose messages the staff are shown."""


_Loader.yaml_implicit_resolvers = _Quick.yaml_implicit_resolvers = {
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
    quick = _quick_events(text)
    try:
        events = quick if quick is not None else yaml.parse(text, Loader=_Loader)
        alias = next((e for e in events if isinstance(e, yaml.AliasEvent)), None)
        if alias is not None:  # `*name` repeats a value: a few of them can expand without end
            problems.add(path, alias.start_mark.line + offset if alias.start_mark else offset, ALIAS)
            return None
        node = yaml.compose(text, Loader=_Loader if quick is None else _Quick)
    except yaml.YAMLError as exc:
        # A scanner error ("while scanning a simple key / a quoted scalar") is best shown
        # where that token began; a parser error where it was found.
        scanning = str(getattr(exc, "context", "") or "").startswith("while scanning")
        mark = getattr(exc, "context_mark" if scanning else "problem_mark", None)
        reason = f"YAML 格式错误：{_yaml_reason(exc)}{_opened(exc, offset)}"
        problems.add(path, mark.line + offset if mark else 1, reason)
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


def _quick_events(text: str) -> list[yaml.Event] | None:
    """The file's YAML events by LibYAML (_Quick); None if it refuses the file or nests it deeper than DEPTH_MOST:
    _Loader then reads it, and says what is wrong as it always has."""
    try:
        events = list(yaml.parse(text, Loader=_Quick))
    except yaml.YAMLError:
        return None
    depth = 0
    for event in events:
        depth += isinstance(event, yaml.CollectionStartEvent) - isinstance(event, yaml.CollectionEndEvent)
        if depth > DEPTH_MOST:
            return None
    return events


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


def _opened(exc: yaml.YAMLError, offset: int) -> str:
    """Where a bracket the parser found unclosed on a later line was opened: the line to look at first."""
    context = str(getattr(exc, "context", "") or "")
    start, found = getattr(exc, "context_mark", None), getattr(exc, "problem_mark", None)
    if not (context.startswith("while parsing a flow") and start and found and start.line < found.line):
        return ""
    return f"；这个{'方括号' if 'sequence' in context else '花括号'}从第 {start.line + offset} 行开始"


def _yaml_reason(exc: yaml.YAMLError) -> str:
    problem = str(getattr(exc, "problem", None) or exc)
    hint = next((h for rx, h in _YAML_HINTS if rx.search(problem)), "请检查缩进、冒号和引号")
    return f"{hint}（{problem}）"
