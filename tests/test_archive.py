"""归档: the 归档文件 indexed by their own 题名, 日期, 文号 and 密级, 涉密 items in a package and index of their
own, working papers outside the index, real page counts, a manifest that verifies."""

from __future__ import annotations

import errno
import hashlib
import io
import os
import re
import subprocess
import zipfile
from datetime import date

import pytest
from pypdf import PdfReader

from conftest import BARE, ROOT, SAMPLE, new_project, open_pdf, run, write_meeting
from huiwu import chinese
from huiwu.documents import archive as huiwu_archive

SECRET = f"{SAMPLE}-涉密"
MATERIAL = "材料/经济运行情况.pdf"  # the sample's 秘密 material


def unpack(path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        top = path.stem
        return {name.removeprefix(f"{top}/"): z.read(name) for name in z.namelist()}


@pytest.fixture(scope="module")
def packages(sample_build) -> dict[str, dict[str, bytes]]:
    return {name: unpack(sample_build / "archive" / f"{name}.zip") for name in (SAMPLE, SECRET)}


def index_rows(path) -> list[list[str]]:
    rows = []
    with open_pdf(path) as pdf:
        for page in pdf.pages:
            for table in page.extract_tables():
                rows += [[(c or "").replace("\n", "") for c in r] for r in table if r[0] and r[0] not in ("件号", "档号")]
    return rows


def words(data: bytes) -> set[str]:
    """The words of a PDF's text, or of a text file's cells."""
    if data.startswith(b"%PDF"):
        return set("".join(p.extract_text() + "\n" for p in PdfReader(io.BytesIO(data)).pages).split())
    return set(re.split(r"[\s,]+", data.decode("utf-8", "replace")))


def pdf_text(data: bytes) -> str:
    return re.sub(r"\s+", "", "".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages))


def test_each_manifest_verifies(packages):
    for files in packages.values():
        files = dict(files)
        manifest = files.pop("SHA256SUMS").decode()
        listed = dict(reversed(line.split("  ", 1)) for line in manifest.splitlines())
        assert set(listed) == set(files)
        for name, data in files.items():
            assert hashlib.sha256(data).hexdigest() == listed[name], name


def test_every_document_and_source_is_archived_once(sample_build, packages):
    written = {p.relative_to(sample_build).as_posix() for p in sample_build.rglob("*")
               if p.is_file() and not p.name.startswith(".")}
    documents = {w for w in written if not w.startswith("archive/") and w.count("/") < 2}
    archived = [re.sub(r"^(文件|工作底稿)/", "", n) for files in packages.values() for n in files
                if not n.startswith(("工作底稿/源文件/", "文件/材料/", "文件/归档/")) and "/" in n]
    assert sorted(archived) == sorted(documents)
    assert any(w.count("/") == 2 for w in written)  # the per-copy files exist, but are archived as one file
    sources = {p.relative_to(ROOT / "content" / SAMPLE).as_posix() for p in (ROOT / "content" / SAMPLE).rglob("*")
               if p.is_file()}
    archived = [re.sub(r"^(工作底稿/源文件|文件)/", "", n) for files in packages.values() for n in files
                if n.startswith(("工作底稿/源文件/", "文件/材料/", "文件/归档/"))]
    assert sorted(archived) == sorted(sources)
    for name in documents:
        where = next(f for files in packages.values() for f in (files.get(f"文件/{name}"), files.get(f"工作底稿/{name}"))
                     if f is not None)
        assert where == (sample_build / name).read_bytes(), name


