#!/usr/bin/env python3
"""Benchmark: build a synthetic meeting of N attendees and report, per document,
seconds, pages, pages per second and peak memory; plus the whole-build and
nothing-to-do times of the sample meeting. Run: make bench (or python bench/bench.py -n 500).
`--site 50`: instead, 50 meetings like the sample, built whole; the intranet site's share of that
build, and the site rebuilt alone from the sources (output/site/ deleted).
`--whole 500 2000`: instead, for each size: the whole meeting cold, after one attendee's 职务 is edited, after one
attendee's name is edited (a 替会: on the seat map, the numbered copies; five edits of each, one after the other: their
median and range), then to a name with a character outside GB 2312 (玥, 犇: new to the sources), with nothing to do
(each with the peak memory of all the build's processes together), and the live preview's refresh after an edit
(the first of five and their median: saved to the pages being told).
`--checkin 1000`: instead, the check-in desk of a synthetic meeting of 1,000: a scan's round trip (request to
answer, journal and CSV written) and the time until the chair's board shows it, scan by scan and in a burst.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国志红玉兰文斌波宁海燕凤辉鹏飞云龙春梅东晓"
ROLES = [("主席台", 7), ("出席", 0), ("列席", 0), ("工作人员", 0)]


def synthetic_project(base: Path, n: int) -> Path:
    root = base / "proj"
    (root / "content").mkdir(parents=True)
    (root / "layouts").symlink_to(ROOT / "layouts")
    shutil.copytree(ROOT / "content" / "2026-12-jingji", root / "content" / "bench")  # meeting.md, material PDF
    rng = random.Random(n)
    rows, seen = ["姓名,单位,职务,类别,排序,状态,请假原因,电话,车辆"], set()
    while len(rows) <= n:
        name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))
        if name in seen:
            continue
        seen.add(name)
        i = len(rows)
        role = "主席台" if i <= 7 else rng.choice(["出席", "出席", "出席", "列席", "工作人员"])
        status = "请假" if rng.random() < 0.05 else "参会"
        reason = "出差" if status == "请假" else ""
        car = "1号车" if i <= 4 else "2号车" if i <= 7 else "自行"
        rows.append(f"{name},青川市第{i % 40 + 1}单位,处长,{role},{i},{status},{reason},1390000{i:04d},{car}")
    (root / "content" / "bench" / "attendees.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    hall_rows = n // 20 + 2  # 20 seats a row: room for everyone
    (root / "content" / "bench" / "venue.yaml").write_text(
        f"rostrum: {{rows: [7]}}\nhall: {{rows: {hall_rows}, seats: 20, aisles: [5, 15]}}\n", encoding="utf-8")
    return root


def build_once(root: Path) -> dict:
    """In a fresh process: one `build` of the project; its time, peak memory and what it wrote."""
    from huiwu import pipeline

    t = time.perf_counter()
    summary = pipeline.build(pipeline.Project(root), echo=lambda line: None)
    return {"seconds": time.perf_counter() - t, "files": len(summary.written),
            "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "worker_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}  # the largest worker


def edit_one(root: Path) -> None:
    """Change one hall attendee's 职务, as staff do the day before a meeting."""
    path = root / "content" / "bench" / "attendees.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[100] = lines[100].replace(",处长,", ",副处长,")
    path.write_text("\n".join(lines), encoding="utf-8")


