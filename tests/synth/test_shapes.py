import random
import re

import pytest

from wenforge.core.reasons import INJECTION_CODES, REASONS
from wenforge.synth import CLEAN_SHAPES, SPAM_SHAPES, brand_name, build_corpus, generate_shape, load_sources
from wenforge.synth.shapes import (
    ADULT_MARKS,
    BRAND_MARKS,
    COMMON_CHARS,
    DELETABLE,
    DISTRICTS,
    GLOSS_SHARE,
    SPINS,
    VARIANTS,
)
from wenforge.text.chars import is_cjk, to_simplified

ARTICLE = (
    "新华社北京3月5日电（记者王某）国务院新闻办公室5日举行发布会，介绍今年春耕生产情况和农业发展问题。\n"
    "农业农村部有关负责人表示，今年春播粮食面积稳定在9亿亩以上，良种、化肥等农资供应总体充足，这里的农民说“我们有信心”。\n"
    "这位负责人说，各地将进行田间管理，做好病虫害防控，确保夏粮丰收，为全年粮食生产打下一个重要基础。"
)
TITLE = "国务院新闻办介绍春耕生产情况"
HEADLINES = ["詹姆斯砍下40分湖人逆转", "北京二手房成交量回升", "新款手机发布会定档"]
SNIPPETS = ["中央气象台今晨发布寒潮预警，北方大部将降温8至10摄氏度。", "某市法院公告送达开庭传票。"]
SEEDS = range(40)
COMMON_SET = set(COMMON_CHARS)
PINYIN_GLOSS = r"\([^\W\d_\u4e00-\u9fff]+\)"  # (dāng): letters, no digits, no Han characters
WHOLE_PAGE = {"deletion_mirror", "synonym_spin", "farm_gossip", "farm_placeholder", "farm_stub", "farm_baike",
              "farm_explainer"}
KEEPS_ARTICLE = {"bait_splice", "source_lines", "keyword_stuffing", "stitched_separators",
                 "scraper_artifacts", "cjk_gibberish"}


def _page(name, seed, article=ARTICLE, title=TITLE):
    return generate_shape(name, article, random.Random(seed), headlines=HEADLINES, snippets=SNIPPETS,
                          title=title)


def _cut(page):
    """The page text with its spans removed, blank lines dropped."""
    keep = list(page.text)
    for s, e, _ in page.spam_spans:
        keep[s:e] = [""] * (e - s)
    return "\n".join(line.strip() for line in "".join(keep).split("\n") if line.strip())


@pytest.fixture(scope="module")
def sources():
    return load_sources(split="dev")


@pytest.mark.parametrize("name", SPAM_SHAPES)
def test_spam_spans_lie_in_text_and_carry_injection_codes(name):
    for seed in SEEDS:
        p = _page(name, seed)
        assert p.kind == name and p.spam
        last = 0
        for s, e, r in sorted(p.spam_spans):
            assert last <= s < e <= len(p.text), (name, seed)
            assert r in REASONS and r in INJECTION_CODES
            last = e


@pytest.mark.parametrize("name", sorted(KEEPS_ARTICLE | {"brand_title", "respaced_scrape"}))
def test_article_is_what_is_left_when_spans_are_cut(name):
    for seed in SEEDS:
        p = _page(name, seed)
        assert _cut(p) == p.article, (name, seed)
        if name in KEEPS_ARTICLE:
            assert p.article == ARTICLE
    assert _page("brand_title", 0).article == TITLE + "\n" + ARTICLE


@pytest.mark.parametrize("name", sorted(WHOLE_PAGE))
def test_whole_page_spam_keeps_nothing(name):
    for seed in SEEDS:
        p = _page(name, seed)
        assert p.article == "" and [(s, e) for s, e, _ in p.spam_spans] == [(0, len(p.text))]


