"""Records: everything a meeting folder holds — meeting.md, the attendee table, venue.yaml, the sign-in
result, minutes.md, briefing-*.md, summary.md, recollected.csv, the material PDFs and the meetings it
`follows` — read and checked once per build into one `Meeting`. Documents receive that Meeting and
never open a file themselves."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, NamedTuple

from ..files import read_text
from ..problems import Problems
from . import (
    added,
    briefings,
    carried,
    disposed,
    feedback,
    materials,
    minutes,
    received,
    recollected,
    seating,
    signin,
    speeches,
)
from .added import Added
from .briefings import Issue
from .carried import Item
from .disposed import Disposal
from .feedback import Reply
from .meeting import Attendee, Listed, load_meeting
from .minutes import Minutes
from .recollected import Key, Returned
from .seating import Plan
from .signin import Outcome
from .summary import FILE as SUMMARY_FILE
from .summary import SUMMARY
from .written import Written


class Output(NamedTuple):
    """A file the build wrote for a meeting, as the archive files it."""

    title: str  # the kind of document, as staff call it
    file: str  # under output/<meeting>/
    filed: bool  # an 归档文件 (DA/T 22); else a working paper
    numbers: bool  # prints the 份号 of numbered materials: as secret as they are


@dataclass(frozen=True)
class Revision:
    """The calendar revision a build announces (layout.calendar): recorded beside the outputs by the pipeline."""

    when: str = ""  # the start, end and place it announces
    sequence: int = 0
    stamp: str = ""  # DTSTAMP as ISO 8601 in UTC; empty: the first version, stamped with the signing day


@dataclass(kw_only=True)
class Meeting(Listed):
    """One meeting: its front matter and attendee list (Listed) and every other source of its folder, each
    read and checked once by `load`."""

    seat_plan: Plan | None = None  # None: the meeting has no venue layout
    signins: Outcome | None = None  # the sign-in result matched to the list; None: none yet
    minutes: Minutes | None = None  # minutes.md
    briefings: list[Issue] = field(default_factory=list)  # briefing-*.md, each with its 期号
    summary: Written | None = None  # summary.md
    speeches: list[Written] = field(default_factory=list)  # speech-*.md
    replies: list[Reply] | None = None  # feedback.csv: the 意见征集表 handed back; None: none yet
    received: dict[Attendee, datetime | None] | None = None  # received.csv: materials handed over; None: no record
    recollected: dict[Key, Returned] | None = None  # recollected.csv; None: no record yet
    disposed: dict[Key, Disposal] | None = None  # disposed.csv: 存档/清退/销毁 of each copy; None: no record yet
    carried: list[Item] = field(default_factory=list)  # open decisions of the meetings this one follows
    added: list[Added] = field(default_factory=list)  # 归档/: what the office adds to the archive
    pdfs: dict[str, bytes] = field(default_factory=dict)  # numbered materials' PDFs, by `file`
    pages: dict[int, int] = field(default_factory=dict)  # each material's page count (its file's, or `pages`)
    texts: dict[str, str] = field(default_factory=dict)  # the text sources the kinds declare, by file name
    output_dir: Path | None = None  # output/<id>/: set by the pipeline
    outputs: list[Output] = field(default_factory=list)  # the files written so far, in
    # registry order: set by the pipeline before the kinds that list them (the archive) are laid out
    revision: Revision = field(default_factory=Revision)  # set by the pipeline from the previous build's


def load(folder: Path, problems: Problems, settings: dict[str, Any], texts: tuple[str, ...] = ()) -> Meeting | None:
    """Read and check one meeting folder and everything in it; problems are collected, not raised.
    `texts`: patterns of further text sources the document kinds declare (kept in `Meeting.texts`)."""
    before = len(problems)
    m = load_meeting(folder, problems, settings, Meeting)
    if m is None:
        return None
    m.seat_plan = seating.assign(m, problems)
    m.carried = carried.open_items(m, problems)
    m.added = added.read_all(m, problems)
    _written(m, problems)
    if len(problems) == before:  # the tables below are read against the meeting's date, list and materials
        _tables(m, problems)
    for pattern in texts:
        for path in sorted(p for p in folder.glob(pattern) if p.is_file()):
            m.texts.setdefault(path.name, read_text(path, Problems()) or "")
    return m


def _written(m: Meeting, problems: Problems) -> None:
    """minutes.md, briefing-*.md, speech-*.md and summary.md."""
    m.minutes = minutes.read_at(m.folder)
    if m.minutes is not None:
        problems.extend(m.minutes.problems)
    m.briefings = briefings.read_all(m)
    for _, b in m.briefings:
        problems.extend(b.problems)
    m.speeches = speeches.read_all(m)
    for s in m.speeches:
        problems.extend(s.problems)
    if (m.folder / SUMMARY_FILE).is_file():
        m.summary = Written.read(m.folder / SUMMARY_FILE, SUMMARY)
        problems.extend(m.summary.problems)


def _tables(m: Meeting, problems: Problems) -> None:
    """The sign-in result, the material PDFs and the recollected copies. Their problems count only where
    a document shows them (a sign-in result without an attendee list is not yet anything's business)."""
    def fail(line: int, message: str, path: Path | None = None) -> None:
        problems.add(path or m.source.path, line, message)

    def ignore(line: int, message: str, path: Path | None = None) -> None:
        return None

    materials.check_files(m, fail)
    m.signins = signin.outcome(m, fail if m.attendees and signin.expected(m) else ignore)
    m.pdfs = materials.read_files(m, fail)
    m.pages = materials.page_counts(m, m.pdfs, fail)
    m.received = received.received(m, fail if m.materials else ignore)
    m.replies = feedback.replies(m, fail)
    mats = materials.to_recollect(m)
    if mats:
        m.recollected = recollected.recollected(m, mats, fail)
        away = {(k, c.number) for k, (_, each) in enumerate(mats) for c in each
                if signin.not_handed_out(m.signins, c.holder)}
        m.disposed = disposed.disposed(m, mats, disposed.held(mats, m.recollected, away), fail)
