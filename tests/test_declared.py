"""WeasyPrint's C declarations kept parsed between builds and the fontTools modules it seldom calls loaded when it
does (huiwu.declared): the same PDFs, sooner. Its version known without loading it (render.version)."""

from __future__ import annotations

import marshal
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = """
import sys
from pathlib import Path

from huiwu import declared

declared._tables_path = lambda: Path(sys.argv[1])
from huiwu.render import Engine

engine = Engine()
import weasyprint.text.ffi as ffi

part = '<p style="font-family: Noto Serif CJK SC">会议通知</p><ol><li>第一项</li></ol>'
Path(sys.argv[2]).write_bytes(engine.pdf([part], Path(".")).pdfs[0])
engine.close()
print(type(ffi.ffi).__name__, "pycparser" in sys.modules)
"""


def rendered(tables: Path, pdf: Path) -> str:
    done = subprocess.run([sys.executable, "-c", SCRIPT, str(tables), str(pdf)], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_weasyprint_is_given_its_declarations_parsed_once_and_renders_the_same(tmp_path):
    """The first import parses WeasyPrint's declarations (pycparser) and keeps them as cffi's tables; the next takes
    the tables and never loads pycparser — and a part comes out byte for byte the same. Tables that cannot be
    read, or were made from other declarations: WeasyPrint's own way, and the tables made again."""
    tables = tmp_path / "tables.marshal"
    assert rendered(tables, tmp_path / "own.pdf") == "FFI True" and tables.exists()
    assert rendered(tables, tmp_path / "kept.pdf") == "Declared False"
    own = (tmp_path / "own.pdf").read_bytes()
    assert (tmp_path / "kept.pdf").read_bytes() == own
    good = tables.read_bytes()
    _, name, kept = marshal.loads(good)
    for wrong in (b"\x00not tables", good[:100], marshal.dumps(("0" * 64, name, kept))):
        tables.write_bytes(wrong)
        assert rendered(tables, tmp_path / "again.pdf") == "FFI True"
        assert (tmp_path / "again.pdf").read_bytes() == own
        assert tables.read_bytes() == good  # made again


LATER_SCRIPT = """
import sys
from pathlib import Path

from huiwu import declared

if sys.argv[3] == "own":
    declared.LATER = {}
from huiwu.render import Engine

engine = Engine()
print(*(name in sys.modules for name in ("fontTools.subset", "fontTools.varLib.instancer")))
part = '<style>@font-face {font-family: V; src: url(var.ttf)} p {font-family: V; font-weight: 700}</style><p>AAA</p>'
Path(sys.argv[2]).write_bytes(engine.pdf([part], Path(sys.argv[1])).pdfs[0])
engine.close()
print("fontTools.varLib.instancer" in sys.modules)
"""


def variable_font(path: Path) -> None:
    """A font of one glyph, A, whose box grows wider with its weight axis: 200 units at 400, 500 at 900."""
    from fontTools.fontBuilder import FontBuilder
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib.tables.TupleVariation import TupleVariation

    def box(width):
        pen = TTGlyphPen(None)
        for point in ((50, 0), (50, 700), (50 + width, 700)):
            (pen.lineTo if point != (50, 0) else pen.moveTo)(point)
        pen.lineTo((50 + width, 0))
        pen.closePath()
        return pen.glyph()

    font = FontBuilder(1000, isTTF=True)
    font.setupGlyphOrder([".notdef", "A"])
    font.setupCharacterMap({ord("A"): "A"})
    font.setupGlyf({".notdef": box(400), "A": box(200)})
    font.setupHorizontalMetrics({".notdef": (600, 50), "A": (600, 50)})
    font.setupHorizontalHeader(ascent=800, descent=-200)
    font.setupNameTable({"familyName": "Huiwu Var", "styleName": "Regular"})
    font.setupOS2(sTypoAscender=800, sTypoDescender=-200, usWinAscent=800, usWinDescent=200)
    font.setupPost()
    font.setupFvar([("wght", 100, 400, 900, "Weight")], [])
    wider = [(0, 0), (0, 0), (300, 0), (300, 0)] + [(0, 0)] * 4  # the right-hand points, then the phantom points
    font.setupGvar({"A": [TupleVariation({"wght": (0, 1.0, 1.0)}, wider)]})
    font.save(str(path))


def test_fonttools_modules_weasyprint_seldom_calls_are_loaded_when_it_does(tmp_path):
    """fontTools' subsetter and variable-font instancer are not loaded with WeasyPrint (declared.LATER: 80–100 ms
    of the first worker's start); a variable font still comes out as WeasyPrint makes it its own way: instanced at
    the weight asked for (700: the box 200 + 300 × 0.6 wide), without its variations — and, rendered seconds apart,
    the same bytes (render._instances_as_made: not stamped with the time it was made)."""
    import io
    import time

    import pikepdf
    from fontTools.ttLib import TTFont

    variable_font(tmp_path / "var.ttf")
    for way, loaded in (("later", "False False"), ("own", "True True")):
        time.sleep(1.1)  # fontTools' time stamps are in seconds
        done = subprocess.run([sys.executable, "-c", LATER_SCRIPT, str(tmp_path), str(tmp_path / f"{way}.pdf"), way],
                              cwd=ROOT, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        assert done.stdout.split("\n")[:2] == [loaded, "True"]
        with pikepdf.open(tmp_path / f"{way}.pdf") as pdf:
            (font,) = pdf.pages[0].Resources.Font.values()
            embedded = TTFont(io.BytesIO(font.DescendantFonts[0].FontDescriptor.FontFile2.read_bytes()))
        assert "fvar" not in embedded and embedded["glyf"]["A"].xMax == 50 + 200 + 180
    assert (tmp_path / "later.pdf").read_bytes() == (tmp_path / "own.pdf").read_bytes()


def test_weasyprint_version_is_read_without_loading_importlib_metadata(tmp_path, monkeypatch):
    """render.version names WeasyPrint's version as importlib.metadata does, from the name of its dist-info folder
    (a build does not load importlib.metadata: 20–30 ms before the first part); a folder with no such folder, or
    two, is asked of importlib.metadata."""
    import importlib.metadata
    import importlib.util
    from types import SimpleNamespace

    from huiwu import render

    done = subprocess.run([sys.executable, "-c", "import sys\nfrom huiwu import render\n"
                           "print(render.version(), 'importlib.metadata' in sys.modules)"],
                          cwd=ROOT, capture_output=True, text=True, timeout=60)
    installed = importlib.metadata.version("weasyprint")
    assert done.stdout.split() == [installed, "pdf/a-2b", "False"]
    (tmp_path / "weasyprint").mkdir()
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name: SimpleNamespace(origin=str(tmp_path / "weasyprint" / "__init__.py")))
    try:
        for folders, said in (([], installed), (["weasyprint-61.2.dist-info"], "61.2"),
                              (["WeasyPrint-61.2.dist-info", "weasyprint-62.0.dist-info"], installed)):
            for folder in folders:
                (tmp_path / folder).mkdir()
            render._weasyprint_version.cache_clear()
            assert render._weasyprint_version() == said, folders
    finally:
        render._weasyprint_version.cache_clear()  # the other tests: this WeasyPrint's
