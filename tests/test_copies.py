"""涉密材料编号件: each numbered copy marked as a 公文 is (domain.md §5.6), measured from the PDF, and a QR
code that a reader decodes to the copy's 份号."""

from __future__ import annotations

import pypdfium2
import pytest
import zxingcpp

from conftest import ROOT, SAMPLE, copy_project, mm, open_pdf, rebuild_counting

COPIES = "materials/经济运行情况-全部份号.pdf"  # all copies of the sample's 秘密 material, recollected
PER_COPY = 2  # pages of that material (content/…/材料/经济运行情况.pdf)


def line(page, text: str) -> list[dict]:
    """The chars of the first line of the page's top margin that reads `text`."""
    for top in sorted({round(c["top"], 1) for c in page.chars if mm(c["top"]) < 30}):
        chars = sorted((c for c in page.chars if round(c["top"], 1) == top), key=lambda c: c["x0"])
        joined = "".join(c["text"] for c in chars)
        if text in joined:
            start = joined.index(text)
            return chars[start:start + len(text)]
    raise AssertionError(f"no line “{text}” in the top margin")


@pytest.fixture(scope="module")
def copies(sample_build):
    with open_pdf(sample_build / COPIES) as pdf:
        yield pdf


def test_each_copy_carries_its_number_secrecy_and_recollection_marks(copies):
    assert len(copies.pages) % PER_COPY == 0 and len(copies.pages) // PER_COPY > 60
    for i, page in enumerate(copies.pages):
        n = i // PER_COPY + 1  # every page of a copy is marked
        number, mark, back = line(page, f"{n:06d}"), line(page, "秘密★1年"), line(page, "会后收回")
        body_top = min(mm(c["top"]) for c in page.chars if mm(c["top"]) > 30)
        for chars in (number, mark, back):
            assert all(c["size"] == pytest.approx(16, abs=0.2) for c in chars)  # 3号
            assert all("Sans" in c["fontname"] or "Hei" in c["fontname"] for c in chars[1:] if not c["text"].isdigit())
            assert mm(max(c["bottom"] for c in chars)) < body_top  # never over the material's text
        assert mm(number[0]["x0"]) == pytest.approx(28, abs=0.5) and mm(mark[0]["x0"]) == pytest.approx(28, abs=0.5)
        assert mm(mark[0]["top"]) - mm(number[0]["top"]) == pytest.approx(8, abs=1)  # line 2, under the 份号
        assert mm(back[-1]["x1"]) > 150  # at the right, where the holder is named in small type under it
        holder = [c for c in page.chars if abs(c["top"] - mark[0]["top"]) < 3 and mm(c["x0"]) > 100]
        assert holder and max(c["size"] for c in holder) < 10


def test_each_copy_has_a_qr_code_that_decodes_to_its_number(copies, sample_build):
    pdf = pypdfium2.PdfDocument(sample_build / COPIES)
    last = len(pdf) // PER_COPY
    for n, page in ((1, 0), (1, 1), (2, 2), (last, len(pdf) - 1)):
        image = pdf[page].render(scale=200 / 72).to_pil()
        texts = [r.text for r in zxingcpp.read_barcodes(image)]
        assert texts == [f"huiwu-copy:{SAMPLE}:经济运行情况:{n:06d}"]


def test_each_copy_holds_its_own_qr_image_only(sample_build):
    """The stamps are rendered together; a copy must not carry the other copies' QR codes: its pages hold
    the material's own images and one more."""
    from pypdf import PdfReader

    def drawn(resources) -> set[bytes]:  # the images of a page, also those inside the forms it draws
        found = set()
        for ref in resources.get_object().get("/XObject", {}).values():
            obj = ref.get_object()
            found |= {obj.get_data()} if obj.get("/Subtype") == "/Image" else drawn(obj.get("/Resources", {}))
        return found

    def images(pdf: PdfReader) -> set[bytes]:
        return {data for page in pdf.pages for data in drawn(page["/Resources"])}

    own = images(PdfReader(ROOT / "content" / SAMPLE / "材料" / "经济运行情况.pdf"))
    each = sorted((sample_build / "materials" / "经济运行情况").glob("*.pdf"))
    assert len(each) > 60
    for path in each[:5]:
        assert len(images(PdfReader(path)) - own) == 1, path.name


def test_a_renamed_holder_renders_again_only_the_stamps_around_their_copy(tmp_path, sample_build, monkeypatch):
    """The stamps are rendered CHUNK copies at a time and cached: renaming the holder of copy 000001 renders the
    stamps of the first CHUNK copies again, not the others', stamps those copies (and their piece of the print
    file) again and takes the others as stamped before; the copy's file names the new holder, and so does the print
    file, where every copy is still held."""
    from huiwu.documents.copies import CHUNK

    root = copy_project(sample_build.parents[1], tmp_path)
    folder = root / "output" / SAMPLE / "materials" / "经济运行情况"
    last = sorted(folder.glob("0*.pdf"))[-1]
    written = last.stat().st_mtime_ns
    people = root / "content" / SAMPLE / "attendees.csv"
    people.write_text(people.read_text(encoding="utf-8-sig").replace("周卫东,", "周卫国,"), encoding="utf-8")
    rendered, stamped = rebuild_counting(root, monkeypatch)
    assert len(list(folder.glob("0*.pdf"))) > CHUNK and rendered.count("copies") == 1
    assert len(stamped) == CHUNK + 1  # the others: as stamped by the session's build
    assert (folder / "000001-周卫国.pdf").is_file() and not (folder / "000001-周卫东.pdf").exists()
    with open_pdf(folder / "000001-周卫国.pdf") as pdf:
        assert "周卫国" in "".join(c["text"] for c in pdf.pages[0].chars)
    assert last.stat().st_mtime_ns == written  # the same bytes: not written again (a viewer has nothing to reload)
    with open_pdf(root / "output" / SAMPLE / COPIES) as bundle, open_pdf(sample_build / COPIES) as before:
        assert len(bundle.pages) == len(before.pages)
        first = "".join(c["text"] for c in bundle.pages[0].chars)
        assert "周卫国" in first and "周卫东" not in first


