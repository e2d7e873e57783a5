"""Working copies of the fonts: each face a meeting's documents use, cut down to the characters they print.

WeasyPrint reads a face whole for every document it writes (the CJK collections are 20–27 MB) and then cuts
it down to the glyphs that document draws: for a one-page form that is two thirds of its time. Given copies
that hold GB 2312 and whatever other characters the meeting's documents contain (2–5 MB), the same work is
three times quicker and the PDFs are half the size. The glyphs drawn are the very same: the copies are cut
with HarfBuzz, keeping outlines, metrics and layout tables (but other languages' and vertical writing's), each
glyph its own CID as in the whole fonts (_glyphs_as_cids: what every PDF reader needs); a character missing from
them (in a file listed after the copies were cut) falls through to the whole font, named after the copies in
each role's chain.

The copies are kept in the project's cache, named by the face file and the characters they hold: the same
characters, the same file, so builds stay byte-reproducible and a later build reuses them. Their family names
carry a mark of those characters too: a render worker that has loaded copies of another build (the live
preview's, or the last build's, loaded ahead: LAST) never takes them for this build's.
"""

from __future__ import annotations

import codecs
import concurrent.futures
import functools
import hashlib
import os
import re
import struct
import threading
import time
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import unquote, urlparse

from . import harfbuzz, strokes
from .fonts import Face, Resolved, system_faces
from .problems import WriteFailed
from .render import write_atomic

BOLD = 700
LAST = "last-build.css"  # the stylesheet of the last build, kept beside the copies for the workers to load ahead
RANGES = ((0x20, 0x7E), (0xA0, 0xFF), (0x2000, 0x206F), (0x2100, 0x218F), (0x2190, 0x21FF), (0x2460, 0x24FF),
          (0x2500, 0x257F), (0x25A0, 0x26FF), (0x3000, 0x303F), (0xFF00, 0xFFEF))  # punctuation, numbers, symbols
@functools.cache
def base_set() -> frozenset[int]:
    """What every copy holds whatever the documents say: GB 2312, every character a name may hold (the stroke
    table's: a name of any other is refused, so no 替会 or late name changes the copies — a new name with 玥 or 犇
    made new copies, and so every document of the meeting again: 28 s instead of 2 at 500 people), and the
    punctuation, symbols and full-width forms official documents use."""
    points = {cp for lo, hi in RANGES for cp in range(lo, hi + 1)} | {ord(ch) for ch in strokes.name_chars()}
    return frozenset(points | gb2312())


def gb2312() -> set[int]:
    """The characters of GB 2312: every two-byte code decoded at once, a line each (a code that is none: U+FFFD),
    not one decode a code (8,836 of them: 25 ms before the first document could go to the workers)."""
    codes = b"\n".join(bytes((first, second)) for first in range(0xA1, 0xF8) for second in range(0xA1, 0xFF))
    return {ord(line) for line in codes.decode("gb2312", "replace").split("\n") if len(line) == 1 and line != "\ufffd"}


def beyond_base(texts: Iterable[str]) -> str:
    """The characters the texts print that not every copy holds (base_set), in order. Each text is encoded as
    GB 2312, which every copy holds whole: in C, ten times quicker than looking at each character in turn; what
    does not encode (a rare name's character, a dash outside GB 2312) is looked at on its own."""
    _outside.found = found = set()
    for text in texts:
        text.encode("gb2312", _OUTSIDE)
        if "\x7f" in text:  # ASCII, so it encodes; yet no copy holds it
            found.add("\x7f")
    base = base_set()
    return "".join(sorted(ch for ch in found if ord(ch) > 0x7E and ord(ch) not in base))


def _outside_gb2312(exc: UnicodeError) -> tuple[str, int]:
    assert isinstance(exc, UnicodeEncodeError)
    _outside.found.update(exc.object[exc.start:exc.end])
    return "", exc.end


_outside = threading.local()  # what beyond_base found outside GB 2312 (each thread its own)
_OUTSIDE = "huiwu-outside-gb2312"
codecs.register_error(_OUTSIDE, _outside_gb2312)


