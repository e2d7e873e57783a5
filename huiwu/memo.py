"""Values slow to make (a QR code's image, a name's pinyin) kept between builds in the project's cache:
an edit to one attendee makes only that attendee's again."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Generic, TypeVar

T = TypeVar("T")


class Memo(Generic[T]):
    """`make(key)`, remembered: in this process for as long as it runs, and in a cache file across builds
    (`remembered`). A cache file that cannot be read, or an entry of the wrong type, is made again."""

    def __init__(self, make: Callable[[str], T], kind: type):
        self.make, self.kind = make, kind
        self.known: dict[str, T] = {}
        self.used: set[str] = set()

    def __call__(self, key: str) -> T:
        self.used.add(key)
        found = self.known.get(key)
        if found is None:
            found = self.known[key] = self.make(key)
        return found

    @contextmanager
    def remembered(self, path: Path) -> Iterator[None]:
        """The values of the last build read from `path` before; the ones used now written after."""
        try:
            stored = json.loads(path.read_text(encoding="utf-8"))
            self.known.update({k: v for k, v in stored.items() if isinstance(v, self.kind)})
        except (OSError, ValueError, AttributeError):
            pass
        self.used.clear()
        yield
        kept = {key: self.known[key] for key in sorted(self.used)}
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
            tmp.write_text(json.dumps(kept, ensure_ascii=False), encoding="utf-8")
            os.replace(tmp, path)
        except OSError:  # a cache: the next build makes them again
            pass
