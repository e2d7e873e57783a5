"""The content contract: every key a meeting source may use, checked with lines.

One table (`FIELDS`) declares each key; `check()` turns raw front-matter values
into typed values and reports every problem, with "did you mean" for unknown keys.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from ..chinese import parse_datetime
from ..problems import Problems
from ..sources import Source

CLASSIFICATIONS = ["公开", "内部", "秘密", "机密", "绝密"]
SECRET_LEVELS = ("秘密", "机密", "绝密")
ROLES = ("主席台", "出席", "列席", "特邀", "媒体", "工作人员")  # attendee 类别, in protocol order
ARROWS = ("左", "右", "上", "下", "左上", "右上", "左下", "右下", "无")
PER_PERSON, PER_UNIT = "每人一份", "每单位一份"
CHANNELS = ["书面", "电话", "短信", "微信", "邮件", "内网"]
NAME_ORDERS = {"姓氏笔画": "surname", "姓名笔画": "fullname"}
CLOCKS = ("上午9:00", "9:00")
RETENTION = {"永久": "Y", "定期30年": "D30", "定期10年": "D10"}  # 保管期限 → its code in the 档号 (DA/T 22)
MINUTES_NAMES = ("单位加姓名", "姓名")
def secrecy_mark(level: str, term: str) -> str:
    """`机密★1年` (GB/T 9704 §7.2.2) for a classified level, else empty."""
    return level + (f"★{term}" if term else "") if level in SECRET_LEVELS else ""


FEE_CLASSES = ("一类", "二类", "三类", "四类")
FEE_QUOTAS = {"一类": 760.0, "二类": 650.0, "三类": 550.0, "四类": 550.0}  # 综合定额, 元/人·天 (domain.md §5.5)

BADGE_SIZES = {  # 证件: lanyard sleeves and ISO/IEC 7810 cards, as written on the packaging → w × h in mm
    "ID-1": (85.6, 54.0), "ID-1竖": (54.0, 85.6), "60×90": (60.0, 90.0), "70×100": (70.0, 100.0),
    "80×120": (80.0, 120.0), "90×130": (90.0, 130.0), "100×140": (100.0, 140.0),
}


@dataclass(frozen=True)
class Field:
    label: str
    kind: str  # a key of CHECKERS: text, int, whole (0 too), ints, count, number, bool, datetime, date,
    # choice(s), text(s), record(s)
    required: bool = False
    choices: tuple[str, ...] = ()
    sub: tuple[tuple[str, Field], ...] = ()
    default: Any = None
    most: int | None = None  # largest allowed value of an int


def _record(*pairs: tuple[str, Field]) -> tuple[tuple[str, Field], ...]:
    return pairs


SIDES = ("前左", "前右", "左", "右", "后左", "后", "后右")  # a wall of the hall, from the audience: 前 is the rostrum's
PER_SEAT = "每座"

# The seating plan: venue.yaml in the meeting folder, or a `seating:` block in meeting.md.
VENUE: dict[str, Field] = {
    "rostrum": Field("主席台", "record", sub=_record(
        ("rows", Field("每排座位数（前排在先）", "ints", required=True)),
        ("variant", Field("排法 A、B 或 C", "choice", choices=("A", "B", "C"))))),
    "hall": Field("会场", "record", sub=_record(
        ("rows", Field("排数", "int", required=True, most=200)),
        ("seats", Field("每排座位数", "int", required=True, most=200)),
        ("aisles", Field("过道（在第几号座位之后）", "ints", default=[])),
        ("method", Field("按单位排座的方法", "choice", choices=("横排", "竖排", "左右"), default="横排")),
        ("reserved", Field("专座", "records", default=[], sub=_record(
            ("role", Field("类别", "choice", choices=ROLES, required=True)),
            ("rows", Field("排", "ints", required=True)),
            ("seats", Field("座号范围，如 1-4", "text", required=True)),
            ("label", Field("名称，如 媒体席", "text"))))))),
    "lectern": Field("发言席（在主席台前的哪一侧，从会场看）", "choice", choices=("左", "右")),
    "entrances": Field("出入口", "records", default=[], sub=_record(
        ("name", Field("名称，如 南门、前门", "text", required=True)),
        ("side", Field("位置", "choice", choices=SIDES, required=True)))),
    "approved": Field("座次表已审定（true：不再标“送审稿”）", "bool", default=False),
    "version": Field("座次表版本说明，如 第2稿", "text"),
    "paper": Field("座次表纸张 A3 或 A4（默认按座位数自动选）", "choice", choices=("A3", "A4")),
}

FIELDS: dict[str, Field] = {
    "title": Field("会议名称", "text", required=True),
    "organizer": Field("主办单位（发文机关）", "text", required=True),
    "doc_number": Field("发文字号", "text"),
    "notice_title": Field("通知标题（可写成多行列表，自定转行位置）", "texts"),
    "classification": Field("密级", "choice", choices=tuple(CLASSIFICATIONS), default="公开"),
    "secrecy_term": Field("保密期限", "text"),
    "urgency": Field("紧急程度", "choice", choices=("特急", "加急")),
    "copies": Field("份数", "int", default=1, most=999999),
    "start": Field("开始时间", "datetime", required=True),
    "end": Field("结束时间", "datetime"),
    "venue": Field("会议地点", "text", required=True),
    "checkin": Field("报到", "record", sub=_record(
        ("time", Field("报到时间", "datetime", required=True)),
        ("place", Field("报到地点", "text", required=True)))),
    "recipients": Field("主送机关", "texts", default=[]),
    "contacts": Field("联系人", "records", default=[], sub=_record(
        ("name", Field("姓名", "text", required=True)),
        ("phone", Field("电话", "text", required=True)))),
    "agenda": Field("议程", "records", default=[], sub=_record(
        ("time", Field("时间", "text")),
        ("item", Field("事项", "text", required=True)),
        ("presenter", Field("主讲/主持", "text")))),
    "channels": Field("通知方式", "choices", choices=tuple(CHANNELS), default=["书面"]),
    "signed_on": Field("成文日期", "date"),
    "reply_by": Field("回执截止时间", "datetime"),
    "cc": Field("抄送", "texts", default=[]),
    "follows": Field("接续的前次会议（content/ 下的文件夹名）：其未办结的督办事项转入本次会议", "text"),
    # the pre-meeting packet (README “会前文档”)
    "approved": Field("会议方案已审定（true：方案不再标“送审稿”）", "bool", default=False),
    "purpose": Field("会议目的", "text"),
    "participants": Field("参会范围", "texts", default=[]),
    "requirements": Field("会务工作要求（写入会议方案）", "texts", default=[]),
    "schedule": Field("日程", "records", default=[], sub=_record(
        ("day", Field("日期", "date", required=True)),
        ("time", Field("时间", "text")),
        ("item", Field("内容", "text", required=True)),
        ("place", Field("地点", "text")))),
    "hours": Field("作息时间", "records", default=[], sub=_record(
        ("time", Field("时间", "text", required=True)),
        ("item", Field("安排", "text", required=True)))),
    "tasks": Field("会务分工", "records", default=[], sub=_record(
        ("task", Field("任务", "text", required=True)),
        ("group", Field("工作组", "text", required=True)),
        ("owner", Field("责任人", "text", required=True)),
        ("due", Field("完成时限", "date")),
        ("done", Field("已完成", "bool", default=False)))),
    "review": Field("方案审签", "record", sub=_record(
        ("drafter", Field("拟稿人", "text")),
        ("checker", Field("审核人", "text")),
        ("approver", Field("审定领导", "text")))),
    "budget": Field("经费预算", "record", sub=_record(
        ("class", Field("会议类别（比照会议费管理办法核对综合定额）", "choice", choices=FEE_CLASSES)),
        ("people", Field("参会人数（默认：名单中的参会人员，含工作人员）", "int", most=100000)),
        ("days", Field("会期天数（默认：按开始、结束日期）", "int", most=366)),
        ("items", Field("预算项目", "records", required=True, sub=_record(
            ("item", Field("项目", "text", required=True)),
            ("standard", Field("标准（元/人·天）", "number", most=10**7)),
            ("people", Field("人数（默认：预算的参会人数）", "int", most=100000)),
            ("days", Field("天数（默认：会期天数）", "int", most=366)),
            ("amount", Field("金额（元；不写时为标准×人数×天数）", "number", most=10**9)),
            ("note", Field("说明", "text"))))))),
    "emergency": Field("应急预案", "records", default=[], sub=_record(
        ("case", Field("情形", "text", required=True)),
        ("action", Field("处置措施", "text", required=True)),
        ("owner", Field("责任人", "text")))),
    "equipment": Field("会场设备", "record", sub=_record(
        ("rostrum_mics", Field("主席台话筒：每座，或共用的支数", "count", choices=(PER_SEAT,), default=PER_SEAT)),
        ("lectern_mic", Field("发言席话筒", "bool", default=False)),
        ("hall_mics", Field("会场话筒（交流、提问用）支数", "whole", default=0, most=200)),
        ("spare_mics", Field("备用话筒支数", "whole", default=0, most=50)),
        ("projector", Field("投影、屏幕，如 投影仪1台、幕布1块", "text")),
        ("recording", Field("录音录像，如 全程录音录像", "text")),
        ("other", Field("其他检查项目", "texts", default=[])),
        ("sound_check", Field("试音", "record", sub=_record(
            ("time", Field("试音时间", "datetime")),
            ("owner", Field("负责人", "text"))))))),
    "coordination": Field("会务工作协调会", "record", sub=_record(
        ("time", Field("时间", "datetime")),
        ("place", Field("地点", "text")),
        ("host", Field("主持人", "text")),
        ("attendees", Field("参加的部门或工作组", "texts", default=[])),
        ("items", Field("议程", "records", default=[], sub=_record(
            ("item", Field("议程", "text", required=True)),
            ("who", Field("负责", "text"))))))),
    "vehicles": Field("车辆", "records", default=[], sub=_record(
        ("id", Field("车辆编号（与名单“车辆”列一致）", "text", required=True)),
        ("group", Field("车队/分组", "text")),
        ("plate", Field("车牌号", "text")),
        ("seats", Field("座位数（不含司机）", "int")),
        ("driver", Field("驾驶员", "text")),
        ("phone", Field("驾驶员电话", "text")),
        ("depart", Field("发车时间", "datetime")),
        ("place", Field("发车地点", "text")),
        ("area", Field("通行区域或停车区（印在车辆通行证上；不写时用 pass_area）", "text")))),
    "pass_area": Field("车辆通行证的通行区域或停车区（各车未写 area 时用）", "text"),
    "materials": Field("会议材料", "records", default=[], sub=_record(
        ("title", Field("材料名称", "text", required=True)),
        ("copies", Field("份数", "count", choices=(PER_PERSON, PER_UNIT), default=PER_PERSON)),
        ("to", Field("发给哪些类别的人员", "choices", choices=ROLES, default=[])),
        ("classification", Field("密级", "choice", choices=tuple(CLASSIFICATIONS), default="公开")),
        ("secrecy_term", Field("保密期限（默认：会议的保密期限）", "text")),
        ("recollect", Field("会后收回", "bool", default=False)),
        ("file", Field("材料 PDF 文件（放在会议文件夹中）", "text")),
        ("pages", Field("页数（没有 file 时填写，供主席台材料核对）", "int", most=9999)))),
    "duty": Field("值班及会务工作人员", "records", default=[], sub=_record(
        ("group", Field("岗位/工作组", "text", required=True)),
        ("name", Field("姓名", "text", required=True)),
        ("phone", Field("电话", "text", required=True)),
        ("place", Field("地点", "text")))),
    "rules": Field("会议纪律", "texts", default=[]),
    "notes": Field("注意事项", "texts", default=[]),
    "accommodation": Field("住宿安排", "texts", default=[]),
    "meals": Field("就餐安排", "texts", default=[]),
    "signs": Field("引导牌", "records", default=[], sub=_record(
        ("text", Field("指引内容", "text", required=True)),
        ("arrow", Field("箭头方向", "choice", choices=ARROWS, default="无")),
        ("size", Field("纸张", "choice", choices=("A4", "A3"), default="A4")))),
    "feedback": Field("意见征集", "record", sub=_record(
        ("questions", Field("征询事项（不写时用默认的五项）", "records", default=[], sub=_record(
            ("text", Field("事项", "text", required=True)),
            ("options", Field("选项（默认：满意、基本满意、不满意）", "texts", default=[]))))))),
    "seating": Field("座次（也可写在 venue.yaml 中）", "record", sub=tuple(VENUE.items())),
    "reminders": Field("领导提醒", "record", sub=_record(
        ("to", Field("提醒谁（类别或姓名）", "texts", default=["主席台"])),
        ("before", Field("提前分钟数", "int", default=60, most=10080)))),
}

# Office-wide choices (domain.md's [I] defaults): set once in settings.yaml at the
# project root, and per meeting in meeting.md when one meeting differs.
SETTINGS: dict[str, Field] = {
    "rostrum_variant": Field("主席台偶数排法：A（2号在1号左手，默认）、B（1号居中偏左）、C（涉外，以右为尊）", "choice",
                             choices=("A", "B", "C"), default="A"),
    "name_order": Field("姓名排序方法", "choice", choices=tuple(NAME_ORDERS), default="姓氏笔画"),
    "clock": Field("时间写法", "choice", choices=CLOCKS, default="上午9:00"),
    "red_rule_mm": Field("版头红色分隔线粗细（毫米）", "number", default=0.5, most=3),
    "mirror_margins": Field("双面印刷时偶数页左右页边距对调", "bool", default=False),
    "reply_rows": Field("回执表空行数", "int", default=8, most=12),  # more would run into the 版记
    "badge_size": Field("证件尺寸（卡套规格，宽×高，毫米）", "choice", choices=tuple(BADGE_SIZES), default="90×130"),
    "badge_margin_mm": Field("证件拼版页边距（毫米）", "number", default=10.0, most=40),
    "badge_backs": Field("证件双面印刷（背面印须知）", "bool", default=False),
    "card_fold": Field("桌签折法", "choice", choices=("对折", "三折"), default="对折"),
    "card_unit_line": Field("桌签姓名下加印单位及职务", "bool", default=False),
    "card_staff": Field("工作人员、媒体也制作桌签", "bool", default=False),
    "substitute_on_rostrum": Field("主席台领导的替会人员坐主席台（默认随单位坐会场）", "bool", default=False),
    "signin_blank_rows": Field("签到表末尾留给临时参会人员的空行数", "whole", default=5, most=40),
    "site_publish": Field("在内网发布的工作用表（默认只发布通知、须知、纪要、督办）", "texts", default=[]),
    "archive_fonds": Field("全宗号（归档文件目录编档号用）", "text"),
    "archive_retention": Field("保管期限（归档文件目录编档号用）", "choice", choices=tuple(RETENTION)),
    "minutes_names": Field("纪要出席、请假、列席名单写法：单位加姓名（默认）或 姓名（小范围领导会议）", "choice",
                           choices=MINUTES_NAMES, default=MINUTES_NAMES[0]),
    "minutes_absent": Field("纪要列出未请假缺席的人员", "bool", default=False),
    "briefing_absent": Field("简报到会情况写出缺席人数", "bool", default=False),
    "fee_quotas": Field("会议费综合定额（元/人·天，住宿＋伙食＋其他），按会议类别", "record", default=FEE_QUOTAS,
                        sub=tuple((c, Field(f"{c}会议", "number", default=q, most=10**6))
                                  for c, q in FEE_QUOTAS.items())),
}
FIELDS.update({k: Field(f.label, f.kind, choices=f.choices, most=f.most, sub=f.sub) for k, f in SETTINGS.items()})


@dataclass(kw_only=True)
class Front:
    """meeting.md's front matter, checked: one typed attribute per key of FIELDS (a test keeps the two
    in step). A required key is never None once the build lays anything out; a setting the meeting
    leaves out holds the office's value from settings.yaml."""

    title: str
    organizer: str
    doc_number: str | None
    notice_title: list[str] | None
    classification: str
    secrecy_term: str | None
    urgency: str | None
    copies: int
    start: datetime
    end: datetime | None
    venue: str
    checkin: dict[str, Any] | None
    recipients: list[str]
    contacts: list[dict[str, Any]]
    agenda: list[dict[str, Any]]
    channels: list[str]
    signed_on: date | None
    reply_by: datetime | None
    cc: list[str]
    follows: str | None
    approved: bool
    purpose: str | None
    participants: list[str]
    requirements: list[str]
    schedule: list[dict[str, Any]]
    hours: list[dict[str, Any]]
    tasks: list[dict[str, Any]]
    review: dict[str, Any] | None
    budget: dict[str, Any] | None
    emergency: list[dict[str, Any]]
    equipment: dict[str, Any] | None
    coordination: dict[str, Any] | None
    vehicles: list[dict[str, Any]]
    pass_area: str | None
    materials: list[dict[str, Any]]
    duty: list[dict[str, Any]]
    rules: list[str]
    notes: list[str]
    accommodation: list[str]
    meals: list[str]
    signs: list[dict[str, Any]]
    feedback: dict[str, Any] | None
    seating: dict[str, Any] | None
    reminders: dict[str, Any] | None
    rostrum_variant: str
    name_order: str
    clock: str
    red_rule_mm: float
    mirror_margins: bool
    reply_rows: int
    badge_size: str
    badge_margin_mm: float
    badge_backs: bool
    card_fold: str
    card_unit_line: bool
    card_staff: bool
    substitute_on_rostrum: bool
    signin_blank_rows: int
    site_publish: list[str]
    archive_fonds: str | None
    archive_retention: str | None
    minutes_names: str
    minutes_absent: bool
    briefing_absent: bool
    fee_quotas: dict[str, float]


