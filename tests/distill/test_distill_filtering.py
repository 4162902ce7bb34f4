"""Reasoning capture, rejection sampling with wenforge's verifiers, style transfer and content preservation."""

from __future__ import annotations

import json
import random
import sys
import types

import pytest
from distill_helpers import read_jsonl, write_prompts

from wenforge.core.reasons import REASONS
from wenforge.distill.checks import CHECKS, Check, CheckContext, Sample, run_checks
from wenforge.distill.config import load_config
from wenforge.distill.preserve import check_preservation, extract_facts, number_forms
from wenforge.distill.run import run_distill
from wenforge.distill.templates import TemplateError, fill, load_template


def _cfg(tmp_path, url, **kw):
    base = {"input": str(tmp_path / "p.jsonl"), "prompt_field": "question", "output": str(tmp_path / "out.jsonl"),
                "base_url": url, "concurrency": 4, "timeout": 2.0, "backoff_base": 0.01}
    base.update(kw)
    return load_config(None, base)


# -- reasoning -------------------------------------------------------------------------------------


@pytest.mark.parametrize("field", [False, True])
def test_reasoning_kept_as_chain_of_thought(tmp_path, teacher, field):
    write_prompts(tmp_path / "p.jsonl", 3)
    t = teacher(*(["--reasoning-field"] if field else []))
    run_distill(_cfg(tmp_path, t.url, checks=["nonempty"], reasoning_format="think_tags"), warn=lambda m: None)
    rows = read_jsonl(tmp_path / "out.jsonl")
    answer = rows[1]["messages"][-1]["content"]
    assert answer.startswith("<think>\n先想一想：第1题") and answer.endswith("\\boxed{2}。")
    assert rows[1]["meta"]["reasoning_chars"] > 10
    run_distill(_cfg(tmp_path, t.url, checks=["nonempty"], reasoning_format="field"), warn=lambda m: None)
    msg = read_jsonl(tmp_path / "out.jsonl")[1]["messages"][-1]
    assert msg["content"] == "所以答案是 \\boxed{2}。" and msg["reasoning_content"].startswith("先想一想")


# -- rejection sampling -----------------------------------------------------------------------------


def test_rejection_sampling_with_outcome_reward(tmp_path, teacher):
    pytest.importorskip("wenforge.rewards")
    # answers: right for even i, wrong for i % 4 == 1, no boxed answer for i % 4 == 3
    write_prompts(tmp_path / "p.jsonl", 12, answer_of=lambda i: str(2 * i) if i % 2 == 0 else str(2 * i + 1),
                  extra=lambda i: {"question": f"第{i}题 [[reply:我不知道]]"} if i % 4 == 3 else {})
    t = teacher()
    s = run_distill(_cfg(tmp_path, t.url, answer_field="final_answer", checks=["nonempty", "outcome"]),
                    warn=lambda m: None)
    assert [r["id"] for r in read_jsonl(tmp_path / "out.jsonl")] == [f"q{i:03d}" for i in range(0, 12, 2)]
    rej = {r["id"]: r for r in read_jsonl(tmp_path / "out.jsonl.run/excluded/samples.jsonl")}
    assert rej["q001"]["reasons"] == ["wrong_answer"] and "reference 2" in rej["q001"]["details"]["outcome"]
    assert rej["q003"]["reasons"] == ["no_answer"]
    assert s.stats["samples_rejected_by_reason"] == {"wrong_answer": 3, "no_answer": 3}
    assert s.stats["excluded"] == {"no_sample_passed": 6}
    html = (tmp_path / "out.jsonl.run/report.html").read_text()
    assert "wrong_answer" in html and "no_answer" in html


def test_keep_best_or_all_and_every_failing_reason(tmp_path, teacher):
    (tmp_path / "replies.json").write_text(json.dumps({
        "第0题": ["所以答案是 \\boxed{0}。", "This answer is in English \\boxed{0}", "", "答案 \\boxed{1}"],
    }, ensure_ascii=False))
    write_prompts(tmp_path / "p.jsonl", 1)
    t = teacher("--replies", str(tmp_path / "replies.json"))
    checks = ["nonempty", "language", "outcome"]
    cfg = _cfg(tmp_path, t.url, n=4, keep="all", answer_field="final_answer", checks=checks)
    run_distill(cfg, warn=lambda m: None)
    rej = {r["sample"]: r["reasons"] for r in read_jsonl(tmp_path / "out.jsonl.run/excluded/samples.jsonl")}
    assert rej[1] == ["wrong_language"] and rej[2][0] == "empty_output"
    assert rej[3] == ["wrong_answer"]
    assert len(read_jsonl(tmp_path / "out.jsonl")) == 1
    # n separate requests (no `n` in the body) give the same samples, cached separately
    cfg = _cfg(tmp_path, t.url, n=3, n_per_request=False, keep="best", checks=["nonempty"],
               output=str(tmp_path / "o2.jsonl"))
    s = run_distill(cfg, warn=lambda m: None)
    assert s.stats["counts"]["requests_sent"] == 3 and s.stats["counts"]["rows_written"] == 1


