"""Safety detector: weighted lexicon hits (the cleaner's `LexiconMatcher` over the shipped word lists in
`clean/assets/lexicons`, konsheng/Sensitive-lexicon, MIT) plus patterns for contact bait, gambling and weapon sales that word lists miss.

The lexicons are noisy (many short common words), so a text is flagged only when the weighted evidence
(length- and frequency-weighted, capped per term, as in the cleaner) passes a threshold or a pattern hits.
"""

from __future__ import annotations

import math
import re

PATTERNS: dict[str, re.Pattern] = {
    "contact_bait": re.compile(r"(?:加|联系|咨询|私聊)\s*(?:微信|VX|vx|V信|薇信|QQ|qq|扣扣)\s*[:：]?\s*[A-Za-z0-9_-]{5,}"),
    "gambling": re.compile(r"(?:网上|在线|线上)?(?:博彩|赌场|百家乐|六合彩|时时彩|老虎机)(?:平台|网站|开户|注册|送彩金)"),
    "weapon_sale": re.compile(r"(?:出售|代购|批发|转让)\s*(?:枪支|手枪|猎枪|气枪|弹药|雷管|炸药)"),
    "drug_sale": re.compile(r"(?:出售|代购|批发)\s*(?:冰毒|海洛因|大麻|K粉|摇头丸)"),
}
THRESHOLD = 0.5


def _matcher():
    from wenforge.clean.lexicon import shared_matcher

    return shared_matcher()


def safety_check(text: str) -> dict:
    """`safety_flag`, `safety_score` in [0, 1) and `hits` [{start, end, text, category, weight}]."""
    text = text or ""
    hits = [
        {"start": m.start, "end": m.end, "text": text[m.start : m.end], "category": m.category,
         "weight": round(float(m.weight), 4)}
        for m in _matcher().find(text)
    ]
    from wenforge.clean.lexicon import LexiconMatcher, LexMatch

    lex = LexiconMatcher.score_matches(LexMatch(h["start"], h["end"], h["text"].lower(), h["category"], h["weight"])
                                       for h in hits)
    pat = 0.0
    for name, rx in PATTERNS.items():
        for m in rx.finditer(text):
            hits.append({"start": m.start(), "end": m.end(), "text": m.group(0), "category": f"pattern:{name}",
                         "weight": 1.0})
            pat += 1.0
    score = 1.0 - math.exp(-(lex + pat))
    hits.sort(key=lambda h: h["start"])
    return {"safety_flag": score >= THRESHOLD, "safety_score": round(score, 4), "hits": hits}
