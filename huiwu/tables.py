"""Attendee-like tables (.csv or .xlsx): a header and rows, each row with its line (or sheet row)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .files import MB, read_bytes, read_text
from .problems import Fail, Problems


@dataclass
class Table:
    """Rows of an attendee-like table; each row keeps its line (or sheet row)."""

    path: Path
    header: list[str]
    rows: list[tuple[int, list[str]]] = field(default_factory=list)
    header_line: int = 1

    def columns(self, headers: dict[str, tuple[str, ...]]) -> dict[str, int]:
        """Known headers → column index (first match wins); other columns (手机号, 签到方式 …) are ignored."""
        lookup = {h.lower(): key for key, names in headers.items() for h in names}
        found: dict[str, int] = {}
        for i, header in enumerate(self.header):
            key = lookup.get(header.strip().lower())
            if key and key not in found:
                found[key] = i
        return found


def table_file(folder: Path, stem: str) -> tuple[Path | None, str]:
    """`<stem>.csv` or `<stem>.xlsx` in a meeting folder, and a message when both are there."""
    found = [folder / f"{stem}.{ext}" for ext in ("csv", "xlsx") if (folder / f"{stem}.{ext}").exists()]
    clash = f"{stem}.csv 与 {stem}.xlsx 只能保留一个，否则不知以哪个为准" if len(found) > 1 else ""
    return (found[0] if found else None), clash


def source_table(folder: Path, stem: str, fail: Fail) -> Path | None:
    """`table_file` for a record staff keep in the meeting folder (signin, recollected, disposed, received):
    both files there is reported on the .xlsx."""
    path, clash = table_file(folder, stem)
    if clash:
        fail(1, clash, folder / f"{stem}.xlsx")
    return path


def load_table(path: Path, fail: Fail) -> Table | None:
    """A staff-keyed table (.csv or .xlsx); reading problems go to `fail` with the file's path."""
    problems = Problems()
    t = read_table(path, problems)
    for p in problems.items:
        fail(p.line, p.message, path)
    return t


ROWS_MOST = 20_000  # rows of one table: more than any meeting's list, sign-in or recollection record
CELL_MOST = 2_000  # characters in one cell
XLSX_INFLATED_MOST = 200 * MB  # an .xlsx is a zip: what it may unpack to


def read_table(path: Path, problems: Problems) -> Table | None:
    if path.suffix.lower() == ".xlsx":
        return _read_xlsx(path, problems)
    text = read_text(path, problems)
    if text is None:
        return None
    first = text.split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text), delimiter="\t" if first.count("\t") > first.count(",") else ",")
    rows: list[tuple[int, list[str]]] = []
    start = 1
    try:
        for cells in reader:
            if any("\n" in c for c in cells):
                problems.add(path, start, "此行起有一格跨了多行（英文引号“\"”没有闭合，或格内换行），"
                                          "后面的行会被并进这一格：请补全或删去引号、去掉格内换行")
                return None
            rows.append((start, [c.strip() for c in cells]))
            start = reader.line_num + 1
            if len(rows) > ROWS_MOST + 1:  # the header and one row too many: enough to say so
                break
    except csv.Error as exc:
        problems.add(path, reader.line_num, f"无法按表格读取此行（{exc}）：单元格内容过长或引号不配对")
        return None
    return _table(path, rows, problems)


def _table(path: Path, rows: list[tuple[int, list[str]]], problems: Problems) -> Table | None:
    """Header and rows from numbered lines of cells (blank lines skipped), within the limits."""
    rows = [(n, cells) for n, cells in rows if any(cells)]
    if not rows:
        problems.add(path, 1, "表格是空的：第一行应为表头（姓名、单位、职务……）")
        return None
    if len(rows) > ROWS_MOST + 1:
        problems.add(path, rows[ROWS_MOST + 1][0],
                     f"表格超过 {ROWS_MOST} 行，不像是一次会议的名单：请检查是否放错了文件")
        return None
    for n, cells in rows:
        if any(len(c) > CELL_MOST for c in cells):
            problems.add(path, n, f"单元格内容超过 {CELL_MOST} 个字，不像是名单中的一项：请检查此行")
            return None
    (header_line, header), *body = rows
    return Table(path, header, body, header_line)


def _read_xlsx(path: Path, problems: Problems) -> Table | None:
    import zipfile

    import openpyxl

    data = read_bytes(path)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            inflated = sum(info.file_size for info in z.infolist())
        if inflated > XLSX_INFLATED_MOST:
            problems.add(path, 1, f"Excel 文件解压后超过 {XLSX_INFLATED_MOST // MB} MB，不像是会议名单：请另存一份再试")
            return None
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # zipfile and openpyxl raise many kinds for a damaged file
        problems.add(path, 1, f"无法读取 Excel 文件：{exc}")
        return None
    rows = []
    for number, values in enumerate(book.worksheets[0].iter_rows(values_only=True), start=1):
        rows.append((number, [_cell_text(v) for v in values]))
        if len(rows) > ROWS_MOST * 2:  # blank rows count too, but not without end
            break
    book.close()
    return _table(path, rows, problems)


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()
