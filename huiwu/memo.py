"""Values slow to make (a QR code's image, a name's pinyin) kept between builds in the project's cache:
an edit to one attendee makes only that attendee's again."""

from __future__ import annotations

import json
import marshal
import os
import re
import stat
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Generic, TypeVar, cast

from .problems import WriteFailed
from .render import regular_bytes, write_atomic

T = TypeVar("T")
KEEP_EXTRA = 100


class Memo(Generic[T]):
    """`make(key, …)`, remembered: in this process for as long as it runs, and in a cache file across builds
    (`remembered`). A cache file that cannot be read, or an entry of the wrong type, is made again.

    The file holds an entry a line, its key and its value as JSON apart by a tab, the older first: a build decodes
    only the values it asks for, and adds the lines of those it made at the end (not writing again the 6,000 QR codes
    of 2,000 attendees for one new name); once the file holds more than twice the values a build uses and
    `keep_extra` more, it is written again without encoding once more the values it read. A line cut short (a build
    stopped as it wrote) is passed over; of a key on two lines, the later. Values too big for a line: Shelf."""

    def __init__(self, make: Callable[..., T], kind: type, keep_extra: int = KEEP_EXTRA):
        self.make, self.kind, self.keep_extra = make, kind, keep_extra
        self.known: dict[str, T] = {}
        self.lines: dict[str, str] = {}  # each value as the cache file holds it (JSON), decoded only when asked for
        self.used: set[str] = set()
        self.stored: list[str] = []  # the keys the cache file held
        self.unread: Path | None = None  # the cache file, read when a value is first asked for
        self.synced: tuple[Path, int, int] | None = None  # the file as last read or written here: lines hold it
        self.as_read: tuple[Path, int, int] | None = None  # the file as this build found it

    def __call__(self, key: str, *args: Any) -> T:
        """The value for `key`; `args`: what making it takes besides the key."""
        if self.unread is not None:
            self._read(self.unread)
        self.used.add(key)
        found = self.known.get(key)
        if found is None and key in self.lines:
            found = self._decoded(key)
        if found is None:
            self.set(key, self.make(key, *args))
            return self.known[key]
        return found

    def set(self, key: str, value: T) -> None:
        """`key`'s value from now on, in place of what was made or read before."""
        self.known[key] = value
        self.lines.pop(key, None)
        self.synced = None  # the file holds other values now

    def _decoded(self, key: str) -> T | None:
        try:
            value: Any = json.loads(self.lines[key])
        except ValueError:
            value = None
        if not isinstance(value, self.kind):
            return None
        found = cast(T, value)
        self.known[key] = found
        return found

    def _read(self, path: Path) -> None:
        """The cache file's entries; not read again by a long-running process (the live preview) that already
        holds them, unless it changed since."""
        self.unread = None
        try:
            if _stamp(path) != self.synced:
                self.known, self.lines = {}, entries(path)
                self.synced = _stamp(path)
            self.stored, self.as_read = list(self.lines), self.synced
        except OSError:
            self.stored = []

    @contextmanager
    def remembered(self, path: Path) -> Iterator[None]:
        """The values of earlier builds read from `path` (when one is first asked for: a build that asks for none
        does not read it); after, when this one made new values, their lines added to the file — or, once it holds
        too many, the file written again: the values used now last, before them the newest of the others, as many
        again and `keep_extra` more: an edit and its undoing both find theirs. A build that made nothing new leaves
        the file as it is."""
        self.unread, self.stored, self.as_read = path, [], None
        self.used.clear()
        yield
        self.unread = None
        if self.used <= set(self.stored):
            return
        made = sorted(key for key in self.used if key not in self.lines)  # new, or made again
        for key in made:
            self.lines[key] = json.dumps(self.known[key], ensure_ascii=False)
        if len(self.stored) + len(made) <= 2 * len(self.used) + self.keep_extra and self._added(path, made):
            return
        others = [key for key in reversed(self.stored) if key not in self.used][:len(self.used) + self.keep_extra]
        kept = [*reversed(others), *sorted(self.used)]
        self.lines = {key: self.lines[key] for key in kept}  # a long-running process holds what the file holds
        self.known = {key: self.known[key] for key in kept if key in self.known}
        try:  # not written (a full disk): made again next time
            self.synced = _stamp(path) if _write(path, _lines(self.lines, kept).encode()) else None
        except OSError:  # removed by another build at once
            self.synced = None

    def _added(self, path: Path, made: list[str]) -> bool:
        """The lines of the values `made` added at the end of the file, if it is still as this build read it."""
        read = self.as_read
        if read is None or not _appended(path, _lines(self.lines, made).encode(),
                                         lambda now: (path, now.st_mtime_ns, now.st_size) == read):
            return False
        self.synced = _stamp(path)
        return True


