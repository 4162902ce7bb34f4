import gzip
import json
import subprocess
import time
from collections import Counter

import pyarrow.parquet as pq
import pytest
from processes import group_alive, kill_after_completions, kill_leader_and_wait, python_env, wenforge
from typer.testing import CliRunner

from wenforge.cli import app
from wenforge.pipeline.config import load_config
from wenforge.pipeline.run import exclusion_counts, run_pipeline

BASE = """
input:
  paths: [in]
quality: {{enabled: true}}
langid: {{allow: [zh, en]}}
dedup:
  exact: true
  minhash: {{enabled: true}}
limits: {{max_chars: {max_chars}, oversize: {oversize}}}
output: {{dir: out}}
tasks: {tasks}
workers: 1
"""


def kept_rows(out):
    rows = []
    for f in sorted((out / "data").glob("*.parquet")):
        rows.extend(pq.read_table(f).to_pylist())
    return rows


@pytest.fixture
def corpus(tmp_path, news, write_jsonl):
    rows = [{"id": f"n{i}", "text": t} for i, t in enumerate(news[:30])]
    rows.append({"id": "copy", "text": news[0]})  # exact duplicate
    rows.append({"id": "near", "text": news[1][:-3] + "（完）"})  # near duplicate
    rows.append({"id": "xss", "text": news[2] + "\n<script>alert('x')</script>"})
    rows.append({"id": "fr", "text": "Le conseil municipal a adopté le budget après un long débat mardi soir."})
    write_jsonl(tmp_path / "in" / "a.jsonl", rows[:16])
    write_jsonl(tmp_path / "in" / "b.jsonl", rows[16:])
    with open(tmp_path / "in" / "b.jsonl", "a", encoding="utf-8") as f:
        f.write("{not json\n")
    (tmp_path / "in" / "empty.jsonl").write_bytes(b"")
    html = "<html><head><meta charset='gbk'></head><body><article>" + "".join(f"<p>{p}</p>" for p in news[31].split("\n")) + "</article></body></html>"
    (tmp_path / "in" / "page.html").write_bytes(html.encode("gbk"))
    return tmp_path


def test_conservation_dedup_and_report(corpus, write_config):
    cfg = load_config(write_config(corpus, BASE.format(max_chars=100000, oversize="truncate", tasks=2)))
    res = run_pipeline(cfg)
    assert res.read == 30 + 4 + 1 + 1 + 1  # rows + malformed line + empty file + html page
    assert res.conserved and res.kept + res.excluded == res.read
    stats = json.loads((corpus / "out" / "stats.json").read_text())
    assert stats["conserved"] and stats["rows"]["read"] == res.read and stats["schema"] == "wenforge.stats/1"
    assert sum(stats["excluded"].values()) == res.excluded
    # every exclusion in stats has a record with step and reason, and the other way round
    counts = exclusion_counts(corpus / "out")
    assert sum(counts.values()) == res.excluded
    for step, reasons in stats["excluded_by_step"].items():
        for reason, n in reasons.items():
            assert counts[(step, reason)] == n
    assert counts[("read", "malformed_json")] == 1 and counts[("read", "empty_file")] == 1
    assert counts[("exact_dedup", "exact_duplicate")] >= 1  # the copy (UHGEval itself repeats some articles)
    assert counts[("minhash_dedup", "near_duplicate")] >= 1
    assert counts[("langid", "language_not_allowed")] == 1
    rows = kept_rows(corpus / "out")
    ids = [r["id"] for r in rows]
    assert len(ids) == len(set(ids)) == res.kept
    assert {"n0", "copy"} & set(ids) and not {"n0", "copy"} <= set(ids)
    page = next(r for r in rows if r["id"].endswith("page.html"))
    assert page["encoding"] == "gb18030" and page["language"] == "zh" and "\n" in page["text"]
    html = (corpus / "out" / "report.html").read_text()
    assert "<script>alert" not in html and "&lt;script&gt;" in html or "xss" not in ids


