"""The intranet site (output/site/): a home page, one page per published meeting with its downloads,
a seat finder and a search over all meetings.

Static files with relative links only, so the folder works from a web server, a sub-path, a file share
or a USB stick (file://), without internet. Meetings at 秘密/机密/绝密 are not published at all;
of the others the site offers what attendees need (kinds.ATTENDEES) and the working forms the setting
`site_publish` names; 涉密 material copies are never published, whatever the meeting's level.

`publish` writes one meeting's pages when the pipeline writes the meeting, and leaves a record
(home-page card, search entries) under output/.cache/site/; `assemble` then rebuilds the home page,
the search page and the search index from all records, dropping meetings that no longer exist.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import quote

from markupsafe import Markup

from .. import chinese, freshness, kinds
from ..documents import notice
from ..layout.measure import title_lines
from ..problems import BuildFailed, Problems
from ..project import Project
from ..records import Meeting
from ..records.meeting import build_date
from ..render import Templates, replace_with, temporary, write_atomic
from . import search, seatfinder

Loader = Callable[[list[Path]], list[Meeting]]  # meeting folders → their checked records

ASSETS = ("site.css", "search.js", "seats.js")
INDEX_JS = "search-index.js"
SAFE_TAGS = {"strong", "span"}


def _ignore(line: int, message: str, path: Path | None = None) -> None:
    """Sources were checked before anything was written: nothing left to report."""


# -- where things go --

def site_dir(project: Project) -> Path:
    return project.output / "site"


def records_dir(project: Project) -> Path:
    return project.output / ".cache" / "site"


def code_digest(project: Project) -> str:
    """The site's own inputs (its layouts and code): a change rebuilds every page."""
    h = hashlib.sha256()
    for path in sorted((project.layouts / "site").rglob("*")):
        if path.is_file():
            h.update(path.name.encode() + b"\0" + path.read_bytes())
    for module in sorted(Path(__file__).parent.glob("*.py")):
        h.update(module.read_bytes())
    return h.hexdigest()


class Writer:
    """Writes files under the site folder, leaving a file untouched when its bytes are the same."""

    def __init__(self) -> None:
        self.count = 0
        self.kept: set[Path] = set()

    def put(self, path: Path, data: bytes) -> None:
        self.kept.add(path)
        if path.is_file() and path.read_bytes() == data:
            return
        write_atomic(path, data)
        self.count += 1

    def link(self, source: Path, path: Path) -> None:
        """The published copy of an output file: a hard link where the disk allows, else a copy, put in place of
        the last one as write_atomic puts a file (render.replace_with: the old one let go in the background — its
        blocks freed there, often the last link of an output written over: 3 ms for an 8 MB file)."""
        self.kept.add(path)
        if path.exists() and os.path.samefile(source, path):
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = temporary(path)
        tmp.unlink(missing_ok=True)
        try:
            try:
                os.link(source, tmp)
            except OSError:
                shutil.copyfile(source, tmp)
            replace_with(tmp, path)
        finally:
            tmp.unlink(missing_ok=True)  # not there once put in place
        self.count += 1

    def prune(self, folder: Path) -> None:
        """Remove files under `folder` this writer did not put there (documents no longer made)."""
        for path in sorted(folder.rglob("*"), reverse=True) if folder.is_dir() else []:
            if path.is_file() and path not in self.kept:
                path.unlink()
            elif path.is_dir() and not any(path.iterdir()):
                path.rmdir()


# -- one meeting --

@dataclass
class Page:
    """What every page template gets besides its own data."""

    root: str  # the site root relative to the page: "" or "../"
    title: str


def ahead(project: Project, m: Meeting, into: dict[str, Any]) -> None:
    """What the meeting's pages show that no document of it changes, made `into` ahead of publish (the build does it
    while its workers render): the overview, the notice, the calendar file, the pages of the seat finder (2,000
    seats: 40 ms to work out, 30 ms to lay out), the 纪要 and the 督办."""
    templates = site_templates(project.layouts / "site")
    info, pages = overview(m), extra_pages(m)
    seat = seatfinder.context(m.seat_plan) if m.seat_plan is not None and m.seat_plan.taken else None
    laid = {f"{m.id}.ics": calendar(m)}
    if seat is not None:
        laid["seats.html"] = render(templates, "seats.html.j2",
                                    {"page": Page("../", f"{m.title}座位查询"), "m": info, **seat})
    laid |= {page["file"]: render(templates, "document.html.j2", {"page": Page("../", page["title"]), "m": info,
                                                                  "doc": page}) for page in pages}
    into |= {"info": info, "notice": notice_context(m), "pages": pages, "laid": laid}


