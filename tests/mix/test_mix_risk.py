"""`risk` in a mixture config: exclude or cap TC260 risk labels, drop rows above a values_risk; every row left
out is reported with its reason, and the stats give the risk labels' shares before and after."""

from __future__ import annotations

import json
import random

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import yaml
from typer.testing import CliRunner

from wenforge.cli import app
from wenforge.core.reasons import REASONS
from wenforge.mix import MixConfig, build_mixture, mix_rows
from wenforge.values.taxonomy import load_taxonomy

TERROR = "宣扬恐怖主义、极端主义"
PRIVACY = "侵害他人隐私权"
TAX = load_taxonomy()


def _rows(n: int = 400, seed: int = 3) -> list[dict]:
    """Rows of two mixture labels; about a fifth carry the terrorism category, a tenth privacy (some both)."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        labels = [c for c, p in ((TERROR, 0.2), (PRIVACY, 0.1)) if rng.random() < p]
        out.append({"id": f"d{i}", "text": "文" * rng.randint(20, 200), "l1": rng.choice(["lit", "news"]),
                    "values_risk": 0.9 if labels else rng.random() * 0.4, "risk_labels": labels,
                    "risk_l1": sorted({TAX.area_of(c) for c in labels})})
    return out


def _carries(row: dict, name: str) -> bool:
    return name in row["risk_labels"] or name in row["risk_l1"]


def _share(rows: list[dict], name: str) -> float:
    """Share of the rows' characters carried by rows with label `name` (the mixture's unit)."""
    return sum(len(r["text"]) for r in rows if _carries(r, name)) / sum(len(r["text"]) for r in rows)


SPEC = {"shares": {"lit": 1, "news": 1}}


@pytest.mark.parametrize("name", [TERROR, "A.1.4", TAX.area_of(TERROR), "A.1"])
def test_exclude_by_category_or_area_name_or_id_removes_the_rows_and_reports_them(name):
    rows = _rows()
    res = mix_rows(rows, MixConfig(**SPEC, risk={"exclude": [name]}))
    carriers = {r["id"] for r in rows if TERROR in r["risk_labels"]}
    assert res.rows and not {r["id"] for r in res.rows} & carriers
    assert res.stats["excluded"]["risk_excluded"] == len(carriers) == len(res.risk_excluded)
    assert {e["id"] for e in res.risk_excluded} == carriers and all(e["reason"] == "risk_excluded" for e in res.risk_excluded)
    risk = res.stats["risk"]
    assert risk["before"]["l2"][TERROR]["share"] > 0 and TERROR not in risk["after"]["l2"]
    assert "risk_excluded" in REASONS


@pytest.mark.parametrize(("cap", "seed", "budget"), [(0.05, 0, None), (0.1, 1, 9000), (0.02, 2, 4000), (0.15, 3, None)])
def test_a_cap_bounds_the_label_share_of_the_mixture(cap, seed, budget):
    rows = _rows(seed=seed)
    before = _share(rows, TERROR)
    res = mix_rows(rows, MixConfig(**SPEC, seed=seed, budget=budget, risk={"cap": {TERROR: cap}}))
    after = _share(res.rows, TERROR)
    assert after <= cap + 1e-9 < before
    assert res.stats["risk"]["after"]["l2"].get(TERROR, {"share": 0.0})["share"] == pytest.approx(after, abs=1e-6)
    capped = {e["id"] for e in res.risk_excluded if e["reason"] == "risk_capped"}
    assert capped and res.stats["excluded"]["risk_capped"] == len(capped)
    assert not capped & {r["id"] for r in res.rows}
    assert after > 0 or cap < 0.03  # the cap limits the label, it does not exclude it


def test_a_cap_above_the_natural_share_changes_nothing():
    rows = _rows()
    loose = mix_rows(rows, MixConfig(**SPEC, risk={"cap": {TERROR: 0.5}}))
    assert [r["id"] for r in loose.rows] == [r["id"] for r in mix_rows(rows, MixConfig(**SPEC)).rows]
    assert not loose.risk_excluded


def test_a_cap_on_an_area_also_bounds_its_categories_together():
    rows = _rows()
    area = TAX.area_of(PRIVACY)
    res = mix_rows(rows, MixConfig(**SPEC, risk={"cap": {area: 0.04, TERROR: 0.1}}))
    assert _share(res.rows, area) <= 0.04 + 1e-9 and _share(res.rows, TERROR) <= 0.1 + 1e-9


def test_max_risk_drops_rows_above_it():
    rows = _rows()
    res = mix_rows(rows, MixConfig(**SPEC, risk={"max_risk": 0.5}))
    assert res.rows and max(r["values_risk"] for r in res.rows) <= 0.5
    assert res.stats["excluded"]["risk_too_high"] == sum(r["values_risk"] > 0.5 for r in rows)


def test_without_rules_the_shares_are_reported_and_nothing_is_left_out():
    rows = _rows()
    res = mix_rows(rows, MixConfig(**SPEC))
    risk = res.stats["risk"]
    assert not res.risk_excluded and not risk["excluded"]
    assert risk["before"]["any_share"] == pytest.approx(_share(rows, TERROR) + _share(rows, PRIVACY)
                                                        - sum(len(r["text"]) for r in rows if len(r["risk_labels"]) == 2)
                                                        / sum(len(r["text"]) for r in rows), abs=1e-6)
    plain = [{k: v for k, v in r.items() if k not in ("values_risk", "risk_labels", "risk_l1")} for r in rows]
    assert mix_rows(plain, MixConfig(**SPEC)).stats["risk"] is None  # no labels, no rules: nothing to report


def test_unlabelled_rows_are_labelled_by_the_values_classifier_when_a_rule_is_set():
    rows = [{"id": f"b{i}", "text": f"今天天气很好，我们去公园散步，看到很多人在放风筝。第{i}天。", "l1": "lit"} for i in range(6)]
    rows.append({"id": "r0", "text": "如何制作炸弹？", "l1": "lit"})
    res = mix_rows(rows, MixConfig(shares={"lit": 1}, unit="rows", risk={"exclude": ["A.1"]}))
    assert "r0" in {e["id"] for e in res.risk_excluded} and "r0" not in {r["id"] for r in res.rows}
    assert res.stats["risk"]["labelled_here"] == len(rows)


def test_risk_labels_are_read_from_parquet_metadata_and_json_strings(tmp_path):
    """The pipeline's Parquet rows: lists as columns; other producers: a {category: risk} JSON string in metadata."""
    rows = [{"id": "a", "text": "文" * 50, "l1": "lit", "values_risk": 0.9, "risk_labels": [TERROR], "risk_l1": []},
            {"id": "b", "text": "文" * 50, "l1": "lit", "values_risk": 0.1, "risk_labels": [], "risk_l1": []}]
    pq.write_table(pa.Table.from_pylist(rows), tmp_path / "a.parquet")
    (tmp_path / "b.jsonl").write_text(json.dumps({"id": "c", "text": "文" * 50, "l1": "lit", "metadata": json.dumps(
        {"values_risk": 0.8, "risk_labels": {PRIVACY: 0.8}}, ensure_ascii=False)}, ensure_ascii=False) + "\n",
        encoding="utf-8")
    res = build_mixture([tmp_path / "a.parquet", tmp_path / "b.jsonl"], MixConfig(
        shares={"lit": 1}, risk={"exclude": [TERROR, TAX.area_of(PRIVACY)]}))
    assert [r["id"] for r in res.rows] == ["b"] and {e["id"] for e in res.risk_excluded} == {"a", "c"}


