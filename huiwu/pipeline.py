"""The build, stage by stage: find → read and check → prepare → render → write.

Everything is read and checked before anything is written: one bad source
means no file changes at all.
"""

from __future__ import annotations

import dataclasses
import fnmatch
import functools
import gc
import hashlib
import itertools
import os
import tempfile
import time
import unicodedata
from collections.abc import Callable, Generator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NamedTuple

from . import consistency, files, fonts, freshness, joining, kinds, lint, records, render, site, working_fonts
from .documents import archive
from .joining import Joined, join
from .kinds import Files, Kind
from .laid import Laid
from .layout import calendar, forms, measure, paging, qr
from .problems import BuildFailed, Fail, Problems, WriteFailed
from .project import Project
from .records import Meeting, Output, carried, materials, schema
from .records.materials import pages_of
from .records.meeting import Attendee, build_date
from .render import FIRST_PAGE, ChunkCache, Deferred, Rendered, Stash, Stashed, Templates, read_all, write_changed
from .site import search
from .sources import read_yaml
from .workers import Workers, claim

Echo = Callable[[str], None]
Checked = Callable[[list[Meeting]], None]


@dataclass(frozen=True, eq=False)  # told apart by identity: one a form
class Paged:
    """A form laid out as chunks of pages: parts [start, start + len(counts)) of its kind, each to render as
    `counts` pages; else the form is rendered whole from `doc`."""

    start: int
    counts: list[int]
    doc: dict[str, Any]


@dataclass
class Job:
    meeting: Meeting
    digest: str
    shared: str = ""  # Stale.shared
    sources: dict[str, str] = field(default_factory=dict)  # Stale.sources
    docs: list[tuple[Kind, list[str]]] = field(default_factory=list)  # kind, HTML parts
    files: list[tuple[Kind, bytes]] = field(default_factory=list)  # kinds written without layout
    skipped: dict[str, str] = field(default_factory=dict)  # output name → reason
    dated: bool = False  # some content depends on the build date
    later: list[Kind] = field(default_factory=list)  # kinds laid out after the others are written
    lay_out: Callable[[Kind], list[str]] = lambda kind: []  # a kind's HTML parts
    build: dict[str, Any] = field(default_factory=dict)  # what every layout is given besides meeting and doc
    paged: dict[str, list[Paged]] = field(default_factory=dict)  # kind key → its forms cut into chunks of pages
    lay_out_doc: Callable[[Kind, dict], str | None] = lambda kind, doc: None  # one doc's HTML
    fonts: tuple[fonts.Resolved, ...] = ()
    problems: Problems = field(default_factory=Problems)  # where lay_out reports, also after validation
    before: dict[str, Any] = field(default_factory=dict)  # the stamp of the meeting's last build
    early: dict[str, Sent] = field(default_factory=dict)  # kind key → sent to the workers while laying out the rest
    digests: dict[str, tuple[list[str], str]] = field(default_factory=dict)  # kind key → its parts and their digest
    part_keys: dict[str, str] = field(default_factory=dict)  # each part's digest (render.part_key): made once
    early_fonts: str | None = None  # the stylesheet of the working fonts those are set in (early_fonts)
    set_early: dict[str, tuple[list[str], list[str]]] = field(default_factory=dict)  # kind key → parts, set in those
    made_from: dict[str, str] = field(default_factory=dict)  # kind key → what its documents are made from (made_from)
    kept: dict[str, dict] = field(default_factory=dict)  # kind key → its last build's files, made from the same
    chars: dict[str, str] = field(default_factory=dict)  # kind key → the characters its HTML prints beyond the base
    laid: Laid | None = None  # the parts' HTML kept from the last builds
    ahead: dict[str, Any] = field(default_factory=dict)  # what the site shows that no document changes (site.ahead)
    idle: list[Callable[[], None]] = field(default_factory=list)  # this process's own work, done while it waits
    # on the workers (made ahead: the site's pages but the meeting's own)

    @functools.cached_property
    def sources_print(self) -> frozenset[int]:
        """What the working fonts are to hold for the meeting's sources (working_fonts.wanted): looked through once a
        build, for the fonts of the documents sent early and of them all (early_fonts, use_fonts)."""
        return working_fonts.wanted(_source_chars(self.meeting))


@dataclass
class Summary:
    written: list[str] = field(default_factory=list)  # the files of the documents made (their bytes new or not)
    rewritten: int = 0  # of those, the files whose bytes changed: written to disk
    unchanged: int = 0  # documents of a stale meeting whose content did not change: kept as they were
    up_to_date: int = 0
    skipped: list[str] = field(default_factory=list)
    pages: int = 0
    seconds: float = 0.0
    site: int = 0  # files written to the intranet site (output/site/)
    behind: list[tuple[Path, Deferred]] = field(default_factory=list)  # (meeting's output folder, file written
    # behind the build): waited for before it ends


class Stale(NamedTuple):
    folder: Path
    digest: str  # of everything its outputs depend on (freshness.digest)
    shared: str = ""  # of what all meetings share (code, layouts, fonts, settings)
    sources: dict[str, str] = {}  # noqa: RUF012 (never mutated) each source file's digest (freshness.sources);
    # none when the build is forced (or some kinds only): then no document is kept as made before (inputs)


def stale(project: Project, force: bool) -> tuple[list[Stale], int, str]:
    """Meetings whose sources, layouts, code or fonts changed since their last build;
    how many are fresh; the digest of what all meetings share (code, layouts, fonts, settings)."""
    todo, fresh = [], 0
    today = build_date().isoformat()
    shared = freshness.shared_digest(project.layouts, project.fonts_dir, project.settings_file)
    for folder in project.meeting_dirs():
        sources = freshness.sources(folder, carried.dependencies(folder))
        current = freshness.digest(shared, sources)
        if not force and freshness.is_fresh(project.output / folder.name, current, today):
            fresh += 1
        else:
            todo.append(Stale(folder, current, shared, {} if force else sources))
    return todo, fresh, shared


