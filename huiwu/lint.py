"""Writing rules (domain.md §5.1, §5.6): each rule reports with its line. They run on the notice's body and
on every other text the office writes that reaches paper: the 须知's lists (rules, notes…), and the bodies of
the 纪要, the 简报 and the 总结. Prose also agrees with the data: one clock style (the `clock` setting), and a
deadline before the meeting is the notice's `reply_by`."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

from .chinese import RELATIVE as _RELATIVE
from .chinese import TWELVE_HOUR, WEEKDAYS, cn_datetime
from .layout.facts import recollection, recollection_line
from .problems import Problems
from .records import Meeting, budget
from .records.materials import to_recollect
from .records.schema import FIELDS

_FULL_DATE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")
_SHORT_DATE = re.compile(r"(?<![年\d])(\d{1,2})月(\d{1,2})日")
_RANGE_JOIN = re.compile(r"[—～~至到\-－]\s*$")
_WEEKDAY = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日\s*[（(](?:星期|周)([一二三四五六日天])[）)]")
_DOTTED_DATE = re.compile(r"(?<![\d.])\d{2,4}[./]\d{1,2}[./]\d{1,2}(?![\d.])")
_PADDED_DATE = re.compile(r"\d{4}年(0\d)月|月(0\d)日")
_SHORT_YEAR = re.compile(r"(?<!\d)(\d{2})年\d{1,2}月")
_MIXED_CLOCK = re.compile(r"(下午|晚上)(1[3-9]|2[0-3])[:：]\d{2}")
_MARKDOWN_LIST = re.compile(r"^\s*([-*+•]|#{1,6})\s")
_FLOOR = re.compile(r"(\d+|[一二三四五六七八九十]+|[A-Za-z]\d*)(楼|层|F)")
_ROOM = re.compile(r"(室|厅)")
_NAMED_HALL = re.compile(r"(礼堂|会堂|剧院|体育馆|会展中心|会议中心)$")
_DOC_NUMBER = re.compile(r"^[\u4e00-\u9fff]+〔\d{4}〕[1-9]\d*号$")
PLACE_KEYS = [("venue",), ("checkin", "place")]  # time keys get the same rule when they are parsed
WRITTEN_PROSE = (("decisions", "*", "text"), ("decisions", "*", "progress"), ("title",), ("note",))
PROSE_KEYS = ("purpose", "participants", "requirements", "rules", "notes", "accommodation", "meals")
_PARTS = "上午|中午|下午|晚上|早上|凌晨|傍晚"
_CLOCK = re.compile(rf"({_PARTS})?(\d{{1,2}})[:：](\d{{2}})(?!\d)")
_ALL_BACK = re.compile(r"(?:全部|全数|悉数|如数|均已|全都|一律|均)(?:已|被)?(?:收回|回收|交回|清退)")
_MOMENT = re.compile(rf"(?:(\d{{4}})年)?(\d{{1,2}})月(\d{{1,2}})日\s*(?:[（(](?:星期|周).[）)])?\s*"
                     rf"({_PARTS})?(\d{{1,2}})(?:[:：](\d{{2}})|时(?:(\d{{1,2}})分)?)")
_BEFORE = re.compile(r"\s*(?:以)?前")
_ARRIVE = re.compile(r"\s*(?:以)?前\s*(?:赶)?(?:到|报到|到场|到会|签到|入场|抵达)")
_HELD = re.compile(r"\s*(?:在[^，。；]{1,40})?(?:召开|开幕|举行|开会)")


def check(meeting: Meeting, problems: Problems) -> None:
    _relative_in_fields(meeting, problems)
    _body(meeting, problems)
    _prose_fields(meeting, problems)
    _written(meeting, problems)
    _all_back(meeting, problems)
    _venue(meeting, problems)
    _channels(meeting, problems)
    _doc_number(meeting, problems)
    _time_order(meeting, problems)


def advice(meeting: Meeting) -> Problems:
    """What deserves a second look but does not stop the build (it is said as a 警告): a budget above the
    综合定额 of its class."""
    found = Problems()
    b = budget.of(meeting)
    if b is not None and b.over:
        found.add(meeting.source.path, meeting.source.line("budget", "class"), b.over)
    return found


def _relative_in_fields(meeting: Meeting, problems: Problems) -> None:
    src = meeting.source
    keys = PLACE_KEYS + [("agenda", i, "time") for i in range(len(src.data.get("agenda") or []))]
    for key in keys:
        value = src.value(*key)
        if isinstance(value, str) and (m := _RELATIVE.search(value)):
            name = ".".join(str(k) for k in key)
            problems.add(src.path, src.line(*key), f"{name}：不能使用相对时间词“{m[0]}”，请写明具体日期")


def _body(meeting: Meeting, problems: Problems) -> None:
    src = meeting.source
    for offset, text in enumerate(src.body.split("\n")):
        line = src.body_line + offset
        for message in prose_problems(meeting, text):
            problems.add(src.path, line, f"正文：{message}")


def _prose_fields(meeting: Meeting, problems: Problems) -> None:
    """The texts of meeting.md's front matter that print as sentences (the 须知's rules and notes…)."""
    src = meeting.source
    for key in PROSE_KEYS:
        label = FIELDS[key].label.split("（")[0]
        for where, text in _texts(src.data, (key,)):
            for message in prose_problems(meeting, text):
                problems.add(src.path, src.line(*where), f"{key}（{label}）：{message}")


def _written(meeting: Meeting, problems: Problems) -> None:
    """minutes.md, briefing-*.md and summary.md: their bodies line by line, and the front-matter texts
    they print (a decision and its progress, a 简报's title and 按语, a 总结's title)."""
    for w in [meeting.minutes, *(b for _, b in meeting.briefings), meeting.summary]:
        src = w.source if w is not None else None
        if src is None:
            continue
        for offset, text in enumerate(src.body.split("\n")):
            for message in prose_problems(meeting, text):
                problems.add(src.path, src.body_line + offset, f"正文：{message}")
        for pattern in WRITTEN_PROSE:
            for where, text in _texts(src.data, pattern):
                name = "".join(f"[{k + 1}]" if isinstance(k, int) else f".{k}" for k in where).lstrip(".")
                for message in prose_problems(meeting, text):
                    problems.add(src.path, src.line(*where), f"{name}：{message}")


def _texts(data: Any, pattern: tuple[str, ...], key: tuple = ()) -> Iterator[tuple[tuple, str]]:
    """(key path, text) of every string at `pattern` ("*": each item of a list; a list at the end: each item)."""
    if not pattern:
        items = list(enumerate(data)) if isinstance(data, list) else [(None, data)]
        yield from (((*key, i) if i is not None else key, v) for i, v in items if isinstance(v, str))
    elif pattern[0] == "*":
        for i, v in enumerate(data if isinstance(data, list) else []):
            yield from _texts(v, pattern[1:], (*key, i))
    elif isinstance(data, dict) and pattern[0] in data:
        yield from _texts(data[pattern[0]], pattern[1:], (*key, pattern[0]))


def _all_back(meeting: Meeting, problems: Problems) -> None:
    """The 总结 may say every copy came back only when the record says so."""
    src = meeting.summary.source if meeting.summary else None
    r = recollection(meeting)
    if src is None or not to_recollect(meeting) or (r is not None and not r.out):
        return
    fact = f"回收记录显示{recollection_line(meeting)}" if r else "还没有回收记录（recollected.csv）"
    for offset, text in enumerate(src.body.split("\n")):
        if m := _ALL_BACK.search(text):
            problems.add(src.path, src.body_line + offset,
                         f"正文：写的是“{m[0]}”，但{fact}；请据实改写，可用占位符 {{回收情况}}")


def prose_problems(meeting: Meeting, text: str) -> list[str]:
    year = meeting.start.year if meeting.start else date.today().year
    return body_line_problems(text, year) + clock_problems(text, meeting.clock) + deadline_problems(meeting, text)


def clock_problems(text: str, clock: str) -> list[str]:
    """Times that are plainly in the other clock style than the meeting's (the `clock` setting): `17:00` or
    `09:30` where the office writes 下午5:00, `下午5:00` where it writes 17:00."""
    found = []
    for m in _CLOCK.finditer(text):
        part, hour = m[1], int(m[2])
        if _MIXED_CLOCK.match(m[0]):
            continue  # body_line_problems names it
        if clock == TWELVE_HOUR and not part and (hour > 12 or m[2].startswith("0")):
            example = f"下午{hour - 12}:{m[3]}" if 12 < hour < 24 else f"上午{hour}:{m[3]}"
            found.append(f"时间“{m[0]}”应按本单位的写法加上午、下午，如“{example}”（设置 clock：上午9:00）")
        elif clock != TWELVE_HOUR and part:
            example = f"{hour + 12 if part in ('下午', '晚上', '傍晚') and hour < 12 else hour}:{m[3]}"
            found.append(f"时间“{m[0]}”应按本单位的写法用24小时制，如“{example}”（设置 clock：9:00）")
    return found


def deadline_problems(meeting: Meeting, text: str) -> list[str]:
    """Times in prose that are not the data's: one to arrive by (`…前到场`, `…前报到`) is the check-in time
    (else the start), the meeting's own (`…召开`) is the start, and any other deadline (`…前`) before the
    meeting is the notice's `reply_by`."""
    start = meeting.start
    if start is None:
        return []
    found = []
    for m in _MOMENT.finditer(text):
        when, wanted = _deadline(m, start.year), _wanted(meeting, text, m)
        if when is not None and wanted is not None and when != wanted[0]:
            said = m[0] + (b[0].strip() if (b := _BEFORE.match(text, m.end())) else "")
            found.append(f"{wanted[2]}“{said}”与通知的{wanted[1]}（{cn_datetime(wanted[0], meeting.clock)}）不一致")
    return found


