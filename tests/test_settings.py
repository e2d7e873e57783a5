"""Office settings (settings.yaml) and per-meeting overrides, checked on the printed result."""

from __future__ import annotations

import pytest

from conftest import BARE, SAMPLE, lines_of, mm, new_project, open_pdf, run, write_meeting


def build_with(tmp_path, settings: str, *only: str):
    """The sample built with these office settings; `only`: the kinds to build (every kind by default)."""
    root = new_project(tmp_path, sample=True)
    (root / "settings.yaml").write_text(settings, encoding="utf-8")
    result = run(root, "build", *(("--only", ",".join(only)) if only else ()))
    return root, result


def notice_text(root):
    with open_pdf(root / "output" / SAMPLE / "notice.pdf") as pdf:
        return "".join(p.extract_text() for p in pdf.pages).replace("\n", "")


def test_24_hour_clock(tmp_path):
    root, result = build_with(tmp_path, "clock: '9:00'\n", "notice")
    assert result.returncode == 0, result.stderr
    text = notice_text(root)
    assert "2026年12月8日（星期二）9:00—11:30" in text
    assert "2026年12月4日（星期五）17:00前" in text
    assert "上午" not in text and "下午" not in text


def test_mirrored_margins_on_even_pages(tmp_path):
    root, result = build_with(tmp_path, "mirror_margins: true\n", "notice")
    assert result.returncode == 0, result.stderr
    with open_pdf(root / "output" / SAMPLE / "notice.pdf") as pdf:
        for number in (2, 3):
            body = [ln for ln in lines_of(pdf.pages[number - 1], 16) if len(ln[1]) >= 27]
            left = min(ln[2] for ln in body)
            assert left == pytest.approx(28 if number % 2 else 26, abs=0.5)


def test_red_rule_thickness(tmp_path):
    root, result = build_with(tmp_path, "red_rule_mm: 0.8\n", "notice")
    assert result.returncode == 0, result.stderr
    with open_pdf(root / "output" / SAMPLE / "notice.pdf") as pdf:
        (rule,) = [r for r in pdf.pages[0].rects if r["non_stroking_color"] == (1.0, 0.0, 0.0)]
        assert mm(rule["height"]) == pytest.approx(0.8, abs=0.05)


def test_unknown_setting_is_named_with_its_line(tmp_path):
    root, result = build_with(tmp_path, "clock: '9:00'\nname_ordr: 姓名笔画\n")
    assert result.returncode == 1
    assert result.stderr.split("\n")[0] == "settings.yaml:2: 未知的键“name_ordr”，是不是“name_order”？"


def test_changing_settings_rebuilds(tmp_path):
    root = new_project(tmp_path)  # a small meeting whose notice prints the time: the stamps need full builds
    write_meeting(root, "t", BARE.replace("正文。", "会议时间：{会议时间}。"))
    (root / "settings.yaml").write_text("clock: '9:00'\n", encoding="utf-8")
    run(root, "build")
    assert run(root, "build").stdout.startswith("无需更新")
    (root / "settings.yaml").write_text("clock: 上午9:00\n", encoding="utf-8")
    assert "会议通知" in run(root, "build").stdout


@pytest.mark.parametrize("rows", [8, 12])
def test_reply_form_never_runs_into_the_imprint(tmp_path, rows):
    root, result = build_with(tmp_path, f"reply_rows: {rows}\n", "notice")
    assert result.returncode == 0, result.stderr
    with open_pdf(root / "output" / SAMPLE / "notice.pdf") as pdf:
        (table,) = [t for p in pdf.pages for t in p.find_tables() if t.extract()[0][0] == "单位"]
        assert len(table.rows) == rows + 1
        last = pdf.pages[-1]
        imprint_top = min(r["top"] for r in last.rects if mm(r["width"]) > 150)
        above = [c for c in last.chars if c["bottom"] <= imprint_top]
        assert all(c["bottom"] < imprint_top - 2 for c in above)  # clear gap, no overlap
        assert not any(c["top"] < imprint_top < c["bottom"] for c in last.chars)


def test_too_many_reply_rows_is_refused(tmp_path):
    root, result = build_with(tmp_path, "reply_rows: 13\n")
    assert result.returncode == 1
    assert result.stderr.split("\n")[0] == "settings.yaml:1: reply_rows（回执表空行数）：不能超过 12，收到 13"
