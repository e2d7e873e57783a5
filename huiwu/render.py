"""HTML from layouts (Jinja2) and PDF from HTML (WeasyPrint), in one long-lived process.

WeasyPrint is imported once per build, lazily: a build with nothing to do never pays for it.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import io
import itertools
import json
import logging
import os
import queue
import re
import shutil
import stat
import sys
import threading
import time
import traceback
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, NoReturn

import jinja2

from . import declared, pdfa, quicker
from .problems import BuildFailed, Problems, WriteFailed

FIRST_PAGE = "/* huiwu: first page */"  # in a part continuing the one before: its first page's number, once known


@dataclass
class Rendered:
    pdfs: list[bytes | Unread]  # one per HTML part
    pages: int
    counts: list[int] = field(default_factory=list)  # the pages of each part
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def __add__(self, more: Rendered) -> Rendered:
        """These parts, then `more`'s."""
        return Rendered(self.pdfs + more.pdfs, self.pages + more.pages, self.counts + more.counts,
                        self.warnings + more.warnings, self.seconds + more.seconds)


class Templates:
    """Jinja2 over layouts/: strict about undefined names, escaping everything."""

    def __init__(self, layouts: Path):
        self.layouts = layouts
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(layouts), undefined=jinja2.StrictUndefined,
            autoescape=True, trim_blocks=True, lstrip_blocks=True, bytecode_cache=_compiled())

    def html(self, template: str, context: dict[str, Any], problems: Problems) -> str | None:
        try:
            return self.env.get_template(template).render(**context)
        except jinja2.TemplateError as exc:
            self._said(exc, template, problems)
        return None

    def check(self, template: str, problems: Problems) -> None:
        """The template is there and compiles: said before anything is written, for a kind laid out last."""
        try:
            self.env.get_template(template)
        except jinja2.TemplateError as exc:
            self._said(exc, template, problems)

    def _said(self, exc: jinja2.TemplateError, template: str, problems: Problems) -> None:
        if isinstance(exc, jinja2.TemplateSyntaxError):
            problems.add(self.layouts / (exc.name or template), exc.lineno, f"模板语法错误：{exc.message}")
        else:
            path, line = self._template_frame(exc, template)
            problems.add(path, line, f"模板错误：{exc}")

    def _template_frame(self, exc: Exception, template: str) -> tuple[Path, int]:
        frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename.endswith(".j2")]
        if frames:
            return Path(frames[-1].filename), frames[-1].lineno or 0
        return self.layouts / template, 0


class _Compiled(jinja2.FileSystemBytecodeCache):
    """Compiled templates kept between builds (a fifth of a second a build), in the user's own folder of the
    system's temporary directory, checked against the layout's text. A cache: when it cannot be read or
    written (a full disk), the template is compiled as if it were not there."""

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except (OSError, ValueError, EOFError):
            bucket.reset()

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            super().dump_bytecode(bucket)
        except OSError:
            pass


def _compiled() -> _Compiled | None:
    try:
        return _Compiled()
    except (OSError, RuntimeError):  # no usable temporary directory
        return None


