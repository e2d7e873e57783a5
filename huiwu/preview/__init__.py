"""`make watch`: the live preview. Builds once, then rebuilds on every change under content/, layouts/,
fonts/ and settings.yaml with the render workers kept warm; serves the intranet site on this computer with a
small script in each page that reloads it after a rebuild, or shows the build's messages (file:line, as
`make` prints them) over the page until the mistake is fixed. The last good outputs stay meanwhile.

A rebuild tells the pages twice: once every source has checked out, with the site pages written (`pending`:
the PDFs are being made), and again when the PDFs are written. The site page so comes in well under a second
after a save, whatever the PDFs take."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import local, pipeline, site, working_fonts
from ..problems import BuildFailed
from ..project import Project
from ..records import Meeting
from ..workers import Workers

LIVE = Path(__file__).parent / "live.js"
TAG = b'<script src="/__live/live.js"></script>'


@dataclass
class Preview:
    """What the pages are told: the build's number, its messages (none when it went through) and the files
    it wrote."""

    project: Project
    version: int = 0
    problems: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    pending: bool = False  # the pages are new, the PDFs are being made
    workers: Workers = field(default_factory=Workers)

    def rebuild(self, echo: Callable[[str], None]) -> None:
        started = time.monotonic()
        try:
            summary = pipeline.build(self.project, echo, workers=self.workers, checked=self.pages)
        except BuildFailed as exc:
            self.problems = exc.problems.report().splitlines()
            echo(exc.problems.report())
        else:
            self.problems, self.changed = [], summary.written
            took = time.monotonic() - started
            echo(f"已更新：{summary.rewritten} 个文件，内网站点 {summary.site} 个文件（{took:.1f} 秒）"
                 if summary.written or summary.site else "没有需要更新的文件")
        self.pending = False
        self.version += 1

    def pages(self, meetings: list[Meeting]) -> None:
        """The sources checked out: the meetings' site pages now, the PDFs after (their links keep pointing
        at the last ones meanwhile, and the page is reloaded once more when they are written)."""
        if sum(site.publish(self.project, m) for m in meetings):
            self.problems, self.changed, self.pending = [], [], True
            self.version += 1

    def told(self) -> dict[str, object]:
        return {"version": self.version, "problems": self.problems, "changed": self.changed[:40],
                "pending": self.pending}


def app(preview: Preview, site: Path):
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import FileResponse, HTMLResponse, PlainTextResponse, Response
    from starlette.routing import Route

    def events(request: Request) -> Response:
        return local.events(request, lambda: preview.version, preview.told)

    async def page(request: Request) -> Response:
        path = (site / request.path_params["path"]).resolve()
        if path.is_dir():
            path = path / "index.html"
        if not path.is_relative_to(site.resolve()):
            return PlainTextResponse("404 没有这个页面", status_code=404)
        if not path.is_file():  # not built yet (the first build failed, or a meeting is new): wait for it here
            waiting = (f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>等待生成</title></head>'
                       f'<body><p>这个页面还没有生成：材料改正、保存后会自动出现。</p>{TAG.decode()}</body></html>')
            return HTMLResponse(waiting, status_code=404, headers={"Cache-Control": "no-store"})
        if path.suffix == ".html":
            html = path.read_bytes().replace(b"</body>", TAG + b"\n</body>", 1)
            return Response(html, media_type="text/html; charset=utf-8", headers={"Cache-Control": "no-store"})
        return FileResponse(path, headers={"Cache-Control": "no-store"})

    return Starlette(routes=[Route("/__live/events", events),
                             Route("/__live/live.js", lambda r: FileResponse(LIVE, media_type="text/javascript")),
                             Route("/{path:path}", page)])


def watch(project: Project, port: int, echo: Callable[[str], None], browser: bool = True) -> None:
    import uvicorn
    import watchfiles

    local.free("127.0.0.1", port, "实时预览", f"make watch SERVE_PORT={port + 1}")
    preview = Preview(project)
    server = uvicorn.Server(uvicorn.Config(app(preview, project.output / "site"), host="127.0.0.1", port=port,
                                           log_level="warning", lifespan="off", timeout_graceful_shutdown=1))
    try:  # stopped at any moment (Ctrl+C, the terminal closed): the workers end and no half file is left
        preview.workers.warm(project.font_copies / working_fonts.LAST)  # before any thread starts
        preview.rebuild(echo)
        try:  # read and check everything once more (writing nothing): the first edit then finds the caches warm
            pipeline.check(project)
        except BuildFailed:
            pass
        threading.Thread(target=server.run, daemon=True).start()
        url = f"http://127.0.0.1:{port}/"
        echo(f"实时预览：{url}（只有本机能访问）。修改 content/ 下的文件并保存，页面会自动刷新；按 Ctrl+C 停止。")
        if browser:
            local.open_browser(url)
        watched = [p for p in (project.content, project.layouts, project.fonts_dir, project.settings_file)
                   if p.exists()]
        for _ in watchfiles.watch(*watched, watch_filter=Sources(), debounce=200, step=50, rust_timeout=0):
            preview.rebuild(echo)
    except KeyboardInterrupt:
        pass
    finally:
        server.should_exit = True
        preview.workers.close()
    echo("已停止实时预览。")


class Sources:
    """The changes that matter: not the desk's journal, editors' swap files or hidden folders."""

    def __init__(self) -> None:
        import watchfiles

        self.default = watchfiles.DefaultFilter()

    def __call__(self, change: Any, path: str) -> bool:
        return self.default(change, path) and not any(part.startswith(".") for part in Path(path).parts[1:])
