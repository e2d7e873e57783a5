"""涉密材料清退（销毁）登记表: every numbered copy once, with what became of it; the counts add up
(印制 = 存档 + 清退 + 销毁 + 未处置, and only copies still out are 未处置)."""

from __future__ import annotations

import csv
import re

import pytest

from conftest import ROOT, new_project, open_pdf, run

COLUMNS = ("序号", "份号", "持有人", "处置方式", "日期", "经办人", "监销人", "备注")
RECOLLECTION = ("序号", "份号", "持有单位", "持有人", "回收时间", "回收人", "完好情况", "备注")
DISPOSED = "content/2026-12-jingji/disposed.csv"


def rows(path, header: tuple[str, ...] = COLUMNS) -> list[list[str]]:
    """Body rows of the tables with this header."""
    out = []
    with open_pdf(path) as pdf:
        for page in pdf.pages:
            for t in page.extract_tables():
                cells = [[re.sub(r"\s", "", c or "") for c in r] for r in t]
                if tuple(cells[0]) == header:
                    out += cells[1:]
    return out


def test_each_copy_is_accounted_for_and_the_counts_add_up(sample_build):
    listed = rows(sample_build / "disposal.pdf")
    recollected = {r[1]: r for r in rows(sample_build / "recollection.pdf", RECOLLECTION)}
    assert [r[1] for r in listed] == sorted(recollected) and len(listed) == 66
    ways = {way: [r for r in listed if r[3] == way] for way in ("存档", "清退", "销毁", "未处置")}
    assert sum(len(v) for v in ways.values()) == len(listed)
    assert sorted(r[1] for r in ways["未处置"]) == sorted(n for n, r in recollected.items() if r[4] == "未收回")
    assert ways["销毁"] and all(r[6] for r in ways["销毁"])  # a destroyed copy always has its 监销人
    with open(ROOT / DISPOSED, encoding="utf-8-sig") as f:
        keyed = {row["份号"]: row for row in csv.DictReader(f)}
    for r in listed:
        if r[1] in keyed:
            assert r[3:7] == [keyed[r[1]]["处置方式"], "2026年12月15日", keyed[r[1]]["经办人"], keyed[r[1]]["监销人"]]
    counts = "，".join(f"{w}{len(ways[w])}份" for w in ("存档", "清退", "销毁"))
    with open_pdf(sample_build / "disposal.pdf") as pdf:
        assert f"共{len(listed)}份：{counts}，未处置{len(ways['未处置'])}份" in re.sub(r"\s", "", pdf.pages[0].extract_text())


@pytest.mark.parametrize(("row", "message"), [
    ("000027,销毁,2026-12-15,廖婷婷,金涛,", "份号“000027”尚未收回，不能登记处置（收回后先在回收记录中登记）"),
    ("000004,销毁,2026-12-15,廖婷婷,,", "份号“000004”销毁须有监销人（监销人一列）"),
    ("000004,烧掉,2026-12-15,廖婷婷,金涛,", "处置方式：应为 存档、清退、销毁 之一，收到“烧掉”"),
    ("000004,销毁,12月15日,廖婷婷,金涛,", "日期：“12月15日”不是有效的日期，请写成 2026-12-15"),
])
def test_a_wrong_disposal_row_is_named_with_its_line(tmp_path, row, message):
    root = new_project(tmp_path, sample=True)
    (root / DISPOSED).write_text(f"份号,处置方式,日期,经办人,监销人,备注\n{row}\n", encoding="utf-8")
    result = run(root, "check")
    assert result.returncode == 1
    assert result.stderr.splitlines()[0] == f"{DISPOSED}:2: {message}"
