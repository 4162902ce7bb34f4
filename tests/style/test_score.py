"""score_style, literary_score and the classifiers: shape, ordering of ornate rewrites, held-out accuracy."""

from itertools import combinations
from pathlib import Path

import pytest
import yaml

from wenforge.style import literary_score, score_style
from wenforge.style.taxonomy import load_taxonomy

REWRITES = yaml.safe_load((Path(__file__).parent / "data" / "rewrites.yaml").read_text(encoding="utf-8"))


def test_result_shape_and_vocabulary():
    r = score_style("金色的余晖洒在湛蓝的湖面上，像一匹柔软的绸缎。难道这不是最美的黄昏吗？")
    tax = load_taxonomy()
    assert 0.0 <= r.literary_score <= 1.0
    assert r.l1 in tax.l1_labels and r.l2 in tax.l2_of(r.l1)
    assert set(r.l3) <= set(tax.l3_labels) and "metaphor" in r.l3
    assert r.features["dev_metaphor"] > 0 and len(r.features) > 40
    ev = r.evidence[0]
    assert set(ev) == {"device", "span", "start", "end"}
    d = r.to_dict()
    assert d["taxonomy"] == {"l1": r.l1, "l2": r.l2, "l3": r.l3}


def test_empty_and_non_chinese_text():
    assert score_style("").taxonomy["l1"] == "other"
    r = score_style("The quick brown fox jumps over the lazy dog.")
    assert r.l1 == "other" and r.literary_score == 0.0
    with pytest.raises(TypeError):
        score_style(None)  # type: ignore[arg-type]


def test_ornate_rewrites_are_ordered_and_beat_longer_plain_text():
    right = total = 0
    wins = 0
    for s in REWRITES:
        sc = {k: literary_score(s[k]) for k in ("plain", "moderate", "ornate")}
        for a, b in combinations(("plain", "moderate", "ornate"), 2):
            total += 1
            right += sc[b] > sc[a]
        assert len(s["plain"]) >= len(s["ornate"])
        wins += sc["ornate"] > sc["plain"]
    assert right / total >= 0.9, f"{right}/{total} orderings"
    assert wins >= len(REWRITES) - 1


@pytest.mark.parametrize(
    "text,l1,l2",
    [
        ("床前明月光，疑是地上霜。举头望明月，低头思故乡。", "literature", "classical_poetry"),
        ("新华社北京3月5日电（记者王磊）第十四届全国人民代表大会第二次会议5日上午在人民大会堂开幕，国务院总理作政府工作报告。", "news", "news_report"),
        ("芳芳买了一本书有99页，看了90页，她还剩多少页没有看？", "expository", "exercise"),
        ("你好，根据你的描述，考虑是胃炎引起的，建议服用奥美拉唑治疗，注意饮食清淡，避免辛辣刺激的食物。", "qa", "expert_answer"),
    ],
)
def test_classifier_on_clear_examples(text, l1, l2):
    r = score_style(text)
    assert (r.l1, r.l2) == (l1, l2)


def test_l2_accuracy_on_heldout_literary_rows():
    from wenforge.style.corpus import load_items

    items = [x for x in load_items("test", seeds=False) if x.source in ("poetry", "luxun")]
    by: dict = {}
    for x in items:
        by.setdefault(x.l2, []).append(x)
    sample = [x for xs in by.values() for x in xs[:6]]
    right = sum(score_style(x.text[:1500]).l2 == x.l2 for x in sample)
    assert right / len(sample) >= 0.8, f"{right}/{len(sample)}"


def test_literary_score_separates_heldout_literature_from_news():
    from wenforge.style.corpus import load_items, windows

    items = [x for x in load_items("test", seeds=False) if x.source in ("luxun", "uhgeval")]
    ws = windows(items, 500, per_group=1)
    lit = [literary_score(w.text) for w in ws if w.literary][:20]
    news = [literary_score(w.text) for w in ws if not w.literary][:20]
    pairs = sum(a > b for a in lit for b in news)
    assert pairs / (len(lit) * len(news)) >= 0.97