class Engine:
    """One WeasyPrint set-up (fonts, fetcher) reused for every document of a build."""

    def __init__(self, fonts: Path | None = None) -> None:
        """`fonts`: the folder WeasyPrint is to copy the fonts into (else a temporary folder of its own making)."""
        try:
            with _libraries_by_name():
                weasyprint = declared.load()
            from weasyprint.text import ffi
            from weasyprint.text.fonts import FontConfiguration
        except OSError as exc:  # Pango or HarfBuzz missing from the system
            system_problem(f"无法加载排版库（{exc}）。请运行 make 安装系统依赖")
        if getattr(ffi, "harfbuzz_subset", None) is None:
            system_problem("缺少 libharfbuzz-subset0：中文字体嵌入会慢十倍以上。请运行 make 安装系统依赖，"
                            "或执行 sudo apt-get install libharfbuzz-subset0")
        quicker.apply(ffi.ffi)
        _instances_as_made()
        self.weasyprint = weasyprint
        self.font_config = FontConfiguration()
        self._copies_in(fonts)
        self.fetcher = weasyprint.URLFetcher(allowed_protocols={"file", "data"}, fail_on_errors=True)
        self.sheets: dict[tuple[str, str], tuple[Any, list[str]]] = {}  # see _document

    def load_fonts(self, stylesheet: Path) -> None:
        """Load the fonts a stylesheet names (and set a line in each role), as a document using them would, and
        write its PDF (thrown away): the documents rendered next begin at once — writing the first PDF of a process
        sets up the C declarations of its fonts' subsetting, a tenth of a second. A stylesheet that cannot be read
        is passed over."""
        try:
            css = stylesheet.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return
        lines = "".join(f'<p style="font-family: var(--font-{role}); font-weight: {weight}">会议</p>'
                        for role in ("title", "body", "hei", "kai", "song") for weight in (400, 700))
        try:
            with _collected([]):
                self.weasyprint.HTML(string=f"<style>{css}</style>{lines}", base_url=str(stylesheet.parent),
                                     url_fetcher=self.fetcher).render(font_config=self.font_config).write_pdf()
        except Exception:  # a full disk, say: left for the documents to meet and say; the fonts set up anew
            from weasyprint.text.fonts import FontConfiguration

            folder = self.font_config._folder
            self.close()
            self.font_config = FontConfiguration()
            self.sheets.clear()  # their @font-face rules went to the set-up thrown away
            self._copies_in(folder)

    def forked(self, own: Path | None) -> None:
        """In a process forked from the one that set this up: fonts added from now on are copied into a folder of
        this process's own, `own` (WeasyPrint takes a font whose copy is in its folder for one it has added itself:
        in a shared folder, a font one process copied would never be added in the other). The fonts added before
        the fork are linked into it; they are read from the parent's folder, which stays until this ends.
        None: a folder of WeasyPrint's making, when it first needs one (the fonts added before are copied again)."""
        shared = self.font_config._folder
        self.font_config._folder = None
        if own is None:
            return
        self._copies_in(own)
        for path in Path(shared).iterdir() if shared else []:
            os.link(path, own / path.name)

    def _copies_in(self, folder: Path | None) -> None:
        if folder is not None:  # WeasyPrint's own attribute: made with mkdtemp when it is first needed
            folder.mkdir(parents=True, exist_ok=True)
            self.font_config._folder = folder

    def close(self) -> None:
        """Remove the copies of the fonts WeasyPrint made for this set-up (a temporary folder of 30 MB and more).
        WeasyPrint removes them when its font set-up is collected, which never happens in a worker process:
        it ends without collecting (os._exit), and every build would leave its fonts in the temporary folder."""
        folder = getattr(self.font_config, "_folder", None)  # WeasyPrint's own; set when a font is first added
        if folder:
            shutil.rmtree(folder, ignore_errors=True)
            self.font_config._folder = None

    def pdf(self, parts: list[str], base_url: Path, cache: ChunkCache | None = None) -> Rendered:
        """Render each HTML part (a copy, a chunk) to a PDF of its own; with a cache, a part
        rendered before (same HTML, same WeasyPrint) is taken from it instead."""
        out = Rendered([], 0)
        started = time.monotonic()
        with _collected(out.warnings):
            for part in parts:
                hit = cache.get(part) if cache else None
                if hit is None:
                    rendered = self._document(part, str(base_url), out.warnings)
                    hit = (rendered.write_pdf(pdf_variant=pdfa.VARIANT), len(rendered.pages))
                    if cache:
                        cache.put(part, *hit)
                if cache:  # with its key: sent to another process (a worker's), a noted read is not known there
                    hit = (cache.kept(part, hit[0]), hit[1])
                out.pdfs.append(hit[0])
                out.pages += hit[1]
                out.counts.append(hit[1])
        out.seconds = time.monotonic() - started
        return out

    def _document(self, part: str, base_url: str, warnings: list[str]) -> Any:
        """The part laid out. Its stylesheet (the layouts' one <style>: fonts, page, form) is parsed once for all
        the parts that have it — a tenth of the time of a one-page part — and given to WeasyPrint as a stylesheet
        of its own, with the part's own rules (OWN) after it: the same styles, the same PDF. A part of other
        stylesheets is laid out as it is."""
        html, css, own = _style_apart(part)
        sheet = None if css is None else self.sheets.get((css, base_url))
        if css is not None and sheet is None:
            if len(self.sheets) >= SHEETS_KEPT:
                self.sheets.clear()
            said = len(warnings)
            parsed = self.weasyprint.CSS(string=css, base_url=base_url, url_fetcher=self.fetcher,
                                         font_config=self.font_config)
            sheet = self.sheets[(css, base_url)] = (parsed, warnings[said:])
        elif sheet is not None:
            warnings += sheet[1]  # the stylesheet's own mistakes, said with every document that has it
        sheets = None if sheet is None else [sheet[0]]
        if sheets is not None and own:  # after the shared rules, as in the part: the same cascade
            sheets.append(self.weasyprint.CSS(string=own, base_url=base_url, url_fetcher=self.fetcher,
                                              font_config=self.font_config))
        doc = self.weasyprint.HTML(string=html, base_url=base_url, url_fetcher=self.fetcher)
        if not _MARKED.search(part):
            doc._ua_stylesheets = _lean_ua(doc._ua_stylesheets)
        return doc.render(font_config=self.font_config, stylesheets=sheets)