def test_gloss_mirror_deglossed_and_simplified_is_the_original(sources):
    p = _page("gloss_mirror", 0)
    assert p.article == ARTICLE and to_simplified(_cut_inline(p)) == ARTICLE
    # real sources carry traditional characters of their own (classical poetry above all): t2s maps those too
    articles = [a.text for src in ("news", "poetry", "prose", "qa") for a in sources.by_source(src)[:8]]
    for seed, article in enumerate(articles):
        p = _page("gloss_mirror", seed, article=article)
        assert p.article == article and to_simplified(_cut_inline(p)) == to_simplified(article)
        n_cjk = sum(map(is_cjk, article))
        assert 0 < len(p.spam_spans) <= GLOSS_SHARE[1] * n_cjk
        for s, e, r in p.spam_spans:
            assert r == "mirror_repaired" and re.fullmatch(PINYIN_GLOSS, p.text[s:e])
            assert is_cjk(p.text[s - 1])
        glossed = {p.text[s - 1] for s, _, _ in p.spam_spans}
        assert len(glossed) < n_cjk / 10  # a fixed subset of characters, glossed wherever they occur


def _cut_inline(page):
    """The page text with its spans removed (line breaks kept)."""
    keep = list(page.text)
    for s, e, _ in page.spam_spans:
        keep[s:e] = [""] * (e - s)
    return "".join(keep)


def test_gloss_mirror_has_the_real_shape():
    p = generate_shape("gloss_mirror", "当前发展会议", random.Random(0))
    assert re.fullmatch(r"(當(\(dāng\))?前(\(qián\))?)(發(\(fā\))?展(\(zhǎn\))?)(會(\(huì\))?議(\(yì\))?)", p.text)


def test_variant_mirror_swaps_characters_one_for_one():
    for seed in SEEDS:
        p = _page("variant_mirror", seed)
        assert len(p.text) == len(ARTICLE) and p.article == ARTICLE
        spans = {s for s, _, _ in p.spam_spans}
        for i, (got, orig) in enumerate(zip(p.text, ARTICLE, strict=True)):
            assert got in VARIANTS[orig] if i in spans else got == orig


def test_deletion_mirror_lacks_the_deleted_characters():
    for seed in SEEDS:
        p = _page("deletion_mirror", seed)
        deleted = set(ARTICLE) - set(p.text)
        assert deleted and deleted <= set(DELETABLE) and 1 <= len(deleted) <= 3
        assert p.text == "".join(c for c in ARTICLE if c not in deleted)


def test_synonym_spin_uses_spinner_synonyms():
    for seed in SEEDS:
        p = _page("synonym_spin", seed)
        assert p.text != ARTICLE and any(v in p.text for v in SPINS.values())


def test_mirrors_and_spinner_leave_an_undamageable_text_clean():
    for name in ("variant_mirror", "synonym_spin"):
        p = generate_shape(name, "ABC xyz 123", random.Random(0))
        assert not p.spam and p.text == p.article == "ABC xyz 123"


def test_brand_names_are_compositional_and_carry_digits_or_an_action():
    names = {brand_name(random.Random(s)) for s in range(200)}
    assert len(names) > 150
    for n in names:
        assert any(m in n for m in BRAND_MARKS + ADULT_MARKS)
        assert re.search(r"\d{3,4}|注册|官网|入口|平台|下载|登录|官方网站|娱乐场", n)
    injected = {p.injected_strings()[0] for p in (_page("brand_title", s) for s in range(100))}
    assert any("最新入库" in s and "vlog现在时间下载-" in s for s in injected)


def test_bait_is_spliced_inside_the_first_sentence():
    for seed in SEEDS:
        p = _page("bait_splice", seed)
        (s, e, r), = p.spam_spans
        assert r == "bait" and 0 < s and e < p.text.index("\n")


def test_source_lines_and_stuffing_shapes():
    lines = [x for s in SEEDS for x in _page("source_lines", s).injected_strings()]
    assert any(re.fullmatch(r"作者[:：] ?[a-z]{2}\d{3}", x) for x in lines)
    stamp = r"发布时间[:：] ?\d{4}-\d\d-\d\d \d\d:\d\d:\d\d 来源[:：] ?[a-z]{2}\d{8}"
    assert any(re.fullmatch(stamp, x) for x in lines)
    blocks = [x for s in SEEDS for x in _page("keyword_stuffing", s).injected_strings()]
    pools = [b for b in blocks if all(w in DISTRICTS for w in re.split(r"[ |、,]+", b))]
    assert pools and all(10 <= len(re.split(r"[ |、,]+", b)) <= 30 for b in pools)
    assert any(b.startswith(("相关搜索", "热门标签", "Tags:")) for b in blocks)


