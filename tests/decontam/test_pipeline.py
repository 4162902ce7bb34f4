"""The `decontaminate:` section of a pipeline config: keys validated (errors name the key), the datatrove step
excludes or flags, every key reaches the step, and a run counts documents per benchmark in stats and report."""

import json

import pyarrow.parquet as pq
import pytest
from datatrove.data import Document

from wenforge.core.config import ConfigError
from wenforge.core.rows import data_rows
from wenforge.decontam.step import Decontaminate
from wenforge.pipeline.build import RunLayout, processing_steps
from wenforge.pipeline.config import load_config
from wenforge.pipeline.run import run_pipeline
from wenforge.text.chars import to_traditional

ITEM = ("某工厂第一季度生产零件四千二百个，第二季度比第一季度多生产百分之十五，第三季度的产量是第二季度的一半，"
        "问这三个季度一共生产零件多少个？")
ITEM_EN = ("A train leaves the station at nine in the morning and travels at sixty miles per hour. A second train "
           "leaves the same station two hours later at eighty miles per hour. At what time does it catch up?")
CLEAN = ("本报讯 昨天上午，市图书馆新馆正式向读者开放。新馆共有六层，藏书八十余万册，设有少儿阅览区和古籍修复室。"
         "馆长介绍说，新馆每天开放十二个小时，读者可以凭身份证免费办理借书卡。不少市民一早就在门口排起了长队。")
RUN = """
input:
  paths: [in]
quality: {enabled: false}
langid: {enabled: false}
dedup: {exact: false, minhash: {enabled: false}}
decontaminate: {enabled: true, against: [bench/exam.jsonl, bench/gsm.jsonl], action: ACTION}
output: {dir: out}
"""


def _bench(folder):
    (folder / "bench").mkdir(parents=True, exist_ok=True)
    (folder / "bench" / "exam.jsonl").write_text(
        json.dumps({"id": "q1", "benchmark": "EXAM<b>", "question": ITEM}, ensure_ascii=False) + "\n", encoding="utf-8")
    (folder / "bench" / "gsm.jsonl").write_text(json.dumps({"question": ITEM_EN}) + "\n", encoding="utf-8")


def _config(folder, body: str):
    cfg = folder / "p.yaml"
    cfg.write_text(body, encoding="utf-8")
    return load_config(cfg)


def _step(folder, extra: str = "") -> Decontaminate:
    _bench(folder)
    cfg = _config(folder, "input:\n  paths: [in]\ndecontaminate:\n  enabled: true\n  against: bench/exam.jsonl\n"
                  + extra)
    (step,) = [s for s in processing_steps(cfg, RunLayout(folder / "run")) if isinstance(s, Decontaminate)]
    return step


def test_exclude_drops_with_the_reason_and_records_the_match(tmp_path):
    step = _step(tmp_path)
    doc = Document(text=CLEAN + to_traditional(ITEM), id="d")
    assert step.filter(doc) == (False, "benchmark_contamination")
    (m,) = doc.metadata["decontam_matches"]
    assert (m["benchmark"], m["item"]) == ("EXAM<b>", "q1") and doc.metadata["excluded_step"] == "decontam"
    assert doc.text[m["start"] : m["end"]] == to_traditional(ITEM).rstrip("？")
    clean = Document(text=CLEAN, id="c")
    assert step.filter(clean) is True and "contaminated" not in clean.metadata


def test_flag_keeps_the_document_with_its_matches(tmp_path):
    step = _step(tmp_path, "  action: flag\n")
    doc = Document(text=ITEM, id="d")
    assert step.filter(doc) is True
    assert doc.metadata["contaminated"] is True and doc.metadata["decontam_matches"][0]["item"] == "q1"


PREFIX = CLEAN + ITEM[:25]  # 23 tokens of the item's 63