def _appended(path: Path, data: bytes, still: Callable[[os.stat_result], bool]) -> bool:
    """`data` added at the end of the file at `path`, if it is a regular file and `still` as it was read (its
    status, as fstat gives it); whether it was."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_NONBLOCK | os.O_NOFOLLOW)  # a named pipe: not waited on
    except OSError:
        return False
    with os.fdopen(fd, "wb") as f:
        found = os.fstat(fd)
        if not (stat.S_ISREG(found.st_mode) and still(found)):
            return False
        f.write(data)
    return True


def _lines(lines: dict[str, str], keys: list[str]) -> str:
    return "".join(f"{json.dumps(key, ensure_ascii=False)}\t{lines[key]}\n" for key in keys)


def entries(path: Path) -> dict[str, str]:
    """A cache file's entries: each key, with its value as JSON (not decoded). Not a file (a named pipe in its place:
    the build would wait for a writer): none."""
    data = regular_bytes(path)
    if data is None:
        raise FileNotFoundError(path)
    text = data.decode("utf-8", errors="replace")
    found = {}
    for line in text.split("\n"):
        key, tab, value = line.partition("\t")
        if not tab:
            continue
        if len(key) > 1 and key[0] == key[-1] == '"' and "\\" not in key:  # no escapes: the text between the quotes
            found[key[1:-1]] = value
            continue
        try:
            key = json.loads(key)
        except ValueError:
            continue
        if isinstance(key, str):
            found[key] = value
    return found


def _stamp(path: Path) -> tuple[Path, int, int]:
    found = path.stat()
    return path, found.st_mtime_ns, found.st_size


class Shelf(Generic[T]):
    """`make(key, …)` remembered as Memo does, for values too big to keep a line each in one file (a PDF part's cut,
    tens of kilobytes): each value in a file of its own in a folder (`remembered`), named by its key (a digest),
    read only when asked for, written once when made (marshal: a tenth of the time JSON takes to read). A file
    that cannot be read, or holds a value `valid` refuses, is made again. After a build that made new values,
    the files it did not use are removed but for the `keep_extra` newest (_prune: once they are a quarter more)."""

    def __init__(self, make: Callable[..., T], valid: Callable[[Any], bool], keep_extra: int = KEEP_EXTRA):
        self.make, self.valid, self.keep_extra = make, valid, keep_extra
        self.known: dict[str, T] = {}  # kept in this process (the live preview): the values the last build used
        self.used: set[str] = set()
        self.made = False
        self.folder: Path | None = None

    def __call__(self, key: str, *args: Any) -> T:
        found = self.get(key)
        if found is None:
            found = self.make(key, *args)
            self.set(key, found)
        return found

    def get(self, key: str) -> T | None:
        """The value kept for `key`, if any (none is made)."""
        assert _DIGEST.fullmatch(key), key  # a file's name
        self.used.add(key)
        found = self.known.get(key)
        if found is None and self.folder is not None:
            found = self._read(self.folder / key)
        if found is not None:
            self.known[key] = found
        return found

    def set(self, key: str, value: T) -> None:
        """`key`'s value from now on, in place of what was made or read before."""
        self.known[key], self.made = value, True
        if self.folder is not None:
            _write(self.folder / key, marshal.dumps(value))  # type: ignore[arg-type]

    def _read(self, path: Path) -> T | None:
        try:
            value = marshal.loads(path.read_bytes())
        except (OSError, ValueError, EOFError, TypeError):
            return None
        return cast(T, value) if self.valid(value) else None

    @contextmanager
    def remembered(self, folder: Path) -> Iterator[None]:
        """The values of earlier builds read from `folder` as they are asked for, new ones written to it."""
        self.folder, self.made = folder, False
        self.used.clear()
        try:
            yield
        finally:
            self.folder = None
        self.known = {key: self.known[key] for key in self.used if key in self.known}
        if self.made:
            _prune(folder, self.used, self.keep_extra)


_DIGEST = re.compile(r"[0-9a-f]{16,64}")


