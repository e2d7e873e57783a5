"""Name ordering by strokes: test vectors of domain.md §3 and table integrity."""

from __future__ import annotations

import itertools
import random
import re

import pytest

from huiwu import strokes

SURNAMES = ["丁", "于", "马", "王", "文", "方", "尹", "孔", "石", "叶", "田", "史", "白", "刘", "李", "张", "陈"]


def ordered(names, method="surname"):
    return sorted(names, key=lambda n: strokes.sort_key(n, method))


def seq(char):
    return strokes.char_key(char).seq


def count(char):
    return strokes.char_key(char).strokes


# ---------------------------------------------------------------- §3.2 vectors


def test_surname_list_is_sorted():
    shuffled = SURNAMES[:]
    random.Random(9704).shuffle(shuffled)
    for method in strokes.METHODS:
        assert ordered(shuffled, method) == SURNAMES
        assert ordered(list(reversed(SURNAMES)), method) == SURNAMES


def test_surname_counts():
    assert [count(c) for c in SURNAMES] == [2, 3, 3] + [4] * 5 + [5] * 5 + [6] + [7] * 3


@pytest.mark.parametrize("char, expected", [
    ("王", "1121"), ("文", "4134"), ("方", "4153"), ("尹", "5113"), ("孔", "5215"),
    ("叶", "25112"), ("田", "25121"), ("史", "25134"), ("白", "32511"),
    ("李", "1234521"), ("张", "5153154"), ("陈", "5215234"),
    # cnchar-order is right where the GPL bh.txt is wrong (§3.2)
    ("达", "134454"), ("虽", "251251214"),
])
def test_hand_checked_sequences(char, expected):
    assert seq(char) == expected
    assert count(char) == len(expected)


@pytest.mark.parametrize("char, n", [
    # PRC counts (§3.2); 范 and 骨 have two Unihan values, the first is zh-Hans
    ("黄", 11), ("吕", 6), ("凹", 5), ("鼎", 12), ("范", 8), ("骨", 9),
])
def test_prc_stroke_counts(char, n):
    assert count(char) == n


@pytest.mark.parametrize("method, first, second", [
    ("surname", "王芳", "王一平"),
    ("surname", "田富", "田大利"),
    ("surname", "高富", "高大富"),
    ("surname", "王一", "王一平"),
    ("surname", "田力", "由力"),
    ("fullname", "王一平", "王芳"),
    ("fullname", "田大利", "田富"),
    ("fullname", "王一", "王一平"),
    ("fullname", "田力", "由力"),
])
def test_name_methods(method, first, second):
    assert strokes.sort_key(first, method) < strokes.sort_key(second, method)
    assert ordered([second, first], method) == [first, second]


def test_default_method_is_surname():
    assert strokes.sort_key("田富") == strokes.sort_key("田富", "surname")
    assert strokes.METHODS == {"surname": "姓氏笔画", "fullname": "姓名笔画"}


@pytest.mark.parametrize("chain", ["土士", "己已巳", "未末", "曰日", "人入", "田由", "甲申"])
def test_tgh_tie_breaks(chain):
    # identical count and stroke sequence: 《通用规范汉字表》 order decides
    assert len({(count(c), seq(c)) for c in chain}) == 1
    assert ordered(list(reversed(chain))) == list(chain)
    assert ordered(list(reversed(chain)), "fullname") == list(chain)


def test_tgh_tie_break_in_names():
    for method in strokes.METHODS:
        assert ordered(["由力", "田力"], method) == ["田力", "由力"]
        assert ordered(["士大夫", "土大夫"], method) == ["土大夫", "士大夫"]


def test_paired_dot_and_pie_follow_tgh():
    # §3.1 item 1 reports that the short 撇 of 丷 (关, 羊) may count as 点.
    # 《通用规范汉字表》 (kTGH) and GF 3002 keep it a 撇: 关 431134 < 米 431234 < 江 441121.
    assert seq("关") == "431134"
    assert seq("羊") == "431112"
    assert ordered(["江", "米", "关"]) == ["关", "米", "江"]


# ---------------------------------------------------------------- names


def test_compound_surnames_compared_character_by_character():
    # 3+ character names: no blank, with either method
    # 姓氏笔画: 欧明 is surname + single given name, its blank precedes 阳
    assert ordered(["欧阳明", "欧明"], "surname") == ["欧明", "欧阳明"]
    # 姓名笔画: 明 (8 strokes) comes after 阳 (6 strokes)
    assert ordered(["欧明", "欧阳明"], "fullname") == ["欧阳明", "欧明"]
    # 司马 (马 3) < 司空 (空 8) < 司徒 (徒 10) by the second character
    names = ["司徒雷", "司空文", "司马光"]
    assert ordered(names) == ["司马光", "司空文", "司徒雷"]
    # 上官 (3 strokes) before 令狐 (5) before 欧阳 (8) before 诸葛 (10)
    assert ordered(["诸葛亮", "欧阳修", "令狐冲", "上官婉"]) == [
        "上官婉", "令狐冲", "欧阳修", "诸葛亮"]


def test_long_minority_names():
    key = strokes.sort_key("买买提·艾力")
    assert len(key) == 5  # dot removed, no blank inserted
    assert strokes.sort_key("买买提·艾力") == strokes.sort_key("买买提艾力")


