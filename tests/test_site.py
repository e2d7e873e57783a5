"""The intranet site (output/site/): every link resolves from file:// and a sub-path, classified meetings
leave no trace, source text never becomes markup, and a build with nothing to do writes nothing."""

from __future__ import annotations

import csv
import functools
import http.server
import json
import os
import re
import shutil
import threading
import urllib.request
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest
from pypdf import PdfReader

from conftest import BARE, SAMPLE, TODAY, copy_project, new_project, run, write_meeting

SECRET = "ZQXMARK"  # in every field of a 秘密 meeting: must appear nowhere under output/site/
SECRET_NAME = "鞠鑫淼"  # an attendee of that meeting only
XSS = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>"]

INJECTED = f"""---
title: 注入{XSS[0]}测试会议
organizer: 青川市{XSS[1]}办公室
classification: 内部
site_publish: [签到表]
start: "2026-12-10 09:00"
venue: 青川市行政中心1号楼3楼{XSS[0]}第二会议室
checkin: {{time: "2026-12-10 08:30", place: 1号楼1楼大厅{XSS[1]}}}
contacts: [{{name: 孟凡{XSS[0]}, phone: "0718-88006123{XSS[1]}"}}]
agenda:
  - {{time: "9:00", item: 讲话{XSS[0]}, presenter: 市长{XSS[1]}}}
schedule:
  - {{day: "2026-12-10", time: "9:00", item: 全体会议{XSS[1]}, place: 3楼{XSS[0]}}}
---

正文{XSS[0]}一段。

二、**重点{XSS[1]}**事项<a href="javascript:alert(1)">点此</a>

{{议程}}
"""
INJECTED_PEOPLE = f"""姓名,单位,职务,类别,排序
张三,青川{XSS[0]}局,局长{XSS[1]},主席台,1
李四,青川{XSS[1]}局,副局长,出席,2
"""
CLASSIFIED = f"""---
title: 关于{SECRET}1的专题会议
organizer: 青川市{SECRET}2办公室
classification: 秘密
secrecy_term: 1年
copies: 2
start: "2026-12-11 09:00"
venue: 青川市行政中心1号楼3楼{SECRET}3会议室
contacts: [{{name: 孟凡, phone: "0718-{SECRET}4"}}]
agenda:
  - {{time: "9:00", item: {SECRET}5议题, presenter: 市长}}
materials:
  - {{title: {SECRET}6材料, classification: 秘密, recollect: true}}
---

{SECRET}7正文一段。
"""
CLASSIFIED_PEOPLE = f"姓名,单位,职务,类别,排序\n{SECRET_NAME},{SECRET}8局,局长,主席台,1\n"
VENUE = "rostrum: {rows: [3]}\nhall: {rows: 2, seats: 4, aisles: [2]}\n"


_BUILT: list[Path] = []


@pytest.fixture(scope="session")
def site_build(tmp_path_factory, sample_build) -> Path:
    return build_site(tmp_path_factory, sample_build)


def build_site(tmp_path_factory, sample_build: Path) -> Path:
    """The sample meeting, a 内部 meeting with markup in every field and a 秘密 meeting, built once
    for the static checks here and the browser checks in test_site_browser: a copy of the session
    sample build (so only the two small meetings are laid out) with the other two added."""
    if _BUILT:
        return _BUILT[0]
    root = copy_project(sample_build.parents[1], tmp_path_factory.mktemp("site"))
    write_meeting(root, "inj", INJECTED, INJECTED_PEOPLE)
    (root / "content" / "inj" / "venue.yaml").write_text(VENUE, encoding="utf-8")
    write_meeting(root, "zqx-secret", CLASSIFIED, CLASSIFIED_PEOPLE)
    (root / "content" / "zqx-secret" / "venue.yaml").write_text(VENUE, encoding="utf-8")
    result = run(root, "build", env={"HUIWU_TODAY": TODAY})
    assert result.returncode == 0, result.stderr
    assert "  站点  首页、搜索和 2 个会议页" in result.stdout
    _BUILT.append(root)
    return root