def _instances_as_made() -> None:
    """WeasyPrint embeds a variable font (one in a user's fonts/) as an instance fontTools makes of it at the weight
    used, which fontTools stamps with the time it is written (head.modified): the same sources gave other PDF bytes
    every second, and a build after an edit was no longer the same as a cold one. The instance keeps its font's own
    time."""
    from weasyprint.pdf import fonts

    made = fonts.instantiateVariableFont
    if getattr(made, "as_made", False):
        return

    def instanced(*args: Any, **kwargs: Any) -> Any:
        font = made(*args, **kwargs)
        if font is not None:
            font.recalcTimestamp = False
        return font

    instanced.as_made = True  # type: ignore[attr-defined]
    fonts.instantiateVariableFont = instanced


SHEETS_KEPT = 64
_MARKED = re.compile(r"list-item|footnote|note\(")  # a list item other than <li>, a footnote, a note: see _lean_ua
_UNMARKED = ("footnote-call", "footnote-marker", "note-call", "note-marker", "note-callback")
_lean: Any = None  # WeasyPrint's user agent stylesheet, lean (_lean_ua): made once a process


def _lean_ua(ua_stylesheets: Callable[[bool], list[Any]]) -> Callable[[bool], list[Any]]:
    """WeasyPrint's user agent stylesheet, lean: its rules for ::marker and the five pseudo-elements of footnotes
    and notes match every element, and each such element gets a style made for each of them, used or not — a
    tenth of the time a part takes to lay out. A marker is drawn only for a list item, and an <li> is the only one
    where no stylesheet says list-item; the others, only for a footnote (float: footnote) or a note (position:
    note()). For a part that says none of these, the ::marker rule is looked at for an <li> only and the others
    are left out: the same styles wherever they are used, the same PDF."""
    global _lean
    if _lean is None:
        import copy

        full = ua_stylesheets(False)[0]
        lean, matcher = copy.copy(full), copy.copy(full.matcher)  # cssselect2's: selectors by tag, and the others
        matcher.lower_local_name_selectors = {tag: list(found)
                                              for tag, found in full.matcher.lower_local_name_selectors.items()}
        matcher.other_selectors = []
        for entry in full.matcher.other_selectors:  # (test, specificity, order, pseudo-element, declarations)
            if entry[3] == "marker":
                matcher.lower_local_name_selectors.setdefault("li", []).append(entry)
            elif entry[3] not in _UNMARKED:
                matcher.other_selectors.append(entry)
        lean.matcher, _lean = matcher, lean

    def leaner(forms: bool = False) -> list[Any]:
        return [_lean, *ua_stylesheets(forms)[1:]]
    return leaner


_STYLE = re.compile(r"<style>(.*?)</style>", re.S)
_STYLING = re.compile(r"<style\b|<link\b", re.I)
OWN = "/* huiwu: this part only */"  # in a layout's stylesheet: the rules after it are the part's own (its pages'
# numbers: each chunk of a 签到表 begins on a page of its own), not shared with the document's other parts