def render_one(root: Path, key: str) -> dict:
    """In a fresh process: lay out and render one document kind; report time and peak memory."""
    from huiwu import pipeline
    from huiwu.kinds import KINDS
    from huiwu.render import Engine

    project = pipeline.Project(root)
    (job,) = pipeline.validate(project, [pipeline.Stale(project.content / "bench", "")])
    pipeline.use_fonts(project, job)
    engine = Engine()
    found = [(k, p) for k, p in job.docs if k.key == key]
    if not found:  # skipped for this meeting (the reason), or laid out after the others: timed in the whole build
        return {"skipped": job.skipped.get(next(k.output for k in KINDS if k.key == key), "在整个会议中计时")}
    kind, parts = found[0]
    t = time.perf_counter()
    rendered = engine.pdf(parts, job.meeting.folder)
    if kind.finish:  # imposition, per-copy stamping: part of the document's cost
        kind.finish(job.meeting, rendered.pdfs)
    seconds = time.perf_counter() - t
    return {"seconds": seconds, "pages": rendered.pages,
            "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def site_project(base: Path, n: int) -> Path:
    """`n` meetings like the sample (without the after-meeting files), each with its own title."""
    root = base / "site"
    (root / "content").mkdir(parents=True)
    (root / "layouts").symlink_to(ROOT / "layouts")
    sample = ROOT / "content" / "2026-12-jingji"
    skip = shutil.ignore_patterns("minutes.md", "signin.*", "briefing-*", "summary.md")
    for i in range(n):
        folder = root / "content" / f"m{i + 1:02d}"
        shutil.copytree(sample, folder, ignore=skip)
        meeting = folder / "meeting.md"
        text = meeting.read_text(encoding="utf-8").replace("全市经济工作会议", f"全市经济工作第{i + 1}次会议")
        if i % 10 == 9:
            text = text.replace("classification: 公开", "classification: 内部")
        meeting.write_text(text, encoding="utf-8")
    return root


def site_build(root: Path) -> dict:
    """In a fresh process: a whole build, with the time spent in the site step; then the site alone."""
    from huiwu import pipeline, site

    spent = [0.0]

    def clocked(step):
        def run(*args, **kwargs):
            t = time.perf_counter()
            try:
                return step(*args, **kwargs)
            finally:
                spent[0] += time.perf_counter() - t
        return run

    publish, assemble = site.publish, site.assemble
    site.publish, site.assemble = clocked(publish), clocked(assemble)  # pipeline calls them through `site.`
    t = time.perf_counter()
    summary = pipeline.build(pipeline.Project(root), echo=lambda line: None)
    whole = time.perf_counter() - t
    site.publish, site.assemble = publish, assemble
    shutil.rmtree(root / "output" / "site")
    shutil.rmtree(root / "output" / ".cache" / "site")
    t = time.perf_counter()
    alone = pipeline.build(pipeline.Project(root), echo=lambda line: None)
    return {"seconds": whole, "site_seconds": spent[0], "pages": summary.pages, "files": len(summary.written),
            "site_files": summary.site, "alone_seconds": time.perf_counter() - t, "alone_files": alone.site}


PAGE = os.sysconf("SC_PAGE_SIZE")


class Tree:
    """A process and its descendants, for their resident memory together (Linux /proc). Looking through every
    process of the machine takes some 2 ms: done every `rescan`-th time only, to find new descendants (a worker
    forked is counted within 0.15 s of its start, long before it holds much); between, just the processes found are
    read. So the sampling takes about a hundredth of a core from the build it measures, not a tenth (a 2,000-person
    edit measured 0.12 s slower with the whole scan every 50 ms)."""

    def __init__(self, pid: int, rescan: int = 3):
        self.pid, self.rescan, self.known, self.count = pid, rescan, {pid}, 0

    def rss(self) -> int:
        """Their resident memory now, in bytes."""
        if self.count % self.rescan == 0:
            self._scan()
        self.count += 1
        total = 0
        for pid in list(self.known):
            try:
                total += int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE
            except (OSError, IndexError, ValueError):
                self.known.discard(pid)
        return total

    def _scan(self) -> None:
        children: dict[int, list[int]] = {}
        for entry in os.scandir("/proc"):
            if entry.name.isdigit():
                try:
                    with open(f"/proc/{entry.name}/stat", "rb") as f:
                        parent = int(f.read().rsplit(b")", 1)[1].split()[1])
                except (OSError, IndexError, ValueError):
                    continue
                children.setdefault(parent, []).append(int(entry.name))
        todo = [self.pid]
        while todo:
            p = todo.pop()
            self.known.add(p)
            todo += children.get(p, [])


def measured(cmd: list[str]) -> tuple[float, float]:
    """Wall seconds and the peak memory (MB) of the command's whole process tree, sampled every 50 ms. A command
    that fails stops the bench with what it said: a failed build is no figure (and the next one, making what it
    left undone, would pass for a slow edit)."""
    import threading

    said = tempfile.TemporaryFile()
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=said, stderr=subprocess.STDOUT)
    peak, tree = [0], Tree(proc.pid)

    def sample() -> None:
        while proc.poll() is None:
            peak[0] = max(peak[0], tree.rss())
            time.sleep(0.05)

    sampler = threading.Thread(target=sample)
    sampler.start()
    proc.wait()
    sampler.join()
    took = time.perf_counter() - t
    if proc.returncode != 0:
        said.seek(0)
        output = said.read().decode("utf-8", "replace")
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{output[-3000:]}")
    said.close()
    return took, peak[0] / 2**20


