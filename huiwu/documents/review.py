"""会议方案送审件 (plan-review.pdf): what goes to the leadership for 审定 ("须报经相关领导审定") in one file to
print: the 会议方案 (送审稿, with its 审签 block), then each 附件 behind a page of its own that names it — the
seat map and the notice as drafted. Made from the written files, so it is laid out after them; no longer made
once the plan is `approved`."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from ..files import read_output
from ..joining import First, cut_ahead, join
from ..layout.facts import plan_attachments, plan_reason
from ..problems import Fail
from ..records import Meeting
from ..render import Stash

PLAN = "plan.pdf"


def skip(m: Meeting) -> str | None:
    if m.approved:
        return "会议方案已审定（approved: true），不再需要送审件"
    return plan_reason(m)


def attached(m: Meeting) -> list[tuple[str, str, int | None]]:
    """The attachments whose files this build wrote."""
    return [a for a in plan_attachments(m) if any(o.file == a[0] for o in m.outputs)]


def context(m: Meeting, fail: Fail) -> list[dict[str, Any]]:
    return [{"title": f"{m.title}方案（送审件）附件{n}", "label": f"附件{n}", "name": name}
            for n, (_, name, _) in enumerate(attached(m), start=1)]


def finish(m: Meeting, pdfs: list[bytes], stash: Stash) -> list[tuple[str, bytes]]:
    """The plan, then each separator page and its attachment; each part starts on a fresh sheet."""
    assert m.output_dir is not None
    if not any(o.file == PLAN for o in m.outputs):  # `--only review` before the plan was ever made
        return []
    parts = [read_output(m.output_dir / PLAN)]
    for page, (file, _, pages) in zip(pdfs, attached(m), strict=True):
        parts += [page, first_pages(read_output(m.output_dir / file), pages)]
    return [("plan-review.pdf", join(parts, duplex=True))]


def first_pages(pdf: bytes, pages: int | None) -> bytes:
    """The PDF's first `pages` pages (None: all of it), as the join takes them."""
    return pdf if pages is None else First.of(pdf, pages)


def prepares(m: Meeting, name: str, data: bytes) -> Callable[[], None] | None:
    """For an attachment this build writes anew (the seat map after a name edit): the pages of it that are
    attached, cut for the join while the workers still render — the 送审件 is joined after every other document,
    when the build has nothing else to wait on (a 2,000-person seat map's first page: 60 ms)."""
    for file, _, pages in plan_attachments(m):
        if file == name:
            return functools.partial(cut_ahead, first_pages(data, pages))
    return None
