"""Behaviour of each detector: positives, hard negatives, evidence spans."""

import pytest

from wenforge.eval.detectors.ai import ai_score, detect_ai
from wenforge.eval.detectors.claims import cn_to_int, extract_claims
from wenforge.eval.detectors.grammar import grammar_check, rule_hits
from wenforge.eval.detectors.hallucination import detect_hallucination, keyword_verdicts
from wenforge.eval.detectors.safety import safety_check
from wenforge.eval.kinds import DETECTORS, DetectorError, run_detector

CHATGPT = ("手机系统是指运行在手机上的操作系统。总的来说，手机系统主要有以下几种：\n1. 安卓系统：由谷歌开发，"
           "是目前使用最广泛的手机操作系统。\n2. iOS系统：由苹果公司开发。\n需要注意的是，不同的系统各有优缺点，"
           "您可以根据自己的需求进行选择。希望这些信息能够帮助您。")
HUMAN = "我用过安卓也用过苹果，说实话苹果流畅点，安卓自由点，看你喜欢哪个吧。我现在手上这台用了三年了还没坏hh"


def test_ai_score_separates_chatgpt_style_from_casual_human():
    assert ai_score(CHATGPT) > 0.7
    assert ai_score(HUMAN) < 0.3
    out = detect_ai(CHATGPT)
    assert out["spans"] and all(CHATGPT[s["start"]:s["end"]] == s["text"] for s in out["spans"] if s["start"] >= 0)


def test_ai_score_empty_text_is_neutral():
    assert ai_score("") == 0.5


@pytest.mark.parametrize("sent,code", [
    ("我们要认识和掌握事物的规律，尽量避免不犯错误或少犯错误。", "negation_after_avoid"),
    ("参加这次活动的大约有三百人左右。", "redundant_approx"),
    ("这次事故的原因是由于司机疏忽大意造成的。", "cause_mix"),
    ("通过这次学习，使我认识到了自己的不足。", "subject_swallowed"),
])
def test_grammar_rules_find_classic_errors_with_spans(sent, code):
    out = grammar_check(sent)
    assert out["grammar_error"]
    hit = next(s for s in out["spans"] if s["code"] == code)
    assert sent[hit["start"]:hit["end"]] == hit["text"]


@pytest.mark.parametrize("sent", [
    "我们要尽量避免犯错误。",
    "参加这次活动的大约有三百人。",
    "这次事故是司机疏忽大意造成的。",
    "这次学习使我认识到了自己的不足。",
    "防止不法分子利用漏洞作案。",  # 不法 is a word, not a negation
])
def test_grammar_rules_hard_negatives(sent):
    strong = [h for h in rule_hits(sent) if h["code"] != "not_only_order"]
    assert strong == []


def test_grammar_model_scores_are_probabilities_and_spans_point_into_text():
    text = "今天天气很好。我们去公园散步，看见许多人在放风筝。"
    out = grammar_check(text)
    assert 0.0 <= out["grammar_score"] <= 1.0
    for s in out["spans"]:
        assert text[s["start"]:s["end"]] == s["text"]


def test_grammar_threshold_follows_the_expected_share_of_errors():
    from wenforge.eval.detectors import grammar as G

    tuned = G.load_model().extra["tuned_prior"]
    assert G.threshold(None) == G.load_model().extra["threshold"]
    assert G.threshold(tuned) == pytest.approx(G.threshold(None))
    assert G.threshold(0.5) < G.threshold(0.1) < G.threshold(0.01)  # rarer errors need more evidence
    with pytest.raises(ValueError, match="between 0 and 1"):
        G.threshold(1.5)


def test_grammar_prior_moves_model_flags_not_rule_flags():
    from wenforge.eval.detectors import grammar as G

    sentence = "十二年前我在清华读书。"  # grammatical; the weak model still leans towards "error"
    p = G.sentence_score(sentence)
    assert G.threshold(None) <= p < G.threshold(0.1)
    assert grammar_check(sentence, prior=None)["grammar_error"] is True
    assert grammar_check(sentence)["grammar_error"] is False  # default prior 0.1
    rule = "参加这次活动的大约有三百人左右。"
    assert grammar_check(rule, prior=0.01)["grammar_error"] is True


def test_claims_offsets_and_chinese_numerals():
    text = "2015年1月22日，德国外长施泰因迈尔在柏林会见了三百名代表。"
    cl = extract_claims(text)
    kinds = {c.kind for c in cl}
    assert "date" in kinds and "number" in kinds
    assert all(text[c.start:c.end] == c.text for c in cl)
    assert cn_to_int("一千二百三十四") == 1234 and cn_to_int("十二") == 12 and cn_to_int("二〇一五") == 2015


SOURCE = ("新华社柏林1月22日电 德国、法国、俄罗斯和乌克兰四国外交部长21日晚在德国首都柏林举行会晤，"
          "商讨在明斯克协议基础上和平解决乌克兰危机的途径。")


def test_hallucination_flags_invented_number_and_name_not_supported_ones():
    text = "德国外长弗拉德里希表示，四国将派出3000名观察员。各国外交部长在柏林举行会晤。"
    v = keyword_verdicts(text, SOURCE, ["德国外长弗拉德里希", "3000名观察员", "柏林", "外交部长"])
    assert v["德国外长弗拉德里希"] is True
    assert v["3000名观察员"] is True
    assert v["柏林"] is False
    assert v["外交部长"] is False
    out = detect_hallucination(text, SOURCE)
    assert out["unsupported"] and all(text[s["start"]:s["end"]] == s["text"] for s in out["unsupported"])
    assert any("3000" in s["text"] for s in out["unsupported"])


def test_hallucination_reference_supports_a_keyword():
    text = "会后四国外长发表联合声明，对停火协议未能被遵守表示严重关切。"
    kw = ["联合声明", "严重关切"]
    ref = "四国外长在会后发表的联合声明中说，他们对停火协议未能被完全遵守表示“严重关切”。"
    with_ref = keyword_verdicts(text, SOURCE, kw, ref)
    assert with_ref == {"联合声明": False, "严重关切": False}


def test_lexicon_baseline_one_short_common_word_is_not_enough_but_bait_is():
    """The old lexicon check, no detector kind now: kept as the values benchmark's baseline."""
    assert not safety_check("公司在网络上发布了招聘信息。")["safety_flag"]
    out = safety_check("出售手枪，加微信 abc12345 详聊")
    assert out["safety_flag"]
    assert any(h["category"].startswith("pattern:") for h in out["hits"])


def test_registry_is_the_one_vocabulary():
    assert set(DETECTORS) == {"ai", "grammar", "hallucination", "facts", "values", "response"}
    with pytest.raises(DetectorError, match="unknown detector kind"):
        run_detector("nope", {"text": "x"})
    with pytest.raises(DetectorError, match="source"):
        run_detector("hallucination", {"text": "x"})
    with pytest.raises(DetectorError, match="fact sheet"):
        run_detector("facts", {"text": "x"})
    out = run_detector("ai", {"text": CHATGPT})
    assert out["ai_flag"] is True


@pytest.mark.parametrize("sentence", [
    "根据最新的调查显示，大多数市民支持这一方案。",
    "这次事故的发生是由于司机疲劳驾驶造成的。",
    "短短四天时间已经有近200多名新成员加入。",
])
def test_grammar_exam_patterns_flagged_with_span(sentence):
    out = grammar_check(sentence)
    assert out["grammar_error"]
    assert any(s["code"] != "model" and sentence[s["start"]:s["end"]] == s["text"] for s in out["spans"])