class Bins:
    """Entries kept between builds in bins: each bin a dict in a file of its own in a folder (`remembered`), named by
    the bin's name (a digest), read whole (marshal) when the bin is first asked for. A build takes the entries it
    uses from the bin as read (`old`) into the bin as it goes (`new`). A bin it added to (`changed`) gets the entries
    added written after it, at the end of its file (one more dict of the file, which holds them one after the
    other, each with its size: 2,000 attendees' forms, seven bins of 0.7 MB written again at every edit, 25 ms;
    marshal.load from a file, not from bytes, takes six times as long to read); every APPENDS-th time,
    or when the file is not as it was read, the file is written again with just the entries used: what a build
    stopped using goes then. The files of bins not used are removed but for the `keep_extra` newest (as Shelf's)."""

    APPENDS = 16

    def __init__(self, keep_extra: int = KEEP_EXTRA):
        self.keep_extra = keep_extra
        self.bins: dict[str, Bin] = {}
        self.folder: Path | None = None

    def __call__(self, name: str) -> Bin:
        assert _DIGEST.fullmatch(name), name  # a file's name
        if self.folder is None:  # outside a build: nothing kept
            return Bin({})
        found = self.bins.get(name)
        if found is None:
            found = self.bins[name] = self._read(name)
        return found

    def _read(self, name: str) -> Bin:
        """The bin as its file holds it: the dicts in it, one after the other (a file cut short: those before)."""
        assert self.folder is not None
        data = regular_bytes(self.folder / name)
        if data is None:  # none, or not a file (a named pipe in its place: the build would wait for a writer)
            return Bin({})
        value: dict = {}
        at, dicts, view = len(BIN_HEAD), 0, memoryview(data)
        try:
            if not data.startswith(BIN_HEAD):
                raise ValueError(name)  # another version's
            while at < len(data):
                size = int.from_bytes(view[at:at + 8], "little")
                if at + 8 + size > len(data):
                    raise ValueError(name)  # cut short
                more = marshal.loads(view[at + 8:at + 8 + size])
                if not isinstance(more, dict):
                    raise ValueError(name)
                value.update(more)
                at, dicts = at + 8 + size, dicts + 1
        except (ValueError, EOFError, TypeError):
            return Bin(value)  # written again whole, if it changes
        return Bin(value, (len(data), dicts))

    def _written(self, name: str, found: Bin) -> None:
        assert self.folder is not None
        path = self.folder / name
        read = found.read
        if read is not None and read[1] < self.APPENDS and _appended(  # the entries added, after those read
                path, _record(found.added), lambda now: now.st_size == read[0]):  # if the file is still as read
            return
        _write(path, BIN_HEAD + _record(found.new))

    @contextmanager
    def remembered(self, folder: Path) -> Iterator[None]:
        self.folder, self.bins = folder, {}
        try:
            yield
            for name, found in self.bins.items():
                if found.changed:
                    self._written(name, found)
            if any(found.changed for found in self.bins.values()):
                _prune(folder, set(self.bins), self.keep_extra)
        finally:
            self.folder, self.bins = None, {}


BIN_HEAD = b"huiwu bin 1\n"  # then each dict: its size (8 bytes, little-endian), and it (marshal)


def _record(entries: dict) -> bytes:
    data = marshal.dumps(entries)
    return len(data).to_bytes(8, "little") + data


class Bin:
    """One bin of Bins in a build: `old`, as read; `new`, what the build used of it or added to it; `added`, what it
    added; `read`: the size of its file as read and the dicts it held (None: none read whole, written whole)."""

    def __init__(self, old: dict, read: tuple[int, int] | None = None):
        self.old: dict = old
        self.new: dict = {}
        self.added: dict = {}
        self.changed = False
        self.read = read

    def get(self, key: Any) -> Any:
        found = self.old.get(key)
        if found is not None:
            self.new[key] = found
        return found

    def put(self, key: Any, value: Any) -> None:
        self.new[key] = self.old[key] = self.added[key] = value
        self.changed = True

    def touched(self, key: Any) -> None:
        """`key`'s value, changed in place (a row measured), written again."""
        self.put(key, self.old[key])


def _write(path: Path, data: bytes) -> bool:
    """A cache file written whole (as an output is: render.write_atomic), or not at all: False."""
    try:
        write_atomic(path, data)
        return True
    except WriteFailed:  # a cache: the next build makes it again
        return False


def _prune(folder: Path, used: set[str], keep: int) -> None:
    """The files of `folder` not `used`, but for the `keep` newest, removed — once there are a quarter more than
    that: an edit makes a few new values each time, and the 3,000 kept files were looked at (their dates) at every
    build to remove as many."""
    try:
        unused = [entry for entry in os.scandir(folder) if entry.name not in used]
        if len(unused) <= keep + keep // 4:
            return
        found = [(entry.stat().st_mtime_ns, entry.path) for entry in unused if entry.is_file()]
        for _, path in sorted(found, reverse=True)[keep:]:
            os.unlink(path)
    except OSError:  # another build pruning at once
        pass
