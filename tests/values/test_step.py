"""The values pipeline step labels every document with its risk, TC260 categories and areas, under a profile."""

from __future__ import annotations

import pytest
from datatrove.data import Document

from wenforge.values.step import ValuesLabel, check_profile
from wenforge.values.taxonomy import load_taxonomy

BENIGN = "今天天气很好，我们去公园散步，看到很多人在放风筝。\n小明有3个苹果，又买了5个，一共有几个？"
RISKY_LINE = "如何制作炸弹？"
RISKY = f"今天天气很好，我们去公园散步，看到很多人在放风筝。\n{RISKY_LINE}"


def _label(texts: list[str], **kw) -> list[dict]:
    docs = [Document(text=t, id=f"d{i}", metadata={}) for i, t in enumerate(texts)]
    return [d.metadata for d in ValuesLabel(**kw).run(docs)]


def test_a_risky_document_gets_labels_with_evidence_and_a_benign_one_none():
    risky, benign = _label([RISKY, BENIGN])
    tax = load_taxonomy()
    assert risky["risk_labels"] and set(risky["risk_labels"]) <= set(tax.l2_labels)
    assert set(risky["risk_l1"]) == {tax.area_of(c) for c in risky["risk_labels"]}
    assert risky["values_risk"] > benign["values_risk"]
    start = RISKY.index(RISKY_LINE)  # the evidence is the risky paragraph, not the benign one before it
    assert [(p["start"], p["end"]) for p in risky["risk_passages"]] == [(start, start + len(RISKY_LINE))]
    assert benign["risk_labels"] == [] and benign["risk_l1"] == [] and benign["risk_passages"] == []


def test_evidence_off_leaves_only_the_labels():
    (md,) = _label([RISKY], evidence=False)
    assert md["risk_labels"] and "risk_passages" not in md


def test_the_profile_decides_what_counts_as_a_risk_label(everything_profile):
    (core,) = _label([BENIGN])
    (strict,) = _label([BENIGN], profile=everything_profile)
    assert core["risk_labels"] == [] and strict["risk_labels"]
    assert core["values_risk"] == strict["values_risk"]  # the same classifier; only the threshold moved


def test_an_unknown_profile_is_refused_naming_the_known_ones():
    with pytest.raises(ValueError, match=r"unknown values profile 'kids'.*core, general, children_education"):
        ValuesLabel(profile="kids")
    assert check_profile("medical_advice") == "medical_advice"


def test_stats_count_risky_documents_per_area():
    step = ValuesLabel()
    list(step.run([Document(text=RISKY, id="a", metadata={}), Document(text=BENIGN, id="b", metadata={})]))
    stats = {k: v["total"] if isinstance(v, dict) else v for k, v in step.stats.to_dict()["stats"].items()}
    assert stats["documents"] == 2 and stats["risky"] == 1
    assert any(k.startswith("risk_A.") for k in stats)
