"""Paper speaks to the office: no file names, column keys or front-matter keys on any printed page."""

from __future__ import annotations

import re

from conftest import SAMPLE, new_project, open_pdf, run

# a file name (recollected.csv, meeting.md), a column named by its header (名单“车辆”列), a key (pass_area)
SOURCE_TALK = re.compile(r"[\w*-]+\.(?:csv|xlsx|md|yaml)\b|“[^”]{1,8}”列|\b[a-z]+_[a-z_]+\b|\b[a-z]{4,}\b")


def pdf_text(path) -> str:
    with open_pdf(path) as pdf:
        return "\n".join(p.extract_text() or "" for p in pdf.pages)


def test_no_printed_page_names_a_source_file_or_key(sample_build):
    pdfs = [p for p in sample_build.rglob("*.pdf") if "archive" not in p.parts]  # the 归档 index lists files
    assert len(pdfs) > 15
    found = {p.name: SOURCE_TALK.findall(pdf_text(p)) for p in pdfs}
    assert {name: hits for name, hits in found.items() if hits} == {}
    texts = {p.name: pdf_text(p).replace("\n", "") for p in pdfs}
    assert "请为以上人员安排车辆" in texts["vehicles.pdf"]  # the sample has people without a car
    assert "收回后补记回收时间和回收人" in texts["recollection.pdf"]  # and copies still out


def test_recollection_form_before_any_record(tmp_path):
    root = new_project(tmp_path, sample=True)
    for record in ("recollected.csv", "disposed.csv"):  # nothing came back yet, so nothing was disposed of
        (root / "content" / SAMPLE / record).unlink()
    result = run(root, "build", "--only", "recollection")
    assert result.returncode == 0, result.stderr
    text = pdf_text(root / "output" / SAMPLE / "recollection.pdf")
    assert "（尚无回收记录，本表供手工登记）" in text.replace("\n", "")
    assert SOURCE_TALK.findall(text) == []