class Page(HTMLParser):
    """Every tag with its attributes, and the ids a fragment may point at."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.ids: set[str] = set()
        self.text: list[str] = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append((tag, a))
        if a.get("id"):
            self.ids.add(a["id"])

    def handle_data(self, data):
        self.text.append(data)

    def links(self) -> list[str]:
        return [v for _, a in self.tags for k, v in a.items() if k in ("href", "src", "action") and v]


def pages(site: Path) -> dict[Path, Page]:
    return {p: Page(p.read_text(encoding="utf-8")) for p in sorted(site.rglob("*.html"))}


def index_entries(site: Path) -> list[dict]:
    text = (site / "assets" / "search-index.js").read_text(encoding="utf-8")
    assert text.startswith("window.HUIWU_INDEX = ") and text.endswith(";\n")
    return json.loads(text[len("window.HUIWU_INDEX = "):-2])


def resolve(site: Path, page: Path, url: str, ids: dict[Path, set[str]]) -> str | None:
    """Why `url` on `page` does not resolve inside the site, or None when it does."""
    parts = urlsplit(url)
    if url == "data:,":  # the empty favicon: no request at all
        return None
    if parts.scheme or parts.netloc or parts.path.startswith("/"):
        return "not relative"
    target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
    if not target.is_relative_to(site.resolve()):
        return "outside the site"
    if not target.is_file():  # a folder link shows a listing from file://, not its index.html
        return "no such file"
    if parts.fragment and parts.fragment not in ids.get(target, set()):
        return f"no id {parts.fragment!r}"
    return None


def test_the_site_has_a_home_search_and_a_page_per_published_meeting(site_build):
    site = site_build / "output" / "site"
    for name in ("index.html", "search.html", "assets/site.css", "assets/search.js", "assets/seats.js",
                 "assets/search-index.js", f"{SAMPLE}/index.html", f"{SAMPLE}/seats.html", f"{SAMPLE}/{SAMPLE}.ics",
                 "inj/index.html", "inj/seats.html"):
        assert (site / name).is_file(), name
    for path, page in pages(site).items():
        assert page.tags[0] == ("html", {"lang": "zh-CN", "data-root": "" if path.parent == site else "../"})
        assert ("meta", {"charset": "utf-8"}) in page.tags
        assert ("meta", {"name": "viewport", "content": "width=device-width, initial-scale=1"}) in page.tags


def test_every_internal_link_and_asset_resolves(site_build):
    site = site_build / "output" / "site"
    found = pages(site)
    ids = {p: page.ids for p, page in found.items()}
    broken = [(p.relative_to(site), url, why) for p, page in found.items() for url in page.links()
              if (why := resolve(site, p, url, ids))]
    broken += [("search-index.js", e["u"], why) for e in index_entries(site)
               if (why := resolve(site, site / "index.html", e["u"], ids))]
    assert not broken
    assert sum(len(page.links()) for page in found.values()) > 80  # the checker saw the links


def test_link_checker_catches_a_broken_link(site_build, tmp_path):
    site = site_build / "output" / "site"
    ids = {site / "index.html": {"main"}}
    assert resolve(site, site / "index.html", "nowhere.html", ids) == "no such file"
    assert resolve(site, site / "index.html", "/index.html", ids) == "not relative"
    assert resolve(site, site / "index.html", f"{SAMPLE}/", ids) == "no such file"
    assert resolve(site, site / "index.html", "index.html#nothere", ids) == "no id 'nothere'"
    assert resolve(site, site / "index.html", "https://cdn.example/x.js", ids) == "not relative"


def test_nothing_is_fetched_from_outside(site_build):
    site = site_build / "output" / "site"
    for path in site.rglob("*"):
        if path.suffix in (".html", ".css", ".js"):
            text = path.read_text(encoding="utf-8").replace('xmlns="http://www.w3.org/2000/svg"', "")
            assert not re.search(r"https?:|//[a-z]|@import|@font-face|url\(", text), path


def test_a_classified_meeting_leaves_no_trace_on_the_site(site_build):
    site = site_build / "output" / "site"
    assert (site_build / "output" / "zqx-secret" / "notice.pdf").exists()  # its documents were made
    for path in site.rglob("*"):
        assert "zqx" not in str(path.relative_to(site))
        if path.is_file():
            data = path.read_bytes()
            for needle in (SECRET, SECRET_NAME, "zqx-secret"):
                assert needle.encode() not in data, (path, needle)
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "注入" in home  # the home page was searched, and lists the other meetings


def test_classified_material_copies_are_never_published(site_build):
    site = site_build / "output" / "site" / SAMPLE
    made = site_build / "output" / SAMPLE / "materials"
    assert any(made.rglob("*.pdf"))  # the sample has stamped 秘密 copies
    assert not (site / "files" / "materials").exists()
    published = {p.name for p in (site / "files").iterdir()}
    assert not any(p.name in published for p in made.rglob("*.pdf"))
    assert "涉密材料不在内网发布" in (site / "index.html").read_text(encoding="utf-8")


def test_downloads_list_the_attendees_documents_with_pages_and_size(site_build):
    out = site_build / "output" / SAMPLE
    site = site_build / "output" / "site" / SAMPLE
    offered = ["feedback-form.pdf", "followups.pdf", "handbook-a5.pdf", "handbook.pdf", "minutes.pdf", "notice.pdf"]
    assert sorted(p.name for p in (site / "files").iterdir()) == offered
    page = (site / "index.html").read_text(encoding="utf-8")
    for name in offered:
        pages_count = len(PdfReader(out / name).pages)
        assert re.search(rf'href="files/{re.escape(name)}" download>[^<]+</a> <span class="fname">{re.escape(name)}'
                         rf'</span></td><td class="num">{pages_count} 页</td><td class="num">[\d.]+ [KM]B</td>', page), name
    assert f'href="{SAMPLE}.ics"' in page
    assert "BEGIN:VEVENT" in (site / f"{SAMPLE}.ics").read_text(encoding="utf-8")


def test_working_forms_stay_off_the_site_and_the_page_says_so(site_build):
    out = site_build / "output" / SAMPLE
    page = Page((site_build / "output" / "site" / SAMPLE / "index.html").read_text(encoding="utf-8"))
    note = next(t for t in page.text if "供会务组工作使用" in t)
    kept = note[note.index("不在内网发布：") + 7:note.index("。")].split("、")
    for name, title in (("signin.pdf", "签到表"), ("vehicles.pdf", "车辆调度表"), ("badges.pdf", "证件"),
                        ("materials-register.pdf", "材料分发登记表"), ("recollection.pdf", "材料回收登记表")):
        assert (out / name).is_file() and title in kept, title
    assert "会议通知" not in kept and note.endswith("如需要，请与会务组联系。")


def test_a_meeting_may_publish_a_working_form_it_names(site_build):
    files = site_build / "output" / "site" / "inj" / "files"
    assert "signin.pdf" in {p.name for p in files.iterdir()}
    assert not (site_build / "output" / "site" / SAMPLE / "files" / "signin.pdf").exists()


def test_no_attendee_phone_number_is_anywhere_on_the_site(site_build):
    """Only the numbers meeting.md gives as the office's contacts and duty staff are published."""
    folder = site_build / "content" / SAMPLE
    phones = {row["电话"] for row in csv.DictReader((folder / "attendees.csv").read_text(encoding="utf-8-sig")
                                                   .splitlines()) if row["电话"]}
    phones -= set(re.findall(r"\d{11}", (folder / "meeting.md").read_text(encoding="utf-8")))
    assert len(phones) > 50
    site = site_build / "output" / "site"
    text = "".join(p.read_text(encoding="utf-8") for p in site.rglob("*") if p.suffix in (".html", ".js", ".ics"))
    text += "".join(page.extract_text() for p in site.rglob("*.pdf") for page in PdfReader(p).pages)
    assert "（共" in text or "通知" in text  # the PDFs were read
    assert sorted(phone for phone in phones if phone in text) == []


