"""WeasyPrint's C declarations kept parsed between builds (huiwu.declared): the same PDFs, without parsing them."""

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