def _style_apart(part: str) -> tuple[str, str | None, str]:
    """The part without its stylesheet, the stylesheet shared with other parts, and the part's own rules (after
    OWN; else none). Given apart, the stylesheets are the user's (CSS's origins), not the document's own: the same
    cascade, as long as it is the only <style> and says nothing `!important` (which would then win over a style
    attribute's). Else: the part as it is, None and none."""
    found = _STYLE.search(part)
    if found is None or "!important" in found[1] or len(_STYLING.findall(part)) != 1:
        return part, None, ""
    shared, _, own = found[1].partition(OWN)
    return part[:found.start()] + part[found.end():], shared, own.strip()


@contextlib.contextmanager
def _collected(sink: list[str]) -> Iterator[None]:
    """WeasyPrint's warnings, kept in `sink` (the build log says them) rather than printed."""
    handler = _Collect(sink)
    logger = logging.getLogger("weasyprint")
    logger.addHandler(handler)
    try:
        yield
    finally:
        logger.removeHandler(handler)


@contextlib.contextmanager
def _libraries_by_name() -> Iterator[None]:
    """WeasyPrint finds Pango, HarfBuzz and Fontconfig by trying the names each system gives them, Windows' and
    macOS' first. Each name that is not a library here makes cffi ask ctypes.util.find_library, which runs ldconfig,
    gcc and ld as programs: some twenty of them, 0.2 s and more in every render worker. Asked no one, cffi goes
    on to the next name, and the Linux names (libpango-1.0.so.0 …) are loaded by the dynamic linker directly —
    as any name find_library could give would be: on Linux it answers with such a name, not a path."""
    import ctypes.util

    if sys.platform != "linux":
        yield
        return
    asked = ctypes.util.find_library
    ctypes.util.find_library = lambda name: None
    try:
        yield
    finally:
        ctypes.util.find_library = asked


_CACHES = itertools.count()
_READ: dict[int, tuple[bytes, str]] = {}  # parts read from a chunk cache in this process: id → (the bytes, their key)


def kept_key(data: bytes | Unread) -> str | None:
    """The chunk cache's key of a part's bytes, if they are known to be an entry's: a Kept, or bytes read from a
    cache and not yet forgotten (ChunkCache.forget). Noted by identity, the bytes held while noted: an id is not
    another object's meanwhile. (A 2,000-person edit reads 100 MB of parts; made Kept, each was copied again.)"""
    key = getattr(data, "key", None)
    if key is None:
        found = _READ.get(id(data))
        key = found[1] if found is not None and found[0] is data else None
    return key


def forget_read() -> None:
    """Let go of every part noted as read (a build's end)."""
    _READ.clear()


class Kept(bytes):
    """A part's PDF as the chunk cache keeps it, with the key it is kept by (its HTML's digest) and its size as `key`:
    the joins find its cut by that key, without a digest of its bytes (joining._cut). Made of other bytes, it copies
    them: what this process reads from the cache is noted instead (ChunkCache.get, kept_key)."""

    key: str

    @classmethod
    def of(cls, data: bytes, entry: str) -> Kept:
        """`data`, as held by the chunk cache's entry of that key."""
        kept = cls(data)
        kept.key = _part_key(entry, data)
        return kept


def _part_key(entry: str, data: bytes | int) -> str:
    """The key a part's cut is kept by: its chunk cache entry's, and its size (`data`: the bytes, or their size)."""
    return f"{entry}{data if isinstance(data, int) else len(data):08x}"


class Unread:
    """A part the chunk cache holds, not read (ChunkCache.unread): its bytes are read only if a join wants them —
    a join made from the file written before (joining: `before`) takes the parts an edit left as they were from that
    file, and 2,000 attendees' 1,000 such parts (50 MB) were read for nothing at every edit. `key`: as the Kept
    read would have. Gone by the time it is read (another build pruned it: a live preview and a `make` at once),
    it is made again by `remake`."""

    __slots__ = ("path", "entry", "key", "remake")

    def __init__(self, path: str, entry: str, size: int, remake: Callable[[], bytes]):
        self.path, self.entry, self.remake = path, entry, remake
        self.key = _part_key(entry, size)

    def read(self) -> Kept:
        data = regular_bytes(Path(self.path))  # not a named pipe put in its place: the build would wait for a writer
        return Kept.of(self.remake() if data is None else data, self.entry)


