"""The build as a tool: progress, no-op runs, atomic and reproducible output."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import (
    BARE,
    ROOT,
    SAMPLE,
    TODAY,
    acting,
    copy_project,
    descendants,
    gone,
    leftovers,
    new_project,
    open_pdf,
    pdf_text,
    printed,
    run,
    run_changed,
    warm_chunks,
    write_meeting,
)


def digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_second_build_does_nothing_and_says_so(tmp_path, sample_build):
    root = new_project(tmp_path, sample=True)
    warm_chunks(root, sample_build.parents[1])  # every file is written; parts already rendered are read back
    first = run(root, "build")
    assert first.returncode == 0, first.stderr
    assert f"{SAMPLE}  会议通知" in first.stdout and "页" in first.stdout
    files = [f for f in (root / "output" / SAMPLE).rglob("*") if f.is_file() and not f.name.startswith(".")]
    assert first.stdout.strip().split("\n")[-1].startswith(f"完成：写出 {len(files)} 个文件")
    second = run(root, "build")
    assert second.returncode == 0
    assert second.stdout.strip() == "无需更新：1 个会议的文档都是最新的。"


def test_same_sources_give_identical_bytes(tmp_path, sample_build):
    root = copy_project(sample_build.parents[1], tmp_path)  # built in UTC as of 2026-12-01 (TODAY)
    day = {"HUIWU_TODAY": "2026-12-01"}  # overdue flags depend on the day, not on the clock or zone
    assert run(root, "build", env={"TZ": "UTC", **day}).returncode == 0
    out = root / "output" / SAMPLE
    before = {p: digest(p) for p in out.rglob("*") if p.is_file() and p.suffix in (".pdf", ".ics")}
    assert len(before) > 12
    assert run(root, "build", "--force", env={"TZ": "Asia/Shanghai", **day}).returncode == 0  # every part anew
    assert {p: digest(p) for p in out.rglob("*") if p.is_file() and p.suffix in (".pdf", ".ics")} == before


def test_failed_build_keeps_previous_outputs(tmp_path, sample_build):
    root = copy_project(sample_build.parents[1], tmp_path)  # built as of TODAY
    assert run(root, "build", env={"HUIWU_TODAY": TODAY}).returncode == 0
    out = root / "output" / SAMPLE
    before = {p.name: digest(p) for p in out.glob("*.pdf")}
    meeting = root / "content" / SAMPLE / "meeting.md"
    meeting.write_text(meeting.read_text(encoding="utf-8").replace('"2026-12-08 09:00"', '"12-08 09:00"'),
                       encoding="utf-8")
    result = run(root, "build", env={"HUIWU_TODAY": TODAY})
    assert result.returncode == 1
    assert "未生成任何文件" in result.stderr
    assert {p.name: digest(p) for p in out.glob("*.pdf")} == before
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]


def test_editing_one_meeting_rebuilds_only_that_meeting(tmp_path, sample_build):
    root = copy_project(sample_build.parents[1], tmp_path)  # the sample, built as of TODAY
    write_meeting(root, "other", BARE.replace("正文。", "会期半天。"))  # and a small meeting beside it
    day = {"HUIWU_TODAY": TODAY}
    assert run(root, "build", env=day).returncode == 0
    notice = root / "content" / "other" / "meeting.md"
    notice.write_text(notice.read_text(encoding="utf-8").replace("会期半天。", "会期半天，请准时参加。"),
                      encoding="utf-8")
    result = run(root, "build", env=day)
    assert result.returncode == 0
    assert "other  会议通知" in result.stdout
    assert SAMPLE not in result.stdout.replace("\n", " ").split("完成")[0]


def test_meeting_without_attendees_skips_the_signin_sheet_and_says_why(tmp_path):
    root = new_project(tmp_path, sample=False)
    shutil.copytree(ROOT / "content" / SAMPLE, root / "content" / "t")
    for name in ("attendees.csv", "briefing-1.md", "summary.md"):  # the last two print the list's {到会情况}
        (root / "content" / "t" / name).unlink()
    result = run(root, "build")
    assert result.returncode == 0, result.stderr
    assert "未生成 t/signin.pdf：没有参会人员名单（attendees.csv 或 attendees.xlsx）" in result.stdout
    assert (root / "output" / "t" / "notice.pdf").exists()
    assert not (root / "output" / "t" / "signin.pdf").exists()


def test_help_reads_in_chinese():
    import subprocess
    import sys

    for args in ([], ["build"], ["check"], ["fonts"]):
        out = subprocess.run([sys.executable, str(ROOT / "build.py"), *args, "--help"],
                             capture_output=True, text=True)
        assert out.returncode == 0
        assert out.stdout.startswith("用法：build.py")
        assert "显示本帮助并退出" in out.stdout and "选项" in out.stdout
        assert not any(w in out.stdout for w in ("Usage", "Options", "Commands", "Show this"))


def test_an_edit_rewrites_only_the_documents_that_show_it(tmp_path, sample_build):
    root = copy_project(sample_build.parents[1], tmp_path)  # built as of TODAY
    day = {"HUIWU_TODAY": TODAY}
    assert run(root, "build", env=day).returncode == 0
    out = root / "output" / SAMPLE
    before = {p.name: p.stat().st_mtime_ns for p in out.glob("*.pdf")}
    every = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file() and not p.name.startswith(".huiwu-")}
    acting(root)
    result = run(root, "build", env=day)
    assert result.returncode == 0, result.stderr
    changed = {p.name for p in out.glob("*.pdf") if p.stat().st_mtime_ns != before[p.name]}
    rewritten = [p for p, mtime in every.items() if p.stat().st_mtime_ns != mtime]
    said = re.search(r"完成：写出 (\d+) 个文件（另有 (\d+) 个文件内容与上次相同，未重写；共 \d+ 页）", result.stdout)
    assert said and int(said[1]) == len(rewritten) and int(said[2]) > 0, (result.stdout, rewritten)
    assert {"signin.pdf", "badges.pdf", "table-cards.pdf", "handbook.pdf"} <= changed  # they print 职务
    assert not changed & {"notice.pdf", "seatmap.pdf", "plan.pdf", "signs.pdf", "vehicles.pdf"}
    assert "签到表" in result.stdout and "会议通知" not in result.stdout
    assert "个文档内容未变" in result.stdout.splitlines()[-1]
    with open_pdf(out / "signin.pdf") as pdf:
        assert "凤鸣区人民政府代区长" in "".join(p.extract_text() for p in pdf.pages).replace(" ", "")


def test_what_a_build_remembers_outlasts_a_build_with_nothing_to_do(tmp_path, sample_build):
    """QR codes, word cuts, pinyin, calendar files and cut PDF parts are kept in the cache between builds: a build with nothing
    to do leaves them as they are, and undoing an edit after it loads neither the word cutter, nor the pinyin
    dictionaries, nor the calendar library."""
    root = copy_project(sample_build.parents[1], tmp_path)
    cache = tmp_path / "cache"  # this project's own: the tests' shared cache remembers other projects too
    shutil.copytree(os.environ["HUIWU_CACHE_DIR"], cache)
    env = {"HUIWU_CACHE_DIR": str(cache), "HUIWU_TODAY": TODAY, "TZ": "UTC"}
    assert run(root, "build", "--force", env=env).returncode == 0
    from huiwu.memo import entries

    memos = ("qr-codes-2.tsv", "words.tsv", "pinyin.tsv", "calendars.tsv")

    def held() -> dict[str, bytes]:
        return {name: (cache / name).read_bytes() for name in memos} | {
            f"joins/{p.name}": p.read_bytes() for p in (cache / "joins").iterdir()}

    kept = held()
    assert all(entries(cache / name) for name in memos) and len(kept) > len(memos) + 10
    assert run(root, "build", env=env).stdout.startswith("无需更新")
    assert held() == kept
    people = root / "content" / SAMPLE / "attendees.csv"
    text = acting(root)
    assert run(root, "build", env=env).returncode == 0  # new words: cut, and remembered with the old ones
    people.write_text(text, encoding="utf-8")  # the edit undone
    probe = "import atexit; atexit.register(lambda: print('已载入', sorted(set(sys.modules) & {'rjieba', 'pypinyin', 'icalendar'})))"
    result = run_changed(root, probe, "build", env=env)
    assert result.returncode == 0, result.stderr
    assert "已载入 []" in result.stdout
    cuts = {name: data for name, data in kept.items() if name.startswith("joins/")}
    assert cuts.items() <= held().items()  # the parts' cuts from before the edit kept for its undoing


def test_an_edit_sends_its_first_document_before_pikepdf_is_loaded(tmp_path, sample_build):
    """The page counts and sizes of the materials' PDFs are kept between builds (records.materials.known): an edit
    reads the sources and lays out its first document without loading pikepdf (30–40 ms the workers would wait),
    which the joins load after. Its characters all in the fonts' working copies cut before, this process loads
    neither HarfBuzz nor cffi (working_fonts._cut_all)."""
    root = copy_project(sample_build.parents[1], tmp_path)
    cache = tmp_path / "cache"
    shutil.copytree(os.environ["HUIWU_CACHE_DIR"], cache)
    env = {"HUIWU_CACHE_DIR": str(cache), "HUIWU_TODAY": TODAY, "TZ": "UTC"}
    assert (cache / "materials.tsv").read_text(encoding="utf-8").count("\t") == 1  # the sample's one material
    acting(root)
    probe = ("import sys, atexit, huiwu.workers as w; submit = w.Workers.submit; "
             "w.Workers.submit = lambda self, *a, **k: (print('送出', 'pikepdf' in sys.modules), submit(self, *a, **k))[1]; "
             "atexit.register(lambda: print('结束', 'pikepdf' in sys.modules, 'cffi' in sys.modules))")
    result = run_changed(root, probe, "build", env=env)
    assert result.returncode == 0, result.stderr
    said = [line for line in result.stdout.splitlines() if line.startswith(("送出", "结束"))]
    assert said[0] == "送出 False" and said[-1] == "结束 True False", said


def test_an_edit_after_a_cold_build_cuts_only_the_parts_it_changed(tmp_path, sample_build):
    """The parts a cold build rendered are joined by the same keys as when the next build reads them from the chunk
    cache: an edit to one attendee cuts (pikepdf) only the parts that show them, not every part again."""
    root = copy_project(sample_build.parents[1], tmp_path)
    cache = tmp_path / "cache"
    shutil.copytree(os.environ["HUIWU_CACHE_DIR"], cache)
    env = {"HUIWU_CACHE_DIR": str(cache), "HUIWU_TODAY": TODAY, "TZ": "UTC"}
    assert run(root, "build", "--force", env=env).returncode == 0
    cuts = set(os.listdir(cache / "joins"))
    acting(root)
    assert run(root, "build", env=env).returncode == 0
    new = set(os.listdir(cache / "joins")) - cuts
    assert len(cuts) > 50 and 0 < len(new) <= 12, sorted(new)


@pytest.mark.parametrize("size", [10, 20_000])
def test_a_file_is_written_again_only_if_it_holds_other_bytes(tmp_path, size):
    """write_changed: the same bytes leave the file as it was (its date too); other bytes of the same size are
    written, wherever they differ — at the end, or only in the middle, where the end is compared first."""
    from huiwu.render import write_changed

    path = tmp_path / "a.pdf"
    data = bytes(range(256)) * (size // 256) + b"x" * (size % 256)
    path.write_bytes(data)
    os.utime(path, ns=(1, 1))
    write_changed(path, data)
    assert path.stat().st_mtime_ns == 1
    for at in (len(data) - 1, len(data) // 2, 0):
        other = data[:at] + b"?" + data[at + 1:]
        write_changed(path, other)
        assert path.read_bytes() == other
        data = other


def test_a_cache_file_reads_back_any_key(tmp_path):
    """Keys are written as JSON: one with quotes, tabs, backslashes or a line break reads back as it was."""
    from huiwu import memo as memos

    keys = ["plain", 'say "hi"', "tab\there", "back\\slash", "two\nlines", "欧阳振宇", ""]
    memo = memos.Memo(lambda key: key[::-1], str)
    path = tmp_path / "memo.tsv"
    with memo.remembered(path):
        assert [memo(key) for key in keys] == [key[::-1] for key in keys]
    assert {key: json.loads(value) for key, value in memos.entries(path).items()} == {k: k[::-1] for k in keys}


def test_a_new_name_of_characters_read_before_needs_no_pinyin_dictionary(tmp_path, sample_build):
    """A 替会 brings a new name: its pinyin keys for the seat finder are read character by character from the
    table of readings (周璇's 璇 too), without loading pypinyin. A name's every character is in the table: the stroke
    order needs it in the stroke table, which the table of readings covers (test_site)."""
    root = copy_project(sample_build.parents[1], tmp_path)
    cache = tmp_path / "cache"
    shutil.copytree(os.environ["HUIWU_CACHE_DIR"], cache)
    env = {"HUIWU_CACHE_DIR": str(cache), "HUIWU_TODAY": TODAY, "TZ": "UTC"}
    people = root / "content" / SAMPLE / "attendees.csv"
    text = people.read_text(encoding="utf-8-sig")
    probe = "import atexit; atexit.register(lambda: print('已载入', 'pypinyin' in sys.modules))"
    seats = root / "output" / "site" / SAMPLE / "seats.html"
    for name, keys in (("周建华", "zjh zhoujianhua"), ("周璇", "zx zhouxuan")):
        people.write_text(text.replace("周卫东,", f"{name},"), encoding="utf-8")
        result = run_changed(root, probe, "build", env=env)
        assert result.returncode == 0, result.stderr
        assert "已载入 False" in result.stdout
        assert keys in seats.read_text(encoding="utf-8")


def test_a_long_running_process_holds_what_the_cache_file_holds(tmp_path, monkeypatch):
    """The live preview builds for hours: what it remembers in memory is what the cache file keeps (the values used
    by the last build, and as many of the newest others again and `keep_extra` more, once the file is written again),
    not every value it ever made; and it reads the file again only when another process has written it."""
    from huiwu import memo as memos

    memo = memos.Memo(lambda key: key.upper(), str, keep_extra=1)
    path = tmp_path / "memo.tsv"
    for keys in (["a", "b"], ["c"]):
        with memo.remembered(path):
            assert [memo(key) for key in keys] == [key.upper() for key in keys]
    assert list(memos.entries(path)) == ["a", "b", "c"]  # "c" added: three lines, as many as 2 × 1 + 1
    with memo.remembered(path):
        assert memo("d") == "D"
    assert list(memos.entries(path)) == ["b", "c", "d"]  # written again: "d", and the two newest of the others
    assert set(memo.known) == set(memos.entries(path))
    reads: list[Path] = []
    entries = memos.entries
    monkeypatch.setattr(memos, "entries", lambda path: reads.append(path) or entries(path))
    with memo.remembered(path):
        assert memo("c") == "C"
    assert reads == []
    path.write_text('"e"\t"from another build"\n"f"\t"cut sho', encoding="utf-8")
    with memo.remembered(path):
        assert memo("e") == "from another build"
        assert memo("f") == "F"  # a line cut short: made again
    assert reads == [path]


def test_a_cache_file_gets_the_lines_of_the_values_made_added(tmp_path, monkeypatch):
    """A build that made new values adds their lines at the end of the cache file: the values it read are neither
    encoded again nor written again (6,000 QR codes at 2,000 attendees); an entry of the wrong type is made again,
    its new line read in place of the old one."""
    from huiwu import memo as memos

    path = tmp_path / "memo.tsv"
    path.write_text('"a"\t"A"\n"b"\t  "kept as written"\n"c"\t3\n', encoding="utf-8")
    memo = memos.Memo(lambda key: key.upper(), str)
    dumps = json.dumps
    encoded: list[object] = []
    monkeypatch.setattr(memos.json, "dumps", lambda value, **kw: encoded.append(value) or dumps(value, **kw))
    with memo.remembered(path):
        assert [memo("a"), memo("c"), memo("d")] == ["A", "C", "D"]
    assert sorted(map(str, encoded)) == ["C", "D", "c", "d"]  # the two values made, and their keys
    assert path.read_text(encoding="utf-8").split("\n") == [
        '"a"\t"A"', '"b"\t  "kept as written"', '"c"\t3', '"c"\t"C"', '"d"\t"D"', ""]
    assert memos.entries(path)["c"] == '"C"'
    fresh = memos.Memo(lambda key: "made again", str)
    with fresh.remembered(path):
        assert [fresh("a"), fresh("c"), fresh("d")] == ["A", "C", "D"]
    path.unlink()
    os.mkfifo(path)  # a named pipe in its place: not waited on, replaced
    other = memos.Memo(lambda key: "made again", str)
    with other.remembered(path):
        assert other("a") == "made again"
    assert memos.entries(path) == {"a": '"made again"'}


def test_a_build_reads_each_source_file_once(sample_build):
    """Every file of the meeting folders is read once per build, into the records every document draws on."""
    content = sample_build.parent.parent / "content"
    opens = json.loads((content.parent / "opens.json").read_text(encoding="utf-8"))
    files = sorted(str(p.relative_to(content)) for p in content.rglob("*") if p.is_file())
    assert files and sorted(opens) == files
    assert {name: n for name, n in opens.items() if n != 1} == {}


def test_after_a_sequence_of_edits_the_outputs_are_those_of_a_cold_build(tmp_path, sample_build):
    """What the preview and `make` do over a day of edits — a changed 职务, a name changed and changed back,
    a 电话 changed and back, the 纪要 reworded, a name with a character the fonts were not cut for (the documents kept
    from the build before are laid out again in the new fonts) — ends in the very bytes a build from nothing gives."""
    root = copy_project(sample_build.parents[1], tmp_path / "edited")  # built as of TODAY, in UTC
    env = {"HUIWU_TODAY": TODAY, "TZ": "UTC"}
    folder = root / "content" / SAMPLE
    table, minutes = folder / "attendees.csv", folder / "minutes.md"
    listed = table.read_text(encoding="utf-8-sig")
    acting = listed.replace("王芳,青阳区人民政府,区长", "王芳,青阳区人民政府,代区长")
    reworded = minutes.read_text(encoding="utf-8").replace("会议认为", "会议强调", 1)
    rare = acting.replace("丁伟,", "丁珺,")  # 珺: not in GB 2312 nor the sample, the fonts are cut anew
    called = acting.replace("13900001000", "13900001999")  # a 电话: the forms that print it only
    edits = [[(table, acting.replace("丁伟,", "丁炜,"))], [(table, called), (minutes, reworded)], [(table, acting)],
             [(table, rare)]]
    for edit in edits:
        for path, text in edit:
            path.write_text(text, encoding="utf-8-sig" if path.suffix == ".csv" else "utf-8")
        result = run(root, "build", env=env)
        assert result.returncode == 0 and "写出" in result.stdout, result.stderr
    cold = new_project(tmp_path / "cold")
    shutil.copytree(folder, cold / "content" / SAMPLE)
    assert run(cold, "build", env=env).returncode == 0

    def outputs(project: Path) -> dict[str, str]:
        out = project / "output"
        return {p.relative_to(out).as_posix(): digest(p) for p in out.rglob("*")
                if p.is_file() and ".cache" not in p.parts and not p.name.startswith(".huiwu-")}

    edited, fresh = outputs(root), outputs(cold)
    assert len(fresh) > 100 and set(edited) == set(fresh)
    assert [name for name in fresh if edited[name] != fresh[name]] == []


def test_an_edit_joins_a_document_from_its_file_as_last_written(tmp_path, sample_build, monkeypatch):
    """A 职务 changed and changed back: each document of parts that prints it is made from its file as the build
    before wrote it, the changed part put in place of the old one (joining.join, `before`) — byte for byte what
    joining every part anew gives, and in the end the very files of the first build."""
    from huiwu import joining

    root = copy_project(sample_build.parents[1], tmp_path)
    monkeypatch.setenv("HUIWU_TODAY", TODAY)
    people = root / "content" / SAMPLE / "attendees.csv"
    listed = people.read_text(encoding="utf-8-sig")
    spliced, made = joining._spliced, {}

    def checked(pdfs, keys, duplex, trim, before):
        data = spliced(pdfs, keys, duplex, trim, before)
        if data is not None:
            made[before.name] = data == joining.join(list(pdfs), duplex=duplex, trim=trim)  # anew: no file given
        return data

    monkeypatch.setattr(joining, "_spliced", checked)
    acting(root)
    build_here(root)  # the copied files are not the ones recorded (their dates): joined anew, and recorded
    assert made == {}
    people.write_text(listed, encoding="utf-8")
    build_here(root)
    assert "badges.pdf" in made and all(made.values()), made
    pdfs = sorted(p.relative_to(sample_build) for p in sample_build.rglob("*.pdf"))
    differ = [str(p) for p in pdfs if digest(root / "output" / SAMPLE / p) != digest(sample_build / p)]
    assert differ == [], " ".join(differ)


def test_an_edit_reads_from_the_chunk_cache_only_the_parts_a_join_made_anew_wants(tmp_path, sample_build):
    """The parts of the build's own joins that the chunk cache holds go to the join unread (render.Unread): made from
    the file as last written, it takes them from that file, and the cache's files of the badges are not read."""
    root = copy_project(sample_build.parents[1], tmp_path)
    env = {"HUIWU_TODAY": TODAY, "TZ": "UTC"}
    people = root / "content" / SAMPLE / "attendees.csv"
    listed = acting(root)
    assert run(root, "build", env=env).returncode == 0  # the copied files are not the ones recorded: joined anew
    people.write_text(listed, encoding="utf-8")
    probe = ("import atexit, collections, huiwu.render as r; seen = collections.Counter(); unread = r.ChunkCache.unread; "
             "r.ChunkCache.unread = lambda self, *a: seen.update([f'给出 {self.folder.name}']) or unread(self, *a); "
             "read = r.Unread.read; "
             "r.Unread.read = lambda self: seen.update([f'读取 {self.path.split(chr(47))[-2]}']) or read(self); "
             "atexit.register(lambda: print('取用', sorted(seen.items())))")
    result = run_changed(root, probe, "build", env=env)
    assert result.returncode == 0, result.stderr
    seen = dict(printed(result, "取用"))
    assert seen.get("给出 badges", 0) >= 2 and "读取 badges" not in seen, seen


def test_each_part_is_hashed_once_a_build(tmp_path, sample_build, monkeypatch):
    """A part's digest (render.part_key) tells both whether its document is as before (the stamp's digest of the
    kind's parts) and which rendered PDF the chunk cache holds for it: made once a build, not once for each."""
    from huiwu import render

    root = copy_project(sample_build.parents[1], tmp_path)
    monkeypatch.setenv("HUIWU_TODAY", TODAY)
    acting(root)
    made: dict[str, int] = {}
    key = render.part_key
    monkeypatch.setattr(render, "part_key", lambda version, html: made.update({html: made.get(html, 0) + 1})
                        or key(version, html))
    build_here(root)
    assert len(made) > 40 and max(made.values()) == 1


def recorded_sending(monkeypatch) -> list[str]:
    """What a build gives the workers (`sent <kind>`), and when every document is laid out (`laid out`)."""
    from huiwu import pipeline
    from huiwu.workers import Workers

    events: list[str] = []
    submit = Workers.submit
    monkeypatch.setattr(Workers, "submit", lambda self, parts, base, cache, **more: events.append(
        f"sent {cache.folder.name}") or submit(self, parts, base, cache, **more))
    use_fonts = pipeline.use_fonts
    monkeypatch.setattr(pipeline, "use_fonts", lambda project, job: events.append("laid out") or use_fonts(project, job))
    return events


def build_here(root: Path, **options) -> None:
    """A build in this process, each document rendered here when it is asked for."""
    from huiwu import pipeline
    from huiwu.project import Project
    from huiwu.workers import Workers

    workers = Workers()
    workers.alone = True
    try:
        pipeline.build(Project(root), echo=lambda line: None, workers=workers, **options)
    finally:
        workers.close()


def test_an_edited_document_goes_to_the_workers_while_the_others_are_laid_out(tmp_path, sample_build, monkeypatch):
    """Set in the last build's fonts (the same characters), the 签到表 is rendered before the last document's HTML
    is made, and not again once the fonts are known to be the same."""
    root = copy_project(sample_build.parents[1], tmp_path)
    monkeypatch.setenv("HUIWU_TODAY", TODAY)
    people = root / "content" / SAMPLE / "attendees.csv"
    acting(root)
    events = recorded_sending(monkeypatch)
    build_here(root)
    assert events.index("sent signin") < events.index("laid out")
    assert events.count("sent signin") == 1
    with open_pdf(root / "output" / SAMPLE / "signin.pdf") as pdf:
        assert "凤鸣区人民政府代区长" in "".join(p.extract_text() for p in pdf.pages).replace(" ", "")
    people.write_text(people.read_text(encoding="utf-8").replace("凤鸣区人民政府,代区长", "凤鸣区人民政府,区长"),
                      encoding="utf-8")
    events.clear()
    build_here(root)
    assert "sent signin" in events and events.index("sent signin") < events.index("laid out")
    pdfs = sorted(p.relative_to(sample_build) for p in sample_build.rglob("*.pdf"))
    differ = [str(p) for p in pdfs if digest(root / "output" / SAMPLE / p) != digest(sample_build / p)]
    assert differ == [], " ".join(differ)


def test_a_project_copied_elsewhere_sends_its_documents_once_in_its_own_fonts(tmp_path, sample_build, monkeypatch):
    """A copy of a built project, the original still there, names the original's working fonts in its last stamp:
    documents sent early in those were sent again once the copy's own fonts were cut — everything rendered twice
    (a 2,000-person meeting: 164 s instead of 85). They are sent once, in the copy's fonts."""
    root = copy_project(sample_build.parents[1], tmp_path)
    monkeypatch.setenv("HUIWU_TODAY", TODAY)
    monkeypatch.delenv("HUIWU_CACHE_DIR", raising=False)  # the copy's fonts in its own folder, not the tests' shared one
    events = recorded_sending(monkeypatch)
    acting(root)
    build_here(root, only=frozenset({"signin"}))
    assert events.count("sent signin") == 1 and events.index("sent signin") < events.index("laid out")
    fonts = root / "output" / ".cache" / "fonts"
    assert f'url("{fonts.as_uri()}/' in (fonts / "last-build.css").read_text(encoding="utf-8")
    assert "凤鸣区人民政府代区长" in pdf_text(root / "output" / SAMPLE / "signin.pdf").replace(" ", "")


def test_a_first_build_sends_documents_early_in_fonts_cut_to_the_sources(tmp_path, monkeypatch):
    """With no build before it, a document is given to the workers as soon as it is laid out, in working fonts cut
    to what the sources hold; it comes out as it does when sent once every document is laid out."""
    from huiwu import pipeline

    monkeypatch.setenv("HUIWU_TODAY", TODAY)
    events = recorded_sending(monkeypatch)
    made = ("notice.pdf", "signin.pdf", "badges.pdf")

    def build(root: Path) -> dict[str, str]:
        build_here(root, only=frozenset({"notice", "signin", "badges"}))
        return {name: digest(root / "output" / SAMPLE / name) for name in made}

    early = build(new_project(tmp_path / "early", sample=True))
    assert events.index("sent notice") < events.index("sent badges") < events.index("laid out")
    assert events.count("sent notice") == 1
    monkeypatch.setattr(pipeline, "send_early", lambda *args: None)
    assert build(new_project(tmp_path / "late", sample=True)) == early


def test_a_document_made_from_columns_left_as_they_were_is_kept_without_being_laid_out(
        tmp_path, sample_build, monkeypatch):
    """A changed 电话 lays out the forms that print it again; the 座次表, the 证件 and the 会议通知, made from other
    columns of the list, are kept as the last build wrote them, not laid out; `--force` lays out everything."""
    from huiwu.render import Templates

    root = copy_project(sample_build.parents[1], tmp_path)
    monkeypatch.setenv("HUIWU_TODAY", TODAY)
    laid: list[str] = []
    html = Templates.html
    monkeypatch.setattr(Templates, "html", lambda self, name, context, problems: laid.append(name)
                        or html(self, name, context, problems))
    people = root / "content" / SAMPLE / "attendees.csv"
    people.write_text(people.read_text(encoding="utf-8-sig").replace("13900001000", "13900001999"), encoding="utf-8")
    out = root / "output" / SAMPLE
    kept = {name: (out / name).stat().st_mtime_ns for name in ("seatmap.pdf", "badges.pdf", "notice.pdf")}
    build_here(root)
    assert "form.html.j2" in laid and not {"seatmap.html.j2", "badges.html.j2", "notice.html.j2"} & set(laid)
    assert {name: (out / name).stat().st_mtime_ns for name in kept} == kept
    assert "13900001999" in pdf_text(out / "vehicles.pdf")
    laid.clear()
    build_here(root, force=True)
    assert {"seatmap.html.j2", "badges.html.j2", "notice.html.j2"} <= set(laid)


def test_the_meetings_are_told_once_their_sources_check_out_before_any_document_is_laid_out(
        tmp_path, sample_build, monkeypatch):
    """The live preview writes a meeting's site page as soon as its sources check out — the documents' own checks
    (a vehicle over its seats) included — and lays out the documents after; a source they reject tells nothing."""
    from huiwu import pipeline
    from huiwu.problems import BuildFailed

    root = copy_project(sample_build.parents[1], tmp_path)
    monkeypatch.setenv("HUIWU_TODAY", TODAY)
    events: list[str] = []
    prepare = pipeline.prepare
    monkeypatch.setattr(pipeline, "prepare", lambda *args, **kw: events.append("laid out") or prepare(*args, **kw))

    def build() -> None:
        build_here(root, checked=lambda meetings: events.append(f"checked {[m.id for m in meetings]}"))
    acting(root)
    build()
    assert events[0] == f"checked {[SAMPLE]}" and events[1:] == ["laid out"]
    meeting = root / "content" / SAMPLE / "meeting.md"
    meeting.write_text(meeting.read_text(encoding="utf-8").replace("plate: 青A·G0002, seats: 4", "plate: 青A·G0002, seats: 1"),
                       encoding="utf-8")
    events.clear()
    with pytest.raises(BuildFailed) as failed:
        build()
    assert "vehicles：2号车 核载 1 人，名单中安排了 2 人" in failed.value.problems.report()
    assert not any(e.startswith("checked") for e in events)


def test_the_build_goes_on_with_whichever_document_comes_back_first(tmp_path):
    """A document still being rendered (here: waiting on an image that has not come) does not keep the build from
    finishing the documents rendered meanwhile."""
    import base64

    from huiwu.workers import Workers

    image = tmp_path / "slow.png"
    os.mkfifo(image)
    workers = Workers()
    if workers.alone:
        pytest.skip("one core: documents are rendered in turn")
    try:
        slow = workers.submit([f'<img src="{image.as_uri()}">'], tmp_path, None)
        quick = workers.submit(["<p>会议</p>"], tmp_path, None)
        work = [True, False, True, True]  # (popped from the end) two pieces of this process's own work, then none
        try:
            assert workers.earliest([slow, quick], idle=work.pop) == 1
            assert work == [True]  # done while waiting (the workers take longer to start), and no more asked for
            assert quick().pages == 1
        finally:
            with open(image, "wb") as pipe:  # the image comes: the slow one is done too
                pipe.write(base64.b64decode(
                    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVR4nGNgAAAAAgABSK+kcQAAAABJRU5ErkJggg=="))
        assert slow().pages == 1
    finally:
        workers.close()


@pytest.mark.parametrize("stop", ["SIGINT", "SIGTERM", "SIGHUP"])
def test_ctrl_c_stops_the_build_with_one_chinese_line_and_no_half_files(tmp_path, sample_build, stop):
    """Ctrl-C in a terminal reaches the whole process group, the render workers too; the system's stop (SIGTERM)
    and a closed terminal window (SIGHUP) reach the build alone, and stop it just the same."""
    import signal

    root = copy_project(sample_build.parents[1], tmp_path)
    proc = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "--project", str(root), "build", "--force"],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True,
                            env={**os.environ, "HUIWU_TODAY": TODAY})
    seen = ""
    for line in proc.stdout:
        seen += line
        if "会议通知" in line:
            break
    if stop == "SIGINT":
        os.killpg(proc.pid, signal.SIGINT)
    else:
        proc.send_signal(getattr(signal, stop))
    out = seen + proc.communicate(timeout=60)[0]
    assert proc.returncode == 130 and "已中断" in out, out
    assert "Traceback" not in out and "KeyboardInterrupt" not in out
    assert not [p for p in (root / "output").rglob("*.tmp")]


def test_a_render_worker_killed_mid_build_stops_the_build_with_a_chinese_line(tmp_path, sample_build):
    """A render worker that ends before its work is done (the system, short of memory, kills it): the build says
    so and stops instead of waiting for it forever, and the other worker ends too."""
    import signal

    root = copy_project(sample_build.parents[1], tmp_path)
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    proc = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "--project", str(root), "build", "--force"],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True,
                            env={**os.environ, "HUIWU_TODAY": TODAY, "TMPDIR": str(scratch)})
    seen = ""
    for line in proc.stdout:
        seen += line
        if "会议通知" in line:  # rendering has begun; most documents are yet to come
            break
    workers = descendants(proc.pid)
    second = [pid for pid in workers if Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1]
              != str(proc.pid)]
    assert len(workers) == 2 and len(second) == 1
    os.kill(second[0], signal.SIGKILL)
    out = seen + proc.communicate(timeout=60)[0]
    assert proc.returncode == 1, out
    assert out.splitlines()[-2].startswith("系统: 排版进程意外结束"), out
    assert out.splitlines()[-1].startswith("1 处错误，生成中止：本次已写出 "), out  # the 通知 and those before it
    assert "Traceback" not in out
    assert all(gone(pid) for pid in workers)
    assert not [p for p in (root / "output").rglob("*.tmp")]
    assert not leftovers(scratch)  # the killed worker's copies of the fonts too


