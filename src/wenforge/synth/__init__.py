"""Synthetic data with ground truth: black-hat SEO pages for the adversarial cleaner (issue 3)."""

from wenforge.synth.corpus import build_corpus
from wenforge.synth.seopage import SyntheticPage, generate_clean_page, generate_page
from wenforge.synth.shapes import CLEAN_SHAPES, SPAM_SHAPES, brand_name, generate_shape
from wenforge.text.sources import Article, Sources, load_sources

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
