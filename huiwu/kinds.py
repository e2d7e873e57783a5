"""The registry of document kinds: adding a document touches this list,
its context module, its template in layouts/ and its test."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from . import notice, signin
from .model import Meeting

Context = Callable[[Meeting, Callable[[int, str], None]], list[dict[str, Any]]]


def _always(m: Meeting) -> str | None:
    return None


@dataclass(frozen=True)
class Kind:
    key: str
    title: str  # what staff call it
    output: str  # file name under output/<meeting>/
    template: str  # file in layouts/
    context: Context
    skip: Callable[[Meeting], str | None] = _always  # why a meeting gets no such document


KINDS: tuple[Kind, ...] = (
    Kind("notice", "会议通知", "notice.pdf", "notice.html.j2", notice.context),
    Kind("signin", "签到表", "signin.pdf", "signin.html.j2", signin.context, signin.skip),
)