def test_clean_check_integration(tmp_path, teacher):
    from wenforge.clean import clean_page
    from wenforge.synth.seopage import generate_page

    article = ("新华社北京3月10日电 记者从交通运输部获悉，今年春运期间全国铁路发送旅客超过4亿人次。\n"
               "铁路部门在客流高峰期间增开列车，优化售票服务，旅客出行总体平稳有序。")
    spam = generate_page(article, rng=random.Random(3),
                         headlines=["国足主帅谈新赛季目标", "多地迎来降温降雨天气", "新能源汽车销量创新高"],
                         snippets=["据气象台预报，明天有小雨。", "该县新增确诊病例2例。"]).text
    assert clean_page(spam).spam  # a teacher that answers with an SEO page
    (tmp_path / "replies.json").write_text(json.dumps({"第0题": spam}, ensure_ascii=False))
    write_prompts(tmp_path / "p.jsonl", 2)
    t = teacher("--replies", str(tmp_path / "replies.json"))
    s = run_distill(_cfg(tmp_path, t.url, checks=["nonempty", "clean"]), warn=lambda m: None)
    assert s.stats["samples_rejected_by_reason"] == {"spam": 1}


def test_a_crashing_verifier_is_a_recorded_reason():
    def boom(s, c):
        raise ValueError("bad verifier")

    CHECKS["boom_tmp"] = Check("boom_tmp", boom, "x")
    try:
        v = run_checks(["nonempty", "boom_tmp"], Sample("内容"), CheckContext(prompt="p"))
    finally:
        del CHECKS["boom_tmp"]
    assert not v.passed and v.reasons == ["check_error"] and "bad verifier" in v.details["boom_tmp"]
    assert all(code in REASONS for code in ("check_error", "wrong_language", "content_lost"))


# -- style transfer ------------------------------------------------------------------------------------


def test_number_forms_and_facts():
    assert "十五" in number_forms("15") and "二〇二三" in number_forms("2023") and "百分之十二" in number_forms("12%")
    f = extract_facts("2023年5月3日，张伟在北京大学发表了演讲，听众有350人，占全校学生的12%。")
    assert f.dates == ["2023年5月3日"] and f.numbers == ["350", "12%"]
    assert "张伟" in f.names and "北京大学" in f.names


def test_preservation_accepts_restyling_and_rejects_lost_facts():
    src = "2023年5月3日，张伟在北京大学发表了演讲，听众有350人，占全校学生的12%。"
    good = "二〇二三年五月三日，张伟于北京大学登台发表演讲，座下听众三百五十人，约占全校学生百分之十二。"
    r = check_preservation(src, good)
    assert r.ok and r.reason is None, r.detail()
    r = check_preservation(src, "张伟在北京大学发表了演讲，听众很多。")
    assert r.reason == "content_lost" and r.missing["numbers"] == ["350", "12%"] and r.missing["dates"]
    r = check_preservation(src, "2023年5月3日张伟北京大学350人12%全校学生演讲听众", similarity_floor=0.9)
    assert r.reason == "low_similarity"


def test_templates_are_data_and_safe(tmp_path):
    tpl = load_template("style_transfer")
    assert {"text", "style", "labels"} <= tpl.placeholders()
    msgs = tpl.render({"text": "原文{x}", "style": "古雅", "labels": ["文言", "典雅"]})
    assert msgs[0]["role"] == "system" and "原文{x}" in msgs[1]["content"] and "文言, 典雅" in msgs[1]["content"]
    assert fill("{{a}} {b}", {"b": "B"}) == "{a} B"
    with pytest.raises(TemplateError, match="placeholder {missing}"):
        fill("{missing}", {})
    assert fill("{a.__class__}", {"a": 1}) == "{a.__class__}"  # no attribute access, left as text
    (tmp_path / "t.yaml").write_text("user: hi\nsytem: typo\n")
    with pytest.raises(TemplateError, match="sytem"):
        load_template(tmp_path / "t.yaml")
    with pytest.raises(TemplateError, match="no template named"):
        load_template("nonexistent_template")