def bytes_of(part: bytes | Unread) -> bytes:
    """The part's bytes, read now if it was not read yet."""
    return part.read() if isinstance(part, Unread) else part


def read_all(pdfs: Sequence[bytes | Unread]) -> list[bytes]:
    """The parts' bytes, those not read yet read now."""
    return [bytes_of(p) for p in pdfs]


def part_key(version: str, html: str) -> str:
    """The key a part is kept by in a chunk cache of this version (its HTML's digest)."""
    return hashlib.sha256(f"{version}\0{html}".encode()).hexdigest()[:32]


def known_key(known: dict[str, str], version: str, html: str) -> str:
    """part_key, made once: `known` holds those made before (of this version)."""
    key = known.get(html)
    if key is None:
        key = known[html] = part_key(version, html)
    return key


class ChunkCache:
    """Rendered parts, keyed by the hash of their HTML: editing one attendee re-renders only the
    parts that show it (one chunk of badges, say). Entries a build did not use are removed after it."""

    def __init__(self, folder: Path, version: str, read: bool = True, keys: dict[str, str] | None = None):
        self.folder, self.version, self.read = folder, version, read  # read=False: render anew, still store
        self._listed: dict[str, str] | None = None  # key → file name, the folder listed once
        self._keys = {} if keys is None else keys  # part → key: looked up when sent, numbered, kept and pruned;
        # `keys`: shared with what asked for them before (part_key, of this version)
        self._read: list[int] = []  # the parts this cache read, as noted (kept_key)
        self.token = f"{os.getpid()}-{next(_CACHES)}"  # this very cache, in the workers too (workers._render)

    def __getstate__(self) -> dict[str, Any]:
        """Sent to a worker without this process's listing and keys: the worker lists the folder itself, once."""
        return {**self.__dict__, "_listed": None, "_keys": {}, "_read": []}

    def _key(self, html: str) -> str:
        return known_key(self._keys, self.version, html)

    def get(self, html: str) -> tuple[bytes, int] | None:
        name = self._name(html)
        if name is None:
            return None
        try:
            with open(os.path.join(self.folder, name), "rb") as f:  # a str: 1,331 parts a 2,000-person build
                data = f.read()
        except OSError:  # removed since it was listed (another build's prune): rendered again
            return None
        _READ[id(data)] = (data, _part_key(self._key(html), data))
        self._read.append(id(data))
        return data, _pages(name)

    def kept(self, html: str, data: bytes) -> Kept:
        """`data`, the PDF of `html`, as this cache keeps it."""
        return Kept.of(data, self._key(html))

    def unread(self, html: str, remake: Callable[[], bytes]) -> tuple[Unread, int] | None:
        """The entry for `html`, if there is one, as an Unread (and its pages); `remake`: its bytes made again."""
        name = self._name(html)
        if name is None:
            return None
        path = os.path.join(self.folder, name)
        try:
            size = os.stat(path).st_size
        except OSError:  # removed since it was listed: rendered again
            return None
        return Unread(path, self._key(html), size, remake), _pages(name)

    def holds(self, html: str) -> bool:
        """Whether there is an entry for `html` (it is not read)."""
        return self._name(html) is not None

    def find(self, html: str) -> tuple[Path, int] | None:
        """The entry's file and its pages, if there is one."""
        name = self._name(html)
        return None if name is None else (self.folder / name, _pages(name))

    def _name(self, html: str) -> str | None:
        """The entry's file name, if there is one."""
        if not self.read:
            return None
        if self._listed is None:
            self._listed = {_entry_key(name): name for name in _pdfs(self.folder) if "-" in name}
        return self._listed.get(self._key(html))

    def put(self, html: str, pdf: bytes, pages: int) -> Path:
        key = self._key(html)
        path = self.folder / f"{key}-{pages}.pdf"
        write_atomic(path, pdf)
        if self._listed is not None:
            self._listed[key] = path.name
        return path

    def prune(self, parts: list[str]) -> None:
        """Drop the entries of parts the document no longer has; forget what was read (the document is joined)."""
        keep = {self._key(p) for p in parts}
        for name in _pdfs(self.folder):
            if _entry_key(name) not in keep:
                (self.folder / name).unlink(missing_ok=True)
        self.forget()

    def forget(self) -> None:
        """The parts read by this cache no longer noted: their bytes are let go with the document (kept_key)."""
        for number in self._read:
            _READ.pop(number, None)
        self._read.clear()


