"""Behaviour of each detector on its own."""

from wenforge.clean import CleanConfig
from wenforge.clean.detectors import (
    boilerplate,
    duplicates,
    gibberish,
    hotlist,
    residue,
    stitched,
    title_injection,
)
from wenforge.clean.detectors.bait import BaitDetector
from wenforge.clean.detectors.common import alien_score, split_lines
from wenforge.clean.lexicon import LexiconMatcher, shared_matcher
from wenforge.core import reasons as R

CFG = CleanConfig()
STITCHED = {"max_containment": CFG.stitched_containment, "max_unigram": CFG.stitched_unigram}


def test_alien_tokens_vs_ordinary_latin():
    for tok in ("v4sH6urr4=", "8b7cc5f8a7870cad", "ABCDE123_jan07", "AQRY9nq5dLuzVXPm=", "q3z8x7k2m"):
        assert alien_score(tok) >= 0.5, tok
    for tok in ("COVID-19", "PM2.5", "MH370", "H7N9", "iPhone15Pro", "10Gbps", "NBA", "Hello", "2024", "GPT-4o",
                "Th.Lipps", "Short-Term", "J.S.Bach"):
        assert alien_score(tok) == 0.0, tok


def test_title_injection_flags_decorated_copies_not_bare_title():
    text = ("东方资讯-\"成人视频kx9z2\"-暴雨致城区内涝_PLX82M东方资讯新闻\n"
            "暴雨致城区内涝_7d9f2c1ab04e_新浪看点\n暴雨致城区内涝\n昨日一场暴雨使城区多处积水，交警部门启动应急预案。")
    f = title_injection.detect(split_lines(text))
    assert {x.line for x in f} == {0, 1}
    assert all(x.reason == R.TITLE_INJECTION and x.detail == "暴雨致城区内涝" for x in f)


def test_title_injection_ignores_repeated_verse():
    text = "采薇采薇，薇亦作止。曰归曰归，岁亦莫止。\n采薇采薇，薇亦柔止。曰归曰归，心亦忧止。"
    assert title_injection.detect(split_lines(text)) == []


def test_gibberish_line_and_inline_token():
    lines = split_lines("S6WWRW0WL2XV7J7KMX4SF0K70T9RBMK2LOLC4OK\n消息称该项目n83kd92jx7已经启动。")
    f = gibberish.detect(lines)
    assert f[0].whole_line and f[0].line == 0
    assert any(not x.whole_line and x.detail == "n83kd92jx7" for x in f)
    assert gibberish.detect(split_lines("访问 https://www.example.com/a/b?id=12345 查看 COVID-19 数据")) == []


def test_hotlist_explicit_vs_numbered():
    f = hotlist.detect(split_lines("TOP1热点:某地暴雨\n热榜2：明星离婚\n1. 国务院常务会议部署稳就业\n2、第二项"),
                       explicit_weight=0.4)
    kinds = [x.detail for x in f]
    assert kinds[:2] == ["explicit", "explicit"] and kinds[2] == "numbered"
    assert [x.weight for x in f[:2]] == [0.4, 0.4]
    assert all(x.weight == 0 for x in f if x.detail == "numbered")


def test_bait_weighs_length_and_context():
    det = BaitDetector(shared_matcher())
    short = det.detect(split_lines("TOP1热点:股市收评 澳门新葡京官网 无码高清在线"))
    assert sum(x.weight for x in short) > 1.0
    prose = det.detect(split_lines("警方提醒，所谓“注册送彩金”的网络赌博广告多为诈骗，市民切勿轻信，网络招聘也要谨慎辨别。"))
    assert sum(x.weight for x in prose) < 0.5


def test_lexicon_matcher_weights_and_boundaries():
    m = LexiconMatcher({"网络": (0.08, "ads"), "成人视频": (0.9, "porn"), "sex": (0.4, "porn")})
    hits = m.find("网络上的成人视频 Essex sex")
    assert [h.term for h in hits] == ["网络", "成人视频", "sex"]  # 'Essex' is not a hit
    assert m.score("网络") < 0.1 < m.score("成人视频")


def test_shared_lexicon_downweights_common_words():
    m = shared_matcher()
    assert len(m) > 10000
    w = {h.term: h.weight for h in m.find("网络招聘")}
    assert all(v < 0.1 for v in w.values())


def test_residue_boilerplate_duplicates():
    lines = split_lines('<font color="red">天气转晴</font>&nbsp;\n责任编辑：张三\n发布于:河北省邢台市临城县\n'
                        "这是一段重复的段落内容。\n这是一段重复的段落内容。")
    assert {x.reason for x in residue.detect(lines)} == {R.HTML_RESIDUE}
    assert len(residue.detect(lines)) == 3
    assert {x.line for x in boilerplate.detect(lines)} == {1, 2}
    assert [x.line for x in duplicates.detect(lines, min_chars=8)] == [4]
    assert boilerplate.detect(split_lines("声明还说，俱乐部将很快宣布新任主教练。")) == []


def test_stitched_peels_unrelated_paragraph_and_keeps_article():
    art = ["新华社伦敦5月23日电 曼联俱乐部23日晚发表声明，确认主教练范加尔已经被解职。",
           "在一份通过邮件发给记者的声明中曼联俱乐部说，范加尔将离开俱乐部，这个决定立刻生效。",
           "声明还说，曼联俱乐部将很快宣布新任主教练的人选，穆里尼奥上任其实只是个形式问题。"]
    snippet = "武汉市住房和城乡建设局近日发布通知，首套住房商业性个人住房贷款最低首付款比例调整为25%，自11月2日起执行。"
    lines = split_lines("\n".join([snippet, *art]))
    f, main = stitched.detect(lines, set(), **STITCHED)
    assert [x.line for x in f] == [0]
    assert main == (1, 3)


def test_stitched_keeps_verse():
    poem = "明月几时有，把酒问青天。\n不知天上宫阙，今夕是何年。\n我欲乘风归去，又恐琼楼玉宇，高处不胜寒。\n起舞弄清影，何似在人间。"
    f, _ = stitched.detect(split_lines(poem), set(), **STITCHED)
    assert f == []


def test_list_headers_are_boilerplate():
    lines = split_lines("相关搜索：\n友情链接：中国政府网 | 新华网\n大家都在搜\n相关搜索引擎的技术原理并不复杂，本文介绍倒排索引。")
    assert {f.line for f in boilerplate.detect(lines)} == {0, 1, 2}


def test_bait_patterns_same_matches_with_first_char_guard():
    """The guarded patterns (a faster form for the regex engine) find exactly what the plain ones find."""
    import re

    from wenforge.clean.detectors.bait import load_patterns

    text = ("点击进入澳门银河官网 免费观看完整版 代开发票 防封永久地址 abcde123_jan07 国产自拍视频 "
            "外挂辅助卡密 网址入口 av在线 日韩无码 黑户贷款 abc12_feb3").lower()
    guarded = 0
    for p in load_patterns():
        assert p.lower is not None
        guarded += p.lower.pattern.startswith("(?=[")
        plain = re.compile(p.regex.pattern)
        assert [m.span() for m in p.lower.finditer(text)] == [m.span() for m in plain.finditer(text)], p.regex.pattern
    assert guarded >= 1
