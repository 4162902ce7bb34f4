"""pos_words: jieba.posseg's (word, tag) pairs from a faster Viterbi; they must stay exactly jieba.posseg's."""

import random

import jieba.posseg as pseg
import pytest
from jieba.posseg.viterbi import viterbi

from wenforge.text import segment
from wenforge.text.postag import pos_spans
from wenforge.text.segment import dictionary_frequencies, pos_words

TEXTS = [
    "本报杭州3月5日电（记者闻卓）浙江、江苏两省代表昨日在杭州西湖畔举行座谈，商讨长三角水质合作。",
    "芬兰学者科尔霍宁表示，双方将继续推进赫尔辛基备忘录的落实。",
    "小明硕士毕业于中国科学院计算所，后在日本京都大学深造。",
    "我爱北京天安门，天安门上太阳升！",
    "GPT-4o 在 2024 年发布，价格是 3.5 美元/百万 tokens，C++ 和 C# 都能调用 API。",
    "他说：“这件事……我们明天再谈吧。”\n\n  她点了点头。\t好的",
    "王小二和李大嘴、赵铁柱一起去了郫县豆瓣厂，见到了厂长欧阳娜娜。",
    "這是一個測試，對嗎？繁體字也要能切分。",
    "1234567890，3.14159，ｆｕｌｌｗｉｄｔｈ　全角空格和％号",
    "🖥️第16个小时，我的灵魂已经被git merge成了一个冲突文件😵",
    "",
    "   ",
    "啊",
]


def reference(text: str) -> list[tuple[str, str]]:
    return [(p.word, p.flag) for p in pseg.lcut(text) if p.word.strip()]


@pytest.mark.parametrize("text", TEXTS)
def test_pairs_are_jieba_posseg_pairs(text):
    assert pos_words(text) == reference(text)


def test_unknown_words_go_through_the_hmm_and_still_match():
    freq, _ = dictionary_frequencies()
    text = TEXTS[6]
    segment._hmm_route.cache_clear()
    got = pos_words(text)
    assert segment._hmm_route.cache_info().misses > 0  # the HMM branch ran
    assert any(w not in freq for w, _ in got)  # and produced words jieba's dictionary lacks
    assert got == reference(text)


def test_random_character_strings_match():
    """Runs of arbitrary common and rare characters stress unknown-word runs, ties and unseen characters."""
    rng = random.Random(0)
    alphabet = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处队南给色光门即保治北造百规热领七海口东导器压志世金增争济阶油思术极交受联什认六共权收证改清己美再采转更单风切打白教速花带安场身车例真务具万每目至达走积示议声报斗完类八离华名确才科张信马节话米整空元况今集温传土许步群广石记需段研界拉林律叫且究观越织装影算低持音众书布复容儿须际商非验连断深难近矿千周委素技备半办青省列习响约支般史感劳便团往酸历市克何除消构府称太准精值号率族维划选标写存候毛亲快效斯院查江型眼王按格养易置派层片始却专状育厂京识适属圆包火住调满县局照参红细引听该铁价严龘靐齉爨"
    hmm = segment._pos_hmm()
    for _ in range(300):
        obs = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 12)))
        want = viterbi(obs, pseg.char_state_tab_P, pseg.start_P, pseg.trans_P, pseg.emit_P)[1]
        assert hmm.decode(obs) == want, obs


def test_spans_point_at_the_words():
    text = TEXTS[4]
    spans = pos_spans(text)
    assert [(w, f) for w, f, _, _ in spans] == pos_words(text)
    assert all(text[a:b] == w for w, _, a, b in spans)


# --- jieba_cut and the shared dictionary route: exactly jieba.lcut's words -----------------------------------

MIXED = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等王小二李大嘴郫县龘靐abcXYZ0189%-_.#&+ 。，\n\t"


@pytest.mark.parametrize("hmm", [True, False])
@pytest.mark.parametrize("text", TEXTS)
def test_jieba_cut_is_jieba_lcut(text, hmm):
    import jieba

    assert segment.jieba_cut(text, hmm) == jieba.lcut(text, HMM=hmm)


@pytest.mark.parametrize("hmm", [True, False])
def test_jieba_cut_matches_on_random_mixed_strings(hmm):
    """Han, Latin letters and digits (joined without the HMM), the symbols jieba keeps inside a block, spaces."""
    import jieba

    rng = random.Random(1)
    for _ in range(400):
        text = "".join(rng.choice(MIXED) for _ in range(rng.randint(0, 30)))
        assert segment.jieba_cut(text, hmm) == jieba.lcut(text, HMM=hmm), text


def test_route_is_jiebas_dictionary_route():
    """`_route`'s word ends are jieba's get_DAG + calc route, ties included (random runs of common characters
    give many equal-score splits)."""
    rng = random.Random(2)
    dt = segment._jieba().dt
    for _ in range(300):
        blk = "".join(rng.choice(MIXED[:80]) for _ in range(rng.randint(1, 20)))
        route: dict = {}
        dt.calc(blk, dt.get_DAG(blk), route)
        assert segment._route(blk) == tuple(route[x][1] + 1 for x in range(len(blk))), blk


def test_route_breaks_ties_as_jieba_does(monkeypatch):
    """A dictionary where "ab" scores exactly "a" + "b" (total 1: log 4 = 2 log 2): jieba keeps the longer word."""
    import types

    import jieba

    fake = types.SimpleNamespace(FREQ={"a": 2, "ab": 4, "b": 2, "abc": 0, "c": 8, "bc": 16},
                                 total=1, check_initialized=lambda: None)
    monkeypatch.setattr(segment, "_jieba", lambda: types.SimpleNamespace(dt=fake))
    segment._route.cache_clear()
    try:
        for blk in ("ab", "abab", "abc", "cab", "xaby", "bcab"):
            route: dict = {}
            jieba.Tokenizer.calc(fake, blk, jieba.Tokenizer.get_DAG(fake, blk), route)
            assert segment._route(blk) == tuple(route[x][1] + 1 for x in range(len(blk))), blk
        assert segment._route("ab") == (2, 2)  # the tie went to the longer word
    finally:
        segment._route.cache_clear()


def test_route_cache_is_shared_by_tagging_and_cutting():
    text = TEXTS[2]
    segment._route.cache_clear()
    segment.jieba_cut(text, False)
    misses = segment._route.cache_info().misses
    pos_words(text)
    assert segment._route.cache_info().misses == misses  # the tagger found every block's route


def test_pos_within_is_the_words_inside_a_range():
    from wenforge.text.postag import pos_within

    text = "".join(TEXTS[:8])
    spans = pos_spans(text)
    for start in range(0, len(text), 7):
        for end in (start, start + 1, start + 13, start + 40, len(text)):
            want = tuple(s for s in spans if s[2] >= start and s[3] <= end)
            assert pos_within(text, start, end) == want
