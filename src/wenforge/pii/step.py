"""`PIIRedact`: the datatrove face of `redact`; replaces personal data in each document's text, records the
spans in metadata and counts them per type in the step's stats (which `wenforge run` puts in stats.json)."""

from __future__ import annotations

from datatrove.data import DocumentsPipeline
from datatrove.pipeline.base import PipelineStep

from wenforge.pii.detect import PII_TYPES
from wenforge.pii.replace import Salt, check_types, redact

STATS_PREFIX = "pii_"  # stats keys pii_<type>: spans of that type replaced, summed over documents


class PIIRedact(PipelineStep):
    """Replaces the `types` of personal data in `doc.text` with placeholders or salted hashes and sets
    `doc.metadata["pii"]` to the spans [{type, start, end}] over the text as it came in (at most `max_spans`).
    Rewrites only: no document is dropped here."""

    name = "🔏 pii redact"
    type = "🔏 - PII"

    def __init__(self, mode: str = "placeholder", types: list[str] | tuple[str, ...] = PII_TYPES,
                 salt: str | bytes | None = None, max_spans: int = 200):
        super().__init__()
        self.types = check_types(types)
        self.mode = mode
        self.salt = Salt(salt) if salt else None  # masked in executor.json and logs
        redact("", mode, salt=salt, types=self.types)  # refuses a bad mode or a missing salt when built
        self.max_spans = max_spans

    def run(self, data: DocumentsPipeline, rank: int = 0, world_size: int = 1) -> DocumentsPipeline:
        salt = self.salt.reveal() if self.salt else None
        for doc in data:
            self.stat_update("documents")
            with self.track_time():
                doc.text, spans = redact(doc.text or "", self.mode, salt=salt, types=self.types)
            doc.metadata["pii"] = spans[: self.max_spans]
            self.stat_update("with_pii", value=int(bool(spans)))
            for s in spans:
                self.stat_update(STATS_PREFIX + s["type"])
            yield doc