@pytest.fixture
def fake_style(monkeypatch):
    """A stand-in wenforge.style whose style_match counts classical particles (之乎者也矣焉)."""
    mod = types.ModuleType("wenforge.style")

    def style_match(text, profile):
        return sum(text.count(c) for c in "之乎者也矣焉") / max(1, len(text)) * 10

    mod.style_match = style_match
    mod.literary_score = lambda text: 0.5
    mod.load_profile = lambda name: types.SimpleNamespace(name=name, description="文言雅致", labels=["文言"])
    monkeypatch.setitem(sys.modules, "wenforge.style", mod)
    return mod


def test_style_transfer_end_to_end(tmp_path, teacher, fake_style):
    passages = {
        "s1": "2021年3月，李华在杭州开了一家书店，第一年卖出了1200本书。",
        "s2": "王芳每天早上6点起床，跑步30分钟，然后去学校上课。",
        "s3": "这座桥建于1937年，全长500米，是当地最古老的桥。",
    }
    replies = {
        "李华在杭州": "二〇二一年三月，李华于杭州开书店一家，首年售书一千二百本，乃一时之盛也。",  # kept
        "王芳每天": "王芳每天起床跑步，然后上课。",  # lost 6 and 30, no style gain
        "这座桥": "桥也，建于1937年，长500米，当地最古老之桥也。",  # kept
    }
    (tmp_path / "replies.json").write_text(json.dumps(replies, ensure_ascii=False))
    with open(tmp_path / "p.jsonl", "w", encoding="utf-8") as f:
        f.writelines(json.dumps({"id": k, "text": v}, ensure_ascii=False) + "\n" for k, v in passages.items())
    t = teacher("--replies", str(tmp_path / "replies.json"))
    cfg = _cfg(tmp_path, t.url, task="style_transfer", prompt_field="text", style_profile="wenyan",
               checks=["nonempty", "content", "style_match", "literary", "language"], similarity_floor=0.2)
    s = run_distill(cfg, warn=lambda m: None)
    out = read_jsonl(tmp_path / "out.jsonl")
    assert [r["id"] for r in out] == ["s1", "s3"]
    assert "文言雅致" in out[0]["messages"][1]["content"]  # style description from the profile in the prompt
    assert passages["s1"] in out[0]["messages"][1]["content"]
    rej = read_jsonl(tmp_path / "out.jsonl.run/excluded/samples.jsonl")
    assert rej[0]["id"] == "s2" and set(rej[0]["reasons"]) == {"content_lost", "style_not_raised"}
    assert "numbers: 6, 30" in rej[0]["details"]["content"]
    assert s.stats["samples_rejected_by_reason"] == {"content_lost": 1, "style_not_raised": 1}


def test_style_checks_with_real_style_module(tmp_path, teacher):
    """The real style system and a real profile file: a rewrite that only copies the source cannot raise
    style_match, so it is rejected as `style_not_raised`; scores are recorded."""
    from wenforge.style import build_profile, save_profile

    exemplars = [
        "夜色温柔地漫过城市的屋檐，像一条缓缓流淌的河，把白日的喧嚣轻轻收进梦里。",
        "秋风是一位沉默的画家，它走过山野，便把层林染成深深浅浅的金黄与绯红。",
        "晨光在窗棂上跳跃，仿佛一串清亮的音符，唤醒了沉睡的花园和远方的钟声。",
        "雨落在青石板上，滴答作响，像是时间的脚步，在古老的小巷里徘徊不去。",
    ]
    profile = tmp_path / "lyrical.json"
    save_profile(build_profile(exemplars), profile)
    source = "这座桥建于1937年，全长500米，是当地最古老的桥。"
    (tmp_path / "replies.json").write_text(json.dumps({"这座桥": source}, ensure_ascii=False))
    with open(tmp_path / "p.jsonl", "w", encoding="utf-8") as f:
        f.write(json.dumps({"id": "b1", "text": source}, ensure_ascii=False) + "\n")
    t = teacher("--replies", str(tmp_path / "replies.json"))
    cfg = _cfg(tmp_path, t.url, task="style_transfer", prompt_field="text", style_profile=str(profile),
               checks=["nonempty", "content", "style_match"])
    s = run_distill(cfg, warn=lambda m: None)
    assert s.stats["checks"] == ["nonempty", "content", "style_match"]
    assert s.stats["samples_rejected_by_reason"] == {"style_not_raised": 1}
    rej = read_jsonl(tmp_path / "out.jsonl.run/excluded/samples.jsonl")
    assert rej[0]["id"] == "b1" and rej[0]["reasons"] == ["style_not_raised"]