def toggle(root: Path) -> None:
    """One attendee's 职务 changed (处长 ↔ 副处长): an edit every time it is called."""
    path = root / "content" / "bench" / "attendees.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    row = lines[100]
    lines[100] = row.replace(",副处长,", ",处长,") if ",副处长," in row else row.replace(",处长,", ",副处长,")
    path.write_text("\n".join(lines), encoding="utf-8")


NEW_NAMES = "司马新 欧阳文 上官志 诸葛明 东方伟 夏侯静 皇甫丽".split()  # the generator's surnames are of one character
RARE_NAMES = "王玥 马犇 李垚 张喆 刘堃".split()  # each with a character outside GB 2312 that no source held before


def rename(root: Path, name: str) -> None:
    """One attendee's name changed (a 替会, a name misspelt): row 100 given `name`, one not in the list before (its QR
    code, its pinyin never made before either)."""
    path = root / "content" / "bench" / "attendees.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[100] = f"{name},{lines[100].split(',', 1)[1]}"
    path.write_text("\n".join(lines), encoding="utf-8")


RUNS = 5  # edits of each kind measured, one after the other: the median, and the fastest and slowest said


def runs(build: list[str], edit: Callable[[int], None]) -> tuple[list[float], float]:
    """`build` after each of RUNS edits: the seconds of each, and the largest peak memory (MB)."""
    seconds, peak = [], 0.0
    for i in range(RUNS):
        edit(i)
        took, mb = measured(build)
        seconds.append(took)
        peak = max(peak, mb)
    return seconds, peak


def spread(seconds: list[float]) -> str:
    return f"{statistics.median(seconds):.1f} s ({min(seconds):.1f}–{max(seconds):.1f})"


def whole_meeting(sizes: list[int]) -> None:
    """Built as `make` builds: its own modules compiled first (make does it whenever one changes), so no run spends
    its start compiling them, whatever PYTHONDONTWRITEBYTECODE says."""
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "huiwu")], check=True)
    print(f"{'attendees':>9}  {'cold':>14}  {f'one edit (median of {RUNS}, range)':>26}  {'MB':>4}  "
          f"{'one name (median, range)':>24}  {'MB':>4}  {'rare name (GB 2312 +)':>21}  {'nothing':>7}  "
          f"{'preview refresh (first, median of 5)':>36}")
    for n in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            root = synthetic_project(Path(tmp), n)
            build = [sys.executable, str(ROOT / "build.py"), "--project", str(root), "build"]
            cold, cold_mb = measured(build)
            edits, edit_mb = runs(build, lambda i, root=root: toggle(root))
            names, named_mb = runs(build, lambda i, root=root: rename(root, NEW_NAMES[i]))
            rare, _ = runs(build, lambda i, root=root: rename(root, RARE_NAMES[i]))
            noop, _ = measured(build)
            refresh = watch_refresh(root)
        print(f"{n:>9}  {cold:>6.1f} s {cold_mb:>4.0f} MB  {spread(edits):>26}  {edit_mb:>4.0f}  "
              f"{spread(names):>24}  {named_mb:>4.0f}  {spread(rare):>21}  {noop:>5.2f} s  {refresh[0]:>25.2f} s, "
              f"{statistics.median(refresh):.2f} s")


def watch_refresh(root: Path, edits: int = 5) -> list[float]:
    """`build.py watch` on a built project: seconds from saving an edit to the pages being told to reload, for
    `edits` edits in turn (each waits for the last one's PDFs)."""
    import socket
    import threading

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "--project", str(root), "watch", "--no-browser",
                             "--port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for(port, proc)
        told: list[tuple[float, dict]] = []

        def listen() -> None:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/__live/events") as stream:
                for line in stream:
                    if line.startswith(b"data: "):
                        told.append((time.perf_counter(), json.loads(line[6:])))

        threading.Thread(target=listen, daemon=True).start()
        while not told:
            time.sleep(0.01)
        times = []
        for _ in range(edits):
            while told[-1][1].get("pending"):  # the last edit's PDFs are still being made
                time.sleep(0.01)
            first = told[-1][1]["version"]
            t = time.perf_counter()
            toggle(root)
            while not any(s["version"] > first for _, s in told):
                time.sleep(0.01)
            times.append(next(at for at, s in told if s["version"] > first) - t)
            while not any(s["version"] > first and not s.get("pending") for _, s in told):
                time.sleep(0.01)
        return times
    finally:
        proc.terminate()
        proc.wait()