def _pdfs(folder: Path) -> list[str]:
    """The names of the PDF files in `folder` (none if there is no such folder): listed as names, not as paths (a
    chunk cache of 250 entries is listed for each document at every build)."""
    try:
        return [name for name in os.listdir(folder) if name.endswith(".pdf")]
    except (FileNotFoundError, NotADirectoryError):
        return []


def _pages(name: str) -> int:
    """The pages of a chunk cache's entry, from its file's name."""
    return int(name[:-4].split("-")[1])


def _entry_key(name: str) -> str:
    """The key of a chunk cache's entry, from its file's name: <key>-<pages>.pdf."""
    return name.split("-")[0]


@dataclass
class Stashed:
    """A finished file the stash holds (a numbered copy): its bytes are read only when they are to be written
    somewhere that does not hold them already (Stash.write). Gone by then (another build pruned it: a live preview
    and a `make` at once), it is made again by `remake`."""

    path: Path
    pages: int
    data: bytes | None = None
    remake: Callable[[], bytes] | None = None

    def read(self) -> bytes:
        """The bytes, as held by the entry (Kept: joined, their cut is found by the entry's key)."""
        if not isinstance(self.data, Kept):
            try:
                data = self.data if self.data is not None else self.path.read_bytes()
            except OSError:
                if self.remake is None:
                    raise
                data = self.remake()
            self.data = Kept.of(data, _entry_key(self.path.name))
        return self.data


class Stash:
    """What a kind's finish made before (a numbered copy stamped), kept under what it was made from: a renamed
    holder stamps their copy again, not every copy. A chunk cache of its own beside the kind's rendered parts, with
    their version (not read when the build is forced); the entries this build did not ask for are pruned.
    It also notes which output file it wrote from which entry (size, date and inode as written): an output still
    as noted is not read back or written again (1,500 numbered copies at 2,000 attendees)."""

    WRITTEN = "written.json"

    def __init__(self, parts: ChunkCache):
        self.made = ChunkCache(parts.folder / "finished", parts.version, parts.read)
        self.used: list[str] = []
        self.noted: dict[str, list] | None = None  # output path → [entry, size, mtime_ns, inode], as last noted
        self.wrote: dict[str, list] = {}

    @property
    def reads(self) -> bool:
        """Whether what was made before is taken (not in a forced build)."""
        return self.made.read

    def kept(self, key: str, remake: Callable[[], bytes] | None = None) -> Stashed | None:
        """What was made from `key` before, if it was; `remake`: how to make it again, should it be gone when read."""
        self.used.append(key)
        found = self.made.find(key)
        return None if found is None else Stashed(*found, remake=remake)

    def put(self, key: str, data: bytes, pages: int) -> Stashed:
        return Stashed(self.made.put(key, data, pages), pages, data)

    def write(self, path: Path, kept: Stashed) -> bool:
        """`kept` written to `path` (write_changed), unless the file there is the one written from it before.
        Whether it was written."""
        if self.noted is None:
            self.noted = read_dict(self.made.folder / self.WRITTEN) if self.made.read else {}
        now = _noted(path, kept)
        wrote = False
        if now is None or self.noted.get(str(path)) != now:
            wrote = write_changed(path, kept.read())
            now = _noted(path, kept)
        if now is not None:
            self.wrote[str(path)] = now
        return wrote

    def prune(self) -> None:
        """Drop the entries this build did not ask for; note what was written from them."""
        self.made.prune(self.used)
        if self.wrote != self.noted and (self.wrote or self.noted):
            write_atomic(self.made.folder / self.WRITTEN, json.dumps(self.wrote).encode())