def test_the_index_lists_the_filed_documents_with_real_page_counts(sample_build, packages):
    for package, index in ((SAMPLE, "archive-index.pdf"), (SECRET, "archive-index-涉密.pdf")):
        rows = index_rows(sample_build / "archive" / index)
        filed = [n for n in packages[package] if n.startswith("文件/")]
        assert [r[0] for r in rows] == [f"{n:04d}" for n in range(1, len(filed) + 1)]
        for row, name in zip(rows, filed, strict=True):
            assert row[7] == name.split("/")[-1]
            real = len(PdfReader(io.BytesIO(packages[package][name])).pages) if name.endswith(".pdf") else ""
            assert row[5] == str(real), name
        assert packages[package][index] == (sample_build / "archive" / index).read_bytes()
    filed = {n.removeprefix("文件/") for n in packages[SAMPLE] if n.startswith("文件/")}
    assert filed == {"notice.pdf", "plan.pdf", "signin.pdf", "attendance.pdf", "minutes.pdf", "followups.pdf",
                     "briefing-1.pdf", "speech-ouyang.pdf", "summary.pdf", "归档/周卫东讲话.pdf", "归档/20261208-会场照片.jpg"}
    assert {"table-cards.pdf", "badges.pdf", "signs.pdf", "reminders.ics", "源文件/attendees.csv"} <= {
        n.removeprefix("工作底稿/") for n in packages[SAMPLE]}


def test_index_rows_are_the_documents_own_title_date_and_number(sample_build, packages):
    """DA/T 22: 题名, 日期 and 文号 as each document prints them."""
    rows = index_rows(sample_build / "archive" / "archive-index.pdf")
    notice = next(r for r in rows if r[7] == "notice.pdf")
    assert notice[1:7] == ["青川市人民政府办公室", "青政办函〔2026〕87号", "关于召开2026年全市经济工作会议的通知",
                           "20261201", notice[5], "公开"]
    for _, _, doc_number, title, day, _, level, file in rows:
        if f"文件/{file}" not in packages[SAMPLE]:  # what the office added in 归档/: the next test
            continue
        text = pdf_text(packages[SAMPLE][f"文件/{file}"])
        when = date(int(day[:4]), int(day[4:6]), int(day[6:]))
        assert title.removesuffix(doc_number) in text, file
        assert doc_number in text and chinese.cn_date(when) in text, file
        assert level == "公开"
    assert [r[3:5] for r in rows if r[7] in ("plan.pdf", "summary.pdf", "minutes.pdf")] == [
        ["2026年全市经济工作会议方案", "20261201"], ["2026年全市经济工作会议纪要", "20261210"],
        ["2026年全市经济工作会议会后总结", "20261211"]]


def test_classified_items_are_only_in_the_classified_package(sample_build, packages):
    rows = index_rows(sample_build / "archive" / "archive-index-涉密.pdf")
    assert [r[3:] for r in rows] == [["2026年全市经济运行情况及2027年主要预期目标（征求意见稿）", "20261208", "2",
                                      "秘密★1年", "经济运行情况.pdf"]]
    secret = packages[SECRET]
    assert secret[f"文件/{MATERIAL}"] == (ROOT / "content" / SAMPLE / MATERIAL).read_bytes()
    assert {"工作底稿/materials/经济运行情况-全部份号.pdf", "工作底稿/recollection.pdf",
            "工作底稿/materials-register.pdf", "工作底稿/源文件/recollected.csv", "工作底稿/disposal.pdf",
            "工作底稿/源文件/disposed.csv"} <= set(secret)
    body = pdf_text(secret[f"文件/{MATERIAL}"])
    phrase = body[body.index("全市上下"):][:20]
    numbers = {w for w in words(secret["工作底稿/materials-register.pdf"]) if re.fullmatch(r"\d{6}", w)}
    assert len(phrase) == 20 and len(numbers) > 50  # the 份号 of the 秘密 copies
    for name, data in packages[SAMPLE].items():
        text = pdf_text(data) if name.endswith(".pdf") else data.decode("utf-8", "replace")
        assert phrase not in text, name
        assert not numbers & words(data), name
    assert sorted(p.name for p in (sample_build / "archive").iterdir()) == sorted(
        [f"{SAMPLE}.zip", f"{SECRET}.zip", "archive-index.pdf", "archive-index-涉密.pdf"])