def settings(project: Project, problems: Problems) -> dict[str, Any]:
    path = project.settings_file
    source = read_yaml(path, problems) if path.exists() else None
    if source is not None:
        kinds.check_site_publish(source, problems)
    return schema.check_settings(source, problems)


def load(project: Project, folders: list[Path], problems: Problems) -> list[Meeting]:
    office = settings(project, problems)
    meetings = []
    for folder in folders:
        wrong = project.id_problem(folder)
        if wrong:
            problems.add(folder, 0, wrong)
            continue
        if not (folder / "meeting.md").exists():
            problems.add(folder, 0, "会议文件夹中缺少 meeting.md")
            continue
        meeting = records.load(folder, problems, office, kinds.sources())
        if meeting is not None:
            lint.check(meeting, problems)
            kinds.check_site_publish(meeting.source, problems)
            consistency.duplicates(meeting, problems)
            meetings.append(meeting)
    return meetings


def check_glyphs(meeting: Meeting, drawable: frozenset[int], problems: Problems) -> None:
    """Every character of the sources must be drawable by the chosen fonts. The sources' characters are looked at as
    one set first (2,000 attendees: 15 → 10 ms), line by line only if one is not."""
    texts = list(source_texts(meeting))
    if not any(_undrawable(ch, drawable) for ch in set("".join(text for _, _, text in texts))):
        return
    for path, line, text in texts:
        for ch in dict.fromkeys(text):
            if _undrawable(ch, drawable):
                problems.add(path, line, f"字符“{ch}”（U+{ord(ch):04X}）没有任何已配置的字体能显示，"
                                         "打印会成空白方框：请改字或在 fonts/ 中放入含此字的字体")


def _undrawable(ch: str, drawable: frozenset[int]) -> bool:
    return ord(ch) > 0x7F and ord(ch) not in drawable and not ch.isspace()


TEXT_FIELDS = tuple(f.name for f in dataclasses.fields(Attendee) if f.type == "str")  # what the table prints


def source_texts(meeting: Meeting):
    src = meeting.source
    for key, line in src.lines.items():
        value = src.value(*key)
        if isinstance(value, str):
            yield src.path, line, value
    for offset, text in enumerate(src.body.split("\n")):
        yield src.path, src.body_line + offset, text
    for a in meeting.attendees:
        yield meeting.attendees_path, a.line, "".join(getattr(a, name) for name in TEXT_FIELDS)
    for name, content in meeting.texts.items():  # the kinds' other sources, line by line as written
        for number, row in enumerate(content.split("\n"), start=1):
            yield meeting.folder / name, number, row


def _source_chars(meeting: Meeting) -> Iterator[str]:
    return (text for _, _, text in source_texts(meeting))


@dataclass(frozen=True)
class FontSetup:
    resolved: tuple[fonts.Resolved, ...]
    title_excess: float
    song_excess: float
    body_excess: float


def font_setup(project: Project, problems: Problems) -> FontSetup | None:
    resolved = fonts.resolve(project.fonts_dir, project.cache)
    missing = [r.role.label for r in resolved if not r.chain]
    if missing:
        problems.add("系统", 0, f"找不到中文字体（{'、'.join(missing)}）：请运行 make 安装 fonts-noto-cjk，"
                              "或把字体文件放入 fonts/ 文件夹")
        return None
    by_key = {r.role.key: r for r in resolved}
    title, song, body = (fonts.excess(by_key[key].primary, project.cache) for key in ("title", "song", "body"))
    return FontSetup(resolved, title, song, body)


FONTS_LATER = "/* huiwu: fonts */"  # in the HTML until the working fonts are cut (use_fonts)


Send = Callable[["Job", Kind, list[str]], None]


def prepare(job: Job, templates: Templates, setup: FontSetup, problems: Problems,
            only: frozenset[str] | None = None, send: Send | None = None) -> None:
    """Each document's HTML (or bytes), or the reason it is skipped; with `only`, just those kinds.
    `send`: given each document's HTML as soon as it is laid out (send_early)."""
    m = job.meeting
    job.fonts, job.problems = setup.resolved, problems
    build = job.build = {"created": m.created, "fonts_css": FONTS_LATER,
             "title_excess": setup.title_excess, "song_excess": setup.song_excess,
             "body_excess": setup.body_excess}
    fail = _fail(m, problems)

    def lay_out_doc(kind: Kind, doc: dict[str, Any]) -> str | None:
        assert kind.template is not None
        context = {"meeting": m, "doc": doc, "build": build}
        if job.laid is None:
            return templates.html(kind.template, context, problems)
        return job.laid.html(templates, kind.key, kind.template, context, problems, _dated(kind, m))

    def lay_out(kind: Kind) -> list[str]:
        """The kind's parts; a form is cut into chunks of pages (layout/paging.py)."""
        assert kind.context is not None
        docs: list[dict[str, Any]] = []
        plans: list[Paged] = []
        for doc in kind.context(m, fail):
            if doc.get("pageable"):  # a form (layout/paging.py), or a doc that brings its own pieces
                pieces = doc["pieces"] if "pieces" in doc else paging.chunks(doc, bool(m.secrecy_mark))
                plans.append(Paged(len(docs), [p["paged"]["count"] for p in pieces], doc))
                docs += pieces
            else:
                docs.append(doc)
        parts = [lay_out_doc(kind, doc) for doc in docs]
        job.paged[kind.key] = plans
        return [p for p in parts if p is not None]

    job.lay_out, job.lay_out_doc = lay_out, lay_out_doc
    made_from = inputs(job)
    for kind in kinds.KINDS if only is None else [k for k in kinds.KINDS if k.key in only]:
        job.dated = job.dated or kind.dated(m)  # also when the date decides whether it is made at all
        reason = kind.skip(m)
        if reason:
            job.skipped[kind.output] = reason
            continue
        if kind.data is not None:
            job.files.append((kind, kind.data(m, fail)))
        elif kind.after:
            job.later.append(kind)
            templates.check(str(kind.template), problems)
        elif _made_as_before(job, kind, made_from(kind)):
            continue  # laid out again only if this build's fonts come out otherwise (use_fonts)
        else:
            job.docs.append((kind, lay_out(kind)))
            if send is not None and not problems:
                send(job, kind, job.docs[-1][1])


