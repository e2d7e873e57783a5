"""Kind.columns holds: a document is kept from the last build, not laid out again, while the attendee table's
columns it names are unchanged — so no other column may change what it shows. Each column of the sample
meetings (given seats, groups and a second pair of 替会人员 here) is changed in turn — its values moved one row
on; one row's value replaced by another row's; two rows' swapped; for the line numbers, a blank line put in —
and every kind that does not name it must lay out to the very same HTML."""

from __future__ import annotations

import csv
import dataclasses
import io
import shutil
from pathlib import Path

import pytest

from conftest import ROOT, SAMPLE, TODAY, new_project

OTHER = "2027-01-diaodu"  # the second sample: no materials, so a moved 类别 or 排序 meets no 份号 record


def laid_out(root: Path, meeting: str) -> tuple[dict[str, list[str]], str] | None:
    """Every kind's HTML for the meeting, and the digest of each column (by field); None if the sources fail."""
    from huiwu import consistency, freshness, pipeline
    from huiwu.problems import Problems
    from huiwu.project import Project
    from huiwu.records.meeting import Attendee

    project, problems = Project(root), Problems()
    found = pipeline.load(project, [root / "content" / meeting], problems)
    setup = pipeline.font_setup(project, problems)
    if problems or not found or setup is None:
        return None
    m = found[0]
    pipeline.check_kinds(m, problems)
    consistency.check(m, problems)
    job = pipeline.Job(m, "")  # no sources' digests: every kind is laid out
    pipeline.prepare(job, pipeline._templates(project.layouts), setup, problems)
    if problems:
        return None
    people = m.attendees + m.stand_ins
    shown = {f.name: freshness.columns(people, (f.name,)) for f in dataclasses.fields(Attendee)}
    return {kind.key: parts for kind, parts in job.docs}, shown


def changed(text: str, column: str, how: str) -> str | None:
    """The table with one column changed (`how`: rotate, copy or line); None when that changes nothing."""
    rows = list(csv.reader(io.StringIO(text)))
    if how == "line":
        return "\n".join([text.split("\n", 1)[0], "", text.split("\n", 1)[1]])
    if column not in rows[0]:
        return None
    i = rows[0].index(column)
    values = [r[i] for r in rows[1:]]
    if how == "rotate":
        moved = values[1:] + values[:1]
    elif how == "swap":  # the first value given with the next given that differs from it
        given = [k for k, v in enumerate(values) if v]
        other = next((k for k in given if values[k] != values[given[0]]), None) if given else None
        if other is None:
            return None
        moved = list(values)
        moved[given[0]], moved[other] = values[other], values[given[0]]
    else:  # the first row whose value differs from the one before takes that one
        at = next((k for k in range(1, len(values)) if values[k] != values[k - 1]), None)
        if at is None:
            return None
        moved = values[:at] + [values[at - 1]] + values[at + 1:]
    if moved == values:
        return None
    for row, value in zip(rows[1:], moved, strict=True):
        row[i] = value
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


def given(table: Path, columns: dict[str, dict[int, str]]) -> None:
    """Columns added to a table: header → {row number (1: the first person): value}."""
    rows = list(csv.reader(io.StringIO(table.read_text(encoding="utf-8-sig"))))
    for header, values in columns.items():
        for k, row in enumerate(rows):
            row.append(header if k == 0 else values.get(k, ""))
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    table.write_text(out.getvalue(), encoding="utf-8")


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    root = new_project(tmp_path_factory.mktemp("columns"))
    for name in (SAMPLE, OTHER):
        shutil.copytree(ROOT / "content" / name, root / "content" / name)
    sample = root / "content" / SAMPLE / "attendees.csv"
    hall = [k for k, row in enumerate(csv.reader(io.StringIO(sample.read_text(encoding="utf-8-sig"))))
            if k and row[3] == "出席" and row[5] == "参会"]
    given(sample, {"座位": {hall[0]: "3排1号", hall[1]: "3排2号"}, "分组": {k: f"第{k % 3 + 1}组" for k in range(1, 99)}})
    other = root / "content" / OTHER / "attendees.csv"
    rows = list(csv.reader(io.StringIO(other.read_text(encoding="utf-8-sig"))))
    alone, away, more = [k for k, row in enumerate(rows) if k and row[3] == "出席"][:3]  # 请假: alone without 替会
    for k in (alone, away, more):
        rows[k][5], rows[k][6] = "请假", "外出公干"
    other.write_text("\n".join(",".join(r) for r in rows) + "\n", encoding="utf-8")
    given(other, {"替会人员": {away: "李青（市财政局副局长）", more: "张晓"}, "替会人员单位": {more: "市发展改革委"},
                  "替会人员职务": {more: "副主任"}})
    return root


def test_a_kind_shows_nothing_of_the_columns_it_does_not_name(project, monkeypatch):
    from huiwu import kinds
    from huiwu.records.meeting import COLUMNS

    monkeypatch.setenv("HUIWU_TODAY", TODAY)
    named = [k for k in kinds.KINDS if k.columns is not None and k.template and not k.after]
    assert len(named) > 15
    fields = {*COLUMNS, "line", "stands_in"}
    assert {c for k in named for c in k.columns} <= fields  # no misspelt column
    verified: set[str] = set()
    shown: dict[str, set[str]] = {}  # kind → the columns it does not name that change it
    for meeting in (SAMPLE, OTHER):
        table = project / "content" / meeting / "attendees.csv"
        text = table.read_text(encoding="utf-8-sig")
        before = laid_out(project, meeting)
        assert before is not None
        for field, headers in [*COLUMNS.items(), ("line", ("",)), ("stands_in", ("替会人员",))]:
            for how in ("line",) if field == "line" else ("rotate", "copy", "swap"):
                edited = changed(text, headers[0], how)
                if edited is None:
                    continue
                table.write_text(edited, encoding="utf-8")
                after = laid_out(project, meeting)
                table.write_text(text, encoding="utf-8")
                if after is None or after[1][field] == before[1][field]:
                    continue  # the sources no longer check out, or the change did not reach this field
                verified.add(field)
                for k in named:
                    if field not in k.columns and after[0].get(k.key) != before[0].get(k.key):
                        shown.setdefault(k.key, set()).add(field)
    assert shown == {}
    unverified = {c for k in named for c in fields - set(k.columns)} - verified
    assert unverified == set(), "columns no sample changes: name them in every kind, or give the samples them"
