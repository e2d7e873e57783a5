"""User-facing problems: collected with file and line, reported together."""

from __future__ import annotations

import errno
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}" if self.line else f"{self.path}: {self.message}"


@dataclass
class Problems:
    """A collector: every check adds to it, the build stops once at the end."""

    items: list[Problem] = field(default_factory=list)
    written: int = 0  # files this build had already written when it stopped (a disk or permission failure)

    def add(self, path: Path | str, line: int, message: str) -> None:
        self.items.append(Problem(display_path(path), line, message))

    def extend(self, other: Problems) -> None:
        self.items.extend(other.items)

    def __bool__(self) -> bool:
        return bool(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def summary(self) -> str:
        unique = set(self.items)
        files = len({p.path for p in unique})
        if self.written:
            return (f"{len(unique)} 处错误，生成中止：本次已写出 {self.written} 个文件（已替换为新内容），"
                    "其余文件仍是上次生成的内容。排除问题后再运行 make 即可补齐。")
        return f"{len(unique)} 处错误（{files} 个文件），未生成任何文件。"

    def report(self) -> str:
        unique = list(dict.fromkeys(self.items))
        lines = [str(p) for p in sorted(unique, key=_order)]
        return "\n".join([*lines, self.summary()])


def _order(p: Problem) -> tuple:
    return (p.path, p.line)  # stable: same line keeps the order found


class Fail(Protocol):
    """How a document kind reports bad input: meeting.md's line, or `path` for another source."""

    def __call__(self, line: int, message: str, path: Path | None = None) -> None: ...


class BuildFailed(Exception):
    """Raised with the collected problems when a build cannot go on."""

    def __init__(self, problems: Problems):
        super().__init__(problems.report())
        self.problems = problems

    def __reduce__(self) -> tuple:  # raised in a worker process, re-raised here
        return (BuildFailed, (self.problems,))


class WriteFailed(Exception):
    """The disk refused a file: full, read-only, no permission. Not the user's sources, nor a layout."""

    REASONS = {errno.ENOSPC: "磁盘空间不足", errno.EDQUOT: "超出磁盘配额", errno.EROFS: "磁盘是只读的",
               errno.EACCES: "没有写入权限", errno.EPERM: "没有写入权限", errno.EFBIG: "文件超过了系统允许的大小",
               errno.EISDIR: "已有同名的文件夹", errno.ENOTDIR: "路径中有同名的文件（应是文件夹）",
               errno.EEXIST: "路径中有同名的文件（应是文件夹）"}

    def __init__(self, path: Path, error: OSError):
        super().__init__(f"{path}: {error}")
        self.path = path
        self.reason = self.REASONS.get(error.errno or 0, f"系统错误（{error.strerror or error}）")

    def __reduce__(self) -> tuple:  # raised in a worker process (its chunk cache), re-raised here
        return (_write_failed, (self.path, self.reason, str(self)))

    def problems(self, written: int) -> Problems:
        found = Problems(written=written)
        found.add(self.path, 0, f"无法写入此文件：{self.reason}。请腾出空间或检查 output/ 的权限后再运行")
        return found


def _write_failed(path: Path, reason: str, text: str) -> WriteFailed:
    exc = WriteFailed.__new__(WriteFailed)
    Exception.__init__(exc, text)
    exc.path, exc.reason = path, reason
    return exc


def display_path(path: Path | str) -> str:
    """A path relative to the working directory where possible (clickable in editors)."""
    p = Path(path)
    for here, there in ((Path(os.path.abspath(p)), Path.cwd()), (p.resolve(), Path.cwd().resolve())):
        try:  # the path as given first: a link is named by its own name, not its target's
            return str(here.relative_to(there))
        except (ValueError, OSError, RuntimeError):
            continue
    return str(p)