REQUIRED = {
    # rarer given-name characters, sequences checked by hand from components
    "喆": "121251121251", "堃": "41534153121", "昇": "25113132",
    "犇": "311231213112", "淼": "253425342534",
    "鑫": "341124313411243134112431", "琰": "112143344334", "玥": "11213511",
    "珺": "11215113251", "昊": "25111134", "晟": "2511135534",
    "彧": "1251153334", "婧": "53111212511", "甦": "125113431121",
    "燊": "4334433443341234", "骞": "4451122134551", "翀": "5415412512",
    "赟": "4134112121542534", "祎": "45241152", "钰": "3111511214",
    "颢": "251141251234132534", "璟": "1121251141251234",
    # characters of the compound surnames
    "欧": "13453534", "阳": "522511", "司": "51251", "马": "551", "上": "211",
    "官": "44525151", "诸": "4512132511", "葛": "122251135345", "东": "15234",
    "皇": "325111121", "甫": "1251124", "尉": "51311234124", "迟": "5134454",
    "公": "3454", "孙": "521234", "慕": "12225111342444", "容": "4453434251",
    "令": "34454", "狐": "35333544", "端": "41431252132522", "木": "1234",
}


@pytest.mark.parametrize("char", sorted(REQUIRED))
def test_required_name_characters(char):
    assert strokes.missing_chars(char) == []
    assert seq(char) == REQUIRED[char]


def test_compound_surnames_covered():
    for surname in ["欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "令狐", "端木"]:
        assert strokes.missing_chars(surname + "明") == []
        strokes.sort_key(surname + "明")


# ---------------------------------------------------------------- normalisation


@pytest.mark.parametrize("raw, expected", [
    ("王芳", "王芳"),
    ("王 芳", "王芳"),
    ("王\u3000芳", "王芳"),
    (" 王　芳 ", "王芳"),
    ("买买提·艾力", "买买提艾力"),
    ("买买提•艾力", "买买提艾力"),
    ("阿依古丽 · 买买提", "阿依古丽买买提"),
])
def test_normalize(raw, expected):
    assert strokes.normalize(raw) == expected


def test_padding_does_not_change_order():
    assert strokes.sort_key("王　芳") == strokes.sort_key("王芳")
    assert strokes.sort_key("王 芳", "fullname") == strokes.sort_key("王芳", "fullname")


@pytest.mark.parametrize("raw, expected", [
    ("王芳", "王\u3000芳"),
    ("王 芳", "王\u3000芳"),
    ("王\u3000芳", "王\u3000芳"),
    ("王一平", "王一平"),
    ("欧阳明", "欧阳明"),
    ("买买提·艾力", "买买提·艾力"),
    ("王", "王"),
])
def test_pad_name(raw, expected):
    assert strokes.pad_name(raw) == expected


# ---------------------------------------------------------------- errors


@pytest.mark.parametrize("unknown", ["\u4db6", "\ue000", "A"])
def test_unknown_character_raises(unknown):
    name = "王" + unknown + "平"
    assert strokes.missing_chars(name) == [unknown]
    for method in strokes.METHODS:
        with pytest.raises(KeyError) as info:
            strokes.sort_key(name, method)
        assert info.value.args == (unknown,)


def test_missing_chars_lists_each_once():
    assert strokes.missing_chars("王芳") == []
    assert strokes.missing_chars("\ue000王\ue001\ue000") == ["\ue000", "\ue001"]


def test_bad_method_and_empty_name():
    with pytest.raises(ValueError, match="排序方法"):
        strokes.sort_key("王芳", "pinyin")
    with pytest.raises(ValueError, match="姓名为空"):
        strokes.sort_key(" · ")


# ---------------------------------------------------------------- data integrity


def _rows():
    lines = strokes.DATA_FILE.read_text(encoding="utf-8").splitlines()
    body = [line for line in lines if not line.startswith("#")]
    assert body[0] == "char\tcount\tseq\ttgh"
    return [line.split("\t") for line in body[1:]]


def test_table_rows_are_consistent():
    rows = _rows()
    assert len(rows) > 6900
    chars = [r[0] for r in rows]
    assert len(set(chars)) == len(chars)
    for char, n, digits, tgh in rows:
        assert len(char) == 1, char
        assert re.fullmatch(r"[1-5]+", digits), char
        assert len(digits) == int(n), char
        assert tgh == "" or 1 <= int(tgh) <= 8105, char
    tghs = [r[3] for r in rows if r[3]]
    assert len(set(tghs)) == len(tghs)


def test_table_covers_tgh_levels_1_and_2():
    serials = {int(r[3]) for r in _rows() if r[3]}
    assert set(range(1, 3501)) <= serials  # level 1: all 3500
    assert len(serials & set(range(3501, 6501))) >= 2990  # level 2: all but a few


def test_tgh_order_matches_strokes_within_each_level():
    rows = [(int(t), int(n), s, c) for c, n, s, t in _rows() if t]
    for lo, hi in ((1, 3500), (3501, 6500), (6501, 8105)):
        level = sorted(r for r in rows if lo <= r[0] <= hi)
        keys = [(n, s) for _, n, s, _ in level]
        bad = [(a, b) for a, b in itertools.pairwise(level) if (a[1], a[2]) > (b[1], b[2])]
        assert not bad
        assert keys == sorted(keys)


def test_overrides_are_in_the_table():
    # the table was regenerated after the last edit of the override file
    path = strokes.DATA_FILE.with_name("strokes-override.tsv")
    entries = [line.split("\t") for line in path.read_text(encoding="utf-8").splitlines()
               if line.strip() and not line.startswith("#")]
    assert len(entries) > 100
    for char, digits, *_ in entries:
        assert seq(char) == digits, char


def test_table_loaded_once():
    strokes.char_key("王")
    assert strokes._table() is strokes._table()
