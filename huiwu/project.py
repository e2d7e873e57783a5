"""Where a project's things are: content/, layouts/, output/, fonts/, settings.yaml."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Project:
    root: Path

    content = property(lambda self: self.root / "content")
    layouts = property(lambda self: self.root / "layouts")
    output = property(lambda self: self.root / "output")
    fonts_dir = property(lambda self: self.root / "fonts")
    settings_file = property(lambda self: self.root / "settings.yaml")
    @property
    def cache(self) -> Path:
        """Font coverage cache; HUIWU_CACHE_DIR lets several projects share one."""
        shared = os.environ.get("HUIWU_CACHE_DIR")
        return Path(shared) if shared else self.output / ".cache"

    def meeting_dirs(self) -> list[Path]:
        if not self.content.is_dir():
            return []
        return sorted(p for p in self.content.iterdir() if p.is_dir() and not p.name.startswith("."))
