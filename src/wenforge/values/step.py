"""`ValuesLabel`: the datatrove face of `document_labels`; adds each document's values risk and its TC260 risk
labels to metadata, so a mixture can cap or exclude them and the run report can show their shares."""

from __future__ import annotations

from datatrove.data import DocumentsPipeline
from datatrove.pipeline.base import PipelineStep

from wenforge.values.profile import CORE, load_policy


def check_profile(profile: str) -> str:
    """`profile` when the values policy knows it, else ValueError naming the known profiles."""
    load_policy().rule(profile, None)
    return profile


class ValuesLabel(PipelineStep):
    """Adds `values_risk` (float, the riskiest passage's), `risk_labels` (list[str], the TC260 categories of the
    passages at or above their refuse_at under `profile`) and `risk_l1` (list[str], their areas) to
    `doc.metadata`; with `evidence=True` also `risk_passages` (at most `max_evidence` {start, end, l2, risk},
    offsets into the text). Labels only: no document is dropped here."""

    name = "🛡 values label"
    type = "🛡 - VALUES"

    def __init__(self, profile: str = CORE, evidence: bool = True, max_evidence: int = 20):
        super().__init__()
        self.profile = check_profile(profile)
        self.evidence = evidence
        self.max_evidence = max_evidence

    def run(self, data: DocumentsPipeline, rank: int = 0, world_size: int = 1) -> DocumentsPipeline:
        from wenforge.values.classify import document_labels
        from wenforge.values.taxonomy import load_taxonomy

        tax = load_taxonomy()
        for doc in data:
            self.stat_update("documents")
            with self.track_time():
                r = document_labels(doc.text or "", profile=self.profile)
            md = doc.metadata
            md["values_risk"] = float(r["values_risk"])
            md["risk_labels"] = sorted(r["risk_labels"])
            md["risk_l1"] = list(r["risk_l1"])
            if self.evidence:
                md["risk_passages"] = r["passages"][: self.max_evidence]
            self.stat_update("risky", value=int(bool(r["risk_labels"])))
            for area in r["risk_l1"]:  # stats keys by TC260 id (A.1 ...): short and ASCII
                self.stat_update(f"risk_{tax.l1[area].id}")
            yield doc