def publish(project: Project, m: Meeting, made: dict[str, Any] | None = None, stamp: dict | None = None) -> int:
    """Write (or withdraw) one meeting's pages; the number of files written. `made`: as `ahead` made it; `stamp`:
    the meeting's stamp, as the build just wrote it (else read: 1,500 numbered copies' names, 10 ms to parse)."""
    out = site_dir(project) / m.id
    stamp = stamp if stamp is not None else freshness.read_stamp(project.output / m.id)
    record: dict[str, Any] = {"id": m.id, "digest": stamp.get("digest"), "site": code_digest(project),
                              "published": not m.secret}
    writer = Writer()
    if m.secret:  # not a page, not a file, not a word of it in the index or on the home page
        shutil.rmtree(out, ignore_errors=True)
    else:
        templates = site_templates(project.layouts / "site")
        files, kept = downloads(project, m, stamp, out, writer, _read_record(project, m.id).get("counts", {}))
        made = made if made else {}
        if "laid" not in made:
            ahead(project, m, made)
        info, text, pages = made["info"], made["notice"], made["pages"]
        context = {"page": Page("../", m.title), "m": info, "notice": text, "files": files,
                   "ics": quote(f"{m.id}.ics"), "ics_name": f"{m.id}.ics", "withheld": withheld_note(m, kept),
                   "pages": pages, "seats": "seats.html" in made["laid"]}
        writer.put(out / "index.html", render(templates, "meeting.html.j2", context))
        for name, html in made["laid"].items():
            writer.put(out / name, html)
        writer.prune(out)
        record |= {"card": card(m), "entries": entries(m, info, text["text"], pages),
                   "counts": {f["name"]: f["count"] for f in files}}
    path = records_dir(project) / f"{m.id}.json"
    Writer().put(path, json.dumps(record, ensure_ascii=False, sort_keys=True).encode())
    return writer.count


@functools.cache
def site_templates(folder: Path) -> Templates:
    """One Jinja2 environment per build process: templates are compiled once, not once per meeting."""
    return Templates(folder)


def render(templates: Templates, name: str, context: dict[str, Any]) -> bytes:
    problems = Problems()
    html = templates.html(name, context, problems)
    if html is None:
        raise BuildFailed(problems)
    return html.encode()


def marker(m: Meeting) -> str:
    return "内部" if m.classification == "内部" else ""


def overview(m: Meeting) -> dict[str, Any]:
    checkin = m.checkin or {}
    return {
        "id": m.id, "title": m.title, "organizer": m.organizer, "marker": marker(m),
        "when": chinese.date_line(m.start, m.end, m.clock), "venue": m.venue,
        "checkin": f"{chinese.cn_datetime(checkin['time'], m.clock)}，{checkin['place']}" if checkin else "",
        "contacts": [f"{c['name']}　{c['phone']}" for c in m.contacts or []],
        "agenda": [{"time": a.get("time") or "", "item": a["item"], "presenter": a.get("presenter") or ""}
                   for a in m.agenda or []],
        "schedule": [{"day": chinese.cn_date(s["day"]) if isinstance(s.get("day"), date) else s.get("day") or "",
                      "time": s.get("time") or "", "item": s.get("item") or "", "place": s.get("place") or ""}
                     for s in m.schedule or []],
    }


def card(m: Meeting) -> dict[str, Any]:
    """The meeting on the home page."""
    end = m.end if m.end and m.end > m.start else m.start
    return {"url": f"{quote(m.id)}/index.html", "title": m.title, "when": chinese.date_line(m.start, m.end, m.clock),
            "start": m.start.isoformat(), "last_day": end.date().isoformat(), "venue": m.venue,
            "organizer": m.organizer, "marker": marker(m)}


def safe(html: str) -> Markup:
    """Body HTML as the notice PDF prints it, cleaned of anything but emphasis and heading spans."""
    import nh3

    return Markup(nh3.clean(html, tags=SAFE_TAGS, attributes={"span": {"class"}}))


def notice_context(m: Meeting) -> dict[str, Any]:
    blocks = notice.body(m, _ignore)
    return {"title": m.notice_title or title_lines(f"关于召开{m.title}的通知"),
            "doc_number": m.doc_number or "", "recipients": "，".join(m.recipients or []),
            "blocks": [{"level": b.level, "html": safe(str(b.html))} for b in blocks],
            "text": "\n".join(b.lead + b.rest for b in blocks),
            "organizer": m.organizer, "signed": chinese.cn_date(m.issued_on)}


def extra_pages(m: Meeting) -> list[dict[str, Any]]:
    """The documents the registry also makes site pages of (纪要, 督办), once the meeting has them."""
    return [page(kind, doc) for kind in kinds.KINDS
            if kind.page and kind.context and kinds.on_site(kind, m) and not kind.skip(m)
            for doc in kind.context(m, _ignore)]


