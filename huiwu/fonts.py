"""Font roles (标题/正文/黑体/楷体/页码): which file serves each, and what it can draw.

A role resolves first from files in the project's `fonts/` folder (an office
that owns 方正小标宋 or 仿宋_GB2312 drops them there), then from system fonts
through fontconfig. Open fonts that stand in for the official ones are marked
as fallbacks. Every character of the sources must be drawable by every role's
chain: a missing glyph is a build error, never a blank box on paper.
"""

from __future__ import annotations

import functools
import hashlib
import json
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import harfbuzz
from .problems import BuildFailed, Problems, WriteFailed
from .render import write_atomic

FONT_SUFFIXES = (".ttf", ".otf", ".ttc", ".otc")


@dataclass(frozen=True)
class Role:
    key: str
    label: str
    official: tuple[str, ...]  # names of the fonts the standard means (family or file stem)
    fallbacks: tuple[str, ...]  # open system families, best first
    weight: int = 400
    measured: bool = False  # fallbacks ordered by how closely their characters match the 正文's in size


ROLES = (
    Role("title", "标题（小标宋）", ("方正小标宋简体", "方正小标宋_GBK", "FZXiaoBiaoSong-B05S", "FZXBSJW", "小标宋"),
         ("Noto Serif CJK SC",), 700),
    Role("body", "正文（仿宋）", ("仿宋_GB2312", "FangSong_GB2312", "仿宋", "FangSong", "STFangsong", "FandolFang"),
         ("Noto Serif CJK SC",)),
    Role("hei", "黑体", ("黑体", "SimHei", "方正黑体_GBK", "FandolHei"), ("Noto Sans CJK SC",)),
    Role("kai", "楷体", ("楷体_GB2312", "KaiTi_GB2312", "楷体", "KaiTi", "STKaiti", "FandolKai"),
         ("LXGW WenKai", "AR PL UKai CN"), measured=True),
    Role("song", "页码（宋体）", ("宋体", "SimSun", "FandolSong"), ("Noto Serif CJK SC",)),
)
COMMON_FALLBACKS = ("Noto Serif CJK SC", "Noto Sans CJK SC")


@dataclass(frozen=True)
class Face:
    family: str
    file: Path
    index: int
    weight: int
    user: bool  # from the project's fonts/ folder

    @property
    def css_family(self) -> str:
        if not self.user:
            return self.family
        return "huiwu-" + hashlib.sha1(f"{self.file}:{self.index}".encode()).hexdigest()[:8]


@dataclass(frozen=True)
class Resolved:
    role: Role
    chain: tuple[Face, ...]

    @property
    def primary(self) -> Face:
        return self.chain[0]

    @property
    def is_fallback(self) -> bool:
        return not _matches(self.primary, self.role.official)


def _matches(face: Face, names: tuple[str, ...]) -> bool:
    lowered = {n.lower() for n in names}
    return face.family.lower() in lowered or face.file.stem.lower() in lowered


@functools.cache
def system_faces() -> tuple[Face, ...]:
    out = subprocess.run(["fc-list", "--format", "%{family}\t%{file}\t%{index}\t%{weight}\n"],
                         capture_output=True, text=True, check=False).stdout
    faces = []
    for row in out.splitlines():
        families, file, index, weight = (row.split("\t") + ["", "", "0", "80"])[:4]
        for family in families.split(","):
            faces.append(Face(family.strip(), Path(file), int(index or 0), _css_weight(weight), False))
    return tuple(faces)


def _css_weight(fc_weight: str) -> int:
    """fontconfig's weight as CSS's: light (below 80) 300, regular and medium 400, bold (200 up) 700."""
    try:
        value = int(fc_weight.split()[0].strip("[]"))
    except ValueError:
        return 400
    return 700 if value >= 200 else 300 if value < 80 else 400