def test_the_notice_page_has_the_same_text_as_the_pdf(site_build):
    html = Page((site_build / "output" / "site" / SAMPLE / "index.html").read_text(encoding="utf-8"))
    text = "".join(html.text)
    body = text[text.index("各区（县）人民政府"):text.index("以上为通知正文")]
    pdf = PdfReader(site_build / "output" / SAMPLE / "notice.pdf")
    printed = "".join(p.extract_text() for p in pdf.pages)
    squash = functools.partial(re.sub, r"\s+", "")
    assert len(squash(body)) > 1000
    for line in body.split("\n"):
        assert squash(line) in squash(printed), line


def test_source_markup_never_reaches_the_site_as_markup(site_build):
    site = site_build / "output" / "site"
    allowed = {"assets/search-index.js", "assets/search.js", "../assets/seats.js"}
    for path, page in pages(site).items():
        for tag, attrs in page.tags:
            assert tag not in ("img", "iframe", "object", "embed"), (path, tag)
            assert tag != "script" or attrs.get("src") in allowed, (path, attrs)
            assert not [k for k in attrs if k.startswith("on")], (path, tag, attrs)
            assert not any(str(v).lower().startswith("javascript:") for v in attrs.values()), (path, attrs)
    meeting = (site / "inj" / "index.html").read_text(encoding="utf-8")
    seats = (site / "inj" / "seats.html").read_text(encoding="utf-8")
    for text in ("注入&lt;script&gt;alert(1)&lt;/script&gt;测试会议", "青川市&lt;img src=x onerror=alert(1)&gt;办公室",
                 "3楼&lt;script&gt;", "大厅&lt;img", "孟凡&lt;script&gt;", "讲话&lt;script&gt;", "市长&lt;img",
                 "全体会议&lt;img", "正文&lt;script&gt;alert(1)&lt;/script&gt;一段",
                 "<strong>重点&lt;img src=x onerror=alert(1)&gt;</strong>", "&lt;a href=\"javascript:alert(1)\"&gt;"):
        assert text in meeting, text  # each field made it to the page, as text
    assert "青川&lt;script&gt;alert(1)&lt;/script&gt;局局长&lt;img" in seats
    assert "<script>" not in (site / "assets" / "search-index.js").read_text(encoding="utf-8")


