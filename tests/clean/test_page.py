"""End-to-end: page decision, salvage, hard negatives, step and config."""

import random
import re

import pytest
from datatrove.data import Document
from pydantic import ValidationError

from wenforge.clean import AdversarialClean, CleanConfig, clean_page
from wenforge.core import reasons as R
from wenforge.synth import build_corpus, generate_clean_page, generate_page, load_sources

_WS = re.compile(r"\s+")


def n(s):
    return _WS.sub("", s)


@pytest.fixture(scope="module")
def dev():
    return load_sources(split="dev")


def test_handwritten_pages(handwritten):
    for page in handwritten:
        r = clean_page(page["text"])
        assert r.spam == page["spam"], page["id"]
        out = n(r.text)
        for g in page["genuine"]:
            assert n(g) in out, (page["id"], g)
        for s in page["injected"]:
            assert n(s) not in out or len(n(s)) < 4, (page["id"], s)
        for sp in r.removed:
            assert sp.reason in R.REASONS
            assert r.source_text[sp.start : sp.end] == sp.text


def test_hard_negatives_from_shared_data_are_not_flagged(dev):
    rng = random.Random(0)
    arts = {s: dev.by_source(s)[:25] for s in ("news", "prose", "poetry", "qa")}
    flagged = 0
    total = 0
    for src, items in arts.items():
        for a in items:
            for kind in ("plain", "news_boilerplate", "digest", "numbered_list") if src == "news" else ("plain",):
                p = generate_clean_page(a.text, rng=rng, headlines=dev.headlines, snippets=dev.snippets, kind=kind,
                                        title=a.title)
                r = clean_page(p.text)
                total += 1
                flagged += r.spam
                assert len(n(r.text)) >= 0.95 * len(n(p.text)) or r.spam, (src, kind)
    assert flagged / total <= 0.03


def test_salvage_on_synthetic_spam_pages(dev):
    pages = [p for p in build_corpus(dev, 120, seed=3, spam_ratio=1.0)]
    kept = total = removed = injected = caught = 0
    for p in pages:
        r = clean_page(p.text)
        caught += r.spam
        out = n(r.text)
        for para in p.article_paragraphs:
            total += 1
            kept += n(para) in out
        for s, e, code in p.spam_spans:
            if code in R.INJECTION_CODES and len(n(p.text[s:e])) >= 4:
                injected += 1
                removed += n(p.text[s:e]) not in out
    assert caught / len(pages) >= 0.95
    assert kept / total >= 0.9
    assert removed / injected >= 0.9


def test_single_short_lexicon_hit_never_flags():
    text = "记者从市人社局获悉，今年春季网络招聘会将于下月举行，预计提供岗位两万余个，欢迎求职者关注。"
    r = clean_page(text)
    assert not r.spam and r.text == text and r.spam_score < 0.2


def test_html_document_input():
    html = ("<html><head><title>x</title></head><body><h1>暴雨致城区内涝_kx9z2m7q_东方资讯</h1>"
            "<h1>暴雨致城区内涝_PLX82Mq7_东方资讯新闻</h1><p>昨日一场暴雨使城区多处积水，交警部门启动应急预案，"
            "疏导交通，市民出行基本正常。</p><p>气象部门预计，今明两天仍有阵雨，提醒市民注意防范。</p>"
            "<div>TOP1热点:澳门新葡京官网 注册送88元</div><div>TOP2热点:成人视频在线观看</div></body></html>")
    r = clean_page(html)
    assert r.spam
    assert "昨日一场暴雨" in r.text and "气象部门预计" in r.text
    assert "TOP1" not in r.text and "<" not in r.text


def test_nothing_genuine_left():
    r = clean_page("TOP1热点:澳门新葡京官网 注册送88元\nTOP2热点:成人视频在线观看 ABCDE123_jan07\n"
                   "X8kq2Lm9Zp3R+7vT0bN5cY1wE6uJ4sH+dG")
    assert r.spam and r.text == "" and R.NO_CONTENT in r.reasons


def test_boilerplate_config():
    text = "新华社北京5月10日电 全国政协10日在京召开双周协商座谈会，围绕推进乡村振兴建言资政。\n（责任编辑：李明）"
    assert "责任编辑" in clean_page(text).text
    assert "责任编辑" not in clean_page(text, CleanConfig(boilerplate="drop")).text
    with pytest.raises(ValidationError):
        CleanConfig(boilerplat="drop")


def test_datatrove_step(dev):
    rng = random.Random(5)
    art = dev.by_source("news")[0]
    spam = generate_page(art.text, rng=rng, headlines=dev.headlines, snippets=dev.snippets, title=art.title)
    step = AdversarialClean(config={"boilerplate": "drop_on_spam"})
    d1 = Document(text=spam.text, id="1")
    assert step.filter(d1) is True
    assert d1.metadata["spam"] is True and d1.metadata["clean_reasons"] and 0.5 <= d1.metadata["spam_score"] <= 1
    assert len(d1.text) < len(spam.text)
    d2 = Document(text="TOP1热点:澳门新葡京官网 注册送88元\nTOP2热点:成人视频在线观看", id="2")
    keep, reason = step.filter(d2)
    assert keep is False and reason.startswith("clean_") and reason[6:] in R.REASONS
    d3 = Document(text=art.text, id="3")
    assert step.filter(d3) is True and d3.metadata["spam"] is False and d3.text == art.text


def test_traditional_and_fullwidth_spam_read_through_a_view():
    """Detectors read traditional characters as simplified and full-width letters/digits as ASCII; what
    is kept is the page's own text, offsets unchanged."""
    from wenforge.clean.page import detection_view

    page = ("澳門新葡京線上娛樂城-開戶即送88元彩金-社區環境明顯改善_新聞網\n社區環境明顯改善\n"
            "自今年初推行垃圾分類新規以來，本市各社區積極響應，在小區內設置分類投放點，並安排志願者現場指導居民正確投放。\n"
            "據統計，目前全市居民小區垃圾分類覆蓋率已超過九成，廚餘垃圾分出量比去年同期增長約三成，公共充电桩１２００个。\n"
            "ｑＷ８ｅＲ２ｔＹ７ｕＩ９ｏＰ３ａＳ５ｄＦ６ｇＨ１ｊＫ４\n熱門推薦：\n1. 網上真人百家樂 線上賭場註冊送彩金\n2. 午夜福利影院 免費在線觀看完整版")
    view = detection_view(page)
    assert len(view) == len(page) and "澳门" in view and "qW8eR2" in view and "，" in view
    r = clean_page(page)
    assert r.spam
    assert "社區環境明顯改善" in r.text and "公共充电桩１２００个" in r.text  # the page's own characters
    for gone in ("百家樂", "ｑＷ８ｅＲ２", "熱門推薦", "澳門新葡京"):
        assert gone not in r.text, gone
    for sp in r.removed:
        assert page[sp.start : sp.end] == sp.text
    assert detection_view("今年粮食产量１９８．３万吨，增长２．１％。") == "今年粮食产量198.3万吨，增长2.1％。"
    assert not clean_page("２０２４年全市粮食总产量再创新高\n据统计，２０２４年粮食总产量达到１９８．３万吨，比上年增长２．１％。").spam
