"""The `quality` step: datatrove's own filters, routed by language.

Chinese gets FineWeb-2's `cmn_Hani` pipeline (GopherRepetition, FineWebQuality, GopherQuality with the
per-language thresholds and stopwords); English gets the Gopher repetition and quality rules. Words come
from offline tokenizers (jieba / regex) instead of datatrove's spaCy defaults.
"""

from __future__ import annotations

from datatrove.data import Document
from datatrove.pipeline.filters import FineWebQualityFilter, GopherQualityFilter, GopherRepetitionFilter
from datatrove.pipeline.filters.base_filter import get_filter_result

from wenforge.pipeline.steps.base import WenforgeFilter
from wenforge.text.tokenizers import JiebaWordTokenizer, LatinWordTokenizer


def chinese_filters(cfg) -> list:
    """FineWeb-2 cmn_Hani: the same three datatrove filters and settings as fineweb-2-pipeline.py."""
    tok = JiebaWordTokenizer()
    return [
        GopherRepetitionFilter(
            language=tok,
            dup_para_frac=0,
            dup_line_char_frac=0,
            dup_para_char_frac=0,
            dup_line_frac=cfg.dup_line_frac,
            top_n_grams=tuple(tuple(x) for x in cfg.top_n_grams),
            dup_n_grams=tuple(tuple(x) for x in cfg.dup_n_grams),
        ),
        FineWebQualityFilter(
            language=tok,
            short_line_thr=999,
            char_duplicates_ratio=cfg.char_duplicates_ratio,
            line_punct_thr=cfg.line_punct_thr,
            new_line_ratio=cfg.new_line_ratio,
        ),
        GopherQualityFilter(
            language=tok,
            min_doc_words=cfg.min_doc_words,
            max_avg_word_length=cfg.max_avg_word_length,
            min_avg_word_length=cfg.min_avg_word_length,
            stop_words=cfg.stopwords,
            max_non_alpha_words_ratio=cfg.max_non_alpha_words_ratio,
            min_stop_words=cfg.min_stop_words,
        ),
    ]


def english_filters(cfg) -> list:
    tok = LatinWordTokenizer()
    return [
        GopherRepetitionFilter(language=tok),
        GopherQualityFilter(
            language=tok, min_doc_words=cfg.min_doc_words, max_doc_words=cfg.max_doc_words, min_stop_words=cfg.min_stop_words
        ),
    ]


_SHORT = {GopherRepetitionFilter: "gopher_rep", FineWebQualityFilter: "fineweb_qual", GopherQualityFilter: "gopher_qual"}


class LanguageQuality(WenforgeFilter):
    """Applies the filter chain of the document's language (metadata `language`); others pass."""

    name = "🥇 quality (FineWeb-2 / Gopher)"
    step = "quality"

    def __init__(self, exclusion_writer=None, chains: dict[str, list] | None = None, rescue_literary: float | None = None):
        """rescue_literary: keep a dropped document whose `literary_score` is at least this (None: off)."""
        super().__init__(exclusion_writer)
        self.chains = chains or {}
        self.rescue_literary = rescue_literary

    def filter(self, doc: Document) -> bool | tuple[bool, str]:
        for f in self.chains.get(doc.metadata.get("language", ""), ()):
            keep, reason = get_filter_result(f.filter(doc))
            if not keep:
                reason = f"{_SHORT.get(type(f), type(f).__name__)}:{reason or 'dropped'}"
                if self.rescue_literary is not None and self._literary(doc) >= self.rescue_literary:
                    doc.metadata["quality_rescued"] = reason
                    self.stat_update("rescued_literary")
                    return True
                return self.drop(doc, reason)
        return True

    def _literary(self, doc: Document) -> float:
        """The style system's literary score, computed only for documents the generic filters drop."""
        from wenforge.style import literary_score

        score = float(literary_score(doc.text))
        doc.metadata["literary_score"] = score
        return score