def inputs(job: Job) -> Callable[[Kind], str | None]:
    """What a kind's documents are made from, as one digest: the code, layouts, fonts and settings, the meeting's
    sources — of the attendee table just the columns the kind shows (Kind.columns) —, the fonts' metrics and, when
    it matters, the build date. None: not known (the kind shows any column, or the build is forced)."""
    m = job.meeting
    shared = f"{_but_the_table(job)}\0" + repr(sorted((k, v) for k, v in job.build.items() if k != "fonts_css"))
    people = m.attendees + m.stand_ins
    shown = functools.cache(lambda columns: freshness.columns(people, columns))

    def made_from(kind: Kind) -> str | None:
        if kind.columns is None or not job.sources:
            return None
        return hashlib.sha256(f"{shared}\0{shown(kind.columns)}\0{_dated(kind, m)}".encode()).hexdigest()

    return made_from


def _but_the_table(job: Job) -> str:
    """The code and WeasyPrint, the layouts, fonts and settings, and the meeting's sources but the attendee table."""
    m = job.meeting
    table = m.attendees_path.relative_to(m.folder).as_posix() if m.attendees_path else None
    return f"{render.version()}\0{freshness.digest(job.shared, job.sources, table)}"


def _dated(kind: Kind, m: Meeting) -> str:
    """The build date, for a kind whose documents show it (Kind.dated); else nothing."""
    return build_date().isoformat() if kind.dated(m) else ""


def _made_as_before(job: Job, kind: Kind, made_from: str | None) -> bool:
    """Whether the kind's last documents were made from what this build would make them from: then they are kept
    (Job.kept) without laying them out, as long as the fonts are those of the last build too (use_fonts)."""
    if made_from is None:
        return False
    job.made_from[kind.key] = made_from
    last = job.before.get("kinds", {}).get(kind.key, {})
    if last.get("made_from") != made_from:
        return False
    job.kept[kind.key] = last
    return True


def _laid(project: Project, job: Job) -> Laid:
    """The parts kept for the meeting, made from the code, layouts, settings and its sources but the attendee table
    (a part names the people it shows); laid out anew when the build is forced."""
    return Laid(project.output / ".cache" / "laid" / job.meeting.id, _but_the_table(job), read=bool(job.sources))


def _fail(m: Meeting, problems: Problems) -> Fail:
    def fail(line: int, message: str, path: Path | None = None) -> None:
        problems.add(path or m.source.path, line, message)

    return fail


def check_kinds(m: Meeting, problems: Problems, only: frozenset[str] | None = None) -> None:
    """What the kinds made for the meeting need of its sources (Kind.check): with `only`, those kinds."""
    fail = _fail(m, problems)
    for kind in kinds.KINDS:
        if kind.check and (only is None or kind.key in only) and not kind.skip(m):
            kind.check(m, fail)


def use_fonts(project: Project, job: Job) -> None:
    """The meeting's documents set in working copies of their fonts, cut to the characters their sources and their
    HTML hold (the sources' too: so fonts cut before the HTML is made, for the documents sent early, come out the
    same unless a layout's own words add a character — also when only some documents are made). A document kept
    from the last build (Job.kept) prints what it printed then; if the fonts come out otherwise, or its files are
    gone, it is laid out after all."""
    job.chars |= {kind.key: _beyond(job, parts) for kind, parts in job.docs}
    kept = [e.get("chars", "") for e in job.kept.values()]
    chars = job.sources_print | working_fonts.wanted(itertools.chain(job.chars.values(), kept))
    css = working_fonts.stylesheet(job.fonts, chars, project.font_copies)
    out_dir = project.output / job.meeting.id
    again = [key for key, e in job.kept.items()
             if css != job.before.get("fonts") or not all((out_dir / f).exists() for f in e.get("files", []))]
    for kind in (k for k in kinds.KINDS if k.key in again):
        del job.kept[kind.key]
        job.docs.append((kind, job.lay_out(kind)))
        job.chars[kind.key] = _beyond(job, job.docs[-1][1])  # as when it was kept: within the fonts
    if job.problems:  # cannot happen: the same sources were laid out before
        raise BuildFailed(job.problems)
    working_fonts.keep(css, project.font_copies)
    if css != job.early_fonts:  # the documents sent early were set in other fonts: dropped, sent again
        job.early.clear()
    job.build["fonts_css"] = css  # the kinds laid out later
    job.docs = [(kind, _set_in(job, kind, parts, css)) for kind, parts in job.docs]


def _beyond(job: Job, parts: list[str]) -> str:
    """The characters the parts print beyond what every working copy holds (working_fonts.beyond_base)."""
    return job.laid.beyond(parts) if job.laid is not None else working_fonts.beyond_base(parts)