def test_each_zip_depends_on_its_files_alone(sample_build):
    """Fixed times, order and modes: packing the same files again gives the same bytes (the PDFs
    themselves are byte-identical for the same sources: test_build)."""
    for top in (SAMPLE, SECRET):
        path = sample_build / "archive" / f"{top}.zip"
        with zipfile.ZipFile(path) as z:
            infos = z.infolist()
            files = [(i.filename.removeprefix(f"{top}/"), z.read(i)) for i in infos]
        assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}
        *packed, (last, sums) = files
        assert last == huiwu_archive.SUMS and sums.decode() == "".join(
            f"{hashlib.sha256(data).hexdigest()}  {name}\n" for name, data in packed)
        again = io.BytesIO()
        huiwu_archive.pack(again, top, packed, lambda: sums)  # noqa: B023 (called here, in this iteration)
        assert again.getvalue() == path.read_bytes()


def test_outputs_are_read_once_a_build_whatever_their_size(tmp_path, monkeypatch):
    """The archive reads what the build wrote once (its index and its packages) and, unlike a source, at any size:
    a numbered copies' bundle of a large meeting may pass the 200 MB a material may have."""
    from huiwu import files
    from huiwu.problems import BuildFailed

    monkeypatch.setattr(files, "FILE_MOST", 10)
    bundle = tmp_path / "材料-全部份号.pdf"
    bundle.write_bytes(b"x" * 100)
    with files.once():
        assert files.read_output(bundle) == b"x" * 100
        bundle.write_bytes(b"changed")
        assert files.read_output(bundle) == b"x" * 100  # as read first in this build
    assert files.read_output(bundle) == b"changed"
    bundle.write_bytes(b"x" * 100)
    with pytest.raises(BuildFailed):
        files.read_bytes(bundle)  # a source of that size is refused


def test_what_a_build_wrote_is_read_back_from_memory_by_the_kinds_laid_out_last(tmp_path, monkeypatch):
    """The 送审件 and the archive read the files the build wrote before them: as written, not from the disk again
    (80 MB at 2,000 attendees). The package still holds each file as it is on the disk."""
    from huiwu import files, pipeline

    read: list[str] = []
    asked: list[str] = []
    output = files.read_output

    def counted(path):
        asked.append(path.name)
        if path not in (files._read.get() or {}):
            read.append(path.name)
        return output(path)

    for module in (files, pipeline.archive):
        monkeypatch.setattr(module, "read_output", counted)
    root, result = held(tmp_path)
    assert result.returncode == 0, result.stderr
    monkeypatch.setenv("HUIWU_TODAY", "2026-12-09")
    pipeline.build(pipeline.Project(root), echo=lambda line: None, force=True)
    assert "notice.pdf" in asked and read == []  # each one the build wrote given as written
    with zipfile.ZipFile(root / "output" / "t" / "archive" / "t.zip") as z:
        assert z.read("t/文件/notice.pdf") == (root / "output" / "t" / "notice.pdf").read_bytes()


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


def test_a_classified_meeting_is_archived_in_the_classified_package_only(tmp_path):
    root = new_project(tmp_path, sample=False)
    write_meeting(root, "mi", BARE.replace("title:", "classification: 秘密\nsecrecy_term: 6个月\ntitle:"))
    result = run(root, "build", env={"HUIWU_TODAY": "2026-12-09"})
    assert result.returncode == 0, result.stderr
    folder = root / "output" / "mi" / "archive"
    assert sorted(p.name for p in folder.iterdir()) == ["archive-index-涉密.pdf", "mi-涉密.zip"]
    rows = index_rows(folder / "archive-index-涉密.pdf")
    assert [r[7] for r in rows] == ["notice.pdf"] and {r[6] for r in rows} == {"秘密★6个月"}
    assert "mi-涉密/工作底稿/源文件/meeting.md" in zipfile.ZipFile(folder / "mi-涉密.zip").namelist()


