"""The registry of document kinds: one line per kind. Everything else that lists kinds is derived from
it: which sources the glyph check reads (`reads`), which files the site publishes (`site`), which
documents become site pages (`page`), the build's skip report (`skip`), and which documents an edit to the
attendee table leaves as they were (`columns`). Adding a kind: its module in documents/, its line here, its
layout in layouts/ unless it is a form, its test and its README row."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from .documents import (
    archive,
    attendance,
    badges,
    briefing,
    cards,
    coordination,
    copies,
    disposal,
    equipment,
    feedback,
    followups,
    handbook,
    leave,
    materials,
    minutes,
    notice,
    plan,
    receipts,
    recollection,
    reminders,
    returns,
    review,
    rostrum,
    seatmap,
    signin,
    signs,
    speech,
    stays,
    summary,
    tasks,
    vehicles,
)
from .problems import Fail, Problems
from .records import Meeting
from .records.materials import BUNDLE
from .records.schema import SECRET_LEVELS
from .render import Deferred, Stash, Stashed
from .sources import Source

Context = Callable[[Meeting, Fail], list[dict[str, Any]]]
Files = Sequence[tuple[str, bytes | Stashed | Deferred]]  # (path under output/<meeting>/, content, a finished file
# kept, or one still being made: written behind the build)


# Who a kind is for on the intranet site
ATTENDEES = "attendees"  # what attendees need: always published with a 公开/内部 meeting
OFFICE = "office"  # the office's working forms, often with phone numbers: published only when `site_publish` names them
NEVER = "never"  # 涉密 copies, the leaders' reminders, the archive: never published, whatever the meeting's level


def _always(m: Meeting) -> str | None:
    return None


def _never(m: Meeting) -> bool:
    return False


@dataclass(frozen=True)
class Kind:
    key: str
    title: str  # what staff call it
    output: str  # main file under output/<meeting>/
    template: str | None  # file in layouts/; None: `data` writes the file without a layout
    context: Context | None = None  # one dict per HTML part (a copy; a chunk of a long document); each
    # part is rendered on its own and cached by its HTML, so an edit re-renders only the parts it changes
    skip: Callable[[Meeting], str | None] = _always  # why a meeting gets no such document
    finish: Callable[[Meeting, list[bytes], Stash], Files] | None = None  # rendered parts → files; default: joined;
    # the Stash keeps what it made before, by what it was made from
    repeats: tuple[str, ...] = ()  # finished files (globs) that show the other files' pages once more, in
    # another arrangement (an imposed booklet, all copies bound in one): the build log counts those pages once
    data: Callable[[Meeting, Fail], bytes] | None = None  # for files that are not laid out (iCalendar)
    dated: Callable[[Meeting], bool] = _never  # content (or whether it is made) depends on the build date
    duplex: bool = False  # parts are copies printed two-sided: each starts on a fresh sheet
    after: bool = False  # lists the meeting's other files (m.outputs): laid out once they are written
    prepares: Callable[[Meeting, str, bytes], Callable[[], None] | None] | None = None  # of a kind laid out
    # after: given each file this build writes before it (its name, its bytes), what of its own making can be done
    # while the workers still render, if the build waits on them (Job.idle), or None
    reads: tuple[str, ...] = ()  # text sources in the meeting folder (globs) besides meeting.md and the attendee
    # table that the documents show: read once into Meeting.texts, and checked for glyphs no font can print
    site: str = OFFICE  # on the intranet site: ATTENDEES, OFFICE or NEVER (above)
    page: tuple[str, str] | None = None  # also a page of the intranet site: (file name, label)
    filed: bool = False  # an 归档文件 (DA/T 22): indexed in the archive; the others travel as working papers
    numbers: bool = False  # prints the 份号 of numbered materials: archived at their 密级
    check: Callable[[Meeting, Fail], None] | None = None  # what the sources must hold for it (seats, names):
    # run with the records' own checks, before any document is laid out (the live preview shows the site then)
    columns: tuple[str, ...] | None = None  # the fields of the attendee table (Attendee's) its documents are made
    # from; None: any. While those, the meeting's other sources and the code are as they were, it is not laid out
    # again (pipeline.prepare): a changed 电话 does not lay out the 座次表 again. Held to it by tests/test_columns.py


# who comes, in which order and where they sit: what a kind that shows anyone of the list is made from (Kind.columns)
WHO = ("name", "unit", "role", "rank", "status", "substitute", "substitute_unit", "substitute_title", "seat",
       "stands_in")

KINDS: tuple[Kind, ...] = (
    Kind("notice", "会议通知", "notice.pdf", "notice.html.j2", notice.context, duplex=True, site=ATTENDEES, filed=True,
         columns=()),
    Kind("signin", "签到表", "signin.pdf", "form.html.j2", signin.context, signin.skip, filed=True),
    Kind("plan", "会议方案", "plan.pdf", "plan.html.j2", plan.context, plan.skip, filed=True, columns=WHO),
    Kind("receipts", "通知签收登记表", "notice-receipts.pdf", "form.html.j2", receipts.context, receipts.skip,
         columns=WHO),
    Kind("leave", "请假人员名单", "leave-list.pdf", "form.html.j2", leave.context, leave.skip,
         columns=(*WHO, "title", "leave_reason", "note")),
    Kind("handbook", "会议须知", "handbook.pdf", "handbook.html.j2", handbook.context, handbook.skip,
         finish=handbook.finish, site=ATTENDEES, repeats=("handbook.pdf",)),
    Kind("coordination", "会务工作协调会", "coordination.pdf", "form.html.j2", coordination.context,
         coordination.skip, columns=()),
    Kind("tasks", "分工及自查清单", "tasks.pdf", "form.html.j2", tasks.context, dated=tasks.dated, columns=WHO),
    Kind("vehicles", "车辆调度表", "vehicles.pdf", "form.html.j2", vehicles.context, vehicles.skip,
         check=vehicles.check),
    Kind("materials", "材料分发登记表", "materials-register.pdf", "form.html.j2", materials.context, materials.skip,
         reads=("received.csv",), numbers=True, columns=WHO),
    Kind("copies", "涉密材料编号件", "materials/", "copy-stamp.html.j2", copies.stamps, copies.skip,
         finish=copies.stamped_copies, repeats=(f"*{BUNDLE}",), site=NEVER, numbers=True, columns=WHO),
    Kind("rostrum", "主席台材料核对表", "rostrum-materials.pdf", "form.html.j2", rostrum.context, rostrum.skip,
         numbers=True, columns=(*WHO, "title")),
    Kind("seatmap", "座次表", "seatmap.pdf", "seatmap.html.j2", seatmap.context, seatmap.skip, reads=("venue.yaml",),
         finish=seatmap.finish, columns=WHO),
    Kind("cards", "桌签", "table-cards.pdf", "cards.html.j2", cards.context, cards.skip, columns=(*WHO, "title")),
    Kind("badges", "证件", "badges.pdf", "badges.html.j2", badges.context, badges.skip, check=badges.check,
         columns=(*WHO, "title")),
    Kind("equipment", "会场布置及设备检查表", "equipment.pdf", "equipment.html.j2", equipment.context, equipment.skip,
         reads=("venue.yaml",), columns=WHO),
    Kind("signs", "引导牌", "signs.pdf", "signs.html.j2", signs.context, signs.skip, columns=()),
    Kind("reminders", "领导提醒日程", "reminders.ics", None, skip=reminders.skip, data=reminders.ics, site=NEVER,
         check=reminders.check),
    # during and after the meeting
    Kind("attendance", "到会统计", "attendance.pdf", "form.html.j2", attendance.context, attendance.skip,
         reads=("signin.csv",), filed=True),
    Kind("minutes", "会议纪要", "minutes.pdf", "minutes.html.j2", minutes.context, minutes.skip,
         reads=("minutes.md",), page=("minutes.html", "会议纪要"), site=ATTENDEES, filed=True, columns=WHO),
    Kind("followups", "督办事项清单", "followups.pdf", "form.html.j2", followups.context, followups.skip,
         dated=followups.dated, reads=("minutes.md",), page=("followups.html", "督办事项"), site=ATTENDEES, filed=True,
         columns=()),
    Kind("briefing", "会议简报", "briefing-<期号>.pdf", "briefing.html.j2", briefing.context, briefing.skip,
         finish=briefing.finish, reads=("briefing-*.md",), filed=True, columns=WHO),
    Kind("speech", "领导讲话", "speech-<名称>.pdf", "speech.html.j2", speech.context, speech.skip,
         finish=speech.finish, reads=("speech-*.md",), filed=True, columns=()),
    Kind("feedback", "意见征集表", "feedback-form.pdf", "form.html.j2", feedback.form_context, feedback.form_skip,
         site=ATTENDEES, columns=()),
    Kind("opinions", "意见建议汇总表", "feedback-summary.pdf", "form.html.j2", feedback.summary_context,
         feedback.summary_skip, reads=("feedback.csv",), columns=()),
    Kind("summary", "会后总结", "summary.pdf", "summary.html.j2", summary.context, summary.skip,
         reads=("summary.md",), filed=True, columns=WHO),
    Kind("recollection", "材料回收登记表", "recollection.pdf", "form.html.j2", recollection.context,
         recollection.skip, reads=("recollected.csv",), numbers=True, columns=(*WHO, "phone")),
    Kind("disposal", "清退销毁登记表", "disposal.pdf", "form.html.j2", disposal.context, disposal.skip,
         reads=("disposed.csv",), numbers=True, columns=WHO),
    Kind("returns", "返程服务表", "returns.pdf", "form.html.j2", returns.context, returns.skip),
    Kind("stays", "暂留人员食宿安排表", "stays.pdf", "form.html.j2", stays.context, stays.skip),
    # these list the files written above: laid out once those are written
    Kind("review", "会议方案送审件", "plan-review.pdf", "review.html.j2", review.context, review.skip,
         finish=review.finish, after=True, prepares=review.prepares),
    Kind("archive", "归档", "archive/", "form.html.j2", archive.context, archive.skip,
         finish=archive.finish, dated=archive.dated, after=True, site=NEVER),
)


def sources() -> tuple[str, ...]:
    """The text sources (globs) the kinds declare, each once, in registry order."""
    return tuple(dict.fromkeys(p for k in KINDS for p in k.reads))


def on_site(kind: Kind, m: Meeting) -> bool:
    """Whether the site publishes this kind of document of a 公开/内部 meeting. A form that prints the 份号 of
    秘密/机密/绝密 copies is as secret as they are: never published, whatever `site_publish` says."""
    if kind.numbers and any(mat["classification"] in SECRET_LEVELS for mat in m.materials):
        return False
    return kind.site == ATTENDEES or (kind.site == OFFICE and kind.title in m.site_publish)


def check_site_publish(source: Source, problems: Problems) -> None:
    """`site_publish` (settings.yaml or meeting.md) names working forms by their titles."""
    listed = source.value("site_publish")
    offered = [k.title for k in KINDS if k.site == OFFICE]
    for i, name in enumerate(listed if isinstance(listed, list) else [listed] if listed else []):
        if str(name) not in offered:
            problems.add(source.path, source.line("site_publish", i),
                         f"site_publish（在内网发布的工作用表）：应为 {'、'.join(offered)} 之一，收到“{name}”")