def test_the_internal_marker_is_shown_and_upcoming_meetings_come_first(site_build):
    home = Page((site_build / "output" / "site" / "index.html").read_text(encoding="utf-8"))
    text = "".join(home.text)
    assert text.index("近期会议") < text.index("2026年全市经济工作会议") < text.index("注入")  # 12-08, then 12-10
    assert "往期会议" not in text
    inj = Page((site_build / "output" / "site" / "inj" / "index.html").read_text(encoding="utf-8"))
    assert "内部" in "".join(inj.text)
    assert "内部" not in "".join(Page((site_build / "output" / "site" / SAMPLE / "index.html")
                                     .read_text(encoding="utf-8")).text).split("本站内容")[0]


def test_past_meetings_move_under_their_year_on_a_later_day(site_build, tmp_path, monkeypatch):
    from huiwu import pipeline

    root = tmp_path / "copy"
    shutil.copytree(site_build / "content", root / "content")
    shutil.copytree(site_build / "output", root / "output")
    (root / "layouts").symlink_to(site_build / "layouts")
    lines: list[str] = []
    monkeypatch.setenv("HUIWU_TODAY", "2026-12-09")
    pipeline.assemble_site(pipeline.Project(root), lines.append)
    html = (root / "output" / "site" / "index.html").read_text(encoding="utf-8")
    assert html.index('id="upcoming"') < html.index("注入") < html.index('id="past"') < html.index('id="year-2026"')
    assert html.index('id="year-2026"') < html.index("2026年全市经济工作会议")
    assert len(lines) == 1 and lines[0].startswith("  站点  首页、搜索和 2 个会议页")
    pipeline.assemble_site(pipeline.Project(root), lines.append)
    assert len(lines) == 1  # the same day again: nothing to write


