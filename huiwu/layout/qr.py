"""QR codes as the layouts draw them: on badges (sign-in) and on numbered copies (collection).

Made by libqrencode (C; Debian's libqrencode4): byte mode, the text in UTF-8, level M — Q or H instead when the same
version holds it so (as segno did: stronger against a scuffed badge, no bigger) —, the smallest version that holds
it, and the mask chosen as ISO/IEC 18004 asks. segno, in pure Python, took 4–5 ms a code: at 500 people the 860
codes of badges and copies were 4 s of a first build; libqrencode takes ~0.3 ms with the PNG. A person's code never
changes: the codes of the last build are kept in the project's cache as well (`remembered`)."""

from __future__ import annotations

import base64
import ctypes
import functools
import struct
import zlib
from typing import TYPE_CHECKING, Any

from ..memo import Memo

if TYPE_CHECKING:  # segno (and the web modules it loads) only for the check-in desk's address
    import segno

LEVEL_M, STRONGER = 1, (3, 2)  # QRecLevel M; H and Q, tried in turn at the version M needs
LIBRARY = "libqrencode.so.4"


def qr_code(text: str) -> segno.QRCode:
    """The check-in desk's address as segno draws it (an SVG in its page). Byte mode in UTF-8 for any text (segno
    would pick Shift JIS Kanji mode for some names)."""
    import segno

    return segno.make(text, error="m", mode="byte", encoding="utf-8", micro=False)


class _Code(ctypes.Structure):
    _fields_ = [("version", ctypes.c_int), ("width", ctypes.c_int), ("data", ctypes.POINTER(ctypes.c_ubyte))]


@functools.cache
def _library() -> Any:
    from ..render import system_problem

    try:
        lib = ctypes.CDLL(LIBRARY)
    except OSError:
        system_problem("缺少 libqrencode4（生成证件和涉密材料编号件上的二维码）：请运行 make 安装系统依赖，"
                       "或执行 sudo apt-get install libqrencode4")
    lib.QRcode_encodeData.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_int]
    lib.QRcode_encodeData.restype = ctypes.POINTER(_Code)
    lib.QRcode_free.argtypes = [ctypes.POINTER(_Code)]
    return lib


def modules(text: str) -> list[bytes]:
    """The code's modules, row by row: 1 dark, 0 light. A text too long for any version (2,331 bytes) is refused."""
    data = text.encode()
    version, raw = _encoded(data, 0, LEVEL_M)
    for level in STRONGER:
        found, stronger = _encoded(data, version, level)  # the version asked for is the least: more if it must
        if found == version:
            raw = stronger
            break
    width = 17 + 4 * version
    return [bytes(b & 1 for b in raw[row:row + width]) for row in range(0, width * width, width)]


def _encoded(data: bytes, version: int, level: int) -> tuple[int, bytes]:
    """libqrencode's code of `data` in byte mode: its version and its modules (a byte each, bit 0 dark)."""
    lib = _library()
    code = lib.QRcode_encodeData(len(data), data, version, level)
    if not code:
        raise ValueError(f"二维码容纳不下 {len(data)} 个字节的内容")
    try:
        width = code.contents.width
        return code.contents.version, ctypes.string_at(code.contents.data, width * width)
    finally:
        lib.QRcode_free(code)


def png(rows: list[bytes]) -> bytes:
    """A 1-bit greyscale PNG, one pixel a module (dark black), no quiet zone."""
    width = len(rows[0])
    lines = b"".join(b"\0" + int("".join("0" if m else "1" for m in row).ljust(-(-width // 8) * 8, "0"), 2)
                     .to_bytes(-(-width // 8), "big") for row in rows)

    def chunk(tag: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + tag + body + struct.pack(">I", zlib.crc32(tag + body))

    header = struct.pack(">IIBBBBB", width, len(rows), 1, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(lines, 9))
            + chunk(b"IEND", b""))


def _image(text: str) -> str:
    return "data:image/png;base64," + base64.b64encode(png(modules(text))).decode()


# PNG data URI, one pixel per module and no quiet zone (the white around it is the quiet zone);
# drawn unsmoothed (image-rendering: pixelated) at any size, so modules stay crisp.
qr_image = Memo(_image, str)
remembered = qr_image.remembered  # the codes made by the last build, kept in the project's cache