def test_stitched_separators_and_scraper_artifacts():
    seps = [x for s in SEEDS for x in _page("stitched_separators", s).injected_strings()]
    assert any(re.fullmatch(r"\*{6,}|-{6,}", x) for x in seps)
    arts = {x for s in SEEDS for x in _page("scraper_artifacts", s).injected_strings()}
    assert f"【{TITLE}】" in arts and any(x.startswith("----" + TITLE + "//----") for x in arts)
    assert any(x.startswith(("[db:", "{dede:", "[标签:")) for x in arts)
    p = _page("respaced_scrape", 0)
    assert " , " in p.text and " 。" in p.text and p.article == _cut(p)


def test_cjk_gibberish_is_frequent_characters_only():
    for seed in SEEDS:
        for line in _page("cjk_gibberish", seed).injected_strings():
            assert 20 <= sum(map(is_cjk, line)) <= 60 and set(line) <= COMMON_SET | set("，。、！？")


def test_content_farm_shapes():
    gossip = [_page("farm_gossip", s).text for s in SEEDS]
    assert all(t.startswith(("【爆料】", "揭秘", "震惊！", "曝光！", "【独家】", "惊呆了！")) for t in gossip)
    assert any("据知情人士透露" in t or "让我们拭目以待" in t for t in gossip)
    assert all(re.search(r"\[[^\]]+\]|XX|\(开头段落\)", _page("farm_placeholder", s).text) for s in SEEDS)
    stubs = [_page("farm_stub", s).text for s in SEEDS]
    assert all(len(t) < 40 and "\n" not in t for t in stubs)
    baike = _page("farm_baike", 0).text
    assert all(h in baike for h in ("概述", "主要类型划分", "年度特征分析", "历史意义总结"))


@pytest.mark.parametrize("name", CLEAN_SHAPES)
def test_clean_shapes_have_no_spans(name):
    for seed in SEEDS:
        p = _page(name, seed)
        assert p.kind == name and not p.spam and p.text and p.article


def test_clean_shapes_look_like_their_spam_cousins():
    trad = _page("traditional_news", 0).text
    assert "「我們有信心」" in trad and to_simplified(trad) != trad
    for seed in SEEDS:
        text = _page("pinyin_reading", seed).text
        glosses = re.findall(r"(.)[(（]([^\W\d_\u4e00-\u9fff]+)[)）]", text)
        assert all(c not in COMMON_SET for c, _ in glosses)
        assert len(glosses) < GLOSS_SHARE[0] * sum(map(is_cjk, ARTICLE))
    poem = _page("pinyin_reading", 1, article="床前明月光，疑是地上霜。\n举头望明月，低头思故乡。").text
    assert poem.split("\n")[0] == "chuáng qián míng yuè guāng yí shì dì shàng shuāng"
    assert not re.search(r"[，。、；：]", _page("unpunctuated", 0).text)
    assert "，" not in _page("ascii_punct", 0).text and "," in _page("ascii_punct", 0).text
    rep = _page("repeated_article", 0)
    assert rep.text.count(ARTICLE) == 2 and rep.article == ARTICLE
    assert all(re.search("赌博|淫秽", _page("crackdown_news", s).text) for s in SEEDS)


def test_deterministic_per_seed_and_unknown_names_refused():
    for name in SPAM_SHAPES + CLEAN_SHAPES:
        assert _page(name, 5) == _page(name, 5)
    assert len({_page("brand_title", s).text for s in SEEDS}) > 30
    with pytest.raises(ValueError):
        generate_shape("no_such_shape", ARTICLE, random.Random(0))


def test_build_corpus_unchanged_at_zero_and_covers_every_shape_at_one(sources):
    assert build_corpus(sources, 300, seed=4, html_ratio=0.15) == build_corpus(
        sources, 300, seed=4, html_ratio=0.15, shapes_ratio=0.0)
    pages = build_corpus(sources, 600, seed=4, shapes_ratio=1.0)
    assert {p.kind for p in pages} == set(SPAM_SHAPES) | set(CLEAN_SHAPES)
    assert all(not p.spam for p in pages if p.kind in CLEAN_SHAPES)
    again = build_corpus(sources, 50, seed=9, shapes_ratio=0.5)
    assert build_corpus(sources, 50, seed=9, shapes_ratio=0.5) == again