def wanted(texts: Iterable[str]) -> frozenset[int]:
    """What the copies are to hold for documents that print `texts`: the base and every other character in them
    (the texts looked through as one: 2,000 attendees' lines one by one took 25 ms)."""
    return base_set() | {ord(ch) for ch in set("".join(texts)) if ord(ch) > 0x7E}


def holds(css: str, chars: frozenset[int]) -> bool:
    """Whether a stylesheet of `stylesheet`'s names copies of just these characters, cut as this code cuts them."""
    return f" Subset {_mark(chars)}" in css


def _mark(chars: frozenset[int]) -> str:
    return hashlib.sha256(_codes(chars)).hexdigest()[:6]


def stylesheet(resolved: tuple[Resolved, ...], chars: frozenset[int], cache: Path) -> str:
    """@font-face rules for the working copies and the role variables naming them, each role's whole fonts
    after them; `chars`: what the copies hold (wanted: from everything the documents will print)."""
    mark = _mark(chars)
    faces = [(working_family(face, mark), weight, variant) for r in resolved for face in r.chain
             for weight, variant in _variants(face, r.role.weight)]
    rules: dict[str, str] = {}
    for (family, weight, _), path in zip(faces, _cut_all([v for _, _, v in faces], chars, cache), strict=True):
        rules.setdefault(f"{family} {weight}", f'@font-face {{ font-family: "{family}"; '
                                               f'src: url("{path.as_uri()}"); font-weight: {weight}; }}')
    prune(cache)
    families = [f'  --font-{r.role.key}: {", ".join(_quote(n) for n in _chain(r, mark))};' for r in resolved]
    weights = [f"  --weight-{r.role.key}: {r.role.weight};" for r in resolved]
    whole = [f'@font-face {{ font-family: "{f.css_family}"; src: url("{f.file.as_uri()}"); '
             f"font-weight: {r.role.weight}; }}" for r in resolved for f in r.chain if f.user]
    return "\n".join([*rules.values(), *dict.fromkeys(whole), ":root {", *families, *weights, "}"])


def present(css: str, within: tuple[Path, ...]) -> bool:
    """Whether every font file a stylesheet of an earlier build names is still there, in one of the folders
    `within` (the project's copies and fonts/: a project copied elsewhere names the files of the one it was copied
    from, which this build's stylesheet does not)."""
    paths = [Path(unquote(urlparse(url).path)) for url in re.findall(r'url\("([^"]+)"\)', css)]
    return all(path.is_file() and any(path.is_relative_to(folder) for folder in within) for path in paths)


def working_family(face: Face, mark: str) -> str:
    return f"{face.css_family} Subset {mark}"


def _chain(r: Resolved, mark: str) -> list[str]:
    return [working_family(f, mark) for f in r.chain] + [f.css_family for f in r.chain]


def keep(css: str, cache: Path) -> None:
    """The build's stylesheet kept (LAST) for the next build's render workers to load its copies ahead."""
    path = cache / LAST
    try:
        if path.read_text(encoding="utf-8") == css:
            return
    except OSError:
        pass
    try:
        write_atomic(path, css.encode())
    except WriteFailed:  # a cache: the next build loads its fonts as it renders
        pass


def _quote(name: str) -> str:
    return '"' + name.replace('"', "") + '"'


def _variants(face: Face, weight: int) -> list[tuple[int, Face]]:
    """The faces behind a family name: an office's own file at its role's weight; a system family's regular
    and bold files where it has both (bold text in a body must stay the real bold, not a smeared regular)."""
    if face.user:
        return [(weight, face)]
    same = [f for f in system_faces() if f.family == face.family]
    out: list[tuple[int, Face]] = []
    for want in (400, BOLD):
        nearest = min(same or [face], key=lambda f: abs(f.weight - want))
        if nearest.weight == want or not out:
            out.append((want, nearest))
    return out


@functools.lru_cache(maxsize=2)
def _codes(chars: frozenset[int]) -> bytes:
    """The characters' codes as the names of the copies take them (after how they are cut: copies cut otherwise
    are others): 7,000 and more, sorted and joined once for all the faces of a build, not once each."""
    unset = (*harfbuzz.UNSET_FEATURES, *harfbuzz.DROPPED_TABLES)
    how = " ".join([harfbuzz.KEPT_LANGUAGE.decode(), *(f"-{tag}" for tag in unset), "cid=gid"])
    return f"{how}:".encode() + ",".join(map(str, sorted(chars))).encode()