def user_faces(folder: Path) -> tuple[Face, ...]:
    if not folder.is_dir():
        return ()
    from fontTools.ttLib import TTCollection, TTFont

    faces = []
    for path in sorted(p for p in folder.iterdir() if p.suffix.lower() in FONT_SUFFIXES):
        collection = path.suffix.lower() in (".ttc", ".otc")
        try:
            fonts = TTCollection(path, lazy=True).fonts if collection else [TTFont(path, lazy=True)]
            named = [{font["name"].getDebugName(i) for i in (1, 4, 16)} - {None} for font in fonts]
        except Exception as exc:  # fontTools raises many kinds for a damaged or mislabelled file
            problems = Problems()
            problems.add(path, 0, f"无法读取字体文件（{type(exc).__name__}）："
                                  "请换一个完好的 TTF/OTF/TTC 文件，或把它移出 fonts/")
            raise BuildFailed(problems) from exc
        for index, names in enumerate(named):
            for family in sorted(names):
                faces.append(Face(family, path.resolve(), index, 400, True))
    return tuple(faces)


def resolve(fonts_dir: Path, cache_dir: Path | None = None) -> tuple[Resolved, ...]:
    """Each role's chain of faces; with `cache_dir`, the measurements that order a chain are kept there."""
    user, system = user_faces(fonts_dir), system_faces()
    resolved = [_resolve_role(role, user, system) for role in ROLES]
    body = next(r for r in resolved if r.role.key == "body")
    return tuple(_by_measure(r, body.primary, cache_dir) if r.role.measured and body.chain else r for r in resolved)


def _by_measure(r: Resolved, body: Face, cache_dir: Path | None = None) -> Resolved:
    """The role's fallbacks, the one whose characters look most like the 正文's first (a 楷体 drawn small
    and high beside 仿宋 reads as a smaller size); the office's own fonts stay in front."""
    own = [f for f in r.chain if _matches(f, r.role.fallbacks) and not _matches(f, r.role.official)]
    target = _kept(body, "ink", cache_dir, ink)
    own.sort(key=lambda f: sum(abs(a - b) for a, b in zip(_kept(f, "ink", cache_dir, ink), target, strict=True)))
    official = tuple(f for f in r.chain if _matches(f, r.role.official))
    return Resolved(r.role, official + tuple(own) + tuple(f for f in r.chain if f not in official and f not in own))


INK_SAMPLE = "国会议中永"


@functools.cache
def ink(face: Face) -> tuple[float, float]:
    """Mean height and mean centre above the baseline (in em) of a few ideographs' drawn shapes."""
    from fontTools.pens.boundsPen import BoundsPen

    font = _sample(face)
    glyphs, cmap, upm = font.getGlyphSet(), font.getBestCmap() or {}, font["head"].unitsPerEm
    boxes = []
    for ch in INK_SAMPLE:
        if ord(ch) in cmap:
            pen = BoundsPen(glyphs)
            glyphs[cmap[ord(ch)]].draw(pen)
            if pen.bounds:
                boxes.append(pen.bounds)
    if not boxes:
        return (0.0, 0.0)
    return (sum(b[3] - b[1] for b in boxes) / len(boxes) / upm, sum(b[3] + b[1] for b in boxes) / 2 / len(boxes) / upm)


def _sample(face: Face):
    """The face cut to INK_SAMPLE by HarfBuzz (the same outlines and em: read in a tenth of the time the whole CJK
    font takes fontTools, 0.2 s, which a first build spent on every font of the roles); whole if it cannot be cut."""
    import io

    from fontTools.ttLib import TTFont

    try:
        return TTFont(io.BytesIO(harfbuzz.cut(face.file, face.index, frozenset(map(ord, INK_SAMPLE)))))
    except OSError:
        return _open(face)


def _resolve_role(role: Role, user: tuple[Face, ...], system: tuple[Face, ...]) -> Resolved:
    chain: list[Face] = []
    for face in user:
        if _matches(face, role.official) and face.file not in {f.file for f in chain}:
            chain.append(Face(face.family, face.file, face.index, role.weight, True))
    for name in role.official + role.fallbacks + COMMON_FALLBACKS:
        found = _system_face(system, name, role.weight)
        if found and found.family not in {f.family for f in chain if not f.user}:
            chain.append(found)
    return Resolved(role, tuple(chain))


def _system_face(system: tuple[Face, ...], family: str, weight: int) -> Face | None:
    candidates = [f for f in system if f.family.lower() == family.lower()]
    candidates.sort(key=lambda f: abs(f.weight - weight))
    return candidates[0] if candidates else None


def coverage(face: Face, cache_dir: Path) -> frozenset[int]:
    """The code points a face can draw, cached by file identity."""
    return frozenset(_kept(face, "cmap", cache_dir, lambda f: harfbuzz.unicodes(f.file, f.index)))


