"""Working copies of the fonts (huiwu/working_fonts.py): the documents are set in faces cut down to the
characters they print, and look exactly as they would set in the whole fonts."""

from __future__ import annotations

import subprocess

from pypdf import PdfReader

from conftest import BARE, ROOT, SAMPLE, TODAY, copy_project, open_pdf, run, run_changed, write_meeting
from huiwu import harfbuzz, working_fonts

COMPARED = "notice,plan,signin,badges,cards,seatmap,handbook,minutes"
NAMES = ["notice.pdf", "plan.pdf", "signin.pdf", "badges.pdf", "table-cards.pdf", "seatmap.pdf", "handbook.pdf",
         "minutes.pdf"]


def font_names(path) -> set[str]:
    """The fonts a PDF's pages draw with, also inside the forms they draw (an imposed booklet's pages)."""
    def used(resources) -> set[str]:
        resources = resources.get_object() if hasattr(resources, "get_object") else resources
        names = {str(ref.get_object()["/BaseFont"]).split("+", 1)[-1] for ref in resources.get("/Font", {}).values()}
        for ref in resources.get("/XObject", {}).values():
            names |= used(ref.get_object().get("/Resources", {}))
        return names

    return {name for page in PdfReader(path).pages for name in used(page["/Resources"])}


def pixels(path) -> bytes:
    return subprocess.run(["pdftoppm", "-r", "72", "-gray", path], capture_output=True, check=True).stdout


def mupdf_pixels(path) -> bytes:
    """The pages as MuPDF draws them (SumatraPDF's engine: it looks each CID up in the font's charset, as the PDF
    standard says, where poppler takes it for a glyph number); a glyph it cannot find fails the test."""
    drawn = subprocess.run(["mutool", "draw", "-q", "-r", "72", "-c", "gray", "-F", "pgm", "-o", "-", str(path)],
                           capture_output=True, check=True)
    assert b"cannot render glyph" not in drawn.stderr, (path, drawn.stderr[:300])
    return drawn.stdout


def noto_serif():
    """The system's regular Noto Serif CJK SC (fonts-noto-cjk): a CJK collection the copies are cut from."""
    from huiwu import fonts

    face = fonts._system_face(fonts.system_faces(), "Noto Serif CJK SC", 400)
    assert face is not None and (face.family, face.weight) == ("Noto Serif CJK SC", 400)
    return face


def drawn_and_held(path):
    """Each CID-keyed font of the PDF with an embedded CFF (FontFile3): the CIDs its widths (/W) list — those the
    pages draw — and the CIDs its charset holds."""
    import io

    import pikepdf
    from fontTools.ttLib import TTFont

    with pikepdf.open(path) as pdf:
        for obj in pdf.objects:
            if not (isinstance(obj, pikepdf.Dictionary) and obj.get("/Subtype") == "/CIDFontType0"):
                continue
            widths, drawn, i = list(obj.get("/W", [])), set(), 0
            while i < len(widths):
                if isinstance(widths[i + 1], pikepdf.Array):  # c [w1 w2 …]
                    drawn |= set(range(int(widths[i]), int(widths[i]) + len(widths[i + 1])))
                    i += 2
                else:  # c_first c_last w
                    drawn |= set(range(int(widths[i]), int(widths[i + 1]) + 1))
                    i += 3
            font = TTFont(io.BytesIO(obj.FontDescriptor.FontFile3.read_bytes()))
            charset = font["CFF "].cff.topDictIndex[0].charset
            yield str(obj.BaseFont), drawn, {int(name[3:]) for name in charset if name.startswith("cid")}


def test_the_documents_are_set_in_the_working_copies(sample_build):
    for name in NAMES:
        found = font_names(sample_build / name)
        assert found and all(n.endswith("Subset") or "Subset-" in n for n in found), (name, found)


def test_the_working_copies_draw_exactly_what_the_whole_fonts_draw(sample_build, tmp_path):
    """The sample's documents set in the whole fonts instead rasterise to the very same pixels."""
    root = copy_project(sample_build.parents[1], tmp_path)
    result = run_changed(root, "import huiwu.working_fonts as w; w._chain = lambda r, mark: [f.css_family for f in r.chain]",
                         "build", "--force", "--only", COMPARED, env={"HUIWU_TODAY": TODAY, "TZ": "UTC"})
    assert result.returncode == 0, result.stderr
    for name in NAMES:
        redone = root / "output" / SAMPLE / name
        assert not any("Subset" in n for n in font_names(redone)), name  # really set in the whole fonts
        assert pixels(redone) == pixels(sample_build / name), name
        assert mupdf_pixels(redone) == mupdf_pixels(sample_build / name), name
        assert (sample_build / name).stat().st_size < redone.stat().st_size, name


