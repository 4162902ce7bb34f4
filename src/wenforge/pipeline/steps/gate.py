"""The `read` step: excludes the reader's error records (malformed lines, empty/binary files) and caps size."""

from __future__ import annotations

from datatrove.data import Document

from wenforge.core import reasons as R
from wenforge.pipeline.steps.base import WenforgeFilter, apply_size_limit


class ReadGate(WenforgeFilter):
    name = "🚪 read gate"
    step = "read"

    def __init__(self, exclusion_writer=None, max_chars: int = 1_000_000, oversize: str = "truncate"):
        super().__init__(exclusion_writer)
        self.max_chars = max_chars
        self.oversize = oversize

    def filter(self, doc: Document) -> bool | tuple[bool, str]:
        error = doc.metadata.pop("_error", None)
        if error:
            return self.drop(doc, error)
        if "_raw" in doc.metadata:
            return True  # raw pages are checked after decoding
        if not doc.text.strip():
            return self.drop(doc, R.EMPTY_TEXT)
        reason = apply_size_limit(doc, self.max_chars, self.oversize)
        return self.drop(doc, reason) if reason else True
