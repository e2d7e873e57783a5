"""Chinese date, time and number forms used in official documents (GB/T 15835)."""

from __future__ import annotations

import re
from datetime import date, datetime

WEEKDAYS = "一二三四五六日"
NUMERALS = "〇一二三四五六七八九"

_DATETIME_FORMS = [
    re.compile(r"^(?P<y>\d{4})([-/.])(?P<m>\d{1,2})\2(?P<d>\d{1,2})(?:[ T]+(?P<H>\d{1,2})[:：](?P<M>\d{2}))?$"),
    re.compile(r"^(?P<y>\d{4})年(?P<m>\d{1,2})月(?P<d>\d{1,2})日\s*(?:(?P<H>\d{1,2})[:：](?P<M>\d{2}))?$"),
]
RELATIVE_WORDS = ["今天", "明天", "后天", "昨天", "本周", "下周", "上周", "本月底", "本月", "下月",
                  "今年", "明年", "近日", "月底", "今晚", "明晚", "次日"]
RELATIVE = re.compile("|".join(RELATIVE_WORDS))
_NO_YEAR = re.compile(r"^(\d{1,2})[-月](\d{1,2})日?")


def parse_datetime(text: str) -> tuple[datetime | None, bool, str | None]:
    """Parse `2026-12-08 09:00` or `2026年12月8日 9:00`.

    Returns (value, has_time, error message in Chinese)."""
    text = str(text).strip()
    if m := RELATIVE.search(text):
        return None, False, f"不能使用相对时间词“{m[0]}”，请写明具体日期，如 2026-12-08 09:00"
    for form in _DATETIME_FORMS:
        m = form.match(text)
        if m:
            try:
                hour, minute = int(m["H"] or 0), int(m["M"] or 0)
                value = datetime(int(m["y"]), int(m["m"]), int(m["d"]), hour, minute)
            except ValueError:
                return None, False, f"“{text}”不是有效的日期或时间"
            return value, m["H"] is not None, None
    if _NO_YEAR.match(text) or re.match(r"^\d{2}[-年]", text):
        return None, False, f"“{text}”缺少完整年份，请写成 2026-12-08 09:00"
    return None, False, f"无法识别的时间“{text}”，请写成 2026-12-08 09:00"


def cn_date(d: date) -> str:
    """`2026年12月8日`: full year, no zero padding."""
    return f"{d.year}年{d.month}月{d.day}日"


def weekday(d: date) -> str:
    return "星期" + WEEKDAYS[d.weekday()]


def day_part(t: datetime) -> str:
    if t.hour < 12:
        return "上午"
    if t.hour < 13:
        return "中午"
    return "下午" if t.hour < 18 else "晚上"


TWELVE_HOUR = "上午9:00"  # the other clock setting is "9:00" (24-hour, GB/T 15835 colon form)


def cn_time(t: datetime, clock: str = TWELVE_HOUR) -> str:
    """`上午9:00`, `下午3:30` (12-hour with the part of day) or `15:30` (24-hour); never mixed."""
    if clock != TWELVE_HOUR:
        return f"{t.hour}:{t.minute:02d}"
    hour = t.hour if t.hour <= 12 else t.hour - 12
    return f"{day_part(t)}{hour}:{t.minute:02d}"


def cn_datetime(t: datetime, clock: str = TWELVE_HOUR) -> str:
    """`2026年12月8日（星期二）上午9:00`."""
    return f"{cn_date(t)}（{weekday(t)}）{cn_time(t, clock)}"


def date_line(start: datetime, end: datetime | None, clock: str = TWELVE_HOUR) -> str:
    """The notice's time line, computed from start and end."""
    if end is None:
        return cn_datetime(start, clock)
    if end.date() == start.date():
        same_part = clock != TWELVE_HOUR or day_part(end) == day_part(start)
        until = cn_time(end, clock)
        return f"{cn_datetime(start, clock)}—{until[2:] if clock == TWELVE_HOUR and same_part else until}"
    if (end.year, end.month) == (start.year, start.month):
        span = f"{cn_date(start)}—{end.day}日"
    elif end.year == start.year:
        span = f"{cn_date(start)}—{end.month}月{end.day}日"
    else:
        span = f"{cn_date(start)}—{cn_date(end)}"
    return f"{span}，会期{(end.date() - start.date()).days + 1}天（{start.day}日{cn_time(start, clock)}开始）"


def cn_number(n: int) -> str:
    """1 → 一, 12 → 十二, 21 → 二十一, 105 → 一百零五, 1010 → 一千零一十 (section numbers, up to 9999)."""
    if n < 10:
        return NUMERALS[n]
    if n < 20:
        return "十" + (NUMERALS[n - 10] if n > 10 else "")
    out, zero = "", False
    for unit, size in (("千", 1000), ("百", 100), ("十", 10), ("", 1)):
        digit = n // size % 10
        if digit:
            out += ("零" if zero and out else "") + NUMERALS[digit] + unit
        zero = not digit
    return out
