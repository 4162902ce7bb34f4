"""The `extract` step: main text from HTML with trafilatura, paragraph breaks kept; plain text passes."""

from __future__ import annotations

import re

from datatrove.data import Document

from wenforge.core import reasons as R
from wenforge.pipeline.steps.base import WenforgeFilter

_DOCUMENT_TAG = re.compile(r"<\s*(!doctype|html|head|body)\b", re.IGNORECASE)
_BLOCK_TAG = re.compile(r"<\s*(p|div|article|section|li|tr|td|h[1-6]|table|ul|ol|main|nav|header|footer)\b", re.IGNORECASE)


def looks_like_html(text: str) -> bool:
    """An HTML page (document tags), or markup-structured text (several block tags). Plain text with a
    stray inline tag (`<font>`, `<span>`) is not: the normalize step strips those."""
    head = text[:5000]
    return bool(_DOCUMENT_TAG.search(head)) or len(_BLOCK_TAG.findall(head)) >= 3


def extract_main_text(html: str, *, favor_precision: bool = False, include_tables: bool = False) -> str:
    """trafilatura's main-text extraction as plain text with one paragraph per line ('' when nothing)."""
    import trafilatura

    out = trafilatura.extract(
        html,
        output_format="txt",
        include_comments=False,
        include_tables=include_tables,
        favor_precision=favor_precision,
        deduplicate=False,
        with_metadata=False,
    )
    return out or ""


class Extract(WenforgeFilter):
    name = "🛢 extract (trafilatura)"
    step = "extract"

    def __init__(self, exclusion_writer=None, favor_precision: bool = False, include_tables: bool = False, min_chars: int = 1):
        super().__init__(exclusion_writer)
        self.favor_precision = favor_precision
        self.include_tables = include_tables
        self.min_chars = min_chars

    def filter(self, doc: Document) -> bool | tuple[bool, str]:
        is_html = doc.metadata.get("content_type") == "text/html" or looks_like_html(doc.text)
        if not is_html:
            return True
        self.stat_update("html")
        text = extract_main_text(doc.text, favor_precision=self.favor_precision, include_tables=self.include_tables)
        if len(text.strip()) < self.min_chars:
            doc.text = doc.text[:2000]
            return self.drop(doc, R.NO_MAIN_TEXT)
        doc.text = text
        doc.metadata["extracted"] = True
        return True
