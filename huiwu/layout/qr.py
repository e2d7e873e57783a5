"""QR codes as the layouts draw them: on badges (sign-in) and on numbered copies (collection)."""

from __future__ import annotations

import segno


def qr_code(text: str) -> segno.QRCode:
    """Byte mode in UTF-8 for any text (segno would pick Shift JIS Kanji mode for some names)."""
    return segno.make(text, error="m", mode="byte", encoding="utf-8", micro=False)


def qr_image(text: str) -> str:
    """PNG data URI, one pixel per module and no quiet zone (the white around it is the quiet zone);
    drawn unsmoothed (image-rendering: pixelated) at any size, so modules stay crisp."""
    return qr_code(text).png_data_uri(scale=1, border=0)
