"""Shared fixtures: throwaway projects built with the real pipeline and CLI."""

from __future__ import annotations

import ast
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pdfplumber
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = "2026-12-jingji"
MM = 25.4 / 72
BARE = """---
title: 测试会议
organizer: 青川市人民政府办公室
start: "2026-12-08 09:00"
venue: 青川市行政中心1号楼3楼第一会议室
---

正文。
"""  # a meeting with only the required keys
TODAY = "2026-12-01"  # the sample is built as of this day: its overdue flags are fixed


@pytest.fixture(scope="session", autouse=True)
def shared_font_cache(tmp_path_factory):
    os.environ["HUIWU_CACHE_DIR"] = str(tmp_path_factory.mktemp("font-cache"))


def new_project(base: Path, sample: bool = False) -> Path:
    """An empty project (layouts linked in); with `sample`, a copy of the sample meeting's sources."""
    root = base / "proj"
    (root / "content").mkdir(parents=True)
    os.symlink(ROOT / "layouts", root / "layouts")
    if sample:
        shutil.copytree(ROOT / "content" / SAMPLE, root / "content" / SAMPLE)
    return root


def run(root: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """build.py as a user runs it, from the project folder."""
    return subprocess.run([sys.executable, str(ROOT / "build.py"), "--project", str(root), *args],
                          cwd=root, capture_output=True, text=True, env={**os.environ, **(env or {})})


def run_changed(root: Path, change: str, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """build.py run as `run` does, after the Python statements `change` (e.g. a setting of huiwu set otherwise):
    to compare the outputs with what the change leaves out."""
    code = (f"import runpy, sys; {change}; sys.argv = ['build.py', '--project', {str(root)!r}, *{list(args)!r}]; "
            f"runpy.run_path({str(ROOT / 'build.py')!r}, run_name='__main__')")
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                          env={**os.environ, **(env or {})})


def printed(result: subprocess.CompletedProcess, label: str) -> Any:
    """What a probe (run_changed's `change`) printed after `label` on a line of the build's output: a Python literal."""
    line = next(line for line in result.stdout.splitlines() if line.startswith(label))
    return ast.literal_eval(line[len(label):].strip())


def write_meeting(root: Path, name: str, meeting_md: str, attendees: str | None = None) -> Path:
    folder = root / "content" / name
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "meeting.md").write_text(meeting_md, encoding="utf-8")
    if attendees is not None:
        (folder / "attendees.csv").write_text(attendees, encoding="utf-8")
    return folder


@pytest.fixture(scope="session")
def sample_build(tmp_path_factory) -> Path:
    """The sample meeting built once (as of TODAY, in UTC); tests read its output and never change it:
    a test that edits or rebuilds works on `copy_project` of it. The build counts the files it opens under
    content/ into opens.json beside content/ (tests/hooks/sitecustomize.py)."""
    root = new_project(tmp_path_factory.mktemp("sample"), sample=True)
    counting = {"PYTHONPATH": str(ROOT / "tests" / "hooks"), "HUIWU_COUNT_OPENS": str(root / "opens.json"),
                "HUIWU_COUNT_ROOT": str(root / "content")}
    result = run(root, "build", env={"HUIWU_TODAY": TODAY, "TZ": "UTC", **counting})
    assert result.returncode == 0, result.stderr
    return root / "output" / SAMPLE


@pytest.fixture(scope="module")
def engine():
    """One WeasyPrint set-up (render.Engine, with every change of huiwu/quicker.py) for a module's parts."""
    from huiwu import render

    return render.Engine()


def part_pdf(engine, part: str, *changed: tuple[Any, str, Any]) -> bytes:
    """The part laid out and written as a build does it, with each (object, attribute, value) of `changed` set
    meanwhile (WeasyPrint's own way of something, say); set back after, and nothing else the test set."""
    with pytest.MonkeyPatch.context() as patched:
        for owner, name, value in changed:
            patched.setattr(owner, name, value)
        return engine._document(part, str(Path.cwd()), []).write_pdf()


def acting(root: Path) -> str:
    """The sample meeting's attendees.csv in the project `root` with 杨喆 made 凤鸣区人民政府代区长, saved as UTF-8: an
    edit to one attendee that the 签到表, the badges and the table cards show. The list as it was."""
    people = root / "content" / SAMPLE / "attendees.csv"
    listed = people.read_text(encoding="utf-8-sig")
    people.write_text(listed.replace("杨喆,凤鸣区人民政府,区长", "杨喆,凤鸣区人民政府,代区长"), encoding="utf-8")
    return listed


def copy_project(root: Path, base: Path) -> Path:
    """A copy of a built project (sources, outputs, stamps, chunk cache) that a test may edit and rebuild."""
    copy = base / "proj"
    shutil.copytree(root, copy, symlinks=True)
    return copy


