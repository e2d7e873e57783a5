"""The site's search data: plain-text entries of every published meeting, written as one static
JavaScript file (fetch() of a JSON file fails from file://), and the pinyin keys of attendees'
names for the seat finder (`zs` and `zhangsan` find 张三).

Matching itself runs in the browser (layouts/site/assets/search.js): substring search over
NFKC-normalised, lower-cased text, so 经济工作 is found inside 全市经济工作会议 and one- or
two-character queries work; Chinese needs no word segmentation for that.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

from ..memo import Memo
from ..strokes import normalize

# Surnames read differently from the same character in ordinary words (pypinyin has no surname mode):
# compound surnames first, then single characters.
SURNAMES: dict[str, list[str]] = {
    "欧阳": ["ou", "yang"], "上官": ["shang", "guan"], "司马": ["si", "ma"], "诸葛": ["zhu", "ge"],
    "东方": ["dong", "fang"], "皇甫": ["huang", "fu"], "尉迟": ["yu", "chi"], "万俟": ["mo", "qi"],
    "单于": ["chan", "yu"], "令狐": ["ling", "hu"], "慕容": ["mu", "rong"], "长孙": ["zhang", "sun"],
    "夏侯": ["xia", "hou"], "公孙": ["gong", "sun"], "宇文": ["yu", "wen"], "澹台": ["tan", "tai"],
    "司徒": ["si", "tu"], "端木": ["duan", "mu"], "轩辕": ["xuan", "yuan"], "钟离": ["zhong", "li"],
    "曾": ["zeng"], "单": ["shan"], "解": ["xie"], "仇": ["qiu"], "查": ["zha"], "区": ["ou"],
    "覃": ["qin"], "朴": ["piao"], "乐": ["yue"], "缪": ["miao"], "翟": ["zhai"], "盖": ["ge"],
    "华": ["hua"], "秘": ["bi"], "种": ["chong"], "繁": ["po"], "冼": ["xian"], "折": ["she"],
    "隗": ["wei"], "员": ["yun"], "召": ["shao"], "宓": ["mi"], "薄": ["bo"], "柏": ["bai"],
    "沈": ["shen"], "石": ["shi"], "任": ["ren"], "车": ["che"], "牟": ["mou"], "都": ["du"],
    "叶": ["ye"], "贾": ["jia"], "莘": ["shen"], "重": ["chong"], "句": ["gou"], "过": ["guo"],
    "纪": ["ji"], "燕": ["yan"], "藏": ["zang"], "卜": ["bu"], "尉": ["yu"], "阚": ["kan"],
}


TABLE = Path(__file__).parents[1] / "data" / "pinyin.tsv"  # tools/build_pinyin.py


@functools.lru_cache(maxsize=1)
def _table() -> dict[str, str]:
    """The readings of the 7,067 characters of the stroke table, as pypinyin gives them (tools/build_pinyin.py)."""
    rows = (line.split("\t") for line in TABLE.read_text(encoding="utf-8").splitlines() if not line.startswith("#"))
    return {row[0]: row[1] for row in rows if len(row) == 2}


def _reading(ch: str) -> str:
    """A character's pinyin, its most common reading (a name is read character by character: it is not a word of the
    dictionary). Every character a name may hold is in the table (the names are checked against the stroke table);
    pypinyin, whose dictionaries take a fifth of a second to load, reads any other."""
    known = _table().get(ch)
    if known is not None:
        return known
    from pypinyin import lazy_pinyin

    return "".join(s.lower() for s in lazy_pinyin(ch, errors="ignore"))


def _syllables(text: str) -> list[str]:
    """The readings of a name's characters, its spaces and middle dots left out (as pypinyin leaves them out)."""
    return [s for s in map(_reading, normalize(text)) if s]


def name_syllables(name: str) -> list[list[str]]:
    """A name's readings as syllables: the surname-aware one first, then the ordinary one if different."""
    ordinary = _syllables(name)
    for surname in sorted((s for s in SURNAMES if name.startswith(s)), key=len, reverse=True):
        given = name[len(surname):]
        proper = SURNAMES[surname] + (_syllables(given) if given else [])
        return [proper] if proper == ordinary else [proper, ordinary]
    return [ordinary]


def _name_keys(name: str) -> list[str]:
    keys: list[str] = []
    for syllables in name_syllables(name):
        for key in ("".join(s[:1] for s in syllables), "".join(syllables)):
            if key and key not in keys:
                keys.append(key)
    return keys


# What a person may type to find a name: pinyin initials (`zs`) and full pinyin (`zhangsan`). Remembered
# across builds (`name_keys.remembered`): 2,000 names looked up, not read character by character.
name_keys = Memo(_name_keys, list)


def entry(url: str, title: str, section: str, text: str) -> dict[str, str]:
    """One searchable piece: `url` is relative to the site root; `text` plain, never HTML."""
    return {"u": url, "t": title, "s": section, "x": " ".join(text.split())}


def index_js(entries: list[dict[str, Any]]) -> bytes:
    """The index as a script that sets a global; loaded with <script src>, which works from file://."""
    data = json.dumps(entries, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    data = data.replace("<", "\\u003c")  # harmless in a .js file; keeps "</script>" out of it anyway
    return f"window.HUIWU_INDEX = {data};\n".encode()