def test_pinyin_keys_know_surnames():
    from huiwu.site.search import name_keys

    assert name_keys("张三")[:2] == ["zs", "zhangsan"]
    assert "zqh" in name_keys("曾庆华") and "zengqinghua" in name_keys("曾庆华")
    assert name_keys("欧阳振宇")[0] == "oyzy"
    assert name_keys("上官婉清")[0] == "sgwq"
    assert name_keys("单雄")[0] == "sx" and name_keys("解放")[0] == "xf" and name_keys("覃海涛")[0] == "qht"


def test_the_table_of_readings_is_what_pypinyin_reads():
    """huiwu/data/pinyin.tsv (tools/build_pinyin.py) holds, for each character of the stroke table, the reading
    pypinyin gives it: a name keyed from the table is keyed as pypinyin would key it."""
    from pypinyin import lazy_pinyin

    from huiwu.site import search
    from huiwu.strokes import DATA_FILE

    table = search._table()
    first = {line.split("\t", 1)[0] for line in DATA_FILE.read_text(encoding="utf-8").splitlines()}
    assert set(table) == {ch for ch in first if len(ch) == 1 and ch != "#"}  # every character a name may have
    assert len(table) > 7000 and "璇" in table and "偉" not in table
    assert {ch: "".join(s.lower() for s in lazy_pinyin(ch, errors="ignore")) for ch in table} == table
    assert search._reading("偉") == "wei"  # outside the table: pypinyin's reading


def test_seat_finder_lists_every_seated_person_with_keys(site_build):
    seats = Page((site_build / "output" / "site" / SAMPLE / "seats.html").read_text(encoding="utf-8"))
    rows = {a["data-name"]: a for tag, a in seats.tags if tag == "tr" and "data-name" in a}
    assert len(rows) > 60
    assert rows["曾庆华"]["data-keys"].split()[0] == "zqh"
    assert re.fullmatch(r"(主席台|会场)第\d+排第\d+座", rows["王芳"]["data-where"])
    assert rows["王芳"]["data-seat"] in seats.ids
    assert rows["周卫东"]["data-where"] == "主席台第1排第3座"  # 6 on 7 seats (韩立新 on leave), variant A: 5 3 1 2 4 6


