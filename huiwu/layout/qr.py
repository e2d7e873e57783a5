"""QR codes as the layouts draw them: on badges (sign-in) and on numbered copies (collection).

Encoding is slow in pure Python (about 3 ms a code, choosing the mask as ISO/IEC 18004 asks) and a person's
code never changes: the codes of the last build are kept in the project's cache (`remembered`)."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import segno

_known: dict[str, str] = {}  # payload → PNG data URI
_used: set[str] = set()


def qr_code(text: str) -> segno.QRCode:
    """Byte mode in UTF-8 for any text (segno would pick Shift JIS Kanji mode for some names)."""
    return segno.make(text, error="m", mode="byte", encoding="utf-8", micro=False)


def qr_image(text: str) -> str:
    """PNG data URI, one pixel per module and no quiet zone (the white around it is the quiet zone);
    drawn unsmoothed (image-rendering: pixelated) at any size, so modules stay crisp."""
    _used.add(text)
    found = _known.get(text)
    if found is None:
        found = _known[text] = qr_code(text).png_data_uri(scale=1, border=0)
    return found


@contextmanager
def remembered(path: Path) -> Iterator[None]:
    """The codes made by the last build, read from `path` before and the ones used now written after."""
    try:
        _known.update(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError):
        pass
    _used.clear()
    yield
    kept = {text: _known[text] for text in sorted(_used)}
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps(kept, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, path)
    except OSError:  # a cache: the next build makes the codes again
        pass
