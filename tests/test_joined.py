"""Documents joined from parts (chunks of cards and badges, stamped copies): fonts and page counts read back."""

from __future__ import annotations

import hashlib
import io
import os
import re
from collections import defaultdict

import pytest
from pypdf import PdfReader

from conftest import new_project, run


def subsets(path) -> dict[str, set[str]]:
    """Each font's name (with its subset tag) → the digests of the embedded font programs it names: the fonts of
    every page and of every form a page draws (the seat map's layers)."""
    found: dict[str, set[str]] = defaultdict(set)

    def look(resources) -> None:
        for ref in resources.get("/Font", {}).values():
            font = ref.get_object()
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
            program = next(descriptor[k] for k in ("/FontFile2", "/FontFile3", "/FontFile") if k in descriptor)
            found[str(font["/BaseFont"])].add(hashlib.sha256(program.get_object().get_data()).hexdigest())
        for ref in resources.get("/XObject", {}).values():
            xobject = ref.get_object()
            if xobject.get("/Subtype") == "/Form":
                look(xobject.get("/Resources", {}))

    for page in PdfReader(path).pages:
        look(page["/Resources"])
    return found


@pytest.mark.parametrize("name", ["badges.pdf", "seatmap.pdf", "table-cards.pdf"])
def test_each_font_subset_has_a_tag_of_its_own(sample_build, name):
    """ISO 32000-1 §9.6.4: the six-letter tag names one subset; viewers and printers cache by it."""
    found = subsets(sample_build / name)
    assert all(len(programs) == 1 for programs in found.values()), found
    fonts = [tagged.split("+", 1)[1] for tagged in found]
    assert len(fonts) > len(set(fonts))  # the case: parts joined, one font in several subsets


def test_the_build_log_counts_the_pages_written(tmp_path):
    root = new_project(tmp_path, sample=True)
    result = run(root, "build", "--only", "copies,handbook")
    assert result.returncode == 0, result.stderr
    out = root / "output" / "2026-12-jingji"
    copies = [p for p in (out / "materials").rglob("*.pdf") if not p.name.endswith("-全部份号.pdf")]
    pages = sum(len(PdfReader(p).pages) for p in copies)
    assert pages > len(copies)  # the sample's material has more than one page
    logged = dict(re.findall(r"(materials/|handbook\.pdf) +(\d+) 页", result.stdout))
    assert int(logged["materials/"]) == pages
    assert int(logged["handbook.pdf"]) == len(PdfReader(out / "handbook-a5.pdf").pages)  # the booklet's pages
    total = int(re.search(r"共 (\d+) 页", result.stdout)[1])
    assert total == pages + int(logged["handbook.pdf"])


@pytest.fixture(scope="module")
def parts(tmp_path_factory) -> list[bytes]:
    """Three PDF/A parts as the workers render them: 1, 2 and 1 pages, each page saying where it is."""
    from huiwu.render import Engine

    engine = Engine()
    try:
        html = ["<p>第一份</p>", '<p style="break-after: page">第二份甲</p><p>第二份乙</p>', "<p>第三份（附表）</p>"]
        return engine.pdf(html, tmp_path_factory.mktemp("parts")).pdfs
    finally:
        engine.close()


def page_texts(data: bytes) -> list[str]:
    return [page.extract_text().strip() for page in PdfReader(io.BytesIO(data)).pages]


def test_joined_parts_follow_each_other_or_start_a_fresh_sheet(parts):
    import pikepdf

    from huiwu import pdfa
    from huiwu.joining import join

    assert [len(page_texts(p)) for p in parts] == [1, 2, 1]
    following = join(parts, duplex=False)
    assert page_texts(following) == ["第一份", "第二份甲", "第二份乙", "第三份（附表）"]
    sheets = join(parts, duplex=True)  # each part starts on a front: a blank back after an odd part
    assert page_texts(sheets) == ["第一份", "", "第二份甲", "第二份乙", "第三份（附表）"]
    boxes = {tuple(float(v) for v in page.mediabox) for page in PdfReader(io.BytesIO(sheets)).pages}
    assert len(boxes) == 1  # the blank back is the size of the page before it
    assert page_texts(join(parts, duplex=False, trim=1)) == ["第二份甲", "第二份乙", "第三份（附表）"]
    for data in (following, sheets):
        assert pikepdf.open(io.BytesIO(data)).check_pdf_syntax() == []
        assert pdfa.gaps(data) == []  # the parts' PDF/A identity and file identifier carried over
    assert join(parts, duplex=True) == sheets  # the same parts, the same bytes


