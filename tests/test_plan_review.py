"""A 会议方案 fit for 审定: the 审签 block, the 经费预算 with its total and the 综合定额 check, the 应急预案, and the
送审件 with the seat map and the notice draft as 附件 — read back from the PDFs, recomputed from the sources."""

from __future__ import annotations

from pypdf import PdfReader

from conftest import (
    BARE,
    ROOT,
    SAMPLE,
    flat,
    front_matter,
    new_project,
    pdf_tables,
    run,
    sample_attending,
    write_meeting,
)


def pages(path) -> list[str]:
    return [flat(p.extract_text()) for p in PdfReader(path).pages]


def yuan(x: float) -> str:
    return f"{x:,.0f}" if x == int(x) else f"{x:,.2f}".rstrip("0")


def test_the_budget_adds_up_and_is_held_against_the_quota(sample_build):
    v = front_matter(ROOT / "content" / SAMPLE / "meeting.md")
    people, days = len(sample_attending(counted=False)), 1  # everyone expected in the hall; a one-day meeting
    (budget,) = [t for t in pdf_tables(sample_build / "plan.pdf") if t[0][:2] == ["序号", "项目"]]
    amounts = [it.get("amount", it.get("standard", 0) * it.get("people", people) * it.get("days", days))
               for it in v["budget"]["items"]]
    assert [r[1] for r in budget[1:-1]] == [flat(it["item"]) for it in v["budget"]["items"]]
    assert [r[5] for r in budget[1:-1]] == [yuan(a) for a in amounts]
    assert budget[-1][1] == "合计" and budget[-1][5] == yuan(sum(amounts))
    text = "".join(pages(sample_build / "plan.pdf"))
    per = sum(amounts) / (people * days)
    assert f"按{people}人、{days}天计，人均每天{yuan(round(per, 2))}元，未超过三类会议综合定额550元。" in text


def test_the_emergency_plan_and_the_review_block(sample_build):
    v = front_matter(ROOT / "content" / SAMPLE / "meeting.md")
    found = pdf_tables(sample_build / "plan.pdf")
    (emergency,) = [t for t in found if t[0] == ["情形", "处置措施", "责任人"]]
    assert emergency[1:] == [[flat(e["case"]), flat(e["action"]), e["owner"]] for e in v["emergency"]]
    (review,) = [t for t in found if t[0] == ["环节", "姓名", "签字", "日期"]]
    assert review[1:] == [["拟稿", v["review"]["drafter"], "", "年月日"], ["审核", v["review"]["checker"], "", "年月日"],
                          ["审定", v["review"]["approver"], "", "年月日"]]
    last = pages(sample_build / "plan.pdf")[-1]
    assert "审签" in last and last.index("青川市人民政府办公室") < last.index("审签")  # after the 落款
    assert "附件：1.座次表2.会议通知（代拟稿）" in "".join(pages(sample_build / "plan.pdf"))


def test_the_review_copy_carries_the_plan_then_each_attachment(sample_build):
    plan, seatmap, notice = (pages(sample_build / f) for f in ("plan.pdf", "seatmap.pdf", "notice.pdf"))
    bundle = [p for p in pages(sample_build / "plan-review.pdf")]
    content = [p for p in bundle if p]  # the blank backs that start each part on a fresh sheet are left out
    assert content == [*plan, "附件1座次表", seatmap[0], "附件2会议通知（代拟稿）", *notice]
    assert "工作人员用" not in "".join(bundle)  # the seat map's staff copy stays with the staff
    assert unreached(sample_build / "plan-review.pdf") == set()  # nor is it in the file, undrawn


def unreached(path) -> set[tuple[int, int]]:
    """The objects of the file that nothing refers to from its trailer: held, never drawn."""
    import pikepdf

    with pikepdf.open(path) as pdf:
        seen, todo = set(), [pdf.trailer]
        while todo:
            obj = todo.pop()
            if not isinstance(obj, pikepdf.Object):  # a number, a boolean
                continue
            if obj.is_indirect:
                if obj.objgen in seen:
                    continue
                seen.add(obj.objgen)
            inner = obj.stream_dict if isinstance(obj, pikepdf.Stream) else obj
            if isinstance(inner, pikepdf.Dictionary):
                todo += [inner[k] for k in inner.keys()]
            elif isinstance(inner, pikepdf.Array):
                todo += list(inner)
        return {o.objgen for o in pdf.objects if o.objgen != (0, 0)} - seen


def test_an_approved_plan_has_no_review_block_nor_review_copy(tmp_path):
    root = new_project(tmp_path)
    write_meeting(root, "t", BARE.replace("---\n\n", "purpose: 研究工作。\napproved: true\n---\n\n", 1))
    result = run(root, "build")
    assert result.returncode == 0, result.stderr
    text = "".join(pages(root / "output" / "t" / "plan.pdf"))
    assert "审签" not in text and "附件：" not in text and "送审稿" not in text
    assert "未生成 t/plan-review.pdf：会议方案已审定（approved: true），不再需要送审件" in result.stdout


