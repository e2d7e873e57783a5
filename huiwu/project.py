"""Where a project's things are: content/, layouts/, output/, fonts/, settings.yaml."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

# A meeting's folder name is its id: in output/<id>/, in the site's URLs, in file names of the archive.
ID_MOST = 64


def is_id(name: str) -> bool:
    """A letter, digit or CJK character (the basic block and extension A), then up to 63 of those or - _ . — as a
    regular expression of those ranges, whose compiling took 5 ms of every build's start."""
    return 0 < len(name) <= ID_MOST and _id_char(name[0]) and all(_id_char(c) or c in "_.-" for c in name[1:])


def _id_char(c: str) -> bool:
    return c.isascii() and c.isalnum() or "\u3400" <= c <= "\u4dbf" or "\u4e00" <= c <= "\u9fff"


RESERVED = {"site", "screenshots", "con", "prn", "aux", "nul", *(f"{p}{n}" for p in ("com", "lpt") for n in range(10))}


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

    @property
    def font_copies(self) -> Path:
        """The working copies of the fonts (working_fonts), and the last build's stylesheet naming them."""
        return self.cache / "fonts"

    def meeting_dirs(self) -> list[Path]:
        if not self.content.is_dir():
            return []
        return sorted(p for p in self.content.iterdir() if p.is_dir() and not p.name.startswith("."))


    def id_problem(self, folder: Path) -> str | None:
        """Why a folder under content/ cannot be a meeting's id, or None."""
        name = folder.name
        if not is_id(name):
            return ("会议文件夹名只能用汉字、字母、数字和 - _ .（不超过 64 个字符，不以符号开头），"
                    "例如 2026-12-经济工作会议")
        if name.lower() in RESERVED or name.lower().split(".")[0] in RESERVED:
            return f"会议文件夹名不能是“{name}”：output/ 下已有同名的站点或系统文件夹，请换一个名字"
        if folder.is_symlink() and folder.resolve().parent != self.content.resolve():
            return "会议文件夹是指向 content/ 以外的链接：请把会议文件夹本身放进 content/"
        return None
