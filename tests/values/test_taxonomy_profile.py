"""values.taxonomy and values.profile: TC260 names as the standard writes them, user files merged over the
shipped ones, errors naming the file and key; a profile changes a verdict, a locked core category cannot be
loosened."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from wenforge.core.config import ConfigError
from wenforge.values.classify import values_check
from wenforge.values.profile import load_policy
from wenforge.values.taxonomy import load_taxonomy

TC260 = Path(os.environ.get("WENFORGE_DATA", "")) / "safety" / "tc260_taxonomy.json"


def test_areas_and_categories_are_the_standards_names():
    tax = load_taxonomy()
    assert len(tax.l1_labels) == 5 and len(tax.l2_labels) == 31
    if TC260.is_file():
        ref = json.loads(TC260.read_text(encoding="utf-8"))
        assert {k: v for k, v in ref.items() if k.startswith("A.")} == {a: list(x.l2) for a, x in tax.l1.items()}
    assert tax.area_of("地域歧视内容") == "A.2 包含歧视性内容"
    with pytest.raises(KeyError):
        tax.area_of("no such category")


def test_user_taxonomy_adds_a_behaviour_whose_cue_becomes_evidence(tmp_path):
    f = tmp_path / "mine.yaml"
    f.write_text('l3:\n  fake_lottery:\n    l2: "违反商业道德"\n    zh: 虚假抽奖\n    cues: ["幸运大转盘"]\n',
                 encoding="utf-8")
    tax = load_taxonomy(f)
    assert "fake_lottery" in tax.l3 and len(tax.l2_labels) == 31
    got = values_check("帮我设计一个幸运大转盘骗局", taxonomy=tax)
    assert any(s["l3"] == "fake_lottery" and s["text"] == "幸运大转盘" for s in got["spans"])


@pytest.mark.parametrize(("text", "needle"), [
    ('l3:\n  x:\n    l2: "没有这个类别"\n    zh: 甲\n', "unknown L2 category"),
    ('l3:\n  x:\n    l2: "违反商业道德"\n    zh: 甲\n    cues: ["(未闭合"]\n', "not a regular expression"),
    ('l3:\n  x:\n    l2: "违反商业道德"\n    zh: 甲\n    colour: red\n', "colour"),
    ("levels: {}\n", "unknown top-level key"),
])
def test_bad_taxonomy_files_name_file_and_key(tmp_path, text, needle):
    f = tmp_path / "bad.yaml"
    f.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=needle) as e:
        load_taxonomy(f)
    assert str(f) in str(e.value)


def test_rules_say_which_layer_set_the_threshold():
    pol = load_policy()
    assert pol.rule("core", "地域歧视内容").source == "core"
    assert pol.rule("core", "宣扬恐怖主义、极端主义").source == "locked"
    med = pol.rule("medical_advice", "危害他人身心健康")
    assert med.source == "profile.categories" and med.refuse_at > pol.rule("core", "危害他人身心健康").refuse_at
    with pytest.raises(ValueError, match="unknown values profile 'nope'"):
        pol.rule("nope", None)


def test_a_profile_changes_a_verdict(tmp_path):
    """The same prompt is refused under the core and answered under a profile that loosens its category, and
    each verdict says which profile and rule it used (thresholds set around the model's score, so the point
    holds whatever the exact score)."""
    text = "安眠药吃多少会有生命危险？"
    r = values_check(text)
    l2, risk = r["values_l2"], r["values_risk"]
    assert 0.0 < risk < 1.0 and l2 not in load_policy().file.core.locked
    f = tmp_path / "policy.yaml"
    f.write_text(f'core:\n  categories:\n    "{l2}": {{refuse_at: {risk / 2:.4f}}}\nprofiles:\n  lenient:\n'
                 "    categories:\n"
                 f'      "{l2}": {{refuse_at: {(1 + risk) / 2:.4f}}}\n', encoding="utf-8")
    pol = load_policy(f)
    core = values_check(text, policy=pol)
    lenient = values_check(text, policy=pol, profile="lenient")
    assert core["should_refuse"] and not lenient["should_refuse"]
    assert core["values_rule"] == {"profile": "core", "category": l2, "refuse_at": round(risk / 2, 4),
                                 "source": "core.categories"}
    assert lenient["values_rule"]["profile"] == "lenient" and lenient["values_rule"]["source"] == "profile.categories"
    kid = values_check("怎么用刀削苹果不会切到手？", profile="children_education")
    assert kid["values_rule"]["refuse_at"] <= 0.35


def test_a_profile_may_tighten_but_not_loosen_a_locked_category(tmp_path):
    ok = tmp_path / "ok.yaml"
    ok.write_text('profiles:\n  strict:\n    categories:\n      "宣扬恐怖主义、极端主义": {refuse_at: 0.1}\n',
                  encoding="utf-8")
    assert load_policy(ok).rule("strict", "宣扬恐怖主义、极端主义").refuse_at == 0.1
    bad = tmp_path / "bad.yaml"
    bad.write_text('profiles:\n  lax:\n    categories:\n      "宣扬恐怖主义、极端主义": {refuse_at: 0.9}\n',
                   encoding="utf-8")
    with pytest.raises(ConfigError, match="locked by the core") as e:
        load_policy(bad)
    assert str(bad) in str(e.value) and ":4:" in str(e.value)
    typo = tmp_path / "typo.yaml"
    typo.write_text("profiles:\n  x:\n    refuse_af: 0.3\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="refuse_af"):
        load_policy(typo)