def check(source: Source, problems: Problems, settings: dict[str, Any]) -> dict[str, Any]:
    """Typed values for every declared key; settings the meeting leaves out come from `settings`."""
    values = _check_mapping(source.data, FIELDS, (), source, problems)
    return {**values, **{k: settings[k] for k in SETTINGS if values[k] is None}}


def check_venue(source: Source, problems: Problems) -> dict[str, Any]:
    """venue.yaml: the seating plan kept in a file of its own."""
    return _check_mapping(source.data, VENUE, (), source, problems)


def check_settings(source: Source | None, problems: Problems) -> dict[str, Any]:
    """The project's settings.yaml (absent: every default)."""
    if source is None:
        return {k: f.default for k, f in SETTINGS.items()}
    values = _check_mapping(source.data, SETTINGS, (), source, problems)
    return {k: SETTINGS[k].default if v is None else v for k, v in values.items()}


def _check_mapping(raw: dict, fields: dict[str, Field], key: tuple, src: Source, problems: Problems) -> dict:
    out: dict[str, Any] = {}
    for name in raw:
        if name not in fields:
            problems.add(src.path, src.line(*key, name), _unknown(str(name), fields))
    for name, spec in fields.items():
        if name not in raw or raw[name] is None or (isinstance(raw[name], str) and not raw[name].strip()):
            if spec.required:
                problems.add(src.path, src.line(*key), f"缺少必填项 {_dotted(key, name)}（{spec.label}）")
            out[name] = spec.default
            continue
        out[name] = _check_value(raw[name], spec, (*key, name), src, problems)
    return out


