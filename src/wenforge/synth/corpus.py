"""A labelled corpus of synthetic pages: spam and clean pages from `seopage`'s templates and `shapes`' real-web
shapes, over genuine articles of a data folder (tests and benchmarks of the cleaner)."""

from __future__ import annotations

import random

from wenforge.synth.seopage import SITE_NAMES, SyntheticPage, generate_clean_page, generate_page
from wenforge.synth.shapes import CLEAN_SHAPES, SPAM_SHAPES, generate_shape
from wenforge.text.sources import Sources


def build_corpus(sources: Sources, n: int, *, seed: int = 0, spam_ratio: float = 0.5,
                 html_ratio: float = 0.0, shapes_ratio: float = 0.0) -> list[SyntheticPage]:
    """``n`` pages, about ``spam_ratio`` spam; clean pages cover every hard-negative kind.

    ``shapes_ratio``: share of the spam and of the clean pages drawn from ``wenforge.synth.shapes`` (plain
    text); at 0 the corpus is exactly the one built without it.
    """
    rng = random.Random(seed)
    news = sources.by_source("news")
    others = [a for a in sources.articles if a.source != "news"]
    pages: list[SyntheticPage] = []
    for _ in range(n):
        art = rng.choice(news) if (rng.random() < 0.6 or not others) else rng.choice(others)
        as_html = rng.random() < html_ratio
        context = {"headlines": sources.headlines, "snippets": sources.snippets, "title": art.title or None}
        if rng.random() < spam_ratio:
            if shapes_ratio and rng.random() < shapes_ratio:
                p = generate_shape(rng.choice(SPAM_SHAPES), art.text, rng, **context)
            else:
                p = generate_page(art.text, rng=rng, headlines=sources.headlines, snippets=sources.snippets,
                                  site_names=SITE_NAMES, as_html=as_html, title=art.title or None)
        elif shapes_ratio and rng.random() < shapes_ratio:
            p = generate_shape(rng.choice(CLEAN_SHAPES), art.text, rng, **context)
        else:
            kind = {"qa": "qa", "poetry": "poetry"}.get(art.source)
            p = generate_clean_page(art.text, rng=rng, headlines=sources.headlines, snippets=sources.snippets,
                                    kind=kind, title=art.title or None, as_html=as_html)
        p.source = art.source
        pages.append(p)
    return pages