def test_a_copy_as_written_before_is_neither_read_back_nor_written_again(tmp_path, sample_build, monkeypatch):
    """Each copy's file is noted as written from its stamped entry: after a holder is renamed (and renamed back),
    the build compares and writes only the copies stamped again (the first CHUNK) and those changed since it wrote
    them (damaged, removed); every other copy is left unread, and every copy ends as a build from scratch makes it."""
    from huiwu import render
    from huiwu.documents.copies import CHUNK

    root = copy_project(sample_build.parents[1], tmp_path)
    people = root / "content" / SAMPLE / "attendees.csv"
    table = people.read_text(encoding="utf-8-sig")
    people.write_text(table.replace("周卫东,", "周卫国,"), encoding="utf-8")
    rebuild_counting(root, monkeypatch)  # every copy compared, and noted as written in this project
    folder = root / "output" / SAMPLE / "materials" / "经济运行情况"
    *_, removed, damaged = sorted(folder.glob("0*.pdf"))
    damaged.write_bytes(b"%PDF-1.7 edited by hand")
    removed.unlink()
    compared: list[str] = []
    write_changed = render.write_changed
    monkeypatch.setattr(render, "write_changed", lambda path, data: compared.append(path.name)
                        or write_changed(path, data))
    people.write_text(table, encoding="utf-8")
    rebuild_counting(root, monkeypatch)
    copies = sorted(name for name in compared if name[:6].isdigit())
    assert copies[:CHUNK] == [path.name for path in sorted(folder.glob("0*.pdf"))[:CHUNK]]
    assert copies[CHUNK:] == [removed.name, damaged.name]
    made = sorted(path.name for path in (sample_build / "materials" / "经济运行情况").glob("0*.pdf"))
    assert sorted(path.name for path in folder.glob("0*.pdf")) == made
    for name in made:
        assert (folder / name).read_bytes() == (sample_build / "materials" / "经济运行情况" / name).read_bytes()


def test_the_print_file_holds_the_material_once(sample_build):
    """All copies in one file: every page draws the material's own fonts and content from the same objects,
    across the pieces it is joined from (a piece for each CHUNK copies)."""
    import pikepdf

    from huiwu.documents.copies import CHUNK

    with pikepdf.open(sample_build / COPIES) as pdf:
        assert len(pdf.pages) // PER_COPY > CHUNK  # more than one piece
        fonts = {font.objgen for page in pdf.pages for font in page.Resources.Font.values()}
        first = {font.objgen for page in pdf.pages[:PER_COPY] for font in page.Resources.Font.values()}
        assert fonts == first and fonts
        material = {tuple(c.objgen for c in page.obj.Contents)[1] for page in pdf.pages[PER_COPY - 1::PER_COPY]}
        assert len(material) == 1  # the last page's own content, under every copy's stamp


def test_a_stamped_copy_pruned_by_another_build_before_it_is_read_is_stamped_again(tmp_path):
    """A live preview and a `make` at once: the other build prunes a stamped copy between this build's finding it
    and writing it; the copy is stamped again (`remake`), not a build stopped by a missing cache file."""
    from huiwu.render import ChunkCache, Stash

    Stash(ChunkCache(tmp_path / "cache", "v1")).put("copy 1", b"%PDF stamped", 1)
    stash = Stash(ChunkCache(tmp_path / "cache", "v1"))
    kept = stash.kept("copy 1", lambda: b"%PDF stamped again")
    assert kept is not None and kept.pages == 1
    kept.path.unlink()  # the other build's prune
    out = tmp_path / "out" / "000001.pdf"
    stash.write(out, kept)
    assert out.read_bytes() == b"%PDF stamped again"
    assert stash.kept("copy 2") is None


def test_a_materials_kept_page_count_and_size_are_its_own_or_read_again():
    """A material's page count and first page size, kept between builds by its bytes' digest, are the file's own
    (A4 and two pages for the sample's); a kept entry of another shape (a damaged cache) is read again."""
    import hashlib

    from huiwu.records import materials

    data = (ROOT / "content" / SAMPLE / "材料" / "经济运行情况.pdf").read_bytes()
    assert materials.facts_of(data)[0] == PER_COPY
    assert [round(x * 25.4 / 72) for x in materials.first_page_size(data)] == [210, 297]  # points → mm
    key = hashlib.sha256(data).hexdigest()
    for wrong in ([2], [2, "210", 297.0], [True, 1.0, 2.0]):
        materials.known.set(key, wrong)
        assert materials.facts_of(data) == materials._facts(data)