def _unknown(name: str, fields: dict[str, Field]) -> str:
    close = difflib.get_close_matches(name, list(fields), n=1, cutoff=0.6)
    hint = f"，是不是“{close[0]}”？" if close else f"。可用的键：{'、'.join(fields)}"
    return f"未知的键“{name}”{hint}"


def _dotted(key: tuple, name: str = "") -> str:
    parts = [f"[{k + 1}]" if isinstance(k, int) else f".{k}" for k in (*key, name) if k != ""]
    return "".join(parts).lstrip(".")


Checker = Callable[..., Any]


def _check_value(value: Any, spec: Field, key: tuple, src: Source, problems: Problems) -> Any:
    def fail(message: str) -> None:
        problems.add(src.path, src.line(*key), f"{_dotted(key)}（{spec.label}）：{message}")

    return CHECKERS[spec.kind](value, spec, key, src, problems, fail)


def _text(value, spec, key, src, problems, fail):
    if isinstance(value, (dict, list)):
        return fail("应为一段文字")
    return str(value).strip()


def _int(value, spec, key, src, problems, fail):
    least = 0 if spec.kind == "whole" else 1
    if isinstance(value, bool) or not isinstance(value, int) or value < least:
        return fail(f"应为{'不小于 0 的' if least == 0 else '正'}整数，收到“{value}”")
    if spec.most and value > spec.most:
        return fail(f"不能超过 {spec.most}，收到 {value}")
    return value