OVER = BARE.replace("---\n\n", """purpose: 研究工作。
budget:
  class: 四类
  people: 10
  days: 2
  items:
    - {item: 住宿, standard: 400}
    - {item: 伙食, standard: 130}
    - {item: 场地, amount: 800}
---

""", 1)


def test_a_budget_over_the_quota_is_a_warning_with_its_line(tmp_path):
    root = new_project(tmp_path)
    write_meeting(root, "t", OVER)
    result = run(root, "build", "--only", "plan")
    assert result.returncode == 0, result.stderr
    # (400 + 130) × 10 × 2 + 800 = 11,400 元 ÷ 10 人 ÷ 2 天 = 570 元 > 550 元
    said = "经费预算人均每天 570 元（11,400 元 ÷ 10 人 ÷ 2 天），超过四类会议综合定额 550 元"
    assert f"  警告：content/t/meeting.md:8: {said}" in result.stdout
    assert flat(said) in "".join(pages(root / "output" / "t" / "plan.pdf"))
    checked = run(root, "check")
    assert checked.returncode == 0 and f"警告：content/t/meeting.md:8: {said}" in checked.stdout
    assert "检查通过：1 个会议，未发现错误，有 1 处警告（见上）。" in checked.stdout


def test_the_quotas_are_a_setting(tmp_path):
    root = new_project(tmp_path)
    write_meeting(root, "t", OVER)
    (root / "settings.yaml").write_text("fee_quotas: {四类: 600}\n", encoding="utf-8")
    result = run(root, "build", "--only", "plan")
    assert result.returncode == 0, result.stderr
    assert "警告" not in result.stdout
    assert "未超过四类会议综合定额600元" in "".join(pages(root / "output" / "t" / "plan.pdf"))


def test_a_budget_item_without_amount_or_standard_names_its_line(tmp_path):
    root = new_project(tmp_path)
    write_meeting(root, "t", OVER.replace("{item: 场地, amount: 800}", "{item: 场地}"))
    result = run(root, "build")
    assert result.returncode == 1
    assert "meeting.md:14: budget.items[3]（场地）：请写金额 amount，或标准 standard（按人数×天数计算）" in result.stderr


def test_a_missing_layout_of_a_kind_laid_out_last_is_said_before_anything_is_written(tmp_path):
    import shutil

    root = new_project(tmp_path)
    (root / "layouts").unlink()
    shutil.copytree(ROOT / "layouts", root / "layouts")
    (root / "layouts" / "review.html.j2").unlink()  # a project's own layouts folder from before the 送审件
    write_meeting(root, "t", BARE.replace("---\n\n", "purpose: 研究工作。\n---\n\n", 1))
    result = run(root, "build")
    assert result.returncode == 1
    assert "layouts/review.html.j2: 模板错误：'review.html.j2' not found" in result.stderr
    assert "未生成任何文件" in result.stderr and not (root / "output" / "t").exists()


def test_an_attachment_written_anew_is_cut_while_the_workers_render(sample_build, tmp_path, monkeypatch):
    """The 送审件 is joined after every other document; the pages it attaches of a file the build wrote anew (the
    seat map after a name edit) are cut before, while the build waits on the workers (review.prepares, Job.idle):
    its join finds them cut, and comes out the same."""
    from types import SimpleNamespace

    from huiwu import joining
    from huiwu.documents import review

    m = SimpleNamespace(seat_plan=SimpleNamespace(taken=["第1排第1座"]))
    seats, plan = (sample_build / "seatmap.pdf").read_bytes(), (sample_build / "plan.pdf").read_bytes()
    assert review.prepares(m, "signin.pdf", b"%PDF-1.7") is None
    task = review.prepares(m, "seatmap.pdf", seats)
    assert task is not None
    cut: list[bytes] = []
    real = joining._cut_part
    monkeypatch.setattr(joining._cuts, "known", {})  # none cut before in this process
    with joining.remembered(tmp_path / "ahead"):
        task()
        monkeypatch.setattr(joining, "_cut_part", lambda data, form=False: cut.append(data) or real(data, form))
        ahead = joining.join([plan, review.first_pages(seats, 1)])
    assert not [data for data in cut if getattr(data, "pages", None)]  # the seat map: cut before
    joining._cuts.known.clear()
    with joining.remembered(tmp_path / "alone"):
        assert joining.join([plan, review.first_pages(seats, 1)]) == ahead
    assert [data for data in cut if getattr(data, "pages", None)]  # cut then