def checkin(n: int) -> None:
    """The desk of an n-person meeting: round trips of spaced scans, the board's delay after each, and a burst."""
    import socket
    import statistics
    import threading

    with tempfile.TemporaryDirectory() as tmp:
        root = synthetic_project(Path(tmp), n)
        for name in ("signin.csv", "recollected.csv", "disposed.csv", "summary.md"):
            (root / "content" / "bench" / name).unlink(missing_ok=True)
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        desk = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "--project", str(root), "checkin", "bench",
                                 "--no-browser", "--port", str(port)], stdout=subprocess.DEVNULL)
        try:
            wait_for(port, desk)
            url = f"http://127.0.0.1:{port}"
            seen: dict[int, float] = {}  # 实到 → when the board's stream said so
            threading.Thread(target=watch_board, args=(f"{url}/api/events", seen), daemon=True).start()
            table = (root / "content/bench/attendees.csv").read_text("utf-8").splitlines()[1:]
            names = [line.split(",")[0] for line in table if ",参会," in line and ",工作人员," not in line]
            trips, delays = [], []
            for name in names[:100]:  # spaced scans: each measured alone
                count = len(seen) and max(seen)
                t = time.perf_counter()
                scan(url, name)
                trips.append(time.perf_counter() - t)
                while max(seen, default=0) <= count:
                    time.sleep(0.001)
                delays.append(seen[max(seen)] - t)
                time.sleep(0.05)
            t = time.perf_counter()
            workers = [threading.Thread(target=lambda part: [scan(url, x) for x in part], args=(names[100 + k::2],))
                       for k in (0, 1)]
            for w in workers:
                w.start()
            for w in workers:
                w.join()
            burst = time.perf_counter() - t
            while max(seen, default=0) < len(names):
                time.sleep(0.01)
            caught_up = time.perf_counter() - t
        finally:
            desk.terminate()
            desk.wait()
        ms = [x * 1000 for x in sorted(trips)]
        board = [x * 1000 for x in sorted(delays)]
        print(f"check-in desk, {n} attendees ({len(names)} counted in 应到)")
        print(f"scan round trip, 100 scans one at a time: median {statistics.median(ms):.0f} ms, "
              f"95th percentile {ms[94]:.0f} ms, max {ms[-1]:.0f} ms")
        print(f"board shows the scan after: median {statistics.median(board):.0f} ms, "
              f"95th percentile {board[94]:.0f} ms, max {board[-1]:.0f} ms")
        print(f"burst from two stations: {len(names) - 100} scans in {burst:.1f} s "
              f"({(len(names) - 100) / burst:.0f} a second); the board showed all {len(names)} after {caught_up:.1f} s")


def wait_for(port: int, desk: subprocess.Popen) -> None:
    """Until the server answers on its port (it first reads and checks the meeting)."""
    import socket

    while desk.poll() is None:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.1)
    raise SystemExit("the desk did not start")


def scan(url: str, name: str) -> None:
    body = json.dumps({"text": name, "mode": "signin"}).encode()
    req = urllib.request.Request(f"{url}/api/scan", body, {"Content-Type": "application/json"})
    with urllib.request.urlopen(req) as r:
        r.read()


def watch_board(url: str, seen: dict[int, float]) -> None:
    with urllib.request.urlopen(url) as stream:
        for line in stream:
            if line.startswith(b"data: "):
                seen.setdefault(json.loads(line[6:])["counts"]["实到"], time.perf_counter())


def timed(cmd: list[str]) -> float:
    t = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True)
    return time.perf_counter() - t


def as_make_runs(makefile: Path = ROOT / "Makefile") -> dict[str, str]:
    """The environment the Makefile exports to what it runs (`export NAME ?= value`), but what is set already:
    the bench's builds run as `make` runs them."""
    found = {}
    for line in makefile.read_text(encoding="utf-8").splitlines():
        name, sep, value = line.removeprefix("export ").partition(" ?= ")
        if line.startswith("export ") and sep and name not in os.environ:
            found[name] = value.strip()
    return found


