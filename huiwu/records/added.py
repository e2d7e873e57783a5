"""归档/: what the office adds to the archive itself (领导讲话, 发言材料, photos). Each file is an 归档文件 with
its 题名 and 日期, written in 归档/归档.yaml or in the file's name (`20261208-会场照片.jpg`): a title taken
from a file name is composed by the office, so the index shows it in [ ] (DA/T 22)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..files import folder_files
from ..problems import Problems
from ..sources import read_yaml
from .meeting import Listed
from .schema import CLASSIFICATIONS, SECRET_LEVELS, Field, _check_mapping, _record

FOLDER = "归档"
SIDECAR = "归档.yaml"
SIDECAR_FIELDS: dict[str, Field] = {
    "files": Field("归档文件", "records", default=[], sub=_record(
        ("file", Field("文件名（归档/ 中）", "text", required=True)),
        ("title", Field("题名", "text", required=True)),
        ("date", Field("日期", "date", required=True)),
        ("number", Field("文号", "text")),
        ("classification", Field("密级", "choice", choices=tuple(CLASSIFICATIONS), default="公开")),
        ("secrecy_term", Field("保密期限", "text")))),
}
NAMED = re.compile(r"(\d{8})[-_ ]?(.+)")  # 20261208-会场照片.jpg


@dataclass(frozen=True)
class Added:
    path: Path
    title: str  # 题名; in [ ] when composed from the file name
    when: date
    number: str
    level: str
    term: str

    @property
    def secret(self) -> bool:
        return self.level in SECRET_LEVELS


def read_all(m: Listed, problems: Problems) -> list[Added]:
    folder = m.folder / FOLDER
    if not folder.is_dir():
        return []
    described = _sidecar(folder, problems)
    added = []
    for path in folder_files(folder):
        if path.name == SIDECAR:
            continue
        entry = described.pop(path.relative_to(folder).as_posix(), None) or _from_name(path, problems)
        if entry is not None:
            added.append(entry)
    for name, entry in described.items():
        problems.add(folder / SIDECAR, 1, f"归档文件“{name}”不在 {FOLDER}/ 文件夹中（{entry.title}）")
    return added


def _sidecar(folder: Path, problems: Problems) -> dict[str, Added]:
    path = folder / SIDECAR
    source = read_yaml(path, problems) if path.is_file() else None
    if source is None:
        return {}
    values = _check_mapping(source.data, SIDECAR_FIELDS, (), source, problems)
    return {e["file"]: Added(folder / e["file"], e["title"], e["date"], e["number"] or "", e["classification"],
                             e["secrecy_term"] or "") for e in values["files"] or []}


def _from_name(path: Path, problems: Problems) -> Added | None:
    found = NAMED.fullmatch(path.stem)
    try:
        when = date(int(found[1][:4]), int(found[1][4:6]), int(found[1][6:])) if found else None
    except ValueError:
        when = None
    if found is None or when is None:
        problems.add(path, 1, f"{FOLDER}/ 中的文件要写明题名和日期：文件名写成“20261208-会场照片{path.suffix}”这样，"
                              f"或在 {FOLDER}/{SIDECAR} 中写明")
        return None
    return Added(path, f"[{found[2]}]", when, "", "公开", "")