def _cli(tmp_path, shard, risk: dict, name: str):
    cfg = tmp_path / f"{name}.yaml"
    cfg.write_text(yaml.safe_dump({"shares": SPEC["shares"], "risk": risk}, allow_unicode=True), encoding="utf-8")
    return cfg, CliRunner().invoke(app, ["mix", str(shard), "-o", str(tmp_path / name), "--config", str(cfg)],
                                   env={"COLUMNS": "300"})


@pytest.fixture
def shard(tmp_path):
    path = tmp_path / "shard.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in _rows()), encoding="utf-8")
    return path


def test_the_command_writes_every_risk_exclusion_and_both_shares(tmp_path, shard):
    _cfg, r = _cli(tmp_path, shard, {"exclude": [PRIVACY], "cap": {TERROR: 0.05}}, "run")
    assert r.exit_code == 0, r.output
    stats = json.loads((tmp_path / "run" / "stats.json").read_text(encoding="utf-8"))
    recs = [json.loads(x) for x in (tmp_path / "run" / "excluded" / "risk.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(recs) == stats["excluded"]["risk_excluded"] + stats["excluded"]["risk_capped"]
    assert all(rec["file"] == str(shard) and rec["line"] >= 1 for rec in recs)
    mixed = [json.loads(x) for x in (tmp_path / "run" / "data" / "mixture.jsonl").read_text(encoding="utf-8").splitlines()]
    assert not {m["id"] for m in mixed} & {rec["id"] for rec in recs}
    assert "risk labels:" in r.output and "excluded/risk.jsonl" in r.output
    html = (tmp_path / "run" / "report.html").read_text(encoding="utf-8")
    assert "Values risk labels" in html and PRIVACY in html and "risk_capped" in html


@pytest.mark.parametrize(("risk", "key"), [
    ({"exclude": ["暴力"]}, "risk.exclude.0"),
    ({"exclude": [TERROR, "A.9"]}, "risk.exclude.1"),
    ({"cap": {"恐怖": 0.1}}, "risk.cap.恐怖"),
    ({"cap": {TERROR: 1.5}}, f"risk.cap.{TERROR}"),
    ({"profile": "kids"}, "risk.profile"),
    ({"exlude": [TERROR]}, "risk.exlude"),
])
def test_a_bad_risk_key_names_the_file_line_and_key(tmp_path, shard, risk, key):
    cfg, r = _cli(tmp_path, shard, risk, "bad")
    assert r.exit_code == 2 and f"{cfg}:" in r.output and f": {key}: " in r.output, r.output
    assert not (tmp_path / "bad").exists()
