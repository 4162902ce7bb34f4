"""`StyleLabel`: the datatrove face of `score_style`; adds the literary score, ornateness, overwrought, quality and
taxonomy to metadata."""

from __future__ import annotations

from datatrove.data import DocumentsPipeline
from datatrove.pipeline.base import PipelineStep


class StyleLabel(PipelineStep):
    """Adds `literary_score`, `ornateness`, `overwrought`, `quality` (floats), `l1` (str), `l2` (str), `l3`
    (list[str]) to `doc.metadata`;
    with `features=True` also `style_features` {name: value}, with `evidence=True` also `style_evidence`
    (at most `max_evidence` spans {device, span, start, end})."""

    name = "🖋 style label"
    type = "🎨 - STYLE"

    def __init__(self, features: bool = False, evidence: bool = False, max_evidence: int = 20):
        super().__init__()
        self.features = features
        self.evidence = evidence
        self.max_evidence = max_evidence

    def run(self, data: DocumentsPipeline, rank: int = 0, world_size: int = 1) -> DocumentsPipeline:
        from wenforge.style.score import score_style

        for doc in data:
            self.stat_update("documents")
            with self.track_time():
                r = score_style(doc.text or "")
            md = doc.metadata
            md["literary_score"] = float(r.literary_score)
            md["ornateness"], md["overwrought"], md["quality"] = float(r.ornateness), float(r.overwrought), float(r.quality)
            md["l1"], md["l2"], md["l3"] = r.l1, r.l2, list(r.l3)
            if self.features:
                md["style_features"] = {k: round(float(v), 5) for k, v in r.features.items()}
            if self.evidence:
                md["style_evidence"] = r.evidence[: self.max_evidence]
            self.stat_update(f"l1_{r.l1}")
            self.stat_update("literary", value=int(r.literary_score >= 0.5))
            yield doc