def test_every_cid_the_pages_draw_is_in_its_font(sample_build):
    """WeasyPrint writes glyph numbers in the pages as CIDs (Identity-H); a reader looks each up in the embedded
    font's charset (MuPDF — SumatraPDF —, Acrobat). The copies were cut keeping the whole font's CIDs (glyph 5,000
    of a copy was CID 12,345): no CID drawn was in the font, and those readers left the Chinese text blank."""
    seen = 0
    for name in NAMES:
        for font, drawn, held in drawn_and_held(sample_build / name):
            assert drawn and drawn <= held, (name, font, sorted(drawn - held)[:5])
            seen += 1
    assert seen >= len(NAMES)


def test_the_copies_hold_the_simplified_forms_alone():
    """骨 is drawn otherwise in Japanese, Korean and traditional Chinese: a copy that holds it holds the form the
    documents draw and .notdef, not the other languages' forms, nor vertical writing's metrics (that the documents
    still find every glyph they draw: the pixels test above)."""
    import io

    from fontTools.ttLib import TTFont

    face = noto_serif()
    cut = TTFont(io.BytesIO(harfbuzz.cut(face.file, face.index, frozenset({ord("骨")}))))
    assert cut["maxp"].numGlyphs == 2
    assert not {"vhea", "vmtx", "VORG"} & set(cut.keys())


def test_a_font_whose_layout_tables_cannot_be_read_is_cut_as_it_is():
    """An office's own font file, cut short: the language systems are left alone, nothing raised."""
    face = noto_serif()
    whole = bytearray(face.file.read_bytes())
    for data in (bytearray(whole[:4096]), bytearray(b"ttcf" + bytes(8)), bytearray()):
        before = bytes(data)
        harfbuzz._other_languages_off(data, face.index)
        assert data == before
    harfbuzz._other_languages_off(whole, face.index)
    assert whole != face.file.read_bytes()  # the whole file: switched off


def test_the_characters_beyond_the_copies_base_are_each_one_not_held_whatever_the_text():
    """beyond_base (GB 2312 encoding, in C) finds just the characters a look at each one finds: traditional forms,
    controls, emoji; not ASCII, GB 2312, a name's characters (堃, 珺) nor the dashes and symbols outside it."""
    import random

    base = working_fonts.base_set()
    spans = [(0, 0x250), (0x2000, 0x3100), (0x4E00, 0x9FA6), (0xFF00, 0x10FFFF)]
    chosen = random.Random(16)
    texts = ["<p>王堃珺 港澳辦 — 第1页·共2页 \x7f\x85 😀</p>", ""] + [
        "".join(chr(chosen.randrange(*chosen.choice(spans))) for _ in range(chosen.randrange(1, 60)))
        for _ in range(400)]
    found = working_fonts.beyond_base(texts)
    assert found == "".join(sorted({ch for t in texts for ch in t if ord(ch) > 0x7E and ord(ch) not in base}))
    assert {"辦", "\x7f", "\x85", "😀"} <= set(found) and not {"王", "堃", "珺", "—", "·"} & set(found)
    assert working_fonts.beyond_base(["会议 — ·"]) == ""


def test_a_character_beyond_gb2312_is_in_the_copies(tmp_path):
    """堃 and 珺 are not in GB 2312 but a name may hold them: every copy holds them. 辦 (a unit written in
    traditional form) is in no copy until a source holds it: then it is too. Each is set in the working copy, not
    left to the whole font."""
    assert "堃珺".encode("gb2312", "replace") == b"??" and ord("堃") in working_fonts.base_set()
    assert ord("辦") not in working_fonts.base_set() and ord("国") in working_fonts.base_set()
    root = tmp_path / "proj"
    (root / "content").mkdir(parents=True)
    (root / "layouts").symlink_to(ROOT / "layouts")
    write_meeting(root, "m", BARE, "姓名,单位,职务,类别,排序,状态\n王堃珺,青川市港澳辦,主任,出席,1,参会\n")
    result = run(root, "build", "--only", "signin")
    assert result.returncode == 0, result.stderr
    with open_pdf(root / "output" / "m" / "signin.pdf") as pdf:
        chars = [c for c in pdf.pages[0].chars if c["text"] in "堃珺辦"]
    assert len(chars) == 3 and all("Subset" in c["fontname"] for c in chars)


