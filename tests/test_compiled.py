"""dataclasses' methods compiled once an install, not at every start (huiwu/compiled.py)."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from conftest import ROOT

MADE = textwrap.dedent('''
    import dataclasses, importlib.util, pathlib, sys
    spec = importlib.util.spec_from_file_location("compiled", sys.argv[1])
    compiled = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(compiled)
    compiled.install(pathlib.Path(sys.argv[2]))

    @dataclasses.dataclass(frozen=True)
    class Seat:
        row: int
        seat: int = 1
        label: str = dataclasses.field(default="", compare=False)

    a, b = Seat(3), Seat(3, 1, "3排1号")
    try:
        a.row = 4
        frozen = False
    except dataclasses.FrozenInstanceError:
        frozen = True
    print(len(compiled._added), a == b, hash(a) == hash(b), frozen, Seat(4) != a, repr(b), sep="|")
''')


def made(tmp_path, kept) -> list[str]:
    script = tmp_path / "made.py"
    script.write_text(MADE, encoding="utf-8")
    return subprocess.run([sys.executable, str(script), str(ROOT / "huiwu" / "compiled.py"), str(kept)],
                          capture_output=True, text=True, check=True).stdout.strip().split("|")


def test_a_dataclass_is_made_from_code_compiled_by_a_process_before_and_behaves_the_same(tmp_path):
    kept = tmp_path / "__pycache__" / "kept.marshal"
    first, second = made(tmp_path, kept), made(tmp_path, kept)
    behaves = ["True", "True", "True", "True", "Seat(row=3, seat=1, label='3排1号')"]
    assert int(first[0]) >= 4 and first[1:] == behaves  # __init__, __repr__, __eq__, __hash__, __setattr__, …
    assert second == ["0", *behaves]  # every method's code read, none compiled
    kept.write_bytes(b"\x00not marshal")  # damaged: compiled as dataclasses does, and kept again
    assert made(tmp_path, kept)[1:] == behaves and made(tmp_path, kept)[0] == "0"
