"""QR codes as the layouts draw them: on badges (sign-in) and on numbered copies (collection).

Encoding is slow in pure Python (about 3 ms a code, choosing the mask as ISO/IEC 18004 asks) and a person's
code never changes: the codes of the last build are kept in the project's cache (`remembered`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..memo import Memo

if TYPE_CHECKING:  # segno (and the web modules it loads) only when a code is made: most builds remember theirs
    import segno


def qr_code(text: str) -> segno.QRCode:
    """Byte mode in UTF-8 for any text (segno would pick Shift JIS Kanji mode for some names)."""
    import segno

    return segno.make(text, error="m", mode="byte", encoding="utf-8", micro=False)


def _image(text: str) -> str:
    return qr_code(text).png_data_uri(scale=1, border=0)


# PNG data URI, one pixel per module and no quiet zone (the white around it is the quiet zone);
# drawn unsmoothed (image-rendering: pixelated) at any size, so modules stay crisp.
qr_image = Memo(_image, str)
remembered = qr_image.remembered  # the codes made by the last build, kept in the project's cache