def _set_in(job: Job, kind: Kind, parts: list[str], css: str) -> list[str]:
    """The parts with the working fonts' stylesheet in them; those sent early already are, if in the same fonts
    (25 MB of HTML at 2,000 attendees, not copied again)."""
    made, done = job.set_early.get(kind.key, (None, None))
    if made is parts and done is not None and css == job.early_fonts:
        return done
    return [p.replace(FONTS_LATER, css, 1) for p in parts]


@functools.lru_cache(maxsize=4)
def _templates(layouts: Path) -> Templates:
    """One Jinja2 environment a layouts folder: the live preview's rebuilds reuse its compiled templates
    (Jinja2 compiles a layout again when its file changes)."""
    return Templates(layouts)


@contextmanager
def remembering(project: Project) -> Iterator[None]:
    """The slow values of the last build (QR codes, word cuts, pinyin, calendar files, PDF cuts, the archive's facts
    of PDFs, the forms' rows, the materials' page counts and sizes) read from the project's cache, and the ones used
    by this build or check written back when it ends: the archive laid out last uses them too. The cache files of
    earlier versions are removed."""
    for name in OLD_CACHES:
        try:
            (project.cache / name).unlink(missing_ok=True)
        except OSError:  # a cache folder not ours to tidy
            pass
    with (qr.remembered(project.cache / "qr-codes-2.tsv"), measure.cut.remembered(project.cache / "words.tsv"),
          search.name_keys.remembered(project.cache / "pinyin.tsv"),
          calendar.remembered(project.cache / "calendars.tsv"), joining.remembered(project.cache / "joins"),
          joining.recorded(project.cache / "joined"),
          archive.pdf_facts.remembered(project.cache / "pdf-facts.tsv"),
          archive.part_facts.remembered(project.cache / "part-facts.tsv"), forms.remembered(project.cache / "rows"),
          materials.known.remembered(project.cache / "materials.tsv")):
        yield


OLD_CACHES = ("qr-codes.json", "qr-codes.tsv", "words.json", "pinyin.json", "calendars.json", "joins.json", "joins.tsv",
              "pinyin-characters.tsv")


@contextmanager
def collecting_less() -> Iterator[None]:
    """Python's cycle collector kept from looking through what was there before the build (the modules, a live
    preview's warm state) and run less often: it took a tenth of a build's time. At the end, all is as before."""
    threshold = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(GC_THRESHOLD, *threshold[1:])
    try:
        yield
    finally:
        gc.set_threshold(*threshold)
        gc.unfreeze()


GC_THRESHOLD = 50_000  # new objects between two collections of the youngest (Python's default: 700)


def validate(project: Project, todo: list[Stale], only: frozenset[str] | None = None,
             send: Send | None = None, checked: Checked | None = None) -> list[Job]:
    """Read, check and lay out every stale meeting; raise with all problems found. `send`: see prepare.
    `checked`: told the meetings once their sources check out, before their documents are laid out."""
    problems = Problems()
    stale = {s.folder: s for s in todo}
    jobs = [Job(m, *stale[m.folder][1:]) for m in load(project, list(stale), problems)]
    setup = font_setup(project, problems)
    if setup and not problems:
        drawable = fonts.drawable(setup.resolved, project.cache)
        for job in jobs:
            check_glyphs(job.meeting, drawable, problems)
            previous = freshness.read_revision(project.output / job.meeting.id)
            job.meeting.revision = calendar.revise(previous, job.meeting, datetime.now(UTC))
            job.before = freshness.read_stamp(project.output / job.meeting.id)
            check_kinds(job.meeting, problems, only)
            consistency.check(job.meeting, problems)
        if checked and not problems:
            checked([job.meeting for job in jobs])
        templates = _templates(project.layouts)
        for job in jobs:
            job.laid = _laid(project, job)
            prepare(job, templates, setup, problems, only, send)
    if problems:
        raise BuildFailed(problems)
    return jobs


def build(project: Project, echo: Echo, force: bool = False, only: frozenset[str] | None = None,
          workers: Workers | None = None, checked: Checked | None = None) -> Summary:
    """With `only` (kind keys), just those documents of every meeting are laid out and written: the
    meetings' other files, their stamps and the site are left as they are (the next full build catches up).
    Every source is read from disk once in a build: the digest, the records and the archive share it.
    `workers`: render processes kept warm by the caller (the live preview); else made for this build.
    `checked`: told the meetings once every source has checked out, before any document is laid out (the live
    preview writes their site pages then); a layout's own mistake may still stop the build after."""
    summary = Summary()
    with files.once(), remembering(project), collecting_less():
        try:
            try:
                return _build(project, echo, force, only, summary, workers, checked)
            finally:
                _written_behind(summary, said=False)  # a build stopped: what it began is still written whole
                render.forget_read()  # the parts read from the chunk caches: let go (the live preview builds again)
                archive.forget()
        except WriteFailed as exc:  # the disk, not the sources: say which file, and what was replaced
            raise BuildFailed(exc.problems(len(summary.written) + summary.site)) from exc


def _written_behind(summary: Summary, said: bool = True) -> None:
    """Wait for the files written behind the build (render.Deferred). A meeting one of them failed for loses its
    stamp: the next build makes it again. What failed is raised (`said`)."""
    failed = None
    for out_dir, deferred in summary.behind:
        try:
            deferred.wait()
        except BaseException as exc:
            (out_dir / freshness.STAMP).unlink(missing_ok=True)
            failed = failed or exc
    summary.behind.clear()
    if failed is not None and said:
        raise failed