def test_what_the_office_adds_in_the_archive_folder_is_indexed(sample_build, packages):
    """归档/: a file described in 归档.yaml with its own title, date and 密级; a photo named by date, its
    composed title in [ ]."""
    rows = {r[7]: r for r in index_rows(sample_build / "archive" / "archive-index.pdf")}
    assert rows["周卫东讲话.pdf"][3:7] == ["周卫东同志在2026年全市经济工作会议上的讲话", "20261208", "1", "内部"]
    assert rows["20261208-会场照片.jpg"][3:7] == ["[会场照片]", "20261208", "", "公开"]
    photo = ROOT / "content" / SAMPLE / "归档" / "20261208-会场照片.jpg"
    assert packages[SAMPLE]["文件/归档/20261208-会场照片.jpg"] == photo.read_bytes()
    assert "工作底稿/源文件/归档/归档.yaml" in packages[SAMPLE]


def held(tmp_path, extra: str = "", files: dict[str, bytes] | None = None):
    """A small meeting, held by the build date, archived alone (--only 归档)."""
    root = new_project(tmp_path, sample=False)
    folder = write_meeting(root, "t", BARE.replace("title:", f"{extra}title:"))
    for name, data in (files or {}).items():
        (folder / "归档").mkdir(exist_ok=True)
        (folder / "归档" / name).write_bytes(data)
    return root, run(root, "build", "--only", "归档", env={"HUIWU_TODAY": "2026-12-09"})


def test_the_archive_reference_is_built_from_the_fonds_and_retention(tmp_path):
    root, result = held(tmp_path, "archive_fonds: Z109\narchive_retention: 定期30年\n",
                        {"20261208-签到照片.jpg": b"\xff\xd8\xff\xe0 photo", "20261209-发言材料.txt": "发言".encode()})
    assert result.returncode == 0, result.stderr
    rows = index_rows(root / "output" / "t" / "archive" / "archive-index.pdf")
    assert [r[:4] for r in rows] == [["Z109-2026-D30-0001", "青川市人民政府办公室", "", "[签到照片]"],
                                     ["Z109-2026-D30-0002", "青川市人民政府办公室", "", "[发言材料]"]]


def test_a_damaged_or_locked_pdf_the_office_adds_is_filed_and_said_not_to_be_pdfa(tmp_path, sample_build):
    """A PDF in 归档/ that cannot be opened (damaged, or locked with a password) is filed as it is, without a page
    count, and the index names it among the files to be made PDF/A before they are handed over."""
    from pypdf import PdfWriter

    locked = PdfWriter(clone_from=PdfReader(sample_build / "notice.pdf"))
    locked.encrypt("口令", "owner")
    data = io.BytesIO()
    locked.write(data)
    root, result = held(tmp_path, files={"20261208-损坏.pdf": b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\nnot a pdf",
                                         "20261208-加密.pdf": data.getvalue()})
    assert result.returncode == 0, result.stderr
    index = root / "output" / "t" / "archive" / "archive-index.pdf"
    assert [r[3:6] for r in index_rows(index)] == [["[加密]", "20261208", ""], ["[损坏]", "20261208", ""]]
    with open_pdf(index) as pdf:
        text = pdf.pages[0].extract_text().replace("\n", "")
    assert "PDF 文件 2 件均不是 PDF/A 格式（0001、0002，办公室提供的原件）" in text


def test_a_pdf_replaced_under_the_same_name_is_counted_again(tmp_path, sample_build):
    """A PDF's page count, PDF/A form and title are remembered by the file's size, date and inode: a file put in
    place of another under its name (one page, then two, then a damaged one) is read again each time."""
    from pypdf import PdfWriter

    def pdf(pages: int) -> bytes:
        out = PdfWriter()
        for _ in range(pages):
            out.add_blank_page(595, 842)
        data = io.BytesIO()
        out.write(data)
        return data.getvalue()

    root, result = held(tmp_path, files={"20261208-附件.pdf": pdf(1)})
    assert result.returncode == 0, result.stderr
    added = root / "content" / "t" / "归档" / "20261208-附件.pdf"
    index = root / "output" / "t" / "archive" / "archive-index.pdf"
    assert [r[5] for r in index_rows(index)] == ["1"]
    for data, pages in ((pdf(2), "2"), (b"%PDF-1.7\nnot a pdf", "")):
        added.write_bytes(data)
        result = run(root, "build", "--only", "归档", env={"HUIWU_TODAY": "2026-12-09"})
        assert result.returncode == 0, result.stderr
        assert [r[5] for r in index_rows(index)] == [pages]


