"""The `normalize` step: NFKC for full-width ASCII, whitespace, entities, leftover tags, optional t2s."""

from __future__ import annotations

from datatrove.data import Document

from wenforge.core import reasons as R
from wenforge.pipeline.steps.base import WenforgeFilter
from wenforge.text.chars import normalize_text


class Normalize(WenforgeFilter):
    name = "🧽 normalize"
    step = "normalize"

    def __init__(self, exclusion_writer=None, nfkc: bool = True, strip_tags: bool = True, to_simplified: bool = False):
        super().__init__(exclusion_writer)
        self.nfkc = nfkc
        self.strip_tags = strip_tags
        self.to_simplified = to_simplified

    def filter(self, doc: Document) -> bool | tuple[bool, str]:
        doc.text = normalize_text(doc.text, nfkc=self.nfkc, strip_tags=self.strip_tags, simplified=self.to_simplified)
        if not doc.text:
            return self.drop(doc, R.EMPTY_AFTER_NORMALIZE)
        return True
