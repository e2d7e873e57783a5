"""督办事项 carried forward: a meeting that `follows` an earlier one inherits its open items.

`follows: <folder>` in meeting.md names an earlier meeting in content/. Every 议定事项 of that
meeting's minutes.md not yet 已办结 — and, in turn, whatever it carried itself — appears in this
meeting's 督办事项清单 and 会议须知 until it is marked 已办结 in the minutes.md that decided it.
That minutes.md stays the one place where progress is written: nothing is typed twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from ..files import read_bytes
from ..problems import Problems
from ..sources import read_meeting
from . import minutes
from .meeting import Listed
from .schema import CLASSIFICATIONS, SECRET_LEVELS


@dataclass(frozen=True)
class Item:
    """One open decision of an earlier meeting."""

    meeting_id: str
    cite: str  # 《…纪要》第1期第2条
    decision: dict[str, Any]
    issued: date | None = None  # the date of the 纪要 that decided it


def chain(folder: Path, problems: Problems | None = None) -> list[Path]:
    """The meetings `folder` follows, nearest first. A missing or circular `follows` stops the chain
    (and is reported when `problems` is given)."""
    found: list[Path] = []
    here = folder
    while True:
        path = here / "meeting.md"
        if not path.is_file() or b"follows" not in read_bytes(path):
            return found  # most meetings: no YAML to parse on a build with nothing to do
        source = read_meeting(path, Problems())
        name = source.value("follows") if source else None
        if not name:
            return found
        target = folder.parent / str(name)
        message = _outside(str(name), folder) or _wrong(target, folder, found)
        if message:
            if problems is not None and source is not None:
                problems.add(source.path, source.line("follows"), f"follows: {message}")
            return found
        found.append(target)
        here = target


def _outside(name: str, folder: Path) -> str | None:
    """A `follows` that is not a folder of content/: a path, or a link leading out of it."""
    target = folder.parent / name
    if name != Path(name).name or name in (".", "..") or target.resolve().parent != folder.parent.resolve():
        return f"应写 content/ 下前次会议的文件夹名，不能是路径或指向别处的链接（收到“{name}”）"
    return None


def _wrong(target: Path, start: Path, found: list[Path]) -> str | None:
    if not (target / "meeting.md").is_file():
        return f"content/ 下没有会议“{target.name}”（应写前次会议的文件夹名）"
    if target == start or target in found:
        return f"会议接续关系成环（{start.name} → … → {target.name}）"
    return None


def dependencies(folder: Path) -> list[Path]:
    """Files of other meetings this meeting's documents read (for freshness)."""
    return [p for f in chain(folder) for p in (f / "meeting.md", f / minutes.FILE) if p.is_file()]


def open_items(m: Listed, problems: Problems) -> list[Item]:
    """Open decisions of every meeting up the chain, the nearest meeting's first; a chain that does not
    resolve, and the problems of every minutes.md along it, go to `problems`."""
    items = []
    for folder in chain(m.folder, problems):
        mins = minutes.read_at(folder)
        if mins is not None:
            problems.extend(mins.problems)
        source = read_meeting(folder / "meeting.md", Problems())
        if source is None or _too_secret(m, folder, str(source.value("classification") or "公开"), problems):
            continue
        if mins is None or mins.problems:
            continue
        mark = mins.values.get("mark") or f"{source.value('title')}纪要"
        items += [Item(folder.name, f"《{mark}》第{mins.values['number']}期第{n}条", d, mins.values["date"])
                  for n, d in enumerate(mins.decisions, start=1) if d["status"] != minutes.DONE]
    return items


def _too_secret(m: Listed, folder: Path, level: str, problems: Problems) -> bool:
    """A classified meeting's decisions go only into the papers of a meeting classified as high: never into
    a lower meeting's 督办清单 and 须知, which are printed for more readers and published on the intranet."""
    if level not in SECRET_LEVELS or CLASSIFICATIONS.index(level) <= CLASSIFICATIONS.index(m.classification):
        return False
    problems.add(m.source.path, m.source.line("follows"),
                 f"follows: 前次会议“{folder.name}”是{level}会议，其议定事项不能转入本次{m.classification}会议的"
                 f"督办事项清单和会议须知（会印发、会在内网发布）：请去掉 follows，或把本会议的密级定为{level}")
    return True