def run_script(script: str) -> str:
    """A script run in a process of its own (it forks render workers), with huiwu and the tests' helpers importable;
    what it printed. It must end well."""
    path = f"import sys\nsys.path.insert(0, {str(ROOT)!r})\nsys.path.insert(0, {str(ROOT / 'tests')!r})\n"
    proc = subprocess.run([sys.executable, "-c", path + script], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def test_the_workers_stop_when_one_was_killed_while_waiting_for_work(tmp_path):
    """A worker killed while it waits for work may hold the lock of the queue the other waits on: stopping them
    must not wait for the other forever."""
    script = (
        "import os, signal, time\n"
        "from conftest import descendants, gone\n"
        "from huiwu.workers import Workers\n"
        "workers = Workers()\nworkers.warm()\ntime.sleep(0.5)\n"
        "found = descendants(os.getpid())\n"
        "second = [p for p in found if p != workers.first]\n"
        "os.kill(second[0], signal.SIGKILL)\n"
        "started = time.monotonic()\nworkers.close()\n"
        "print(len(found), round(time.monotonic() - started), all(gone(p) for p in found))\n"
    )
    said = run_script(script)
    count, seconds, ended = said.split()
    assert count == "2" and int(seconds) <= 5 and ended == "True", said


def test_a_stop_signal_that_reaches_a_workers_other_thread_still_stops_it(tmp_path):
    """A signal sent to a worker (its parent's end, the other worker's) may be taken by the thread that sends its
    results rather than the one waiting for work: the waiting one must still answer it, not wait on the queue's
    lock for ever (a fresh-clone run once hung here on the other worker's end)."""
    script = (
        "import ctypes, os, signal, time\n"
        "from pathlib import Path\nfrom conftest import gone\nimport huiwu.workers as w\nfrom huiwu.render import Rendered\n"
        "def render(parts, base_url, cache):\n"
        "    time.sleep(0.2)\n"
        "    return Rendered([b'x'] * len(parts), len(parts), [1] * len(parts))\n"
        "w._render = render\n"
        "workers = w.Workers()\nworkers.warm()\n"
        "workers.submit([f'part{i}' for i in range(6)], Path('.'), None)()\ntime.sleep(0.5)\n"
        "tgkill = ctypes.CDLL(None, use_errno=True).tgkill\n"
        "found = [workers.first] + [int(p) for p in Path(f'/proc/{workers.first}/task/{workers.first}/children')"
        ".read_text().split()]\n"
        "others = {p: [int(t) for t in os.listdir(f'/proc/{p}/task') if int(t) != p] for p in found}\n"
        "for p, threads in others.items():\n"
        "    for t in threads: tgkill(p, t, signal.SIGTERM)\n"
        "ended = all(gone(p, 5) for p in found)\nworkers.close()\n"
        "print(len(found), min(len(t) for t in others.values()), ended)\n"
    )
    count, threads, ended = run_script(script).split()
    assert count == "2" and int(threads) >= 1, (count, threads)  # both had a thread besides the one waiting
    assert ended == "True"


def test_both_workers_share_a_documents_parts_and_give_them_back_in_order(tmp_path):
    """A document's parts go each to the next free worker, not all to one: the 须知's name list, sent once its
    front is rendered, used to be laid out by one worker alone at the end of a build while the other waited."""
    script = (
        "import os, time\n"
        "from pathlib import Path\nimport huiwu.workers as w\nfrom huiwu.render import Rendered\n"
        "def render(parts, base_url, cache):\n"
        "    time.sleep(0.2)\n"
        "    return Rendered([f'{p}:{os.getpid()}'.encode() for p in parts], len(parts), [1] * len(parts), list(parts), 0.2)\n"
        "w._render = render\n"
        "workers = w.Workers()\nworkers.warm()\n"
        "got = workers.submit([f'part{i}' for i in range(8)], Path('.'), None)()\n"
        "workers.close()\n"
        "print(' '.join(p.decode() for p in got.pdfs), got.pages, got.counts == [1] * 8, ','.join(got.warnings))\n"
    )
    *made, pages, counts, warnings = run_script(script).split()
    assert [m.split(":")[0] for m in made] == [f"part{i}" for i in range(8)]  # in the order given
    assert len({m.split(":")[1] for m in made}) == 2  # by both workers
    assert pages == "8" and counts == "True" and warnings == ",".join(f"part{i}" for i in range(8))


def test_a_document_s_new_parts_go_to_the_workers_before_its_cached_ones_are_read(tmp_path, monkeypatch):
    """Of a document's parts, those not rendered before are given to the workers first, and only then are the
    others read from the chunk cache (80 files of a 2,000-person 签到表): a worker begins on the new page at once.
    The parts come back in their order."""
    from huiwu.render import ChunkCache, Rendered
    from huiwu.workers import Workers

    cache = ChunkCache(tmp_path / "chunks", "v")
    parts = [f"<p>第{i}页</p>" for i in range(4)]
    for i in (0, 1, 3):
        cache.put(parts[i], f"%PDF {i}".encode(), 1)
    events: list[str] = []
    get = ChunkCache.get
    monkeypatch.setattr(ChunkCache, "get", lambda self, html: events.append(f"read {parts.index(html)}")
                        or get(self, html))
    workers = Workers()
    workers.alone, workers.first, workers.told = False, 1, None  # started: jobs go to the queue

    class Queue:
        def put(self, job) -> None:
            events.append(f"sent {parts.index(job[1][0])}")
            workers.arrived[job[0]] = (Rendered([b"%PDF 2"], 1, [1]), None)

    workers.jobs = Queue()
    got = workers.submit(parts, tmp_path, cache)()
    assert events == ["sent 2", "read 0", "read 1", "read 3"]
    assert [bytes(p) for p in got.pdfs] == [b"%PDF 0", b"%PDF 1", b"%PDF 2", b"%PDF 3"] and got.pages == 4


def test_a_worker_lists_a_documents_cache_once_not_once_a_part(tmp_path):
    """Each part is a job of its own, each naming the document's chunk cache: a worker lists the cache's folder
    the first time, not for every part (at 2,000 attendees, 2,300 listings of folders of hundreds of files)."""
    script = (
        "import os, pathlib\n"
        "from pathlib import Path\nfrom huiwu.workers import Workers\nfrom huiwu.render import ChunkCache\n"
        f"log = Path({str(tmp_path / 'listed.txt')!r})\nlistdir = os.listdir\n"
        "def counted(path='.'):\n"
        "    if Path(path).name == 'chunks':\n"
        "        with open(log, 'a') as f: f.write(f'{os.getpid()}\\n')\n"
        "    return listdir(path)\n"
        "os.listdir = counted\n"
        f"folder = Path({str(tmp_path / 'chunks')!r})\nfolder.mkdir()\n"
        "workers = Workers()\nworkers.warm()\n"
        "parts = [f'<p>第{i}块</p>' for i in range(6)]\n"
        "cache = ChunkCache(folder, 'v')\n"
        "first = workers.submit(parts, Path('.'), cache)()\n"
        "again = workers.submit(parts, Path('.'), cache)()\n"
        "other = workers.submit(parts, Path('.'), ChunkCache(folder, 'v'))()\n"
        "workers.close()\n"
        "print(first.pdfs == again.pdfs == other.pdfs, len(first.pdfs), len(listdir(folder)))\n"
    )
    assert run_script(script).split() == ["True", "6", "6"]
    listed = (tmp_path / "listed.txt").read_text().split()
    assert 2 <= len(listed) <= 4 and all(listed.count(pid) <= 2 for pid in set(listed)), listed  # once a cache


def test_a_build_leaves_nothing_in_the_temporary_folder(tmp_path):
    """WeasyPrint copies the fonts it is given into a temporary folder (30 MB and more a process) and removes
    it only when its set-up is collected, which a worker process never does: each `make` would leave two."""
    root = new_project(tmp_path, sample=False)
    write_meeting(root, "t", BARE, "姓名,单位,职务,类别\n张三,青川市财政局,局长,出席\n")
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    result = run(root, "build", env={"TMPDIR": str(scratch)})
    assert result.returncode == 0, result.stderr
    assert "证件" in result.stdout  # the workers rendered (and so copied fonts)
    assert not leftovers(scratch)  # no copy of the fonts, nor anything else


def test_a_build_from_the_command_line_starts_its_first_worker_before_loading_the_rest(tmp_path):
    """`make` forks the first render worker before the program is imported whole (the layouts' module, Jinja2 and
    WeasyPrint included), so that it loads WeasyPrint while the rest is imported and the sources are read; other
    commands start none."""
    root = new_project(tmp_path, sample=False)
    write_meeting(root, "t", BARE, "姓名,单位,职务,类别\n张三,青川市财政局,局长,出席\n")
    probe = ("import sys, huiwu.workers as w; spawn = w.spawn_early; "
             "w.spawn_early = lambda: (print('spawned', 'huiwu.pipeline' in sys.modules, 'click' in sys.modules, "
             "'huiwu.render' in sys.modules, 'jinja2' in sys.modules), spawn())")
    for args, said in ((["build"], "spawned False False False False"), ([], "spawned False False False False"),
                       (["check"], None), (["build", "--help"], None)):
        result = run_changed(root, probe, *args)
        assert result.returncode == 0, result.stderr
        assert (said in result.stdout) if said else "spawned" not in result.stdout, (args, result.stdout)
    assert "证件" in run_changed(root, "pass", "build", "--force").stdout  # the worker spawned early renders


def test_a_build_with_nothing_to_do_or_a_mistyped_command_stops_the_worker_it_started(tmp_path):
    """The first worker, forked before the command line is read, is stopped when the build has nothing to do or the
    command is wrong: no process is left, nor its folder for the fonts."""
    root = new_project(tmp_path, sample=False)
    write_meeting(root, "t", BARE, "姓名,单位,职务,类别\n张三,青川市财政局,局长,出席\n")
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    assert run(root, "build", env={"TMPDIR": str(scratch)}).returncode == 0
    shutil.rmtree(scratch)
    scratch.mkdir()
    for args in (["build"], ["build", "--forc"], ["build", "--only", "没有这种"]):
        probe = ("import atexit, os, sys, huiwu.workers as w; spawn = w.spawn_early; "
                 "w.spawn_early = lambda: (spawn(), atexit.register(lambda: print('worker', w._early and "
                 "w._early.first, file=sys.stderr)))")  # registered after the stop: said before it runs
        result = run_changed(root, probe, *args, env={"TMPDIR": str(scratch)})
        assert result.returncode == (0 if args == ["build"] else 1), result.stderr
        assert ("无需更新" in result.stdout) if args == ["build"] else "Traceback" not in result.stderr
        pid = int(result.stderr.split("worker ")[1].split()[0])
        assert pid and gone(pid), result.stderr  # it was started, and is gone
        assert not leftovers(scratch), args


def test_the_layout_engine_starts_without_running_programs(tmp_path):
    """Each render worker loads WeasyPrint; looking for Pango and HarfBuzz under other systems' names used to run
    ldconfig, gcc and ld some twenty times a worker (0.2 s and more each build)."""
    log = tmp_path / "programs.txt"
    script = (
        "import subprocess, sys\n"
        f"sys.path.insert(0, {str(ROOT)!r})\n"
        "started = subprocess.Popen.__init__\n"
        "def logged(self, args, *a, **k):\n"
        f"    open({str(log)!r}, 'a').write(repr(args) + '\\n')\n"
        "    started(self, args, *a, **k)\n"
        "subprocess.Popen.__init__ = logged\n"
        "from huiwu import render\n"
        "engine = render.Engine()\n"
        "print(len(engine.pdf(['<p>会议</p>'], ROOT_DIR).pdfs))\n"
    ).replace("ROOT_DIR", f"__import__('pathlib').Path({str(tmp_path)!r})")
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0 and proc.stdout.strip() == "1", proc.stderr
    assert not log.exists(), log.read_text()


def held_open(path: Path) -> bool:
    """Whether this process holds a file that was at `path` and has been replaced or removed since."""
    found = []
    for fd in Path("/proc/self/fd").iterdir():
        try:
            found.append(os.readlink(fd))
        except OSError:  # the listing's own descriptor, closed by now
            pass
    return f"{path} (deleted)" in found


def test_a_file_replaced_is_let_go_in_a_thread_of_its_own(tmp_path, monkeypatch):
    """write_atomic holds the file it replaces until a thread of its own closes it: freeing an 8 MB file's blocks
    (4 ms on ext4) is not done in the build's thread. The new bytes are in place at once; the old file is not held
    for long, and a process whose only other thread is that one still ends at once (build.py's _alone)."""
    import threading
    import time

    from huiwu import render

    sys.path.insert(0, str(ROOT))
    import build

    path = tmp_path / "signin.pdf"
    for i in range(3):
        render.write_atomic(path, bytes([i]) * 1_000_000)
        assert path.read_bytes() == bytes([i]) * 1_000_000
    deadline = time.monotonic() + 10
    while held_open(path) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert not held_open(path)
    closers = [t for t in threading.enumerate() if t.name == "huiwu closer"]
    assert len(closers) == 1 and closers[0].daemon and build._alone()
    other = threading.Thread(target=time.sleep, args=(0.5,))
    other.start()
    assert not build._alone()
    other.join()
    monkeypatch.setattr(render, "CLOSING", 0)  # as many held as it may hold (a slow disk): closed at once, here
    render.write_atomic(path, b"again")
    assert path.read_bytes() == b"again" and not held_open(path)
    for write in (render.write_atomic, render.write_changed):  # a named pipe in the way is replaced, not waited on
        piped = tmp_path / f"piped-{write.__name__}.pdf"  # for a writer (read to compare, it would hang the build)
        os.mkfifo(piped)
        writing = threading.Thread(target=write, args=(piped, b"x"), daemon=True)
        writing.start()
        writing.join(10)
        assert not writing.is_alive() and piped.read_bytes() == b"x"


def test_a_join_made_from_its_last_file_never_waits_on_a_named_pipe_put_in_its_place(tmp_path, monkeypatch):
    """The file a join was recorded for, replaced by a named pipe (hostile, or a mistake): the next join is made anew
    at once, not left waiting for a writer, and writing it replaces the pipe."""
    import threading

    from huiwu import joining, render

    monkeypatch.setattr(joining._records, "known", {})
    parts = [render.Kept.of(b"%PDF-1.7 " + bytes([i]) * 10, f"{i:032x}") for i in range(4)]
    path = tmp_path / "badges.pdf"
    path.write_bytes(b"joined")
    found = path.stat()
    record = joining._Record(True, 0, [(p.key, "", 0, 0, [], []) for p in parts], {}, {}, [0], 3, None,
                             (found.st_size, found.st_mtime_ns, found.st_ino))
    joining._records.set(joining._record_key(path), tuple(record))
    path.unlink()
    os.mkfifo(path)
    changed = [*parts[:2], render.Kept.of(b"%PDF-1.7 other", "f" * 32), parts[3]]
    made: list = []
    joining_thread = threading.Thread(
        target=lambda: made.append(joining._spliced(changed, [p.key for p in changed], True, 0, path)), daemon=True)
    joining_thread.start()
    joining_thread.join(10)
    assert not joining_thread.is_alive() and made == [None]  # joined anew
