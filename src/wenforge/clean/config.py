"""Configuration of the adversarial cleaner (pydantic, unknown keys rejected)."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from wenforge.core.config import load_config

LexiconCategory = Literal["porn_a", "porn_b", "ads", "weapons", "violence", "illegal_domains"]


class CleanConfig(BaseModel):
    """Thresholds and evidence weights of ``clean_page`` (docs/clean.md lists every key); defaults tuned on
    `dev`-split synthetic pages and hand-written pages."""

    model_config = ConfigDict(extra="forbid")

    # ------------------------------------------------------------------ the page decision
    spam_threshold: float = Field(0.5, ge=0, le=1, description="spam_score at or above which a page is spam")
    hotlist_line_weight: float = Field(
        0.4, ge=0, le=1, description="evidence of each explicit hot-list line (TOP1热点, 热榜3; the first three count): "
                                     "two such lines make a page spam, one alone does not")
    hotlist_bait_line_weight: float = Field(
        0.2, ge=0, le=1, description="evidence of each numbered headline that carries bait or an alien token "
                                     "(the first three count): digests number their headlines too, so weaker")
    bait_allowance: float = Field(
        0.4, ge=0, description="summed weight of the page's distinct lures that counts for nothing: genuine pages "
                               "name a lure or two in passing")
    bait_saturation: float = Field(
        1.2, gt=0, description="lure weight beyond the allowance at which bait evidence reaches 0.63 (1 - 1/e); "
                               "larger: the evidence grows more slowly with more lures")
    topical_bait_discount: float = Field(
        0.3, ge=0, le=1, description="factor on a lure the article's own sentences use (澳门赌场 in casino news): the "
                                     "page is about it")
    two_stories_weight: float = Field(
        0.2, ge=0, le=1, description="stitched evidence of two datelined stories on one page: weak alone, news digests "
                                     "have them too")
    separator_dateline_weight: float = Field(
        0.5, ge=0, le=1, description="stitched evidence of separator runs (******) on a page with two datelined "
                                     "stories")
    separator_cap: float = Field(
        0.3, ge=0, le=1, description="most stitched evidence from separator runs alone: some sites draw dividers")
    jammer_cap: float = Field(
        0.3, ge=0, le=1, description="most gibberish evidence from forum jammer lines: forums add them to genuine "
                                     "posts")
    brand_plain_cap: float = Field(
        0.3, ge=0, le=1, description="most evidence from brand shapes without a grey trade (立即注册本站会员): site "
                                     "chrome as often as injection")
    respaced_weight: float = Field(
        0.3, ge=0, le=1, description="template evidence of re-spaced ASCII marks (支持 , 记者) on five or more places: a "
                                     "scraper's copy, or a careless typist, so it needs a second sign")
    reason_min_evidence: float = Field(
        0.2, ge=0, le=1, description="on a spam page, evidence at which an injection kind is named in `reasons` though "
                                     "nothing of it was cut")
    use_shared_lexicons: bool = Field(True, description="use the shipped word lists (clean/assets/lexicons; else curated patterns only)")
    lexicon_categories: list[LexiconCategory] = Field(
        default_factory=lambda: ["porn_a", "porn_b", "ads", "weapons", "violence", "illegal_domains"],
        description="shipped word lists the bait detector reads (with use_shared_lexicons)",
    )

    # ------------------------------------------------------------------ salvage
    boilerplate: Literal["drop", "keep", "drop_on_spam"] = Field(
        "drop_on_spam", description="编辑/来源/发布于 lines: always drop, always keep, or drop on spam pages only"
    )
    stitched_containment: float = Field(
        0.08, ge=0, le=1, description="on a spam page, a paragraph outside the main article that shares less than this "
                                      "share of its content bigrams with the article (and has a character-profile "
                                      "cosine below stitched_unigram) is stitched"
    )
    stitched_unigram: float = Field(
        0.3, ge=0, le=1, description="the character-profile cosine below which such a paragraph is stitched"
    )
    min_salvage_chars: int = Field(20, ge=0, description="fewer genuine characters than this: nothing remains")
    duplicate_min_chars_clean: int = Field(50, ge=1, description="shortest repeated line dropped on clean pages")
    duplicate_min_chars_spam: int = Field(8, ge=1, description="shortest repeated line dropped on spam pages")
    bait_cut: float = Field(
        0.5, ge=0, description="on a spam page, bait weight at which a lure goes: a short or headline-like line whole "
                               "(its lures summed), inside a kept line the lure alone")
    brand_cut: float = Field(
        0.3, ge=0, le=1, description="on a spam page, weight at which a brand shape is cut from the line that stays "
                                     "(the headline it was glued to)")
    content_farm_exclude: float = Field(
        0.45, ge=0, le=1, description="content-farm evidence at which a spam page is excluded whole (reason "
                                      "content_farm): the page is generated, nothing on it is an article")
    machine_prose: bool = Field(
        True, description="read long unsourced pages with the machine-prose model (content farms without template "
                          "leftovers); off: only template evidence marks a content farm")
    machine_prose_threshold: float = Field(
        0.85, ge=0, le=1, description="machine-prose probability at which an unsourced page of 200 or more Han "
                                      "characters is a content farm")
    spun_text: Literal["exclude", "keep"] = Field(
        "exclude", description="pages with spun or deleted characters: exclude (reason spun_text) or keep as they are"
    )
    spun_text_exclude: float = Field(
        0.5, ge=0, le=1, description="spun-text evidence at which a spam page is excluded (with spun_text: exclude): "
                                     "two distinct spinner outputs, densely")
    drop_html_residue: bool = Field(True, description="strip leftover tags and entities inside lines")


def load_clean_config(path: str | Path) -> CleanConfig:
    """A YAML file of CleanConfig keys (`wenforge clean --config`); ConfigError: file:line: key: message."""
    return load_config(path, CleanConfig)