def _wanted(meeting: Meeting, text: str, m: re.Match) -> tuple[datetime, str, str] | None:
    """(the data's time, what the notice calls it, what the text states) for the time `m` in `text`."""
    start, checkin = meeting.start, (meeting.checkin or {}).get("time")
    if _ARRIVE.match(text, m.end()):
        return (checkin, "报到时间", "截止时间") if checkin else (start, "会议开始时间", "截止时间")
    if _HELD.match(text, m.end()):
        return start, "会议开始时间", "会议时间"
    when = _deadline(m, start.year)
    if _BEFORE.match(text, m.end()) and meeting.reply_by and when and when < start:
        return meeting.reply_by, "回执截止时间", "截止时间"
    return None


def _deadline(m: re.Match, year: int) -> datetime | None:
    hour, minute = int(m[5]), int(m[6] or m[7] or 0)
    if m[4] in ("下午", "晚上", "傍晚") and hour < 12 or m[4] == "中午" and hour < 6:
        hour += 12
    try:
        return datetime(int(m[1] or year), int(m[2]), int(m[3]), hour, minute)
    except ValueError:
        return None


def body_line_problems(text: str, year: int = 2026) -> list[str]:
    found = []
    if m := _RELATIVE.search(text):
        found.append(f"不能使用相对时间词“{m[0]}”，请写明具体日期（如“2026年12月8日”）")
    for m in _SHORT_DATE.finditer(text):
        before = text[: m.start()]
        if not (_RANGE_JOIN.search(before) and _FULL_DATE.search(before)):
            found.append(f"日期“{m[0]}”缺少年份，请写成“{year}年{m[0]}”这样的完整日期")
    for m in _DOTTED_DATE.finditer(text):
        found.append(f"日期“{m[0]}”应写成“2026年12月8日”的形式")
    for m in _PADDED_DATE.finditer(text):
        found.append(f"日期中的“{m[1] or m[2]}”不编虚位，应写成“{int(m[1] or m[2])}”")
    for m in _SHORT_YEAR.finditer(text):
        found.append(f"年份“{m[1]}年”应写全，如“20{m[1]}年”")
    for m in _MIXED_CLOCK.finditer(text):
        found.append(f"“{m[0]}”混用了两种时间写法，应写“{m[1]}{int(m[2]) - 12}:{m[0][-2:]}”或“{m[2]}:{m[0][-2:]}”")
    if m := _MARKDOWN_LIST.match(text):
        found.append(f"公文正文不用“{m[1]}”符号分条，请用“一、”“（一）”“1.”“（1）”编号")
    for m in _WEEKDAY.finditer(text):
        try:
            day = date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            found.append(f"“{m[1]}年{m[2]}月{m[3]}日”不是有效日期")
            continue
        written = "日" if m[4] == "天" else m[4]
        if WEEKDAYS[day.weekday()] != written:
            found.append(f"{m[1]}年{m[2]}月{m[3]}日是星期{WEEKDAYS[day.weekday()]}，不是星期{m[4]}")
    return found


