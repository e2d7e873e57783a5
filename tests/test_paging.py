"""Long forms cut into chunks of pages before layout (huiwu/layout/paging.py): numbered as one document, no
row lost or repeated, one edit re-renders one chunk, and a chunk that does not come out as planned is
replaced by the whole form rendered at once."""

from __future__ import annotations

import marshal
import re
import sys

import pytest
from pypdf import PdfReader

from conftest import ROOT, mm, open_pdf, run, run_changed
from huiwu.layout import forms, paging
from huiwu.memo import BIN_HEAD, _record

sys.path.insert(0, str(ROOT / "bench"))
from bench import synthetic_project  # noqa: E402

CHUNKS = "output/.cache/chunks/bench/signin"


@pytest.fixture(scope="module")
def long_meeting(tmp_path_factory):
    root = synthetic_project(tmp_path_factory.mktemp("paging"), 160)
    result = run(root, "build", "--only", "signin")
    assert result.returncode == 0, result.stderr
    return root


def footers(path) -> list[str]:
    return [re.findall(r"第\d+页 共\d+页", page.extract_text())[-1] for page in PdfReader(path).pages]


def numbers(path) -> list[int]:
    """The 序号 column of the signin, page by page, read off the PDF."""
    out = []
    with open_pdf(path) as pdf:
        for page in pdf.pages:
            out += [int(w["text"]) for w in page.extract_words() if w["text"].isdigit() and mm(w["x0"]) < 30
                    and mm(w["top"]) > 18 and len(w["text"]) <= 3]
    return out