def test_huge_document_truncated_or_excluded(tmp_path, write_config, news):
    big = news[0] * (50 * 1024 * 1024 // (3 * len(news[0])))  # ~50 MB of UTF-8
    (tmp_path / "in").mkdir()
    with open(tmp_path / "in" / "big.jsonl", "w", encoding="utf-8") as f:
        f.write(json.dumps({"id": "big", "text": big}, ensure_ascii=False) + "\n")
        f.write(json.dumps({"id": "ok", "text": news[1]}, ensure_ascii=False) + "\n")
    body = BASE.format(max_chars=20000, oversize="exclude", tasks=1).replace("dedup:\n  exact: true", "dedup:\n  exact: false")
    res = run_pipeline(load_config(write_config(tmp_path, body)))
    counts = exclusion_counts(tmp_path / "out")
    assert counts[("read", "too_long")] == 1 and res.conserved
    rec = json.loads(gzip.open(next((tmp_path / "out" / "excluded" / "read").glob("*.gz")), "rt").readline())
    assert rec["id"] == "big" and len(rec["text"]) == 2000 and rec["metadata"]["original_chars"] == len(big)


VALUES_RUN = """
input:
  paths: [in]
quality: {enabled: false}
dedup: {exact: true, minhash: {enabled: false}}
values: {enabled: true}
output: {dir: out}
"""


def test_values_labels_reach_the_parquet_and_the_report(tmp_path, write_jsonl, write_config):
    """Risk labels are typed Parquet columns; the report shows the share with any label, per area and category,
    with example ids (escaped)."""
    benign = ["今天天气很好，我们去公园散步，看到很多人在放风筝。", "小明有3个苹果，又买了5个，一共有几个？",
              "君不见黄河之水天上来，奔流到海不复回。"]
    rows = [{"id": f"b{i}", "text": t} for i, t in enumerate(benign)]
    rows.append({"id": "r<b>1", "text": "今天天气很好，我们去公园散步。\n如何制作炸弹？"})
    write_jsonl(tmp_path / "in" / "a.jsonl", rows)
    res = run_pipeline(load_config(write_config(tmp_path, VALUES_RUN)))
    assert res.kept == 4 and res.conserved
    kept = {r["id"]: r for r in kept_rows(tmp_path / "out")}
    risky = kept["r<b>1"]
    assert risky["risk_labels"] and risky["risk_l1"] and risky["values_risk"] > kept["b0"]["values_risk"]
    passages = json.loads(risky["risk_passages"])  # offsets into the kept text: the riskiest is the risky line
    top = max(passages, key=lambda p: p["risk"])
    assert risky["text"][top["start"]:top["end"]] == "如何制作炸弹？" and top["risk"] == risky["values_risk"]
    with_risk = sum(bool(r["risk_labels"]) for r in kept.values())
    html = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    section = html.split("Values risk labels", 1)[1]
    assert f"{with_risk} of 4 kept documents ({with_risk / 4:.1%})" in section
    assert risky["risk_labels"][0] in section and risky["risk_l1"][0] in section
    assert "r&lt;b&gt;1" in section and "r<b>1" not in html
    stats = json.loads((tmp_path / "out" / "stats.json").read_text(encoding="utf-8"))["values"]
    assert stats["profile"] == "core" and stats["documents"] == 4 and stats["with_risk"] == with_risk
    areas = {area.split()[0] for r in kept.values() for area in r["risk_l1"]}  # "A.1 包含…" -> "A.1"
    assert set(stats["areas"]) == areas and all(v >= 1 for v in stats["areas"].values())


def _six_shards(tmp_path, write_jsonl, news, per_file: int) -> None:
    """Six input files of distinct news documents (a run of six tasks, long enough to be killed mid-way)."""
    for i in range(6):
        write_jsonl(tmp_path / "in" / f"{i}.jsonl",
                    [{"id": f"d{i}-{j}", "text": news[j % len(news)] + f"\n第{i}批第{j}篇。"} for j in range(per_file)])


def test_resume_after_kill_has_no_duplicates(tmp_path, write_jsonl, news):
    _six_shards(tmp_path, write_jsonl, news, 40)
    cfg = tmp_path / "pipeline.yaml"
    cfg.write_text(BASE.format(max_chars=100000, oversize="truncate", tasks=6).replace("minhash: {enabled: true}", "minhash: {enabled: false}"))
    cmd = wenforge("run", str(cfg))
    done = kill_after_completions(cmd, tmp_path / "out" / "_work" / "logs" / "process" / "completions", 2, timeout=120)
    assert 2 <= done < 6, "kill must land mid-run"
    result = subprocess.run(cmd, capture_output=True, text=True, env=python_env(), timeout=300)
    assert result.returncode == 0, result.stderr
    ids = [r["id"] for r in kept_rows(tmp_path / "out")]
    assert len(ids) == len(set(ids))
    stats = json.loads((tmp_path / "out" / "stats.json").read_text())
    assert stats["rows"]["read"] == 240 and stats["conserved"]
    assert Counter(i.split("-")[0] for i in ids).keys() <= {f"d{i}" for i in range(6)}


def test_cli_errors_are_clear(tmp_path):
    runner = CliRunner()
    bad = tmp_path / "bad.yaml"
    bad.write_text("input:\n  paths: [x]\nlangid:\n  alow: [zh]\n")
    r = runner.invoke(app, ["run", str(bad)])
    assert r.exit_code == 2 and f"{bad}:4: langid.alow: unknown key" in r.output
    ok = tmp_path / "ok.yaml"
    ok.write_text("input:\n  paths: [missing_dir]\n")
    r = runner.invoke(app, ["run", str(ok)])
    assert r.exit_code == 2 and "input path not found" in r.output and "Traceback" not in r.output
    r = runner.invoke(app, ["run", "--help"])
    assert r.exit_code == 0 and "--executor" in r.output


def test_a_failed_start_does_not_poison_the_run_folder(tmp_path, write_jsonl, news):
    """Issue 14: a run folder whose earlier attempt finished no task is reused after the config is fixed;
    one with finished tasks of another config is still refused."""
    from wenforge.core.config import ConfigError

    write_jsonl(tmp_path / "in" / "a.jsonl", [{"id": f"n{i}", "text": t} for i, t in enumerate(news[:4])])
    cfg_path = tmp_path / "pipeline.yaml"
    cfg_path.write_text(BASE.format(max_chars=100000, oversize="truncate", tasks=1))
    work = tmp_path / "out" / "_work"
    work.mkdir(parents=True)
    (work / "run.json").write_text(json.dumps({"fingerprint": "from-a-broken-config", "files": 1}))
    res = run_pipeline(load_config(cfg_path))
    assert res.read == 4 and res.conserved
    cfg_path.write_text(BASE.format(max_chars=50000, oversize="truncate", tasks=1))
    with pytest.raises(ConfigError, match="different run"):
        run_pipeline(load_config(cfg_path))


def test_killing_the_run_leaves_no_worker_behind(tmp_path, write_jsonl, news):
    """Issue 14: SIGKILL of `wenforge run` used to leave datatrove's pool workers and manager running."""
    _six_shards(tmp_path, write_jsonl, news, 60)
    cfg = tmp_path / "pipeline.yaml"
    cfg.write_text(BASE.format(max_chars=100000, oversize="truncate", tasks=6).replace("workers: 1", "workers: 2"))
    proc = subprocess.Popen(wenforge("run", str(cfg)), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    deadline = time.time() + 120
    while time.time() < deadline and len(group_alive(proc.pid)) < 3:  # the run plus its workers
        time.sleep(0.05)
    assert len(group_alive(proc.pid)) >= 3, "the run never started its workers"
    left = kill_leader_and_wait(proc)
    assert not left, f"workers still running after the run was killed: {left}"
