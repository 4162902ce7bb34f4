"""``AdversarialClean``: the datatrove face of ``clean_page``."""

from __future__ import annotations

from datatrove.data import Document
from datatrove.pipeline.filters.base_filter import BaseFilter

from wenforge.clean.config import CleanConfig
from wenforge.clean.page import clean_page
from wenforge.core import reasons as R


class AdversarialClean(BaseFilter):
    """Replaces ``doc.text`` with the salvaged text and records ``spam``, ``spam_score`` and
    ``clean_reasons`` in metadata; drops the document (reason ``clean_<code>``) when nothing genuine remains."""

    name = "🧹 adversarial clean"

    def __init__(self, exclusion_writer=None, config: dict | CleanConfig | None = None, max_removed: int = 20):
        super().__init__(exclusion_writer)
        self.max_removed = max_removed
        if isinstance(config, dict):
            config = CleanConfig(**config)
        self.config = config or CleanConfig()

    def filter(self, doc: Document) -> bool | tuple[bool, str]:
        res = clean_page(doc.text or "", self.config)
        doc.metadata["spam"] = res.spam
        doc.metadata["spam_score"] = res.spam_score
        doc.metadata["clean_reasons"] = list(res.reasons)
        if res.removed:  # evidence for reports: what was cut and why (bounded)
            doc.metadata["clean_removed"] = [
                {"reason": r.reason, "text": r.text[:300]} for r in res.removed[: self.max_removed]
            ]
        for code in res.reasons:
            self.stat_update(f"reason_{code}")
        if res.spam:
            self.stat_update("spam")
        if not res.text.strip():
            main = next((c for c in res.reasons if c in R.INJECTION_CODES), res.reasons[0] if res.reasons
                        else R.NO_CONTENT)
            return False, f"clean_{main}"
        if res.text != doc.text:
            self.stat_update("salvaged" if res.spam else "touched")
        doc.text = res.text
        return True