@pytest.mark.parametrize(("base", "extra", "text"), [
    ("", "  threshold: 0.9\n", CLEAN + ITEM[: len(ITEM) * 6 // 10]),
    ("  threshold: 0.1\n", "  threshold: 0.1\n  n: 30\n", PREFIX),  # no 30-token window in 23 tokens
])
def test_n_and_threshold_change_what_the_step_does(tmp_path, base, extra, text):
    assert _step(tmp_path / "a", base).filter(Document(text=text, id="d")) == (False, "benchmark_contamination")
    assert _step(tmp_path / "b", extra).filter(Document(text=text, id="d")) is True


def test_field_and_min_tokens_reach_the_index(tmp_path):
    with pytest.raises(ConfigError, match="decontaminate.against: .*no row has a text field 'stem'"):
        _step(tmp_path / "a", "  field: stem\n")
    with pytest.raises(ConfigError, match="decontaminate.against: no item has 70 tokens or more"):
        _step(tmp_path / "b", "  min_tokens: 70\n")
    step = _step(tmp_path / "c", "  field: question\n  min_tokens: 60\n")
    assert step.filter(Document(text=ITEM, id="d")) == (False, "benchmark_contamination")


def test_the_step_is_built_only_when_enabled(tmp_path):
    _bench(tmp_path)
    cfg = _config(tmp_path, "input:\n  paths: [in]\ndecontaminate:\n  against: bench/exam.jsonl\n")
    assert not any(isinstance(s, Decontaminate) for s in processing_steps(cfg, RunLayout(tmp_path / "r")))


def test_config_errors_name_the_key_and_line(tmp_path):
    cases = [
        ("decontaminate:\n  enabled: true\n", "decontaminate.against", "at least one benchmark file"),
        ("decontaminate:\n  enabled: true\n  against: [missing.jsonl]\n", "decontaminate.against",
         "no such benchmark file"),
        ("decontaminate:\n  enabled: true\n  against: [b.jsonl]\n  action: drop\n", "decontaminate.action", "exclude"),
        ("decontaminate:\n  enabled: true\n  against: [b.jsonl]\n  threshold: 1.5\n", "decontaminate.threshold", "1"),
        ("decontaminate:\n  enabled: true\n  against: [b.jsonl]\n  n: 0\n", "decontaminate.n", "greater"),
        ("decontaminate:\n  enabled: true\n  against: [b.jsonl]\n  treshold: 0.5\n", "decontaminate.treshold",
         "did you mean 'threshold'"),
    ]
    (tmp_path / "b.jsonl").write_text(json.dumps({"question": ITEM}, ensure_ascii=False) + "\n", encoding="utf-8")
    for body, key, message in cases:
        cfg = tmp_path / "p.yaml"
        cfg.write_text("input:\n  paths: [in]\n" + body, encoding="utf-8")
        with pytest.raises(ConfigError) as e:
            load_config(cfg)
        assert f"{key}: " in str(e.value) and message in str(e.value), (body, str(e.value))
        assert f"{cfg}:" in str(e.value)


def test_against_paths_resolve_against_the_config_folder(tmp_path, monkeypatch):
    _bench(tmp_path / "conf")
    monkeypatch.chdir(tmp_path)
    cfg = _config(tmp_path / "conf", RUN.replace("ACTION", "flag"))
    assert cfg.decontaminate.against == [str(tmp_path / "conf" / "bench" / "exam.jsonl"),
                                         str(tmp_path / "conf" / "bench" / "gsm.jsonl")]


def _run(tmp_path, action: str):
    _bench(tmp_path)
    rows = [{"id": "clean", "text": CLEAN}, {"id": "zh", "text": CLEAN + "\n" + to_traditional(ITEM)},
            {"id": "en", "text": "Homework: " + ITEM_EN}, {"id": "both", "text": ITEM + "\n" + ITEM_EN}]
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows),
                                             encoding="utf-8")
    cfg = _config(tmp_path, RUN.replace("ACTION", action))
    res = run_pipeline(cfg)
    stats = json.loads((tmp_path / "out" / "stats.json").read_text(encoding="utf-8"))
    kept = {r["id"]: r for f in (tmp_path / "out" / "data").glob("*.parquet") for r in pq.read_table(f).to_pylist()}
    html = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    return res, stats, kept, html


def test_a_run_excludes_and_counts_per_benchmark_in_stats_and_report(tmp_path):
    res, stats, kept, html = _run(tmp_path, "exclude")
    assert res.read == 4 and res.conserved and set(kept) == {"clean"}
    assert stats["excluded_by_step"]["decontam"] == {"benchmark_contamination": 3}
    assert stats["decontam"] == {"action": "exclude", "documents": 4, "contaminated": 3,
                                 "benchmarks": {"EXAM<b>": 2, "gsm": 2}}
    recs = list(data_rows(tmp_path / "out" / "excluded" / "decontam"))
    by_id = {r["id"]: r for r in recs}
    assert set(by_id) == {"zh", "en", "both"} and by_id["en"]["reason"] == "benchmark_contamination"
    assert {m["benchmark"] for m in by_id["both"]["metadata"]["decontam_matches"]} == {"EXAM<b>", "gsm"}
    section = html.split("Benchmark contamination", 1)[1]
    assert "3 of 4 documents held a benchmark item" in section
    assert "EXAM&lt;b&gt;" in section and "EXAM<b>" not in html  # escaped


def test_a_run_with_flag_keeps_every_document_with_its_matches(tmp_path):
    res, stats, kept, html = _run(tmp_path, "flag")
    assert res.kept == 4 and "decontam" not in stats["excluded_by_step"]
    assert stats["decontam"]["contaminated"] == 3
    extra = json.loads(kept["zh"]["extra"])
    assert extra["contaminated"] is True and extra["decontam_matches"][0]["item"] == "q1"
    assert kept["clean"]["extra"] is None or "contaminated" not in json.loads(kept["clean"]["extra"])
    assert "kept and flagged" in html