def page(kind: kinds.Kind, doc: dict[str, Any]) -> dict[str, Any]:
    """A document's context as a web page: a form's tables, or a text's blocks and name lists."""
    assert kind.page is not None
    file, label = kind.page
    if "tables" in doc:  # a form (layout/forms.py)
        return {"file": file, "label": label, "title": doc["title"],
                "lead": [doc["subtitle"], *doc["lead"]], "blocks": [], "lists": [], "tables": doc["tables"],
                "text": " ".join(c.get("text", "") for t in doc["tables"] for r in t["rows"]
                                 for c in (r if isinstance(r, list) else []))}
    blocks = doc["blocks"]
    return {"file": file, "label": label, "title": doc["title"],
            "lead": ["　".join((doc["issue"], doc["editor"], doc["dated"]))],
            "blocks": [{"level": b.level, "html": safe(str(b.html))} for b in blocks],
            "lists": doc.get("rosters", []), "tables": [], "text": "\n".join(b.lead + b.rest for b in blocks)}


def withheld_note(m: Meeting, kept: list[str]) -> list[str]:
    """What the meeting page says of the documents it does not offer, and why."""
    lines = []
    if kept:
        lines.append(f"以下文档供会务组工作使用（部分含参会人员联系方式），不在内网发布：{'、'.join(kept)}。"
                     "如需要，请与会务组联系。")
    if any(x.get("classification") in ("秘密", "机密", "绝密") for x in m.materials or []):
        lines.append("本会议的涉密材料不在内网发布，请按规定登记领取。")
    return lines


def downloads(project: Project, m: Meeting, stamp: dict, out: Path, writer: Writer,
              counted: dict[str, list]) -> tuple[list[dict[str, Any]], list[str]]:
    """The PDFs the meeting wrote that the site offers (from its stamp, so new kinds appear by themselves),
    copied into files/ so the folder can be copied whole, and the titles of those it keeps off: working
    forms unless `site_publish` names them, never the 涉密 material copies. `counted`: page counts from
    the last time, by file name, with the size and modification time they were counted at."""

    outputs = stamp.get("outputs", [])
    made_by = stamp.get("kinds", {})
    titles: dict[str, str] = {}
    kept: list[str] = []
    for kind in kinds.KINDS:
        made = made_by.get(kind.key, {}).get("files") or ([kind.output] if kind.output in outputs else [])
        for name in made:
            titles[name] = kind.title if kinds.on_site(kind, m) else ""
        if made and kind.site == kinds.OFFICE and not kinds.on_site(kind, m):
            kept.append(kind.title)
    order = {name: i for i, name in enumerate(titles)}
    listed = []
    for name in sorted((n for n in outputs if n.endswith(".pdf")), key=lambda n: (order.get(n, len(order)), n)):
        if "/" in name or not titles.get(name):  # material copies live in materials/: never published
            continue
        listed.append(download(project, m, name, out, writer, counted, titles))
    return listed, kept


def download(project: Project, m: Meeting, name: str, out: Path, writer: Writer, counted: dict[str, list],
             titles: dict[str, str]) -> dict[str, Any]:
    source = project.output / m.id / name
    writer.link(source, out / "files" / name)
    title = titles[name]
    if sum(1 for t in titles.values() if t == title) > 1:
        title = f"{title}（{name}）"
    st = source.stat()
    count = counted.get(name)
    if not count or count[1:] != [st.st_size, st.st_mtime_ns]:
        count = [page_count(source), st.st_size, st.st_mtime_ns]
    return {"title": title, "url": f"files/{quote(name)}", "name": name, "count": count,
            "pages": count[0], "size": size_text(st.st_size)}


def page_count(path: Path) -> int:
    """The page tree's own count (qpdf reads no more of the file than that)."""
    import pikepdf

    with pikepdf.open(path) as pdf:
        return len(pdf.pages)


def size_text(size: int) -> str:
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))} KB"
    return f"{size / 1024 / 1024:.1f} MB"


def calendar(m: Meeting) -> bytes:
    """The meeting as one calendar event with its reminder alarm, to add to Outlook or a phone."""
    from ..layout import calendar as ics

    return ics.calendar([ics.event(m, f"{m.id}@huiwu", m.title)])


def entries(m: Meeting, info: dict[str, Any], notice_text: str, pages: list[dict[str, Any]]) -> list[dict[str, str]]:
    """The meeting's searchable text, section by section, with URLs relative to the site root."""
    base = f"{quote(m.id)}/"
    facts = [info["title"], info["organizer"], info["when"], info["venue"], info["checkin"], *info["contacts"]]
    agenda = [f"{a['time']} {a['item']} {a['presenter']}" for a in info["agenda"]]
    agenda += [f"{s['day']} {s['time']} {s['item']} {s['place']}" for s in info["schedule"]]
    found = [search.entry(f"{base}index.html", m.title, "概况", " ".join(facts)),
             search.entry(f"{base}index.html#notice", m.title, "会议通知", notice_text)]
    if agenda:
        found.append(search.entry(f"{base}index.html#agenda", m.title, "议程", " ".join(agenda)))
    found += [search.entry(base + p["file"], m.title, p["label"], p["text"]) for p in pages]
    return found


