"""归档: the zip holds every document and source, its index counts real pages, its manifest verifies."""

from __future__ import annotations

import hashlib
import io
import zipfile

import pytest
from pypdf import PdfReader

from conftest import BARE, ROOT, SAMPLE, new_project, open_pdf, run, write_meeting
from huiwu.documents import archive as huiwu_archive


@pytest.fixture(scope="module")
def archive(sample_build):
    with zipfile.ZipFile(sample_build / "archive" / f"{SAMPLE}.zip") as z:
        yield {name.removeprefix(f"{SAMPLE}/"): z.read(name) for name in z.namelist()}


def index_rows(path) -> list[list[str]]:
    rows = []
    with open_pdf(path) as pdf:
        for page in pdf.pages:
            for table in page.extract_tables():
                rows += [[(c or "").replace("\n", "") for c in r] for r in table if r[0] and r[0] != "件号"]
    return rows


def test_the_manifest_verifies(archive):
    manifest = archive.pop("SHA256SUMS").decode()
    listed = dict(reversed(line.split("  ", 1)) for line in manifest.splitlines())
    assert set(listed) == set(archive)
    for name, data in archive.items():
        assert hashlib.sha256(data).hexdigest() == listed[name], name


def test_every_document_and_source_is_archived_once(sample_build, archive):
    written = {p.relative_to(sample_build).as_posix() for p in sample_build.rglob("*")
               if p.is_file() and not p.name.startswith(".")}
    documents = {w for w in written if not w.startswith("archive/") and w.count("/") < 2}
    assert {n.removeprefix("文件/") for n in archive if n.startswith("文件/")} == documents
    assert any(w.count("/") == 2 for w in written)  # the per-copy files exist, but are archived as one file
    sources = {p.relative_to(ROOT / "content" / SAMPLE).as_posix() for p in (ROOT / "content" / SAMPLE).rglob("*")
               if p.is_file()}
    assert {n.removeprefix("源文件/") for n in archive if n.startswith("源文件/")} == sources
    for name in documents:
        assert archive[f"文件/{name}"] == (sample_build / name).read_bytes(), name


def test_index_page_counts_are_the_real_page_counts(sample_build, archive):
    rows = index_rows(sample_build / "archive" / "archive-index.pdf")
    pieces = [n for n in archive if n.startswith(("文件/", "源文件/"))]
    assert [r[0] for r in rows] == [f"{n:04d}" for n in range(1, len(pieces) + 1)]
    by_note = {r[6]: r for r in rows}
    for name in pieces:
        if name.endswith(".pdf"):
            real = len(PdfReader(io.BytesIO(archive[name])).pages)
            row = by_note.get(name.removeprefix("文件/")) or next(r for r in rows if r[2].endswith(name.split("/")[-1]))
            assert row[4] == str(real), name
    assert archive["archive-index.pdf"] == (sample_build / "archive" / "archive-index.pdf").read_bytes()


def test_index_columns_follow_da_t_22(sample_build):
    rows = index_rows(sample_build / "archive" / "archive-index.pdf")
    notice = next(r for r in rows if r[6] == "notice.pdf")
    minutes = next(r for r in rows if r[6] == "minutes.pdf")
    assert notice[1:6] == ["青川市人民政府办公室", "2026年全市经济工作会议通知", "20261201", notice[4], "公开"]
    assert minutes[2:4] == ["2026年全市经济工作会议纪要", "20261210"]  # the 纪要's own date
    assert all(len(r[3]) == 8 and r[3].isdigit() for r in rows)


def test_the_zip_depends_on_its_files_alone(sample_build, archive):
    """Fixed times, order and modes: packing the same files again gives the same bytes (the PDFs
    themselves are byte-identical for the same sources: test_build)."""
    path = sample_build / "archive" / f"{SAMPLE}.zip"
    with zipfile.ZipFile(path) as z:
        infos = z.infolist()
        files = [(i.filename.removeprefix(f"{SAMPLE}/"), z.read(i)) for i in infos]
    assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}
    assert huiwu_archive.pack(SAMPLE, files) == path.read_bytes()


def test_a_meeting_not_yet_held_is_not_archived(tmp_path):
    root = new_project(tmp_path, sample=False)
    write_meeting(root, "bare", BARE)
    before = run(root, "build", env={"HUIWU_TODAY": "2026-12-01"})
    assert "未生成 bare/archive/：会议尚未结束，也没有 minutes.md（会议纪要）：会后再归档" in before.stdout
    after = run(root, "build", env={"HUIWU_TODAY": "2026-12-09"})  # the day after: rebuilt and archived
    assert after.returncode == 0, after.stderr
    assert (root / "output" / "bare" / "archive" / "bare.zip").is_file()
    later = run(root, "build", env={"HUIWU_TODAY": "2026-12-10"})  # archived: a new day changes nothing
    assert later.stdout.strip() == "无需更新：1 个会议的文档都是最新的。"
