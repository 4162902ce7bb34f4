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
from wenforge.synth.shapes import CLEAN_SHAPES, SPAM_SHAPES, brand_name, generate_shape

__all__ = [
    "CLEAN_SHAPES",
    "SPAM_SHAPES",
    "Article",
    "Sources",
    "SyntheticPage",
    "brand_name",
    "build_corpus",
    "generate_clean_page",
    "generate_page",
    "generate_shape",
    "load_sources",
]