def rendered_marks(root, tmp_path, edit: tuple[int, str]) -> list[list[str]]:
    """Row `edit[0]` of the sample's list given the cells `edit[1]` (comma-separated, from the first), then a build:
    the fonts' marks of each part the workers rendered."""
    table = root / "content" / SAMPLE / "attendees.csv"
    lines = table.read_text(encoding="utf-8").split("\n")
    cells = edit[1].split(",")
    lines[edit[0]] = ",".join(cells + lines[edit[0]].split(",")[len(cells):])
    table.write_text("\n".join(lines), encoding="utf-8")
    log = tmp_path / "marks.txt"
    log.write_text("")
    change = ("import re, huiwu.render as r; o = r.Engine._document; r.Engine._document = lambda self, part, *a: "
              f"(open({str(log)!r}, 'a').write(' '.join(set(re.findall(r'Subset ([0-9a-f]{{6}})', part))) + "
              "chr(10)), o(self, part, *a))[1]")
    result = run_changed(root, change, "build", env={"HUIWU_TODAY": TODAY, "TZ": "UTC"})
    assert result.returncode == 0, result.stderr
    return [line.split() for line in log.read_text().split("\n") if line]


def test_a_character_new_to_the_fonts_renders_each_part_once(sample_build, tmp_path):
    """A unit with a character no copy holds (辦: outside GB 2312 and the names' characters) makes new copies of
    the fonts, so every document is set anew. The documents sent to the workers early (before all are laid out)
    are set in the fonts this build cuts, not first in the last build's and then again: every part rendered is in
    one set of fonts, those of the files written."""
    assert ord("辦") not in working_fonts.base_set()
    assert not any("辦" in p.read_text(encoding="utf-8") for p in (sample_build.parents[1] / "content").rglob("*.*")
                   if p.suffix in (".md", ".csv", ".yaml"))
    root = copy_project(sample_build.parents[1], tmp_path)
    row = root / "content" / SAMPLE / "attendees.csv"
    name = row.read_text(encoding="utf-8").split("\n")[12].split(",")[0]
    rendered = rendered_marks(root, tmp_path, (12, f"{name},青川市港澳事務辦公室"))
    marks = {mark for line in rendered for mark in line}
    assert len(rendered) > 20 and len(marks) == 1, marks
    mark = marks.pop()
    written = [name for name in font_names(root / "output" / SAMPLE / "signin.pdf") if "Subset" in name]
    assert written and all(f"Subset-{mark}" in name for name in written), (mark, written)


def test_a_name_of_rare_characters_leaves_the_fonts_as_they_were(sample_build, tmp_path):
    """Every character a name may hold is in the copies already (a name of others is refused): a 替会 named 阚犇
    renders just the parts a new name of common characters does, in the fonts of the last build."""
    assert all(ord(ch) in working_fonts.base_set() for ch in "玥犇喆堃珺")
    root = copy_project(sample_build.parents[1], tmp_path)
    before = {name for name in font_names(root / "output" / SAMPLE / "signin.pdf") if "Subset" in name}
    rendered_marks(root, tmp_path, (12, "阚伟"))  # a surname of no one else's: the next two stay in its place
    rare = rendered_marks(root, tmp_path, (12, "阚犇"))
    common = rendered_marks(root, tmp_path, (12, "阚俊"))
    assert 0 < len(rare) == len(common) < 40, (len(rare), len(common))
    assert {m for line in rare + common for m in line} == {name.split("Subset-")[1][:6] for name in before}


def test_gb2312_is_every_code_that_decodes():
    """working_fonts.gb2312 (decoded at once) is the set of characters each two-byte code decodes to, one by one."""
    from huiwu.working_fonts import gb2312

    one_by_one = set()
    for first in range(0xA1, 0xF8):
        for second in range(0xA1, 0xFF):
            try:
                one_by_one.add(ord(bytes((first, second)).decode("gb2312")))
            except UnicodeDecodeError:
                pass
    assert gb2312() == one_by_one and len(one_by_one) == 7445  # 6,763 汉字 and 682 other characters
