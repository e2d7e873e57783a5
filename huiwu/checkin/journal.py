"""The desk's journal: every accepted scan committed to SQLite (WAL, synchronous FULL) before the screen
says so, and the meeting folder's signin.csv, received.csv and recollected.csv rewritten whole (temp file +
rename) from it, in the columns `make` reads.

The journal lives in the meeting folder (`.checkin/journal.sqlite`), so `make clean` never touches it and
the archive leaves it out (hidden). A CSV changed by hand since the desk last wrote it is taken as the
record: at start its rows replace the journal's (nothing typed in by hand is lost; a row deleted by hand
stays deleted)."""

from __future__ import annotations

import csv
import hashlib
import io
import sqlite3
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ..render import write_atomic

FOLDER = ".checkin"
BOM = "\ufeff"  # Excel opens a UTF-8 CSV right only with it
TABLES = {
    # file → (journal table, its columns, the CSV header)
    "signin.csv": ("signins", ("name", "unit", "at", "note"), ("姓名", "单位", "签到时间", "备注")),
    "received.csv": ("received", ("name", "unit", "at", "note"), ("姓名", "单位", "领取时间", "备注")),
    "recollected.csv": ("returned", ("material", "number", "at", "by", "cond", "note"),
                        ("材料", "份号", "回收时间", "回收人", "完好情况", "备注")),
}
SCHEMA = """
CREATE TABLE IF NOT EXISTS signins (person TEXT PRIMARY KEY, name TEXT, unit TEXT, at TEXT, note TEXT, seq INTEGER);
CREATE TABLE IF NOT EXISTS received (person TEXT PRIMARY KEY, name TEXT, unit TEXT, at TEXT, note TEXT, seq INTEGER);
CREATE TABLE IF NOT EXISTS returned (person TEXT PRIMARY KEY, material TEXT, number TEXT, at TEXT, by TEXT,
                                     cond TEXT, note TEXT, seq INTEGER);
CREATE TABLE IF NOT EXISTS written (file TEXT PRIMARY KEY, digest TEXT);
CREATE TABLE IF NOT EXISTS log (seq INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT, station TEXT, said TEXT, answer TEXT);
"""


@dataclass(frozen=True)
class Row:
    """One row the desk keeps: `person` is what makes it one of a kind (a person, a copy)."""

    person: str
    values: tuple[str, ...]  # in the table's columns


class Journal:
    """One meeting's journal, used from the server's threads one write at a time."""

    def __init__(self, folder: Path):
        self.folder = folder
        (folder / FOLDER).mkdir(exist_ok=True)
        self.db = sqlite3.connect(folder / FOLDER / "journal.sqlite", check_same_thread=False, isolation_level=None)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=FULL")
        self.db.executescript(SCHEMA)
        self.lock = threading.RLock()  # one statement or transaction at a time on the one connection

    def rows(self, file: str) -> list[Row]:
        table, cols, _ = TABLES[file]
        with self.lock:
            found = self.db.execute(f"SELECT person, {', '.join(cols)} FROM {table} ORDER BY seq").fetchall()
        return [Row(r[0], tuple(r[1:])) for r in found]

    def add(self, file: str, row: Row) -> bool:
        """Record `row` unless its person (or copy) is there already; True when it was added. The CSV is
        rewritten before this returns: what the desk acknowledged is on disk, in both."""
        table, cols, _ = TABLES[file]
        with self.lock:
            cur = self.db.cursor()
            cur.execute("BEGIN IMMEDIATE")
            try:
                cur.execute(f"INSERT OR IGNORE INTO {table} (person, {', '.join(cols)}, seq) VALUES "
                            f"(?, {', '.join('?' * len(cols))}, (SELECT COALESCE(MAX(seq), 0) + 1 FROM {table}))",
                            (row.person, *row.values))
                added = cur.rowcount == 1
                cur.execute("COMMIT")
            except BaseException:
                cur.execute("ROLLBACK")
                raise
            if added:
                self._write(file)
            return added

    def note(self, said: str, answer: str, station: str) -> None:
        """Every scan and its answer, accepted or not: the desk's log."""
        with self.lock:
            self.db.execute("INSERT INTO log (at, station, said, answer) "
                            "VALUES (datetime('now', 'localtime'), ?, ?, ?)", (station, said, answer))

    def replace(self, file: str, rows: Iterable[Row]) -> None:
        """The table made equal to `rows` (a CSV edited by hand), and the CSV written anew from it."""
        table, cols, _ = TABLES[file]
        with self.lock:
            self.db.execute("BEGIN IMMEDIATE")
            self.db.execute(f"DELETE FROM {table}")
            for seq, row in enumerate(rows, start=1):
                self.db.execute(f"INSERT OR IGNORE INTO {table} (person, {', '.join(cols)}, seq) "
                                f"VALUES (?, {', '.join('?' * len(cols))}, ?)", (row.person, *row.values, seq))
            self.db.execute("COMMIT")
            self._write(file)

    def edited(self, file: str) -> bool:
        """The CSV is there and is not what the desk last wrote."""
        path = self.folder / file
        if not path.exists():
            return False
        with self.lock:
            found = self.db.execute("SELECT digest FROM written WHERE file = ?", (file,)).fetchone()
        return found is None or found[0] != digest(path.read_bytes())

    def _write(self, file: str) -> None:
        rows = self.rows(file)
        if not rows and not (self.folder / file).exists():
            return  # nothing to say yet: no empty file for make to read
        data = csv_bytes(TABLES[file][2], [r.values for r in rows])
        write_atomic(self.folder / file, data, durable=True)  # the desk answers only after this
        self.db.execute("INSERT OR REPLACE INTO written (file, digest) VALUES (?, ?)", (file, digest(data)))

    def close(self) -> None:
        self.db.close()


def csv_bytes(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> bytes:
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)
    return (BOM + out.getvalue()).encode("utf-8")


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