def rebuild_counting(root: Path, monkeypatch) -> tuple[list[str], list[str]]:
    """Build `root` in this process (one core: every part rendered here) and say what was made anew: the kind of
    each part rendered (its chunk cache folder's name) and the key of each file a finish made (Stash.put)."""
    from huiwu import pipeline
    from huiwu.project import Project
    from huiwu.render import ChunkCache, Stash
    from huiwu.workers import Workers

    monkeypatch.setenv("HUIWU_TODAY", TODAY)
    rendered: list[str] = []
    stashed: list[str] = []
    put, keep = ChunkCache.put, Stash.put
    monkeypatch.setattr(ChunkCache, "put", lambda self, part, *rest: rendered.append(self.folder.name)
                        or put(self, part, *rest))
    monkeypatch.setattr(Stash, "put", lambda self, key, *rest: stashed.append(key) or keep(self, key, *rest))
    workers = Workers()
    workers.alone = True
    try:
        pipeline.build(Project(root), echo=lambda line: None, workers=workers)
    finally:
        workers.close()
    return rendered, stashed


def warm_chunks(root: Path, built: Path) -> None:
    """Give `root` the chunk cache of the project `built`: its first build renders only the parts whose
    HTML differs from that build's and reads the others back; every file is still written anew."""
    shutil.copytree(built / "output" / ".cache" / "chunks", root / "output" / ".cache" / "chunks")


def mm(value: float) -> float:
    return value * MM


def open_pdf(path: Path) -> pdfplumber.PDF:
    return pdfplumber.open(path)


def lines_of(page, size: float | None = None) -> list[tuple[float, str, float, float]]:
    """Text lines on a page: (top, text, x0, x1) in mm, optionally only chars of one size."""
    rows: dict[float, list] = {}
    for c in page.chars:
        if size is None or abs(c["size"] - size) < 0.3:
            rows.setdefault(round(c["top"], 1), []).append(c)
    out = []
    for top, chars in sorted(rows.items()):
        chars.sort(key=lambda c: c["x0"])
        out.append((mm(top), "".join(c["text"] for c in chars), mm(chars[0]["x0"]), mm(chars[-1]["x1"])))
    return out


def sample_attending(counted: bool = True) -> list[str]:
    """Who attends the sample, read from its attendees.csv without the program's code: those not on leave and
    each on-leave person's 替会人员 (the name before the bracket); `counted`: only those 应到 counts (not
    工作人员 or 媒体)."""
    import csv

    with open(ROOT / "content" / SAMPLE / "attendees.csv", encoding="utf-8-sig") as f:
        rows = [r for r in csv.DictReader(f) if not counted or r["类别"] not in ("工作人员", "媒体")]
    return ([r["姓名"] for r in rows if r["状态"] != "请假"]
            + [r["替会人员"].split("（")[0] for r in rows if r["状态"] == "请假" and r["替会人员"]])


def flat(text: str | None) -> str:
    """Text without any spaces or line breaks (padding and wrapping are layout)."""
    return re.sub(r"\s", "", text or "")


def pdf_text(path: Path) -> str:
    """All of a PDF's text, flattened."""
    with open_pdf(path) as pdf:
        return flat("".join(p.extract_text() for p in pdf.pages))


def pdf_tables(path: Path) -> list[list[list[str]]]:
    """Every table of a PDF in page order, each a list of rows of flattened cells."""
    with open_pdf(path) as pdf:
        return [[[flat(c) for c in row] for row in t.extract()] for p in pdf.pages for t in p.find_tables()]


def front_matter(path: Path) -> dict:
    """A Markdown source's front matter, read with yaml alone (not the program's code)."""
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---")[1])


def descendants(pid: int) -> set[int]:
    """The processes started by `pid` and by those (the render workers of a preview: the second is forked from
    the first)."""
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parents[int(stat.parent.name)] = int(stat.read_text().rsplit(")", 1)[1].split()[1])
        except OSError:
            continue
    found, new = set(), {pid}
    while new:
        new = {child for child, parent in parents.items() if parent in new} - found
        found |= new
    return found


def gone(pid: int, seconds: float = 20) -> bool:
    """The process has ended (or is a zombie its parent has not yet reaped)."""
    import time

    for _ in range(int(seconds * 10)):
        state = Path(f"/proc/{pid}/stat")
        if not state.exists() or state.read_text().rsplit(")", 1)[1].split()[0] == "Z":
            return True
        time.sleep(0.1)
    return False


def leftovers(folder: Path) -> list[Path]:
    """What a run left in a temporary folder, but for Jinja2's compiled templates (a cache meant to stay)."""
    return [p for p in folder.iterdir() if not p.name.startswith("_jinja2-cache")]
