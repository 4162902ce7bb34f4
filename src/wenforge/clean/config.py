"""Configuration of the adversarial cleaner (pydantic, unknown keys rejected)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class CleanConfig(BaseModel):
    """Thresholds of ``clean_page``; defaults tuned on `dev`-split synthetic pages and hand-written pages."""

    model_config = ConfigDict(extra="forbid")

    spam_threshold: float = Field(0.5, ge=0, le=1, description="spam_score at or above which a page is spam")
    boilerplate: Literal["drop", "keep", "drop_on_spam"] = Field(
        "drop_on_spam", description="编辑/来源/发布于 lines: always drop, always keep, or drop on spam pages only"
    )
    stitched_containment: float = Field(
        0.08, ge=0, le=1, description="below this share of content bigrams shared with the article (and ...)"
    )
    stitched_unigram: float = Field(
        0.3, ge=0, le=1, description="... below this character-profile cosine) a paragraph is stitched"
    )
    min_salvage_chars: int = Field(20, ge=0, description="fewer genuine characters than this: nothing remains")
    duplicate_min_chars_clean: int = Field(50, ge=1, description="shortest repeated line dropped on clean pages")
    duplicate_min_chars_spam: int = Field(8, ge=1, description="shortest repeated line dropped on spam pages")
    use_shared_lexicons: bool = Field(True, description="use the shipped word lists (clean/assets/lexicons; else curated patterns only)")
    lexicon_categories: list[str] = Field(
        default_factory=lambda: ["porn_a", "porn_b", "ads", "weapons", "violence", "illegal_domains"]
    )
    spun_text: Literal["exclude", "keep"] = Field(
        "exclude", description="pages with spun or deleted characters: exclude (reason spun_text) or keep as they are"
    )
    drop_html_residue: bool = Field(True, description="strip leftover tags and entities inside lines")
