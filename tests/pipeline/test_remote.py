"""`wenforge run` with inputs and outputs on a remote file system: a real SFTP server on 127.0.0.1 (the `sftp`
fixture), reached through fsspec like any s3:// or hf:// path. Same output as a local run; resume after a kill."""

import json
import os
import shutil
import subprocess
from collections import Counter

import pyarrow.parquet as pq
import pytest
from processes import kill_after_completions, python_env, wenforge
from typer.testing import CliRunner

from wenforge.cli import app
from wenforge.core.config import ConfigError
from wenforge.pipeline.config import load_config
from wenforge.pipeline.readers import InputError, expand_inputs
from wenforge.pipeline.run import exclusion_counts, run_pipeline

CONFIG = """
input: {{paths: [{inp}]}}
quality: {{enabled: true}}
dedup: {{exact: true, minhash: {{enabled: true}}}}
decontaminate: {{enabled: true, against: [{bench}], action: flag}}
output: {{dir: {out}}}
tasks: 2
workers: 2
"""


def _corpus(folder, news, write_jsonl) -> None:
    rows = [{"id": f"n{i}", "text": t} for i, t in enumerate(news[:20])]
    rows.append({"id": "copy", "text": news[0]})
    write_jsonl(folder / "a.jsonl", rows[:12])
    write_jsonl(folder / "sub" / "b.jsonl", rows[12:])
    with open(folder / "sub" / "b.jsonl", "a", encoding="utf-8") as f:
        f.write("{not json\n")
    page = "<html><head><meta charset='gbk'></head><body><article>" + "".join(
        f"<p>{p}</p>" for p in news[25].split("\n")) + "</article></body></html>"
    (folder / "page.html").write_bytes(page.encode("gbk"))


def _kept(rows_dir: str) -> dict[str, dict]:
    """Kept rows by text, without the columns that name where the input was (`source`, the html page's id)."""
    out = {}
    for f in sorted(os.listdir(rows_dir)):
        for r in pq.read_table(os.path.join(rows_dir, f)).to_pylist():
            r.pop("source")
            if r["content_type"] == "text/html":
                r.pop("id")
            out[r["text"]] = r
    return out


def _setup(tmp_path, sftp, news, write_jsonl):
    local_in = tmp_path / "in"
    _corpus(local_in, news, write_jsonl)
    shutil.copytree(local_in, sftp.root / "in")
    bench = tmp_path / "bench.jsonl"
    write_jsonl(bench, [{"question": news[3][:120]}])
    local = tmp_path / "local.yaml"
    local.write_text(CONFIG.format(inp=local_in, bench=bench, out=tmp_path / "local-out"))
    remote = tmp_path / "remote.yaml"
    remote.write_text(CONFIG.format(inp=sftp.url("in"), bench=bench, out=sftp.url("runs/r1")))
    return local, remote


def test_a_run_on_the_sftp_server_matches_the_local_run(tmp_path, sftp, news, write_jsonl):
    local, remote = _setup(tmp_path, sftp, news, write_jsonl)
    here = run_pipeline(load_config(local))
    there = run_pipeline(load_config(remote))
    assert there.out_dir == sftp.url("runs/r1")
    served = sftp.root / "runs" / "r1"
    assert (there.read, there.kept, there.excluded) == (here.read, here.kept, here.excluded)
    assert there.by_step == here.by_step and there.conserved
    assert _kept(served / "data") == _kept(tmp_path / "local-out" / "data")
    assert exclusion_counts(sftp.url("runs/r1")) == exclusion_counts(tmp_path / "local-out")
    assert any(p.endswith("b.jsonl:10: malformed_json: invalid JSON (unexpected character at column 2)")
               or "b.jsonl:10: malformed_json" in p for p in there.problems)
    assert all(p.startswith("sftp://") for p in there.problems)
    stats = json.loads((served / "stats.json").read_text())
    assert stats["conserved"] and stats["decontam"]["contaminated"] == 1 == json.loads(
        (tmp_path / "local-out" / "stats.json").read_text())["decontam"]["contaminated"]
    assert stats["config"]["input"]["paths"] == [sftp.url("in")]
    assert "PASSWORD" not in json.dumps(stats) and sftp.env["FSSPEC_SFTP_PASSWORD"] not in json.dumps(stats)
    assert "Benchmark contamination" in (served / "report.html").read_text(encoding="utf-8")
    assert (served / "_work" / "datatrove.log").stat().st_size > 0


def test_a_remote_run_resumes_after_a_kill(tmp_path, sftp, news, write_jsonl):
    for i in range(6):
        write_jsonl(sftp.root / "in" / f"{i}.jsonl",
                    [{"id": f"d{i}-{j}", "text": news[j % len(news)] + f"\n第{i}批第{j}篇。"} for j in range(40)])
    cfg = tmp_path / "pipeline.yaml"
    cfg.write_text(f"input: {{paths: ['{sftp.url('in')}']}}\ndedup: {{exact: true, minhash: {{enabled: false}}}}\n"
                   f"output: {{dir: '{sftp.url('out')}'}}\ntasks: 6\nworkers: 1\n")
    cmd = wenforge("run", str(cfg))
    done = kill_after_completions(cmd, sftp.root / "out" / "_work" / "logs" / "process" / "completions", 2)
    assert 2 <= done < 6, "kill must land mid-run"
    result = subprocess.run(cmd, capture_output=True, text=True, env=python_env(), timeout=300)
    assert result.returncode == 0, result.stderr
    ids = [r["id"] for f in sorted((sftp.root / "out" / "data").iterdir()) for r in pq.read_table(f).to_pylist()]
    assert len(ids) == len(set(ids))
    stats = json.loads((sftp.root / "out" / "stats.json").read_text())
    assert stats["rows"]["read"] == 240 and stats["conserved"]
    assert Counter(i.split("-")[0] for i in ids).keys() <= {f"d{i}" for i in range(6)}


def test_remote_inputs_by_glob_folder_and_file(sftp, news, write_jsonl):
    write_jsonl(sftp.root / "in" / "a.jsonl", [{"text": news[0]}])
    write_jsonl(sftp.root / "in" / "deep" / "b.jsonl", [{"text": news[1]}])
    (sftp.root / "in" / "notes.md").write_text("not an input")
    both = [sftp.url("in/a.jsonl"), sftp.url("in/deep/b.jsonl")]
    assert expand_inputs([sftp.url("in")]) == both
    assert expand_inputs([sftp.url("in")], recursive=False) == both[:1]
    assert expand_inputs([sftp.url("in/**/*.jsonl")]) == both
    assert expand_inputs([sftp.url("in/a.jsonl")]) == both[:1]
    with pytest.raises(InputError, match="input path not found: sftp://.*/in/missing"):
        expand_inputs([sftp.url("in/missing")])


def test_bad_remote_paths_are_clear_errors(tmp_path, sftp, write_jsonl):
    write_jsonl(tmp_path / "in" / "a.jsonl", [{"text": "一"}])
    with_password = sftp.url("out").replace("wenforge@", "wenforge:secret@")
    cfg = tmp_path / "p.yaml"
    cfg.write_text(f"input: {{paths: [in]}}\noutput: {{dir: '{with_password}'}}\n")
    with pytest.raises(ConfigError, match=r"output.dir: sftp://wenforge:\*\*\*@.*password in a URL") as e:
        run_pipeline(load_config(cfg))
    assert "secret" not in str(e.value)
    cfg.write_text("input: {paths: ['nosuchfs://bucket/in']}\n")
    result = CliRunner().invoke(app, ["run", str(cfg)])
    assert result.exit_code == 2 and "no file system for nosuchfs://" in result.output