def test_a_long_form_is_rendered_in_chunks_and_numbered_as_one(long_meeting):
    signin = long_meeting / "output" / "bench" / "signin.pdf"
    pages = len(PdfReader(signin).pages)
    assert pages >= 6
    per_chunk = paging.PAGES_PER_CHUNK
    assert len(list((long_meeting / CHUNKS).glob("*.pdf"))) == -(-pages // per_chunk)  # pages a chunk, none whole
    assert footers(signin) == [f"第{i}页 共{pages}页" for i in range(1, pages + 1)]
    expected = sum(1 for line in (long_meeting / "content/bench/attendees.csv").read_text().splitlines()[1:]
                   if ",参会," in line and ",工作人员," not in line)
    assert numbers(signin) == list(range(1, expected + 1))  # every row once, in order, across the chunks
    with open_pdf(signin) as pdf:
        for page in pdf.pages:  # nothing runs into the foot margin (form.css: 20 mm)
            assert mm(max(r["bottom"] for r in page.rects + page.lines)) <= 297 - 20 + 0.5


def test_the_chunks_of_a_form_share_one_stylesheet_and_number_their_pages_apart(long_meeting):
    """Each chunk's page numbers are rules of its own (render.OWN), after the stylesheet every chunk shares: the
    worker parses that once, not once a chunk (some 8 ms each; 600 chunks of forms at 2,000 attendees)."""
    from huiwu.laid import FIRST_LINE
    from huiwu.render import _style_apart

    parts = [p.read_text(encoding="utf-8").split(FIRST_LINE, 1)[1]
             for p in (long_meeting / "output/.cache/laid/bench/signin").glob("*.html")]
    apart = [_style_apart(p) for p in parts]
    assert len(parts) >= 6 and len({shared for _, shared, _ in apart}) == 1
    firsts = sorted(int(re.search(r"counter-reset: page (\d+)", own)[1]) for _, _, own in apart)
    assert firsts == list(range(1, len(parts) + 1))


def test_one_edit_rerenders_one_chunk(long_meeting, tmp_path):
    import shutil

    root = tmp_path / "proj"
    shutil.copytree(long_meeting, root, symlinks=True)
    before = {p.name for p in (root / CHUNKS).glob("*.pdf")}
    path = root / "content/bench/attendees.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    row = next(i for i, line in enumerate(lines) if i > 60 and ",参会," in line and ",出席," in line)
    lines[row] = lines[row].replace(",处长,", ",副处长,")
    path.write_text("\n".join(lines), encoding="utf-8")
    result = run(root, "build", "--only", "signin")
    assert result.returncode == 0, result.stderr
    after = {p.name for p in (root / CHUNKS).glob("*.pdf")}
    assert len(after - before) == 1 and len(before - after) == 1
    assert "副处长" in "".join(p.extract_text() for p in PdfReader(root / "output/bench/signin.pdf").pages)


def test_a_chunk_that_runs_over_is_replaced_by_the_whole_form(long_meeting, tmp_path):
    """Planning for pages 60 mm taller than A4: every chunk runs over, and the form is rendered whole."""
    import shutil

    root = tmp_path / "proj"
    shutil.copytree(long_meeting, root, symlinks=True)
    shutil.rmtree(root / CHUNKS)
    result = run_changed(root, "import huiwu.layout.paging as p; p.SPARE_MM = -60", "build", "--force", "--only",
                         "signin")
    assert result.returncode == 0, result.stderr
    signin = root / "output" / "bench" / "signin.pdf"
    pages = len(PdfReader(signin).pages)
    assert footers(signin) == [f"第{i}页 共{pages}页" for i in range(1, pages + 1)]
    assert numbers(signin) == numbers(long_meeting / "output" / "bench" / "signin.pdf")
    kept = list((root / CHUNKS).glob("*.pdf"))
    assert [int(p.stem.split("-")[1]) for p in kept if int(p.stem.split("-")[1]) == pages]  # the whole form


COLUMNS = [forms.Col("序号", 12), forms.Col("姓名", 30), forms.Col("单位及职务", 90, "left"), forms.Col("签名", 48)]


def form_of(rows: list[list], columns: list[forms.Col]) -> dict:
    return forms.form("签到表", "时间：", [forms.table(columns, rows)])


def every_kind_of_value(n: int) -> list[list]:
    """Rows with every kind of cell value a form has: text, none, a number, a red flag, a name with a smaller second
    line, a merged cell and the cells it covers, an empty box to tick, and a group line."""
    rows: list = ["第一组"]
    for i in range(n):
        who = forms.Aside(f"人员{i}", "（代黄永强）") if i % 3 == 0 else f"人员{i}"
        unit = forms.Flag("未报到") if i % 5 == 0 else f"青川市第{i % 7}单位办公室主任" * (1 + i % 2)
        rows.append([i + 1, who, unit, forms.TICK if i % 4 else None])
    rows.append([forms.Merged("合计", 2), "甲", "乙", "丙"])
    rows.append([forms.COVERED, "丁", "戊", "己"])
    return rows


def kept_build(folder, rows: list[list], monkeypatch, columns=COLUMNS) -> tuple[dict, list, int, int]:
    """A form made and cut into pages as a build does (its rows kept in `folder`): the form, its pages, and how many
    rows were made and measured anew."""
    made, measured = [0], [0]
    cells, row_mm = forms._cells, paging._row_mm
    monkeypatch.setattr(forms, "_cells", lambda *a: made.__setitem__(0, made[0] + 1) or cells(*a))
    monkeypatch.setattr(paging, "_row_mm", lambda *a: measured.__setitem__(0, measured[0] + 1) or row_mm(*a))
    with forms.remembered(folder):
        doc = form_of(rows, columns)
        pages = paging.paginate(doc, False)
    monkeypatch.undo()
    return doc, pages, made[0], measured[0]


def test_a_forms_rows_made_by_the_last_build_are_taken_as_they_were(tmp_path, monkeypatch):
    """An edit to one attendee makes that attendee's rows again (and measures them), not every row of every form:
    the rows kept from the build before give the same form, to the byte as Laid sees it, and the same pages."""
    rows = every_kind_of_value(60)
    first, first_pages, made, measured = kept_build(tmp_path, rows, monkeypatch)
    assert made == measured == 62  # every row but the group line: nothing kept yet
    again, pages, made, measured = kept_build(tmp_path, rows, monkeypatch)
    assert (made, measured) == (0, 0)
    assert again == first and laid_bytes(again) == laid_bytes(first)
    assert [[r for t in p.tables for r in t["rows"]] for p in pages] == \
           [[r for t in p.tables for r in t["rows"]] for p in first_pages]
    edited = [*rows[:10], [10, "阚犇", "青川市第3单位", None], *rows[11:]]
    _, _, made, measured = kept_build(tmp_path, edited, monkeypatch)
    assert (made, measured) == (1, 1)
    cold, _, _, _ = kept_build(tmp_path / "cold", edited, monkeypatch)
    _, _, made, _ = kept_build(tmp_path, edited, monkeypatch)
    assert made == 0 and laid_bytes(kept_build(tmp_path, edited, monkeypatch)[0]) == laid_bytes(cold)


def test_a_row_kept_for_other_columns_or_from_a_damaged_file_is_made_again(tmp_path, monkeypatch):
    rows = every_kind_of_value(8)
    kept_build(tmp_path, rows, monkeypatch)
    narrow = [*COLUMNS[:2], forms.Col("单位及职务", 60, "left"), COLUMNS[3]]
    other, _, made, _ = kept_build(tmp_path, rows, monkeypatch, narrow)
    assert made == 10
    assert other == kept_build(tmp_path / "cold", rows, monkeypatch, narrow)[0]
    for path in tmp_path.iterdir():
        if path.is_file():
            path.write_bytes(b"\x00not marshal")
    again, _, made, _ = kept_build(tmp_path, rows, monkeypatch, narrow)
    assert made == 10 and again == other
    for path in tmp_path.iterdir():  # a bin of other values (another version's, say): its rows made again too
        if path.is_file() and not path.read_bytes().startswith(b"\x00"):
            path.write_bytes(BIN_HEAD + _record({key: "?" for key in bin_entries(path)}))
    again, _, made, _ = kept_build(tmp_path, rows, monkeypatch, narrow)
    assert made == 10 and again == other


def test_a_row_is_keyed_by_what_it_prints(tmp_path, monkeypatch):
    """Laid keys a form's doc by each row's HTML: its cells (the site's, made from the same values) are not pickled
    again (half the keying of a 2,000-person meeting's parts). A row that prints otherwise keys otherwise."""
    rows = every_kind_of_value(8)
    doc = kept_build(tmp_path, rows, monkeypatch)[0]
    key = laid_bytes(doc)
    assert b"cls" not in key and all(r.html.encode() in key for r in doc["tables"][0]["rows"] if "span" not in r)
    for i, edited in ((2, [2, "人员1", "青川市第1单位", forms.TICK]), (3, [3, forms.Flag("人员2"), "青川市第2单位", None])):
        other = kept_build(tmp_path, [*rows[:i], edited, *rows[i + 1:]], monkeypatch)[0]
        assert laid_bytes(other) != key, edited


def laid_bytes(doc: dict) -> bytes:
    """The doc as laid.Laid keys it."""
    import io
    import pickle

    out = io.BytesIO()
    pickler = pickle.Pickler(out, protocol=5)
    pickler.fast = True
    pickler.dump(doc)
    return out.getvalue()


def bin_entries(path) -> dict:
    """What a bin's file holds: its dicts, one after the other, each after its size (memo.Bins)."""
    data, at, entries = path.read_bytes(), len(BIN_HEAD), {}
    assert data.startswith(BIN_HEAD)
    while at < len(data):
        size = int.from_bytes(data[at:at + 8], "little")
        entries.update(marshal.loads(data[at + 8:at + 8 + size]))
        at += 8 + size
    return entries


def dicts(path) -> int:
    """The dicts a bin's file holds."""
    data = path.read_bytes()
    at, n = len(BIN_HEAD), 0
    assert data.startswith(BIN_HEAD)
    while at < len(data):
        size = int.from_bytes(data[at:at + 8], "little")
        assert isinstance(marshal.loads(data[at + 8:at + 8 + size]), dict)
        at, n = at + 8 + size, n + 1
    return n


def test_an_edit_adds_its_rows_at_the_end_of_the_bin_and_now_and_then_writes_it_again(tmp_path, monkeypatch):
    """The rows an edit made (and measured) are written after those the bin's file holds, not the whole bin again
    (2,000 attendees: seven files of 0.7 MB at every edit); the next build finds them, made and measured. Every
    Bins.APPENDS-th time, or when the file ends cut short, it is written again whole with just the rows used."""
    from huiwu.memo import Bins

    rows = every_kind_of_value(60)
    kept_build(tmp_path, rows, monkeypatch)
    (bin_file,) = [p for p in tmp_path.iterdir() if p.is_file()]
    whole = bin_file.stat().st_size
    for n in range(1, Bins.APPENDS):
        edited = [*rows[:10], [10, f"阚犇{n}", "青川市第3单位", None], *rows[11:]]
        doc, _, made, measured = kept_build(tmp_path, edited, monkeypatch)
        assert (made, measured) == (1, 1)
        assert dicts(bin_file) == n + 1 and bin_file.stat().st_size < whole + n * whole // 10  # the row added
        assert kept_build(tmp_path, edited, monkeypatch)[2:] == (0, 0)
    last = bin_file.stat().st_size
    edited = [*rows[:10], [10, "阚犇甲", "青川市第3单位", None], *rows[11:]]
    kept_build(tmp_path, edited, monkeypatch)
    assert bin_file.stat().st_size < last and dicts(bin_file) == 1  # written again whole: the rows of the edits
    # before are gone
    assert kept_build(tmp_path, edited, monkeypatch)[2:] == (0, 0)
    edited = [*rows[:10], [10, "阚犇乙", "青川市第3单位", None], *rows[11:]]
    kept_build(tmp_path, edited, monkeypatch)
    bin_file.write_bytes(bin_file.read_bytes()[:-3])  # the last rows added, cut short (a build stopped as it wrote)
    doc, _, made, _ = kept_build(tmp_path, edited, monkeypatch)
    assert made == 1 and doc == kept_build(tmp_path / "cold", edited, monkeypatch)[0]
    assert kept_build(tmp_path, edited, monkeypatch)[2:] == (0, 0) and dicts(bin_file) == 1  # written whole again


def test_rows_kept_and_measured_for_another_page_width_keep_that_height_too(tmp_path, monkeypatch):
    """A row taken from its bin and measured on pages of another width (a landscape form of the same columns): its
    new height is written with it (Bin.touched), not measured again at the next build."""
    rows = every_kind_of_value(20)
    kept_build(tmp_path, rows, monkeypatch)
    measured = [0]
    row_mm = paging._row_mm

    def landscape() -> int:
        measured[0] = 0
        monkeypatch.setattr(paging, "_row_mm", lambda *a: measured.__setitem__(0, measured[0] + 1) or row_mm(*a))
        with forms.remembered(tmp_path):
            paging.paginate({**form_of(rows, COLUMNS), "landscape": True}, False)
        monkeypatch.undo()
        return measured[0]

    assert landscape() == 22
    assert landscape() == 0


def test_a_named_pipe_in_place_of_a_bin_is_not_waited_on(tmp_path, monkeypatch):
    """A named pipe where a bin's file was (hostile, or a mistake): its rows made again at once, the pipe replaced."""
    import os

    rows = every_kind_of_value(4)
    kept_build(tmp_path, rows, monkeypatch)
    (bin_file,) = [p for p in tmp_path.iterdir() if p.is_file()]
    bin_file.unlink()
    os.mkfifo(bin_file)
    assert kept_build(tmp_path, rows, monkeypatch)[2] == 6
    assert bin_file.is_file() and kept_build(tmp_path, rows, monkeypatch)[2:] == (0, 0)
