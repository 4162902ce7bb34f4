import pytest

from wenforge.style.taxonomy import TaxonomyError, load_taxonomy


def test_shipped_taxonomy_has_required_labels():
    t = load_taxonomy()
    assert {"literature", "news", "expository", "qa", "official", "commercial", "other"} <= set(t.l1_labels)
    assert {"classical_poetry", "ci", "classical_prose", "modern_fiction", "modern_essay", "prose_poetry"} <= set(
        t.l2_of("literature"))
    assert t.parent("ci") == "literature"
    web = {"review": "commentary", "opinion": "commentary", "academic": "academic", "forum_post": "social",
           "modern_poetry": "literature", "web_fiction": "literature", "student_composition": "literature"}
    assert {l2: t.parent(l2) for l2 in web} == web
    assert len(t.l2_labels) == len(set(t.l2_labels)), "an L2 label under two L1 labels"


def test_every_l2_label_has_training_material():
    from wenforge.style.models import load_models

    models = load_models()
    t = load_taxonomy()
    assert set(models.l2.classes) == set(t.l2_labels) - {"other"}
    assert set(models.l1.classes) == set(t.l1_labels) - {"other"}


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