def main() -> None:
    os.environ.update(as_make_runs())
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("-n", type=int, default=500, help="attendees in the synthetic meeting")
    parser.add_argument("--render", nargs=2, metavar=("ROOT", "KIND"), help=argparse.SUPPRESS)
    parser.add_argument("--build", metavar="ROOT", help=argparse.SUPPRESS)
    parser.add_argument("--site", type=int, metavar="N", help="time the intranet site for N sample-like meetings")
    parser.add_argument("--site-build", metavar="ROOT", help=argparse.SUPPRESS)
    parser.add_argument("--checkin", type=int, metavar="N", help="time the check-in desk of an N-person meeting")
    parser.add_argument("--whole", type=int, nargs="+", metavar="N",
                        help="cold, one 职务 edited, one name edited, a rare name, nothing, preview refresh")
    args = parser.parse_args()
    if args.whole:
        whole_meeting(args.whole)
        return
    if args.checkin:
        checkin(args.checkin)
        return
    if args.site_build:
        print(json.dumps(site_build(Path(args.site_build))))
        return
    if args.site:
        with tempfile.TemporaryDirectory() as tmp:
            root = site_project(Path(tmp), args.site)
            out = subprocess.run([sys.executable, __file__, "--site-build", str(root)], check=True,
                                 capture_output=True, text=True).stdout
            r = json.loads(out)
        pdf = r["seconds"] - r["site_seconds"]
        print(f"{args.site} meetings like the sample: whole build {r['seconds']:.1f} s ({r['files']} files, "
              f"{r['pages']} pages); PDFs {pdf:.1f} s, site {r['site_seconds']:.1f} s "
              f"({r['site_files']} files, {100 * r['site_seconds'] / r['seconds']:.1f} % of the build)")
        print(f"site alone, rebuilt from the sources (output/site deleted): {r['alone_seconds']:.1f} s, "
              f"{r['alone_files']} files")
        return
    if args.render:
        print(json.dumps(render_one(Path(args.render[0]), args.render[1])))
        return
    if args.build:
        print(json.dumps(build_once(Path(args.build))))
        return
    from huiwu.kinds import KINDS

    with tempfile.TemporaryDirectory() as tmp:
        root = synthetic_project(Path(tmp), args.n)
        print(f"synthetic meeting: {args.n} attendees")
        print(f"{'document':<24}{'seconds':>9}{'pages':>7}{'pages/s':>9}{'peak MB':>9}")
        for kind in (k for k in KINDS if k.template):
            out = subprocess.run([sys.executable, __file__, "--render", str(root), kind.key],
                                 check=True, capture_output=True, text=True).stdout
            r = json.loads(out)
            if "skipped" in r:
                print(f"{kind.output:<24}  (not timed: {r['skipped']})")
                continue
            rate = r["pages"] / r["seconds"]
            print(f"{kind.output:<24}{r['seconds']:>9.2f}{r['pages']:>7}{rate:>9.1f}{r['peak_mb']:>9.0f}")
        whole = [sys.executable, __file__, "--build", str(root)]
        cold = json.loads(subprocess.run(whole, check=True, capture_output=True, text=True).stdout)
        print(f"whole meeting, cold: {cold['seconds']:.2f} s, {cold['files']} files, peak {cold['peak_mb']:.0f} MB"
              f" + 2 workers of at most {cold['worker_mb']:.0f} MB each")
        edit_one(root)
        warm = json.loads(subprocess.run(whole, check=True, capture_output=True, text=True).stdout)
        print(f"one attendee's 职务 edited, rebuild: {warm['seconds']:.2f} s, peak {warm['peak_mb']:.0f} MB"
              f" + workers of at most {warm['worker_mb']:.0f} MB")
        sample = Path(tmp) / "sample"
        shutil.copytree(ROOT / "content", sample / "content")
        (sample / "layouts").symlink_to(ROOT / "layouts")
        build = [sys.executable, str(ROOT / "build.py"), "--project", str(sample), "build"]
        print(f"sample meeting, first build (font cache empty): {timed(build):.2f} s")
        print(f"sample meeting, nothing to do:                  {timed(build):.2f} s")
        print(f"sample meeting, full rebuild (--force):         {timed([*build, '--force']):.2f} s")


if __name__ == "__main__":
    main()
