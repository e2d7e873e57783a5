"""The desk as a local web app (Starlette on uvicorn): the desk page (scan, find, walk-in), the chair's board
(updated by server-sent events), and their JSON. With `lan`, every request must carry the desk's random
token (in the URL once, then a cookie); without it the answer is 403."""

from __future__ import annotations

import asyncio
import json
import secrets
import threading
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import jinja2
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from .. import local
from ..layout.qr import qr_code
from ..records import Meeting
from . import board
from .desk import Desk
from .journal import Journal

STATIC = Path(__file__).parent / "static"
COOKIE = "huiwu_desk"
HEARTBEAT = 20.0  # seconds: the board is sent again without a change, for its clock
FIELD_MOST = 200  # characters of one field of a request: a scan is far shorter
BODY_MOST = 65_536  # bytes of one request's body


class Hub:
    """The desk and what the board streams show: one state per change, computed once for every board."""

    def __init__(self, m: Meeting, journal: Journal, now: Callable[[], datetime]):
        self.m, self.journal, self.now = m, journal, now
        self.desk = Desk(m, journal, now)
        self.changes = 0
        self.lock = threading.Lock()
        self._state: tuple[int, dict[str, Any]] | None = None
        self.stopping = False

    def changed(self) -> None:
        with self.lock:
            self.changes += 1

    def state(self) -> dict[str, Any]:
        with self.lock:
            if self._state is None or self._state[0] != self.changes:
                self._state = (self.changes, board.state(self.m, self.journal, self.now()) | {"change": self.changes})
            return self._state[1]


class Token(BaseHTTPMiddleware):
    """`--lan`: a request without the desk's token (query `t` or cookie) is refused."""

    def __init__(self, app: Any, token: str):
        super().__init__(app)
        self.token = token

    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        given = request.query_params.get("t")
        if not secrets.compare_digest(given or request.cookies.get(COOKIE, ""), self.token):
            return PlainTextResponse("403 未授权：请扫描签到台页面上的二维码打开本页", status_code=403)
        response = await call_next(request)
        if given:
            response.set_cookie(COOKIE, self.token, httponly=True, samesite="strict")
        return response


def create(hub: Hub, layouts: Path, token: str | None = None, lan_url: str = "") -> Starlette:
    pages = jinja2.Environment(loader=jinja2.FileSystemLoader(layouts), autoescape=True,
                               undefined=jinja2.StrictUndefined)

    def page(name: str) -> Callable[[Request], HTMLResponse]:
        def show(request: Request) -> HTMLResponse:
            html = pages.get_template(f"checkin/{name}.html.j2").render(
                meeting=hub.m, lan_url=lan_url, lan_qr=qr_code(lan_url).svg_inline(scale=4) if lan_url else "")
            return HTMLResponse(html, headers={"Cache-Control": "no-store"})
        return show

    async def scan(request: Request) -> JSONResponse:
        said = await fields(request, "text", "mode", "staff", "station")
        answer = await asyncio.to_thread(hub.desk.scan, said["text"], said["mode"], said["staff"], said["station"])
        hub.changed()
        return JSONResponse(answer.json())

    async def walkin(request: Request) -> JSONResponse:
        said = await fields(request, "name", "unit", "title", "note")
        answer = await asyncio.to_thread(hub.desk.walkin, said["name"], said["unit"], said["title"], said["note"])
        hub.changed()
        return JSONResponse(answer.json())

    async def state(request: Request) -> JSONResponse:
        return JSONResponse(await asyncio.to_thread(hub.state))

    def events(request: Request) -> Response:
        """The board's state now and after each change (and its clock every HEARTBEAT seconds)."""
        return local.events(request, lambda: hub.changes, lambda: hub.state() | {"now": hub.now().strftime("%H:%M")},
                            lambda: hub.stopping, HEARTBEAT)

    routes = [Route("/", page("desk")), Route("/board", page("board")),
              Route("/api/scan", scan, methods=["POST"]), Route("/api/walkin", walkin, methods=["POST"]),
              Route("/api/state", state), Route("/api/events", events),
              Route("/static/site.css", lambda r: Response((layouts / "site/assets/site.css").read_bytes(),
                                                           media_type="text/css")),
              Mount("/static", StaticFiles(directory=STATIC))]
    middleware = [Middleware(Token, token=token)] if token else []
    refuse = {TooLarge: lambda r, e: PlainTextResponse("413 请求过大", status_code=413)}
    return Starlette(routes=routes, middleware=middleware, exception_handlers=refuse)


class TooLarge(Exception):
    pass


async def fields(request: Request, *names: str) -> dict[str, str]:
    """The JSON body's string fields, each cut to FIELD_MOST characters; missing or odd ones are empty. A body
    over BODY_MOST bytes is refused before it is all read."""
    data = b""
    async for chunk in request.stream():
        data += chunk
        if len(data) > BODY_MOST:
            raise TooLarge
    try:
        body = json.loads(data or b"{}")
    except ValueError:
        body = {}
    body = body if isinstance(body, dict) else {}
    return {n: str(body.get(n, ""))[:FIELD_MOST] if isinstance(body.get(n, ""), (str, int)) else "" for n in names}