def test_a_part_joined_by_its_first_pages_keeps_only_them_and_its_own_identifier(parts):
    """joining.First: only the first pages of a part are joined (the 送审件's seat map); the file's identifier tells
    it from the join of the whole part, as the head of a join too."""
    import pikepdf

    from huiwu.joining import First, join

    def identifier(data: bytes) -> bytes:
        with pikepdf.open(io.BytesIO(data)) as pdf:
            return bytes(pdf.trailer.ID[0])

    whole, first = join([parts[0], parts[1]], duplex=False), join([parts[0], First.of(parts[1], 1)], duplex=False)
    assert page_texts(whole) == ["第一份", "第二份甲", "第二份乙"] and page_texts(first) == ["第一份", "第二份甲"]
    assert identifier(whole) != identifier(first)
    head = join([First.of(parts[1], 1), parts[2]], duplex=False)
    assert page_texts(head) == ["第二份甲", "第三份（附表）"]
    assert identifier(head) != identifier(join([parts[1], parts[2]], duplex=False))


def test_joined_parts_not_all_pdfa_lose_the_claim(parts):
    import pikepdf

    from huiwu import pdfa
    from huiwu.joining import join

    plain = pikepdf.open(io.BytesIO(parts[1]))
    del plain.Root.Metadata
    out = io.BytesIO()
    plain.save(out)
    joined = join([parts[0], out.getvalue()], duplex=False)
    assert "没有 PDF/A-2b 标识（XMP pdfaid）" in pdfa.gaps(joined)
    assert page_texts(joined) == ["第一份", "第二份甲", "第二份乙"]


def test_a_part_is_cut_once_and_its_cut_kept_for_the_next_build(parts, tmp_path, monkeypatch):
    """Joined from cuts made now, kept in this process, or read back from the project's cache by the next build
    (which cuts nothing again), the same parts give the same bytes."""
    from huiwu import joining

    monkeypatch.setattr(joining._cuts, "known", {})
    fresh = joining.join(parts, duplex=True)
    assert joining.join(parts, duplex=True) == fresh
    joining._cuts.known.clear()
    cache = tmp_path / "joins"
    with joining.remembered(cache):
        assert joining.join(parts, duplex=True) == fresh
    assert len(list(cache.iterdir())) == len(parts) - 1  # a file a part after the first
    joining._cuts.known.clear()  # as in the next build's own process: nothing known, the files not yet read

    def cut_again(data: bytes) -> list:
        raise AssertionError("cut again")

    monkeypatch.setattr(joining, "_cut_part", cut_again)
    with joining.remembered(cache):
        assert joining.join(parts, duplex=True) == fresh
        assert joining.join([parts[2], parts[1]], duplex=False)  # the first part is read as it is, never kept
    broken = sorted(cache.iterdir())
    broken[0].write_bytes(b"\x00broken")  # a cache file that cannot be read is made again
    broken[1].write_bytes(broken[1].read_bytes()[:100])  # nor one cut short
    joining._cuts.known.clear()
    monkeypatch.undo()
    with joining.remembered(cache):
        assert joining.join(parts, duplex=True) == fresh