def _build(project: Project, echo: Echo, force: bool, only: frozenset[str] | None, summary: Summary,
           warm: Workers | None, checked: Checked | None = None) -> Summary:
    started = time.monotonic()
    todo, summary.up_to_date, shared = stale(project, force or only is not None)
    if not todo:
        summary.site = assemble_site(project, echo, summary.site)  # pages missing or out of date
        return summary
    workers = warm or claim()
    if warm is None:
        workers.start(project.font_copies / working_fonts.LAST)
    inputs = f"{render.version()}:{shared}"
    try:
        try:
            jobs = validate(project, todo, only, functools.partial(send_early, project, workers, inputs, force),
                            checked)
        except BuildFailed:
            if warm is None:
                workers.close(abandon=True)
            raise
        echo(f"开始生成：{len(jobs)} 个会议有改动（{'、'.join(j.meeting.id for j in jobs)}）")
        note = fonts.fallback_note(jobs[0].fonts) if jobs else None  # resolved once, in validate
        if note:
            echo(note)
        for warning in warnings(jobs):
            echo(f"  {warning}")
        try:
            for job in jobs:
                use_fonts(project, job)
                last = warm is None and job is jobs[-1]  # workers of this build: let go once nothing is left to render
                write_meeting(project, job, workers, summary, echo, inputs, force, partial=only is not None,
                              rendered=workers.stop if last else None)
        except BuildFailed as exc:  # a layout that failed, a worker lost: said with what was written before it
            exc.problems.written = exc.problems.written or len(summary.written)
            raise
        if only is None:
            summary.site = assemble_site(project, echo, summary.site)
        _written_behind(summary)
    finally:  # told to stop once the last part was given them (write_meeting): gone meanwhile, as the site was made
        if warm is None:
            workers.close()
    summary.seconds = time.monotonic() - started
    return summary


def kind_keys(names: str) -> frozenset[str]:
    """`notice,badges` (or the staff's names: 会议通知,证件) as kind keys; an unknown name is a problem."""
    by_name = {k.key: k.key for k in kinds.KINDS} | {k.title: k.key for k in kinds.KINDS}
    wanted = [n.strip() for n in names.replace("，", ",").split(",") if n.strip()]
    unknown = [n for n in wanted if n not in by_name]
    if unknown or not wanted:
        problems = Problems()
        known = "、".join(f"{k.key}（{k.title}）" for k in kinds.KINDS)
        problems.add("命令行", 0, f"--only：没有“{'、'.join(unknown)}”这种文档；可用：{known}")
        raise BuildFailed(problems)
    return frozenset(by_name[n] for n in wanted)


def assemble_site(project: Project, echo: Echo, count: int = 0) -> int:
    """The site's home, search and index, catching up meetings whose pages are missing or stale: only a
    meeting whose sources check out is published (its documents were built from them). Returns the
    number of site files written, `count` included."""
    def checked(folders: list[Path]) -> list[Meeting]:
        found = []
        for folder in folders:
            problems = Problems()
            found += [m for m in load(project, [folder], problems) if not problems]
        return found

    return site.assemble(project, echo, count, checked)


def check(project: Project) -> tuple[int, list[str]]:
    """Everything a build checks, for every meeting, without rendering: the count, and the 警告 (lint.advice)."""
    with files.once(), remembering(project):
        jobs = validate(project, [Stale(f, "") for f in project.meeting_dirs()])
    return len(jobs), warnings(jobs)


def warnings(jobs: list[Job]) -> list[str]:
    """What deserves a second look in the meetings checked (lint.advice), each as `警告：file:line: …`."""
    return [f"警告：{w}" for job in jobs for w in lint.advice(job.meeting).items]


def write_meeting(project: Project, job: Job, workers: Workers, summary: Summary, echo: Echo,
                  inputs: str, force: bool = False, partial: bool = False,
                  rendered: Callable[[], None] | None = None) -> None:
    """Write a meeting's documents. A document whose HTML (and `inputs`: code, layouts, fonts) is
    unchanged keeps its files, and a part rendered before comes from the chunk cache — unless `force`.
    `rendered`: told once the meeting's last part is rendered (the workers then stop while its stamp is written
    and its site pages made)."""
    out_dir = job.meeting.output_dir = project.output / job.meeting.id
    before = job.before
    written = [f for kept in job.kept.values() for f in kept["files"]]  # made from what they were made from before
    made: dict[str, dict] = dict(job.kept)
    summary.unchanged += len(job.kept)
    todo = []
    for kind, parts in job.docs:
        kept = _kept(out_dir, job, kind, parts, inputs, force)
        if kept is not None:
            written += kept["files"]  # same HTML as last time: the files already hold this content
            made[kind.key] = kept
            summary.unchanged += 1
        else:
            todo.append((kind, parts))
    if not partial and not job.meeting.secret:  # a 涉密 meeting has no pages
        job.idle.append(functools.partial(site.ahead, project, job.meeting, job.ahead))
    if job.laid is not None:
        job.idle.append(job.laid.prune)  # the kinds laid out so far: their parts are all asked for by now
    render_kinds(project, job, todo, workers, summary, echo, inputs, force, written, made)
    for kind, _ in job.docs:  # what the next build tells a kind's documents unchanged by (_made_as_before)
        made[kind.key] = {**made[kind.key], "made_from": job.made_from.get(kind.key), "chars": job.chars[kind.key]}
    for kind, data in job.files:
        _write(out_dir, [(kind.output, data)], written, summary)
        echo(f"  {job.meeting.id}  {_pad(kind.title, 14)} {kind.output}")
    for kind in job.later:  # each lists what was written before it (the archive, the 送审件): always made anew
        job.meeting.outputs = _outputs(out_dir, job, made, before if partial else None)
        parts = job.lay_out(kind)
        if job.problems:  # its layout failed (a template's mistake): said like any problem
            raise BuildFailed(job.problems)
        render_kinds(project, job, [(kind, parts)], workers, summary, echo, inputs, force, written, made)
    if rendered is not None:
        rendered()
    if not partial or any(kind.key == "reminders" for kind, _ in job.files):  # a calendar file is written
        freshness.write_revision(out_dir, calendar.recorded(job.meeting.revision))
    if job.laid is not None:
        job.laid.prune()
    if partial:  # some made only: nothing else of the meeting is touched
        summary.skipped += [f"{job.meeting.id}/{name}：{reason}" for name, reason in job.skipped.items()]
        return
    _tidy(out_dir, job, before, written, summary)
    as_of = build_date().isoformat() if job.dated else None
    stamp = freshness.write_stamp(out_dir, job.digest, written, job.skipped, as_of, made, job.build["fonts_css"])
    summary.site += site.publish(project, job.meeting, job.ahead, stamp)


