"""The base of wenforge's steps: a datatrove BaseFilter that knows its step name and size limits."""

from __future__ import annotations

from datatrove.data import Document
from datatrove.pipeline.filters.base_filter import BaseFilter

from wenforge.core import reasons as R


class WenforgeFilter(BaseFilter):
    """A filter that may also rewrite the document; `step` names it in stats, exclusions and reports."""

    step: str = "step"

    def drop(self, doc: Document, reason: str) -> tuple[bool, str]:
        doc.metadata.pop("_raw", None)
        doc.metadata["excluded_step"] = self.step
        return False, reason


def apply_size_limit(doc: Document, max_chars: int, oversize: str) -> str | None:
    """Truncate an over-long text (recording it) or return the TOO_LONG reason when configured to exclude."""
    if len(doc.text) <= max_chars:
        return None
    if oversize == "exclude":
        doc.metadata["original_chars"] = len(doc.text)
        doc.text = doc.text[:2000]  # the exclusion record keeps a preview, not 50 MB
        return R.TOO_LONG
    doc.metadata["truncated_from"] = len(doc.text)
    doc.text = doc.text[:max_chars]
    return None