def test_a_part_read_from_the_chunk_cache_is_joined_by_its_entry_and_not_copied(parts, tmp_path, monkeypatch):
    """A part read back from the chunk cache is the file's bytes themselves (not copied into a Kept): the join still
    finds its cut by the entry's key, as it does for the part the worker sent (a Kept) — no digest of its bytes —
    until the cache forgets its reads. Equal bytes read otherwise are not taken for the entry."""
    from huiwu import joining, render

    cache = render.ChunkCache(tmp_path / "chunks", "v1")
    html = ["<p>一</p>", "<p>二</p>", "<p>三</p>"]
    sent = [cache.kept(h, data) for h, data in zip(html, parts, strict=True)]  # as a worker sends them
    for h, data in zip(html, parts, strict=True):
        cache.put(h, data, 1)
    read = [cache.get(h) for h in html]
    assert all(hit is not None and type(hit[0]) is bytes for hit in read)
    assert [render.kept_key(hit[0]) for hit in read if hit] == [k.key for k in sent]
    assert render.kept_key(bytes(parts[1])) is None  # the same bytes, not the entry's
    monkeypatch.setattr(joining._cuts, "known", {})
    monkeypatch.setattr(joining._cuts, "used", set())
    joined = joining.join([hit[0] for hit in read if hit], duplex=True)
    assert joining._cuts.used == {k.key for k in sent[1:]}  # each cut asked for by its entry's key, not a digest
    assert joined == joining.join(sent, duplex=True)
    cache.forget()
    assert all(render.kept_key(hit[0]) is None for hit in read if hit)


def test_a_shelf_keeps_what_a_build_used_and_the_newest_of_the_rest(tmp_path):
    """A value is a file of its own, read only when asked for; a build that made a new one removes the files it did
    not use but for the `keep_extra` newest; a build that made none removes nothing."""
    import os

    from huiwu.memo import Shelf

    made: list[str] = []
    shelf = Shelf(lambda key: made.append(key) or key.upper(), lambda v: isinstance(v, str), keep_extra=2)
    keys = [f"{i:02x}" * 8 for i in range(6)]
    with shelf.remembered(tmp_path):
        assert [shelf(k) for k in keys[:5]] == [k.upper() for k in keys[:5]]
    for age, key in enumerate(reversed(keys[:5])):  # keys[0] the oldest file
        os.utime(tmp_path / key, ns=(10**18 - age * 10**9,) * 2)
    shelf.known.clear()
    with shelf.remembered(tmp_path):
        assert shelf(keys[0]) == keys[0].upper()  # read back, not made
    assert sorted(os.listdir(tmp_path)) == sorted(keys[:5])  # nothing new made: nothing removed
    with shelf.remembered(tmp_path):
        assert shelf(keys[1]) == keys[1].upper() and shelf(keys[5]) == keys[5].upper()
    assert made == keys[:5] + keys[5:]
    assert sorted(os.listdir(tmp_path)) == sorted([keys[1], keys[5], keys[4], keys[3]])  # used, and the 2 newest


def test_a_shelf_prunes_once_a_quarter_more_than_it_keeps_lie_unused(tmp_path):
    """The files not used are looked at (their dates) only once they are a quarter more than `keep_extra`: up to
    that, a build that made a new value removes nothing; past it, all but the newest `keep_extra` go."""
    import os

    from huiwu.memo import Shelf

    shelf = Shelf(lambda key: key.upper(), lambda v: isinstance(v, str), keep_extra=4)
    keys = [f"{i:02x}" * 8 for i in range(7)]
    for age, key in enumerate(keys[:5]):
        (tmp_path / key).write_bytes(b"")
        os.utime(tmp_path / key, ns=(10**18 + age * 10**9,) * 2)  # keys[4] the newest
    with shelf.remembered(tmp_path):
        shelf(keys[5])  # made: 5 unused, a quarter more than 4 at most
    assert sorted(os.listdir(tmp_path)) == sorted(keys[:6])
    os.utime(tmp_path / keys[5], ns=(10**18 + 5 * 10**9,) * 2)
    with shelf.remembered(tmp_path):
        shelf(keys[6])  # made: 6 unused now
    assert sorted(os.listdir(tmp_path)) == sorted(keys[2:7])  # used, and the 4 newest