def test_a_zip_that_cannot_be_written_stops_the_build_and_is_made_next_time(tmp_path):
    """The zips are written behind the build (while the site is published): a zip the disk refuses is still said,
    with its file, the build ends with status 1 and no half file, and the next `make` makes the meeting again
    rather than finding it up to date."""
    root, result = held(tmp_path)
    assert result.returncode == 0, result.stderr
    today = {"HUIWU_TODAY": "2026-12-09"}
    assert run(root, "build", env=today).returncode == 0
    package = root / "output" / "t" / "archive" / "t.zip"
    package.unlink()
    package.mkdir()  # in the way
    meeting = root / "content" / "t" / "meeting.md"
    meeting.write_text(meeting.read_text(encoding="utf-8").replace("正文。", "正文改了。"), encoding="utf-8")
    result = run(root, "build", env=today)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.split("\n")[0] == (
        "output/t/archive/t.zip: 无法写入此文件：已有同名的文件夹。请腾出空间或检查 output/ 的权限后再运行")
    assert not list((root / "output").rglob("*.tmp"))
    package.rmdir()
    result = run(root, "build", env=today)
    assert result.returncode == 0, result.stderr
    with zipfile.ZipFile(package) as z:
        assert "t/SHA256SUMS" in z.namelist() and z.testzip() is None


def test_a_meeting_whose_zip_failed_is_made_again_though_the_old_zip_is_there(tmp_path, monkeypatch):
    """A full disk leaves the old zip in place (the new one is never renamed over it): the meeting's stamp goes, so
    the next build does not take the old zip for this build's."""
    from huiwu import pipeline
    from huiwu.problems import BuildFailed

    root, result = held(tmp_path)
    monkeypatch.setenv("HUIWU_TODAY", "2026-12-09")
    project = pipeline.Project(root)
    pipeline.build(project, echo=lambda line: None)
    meeting = root / "content" / "t" / "meeting.md"
    meeting.write_text(meeting.read_text(encoding="utf-8").replace("正文。", "正文改了。"), encoding="utf-8")
    replace = os.replace

    def full(source, target):
        if str(target).endswith(".zip"):
            raise OSError(errno.ENOSPC, "No space left on device")
        replace(source, target)

    monkeypatch.setattr(os, "replace", full)
    with pytest.raises(BuildFailed):
        pipeline.build(project, echo=lambda line: None)
    monkeypatch.setattr(os, "replace", replace)
    assert not list((root / "output").rglob("*.tmp"))
    summary = pipeline.build(project, echo=lambda line: None)
    assert "t/archive/t.zip" in summary.written
    with zipfile.ZipFile(root / "output" / "t" / "archive" / "t.zip") as z:
        assert "正文改了" in z.read("t/工作底稿/源文件/meeting.md").decode()


def test_a_long_index_is_one_file_of_all_its_pages(tmp_path):
    """An index of many files runs over several pages, laid out a few pages at a time: the package still gets one
    index, every row on it once, numbered 第X页 共Y页 throughout."""
    photos = {f"202612{8 + n // 40:02d}-会场照片{n + 1:02d}.jpg": b"\xff\xd8\xff\xe0 photo" for n in range(60)}
    root, result = held(tmp_path, files=photos)
    assert result.returncode == 0, result.stderr
    index = root / "output" / "t" / "archive" / "archive-index.pdf"
    rows = index_rows(index)
    assert [r[3] for r in rows] == [f"[会场照片{n:02d}]" for n in range(1, 61)]
    with open_pdf(index) as pdf:
        pages = len(pdf.pages)
        feet = [page.extract_text().replace("\n", "").replace(" ", "") for page in pdf.pages]
    assert pages > 2 and all(f"第{i}页共{pages}页" in foot for i, foot in enumerate(feet, start=1))
    assert "PDF文件" not in feet[0]  # photos alone: no line on PDF forms ("PDF 文件 0 件为 PDF/A-2b 格式")
    assert unpack(root / "output" / "t" / "archive" / "t.zip")[index.name] == index.read_bytes()