def _outputs(out_dir: Path, job: Job, made: dict[str, dict], before: dict | None) -> list[Output]:
    """The meeting's files as they stand, in registry order. `before`: the last stamp, when only some kinds
    were made (--only): the others' files stand as they were."""
    known = {**before.get("kinds", {}), **made} if before is not None else made
    data = {k.key for k, _ in job.files} if before is None else {k.key for k in kinds.KINDS if k.data}
    standing = _standing(out_dir)
    return [Output(k.title, f, k.filed, k.numbers) for k in kinds.KINDS
            for f in ([k.output] if k.key in data else known.get(k.key, {}).get("files", []))
            if f in standing]


def _standing(folder: Path, prefix: str = "") -> set[str]:
    """The files under `folder`, as paths from it ("materials/…/000043-….pdf"), from one listing of each folder (a
    meeting's 1,500 numbered copies were looked at one by one, twice a build); a linked folder is not gone into."""
    found: set[str] = set()
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return found
    for entry in entries:
        if entry.is_dir(follow_symlinks=False):
            found |= _standing(Path(entry.path), f"{prefix}{entry.name}/")
        elif entry.is_file():
            found.add(prefix + entry.name)
    return found


def _kept(out_dir: Path, job: Job, kind: Kind, parts: list[str], inputs: str, force: bool) -> dict | None:
    """What the last build wrote for the kind, if its HTML was this very HTML and its files are there."""
    kept = job.before.get("kinds", {}).get(kind.key, {})
    if force or kept.get("parts") != _parts_digest(job, kind, parts, inputs):
        return None
    return kept if all((out_dir / f).exists() for f in kept["files"]) else None


@dataclass
class Sent:
    """A document's parts given to the workers: `ready`, with the page numbers known so far (FIRST_PAGE);
    the first `first` of them sent."""

    ready: list[str]
    first: int
    cache: ChunkCache
    result: Callable[[], Rendered]


def _send(project: Project, job: Job, kind: Kind, parts: list[str], workers: Workers, inputs: str,
          force: bool) -> Sent:
    cache = _cache(project, job, kind, inputs, read=not force)
    first = next((i for i, p in enumerate(parts) if i and FIRST_PAGE in p), len(parts))
    known = [cache.get(p) for p in parts[:first]] if first < len(parts) else []
    ready = parts
    if known and all(known):  # the parts before were rendered before: their pages are known now
        ready, first = _numbered(job, kind, parts, [hit[1] for hit in known if hit]), len(parts)
    return Sent(ready, first, cache, workers.submit(ready[:first], job.meeting.folder, cache,
                                                    unread=kind.finish is None))  # joined here, from the file
    # as it stands: the parts it holds already are not read


def send_early(project: Project, workers: Workers, inputs: str, force: bool, job: Job, kind: Kind,
               parts: list[str]) -> None:
    """A document laid out while the others still are: its fonts are cut from what all of them print, but most
    builds print the characters the last one did (early_fonts). Set in those, it is sent to the workers now,
    unless its files already hold it; use_fonts drops it if this build's fonts come out otherwise."""
    css = early_fonts(project, job)
    done = [p.replace(FONTS_LATER, css, 1) for p in parts]
    job.set_early[kind.key] = (parts, done)
    if _kept(project.output / job.meeting.id, job, kind, done, inputs, force) is None:
        job.early[kind.key] = _send(project, job, kind, done, workers, inputs, force)


def early_fonts(project: Project, job: Job) -> str:
    """The working fonts of the documents sent early, cut to what the sources hold and what the last build's
    documents printed: use_fonts cuts the same unless a document now prints a character neither holds (then those
    sent early are sent again). Most builds: the last build's fonts, named in its stylesheet. A name with a new
    character, or copies now cut otherwise, get their fonts at once: the documents were rendered twice, first in
    the last build's fonts (a 2,000-person meeting: 190 s instead of 110)."""
    if job.early_fonts is None:
        printed = (kind.get("chars", "") for kind in job.before.get("kinds", {}).values())
        chars = job.sources_print | working_fonts.wanted(printed)
        css = job.before.get("fonts", "")
        if not (css and working_fonts.holds(css, chars)
                and working_fonts.present(css, (project.font_copies, project.fonts_dir))):
            css = working_fonts.stylesheet(job.fonts, chars, project.font_copies)
        job.early_fonts = css
    return job.early_fonts


Waited = Iterator[Callable[[], Rendered]]  # a document's rendering: yields each result it waits for (rendering)