def test_objects_the_parts_share_are_written_once(parts):
    """Joined, an object of a part that is the same as one of an earlier part's (a layout's fonts, the material under
    every numbered copy) is written once and drawn from both; each page stays a page of its own."""
    import pikepdf

    from huiwu import pdfa
    from huiwu.joining import join

    twice = join([parts[0], parts[0]], duplex=False)
    assert page_texts(twice) == ["第一份", "第一份"]
    with pikepdf.open(io.BytesIO(twice)) as pdf:
        first, second = (page.obj for page in pdf.pages)
        assert first.objgen != second.objgen and first.Contents.objgen == second.Contents.objgen
        assert [f.objgen for f in first.Resources.Font.values()] == [f.objgen for f in second.Resources.Font.values()]
        assert pdf.check_pdf_syntax() == []
    assert pdfa.gaps(twice) == []
    assert len(twice) < len(parts[0]) * 1.2  # the second page: a page object and nothing more


def test_a_stylesheet_shared_by_parts_is_read_once_and_lays_out_the_same(tmp_path):
    """The parts of a layout share one stylesheet: it is parsed once and given to WeasyPrint apart, and the PDFs are
    those of the HTML as it is — also where each part has rules of its own (OWN: its first page's number). A part
    styled otherwise too is laid out as it is; a mistake in the stylesheet is
    said with every part that has it."""
    from huiwu import pdfa
    from huiwu.render import OWN, Engine

    engine = Engine()
    try:
        style = "<style>@page { size: A5; margin: 20mm } p { font-size: 20pt; color: #c00 }</style>"
        html = [f"<html><head>{style}</head><body><p>第{n}份</p></body></html>" for n in "一二"]
        made = engine.pdf(html, tmp_path)
        assert len(engine.sheets) == 1 and made.pages == 2
        as_is = [engine.weasyprint.HTML(string=h, base_url=str(tmp_path)).render(font_config=engine.font_config)
                 .write_pdf(pdf_variant=pdfa.VARIANT) for h in html]
        assert made.pdfs == as_is
        engine.pdf([f"<head>{style}<style>p {{ color: blue }}</style></head><p>三</p>"], tmp_path)
        assert len(engine.sheets) == 1
        numbered = [f"<html><head><style>@page {{ size: A5; @bottom-center {{ content: '第' counter(page) '页' }} }}"
                    f"{OWN} @page :first {{ counter-reset: page {n} }}</style></head><body><p>{n}</p></body></html>"
                    for n in (7, 12)]  # the rules after OWN are each part's own: the rest is parsed once
        made = engine.pdf(numbered, tmp_path)
        assert len(engine.sheets) == 2
        as_is = [engine.weasyprint.HTML(string=h, base_url=str(tmp_path)).render(font_config=engine.font_config)
                 .write_pdf(pdf_variant=pdfa.VARIANT) for h in numbered]
        assert made.pdfs == as_is
        assert [page_texts(pdf)[0].split() for pdf in made.pdfs] == [["7", "第7页"], ["12", "第12页"]]
        wrong = "<style>p { colr: red }</style>"
        said = engine.pdf([f"<head>{wrong}</head><p>四</p>", f"<head>{wrong}</head><p>五</p>"], tmp_path).warnings
        assert len(said) == 2 and all("colr" in w for w in said)
        stylesheet = tmp_path / "fonts.css"  # fonts that fail to load: WeasyPrint's font set-up is made anew,
        stylesheet.write_text("p { color: red }", encoding="utf-8")  # and the sheets parsed for the old one go
        real, engine.weasyprint = engine.weasyprint, type("Failing", (), {"HTML": staticmethod(_fail)})
        before = engine.font_config
        engine.load_fonts(stylesheet)
        engine.weasyprint = real
        assert engine.font_config is not before and not engine.sheets
    finally:
        engine.close()


def _fail(*args, **kwargs):
    raise OSError("磁盘已满")


def _png(seed: int) -> str:
    """A small image of its own (a stand-in for a badge's QR code, or the emblem on every sheet), as a data URL."""
    import base64

    from PIL import Image

    image = Image.new("RGB", (5, 5), (seed * 37 % 256, seed * 71 % 256, seed * 13 % 256))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode()


