"""HarfBuzz, through cffi: the characters a font maps (unicodes) and a font cut down to some characters (cut), each
read from the font file in C — the fonts' measures and working copies (fonts.py, working_fonts.py)."""

from __future__ import annotations

import functools
import struct
from pathlib import Path

# What no document sets, left out of the copies: the other languages' forms (a CJK collection's language systems
# for Japanese, Korean and traditional Chinese reach 6,000 more glyphs), vertical writing's features and metrics.
# The documents (lang="zh-CN") are shaped with the default language systems and KEPT_LANGUAGE's: the same glyphs.
KEPT_LANGUAGE = b"ZHS "
UNSET_FEATURES = ("vert", "vrt2", "vkrn", "vpal", "valt", "vhal", "vchw")
DROPPED_TABLES = ("vhea", "vmtx", "VORG")
_DROP_TABLE_TAG, _LAYOUT_FEATURE_TAG = 3, 6  # hb_subset_sets_t


@functools.cache
def library() -> tuple:
    import cffi

    ffi = cffi.FFI()
    ffi.cdef("""
        typedef struct hb_blob_t hb_blob_t; typedef struct hb_face_t hb_face_t; typedef struct hb_set_t hb_set_t;
        typedef struct hb_subset_input_t hb_subset_input_t;
        hb_blob_t *hb_blob_create(const char *data, unsigned int length, int mode, void *user_data, void *destroy);
        void hb_blob_destroy(hb_blob_t *blob);
        const char *hb_blob_get_data(hb_blob_t *blob, unsigned int *length);
        hb_face_t *hb_face_create(hb_blob_t *blob, unsigned int index);
        hb_blob_t *hb_face_reference_blob(hb_face_t *face);
        void hb_face_destroy(hb_face_t *face);
        void hb_set_add(hb_set_t *set, uint32_t codepoint);
        void hb_set_del(hb_set_t *set, uint32_t codepoint);
        uint32_t hb_tag_from_string(const char *str, int len);
        hb_subset_input_t *hb_subset_input_create_or_fail(void);
        hb_set_t *hb_subset_input_unicode_set(hb_subset_input_t *input);
        hb_set_t *hb_subset_input_set(hb_subset_input_t *input, int set_type);
        void hb_subset_input_destroy(hb_subset_input_t *input);
        hb_face_t *hb_subset_or_fail(hb_face_t *source, const hb_subset_input_t *input);
        hb_set_t *hb_set_create(void);
        void hb_set_destroy(hb_set_t *set);
        unsigned int hb_set_get_population(const hb_set_t *set);
        unsigned int hb_set_next_many(const hb_set_t *set, uint32_t codepoint, uint32_t *out, unsigned int size);
        void hb_face_collect_unicodes(hb_face_t *face, hb_set_t *out);
    """)
    return ffi, ffi.dlopen("libharfbuzz.so.0"), ffi.dlopen("libharfbuzz-subset.so.0")


def unicodes(file: Path, index: int) -> list[int]:
    """The code points the face maps to glyphs (its cmap), in order, as HarfBuzz reads them: a CJK collection's in
    30 ms, where fontTools took a tenth of a second or more (a first build measures every font of the roles)."""
    ffi, hb, _ = library()
    data = file.read_bytes()
    blob = hb.hb_blob_create(ffi.from_buffer(data), len(data), 1, ffi.NULL, ffi.NULL)
    source, found = hb.hb_face_create(blob, index), hb.hb_set_create()
    try:
        hb.hb_face_collect_unicodes(source, found)
        out = ffi.new("uint32_t[]", hb.hb_set_get_population(found))
        return list(out[0:hb.hb_set_next_many(found, 0xFFFFFFFF, out, len(out))])  # from before the first
    finally:
        hb.hb_set_destroy(found)
        hb.hb_face_destroy(source)
        hb.hb_blob_destroy(blob)