def render_kinds(project: Project, job: Job, todo: list[tuple[Kind, list[str]]], workers: Workers,
                 summary: Summary, echo: Echo, inputs: str, force: bool, written: list[str],
                 made: dict[str, dict]) -> None:
    """Render documents side by side in the workers (those sent early are on their way), and finish and write
    each as its parts come back: a document that waits on more parts (the 须知's name list, numbered on from
    its front) does not hold up the finishing of those rendered meanwhile (stamping the numbered copies)."""
    waiting: list[tuple[Waited, Callable[[], Rendered]]] = []
    for kind, parts in todo:
        sent = job.early.pop(kind.key, None) or _send(project, job, kind, parts, workers, inputs, force)
        steps = rendering(project, job, kind, parts, sent, workers, summary, echo, inputs, written, made)
        waiting.append((steps, next(steps)))
    while waiting:
        steps, _ = waiting.pop(workers.earliest([result for _, result in waiting], functools.partial(_idle, job)))
        for result in steps:  # what it waits for next, if anything
            waiting.append((steps, result))
            break


def _idle(job: Job) -> bool:
    """A piece of the meeting's own work done while the workers render (Job.idle); False: none left."""
    if not job.idle:
        return False
    job.idle.pop(0)()
    return True


def rendering(project: Project, job: Job, kind: Kind, parts: list[str], sent: Sent, workers: Workers,
              summary: Summary, echo: Echo, inputs: str, written: list[str], made: dict[str, dict]) -> Waited:
    """One document from the parts sent to its files written; yields each result it waits for, and goes on once
    that has come."""
    cache, done = sent.cache, sent.ready[:sent.first]
    rendered = yield from _awaited(project, kind, sent.result)
    if sent.first < len(parts):
        rendered, done = yield from _continued(project, job, kind, rendered, parts, workers, cache)
    rendered, whole = yield from _paged(project, job, kind, rendered, workers, cache)
    if kind.finish:
        chunked = [p for p in job.paged.get(kind.key, []) if p not in whole]
        rendered.pdfs = list(_one_per_doc(read_all(rendered.pdfs), chunked))
    stash = Stash(cache)
    files = _finish(project, job, kind, rendered, summary, echo, stash)
    cache.prune(done + list(whole.values()))
    _write(project.output / job.meeting.id, files, written, summary, stash, keep=bool(job.later))
    stash.prune()
    job.idle += [task for later in job.later if later.prepares for name, data in files
                 if isinstance(data, bytes) and (task := later.prepares(job.meeting, name, data))]
    made[kind.key] = {"parts": _parts_digest(job, kind, parts, inputs), "files": [name for name, _ in files]}


def _parts_digest(job: Job, kind: Kind, parts: list[str], inputs: str) -> str:
    """freshness.parts_digest, made once a kind: its parts are asked about when sent early, before they are
    rendered and once written (2,000 attendees: 14 MB of HTML hashed each time), of the parts' keys in the chunk
    cache: a part is hashed once a build (Job.part_keys)."""
    last = job.digests.get(kind.key)
    if last is None or last[0] != parts:
        keys = [render.known_key(job.part_keys, inputs, p) for p in parts]
        last = job.digests[kind.key] = (parts, freshness.parts_digest(keys, inputs))
    return last[1]


def _awaited(project: Project, kind: Kind, result: Callable[[], Rendered]) -> Generator[
        Callable[[], Rendered], None, Rendered]:
    """A result the workers are making: yielded to render_kinds, which goes on here once it has come."""
    yield result
    return _rendered(project, kind, result)


def _continued(project: Project, job: Job, kind: Kind, rendered: Rendered, parts: list[str], workers: Workers,
               cache: ChunkCache) -> Generator[Callable[[], Rendered], None, tuple[Rendered, list[str]]]:
    """The parts that number their pages on from the ones before (FIRST_PAGE: the 须知's name list after its
    front), rendered once those are: each begins on the last page of the parts before it, which stands in for
    it, and the pages planned for the chunks before it (a chunk that comes out otherwise is redone whole)."""
    sent = _numbered(job, kind, parts, rendered.counts)
    again = yield from _awaited(project, kind, workers.submit(sent[len(rendered.counts):], job.meeting.folder, cache))
    return rendered + again, sent


def _numbered(job: Job, kind: Kind, parts: list[str], counts: list[int]) -> list[str]:
    """`parts` with FIRST_PAGE set in those after the first len(counts), whose pages are `counts`."""
    planned = {plan.start + i: count for plan in job.paged.get(kind.key, []) for i, count in enumerate(plan.counts)}
    sent, page = parts[:len(counts)], sum(counts)
    for i in range(len(counts), len(parts)):
        sent.append(parts[i].replace(FIRST_PAGE, str(page), 1))
        page += planned[i]
    return sent


def _paged(project: Project, job: Job, kind: Kind, rendered: Rendered, workers: Workers,
           cache: ChunkCache) -> Generator[Callable[[], Rendered], None, tuple[Rendered, dict[Paged, str]]]:
    """Each form cut into chunks must come out as the pages planned; one that does not is rendered whole
    instead (its page breaks then are the layout engine's own). Returns the forms so rendered, with their HTML."""
    whole: dict[Paged, str] = {}
    for plan in reversed(job.paged.get(kind.key, [])):
        span = slice(plan.start, plan.start + len(plan.counts))
        if rendered.counts[span] == plan.counts:
            continue
        html = job.lay_out_doc(kind, {**plan.doc, "pageable": False})
        if html is None:  # cannot happen: the chunks of this very doc were laid out
            continue
        html = html.replace(FIRST_PAGE, str(sum(rendered.counts[:plan.start])), 1)  # numbered on (_continued)
        again = yield from _awaited(project, kind, workers.submit([html], job.meeting.folder, cache))
        rendered.pdfs[span], rendered.counts[span] = again.pdfs, again.counts
        rendered.pages, rendered.seconds = sum(rendered.counts), rendered.seconds + again.seconds
        whole[plan] = html
    return rendered, whole


