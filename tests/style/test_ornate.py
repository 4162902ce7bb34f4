"""style/ornate.py: graded ornateness (length- and surface-independent) and the overwrought indicator."""

from __future__ import annotations

from itertools import combinations
from pathlib import Path

import pytest
import yaml

from wenforge.style.ornate import Ornateness, ornateness, ornateness_of
from wenforge.style.vector import compute, feature_names

DATA = Path(__file__).parent / "data"

PLAIN = "公园东门今天起封闭维修，工期约两个月。维修期间游客请从南门和西门进出，停车场照常开放。管理处提醒市民注意施工区域的安全标志，不要进入围挡范围。"
MODERATE = "公园东门要修两个月了。这段时间，大家只能绕到南门或西门，慢慢走进那片熟悉的绿荫。停车场还开着，围挡后面，工人们正一点点把老门换成新模样。"
ORNATE = "东门披上了绿色的围挡，像一位闭目养神的老人，静静等待新生。游人绕过它，从南门的柳荫、西门的花径里款款走来；风穿过工地，轻轻翻动尘土，仿佛在低声数着归期，两个月后，一扇崭新的门将迎着晨光缓缓打开。"
SLOP = (
    "在算法的深海里，城市不再是冰冷的钢筋，而是一首流动的诗。当数据遇见月光，时间的褶皱里便泛起记忆的涟漪，"
    "灵魂的星图在屏幕上闪烁。那一刻，整个世界都安静了。或许，这就是连接的真正意义。"
)
HUMAN_ORNATE = "河边的柳树刚抽出嫩芽，远远望去，像一层淡绿的烟。母亲蹲在石阶上捶衣裳，棒槌一下一下，水花溅到她的蓝布褂子上，她也不擦。"


def test_orders_plain_moderate_ornate_of_one_content():
    s = [ornateness(t)["score"] for t in (PLAIN, MODERATE, ORNATE)]
    assert s[0] < s[1] < s[2]
    assert s[0] < 0.25 and s[2] > 0.6


def test_holdout_rewrites_aggregate_ordering():
    sets = yaml.safe_load((DATA / "rewrites_holdout.yaml").read_text(encoding="utf-8"))
    assert len(sets) >= 24
    right = 0
    for s in sets:
        sc = {k: ornateness(s[k])["score"] for k in ("plain", "moderate", "ornate")}
        right += sum(sc[b] > sc[a] for a, b in combinations(("plain", "moderate", "ornate"), 2))
    assert right >= 68


@pytest.mark.parametrize("text", [PLAIN, ORNATE, SLOP])
def test_length_independent(text):
    one, three = ornateness(text), ornateness("\n".join([text] * 3))
    assert abs(one["score"] - three["score"]) < 0.05
    assert abs(one["overwrought"] - three["overwrought"]) < 0.05


@pytest.mark.parametrize("text", [MODERATE, ORNATE, SLOP])
def test_surface_ascii_punctuation_and_traditional(text):
    import opencc

    base = ornateness(text)
    ascii_p = text.translate(str.maketrans({"，": ",", "。": ".", "；": ";", "：": ":"}))
    trad = opencc.OpenCC("s2t").convert(text)
    assert trad != text
    for variant in (ascii_p, trad):
        r = ornateness(variant)
        assert abs(r["score"] - base["score"]) < 0.05
        assert abs(r["overwrought"] - base["overwrought"]) < 0.05


def test_overwrought_flags_slop_with_evidence_and_spares_human_ornament():
    slop = ornateness(SLOP)
    assert slop["overwrought"] > 0.8
    fired = {e["signal"] for e in slop["evidence"]}
    assert {"not_x_but_y", "when_x_meets_y", "cosmic_pairing", "closer", "stock_phrase"} <= fired
    human = ornateness(HUMAN_ORNATE)
    assert human["overwrought"] < 0.2
    assert human["score"] > ornateness(PLAIN)["score"]
    assert ornateness(PLAIN)["overwrought"] == 0.0


def test_evidence_offsets_point_into_the_raw_text():
    text = SLOP.replace("，", ",")
    for e in ornateness(text)["evidence"]:
        assert text[e["start"] : e["end"]] == e["text"]


def test_reads_the_style_vector_without_changing_it():
    feats, devices, doc = compute(ORNATE)
    before = dict(feats)
    r = ornateness_of(feats, devices, doc)
    assert isinstance(r, Ornateness) and 0.0 <= r.score <= 1.0 and 0.0 <= r.overwrought <= 1.0
    assert feats == before and list(feats) == feature_names()


@pytest.mark.parametrize("text", ["", "The quick brown fox jumps over the lazy dog again and again.", "12345 67890"])
def test_non_chinese_or_empty_gets_zero(text):
    r = ornateness(text)
    assert r["score"] == 0.0 and r["overwrought"] == 0.0 and r["evidence"] == []
