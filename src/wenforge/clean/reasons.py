"""The single registry of adversarial-cleaning reason codes.

Every detector, the page decision, the datatrove step (``clean_<code>`` exclusion reasons), the CLI
(``--explain``), the synthetic page generator and the benchmark use these names and nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Reason:
    code: str
    description: str
    injected: bool  # True: evidence of injection (counts toward the spam decision)


_REASONS = [
    Reason("title_injection", "title line repeated with alien Latin/digit tokens or site names", True),
    Reason("bait", "adult / gambling / cheat / contact bait phrase (weighted lexicon + curated patterns)", True),
    Reason("gibberish", "random alphanumeric or base64-like token string inside Chinese text", True),
    Reason("hotlist", "hot-list template line (TOPn热点, 热榜n, numbered headline + bait)", True),
    Reason("stitched", "paragraph unrelated to the main article (topic shift, foreign dateline)", True),
    Reason("brand_injection", "gambling/adult brand with an action (注册/官网/入口/下载) or digits glued to a title or sentence",
           True),
    Reason("keyword_stuffing", "tag cloud, related-search block or list of place names with no sentences", True),
    Reason("template_artifact", "unfilled CMS tag or placeholder, fake source token, site watermark line", True),
    Reason("mirror_repaired", "mirror page: pinyin glosses stripped, variant characters mapped back, converter leftovers", True),
    Reason("spun_text", "text machine-spun (synonym swaps) or with characters deleted: unreadable as written", True),
    Reason("content_farm", "machine-written or template page with no genuine article (gossip, fake notice, stub)",
           True),
    Reason("duplicate", "repeated line or paragraph", False),
    Reason("html_residue", "leftover HTML tags or entities", False),
    Reason("boilerplate", "editor / source / published-at / IP boilerplate line", False),
    Reason("no_content", "nothing genuine remains after cleaning", False),
    Reason("malformed_input", "input line is not a JSON object with a string `text`", False),
]

REASONS: dict[str, Reason] = {r.code: r for r in _REASONS}

TITLE_INJECTION = "title_injection"
BAIT = "bait"
GIBBERISH = "gibberish"
HOTLIST = "hotlist"
STITCHED = "stitched"
DUPLICATE = "duplicate"
HTML_RESIDUE = "html_residue"
BOILERPLATE = "boilerplate"
NO_CONTENT = "no_content"
MALFORMED_INPUT = "malformed_input"
BRAND_INJECTION = "brand_injection"
KEYWORD_STUFFING = "keyword_stuffing"
TEMPLATE_ARTIFACT = "template_artifact"
MIRROR_REPAIRED = "mirror_repaired"
SPUN_TEXT = "spun_text"
CONTENT_FARM = "content_farm"

INJECTION_CODES = frozenset(r.code for r in _REASONS if r.injected)


def check(code: str) -> str:
    """Return ``code`` if registered, else raise ValueError (typos must not create new vocabulary)."""
    if code not in REASONS:
        raise ValueError(f"unknown reason code {code!r}; known: {', '.join(REASONS)}")
    return code
