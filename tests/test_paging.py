"""Long forms cut into chunks of pages before layout (huiwu/layout/paging.py): numbered as one document, no
row lost or repeated, one edit re-renders one chunk, and a chunk that does not come out as planned is
replaced by the whole form rendered at once."""

from __future__ import annotations

import re
import sys

import pytest
from pypdf import PdfReader

from conftest import ROOT, mm, open_pdf, run, run_changed
from huiwu.layout import paging

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
