"""Synthetic data with ground truth: black-hat SEO pages for the adversarial cleaner (issue 3)."""

from wenforge.synth.seopage import (
    Article,
    Sources,
    SyntheticPage,
    build_corpus,
    generate_clean_page,
    generate_page,
    load_sources,
)

__all__ = [
    "Article",
    "Sources",
    "SyntheticPage",
    "build_corpus",
    "generate_clean_page",
    "generate_page",
    "load_sources",
]