def cut(file: Path, index: int, chars: frozenset[int]) -> bytes:
    """HarfBuzz's subsetter: outlines, metrics, hinting and layout tables of the glyphs of `chars` (and those their
    layout reaches for simplified Chinese) kept as they are; but the other languages' forms and vertical writing
    (KEPT_LANGUAGE, UNSET_FEATURES, DROPPED_TABLES). A CJK copy holds 8,000 glyphs instead of 14,000; each part
    embeds a font as large as the highest glyph number it draws (WeasyPrint keeps the numbers), so the parts'
    fonts come out half the size and are subset in half the time."""
    ffi, hb, subset = library()
    data = bytearray(file.read_bytes())
    _other_languages_off(data, index)
    held = ffi.from_buffer(data)  # read by HarfBuzz in place (HB_MEMORY_MODE_READONLY) until the cut is made
    blob = hb.hb_blob_create(held, len(data), 1, ffi.NULL, ffi.NULL)
    source = hb.hb_face_create(blob, index)
    wanted = subset.hb_subset_input_create_or_fail()
    into = subset.hb_subset_input_unicode_set(wanted)
    for cp in sorted(chars):
        hb.hb_set_add(into, cp)
    features = subset.hb_subset_input_set(wanted, _LAYOUT_FEATURE_TAG)
    for tag in UNSET_FEATURES:
        hb.hb_set_del(features, hb.hb_tag_from_string(tag.encode(), -1))
    dropped = subset.hb_subset_input_set(wanted, _DROP_TABLE_TAG)
    for tag in DROPPED_TABLES:
        hb.hb_set_add(dropped, hb.hb_tag_from_string(tag.encode(), -1))
    made = subset.hb_subset_or_fail(source, wanted)
    try:
        if made == ffi.NULL:
            raise OSError(f"HarfBuzz could not cut {file}")
        out = hb.hb_face_reference_blob(made)
        size = ffi.new("unsigned int *")
        data = ffi.buffer(hb.hb_blob_get_data(out, size), size[0])[:]
        hb.hb_blob_destroy(out)
        return bytes(data)
    finally:
        if made != ffi.NULL:
            hb.hb_face_destroy(made)
        subset.hb_subset_input_destroy(wanted)
        hb.hb_face_destroy(source)
        hb.hb_blob_destroy(blob)


def _other_languages_off(data: bytearray, index: int) -> None:
    """Every language system of the face's GSUB and GPOS switched off (no features) but the default ones and
    KEPT_LANGUAGE's, in place: the cut then leaves out the glyphs only they reach. One shared with a kept one
    stays; a face whose tables cannot be read is left as it is."""
    try:
        start = _u32(data, 12 + 4 * index) if data[:4] == b"ttcf" else 0
        tables = {bytes(data[at:at + 4]): _u32(data, at + 8)
                  for at in range(start + 12, start + 12 + 16 * _u16(data, start + 4), 16)}
        kept: set[int] = set()
        off: set[int] = set()
        for table in (tables[tag] for tag in (b"GSUB", b"GPOS") if tag in tables):
            scripts = table + _u16(data, table + 4)
            for at in range(scripts + 2, scripts + 2 + 6 * _u16(data, scripts), 6):
                script = scripts + _u16(data, at + 4)
                if _u16(data, script):
                    kept.add(script + _u16(data, script))
                for record in range(script + 4, script + 4 + 6 * _u16(data, script + 2), 6):
                    langsys = script + _u16(data, record + 4)
                    (kept if data[record:record + 4] == KEPT_LANGUAGE else off).add(langsys)
                    _u16(data, langsys + 4)  # there to be written
    except (struct.error, IndexError):
        return
    for langsys in off - kept:
        data[langsys + 2:langsys + 6] = b"\xff\xff\x00\x00"  # no required feature, no features


def _u16(data: bytearray, at: int) -> int:
    return struct.unpack_from(">H", data, at)[0]


def _u32(data: bytearray, at: int) -> int:
    return struct.unpack_from(">I", data, at)[0]