def replace_with(tmp: Path, path: Path, let_go: bool = True) -> None:
    """`tmp` renamed to `path`; the file it replaces held open across the rename and let go in the background
    (`let_go`; _held, _let_go)."""
    replaced = _held(path) if let_go else None
    try:
        os.replace(tmp, path)
    finally:
        if replaced is not None:
            _let_go(replaced)


def _held(path: Path) -> int | None:
    """The file about to be replaced, held open: its blocks are then freed when it is let go (_let_go), not by the
    rename (4 ms for an 8 MB file on ext4, in the build's own thread: 24 files of a 2,000-person name edit)."""
    try:  # not waiting on a named pipe, not through a link
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW)
    except OSError:  # not there yet
        return None
    if not stat.S_ISREG(os.fstat(fd).st_mode):  # a folder in the way, say: the rename says so
        os.close(fd)
        return None
    return fd


def read_regular(path: Path) -> BinaryIO | None:
    """The file at `path` opened to read, if it is a regular file: not a named pipe in the way (opened as a file, it
    waits for a writer: the build would hang), not through a link. None otherwise, or if there is none."""
    fd = _held(path)
    return None if fd is None else os.fdopen(fd, "rb")


def regular_bytes(path: Path) -> bytes | None:
    """The bytes of the file at `path`, if it is a regular file and can be read (read_regular); else None."""
    f = read_regular(path)
    if f is None:
        return None
    try:
        with f:
            return f.read()
    except OSError:
        return None


def temporary(path: Path) -> Path:
    """Where a file is made before it is put in place at `path` (replace_with): beside it, hidden, this process's."""
    return path.with_name(f".{path.name}.{os.getpid()}.tmp")


class _Closer:
    """Closes the files it is given in a thread of its own (closing gives up the GIL while the disk frees them).
    One a process: a worker forked while the parent's thread runs makes its own."""

    def __init__(self) -> None:
        self.pid = os.getpid()
        self.queue: queue.SimpleQueue[int] = queue.SimpleQueue()
        threading.Thread(target=self._run, name="huiwu closer", daemon=True).start()

    def _run(self) -> None:
        while True:
            try:
                os.close(self.queue.get())
            except OSError:  # cannot happen: each is given once, open
                pass


_closer: _Closer | None = None


CLOSING = 64  # files held for the closer at most: past them (a slow disk), closed here, never out of descriptors


def _let_go(fd: int) -> None:
    global _closer
    if _closer is None or _closer.pid != os.getpid():
        _closer = _Closer()
    if _closer.queue.qsize() >= CLOSING:
        os.close(fd)
    else:
        _closer.queue.put(fd)


class Deferred:
    """A file written by `write(path)` in a thread of its own while the build goes on: the archive's zips (80 MB at
    2,000 attendees) are packed, hashed and written while the stamp is written and the site published. The build
    waits for it before it ends (`wait`), and is told there what the writing raised."""

    def __init__(self, write: Callable[[Path], None]):
        self.write = write
        self.thread: threading.Thread | None = None
        self.failed: BaseException | None = None

    def start(self, path: Path) -> None:
        self.thread = threading.Thread(target=self._run, args=(path,), name=f"huiwu {path.name}")
        self.thread.start()

    def _run(self, path: Path) -> None:
        try:
            self.write(path)
        except BaseException as exc:  # said by wait, in the build's own thread
            self.failed = exc

    def wait(self) -> None:
        if self.thread is not None:
            self.thread.join()
            self.thread = None
        if self.failed is not None:
            raise self.failed


def _noted(path: Path, kept: Stashed) -> list | None:
    try:
        found = path.stat()
    except OSError:
        return None
    return [kept.path.name, found.st_size, found.st_mtime_ns, found.st_ino]


def read_dict(path: Path) -> dict:
    """A JSON file's object; empty if the file is missing, unreadable or holds something else."""
    try:
        found = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return {}
    return found if isinstance(found, dict) else {}