def _kept(face: Face, what: str, cache_dir: Path | None, measure: Callable[[Face], Any]) -> Any:
    """`measure(face)`, kept under `cache_dir` by the file's identity: read back while the file is unchanged."""
    if cache_dir is None:
        return measure(face)
    return _stored(cache_dir / f"{what}-{_identity(face)}.json", lambda: measure(face))


def _identity(face: Face) -> str:
    stat = face.file.stat()
    return hashlib.sha1(f"{face.file}:{face.index}:{stat.st_size}:{stat.st_mtime_ns}".encode()).hexdigest()[:16]


def _stored(cache: Path, measure: Callable[[], Any]) -> Any:
    """`measure()`, kept as JSON in the file `cache`."""
    try:
        return json.loads(cache.read_text())
    except (OSError, ValueError):
        pass
    value = measure()
    try:
        write_atomic(cache, json.dumps(value).encode())
    except WriteFailed:  # a cache: measured again next time
        pass
    return value


def drawable(resolved: tuple[Resolved, ...], cache_dir: Path) -> frozenset[int]:
    """Code points that every role's chain can draw (so any text may go in any role). Kept under `cache_dir`
    by the identities of all the fonts, as runs of code points: read back in a few milliseconds."""
    def measure() -> list[list[int]]:
        result: frozenset[int] | None = None
        for r in resolved:
            union = frozenset().union(*(coverage(f, cache_dir) for f in r.chain)) if r.chain else frozenset()
            result = union if result is None else result & union
        return _runs(sorted(result or ()))

    faces = ";".join(f"{r.role.key}:" + ",".join(_identity(f) for f in r.chain) for r in resolved)
    tag = hashlib.sha1(faces.encode()).hexdigest()[:16]
    runs = _stored(cache_dir / f"drawable-{tag}.json", measure)
    return frozenset(point for first, last in runs for point in range(first, last + 1))


def _runs(points: list[int]) -> list[list[int]]:
    """Sorted code points as [first, last] runs of consecutive ones."""
    runs: list[list[int]] = []
    for point in points:
        if runs and runs[-1][1] == point - 1:
            runs[-1][1] = point
        else:
            runs.append([point, point])
    return runs


def report(resolved: tuple[Resolved, ...]) -> str:
    lines = []
    for r in resolved:
        if not r.chain:
            lines.append(f"{r.role.label}：未找到可用字体！")
            continue
        mark = "（替代字体：未找到方正/国标字体）" if r.is_fallback else ""
        lines.append(f"{r.role.label}：{r.primary.family} — {r.primary.file}{mark}")
        for face in r.chain[1:]:
            lines.append(f"    缺字时依次使用：{face.family} — {face.file}")
    return "\n".join(lines)


def fallback_note(resolved: tuple[Resolved, ...]) -> str | None:
    """One line for the build log when a role is served by an open stand-in font."""
    roles = [r.role.label for r in resolved if r.chain and r.is_fallback]
    if not roles:
        return None
    return (f"  字体：{'、'.join(roles)}未找到本单位字体，正使用开源替代字体；把方正小标宋、仿宋_GB2312、楷体_GB2312 "
            "等字体文件放入 fonts/ 文件夹即可使用（make fonts 列出各角色所用字体）")


def _open(face: Face):
    """The face as a fontTools font, picked out of its collection where it is one."""
    from fontTools.ttLib import TTFont

    collection = face.file.suffix.lower() in (".ttc", ".otc")
    return TTFont(face.file, fontNumber=face.index, lazy=True) if collection else TTFont(face.file, lazy=True)


def excess(face: Face, cache_dir: Path | None = None) -> float:
    """How far (in em) the glyph box top sits below a `line-height: 1` line box top.

    Pango centres the font's ascent + descent on the line; the difference to
    1 em is split above and below. Used to put the 标志 and page numbers on
    their GB/T 9704 positions for whatever font serves the role. Kept under `cache_dir` (a build then loads no
    fontTools)."""
    kept = _kept(face, "excess", cache_dir, _excess)
    return float(kept) if isinstance(kept, (int, float)) else _excess(face)  # a cache file not of this shape


def _excess(face: Face) -> float:
    font = _open(face)
    hhea, upm = font["hhea"], font["head"].unitsPerEm
    return round(((hhea.ascent - hhea.descent) / upm - 1) / 2, 4)
