import random
import time

import pytest

from wenforge.core.reasons import REASONS
from wenforge.synth import build_corpus, generate_clean_page, generate_page, load_sources

ARTICLE = (
    "新华社北京3月5日电（记者王某）国务院新闻办公室5日举行发布会，介绍今年春耕生产情况。\n"
    "农业农村部有关负责人表示，今年春播粮食面积稳定在9亿亩以上，良种、化肥等农资供应总体充足。\n"
    "这位负责人说，各地将加强田间管理，做好病虫害防控，确保夏粮丰收。"
)
HEADLINES = ["詹姆斯砍下40分湖人逆转", "北京二手房成交量回升", "新款手机发布会定档"]
SNIPPETS = ["中央气象台今晨发布寒潮预警，北方大部将降温8至10摄氏度。", "某市法院公告送达开庭传票。"]


@pytest.fixture(scope="module")
def sources():
    return load_sources(split="dev")


def test_spans_label_injected_text_and_article_is_kept_verbatim():
    for seed in range(200):
        p = generate_page(ARTICLE, rng=random.Random(seed), headlines=HEADLINES, snippets=SNIPPETS)
        assert p.spam and p.spam_spans
        for s, e, r in p.spam_spans:
            assert 0 <= s < e <= len(p.text) and r in REASONS
        # the genuine paragraphs are on the page and never inside a spam span
        masked = list(p.text)
        for s, e, _ in p.spam_spans:
            masked[s:e] = ["\0"] * (e - s)
        masked_text = "".join(masked)
        for para in ARTICLE.split("\n"):
            assert para[:20] in masked_text


def test_deterministic_per_seed_and_varied():
    a = generate_page(ARTICLE, rng=random.Random(7), headlines=HEADLINES, snippets=SNIPPETS)
    b = generate_page(ARTICLE, rng=random.Random(7), headlines=HEADLINES, snippets=SNIPPETS)
    assert a == b
    texts = {generate_page(ARTICLE, rng=random.Random(s), headlines=HEADLINES, snippets=SNIPPETS).text
             for s in range(50)}
    assert len(texts) == 50
    n_titles = {sum(r == "title_injection" for *_, r in generate_page(
        ARTICLE, rng=random.Random(s), headlines=HEADLINES, snippets=SNIPPETS).spam_spans) for s in range(100)}
    assert len(n_titles) >= 4


def test_html_mode_spans_cover_injected_elements():
    p = generate_page(ARTICLE, rng=random.Random(3), headlines=HEADLINES, snippets=SNIPPETS, as_html=True)
    assert p.text.startswith("<html>") and "</body></html>" in p.text
    for s, e, _ in p.spam_spans:
        assert p.text[s - 1] == ">" or p.text[s - 1] == "\n"


def test_clean_pages_have_no_spans():
    for kind in ("plain", "news_boilerplate", "digest", "numbered_list"):
        p = generate_clean_page(ARTICLE, rng=random.Random(1), headlines=HEADLINES, snippets=SNIPPETS, kind=kind)
        assert not p.spam and p.text


def test_load_sources_honours_split(sources):
    test = load_sources(split="test")
    assert sources.articles and test.articles and sources.headlines and sources.snippets
    assert not {a.id for a in sources.articles} & {a.id for a in test.articles}
    assert set(test.headlines).isdisjoint(sources.headlines) or len(set(test.headlines) & set(sources.headlines)) < 20
    assert {a.source for a in sources.articles} >= {"news", "prose", "poetry"}


def test_fast_enough(sources):
    t = time.perf_counter()
    pages = build_corpus(sources, 2000, seed=0)
    rate = 2000 / (time.perf_counter() - t)
    assert len(pages) == 2000 and rate > 2000
    assert 0.4 < sum(p.spam for p in pages) / 2000 < 0.6
