"""The `pii:` section of the pipeline config: validated keys, the datatrove step, counts in stats and report."""

import json

import pyarrow.parquet as pq
import pytest
from datatrove.data import Document

from wenforge.core.config import ConfigError
from wenforge.pii.step import PIIRedact
from wenforge.pipeline.build import RunLayout, processing_steps
from wenforge.pipeline.config import load_config
from wenforge.pipeline.run import run_pipeline

RUN = """
input:
  paths: [in]
quality: {enabled: false}
langid: {enabled: false}
dedup: {exact: false, minhash: {enabled: false}}
pii: {enabled: true, mode: MODE, salt: SALT}
output: {dir: out}
"""


def test_the_step_replaces_records_spans_and_counts():
    step = PIIRedact(types=["phone", "email"])
    text = "电话13812345678，邮箱ab@163.com，QQ：12345678"
    (doc,) = list(step.run([Document(text=text, id="d")]))
    assert doc.text == "电话<PHONE>，邮箱<EMAIL>，QQ：12345678"
    assert [text[s["start"]:s["end"]] for s in doc.metadata["pii"]] == ["13812345678", "ab@163.com"]
    assert step.stats["pii_phone"].total == 1 and step.stats["pii_email"].total == 1 and "pii_qq" not in step.stats.stats


def test_unknown_type_is_a_config_error_naming_the_key_and_line(tmp_path):
    cfg = tmp_path / "p.yaml"
    cfg.write_text("input:\n  paths: [in]\npii:\n  enabled: true\n  types: [phone, passport]\n", encoding="utf-8")
    with pytest.raises(ConfigError) as e:
        load_config(cfg)
    msg = str(e.value)
    assert f"{cfg}:5: pii.types" in msg and "'passport'" in msg and "id_card" in msg


def test_hash_mode_without_a_salt_is_a_config_error(tmp_path, monkeypatch):
    monkeypatch.delenv("WENFORGE_PII_SALT", raising=False)
    cfg = tmp_path / "p.yaml"
    cfg.write_text("input:\n  paths: [in]\npii:\n  enabled: true\n  mode: hash\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="pii.salt"):
        load_config(cfg)
    monkeypatch.setenv("WENFORGE_PII_SALT", "from-env")
    assert load_config(cfg).pii.mode == "hash"


def test_the_step_is_built_only_when_enabled(tmp_path):
    cfg = tmp_path / "p.yaml"
    cfg.write_text("input:\n  paths: [in]\n", encoding="utf-8")
    assert not any(isinstance(s, PIIRedact) for s in processing_steps(load_config(cfg), RunLayout(tmp_path / "r")))
    cfg.write_text("input:\n  paths: [in]\npii: {enabled: true, types: [email]}\n", encoding="utf-8")
    (step,) = [s for s in processing_steps(load_config(cfg), RunLayout(tmp_path / "r")) if isinstance(s, PIIRedact)]
    assert step.types == {"email"}


def test_a_run_counts_types_in_stats_and_report_and_never_writes_the_salt(tmp_path, fake):
    rows = [{"id": "a<b>", "text": f"今天下午三点开会，请{fake.name()}带上材料，有事打{fake.phone_number()}。"},
            {"id": "b", "text": f"报名请发邮件到{fake.email()}，或者拨打{fake.phone_number()}咨询报名事宜。"},
            {"id": "c", "text": "这一篇文章没有任何个人信息，只是讲今天的天气很好，适合出门散步。"}]
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    cfg = tmp_path / "p.yaml"
    cfg.write_text(RUN.replace("MODE", "hash").replace("SALT", "salt-never-written"), encoding="utf-8")
    res = run_pipeline(load_config(cfg))
    assert res.kept == 3 and res.conserved
    stats = json.loads((tmp_path / "out" / "stats.json").read_text(encoding="utf-8"))
    assert stats["pii"] == {"documents": 3, "with_pii": 2, "spans": {"email": 1, "phone": 2}}
    kept = {r["id"]: r for f in (tmp_path / "out" / "data").glob("*.parquet") for r in pq.read_table(f).to_pylist()}
    assert "<PHONE:" in kept["a<b>"]["text"] and "<EMAIL:" in kept["b"]["text"]
    assert len(json.loads(kept["b"]["extra"])["pii"]) == 2
    html = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    section = html.split("Personal data", 1)[1]
    assert "2 of 3 documents held personal data" in section and "salted hashes" in section
    written = "".join(p.read_text(encoding="utf-8", errors="replace") for p in (tmp_path / "out").rglob("*")
                      if p.is_file() and p.suffix in (".json", ".html", ".log", ".txt"))
    assert "salt-never-written" not in written
