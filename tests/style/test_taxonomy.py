import pytest

from wenforge.style.taxonomy import TaxonomyError, load_taxonomy


def test_shipped_taxonomy_has_required_labels():
    t = load_taxonomy()
    assert {"literature", "news", "expository", "qa", "official", "commercial", "other"} <= set(t.l1_labels)
    assert {"classical_poetry", "ci", "classical_prose", "modern_fiction", "modern_essay", "prose_poetry"} <= set(
        t.l2_of("literature"))
    assert t.parent("ci") == "literature"


def test_user_taxonomy_extends(tmp_path):
    p = tmp_path / "t.yaml"
    p.write_text("l1:\n  literature:\n    l2:\n      web_novel: {zh: 网文}\nl3:\n  synesthesia: {zh: 通感}\n",
                 encoding="utf-8")
    t = load_taxonomy(p)
    assert "web_novel" in t.l2_of("literature") and "ci" in t.l2_of("literature")
    assert "synesthesia" in t.l3_labels and "metaphor" in t.l3_labels
    bad = tmp_path / "bad.yaml"
    bad.write_text("l1: [1, 2]\n", encoding="utf-8")
    with pytest.raises(TaxonomyError, match="bad.yaml"):
        load_taxonomy(bad)
