"""First-character guards read from the pattern's own text (no private re modules) never change a match; match heads
(read with re's parser) start every match."""

import re

import pytest

from wenforge.text.guard import guarded, match_heads

TEXT = ("点击进入官网 免费观看 abc12_feb3 在线播放完整版 ab-cd 中文3 a.b ]a a\\b 永久地址 "
        "（记者 王小明）报道 12月3日电 防封 abcab xyz").lower()


@pytest.mark.parametrize("rx,first", [
    (r"(点击|立即)(进入|下载)|(免费|在线)(观看|播放)", "免在点立"),
    (r"(?<![a-z0-9])[a-z]{3,8}\d{2,4}_(jan|feb)", "abcdefghijklmnopqrstuvwxyz"),
    (r"(?:官网|网址)(?:入口)?|永久(?:地址|域名)|防封", "官永网防"),
    (r"(?:记者|通讯员)\s?[\u4e00-\u9fff]{2,3}|[0-9]{1,2}月", "0123456789记通"),
    (r"(?:\]|\\)a|(?=a)(?:a\.b)+?|(?:)x", "\\]ax"),
    (r"(a|\x62)c|(?P<n>\u4e2d)文", "ab中"),
])
def test_guard_lists_the_first_characters_and_keeps_every_match(rx, first):
    g = guarded(rx)
    assert g.pattern.startswith(f"(?=[{re.escape(''.join(sorted(first)))}])"), g.pattern[:60]
    assert [m.span() for m in g.finditer(TEXT)] == [m.span() for m in re.finditer(rx, TEXT)]


@pytest.mark.parametrize("rx", [
    r"澳门|葡京|太阳城",  # re skips ahead by itself: branches of literals
    r"(澳门|葡京)(官网|入口)",  # ... through groups
    r"[\u4e00-\u9fff]{2}(?:网|站)|(?:ab)",  # no short first-character set
    r"(?:ab)?c|d",  # an optional group in front
    r"(?i:ab)|cd",  # scoped flags: not read
    r"(a)x|\1y",  # back-references: not read
])
def test_no_guard_where_it_would_not_help_or_is_not_known(rx):
    assert guarded(rx).pattern == rx


def test_flags_carry_over_and_verbose_patterns_stay_as_written():
    g = guarded(r"(?:ab|cd)e|fg", re.IGNORECASE)
    assert g.pattern.startswith("(?=[acf])") and g.flags & re.IGNORECASE and g.search("xCDe")
    assert guarded(r"(?:ab | cd) e", re.VERBOSE).pattern == r"(?:ab | cd) e"
    with pytest.raises(re.error):
        guarded(r"(?:ab|cd")


def test_match_heads_start_every_match():
    import random

    assert match_heads(r"(?<!被)(推翻|颠覆)[^，]{0,3}政府", 0) == {"推翻", "颠覆"}
    assert match_heads(r"a?b", 0) == {"ab", "b"}
    assert match_heads(r"(?:我|你们)[^。]{0,4}", 0) == {"我", "你们"}
    assert match_heads(r"(?i)abc", 0) is None and match_heads(r".abc", 0) is None  # nothing known: always run
    rng = random.Random(0)
    for pattern in (r"(?<!被)(推翻|颠覆)[^，]{0,3}政府", r"a?b", r"(ab|c)*d", r"x{2,}y|z", r"(?=a)ab|\bcd"):
        heads = match_heads(pattern, 0)
        for _ in range(200):
            text = "".join(rng.choice("abcdxyz推翻颠覆政府被，") for _ in range(12))
            for m in re.finditer(pattern, text):
                if m.end() > m.start():
                    assert any(m.group(0).startswith(h) for h in heads), (pattern, m.group(0))
