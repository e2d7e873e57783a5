"""Part HTML kept between builds (huiwu/laid.py)."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

from huiwu.laid import Laid
from huiwu.problems import Problems
from huiwu.render import Templates


class Counted(Templates):
    def __init__(self, layouts: Path):
        super().__init__(layouts)
        self.laid_out = 0

    def html(self, template, context, problems):
        self.laid_out += 1
        return super().html(template, context, problems)


def layouts(tmp_path: Path) -> Counted:
    folder = tmp_path / "layouts"
    folder.mkdir()
    (folder / "title.html.j2").write_text("<p>{{ meeting.title }}：{{ doc.name }}</p>", encoding="utf-8")
    (folder / "count.html.j2").write_text("<p>共 {{ meeting.people|length }} 人：{{ doc.name }}</p>", encoding="utf-8")
    (folder / "wrong.html.j2").write_text("<p>{{ meeting.nothing }}</p>", encoding="utf-8")
    return Counted(folder)


def test_a_part_made_from_the_same_doc_and_meeting_values_is_taken_as_kept(tmp_path):
    """Laid out again only when what it is made from changed: its doc, the build values, the build date of a dated
    kind, the inputs (code, layouts, sources), or an attribute of the meeting its layout read — not another one."""
    templates = layouts(tmp_path)
    meeting = SimpleNamespace(title="全市经济工作会议", people=["张三", "李四"], venue="第一会议室")
    doc, build = {"name": "张三"}, {"created": "2026-12-04"}

    def html(template="title.html.j2", inputs="v1", **changed):
        laid = Laid(tmp_path / "laid", inputs)
        context = {"meeting": meeting, "doc": changed.get("doc", doc), "build": changed.get("build", build)}
        made = laid.html(templates, "signin", template, context, Problems(), changed.get("dated", ""))
        laid.prune()
        return made

    assert html() == "<p>全市经济工作会议：张三</p>" and templates.laid_out == 1
    assert html() == "<p>全市经济工作会议：张三</p>" and templates.laid_out == 1  # kept
    meeting.venue = "第二会议室"  # not read by the layout
    assert html() == "<p>全市经济工作会议：张三</p>" and templates.laid_out == 1
    meeting.title = "全市安全生产会议"
    assert html() == "<p>全市安全生产会议：张三</p>" and templates.laid_out == 2
    for changed in ({"doc": {"name": "李四"}}, {"build": {"created": "2026-12-05"}}, {"dated": "2026-12-05"},
                    {"inputs": "v2"}):
        before = templates.laid_out
        html(**changed)
        assert templates.laid_out == before + 1, changed
    assert html("count.html.j2") == "<p>共 2 人：张三</p>"
    meeting.people.append("王五")  # read through the meeting, not the doc: laid out again
    assert html("count.html.j2") == "<p>共 3 人：张三</p>"


def test_a_layouts_mistake_is_said_of_the_meeting_as_it_is(tmp_path):
    """The layout reads the meeting through a stand-in that notes what it reads; a mistake is still said as
    Jinja2 says it of the meeting itself."""
    templates = layouts(tmp_path)
    meeting = SimpleNamespace(title="会议")
    problems, alone = Problems(), Problems()
    context = {"meeting": meeting, "doc": {}, "build": {}}
    assert Laid(tmp_path / "laid", "v").html(templates, "k", "wrong.html.j2", context, problems) is None
    assert templates.html("wrong.html.j2", context, alone) is None
    assert problems.items == alone.items and "SimpleNamespace object" in problems.items[0].message


def test_the_parts_a_build_did_not_ask_for_are_removed_and_a_damaged_one_is_laid_out_again(tmp_path):
    templates = layouts(tmp_path)
    meeting = SimpleNamespace(title="会议")
    folder = tmp_path / "laid"
    laid = Laid(folder, "v")
    for name in ("甲", "乙"):
        laid.html(templates, "k", "title.html.j2", {"meeting": meeting, "doc": {"name": name}, "build": {}}, Problems())
    assert len(list((folder / "k").iterdir())) == 2
    laid = Laid(folder, "v")
    laid.html(templates, "k", "title.html.j2", {"meeting": meeting, "doc": {"name": "甲"}, "build": {}}, Problems())
    laid.prune()
    kept = list((folder / "k").iterdir())
    assert len(kept) == 1
    kept[0].write_text("{not json\n<p>坏</p>", encoding="utf-8")
    again = Laid(folder, "v").html(templates, "k", "title.html.j2",
                                   {"meeting": meeting, "doc": {"name": "甲"}, "build": {}}, Problems())
    assert again == "<p>会议：甲</p>"


def test_what_a_kept_part_prints_beyond_the_fonts_base_is_kept_with_it(tmp_path, monkeypatch):
    """The characters a part prints beyond what every working copy of the fonts holds are looked for once, when it
    is laid out, and kept with it: the next build takes them with the kept part instead of looking through its
    HTML again, and finds the same. A part it did not give is looked through; so is one it was asked of before (the
    note is let go once told: the build asks once, then lets go of the parts)."""
    from huiwu import laid as laid_module
    from huiwu import working_fonts

    templates = layouts(tmp_path)
    meeting = SimpleNamespace(title="会议")
    looked: list[list[str]] = []

    def beyond_base(texts):
        looked.append(list(texts))
        return working_fonts.beyond_base(looked[-1])

    monkeypatch.setattr(laid_module, "beyond_base", beyond_base)

    def part(laid, name):
        return laid.html(templates, "k", "title.html.j2", {"meeting": meeting, "doc": {"name": name}, "build": {}},
                         Problems())

    first = Laid(tmp_path / "laid", "v")
    made = [part(first, "张㐀"), part(first, "李四")]
    assert first.beyond(made) == "㐀" and looked == [[made[0]], [made[1]]]  # each once, as laid out
    looked.clear()
    again = Laid(tmp_path / "laid", "v")
    kept = [part(again, "张㐀"), part(again, "李四")]
    assert kept == made and templates.laid_out == 2
    assert again.beyond(kept) == "㐀" and looked == []
    other = "".join(["<p>会议：张", "㐀</p>"])  # the same text, not a part it gave
    assert again.beyond([other]) == "㐀" and looked == [[other]]
    assert again.beyond(kept[:1]) == "㐀" and looked == [[other], kept[:1]]  # told once: then let go


def test_each_kind_is_pruned_once_and_a_kind_laid_out_after_is_pruned_by_the_next_call(tmp_path):
    """A build prunes the kinds laid out while it waits on the workers, then the rest (the 送审件, the archive,
    laid out last) at its end: a kind pruned before is not looked through again."""
    templates = layouts(tmp_path)
    meeting = SimpleNamespace(title="会议")
    folder = tmp_path / "laid"

    def lay_out(laid, kind, name):
        laid.html(templates, kind, "title.html.j2", {"meeting": meeting, "doc": {"name": name}, "build": {}},
                  Problems())

    first = Laid(folder, "v")
    for kind in ("early", "later"):
        lay_out(first, kind, "甲")
    laid = Laid(folder, "v")
    lay_out(laid, "early", "乙")
    laid.prune()
    assert [p.read_text(encoding="utf-8").endswith("乙</p>") for p in (folder / "early").iterdir()] == [True]
    (folder / "early" / "stray.html").write_text("{}\n<p>旧</p>", encoding="utf-8")  # not asked for: stays now
    lay_out(laid, "later", "丙")
    laid.prune()
    assert (folder / "early" / "stray.html").exists()
    assert [p.read_text(encoding="utf-8").endswith("丙</p>") for p in (folder / "later").iterdir()] == [True]