def _one_per_doc(pdfs: list[bytes], chunked: list[Paged]) -> list[bytes]:
    """The rendered parts with each form's chunks joined back into one PDF: a kind's own finish is given one
    PDF a doc (an archive package's index, however many pages it runs to). Joined: a join of the finish takes the
    chunks again (the 须知's front and name list: the list's chunks, as their cuts are kept)."""
    out = list(pdfs)
    for plan in reversed(chunked):
        span = slice(plan.start, plan.start + len(plan.counts))
        out[span] = [Joined.of(out[span])]
    return out


def _tidy(out_dir: Path, job: Job, before: dict, written: list[str], summary: Summary) -> None:
    """Remove the files of documents that no longer apply, and say why they were not made."""
    for name, reason in job.skipped.items():
        summary.skipped.append(f"{job.meeting.id}/{name}：{reason}")
    kept = set(written)  # 1,500 numbered copies at 2,000 attendees: looked up in a list, 2 million comparisons
    for name in before.get("outputs", []):
        if name not in kept:
            (out_dir / name).unlink(missing_ok=True)
    for name in job.skipped:
        if (out_dir / name).is_file():
            (out_dir / name).unlink()


def _cache(project: Project, job: Job, kind: Kind, inputs: str, read: bool = True) -> ChunkCache:
    return ChunkCache(project.output / ".cache" / "chunks" / job.meeting.id / kind.key, inputs, read, job.part_keys)


def _finish(project: Project, job: Job, kind: Kind, rendered: Rendered, summary: Summary,
            echo: Echo, stash: Stash) -> Files:
    """The rendered parts made into the document's files (joined — from the file written before, as a kind's finish
    does, unless the build is forced: joining.join —, imposed, stamped)."""
    t = time.monotonic()
    if kind.finish:
        files = kind.finish(job.meeting, read_all(rendered.pdfs), stash)
    else:
        out = job.meeting.output_dir
        joined = join(rendered.pdfs, duplex=kind.duplex, before=out / kind.output if out and stash.reads else None)
        files = [(kind.output, joined)]
        if kind.filed and not kind.duplex and any(later.key == "archive" for later in job.later):
            archive.joined(joined, rendered.pdfs)  # its facts for the archive's index, from the parts' own
    pages = page_count(files, kind.repeats) if kind.finish else rendered.pages
    summary.pages += pages
    more = f"（共 {len(files)} 个文件）" if len(files) > 1 else ""
    shown = files[0][0] if len(files) == 1 else kind.output
    echo(f"  {job.meeting.id}  {_pad(kind.title, 14)} {shown:<22} {pages:>3} 页  "
         f"{rendered.seconds + time.monotonic() - t:.1f} 秒{more}")
    for w in rendered.warnings:
        echo(f"  {project.layouts.name}/{kind.template}: 警告：{w}")
    return files


def page_count(files: Files, repeats: tuple[str, ...] = ()) -> int:
    """The pages of the PDFs written: a finished document (stamped copies of a material) has other pages
    than the parts rendered for it. Files that show the others' pages once more are not counted again."""
    return sum(data.pages if isinstance(data, Stashed) else pages_of(data) for name, data in files
               if name.endswith(".pdf") and not isinstance(data, Deferred)
               and not any(fnmatch.fnmatch(name, r) for r in repeats))


def _pad(text: str, width: int) -> str:
    """Left-aligned in a terminal column: a Chinese character takes two cells."""
    cells = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
    return text + " " * max(0, width - cells)


def _rendered(project: Project, kind: Kind, result: Callable[[], Rendered]) -> Rendered:
    try:
        return result()
    except (BuildFailed, WriteFailed, KeyboardInterrupt, SystemExit):
        raise
    except OSError as exc:  # the disk, not the layout: WeasyPrint keeps the fonts it loads in a temporary folder
        if exc.errno in WriteFailed.REASONS:
            raise WriteFailed(Path(exc.filename or tempfile.gettempdir()), exc) from exc
        raise _layout_failed(project, kind, exc) from exc
    except BaseException as exc:  # a layout bug (WeasyPrint's fetch errors are BaseException): still say where
        raise _layout_failed(project, kind, exc) from exc


def _layout_failed(project: Project, kind: Kind, exc: BaseException) -> BuildFailed:
    problems = Problems()
    problems.add(project.layouts / str(kind.template), 0, f"排版失败（{type(exc).__name__}: {exc}）")
    return BuildFailed(problems)


def _write(out_dir: Path, outputs: Files, written: list[str], summary: Summary, stash: Stash | None = None,
           keep: bool = False) -> None:
    """`keep`: what is written is read again by the kinds laid out after the others (Kind.after): kept for them."""
    for name, data in outputs:
        if isinstance(data, Stashed):
            assert stash is not None
            summary.rewritten += stash.write(out_dir / name, data)
        elif isinstance(data, Deferred):
            data.start(out_dir / name)
            summary.behind.append((out_dir, data))
            summary.rewritten += 1
        else:
            summary.rewritten += write_changed(out_dir / name, data)
            joining.settle(out_dir / name)
            if keep:
                files.wrote(out_dir / name, data)
        written.append(name)
        summary.written.append(f"{out_dir.name}/{name}")