def _cut_all(faces: list[Face], chars: frozenset[int], cache: Path) -> list[Path]:
    """Each face cut down to `chars` (a copy kept from before, else `_cut_copy`), two at a time: HarfBuzz cuts with
    Python's lock let go (cffi), so the two cores share the copies a first build (or a new character) makes, before
    any document can be rendered (500 people: 0.6 s of a first build, one after the other). Copies all cut before
    (most builds) load neither HarfBuzz nor cffi's parser of its declarations (40 ms)."""
    unique = list(dict.fromkeys(faces))  # a face serving two roles is cut once
    made = {face: path for face in unique if (path := _kept_copy(face, chars, cache)) is not None}
    todo = [face for face in unique if face not in made]
    if todo:
        harfbuzz.library()  # loaded once, here: not by both threads at once
        with concurrent.futures.ThreadPoolExecutor(CUTTING) as pool:
            made |= dict(zip(todo, pool.map(lambda face: _cut_copy(face, chars, cache), todo), strict=True))
    return [made[face] for face in faces]


CUTTING = 2  # threads cutting copies at once


def _cut_copy(face: Face, chars: frozenset[int], cache: Path) -> Path:
    """The face cut down to `chars` now, and kept under `cache`."""
    data = _glyphs_as_cids(harfbuzz.cut(face.file, face.index, chars))
    made = cache / f"{_stem(face, chars)}.{'otf' if data[:4] == b'OTTO' else 'ttf'}"
    write_atomic(made, data)
    return made


def _kept_copy(face: Face, chars: frozenset[int], cache: Path) -> Path | None:
    """The copy of the face cut down to `chars` before, if there is one (marked in use: kept by `prune`)."""
    stem = _stem(face, chars)
    made = next((p for p in (cache / f"{stem}.otf", cache / f"{stem}.ttf") if p.is_file()), None)
    if made is not None:
        os.utime(made)
    return made


def _stem(face: Face, chars: frozenset[int]) -> str:
    stat = face.file.stat()
    tag = hashlib.sha256(f"{face.file}:{face.index}:{stat.st_size}:{stat.st_mtime_ns}:".encode()
                         + _codes(chars)).hexdigest()[:16]
    return f"{face.file.stem}-{face.index}-{tag}"


def prune(cache: Path, days: int = 30) -> None:
    """Remove the copies no build has used for `days` (a name with a rare character, since changed)."""
    old = time.time() - days * 86400
    for path in cache.glob("*.*[tf]") if cache.is_dir() else []:
        try:
            if path.stat().st_mtime < old:
                path.unlink()
        except OSError:
            pass


def _glyphs_as_cids(data: bytes) -> bytes:
    """A cut CID-keyed CFF font (Noto CJK) with each glyph's CID made its glyph number. The cut keeps the whole
    font's CIDs (glyph 5,000 of the copy is CID 12,345), while WeasyPrint writes glyph numbers in the page content
    as CIDs (Identity-H): a reader that looks CIDs up in the font's charset, as the PDF standard says (MuPDF, so
    SumatraPDF; Adobe Acrobat), found no glyph and left every Chinese character blank; poppler happened to take
    them as glyph numbers. The charset (format 0: a CID a glyph) is rewritten in place as one range, glyph i =
    CID i, as in the whole fonts. Any other font is left as it is."""
    import io

    from fontTools.ttLib import TTFont

    try:
        font = TTFont(io.BytesIO(data), lazy=True)
        if "CFF " not in font:
            return data
        top = font["CFF "].cff.topDictIndex[0]
        at, count = font.reader.tables["CFF "].offset + top.rawDict["charset"], len(top.charset)
    except Exception:  # anything fontTools raises on a font it cannot read: used as it is
        return data
    if not hasattr(top, "ROS") or count < 3 or data[at] != 0 or at + 2 * count - 1 > len(data):
        return data
    out = bytearray(data)
    out[at:at + 5] = struct.pack(">BHH", 2, 1, count - 2)  # format 2: from CID 1, count - 2 more; the rest unread
    return bytes(out)
