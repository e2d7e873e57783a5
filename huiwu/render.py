"""HTML from layouts (Jinja2) and PDF from HTML (WeasyPrint), in one long-lived process.

WeasyPrint is imported once per build, lazily: a build with nothing to do never pays for it.
"""

from __future__ import annotations

import io
import logging
import os
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2

from .problems import BuildFailed, Problems


@dataclass
class Rendered:
    pdfs: list[bytes]  # one per HTML part
    pages: int
    warnings: list[str] = field(default_factory=list)


class Templates:
    """Jinja2 over layouts/: strict about undefined names, escaping everything."""

    def __init__(self, layouts: Path):
        self.layouts = layouts
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(layouts), undefined=jinja2.StrictUndefined,
            autoescape=True, trim_blocks=True, lstrip_blocks=True)

    def html(self, template: str, context: dict[str, Any], problems: Problems) -> str | None:
        try:
            return self.env.get_template(template).render(**context)
        except jinja2.TemplateSyntaxError as exc:
            problems.add(self.layouts / (exc.name or template), exc.lineno, f"模板语法错误：{exc.message}")
        except jinja2.TemplateError as exc:
            path, line = self._template_frame(exc, template)
            problems.add(path, line, f"模板错误：{exc}")
        return None

    def _template_frame(self, exc: Exception, template: str) -> tuple[Path, int]:
        frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename.endswith(".j2")]
        if frames:
            return Path(frames[-1].filename), frames[-1].lineno or 0
        return self.layouts / template, 0


class Engine:
    """One WeasyPrint set-up (fonts, fetcher) reused for every document of a build."""

    def __init__(self) -> None:
        try:
            import weasyprint
            from weasyprint.text import ffi
            from weasyprint.text.fonts import FontConfiguration
        except OSError as exc:  # Pango or HarfBuzz missing from the system
            _system_problem(f"无法加载排版库（{exc}）。请运行 make 安装系统依赖")
        if getattr(ffi, "harfbuzz_subset", None) is None:
            _system_problem("缺少 libharfbuzz-subset0：中文字体嵌入会慢十倍以上。请运行 make 安装系统依赖，"
                            "或执行 sudo apt-get install libharfbuzz-subset0")
        self.weasyprint = weasyprint
        self.font_config = FontConfiguration()
        self.fetcher = weasyprint.URLFetcher(allowed_protocols={"file", "data"}, fail_on_errors=True)

    def pdf(self, parts: list[str], base_url: Path) -> Rendered:
        """Render each HTML part (a copy, a chunk) to a PDF of its own."""
        warnings: list[str] = []
        handler = _Collect(warnings)
        logger = logging.getLogger("weasyprint")
        logger.addHandler(handler)
        try:
            docs = [self.weasyprint.HTML(string=p, base_url=str(base_url), url_fetcher=self.fetcher)
                    .render(font_config=self.font_config) for p in parts]
        finally:
            logger.removeHandler(handler)
        return Rendered([d.write_pdf() for d in docs], sum(len(d.pages) for d in docs), warnings)


def _system_problem(message: str) -> None:
    problems = Problems()
    problems.add("系统", 0, message)
    raise BuildFailed(problems)


def join(pdfs: list[bytes]) -> bytes:
    """One PDF of several; each part after the first starts on a fresh sheet when printed duplex."""
    if len(pdfs) == 1:
        return pdfs[0]
    from pypdf import PdfWriter

    writer = PdfWriter()
    for data in pdfs:
        writer.append(io.BytesIO(data))
        if len(writer.pages) % 2:
            box = writer.pages[-1].mediabox
            writer.add_blank_page(width=box.width, height=box.height)
    writer.compress_identical_objects()  # copies share their fonts: embed each once
    return pdf_bytes(writer)


def pdf_bytes(writer: Any) -> bytes:
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


class _Collect(logging.Handler):
    def __init__(self, sink: list[str]):
        super().__init__(logging.WARNING)
        self.sink = sink

    def emit(self, record: logging.LogRecord) -> None:
        self.sink.append(record.getMessage())


def write_atomic(path: Path, data: bytes) -> None:
    """Temp file + rename: an interrupted build never leaves half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_bytes(data)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
