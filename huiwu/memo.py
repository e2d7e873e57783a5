"""Values slow to make (a QR code's image, a name's pinyin) kept between builds in the project's cache:
an edit to one attendee makes only that attendee's again."""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Generic, TypeVar

T = TypeVar("T")
KEEP_EXTRA = 100


class Memo(Generic[T]):
    """`make(key, …)`, remembered: in this process for as long as it runs, and in a cache file across builds
    (`remembered`). A cache file that cannot be read, or an entry of the wrong type, is made again."""

    def __init__(self, make: Callable[..., T], kind: type, keep_extra: int = KEEP_EXTRA):
        self.make, self.kind, self.keep_extra = make, kind, keep_extra
        self.known: dict[str, T] = {}
        self.used: set[str] = set()
        self.stored: list[str] = []  # the keys the cache file held
        self.unread: Path | None = None  # the cache file, read when a value is first asked for
        self.synced: tuple[Path, int, int] | None = None  # the file as last read or written here: known holds it
        self.making: threading.Thread | None = None  # values made ahead (ahead): waited for before any other use

    def __call__(self, key: str, *args: Any) -> T:
        """The value for `key`; `args`: what making it takes besides the key."""
        self._ready()
        self.used.add(key)
        found = self.known.get(key)
        if found is None:
            found = self.known[key] = self.make(key, *args)
            self.synced = None  # known holds more than the file now
        return found

    def ahead(self, keys: list[str]) -> None:
        """Make the values of those `keys` not known yet in a thread, while this process waits on others (the
        render workers); asked for, or written to the cache file, they are waited for."""
        self._ready()
        new = [key for key in keys if key not in self.known]
        if new:
            self.making = threading.Thread(target=lambda: [self(key) for key in new], daemon=True)
            self.making.start()

    def _ready(self) -> None:
        """The values made ahead waited for, and the cache file's read (once)."""
        self._wait()
        if self.unread is not None:
            self._read(self.unread)

    def _wait(self) -> None:
        making = self.making
        if making is not None and making is not threading.current_thread():
            making.join()
            self.making = None

    def _read(self, path: Path) -> None:
        """The cache file's values; not read again by a long-running process (the live preview) that already
        holds them, unless it changed since."""
        self.unread = None
        try:
            if _stamp(path) == self.synced:
                self.stored = list(self.known)
                return
            found = json.loads(path.read_text(encoding="utf-8"))
            self.stored = [k for k, v in found.items() if isinstance(v, self.kind)]
            self.known.update({k: found[k] for k in self.stored})
            self.synced = _stamp(path) if set(self.known) == set(self.stored) else None
        except (OSError, ValueError, AttributeError):
            pass

    @contextmanager
    def remembered(self, path: Path) -> Iterator[None]:
        """The values of earlier builds read from `path` (when one is first asked for: a build that asks for none
        does not read it); after, when this one made new values, the file written again: the values used now
        first, then earlier ones, most recent first, as many again and `keep_extra` more: an edit and its undoing
        both find theirs. A build that made nothing new leaves the file as it is."""
        self.unread, self.stored = path, []
        self.used.clear()
        try:
            yield
        finally:
            self._wait()
        self.unread = None
        if self.used <= set(self.stored):
            return
        kept = {key: self.known[key] for key in sorted(self.used)}
        for key in self.stored[:len(self.used) + self.keep_extra]:
            kept.setdefault(key, self.known[key])
        self.known = dict(kept)  # what a long-running process (the live preview) holds stays what the file holds
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
            tmp.write_text(json.dumps(kept, ensure_ascii=False), encoding="utf-8")
            os.replace(tmp, path)
            self.synced = _stamp(path)
        except OSError:  # a cache: the next build makes them again
            self.synced = None


def _stamp(path: Path) -> tuple[Path, int, int]:
    found = path.stat()
    return path, found.st_mtime_ns, found.st_size
