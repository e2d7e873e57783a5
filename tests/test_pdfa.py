"""PDF/A-2b: every PDF huiwu renders says it is PDF/A-2b and has what can be checked here (XMP pdfaid,
the sRGB OutputIntent, every font embedded, no encryption, a file identifier, document information equal
to the XMP); it prints exactly as the plain PDF did; the archive index says which filed PDFs are not."""

from __future__ import annotations

import io
import re
import subprocess
import zipfile

import pikepdf
import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject

from conftest import SAMPLE, TODAY, copy_project, run_changed
from huiwu import pdfa
from huiwu.render import Engine

STAMPED = "materials/"  # the numbered copies: the office's own material, stamped with 份号 (not rendered)
COMPARED = "notice,plan,signin,attendance,minutes,followups,briefing,summary,badges,seatmap,handbook"


def made(sample_build) -> list:
    return sorted(p for p in sample_build.rglob("*.pdf") if not p.relative_to(sample_build).as_posix().startswith(STAMPED))


def test_every_pdf_the_build_renders_has_what_pdfa_2b_requires(sample_build):
    files = made(sample_build)
    assert len(files) > 20 and {"badges.pdf", "handbook.pdf", "table-cards.pdf"} <= {p.name for p in files}
    for path in files:
        assert pdfa.gaps(path.read_bytes()) == [], path.name
        packet = pdfa.xmp(pikepdf.open(path))
        assert 'pdfaid:part="2"' in packet and 'pdfaid:conformance="B"' in packet, path.name


def test_fonts_embedded_and_no_encryption_as_poppler_reads_them(sample_build):
    for path in made(sample_build):
        info = subprocess.run(["pdfinfo", path], capture_output=True, text=True, check=True).stdout
        assert re.search(r"^Encrypted:\s+no", info, re.M) and re.search(r"^PDF version:\s+1\.7", info, re.M)
        fonts = subprocess.run(["pdffonts", path], capture_output=True, text=True, check=True).stdout
        rows = fonts.splitlines()[2:]
        assert rows, path.name
        for row in rows:  # name type encoding emb sub uni object ID
            assert row.split()[-5:-2] == ["yes", "yes", "yes"], (path.name, row)


def test_a_joined_document_keeps_the_title_and_identity_of_its_parts(sample_build):
    reader = PdfReader(sample_build / "table-cards.pdf")
    assert reader.metadata.title and f">{reader.metadata.title}<" in pdfa.xmp(pikepdf.open(sample_build / "table-cards.pdf"))
    with pikepdf.open(sample_build / "table-cards.pdf") as pdf:  # as bytes: pypdf reads some as UTF-16 text
        identifier = [bytes(part) for part in pdf.trailer.ID]
    assert identifier[0] == identifier[1] and len(identifier[0]) == 16


def test_pdfa_prints_exactly_as_the_plain_pdf(sample_build, tmp_path):
    """The sample's filed documents, a joined one (badges) and the imposed handbook, rendered without
    PDF/A, rasterise to the very same pixels."""
    root = copy_project(sample_build.parents[1], tmp_path)
    result = run_changed(root, "import huiwu.pdfa as p; p.VARIANT = None", "build", "--force", "--only", COMPARED,
                         env={"HUIWU_TODAY": TODAY, "TZ": "UTC"})
    assert result.returncode == 0, result.stderr
    names = ["notice.pdf", "plan.pdf", "signin.pdf", "attendance.pdf", "minutes.pdf", "followups.pdf",
             "briefing-1.pdf", "summary.pdf", "badges.pdf", "seatmap.pdf", "handbook.pdf"]
    for name in names:
        redone = root / "output" / SAMPLE / name
        assert pdfa.gaps(redone.read_bytes()) != [], name  # the plain one really is not PDF/A
        assert pixels(redone) == pixels(sample_build / name), name


def pixels(path) -> bytes:
    return subprocess.run(["pdftoppm", "-r", "72", "-gray", path], capture_output=True, check=True).stdout


@pytest.fixture(scope="module")
def plain() -> bytes:
    """A PDF as WeasyPrint writes it without PDF/A."""
    html = "<html><head><title>测试</title></head><body><p>会议通知</p></body></html>"
    engine = Engine()
    return engine.weasyprint.HTML(string=html).write_pdf(font_config=engine.font_config)


def rewrite(data: bytes, change) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    change(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_the_check_names_what_a_pdf_lacks(sample_build, plain):
    assert pdfa.gaps(plain) == ["没有 PDF/A-2b 标识（XMP pdfaid）", "没有 sRGB 输出意图（OutputIntent）", "没有文件标识（ID）"]
    notice = (sample_build / "notice.pdf").read_bytes()
    retitled = rewrite(notice, lambda w: w.add_metadata({"/Title": "另一个题名"}))
    assert pdfa.gaps(retitled) == ["文档信息 Title 与 XMP 不一致"]
    locked = rewrite(notice, lambda w: w.encrypt("", "owner"))
    assert pdfa.gaps(locked) == ["已加密"]

    def unembed(writer):
        for page in writer.pages:
            for ref in page["/Resources"]["/Font"].values():
                cid = ref.get_object()["/DescendantFonts"][0].get_object()
                descriptor = cid["/FontDescriptor"].get_object()
                for key in pdfa.FONT_FILES:
                    descriptor.pop(NameObject(key), None)
    bare = pdfa.gaps(rewrite(notice, unembed))
    assert len(bare) == 1 and bare[0].startswith("字体未嵌入：")


def test_the_index_says_which_filed_pdfs_are_not_pdfa(sample_build):
    """The office's own 讲话 PDF (归档/) and the 秘密 material are not PDF/A; everything huiwu wrote is."""
    public = PdfReader(sample_build / "archive" / "archive-index.pdf").pages[0].extract_text()
    assert "PDF 文件 10 件中 9 件为 PDF/A-2b 格式；其余不是（0011，办公室提供的原件）" in re.sub(r"\n", "", public)
    secret = PdfReader(sample_build / "archive" / "archive-index-涉密.pdf").pages[0].extract_text()
    assert "PDF 文件 1 件不是 PDF/A 格式（0001，办公室提供的原件）" in re.sub(r"\n", "", secret)
    with zipfile.ZipFile(sample_build / "archive" / f"{SAMPLE}.zip") as z:
        filed = {n.split("/文件/", 1)[1]: z.read(n) for n in z.namelist() if "/文件/" in n and n.endswith(".pdf")}
    assert {name for name, data in filed.items() if pdfa.gaps(data)} == {"归档/周卫东讲话.pdf"}
    assert len(filed) == 10