def test_the_site_works_from_a_sub_path(site_build):
    """Served from http://host/site/ (not the server root): every link of every page answers."""
    handler = functools.partial(Quiet, directory=str(site_build / "output"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}/site/"
        todo, seen = [base + "index.html"], set()
        while todo:
            url = todo.pop()
            if url in seen:
                continue
            seen.add(url)
            with urllib.request.urlopen(url, timeout=10) as response:
                assert response.status == 200, url
                body = response.read()
            if url.endswith(".html"):
                links = [link for link in Page(body.decode()).links() if link != "data:,"]
                todo += [urljoin(url, link).split("#")[0] for link in links]
                assert all(urljoin(url, link).startswith(base) for link in links), url
        assert len(seen) > 20 and any(u.endswith("seats.html") for u in seen)
    finally:
        server.shutdown()
        server.server_close()


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


def site_files(root: Path) -> dict[Path, int]:
    return {p: p.stat().st_mtime_ns for p in (root / "output" / "site").rglob("*") if p.is_file()}


def test_the_site_follows_the_meetings_and_a_build_with_nothing_to_do_writes_nothing(tmp_path):
    root = new_project(tmp_path, sample=False)
    write_meeting(root, "a", BARE.replace("测试会议", "甲会议"))
    write_meeting(root, "b", BARE.replace("测试会议", "乙会议").replace("2026-12-08", "2026-12-09"))
    first = run(root, "build")
    assert first.returncode == 0, first.stderr
    assert "  站点  首页、搜索和 2 个会议页" in first.stdout
    home = root / "output" / "site" / "index.html"
    assert "甲会议" in home.read_text(encoding="utf-8") and "乙会议" in home.read_text(encoding="utf-8")
    before = site_files(root)

    second = run(root, "build")
    assert second.stdout.strip() == "无需更新：2 个会议的文档都是最新的。"
    assert site_files(root) == before

    shutil.rmtree(root / "output" / "site")  # a fresh copy of the site folder, PDFs untouched
    again = run(root, "build")
    assert again.returncode == 0, again.stderr
    assert "  站点  首页、搜索和 2 个会议页" in again.stdout and "会议通知" not in again.stdout
    assert set(site_files(root)) == set(before)

    b = root / "content" / "b" / "meeting.md"
    b.write_text(b.read_text(encoding="utf-8").replace("venue:", "classification: 秘密\ncopies: 1\nvenue:"),
                 encoding="utf-8")
    secret = run(root, "build")
    assert secret.returncode == 0, secret.stderr
    assert not (root / "output" / "site" / "b").exists()
    assert "乙会议" not in home.read_text(encoding="utf-8")
    assert "乙会议" not in (root / "output" / "site" / "assets" / "search-index.js").read_text(encoding="utf-8")

    shutil.rmtree(root / "content" / "a")
    gone = run(root, "build")
    assert gone.returncode == 0, gone.stderr
    assert not (root / "output" / "site" / "a").exists() and "甲会议" not in home.read_text(encoding="utf-8")
    assert "暂无即将召开的会议" in home.read_text(encoding="utf-8")


def test_the_meetings_calendar_file_carries_the_reminder_alarm(sample_build):
    from datetime import timedelta

    from icalendar import Calendar

    site = sample_build.parent / "site"
    (event,) = Calendar.from_ical((site / SAMPLE / f"{SAMPLE}.ics").read_bytes()).walk("VEVENT")
    assert int(event["SEQUENCE"]) == 0  # first built: the first revision
    (alarm,) = event.walk("VALARM")
    assert str(alarm["ACTION"]) == "DISPLAY"
    assert alarm["TRIGGER"].dt == timedelta(minutes=-60)  # the sample's reminders.before
    assert "将于1小时后开始" in str(alarm["DESCRIPTION"])


def test_an_edited_document_is_published_in_place_of_the_last_and_the_stamp_not_read_again(tmp_path, sample_build):
    """A document an edit changed: the site's copy is the new file (a link to it), put in place of the last one with
    nothing left beside it; publishing takes the meeting's stamp as the build wrote it, not read back from disk."""
    from conftest import TODAY, copy_project, printed, run_changed

    root = copy_project(sample_build.parents[1], tmp_path)
    env = {"HUIWU_TODAY": TODAY, "TZ": "UTC"}
    notice = root / "content" / SAMPLE / "meeting.md"
    notice.write_text(notice.read_text(encoding="utf-8").replace("青川市行政中心1号楼3楼第一会议室",
                                                                  "青川市行政中心2号楼5楼第二会议室"), encoding="utf-8")
    probe = ("import atexit, traceback, huiwu.freshness as f; reads = []; read = f.read_stamp; "
             "f.read_stamp = lambda out: reads.append([frame.name for frame in traceback.extract_stack()][-2]) "
             "or read(out); atexit.register(lambda: print('读取', sorted(reads)))")
    result = run_changed(root, probe, "build", env=env)
    assert result.returncode == 0, result.stderr
    reads = printed(result, "读取")
    assert reads and "publish" not in reads, reads  # the build's own looks at what it made, not publishing's
    files = root / "output" / "site" / SAMPLE / "files"
    published = files / "notice.pdf"
    assert os.path.samefile(published, root / "output" / SAMPLE / "notice.pdf")
    assert "第二会议室" in "".join(page.extract_text() for page in PdfReader(published).pages).replace(" ", "")
    assert [p.name for p in files.iterdir() if p.name.startswith(".")] == []
