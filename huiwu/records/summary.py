"""summary.md: the 会后总结, a front-matter Markdown file read once per build."""

from __future__ import annotations

from .schema import Field

FILE = "summary.md"

SUMMARY: dict[str, Field] = {
    "date": Field("成文日期", "date", required=True),
    "title": Field("标题（默认：会议名称+会后总结；要自己定分行位置时写成列表）", "texts"),
    "author": Field("落款单位（默认：主办单位）", "text"),
}