def _venue(meeting: Meeting, problems: Problems) -> None:
    venue = meeting.venue
    if not venue or _NAMED_HALL.search(venue) or (_FLOOR.search(venue) and _ROOM.search(venue)):
        return
    problems.add(meeting.source.path, meeting.source.line("venue"),
                 f"venue（会议地点）：“{venue}”应写明楼栋、楼层和房间，如“市行政中心1号楼3楼301会议室”")


def _channels(meeting: Meeting, problems: Problems) -> None:
    if not meeting.secret:
        return
    for i, channel in enumerate(meeting.channels or []):
        if channel in ("短信", "微信"):
            problems.add(meeting.source.path, meeting.source.line("channels", i),
                         f"channels（通知方式）：{meeting.classification}会议不得通过{channel}发送通知")


def _doc_number(meeting: Meeting, problems: Problems) -> None:
    number = meeting.doc_number
    if not number or _DOC_NUMBER.match(number):
        return
    if re.search(r"[（(\[【]\d{4}[）)\]】]", number):
        hint = "年份应使用六角括号〔〕，如“青政办函〔2026〕87号”"
    elif "第" in number:
        hint = "不加“第”字，如“青政办函〔2026〕87号”"
    elif re.search(r"〕0\d*号$", number):
        hint = "序号不编虚位（写 1，不写 01）"
    else:
        hint = "应为“机关代字〔年份〕序号号”，如“青政办函〔2026〕87号”"
    problems.add(meeting.source.path, meeting.source.line("doc_number"), f"doc_number（发文字号）：“{number}”{hint}")


def _time_order(meeting: Meeting, problems: Problems) -> None:
    src, start = meeting.source, meeting.start
    if start is None:
        return
    if meeting.end and meeting.end <= start:
        problems.add(src.path, src.line("end"), "end（结束时间）：应晚于开始时间")
    if meeting.reply_by and meeting.reply_by >= start:
        problems.add(src.path, src.line("reply_by"), "reply_by（回执截止时间）：应早于会议开始时间")
    checkin = meeting.checkin or {}
    if checkin.get("time") and checkin["time"] > start:
        problems.add(src.path, src.line("checkin", "time"), "checkin.time（报到时间）：应不晚于会议开始时间")
