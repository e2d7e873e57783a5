"""会中: the check-in desk (`build.py checkin`), a local web app on the laptop at the door.

It reads the meeting as `make` does (and refuses to start on the same problems), takes the meeting folder's
sign-in records into its journal, and serves the desk and the chair's board until Ctrl-C. One desk per
meeting: a second start is refused while the first runs."""

from __future__ import annotations

import fcntl
import os
import secrets
import socket
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import IO

from ..local import free, open_browser
from ..problems import BuildFailed, Problems
from ..project import Project
from ..records import Meeting
from ..records.materials import to_recollect
from ..records.received import RECEIVED_HEADERS
from ..records.recollected import recollected
from ..records.signin import HEADERS, Roster, read_signins
from .app import Hub, create
from .desk import key
from .journal import FOLDER, Journal, Row

PORT = 8765


def fail(where: Path | str, message: str, line: int = 0) -> BuildFailed:
    problems = Problems()
    problems.add(where, line, message)
    return BuildFailed(problems)


def choose(project: Project, name: str | None) -> Path:
    """The meeting folder named, or the only meeting there is."""
    folders = project.meeting_dirs()
    listed = "、".join(f.name for f in folders) or "（content/ 下还没有会议）"
    if name:
        found = [f for f in folders if f.name == name]
        if not found:
            raise fail(project.content, f"没有名为“{name}”的会议。现有会议：{listed}")
        return found[0]
    if len(folders) == 1:
        return folders[0]
    example = folders[0].name if folders else "会议文件夹名"
    raise fail(project.content, f"请指明是哪个会议的签到台，例如 make checkin MEETING={example}（现有会议：{listed}）")


def clock() -> Callable[[], datetime]:
    """The desk's clock: the computer's, or for a rehearsal HUIWU_NOW=2026-12-08T08:50 — time then runs on
    from that moment (a rehearsal the day before sees the meeting day's 迟到)."""
    fixed = os.environ.get("HUIWU_NOW")
    if not fixed:
        return datetime.now
    try:
        offset = datetime.fromisoformat(fixed) - datetime.now()
    except ValueError:
        raise fail("HUIWU_NOW", f"“{fixed}”不是有效的时间，请写成 2026-12-08T08:50") from None
    return lambda: datetime.now() + offset


def lock(folder: Path) -> IO[str]:
    """Held while the desk runs; the system lets it go when the process ends, however it ends."""
    (folder / FOLDER).mkdir(exist_ok=True)
    handle = open(folder / FOLDER / "desk.lock", "w")  # noqa: SIM115 - held for the process's life
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        handle.close()
        raise fail(folder, "这个会议的签到台已经在运行（在另一个窗口或另一台电脑的同一文件夹上）。"
                           "请使用已打开的签到台，或先在那个窗口按 Ctrl-C 关闭它") from None
    handle.write(str(os.getpid()))
    handle.flush()
    return handle


def refuse_workbooks(folder: Path) -> None:
    """The desk writes .csv; a .xlsx of the same record would be read instead of it."""
    for stem in ("signin", "received", "recollected"):
        if (folder / f"{stem}.xlsx").exists():
            raise fail(folder / f"{stem}.xlsx", f"签到台会把记录写入 {stem}.csv，而会议文件夹中已有 {stem}.xlsx："
                       f"请在 Excel 中把它另存为 {stem}.csv（CSV UTF-8 格式）并删除 {stem}.xlsx，再启动签到台")


def take_in(m: Meeting, journal: Journal) -> None:
    """CSVs edited by hand since the desk last wrote them replace the journal's rows; every CSV is then
    written anew from the journal (after a crash, the journal has what the desk acknowledged)."""
    problems = Problems()

    def report(line: int, message: str, path: Path | None = None) -> None:
        problems.add(path or m.folder, line, message)

    for file, rows in (("signin.csv", lambda: signin_rows(m, report)),
                       ("received.csv", lambda: received_rows(m, report)),
                       ("recollected.csv", lambda: returned_rows(m, report))):
        if journal.edited(file):
            found = rows()
            if problems:
                raise BuildFailed(problems)
            journal.replace(file, found)
        else:
            journal.replace(file, journal.rows(file))


