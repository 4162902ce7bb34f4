"""The fast paths of the cleaner find what the plain ones find (issue 17: faster with no change in results)."""

from __future__ import annotations

from wenforge.clean.detectors.brand import page_count
from wenforge.clean.lexicon import LexiconMatcher


def _plain_matches(terms: dict[str, tuple[float, str]], text: str) -> list[tuple[int, int, str]]:
    """Every occurrence of every term, by plain string search (the reference for the automaton)."""
    low = text.lower()
    out = []
    for t in terms:
        i = low.find(t)
        while i >= 0:
            out.append((i, i + len(t), t))
            i = low.find(t, i + 1)
    return out


def test_view_finds_every_term_among_other_characters() -> None:
    terms = {"赌场": (0.5, "ads"), "澳门赌场": (0.9, "ads"), "外挂": (0.5, "ads"), "刷单兼职": (0.9, "ads")}
    m = LexiconMatcher(terms)
    # characters outside the terms' alphabet (the view's placeholders, emoji, marks) around and between terms
    text = "今天\ue000澳门赌场😀外挂\ue001！刷单兼职。赌\ue000场"
    found = [(x.start, x.end, x.term) for x in m.find(text)]
    assert found == [(3, 7, "澳门赌场"), (8, 10, "外挂"), (12, 16, "刷单兼职")]
    assert set(found) <= set(_plain_matches(terms, text))


def test_view_is_skipped_when_a_term_uses_its_placeholder() -> None:
    m = LexiconMatcher({"a\ue000b": (0.5, "ads"), "外挂": (0.5, "ads")})
    assert [x.term for x in m.find("看 a\ue000b 外挂")] == ["a\ue000b", "外挂"]
    assert m.find("a看b") == []  # no other character reads as the placeholder


def test_page_count_counts_doubled_pairs_overlapping() -> None:
    body = "哈哈哈，哈哈\n官网官网"
    assert page_count(body, "哈哈") == 3  # 哈哈哈 holds two pairs
    assert page_count(body, "官网") == body.count("官网") == 2
    assert page_count(body, "aa") == body.count("aa") == 0