def _count(value, spec, key, src, problems, fail):
    if isinstance(value, str) and value in spec.choices:
        return value
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        return fail(f"应为正整数或 {'、'.join(spec.choices)}，收到“{value}”")
    return value


def _number(value, spec, key, src, problems, fail):
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value <= 0:
        return fail(f"应为正数，收到“{value}”")
    if spec.most and value > spec.most:
        return fail(f"不能超过 {spec.most}，收到 {value}")
    return float(value)


def _bool(value, spec, key, src, problems, fail):
    if not isinstance(value, bool):
        return fail(f"应为 true 或 false，收到“{value}”")
    return value


def _datetime(value, spec, key, src, problems, fail):
    parsed, has_time, error = parse_datetime(str(value))
    if error:
        return fail(error)
    if not has_time:
        return fail(f"“{value}”缺少时刻，请写成 {parsed:%Y-%m-%d} 09:00")
    return parsed


def _date(value, spec, key, src, problems, fail):
    parsed, has_time, error = parse_datetime(str(value))
    if error:
        return fail(error)
    return parsed.date()


def _choice(value, spec, key, src, problems, fail):
    if str(value) not in spec.choices:
        return fail(f"应为 {'、'.join(spec.choices)} 之一，收到“{value}”")
    return str(value)


LIST_MOST = 500  # items of one list (agenda, decisions, vehicles…): far more than a meeting has