@pytest.fixture(scope="module")
def sheets(tmp_path_factory) -> dict[str, list[bytes]]:
    """Eight one-page parts as the workers render them, each with a name of its own (its own font subset), the
    emblem every part has and an image of its own (the fifth part's image is the second's as well), and other
    versions of some: `named`, the fourth with another name (the same objects); `longer`, the fourth on two pages;
    `borrowed`, the fourth with the seventh's image; `lone`, the second with another image than the one the fifth
    shares with it."""
    from huiwu.render import Engine

    emblem = _png(0)

    def part(n: int, name: str = "", own: int | None = None, more: str = "") -> str:
        name = name or f"张{'甲乙丙丁戊己庚辛'[n]}"
        images = f'<img src="{emblem}"><img src="{_png(n if own is None else own)}">'
        second = f'<img src="{_png(2)}">' if n == 5 else ""
        return f"<p>第{n}份 {name}</p>{images}{second}{more}"

    versions = {"all": [part(n) for n in range(8)], "named": [part(3, "欧阳明")],
                "longer": [part(3, more='<p style="break-before: page">续页</p>')], "borrowed": [part(3, own=7)],
                "lone": [part(2, own=11)]}
    engine = Engine()
    try:
        folder = tmp_path_factory.mktemp("sheets")
        return {key: engine.pdf(html, folder).pdfs for key, html in versions.items()}
    finally:
        engine.close()


def spliced_join(monkeypatch, pdfs: list[bytes], path) -> tuple[bytes, bool]:
    """The join of `pdfs` written to `path` as the build writes it (settled), and whether it was made from the file
    there (joining._spliced) rather than joined anew."""
    from huiwu import joining, render

    taken: list[bool] = []
    spliced = joining._spliced

    def noted(*args):
        made = spliced(*args)
        taken.append(made is not None)
        return made

    monkeypatch.setattr(joining, "_spliced", noted)
    data = joining.join(pdfs, duplex=True, before=path)
    monkeypatch.setattr(joining, "_spliced", spliced)
    render.write_changed(path, data)
    joining.settle(path)
    return data, bool(taken and taken[0])


def test_a_join_of_the_same_parts_but_one_is_made_from_the_file_written_before(sheets, tmp_path, monkeypatch):
    """The file of the last join, recorded once written, gives the next join of the same parts but one with as many
    objects (a name changed): its other parts' objects are taken from the file as they stand, not joined again — and
    the bytes are those of a join made anew. A part that would number the others' objects otherwise (a page more,
    an image a later part has, an image a later part shares with it no longer there), the first part, or a file changed
    since it was written: joined anew."""
    import pikepdf

    from huiwu import joining

    monkeypatch.setattr(joining._records, "known", {})
    path, base = tmp_path / "badges.pdf", sheets["all"]
    assert spliced_join(monkeypatch, base, path) == (joining.join(base, duplex=True), False)  # nothing recorded yet
    named = [*base[:3], sheets["named"][0], *base[4:]]
    data, spliced = spliced_join(monkeypatch, named, path)
    assert spliced and data == joining.join(named, duplex=True)
    assert page_texts(data)[6] == "第3份 欧阳明" and pikepdf.open(io.BytesIO(data)).check_pdf_syntax() == []
    data, spliced = spliced_join(monkeypatch, base, path)  # and back: from the file just made from the last one
    assert spliced and data == joining.join(base, duplex=True)
    for other in ([*base[:3], sheets["longer"][0], *base[4:]], [*base[:3], sheets["borrowed"][0], *base[4:]],
                  [*base[:2], sheets["lone"][0], *base[3:]], [sheets["named"][0], *base[1:]]):
        data, spliced = spliced_join(monkeypatch, other, path)
        assert not spliced and data == joining.join(other, duplex=True)
        spliced_join(monkeypatch, base, path)
    assert spliced_join(monkeypatch, named, path)[1]
    path.write_bytes(path.read_bytes().replace(b"/Type /Catalog", b"/Type  /Catalog"))  # changed since: not taken
    data, spliced = spliced_join(monkeypatch, base, path)
    assert not spliced and data == joining.join(base, duplex=True)