@pytest.mark.parametrize(("files", "message"), [
    ({"会场照片.jpg": b"x"}, "content/t/归档/会场照片.jpg:1: 归档/ 中的文件要写明题名和日期：文件名写成"
                             "“20261208-会场照片.jpg”这样，或在 归档/归档.yaml 中写明"),
    ({"20261332-照片.jpg": b"x"}, "content/t/归档/20261332-照片.jpg:1: 归档/ 中的文件要写明题名和日期："
                                  "文件名写成“20261208-会场照片.jpg”这样，或在 归档/归档.yaml 中写明"),
    ({"归档.yaml": "files:\n  - {file: 讲话.pdf, title: 讲话, date: 2026-12-08}\n".encode()},
     "content/t/归档/归档.yaml:1: 归档文件“讲话.pdf”不在 归档/ 文件夹中（讲话）"),
    ({"归档.yaml": "files:\n  - {file: a.pdf, title: 讲话}\n".encode(), "a.pdf": b"%PDF"},
     "content/t/归档/归档.yaml:2: 缺少必填项 files[1].date（日期）"),
])
def test_archive_folder_mistakes_are_named(tmp_path, files, message):
    _, result = held(tmp_path, files=files)
    assert result.returncode == 1
    assert result.stderr.splitlines()[0] == message


def test_sha256sum_checks_each_unpacked_package(sample_build, tmp_path):
    for top in (SAMPLE, SECRET):
        with zipfile.ZipFile(sample_build / "archive" / f"{top}.zip") as z:
            z.extractall(tmp_path)
        result = subprocess.run(["sha256sum", "-c", "--strict", "SHA256SUMS"], cwd=tmp_path / top,
                                capture_output=True, text=True)
        assert result.returncode == 0, result.stdout + result.stderr
        assert result.stdout.count(": OK\n") == len(zipfile.ZipFile(sample_build / "archive" / f"{top}.zip").namelist()) - 1


def test_the_facts_of_a_form_joined_of_pages_are_those_of_its_pages(tmp_path, sample_build):
    """The 签到表 and 到会统计 are filed, joined by the build of a page each: their pages, PDF/A and title for the
    index come from their pages' own (each kept by its part), not from opening the whole file again — and are what
    opening the file gives. An edit opens only the page it changed."""
    from conftest import TODAY, acting, copy_project, printed, run_changed

    root = copy_project(sample_build.parents[1], tmp_path)
    env = {"HUIWU_TODAY": TODAY, "TZ": "UTC"}
    acting(root)
    probe = ("import atexit, huiwu.documents.archive as a; opened = []; facts = a._pdf_facts; "
             "a._pdf_facts = lambda data: opened.append(len(data)) or facts(data); joined = a.joined; "
             "a.joined = lambda data, parts: (joined(data, parts), "
             "print('派生', a._joined[id(data)][1] == facts(data), len(data)))[0]; "
             "atexit.register(lambda: print('打开', sorted(opened)))")
    result = run_changed(root, probe, "build", env=env)
    assert result.returncode == 0, result.stderr
    derived = [line.split() for line in result.stdout.splitlines() if line.startswith("派生")]
    assert derived and {same for _, same, _ in derived} == {"True"}, derived  # as opening the file gives
    sizes = {int(size) for _, _, size in derived}
    assert sizes == {(root / "output" / SAMPLE / "signin.pdf").stat().st_size}  # the 签到表 shows the 职务
    opened = printed(result, "打开")
    assert not sizes & set(opened), opened  # the whole file not opened