def _each(item: Checker) -> Checker:
    """A list checker from an item checker (a single value counts as a list of one)."""
    def check(value, spec, key, src, problems, fail):
        items = value if isinstance(value, list) else [value]
        if len(items) > LIST_MOST:
            return fail(f"列表过长（{len(items)} 项，最多 {LIST_MOST} 项）")
        return [item(v, spec, (*key, i), src, problems, fail) for i, v in enumerate(items)]

    return check


def _record_check(value, spec, key, src, problems, fail):
    if not isinstance(value, dict):
        return fail(f"应包含 {'、'.join(k for k, _ in spec.sub)}")
    return _check_mapping(value, dict(spec.sub), key, src, problems)


def _records(value, spec, key, src, problems, fail):
    if not isinstance(value, list):
        return fail("应为列表，每项一行，以“- ”开头")
    if len(value) > LIST_MOST:
        return fail(f"列表过长（{len(value)} 项，最多 {LIST_MOST} 项）")
    return [_record_check(v, spec, (*key, i), src, problems, fail) for i, v in enumerate(value)]


CHECKERS: dict[str, Checker] = {
    "text": _text, "int": _int, "whole": _int,
    "count": _count, "number": _number, "bool": _bool, "datetime": _datetime, "date": _date,
    "choice": _choice, "texts": _each(_text),
    "ints": _each(_int), "choices": _each(_choice), "record": _record_check, "records": _records,
}