def test_a_damaged_record_of_a_joined_file_means_a_join_made_anew(sheets, tmp_path, monkeypatch):
    """The record of how a file was joined, read back of another shape (a damaged cache): the next join is made
    anew, the same bytes, no error."""
    from huiwu import joining

    monkeypatch.setattr(joining._records, "known", {})
    path, base = tmp_path / "badges.pdf", sheets["all"]
    spliced_join(monkeypatch, base, path)
    key = joining._record_key(path)
    good = joining._records.get(key)
    assert good is not None
    named = [*base[:3], sheets["named"][0], *base[4:]]
    whole = joining.join(named, duplex=True)
    for field, wrong in ((2, [*good[2][:3], ("x",), *good[2][4:]]), (2, [*good[2][:3], 7, *good[2][4:]]), (3, None),
                         (5, [])):
        joining._records.set(key, (*good[:field], wrong, *good[field + 1:]))
        assert joining.join(named, duplex=True, before=path) == whole


def test_parts_not_read_from_the_chunk_cache_are_read_only_when_a_join_wants_them(sheets, tmp_path, monkeypatch):
    """The parts the chunk cache holds, given to a join unread (the build's own joins: render.Unread): a join made
    from the file written before reads only the part that changed, if it is one of them — the others are taken
    from the file —; a join made anew reads them all; either way the bytes of a join of the parts read. A part gone
    from the cache when it is to be read (another build pruned it) is made again."""
    from huiwu import joining, render

    monkeypatch.setattr(joining._records, "known", {})
    cache = render.ChunkCache(tmp_path / "chunks", "v1")
    html = [f"<p>第{n}份</p>" for n in range(8)]
    for h, data in zip(html, sheets["all"], strict=True):
        cache.put(h, data, 1)
    read: list[str] = []
    monkeypatch.setattr(render.Unread, "read", lambda self, read_=render.Unread.read: read.append(self.path)
                        or read_(self))

    def unread(n: int):
        hit = cache.unread(html[n], lambda: sheets["all"][n])
        assert hit is not None and hit[1] == 1
        return hit[0]

    path = tmp_path / "badges.pdf"
    whole = joining.join(sheets["all"], duplex=True)
    assert spliced_join(monkeypatch, [unread(n) for n in range(8)], path) == (whole, False)
    assert len(read) == 8  # nothing recorded: joined anew, every part read
    read.clear()
    named = [unread(n) for n in range(3)] + [sheets["named"][0]] + [unread(n) for n in range(4, 8)]
    data, spliced = spliced_join(monkeypatch, named, path)
    assert spliced and data == joining.join([*sheets["all"][:3], sheets["named"][0], *sheets["all"][4:]], duplex=True)
    assert read == []  # the part that changed came from the workers; the others were taken from the file
    data, spliced = spliced_join(monkeypatch, [unread(n) for n in range(8)], path)  # the edit undone: its part read
    assert spliced and data == whole and read == [cache.find(html[3])[0].as_posix()]
    gone, piped = unread(5), unread(6)
    cache.find(html[5])[0].unlink()  # pruned by another build since it was listed
    os.mkfifo(cache.find(html[6])[0].with_suffix(".fifo"))
    cache.find(html[6])[0].unlink()
    cache.find(html[6])[0].with_suffix(".fifo").rename(cache.find(html[6])[0])  # a named pipe in its place: not waited on
    assert render.read_all([gone, piped]) == [sheets["all"][5], sheets["all"][6]]


def test_a_joined_document_joined_again_is_joined_from_its_chunks(sheets, monkeypatch):
    """A document's chunks joined into one (the 须知's name list: joining.Joined), joined again after another part
    without a fresh sheet each: its chunks are taken, as their cuts are kept — the joined file is not cut (pikepdf)
    every time one of them changes. The pages are those of joining the joined file."""
    from huiwu import joining

    cut: list[int] = []
    part_cut = joining._cut_part
    monkeypatch.setattr(joining, "_cut_part", lambda data, form=False: cut.append(len(data)) or part_cut(data, form))
    front, chunks = sheets["all"][0], sheets["all"][1:]
    joined = joining.Joined.of(chunks)
    cut.clear()
    data = joining.join([front, joined], duplex=False, trim=0)
    assert len(joined) not in cut
    assert data == joining.join([front, *chunks], duplex=False)
    assert page_texts(data) == page_texts(joining.join([front, bytes(joined)], duplex=False))