def signin_rows(m: Meeting, report: Callable[..., None], file: str = "signin.csv",
                headers: dict[str, tuple[str, ...]] = HEADERS) -> list[Row]:
    rows, roster = [], Roster(m)
    for s in read_signins(m.folder / file, m.start.date(), report, headers):
        at = s.time.strftime("%Y-%m-%d %H:%M") if s.time else ""
        found = roster.candidates(s)
        principal = None if found else roster.stood_in_for(s)
        stand_in = next((a for a in m.stand_ins if a.stands_in is principal), None) if principal else None
        person = key(found[0]) if len(found) == 1 else key(stand_in) if stand_in else f"名单外|{s.name}|{s.unit}"
        rows.append(Row(person, (s.name, s.unit, at, s.note)))
    return rows


def received_rows(m: Meeting, report: Callable[..., None]) -> list[Row]:
    return signin_rows(m, report, "received.csv", RECEIVED_HEADERS)


def returned_rows(m: Meeting, report: Callable[..., None]) -> list[Row]:
    mats = to_recollect(m)
    found = recollected(m, mats, report) or {}
    rows = []
    for (k, number), r in found.items():
        mat = mats[k][0]
        at = r.time.strftime("%Y-%m-%d %H:%M") if r.time else ""
        values = (mat["title"], number, at, r.by, r.condition, r.note)
        rows.append(Row(f"{Path(mat['file'] or '').stem}|{number}", values))
    return rows


def lan_address() -> str:
    """This machine's address on the office network (the one a route outwards would use)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            s.connect(("10.255.255.255", 1))  # no packet is sent: this only picks the interface
            return str(s.getsockname()[0])
        except OSError:
            return "127.0.0.1"


def serve(project: Project, m: Meeting, port: int = PORT, lan: bool = False, browser: bool = True,
          echo: Callable[[str], None] = print, now: Callable[[], datetime] = datetime.now) -> None:
    import uvicorn

    refuse_workbooks(m.folder)
    host = "0.0.0.0" if lan else "127.0.0.1"
    held = lock(m.folder)
    free(host, port, "签到台", f"make checkin PORT={port + 1}")
    journal = Journal(m.folder)
    try:
        take_in(m, journal)
        hub = Hub(m, journal, now)
        token = secrets.token_urlsafe(16) if lan else None
        local = f"http://127.0.0.1:{port}/" + (f"?t={token}" if token else "")
        lan_url = f"http://{lan_address()}:{port}/?t={token}" if token else ""
        app = create(hub, project.layouts, token, lan_url)
        config = uvicorn.Config(app, host=host, port=port, log_level="warning", timeout_graceful_shutdown=1,
                                lifespan="off")
        server = uvicorn.Server(config)
        stop = server.handle_exit

        def stopping(sig: int, frame: object) -> None:
            hub.stopping = True  # the board streams end, so the server stops at once
            stop(sig, frame)  # type: ignore[arg-type]
        server.handle_exit = stopping  # type: ignore[method-assign]
        board = local.replace("/?", "/board?") if token else local + "board"
        echo(f"签到台：{m.title}\n  本机打开 {local}\n  主持人看板 {board}")
        if lan_url:
            echo(f"  其他电脑或手机（同一内网）打开 {lan_url}")
        echo("  签到记录随时写入 signin.csv；按 Ctrl-C 关闭签到台。")
        if browser:
            open_browser(local)
        try:
            server.run()
        except KeyboardInterrupt:  # uvicorn raises the Ctrl-C again once it has shut down
            pass
    finally:
        journal.close()
        held.close()
    echo("签到台已关闭；签到记录在 signin.csv 中，运行 make 生成到会统计。")
