"""What is stale: a digest of everything a meeting's outputs depend on."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from . import __version__
from .files import folder_files, read_bytes
from .render import read_dict, write_atomic

STAMP = ".huiwu-stamp.json"
PACKAGE = Path(__file__).parent


def _files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.rglob("*") if p.is_file() and not p.name.startswith(".")
                  and "__pycache__" not in p.parts)


def _hash_tree(h, base: Path, skip: tuple[str, ...] = ()) -> None:
    for path in _files(base):
        name = path.relative_to(base).as_posix()
        if not name.startswith(skip):
            h.update(name.encode() + b"\0" + path.read_bytes() + b"\0")


# the intranet site's layouts and code: the site keeps its own digest (site.code_digest)
SITE_ONLY = ("site/",)


def shared_digest(layouts: Path, fonts_dir: Path, settings: Path) -> str:
    """What every meeting depends on (code, layouts, fonts, settings): hashed once per build."""
    h = hashlib.sha256(__version__.encode())
    if settings.exists():
        h.update(settings.read_bytes())
    for base in (layouts, PACKAGE):
        _hash_tree(h, base, SITE_ONLY)  # editing the site's pages never re-renders a PDF
    for path in _files(fonts_dir):  # font files are large: their identity is enough
        st = path.stat()
        h.update(f"{path.name}:{st.st_size}:{st.st_mtime_ns}".encode())
    return h.hexdigest()


def sources(meeting_dir: Path, others: list[Path] = []) -> dict[str, str]:  # noqa: B006 (never mutated)
    """Each file the meeting's outputs are made from, by its name, and the digest of its bytes. `others`: files
    outside the folder that the meeting's documents read (a followed meeting's 纪要)."""
    found = {path.relative_to(meeting_dir).as_posix(): path for path in folder_files(meeting_dir)}
    found |= {f"../{path.parent.name}/{path.name}": path for path in others}
    return {name: hashlib.sha256(read_bytes(path)).hexdigest() for name, path in found.items()}  # read once, shared


def digest(shared: str, files: dict[str, str], leave_out: str | None = None) -> str:
    """Of everything a meeting's outputs depend on: the `shared` digest and the files (sources); `leave_out`: a
    file not counted (the attendee table, when a kind counts just the columns it shows: pipeline.inputs)."""
    h = hashlib.sha256(shared.encode())
    for name, hashed in files.items():
        if name != leave_out:
            h.update(f"{name}\0{hashed}\0".encode())
    return h.hexdigest()


def columns(people: list, names: tuple[str, ...]) -> str:
    """The digest of the named fields of each person, in order (a stand-in's `stands_in` as the index of the
    person it stands in for): what a kind shows of the attendee table."""
    index = {id(p): i for i, p in enumerate(people)}
    h = hashlib.sha256(str(len(people)).encode())
    for name in names:
        values = [index.get(id(p.stands_in), -1) for p in people] if name == "stands_in" else [
            getattr(p, name) for p in people]
        h.update(repr((name, values)).encode())
    return h.hexdigest()


def read_stamp(out_dir: Path) -> dict:
    try:
        return json.loads((out_dir / STAMP).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


REVISION = ".huiwu-calendar.json"  # the calendar revision last written (layout.calendar)


def read_revision(out_dir: Path) -> dict:
    return read_dict(out_dir / REVISION)


def write_revision(out_dir: Path, data: dict) -> None:
    if read_revision(out_dir) != data:
        write_atomic(out_dir / REVISION, json.dumps(data, ensure_ascii=False, indent=1).encode())


def is_fresh(out_dir: Path, current: str, today: str) -> bool:
    """Same inputs, every output still there, and — for outputs that flag overdue items — same day."""
    stamp = read_stamp(out_dir)
    return (stamp.get("digest") == current and stamp.get("as_of") in (None, today)
            and all((out_dir / f).exists() for f in stamp.get("outputs", [])))


def parts_digest(keys: list[str], engine_version: str) -> str:
    """What one document shows: a kind's files depend on its HTML parts alone (`keys`: each part's digest, as the
    chunk cache keeps it: render.part_key)."""
    return hashlib.sha256("\0".join([engine_version, *keys]).encode()).hexdigest()


def write_stamp(out_dir: Path, current: str, outputs: list[str], skipped: dict[str, str],
                as_of: str | None, kinds: dict[str, dict], fonts: str = "") -> dict:
    """`kinds`: per document kind, the digest of its parts and the files it wrote; `fonts`: the stylesheet of
    the working fonts its documents were set in. The stamp written (read_stamp gives the same back)."""
    data = {"digest": current, "outputs": outputs, "skipped": skipped, "as_of": as_of, "kinds": kinds,
            "fonts": fonts}
    write_atomic(out_dir / STAMP, json.dumps(data, ensure_ascii=False, indent=1).encode())
    return data