# -- the whole site --

def assemble(project: Project, echo: Callable[[str], None], count: int, load: Loader) -> int:
    """Home page, search page, search index and assets from every meeting's record; pages of meetings
    that were deleted, or whose pages are missing or out of date, are dealt with first. `count`: site files
    this build wrote so far; returns the count with what this wrote."""
    code = code_digest(project)
    names = [f.name for f in project.meeting_dirs()]
    records = _records(project)
    for gone in set(records) - set(names):  # the folder was deleted or renamed: its pages go too
        shutil.rmtree(site_dir(project) / gone, ignore_errors=True)
        (records_dir(project) / f"{gone}.json").unlink(missing_ok=True)
        del records[gone]
    lacking = [n for n in names if _lacking(project, records.get(n), code)]
    if lacking:
        for m in load([project.content / n for n in lacking]):
            count += publish(project, m)
        records = _records(project)
    published = sorted((r for r in records.values() if r.get("published")), key=lambda r: r["card"]["start"])
    today = build_date().isoformat()
    upcoming = [r["card"] for r in published if r["card"]["last_day"] >= today]
    past = [r["card"] for r in reversed(published) if r["card"]["last_day"] < today]
    state = hashlib.sha256(json.dumps([code, published, upcoming], sort_keys=True).encode()).hexdigest()
    state_file = records_dir(project) / "state"
    root = site_dir(project)
    writer = Writer()
    if _read(state_file) != state or not (root / "index.html").is_file():
        write_home(project, writer, upcoming, past)
        writer.put(root / "assets" / INDEX_JS, search.index_js([e for r in published for e in r["entries"]]))
        for asset in ASSETS:
            writer.put(root / "assets" / asset, (project.layouts / "site" / "assets" / asset).read_bytes())
        Writer().put(state_file, state.encode())
    count += writer.count
    if count:
        echo(f"  站点  首页、搜索和 {len(published)} 个会议页（写出 {count} 个文件）  output/site/index.html")
    return count


def write_home(project: Project, writer: Writer, upcoming: list[dict], past: list[dict]) -> None:
    templates = site_templates(project.layouts / "site")
    years: dict[str, list[dict]] = {}
    for c in past:
        years.setdefault(c["start"][:4], []).append(c)
    root = site_dir(project)
    writer.put(root / "index.html", render(templates, "home.html.j2", {
        "page": Page("", "会议信息"), "upcoming": upcoming, "years": list(years.items())}))
    writer.put(root / "search.html", render(templates, "search.html.j2", {"page": Page("", "搜索")}))


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        return ""


def _read_record(project: Project, meeting_id: str) -> dict[str, Any]:
    try:
        return json.loads((records_dir(project) / f"{meeting_id}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _records(project: Project) -> dict[str, dict[str, Any]]:
    out = {}
    for path in sorted(records_dir(project).glob("*.json")):
        try:
            out[path.stem] = json.loads(path.read_text(encoding="utf-8"))
        except ValueError:
            continue
    return out


def _lacking(project: Project, record: dict[str, Any] | None, code: str) -> bool:
    """A meeting whose site pages are missing or older than its documents or the site's code."""
    if record is None or record.get("site") != code:
        return True
    out = project.output / record["id"]
    if record.get("digest") != freshness.read_stamp(out).get("digest"):
        return True
    return bool(record.get("published")) and not (site_dir(project) / record["id"] / "index.html").is_file()


def serve(folder: str, port: int) -> None:
    """`make serve`: the site on this computer only, quietly, until Ctrl+C."""
    import functools
    import http.server

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

    if not (Path(folder) / "index.html").is_file():
        raise SystemExit(f"没有找到站点：{folder}/index.html。请先运行 make 生成。")
    try:
        server = http.server.ThreadingHTTPServer(("127.0.0.1", port), functools.partial(Quiet, directory=folder))
    except OSError as exc:
        raise SystemExit(f"无法使用端口 {port}（{exc.strerror}）：可能已有预览在运行；"
                         "可换一个端口：make serve SERVE_PORT=8001") from None
    print(f"站点预览：请用浏览器打开 http://127.0.0.1:{port}/ （只有本机能访问；按 Ctrl+C 停止）", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        print("已停止预览。")
    finally:
        server.server_close()