def version() -> str:
    """WeasyPrint's version and the PDF form it writes, without importing it: a build with nothing to
    render never loads it."""
    return f"{_weasyprint_version()} {pdfa.VARIANT}"


DIST_INFO = re.compile(r"weasyprint-([^-]+)\.dist-info", re.IGNORECASE)  # as pip installs it


@functools.cache
def _weasyprint_version() -> str:
    """As the name of its one dist-info folder beside it says; else as importlib.metadata says (the same, but
    loading importlib.metadata takes 20–30 ms of every build, before the first part can go to the workers)."""
    import importlib.util

    spec = importlib.util.find_spec("weasyprint")  # where it is; not imported
    if spec is not None and spec.origin is not None:
        try:
            names = [entry.name for entry in os.scandir(Path(spec.origin).parents[1])]
        except OSError:
            names = []
        found = [m[1] for m in map(DIST_INFO.fullmatch, names) if m]
        if len(found) == 1:
            return found[0]
    from importlib.metadata import version as installed

    return installed("weasyprint")


def system_problem(message: str) -> NoReturn:
    """Stop the build with a problem of the machine, not of the sources (said as 系统: …)."""
    problems = Problems()
    problems.add("系统", 0, message)
    raise BuildFailed(problems)


def saved(pdf: Any) -> bytes:
    """A file opened with pikepdf (qpdf), written out with a file identifier made from its own content: a file
    of other pages than the one it was read from gets its own, and the same pages give the same file."""
    if "/ID" in pdf.trailer:  # the file's it was read from
        del pdf.trailer.ID
    out = io.BytesIO()
    pdf.save(out, deterministic_id=True)
    return out.getvalue()


def write_changed(path: Path, data: bytes) -> bool:
    """`write_atomic`, unless the file holds `data` already (the numbered copies an edit left as they were):
    reading it back is cheaper than writing it again, its date stays the day its content last changed, and a
    viewer showing it has nothing to reload. Whether it was written."""
    f = read_regular(path)
    try:
        same = f is not None and os.fstat(f.fileno()).st_size == len(data) and _same(f, data)
    except OSError:
        same = False
    finally:
        if f is not None:
            f.close()
    if not same:
        write_atomic(path, data)
    return not same


TAIL = 4096


def _same(f: Any, data: bytes) -> bool:
    """Whether the file `f` (of the size of `data`) holds `data`: its end first, where a file that differs mostly
    shows it (a PDF's identifier, a zip's directory), and only then the rest — a 21 MB sheet of badges with one name
    changed is not read back whole."""
    if len(data) > TAIL:
        f.seek(len(data) - TAIL)
        if f.read(TAIL) != data[-TAIL:]:
            return False
        f.seek(0)
        return memoryview(data)[:-TAIL] == f.read(len(data) - TAIL)
    return f.read() == data


class _Collect(logging.Handler):
    def __init__(self, sink: list[str]):
        super().__init__(logging.WARNING)
        self.sink = sink

    def emit(self, record: logging.LogRecord) -> None:
        self.sink.append(record.getMessage())


def write_atomic(path: Path, data: bytes, durable: bool = False) -> None:
    """Temp file + rename: an interrupted build never leaves half a file, and a full disk never leaves a
    truncated one (the old file stays until the new one is whole). `durable`: on the disk before it returns,
    so that after a power cut the file is the old whole one or the new one (the check-in desk's records)."""
    with atomic(path, durable) as f:
        f.write(data)


@contextlib.contextmanager
def atomic(path: Path, durable: bool = False) -> Iterator[BinaryIO]:
    """The file to write `path` through, as write_atomic writes it: in its place once whole."""
    tmp = temporary(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(tmp, "wb") as f:
            yield f
            if durable:
                f.flush()
                os.fsync(f.fileno())
        replace_with(tmp, path, let_go=not durable)
        if durable:
            folder = os.open(path.parent, os.O_RDONLY)
            try:
                os.fsync(folder)
            finally:
                os.close(folder)
    except OSError as exc:
        raise WriteFailed(path, exc) from exc
    finally:
        try:
            tmp.unlink(missing_ok=True)
        except OSError:
            pass
