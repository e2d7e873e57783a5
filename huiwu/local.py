"""What the two small servers on this computer share, the check-in desk and the live preview: a port that
must be free before uvicorn tries it (it would stop in English), a browser opened only on a desktop, and a
stream of server-sent events that sends a state when it changes."""

from __future__ import annotations

import asyncio
import json
import os
import socket
import time
import webbrowser
from collections.abc import AsyncIterator, Callable
from typing import Any

from .problems import BuildFailed, Problems

TICK = 0.1  # seconds between a stream's looks at the state: a change is sent within it


def free(host: str, port: int, what: str, instead: str) -> None:
    """Refuse a port in use, naming what would have used it and the command with another port."""
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn binds: a just-closed port is free
        try:
            s.bind((host, port))
        except OSError:
            problems = Problems()
            problems.add(what, 0, f"端口 {port} 已被占用（可能{what}已在运行）。"
                                  f"请关闭占用的程序，或换一个端口：{instead}")
            raise BuildFailed(problems) from None


def open_browser(url: str) -> None:
    """Only on a desktop: without one, Python could start a text browser in the terminal's window."""
    if os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"):
        webbrowser.open(url)


def events(request: Any, changes: Callable[[], int], state: Callable[[], dict[str, Any]],
           stopping: Callable[[], bool] = lambda: False, heartbeat: float = 15.0) -> Any:
    """A text/event-stream response: `state()` (worked out in a thread) now, after each change of `changes()`,
    and every `heartbeat` seconds without one; until the page closes or the server stops."""
    from starlette.responses import StreamingResponse

    async def stream() -> AsyncIterator[str]:
        sent, told = -1, 0.0
        while not stopping() and not await request.is_disconnected():
            if changes() != sent or time.monotonic() - told > heartbeat:
                sent, told = changes(), time.monotonic()
                current = await asyncio.to_thread(state)
                yield f"data: {json.dumps(current, ensure_ascii=False)}\n\n"
            await asyncio.sleep(TICK)

    return StreamingResponse(stream(), media_type="text/event-stream",
                             headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"})
