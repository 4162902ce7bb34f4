"""Config (YAML + flags), the CLI with no config file, and the API key never leaving memory."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
import typer
from distill_helpers import read_jsonl, write_prompts
from typer.testing import CliRunner

from wenforge.core.config import ConfigError
from wenforge.distill.commands import register
from wenforge.distill.config import DistillConfig, load_config
from wenforge.distill.run import run_distill


def _app() -> typer.Typer:
    app = typer.Typer()
    register(app)
    app.command("noop")(lambda: None)  # keep `distill` a subcommand
    return app


def test_yaml_keys_and_flags_are_the_same_keys(tmp_path):
    (tmp_path / "c.yaml").write_text("input: p.jsonl\noutput: out/o.jsonl\nconcurrency: 4\nchecks: [nonempty]\n")
    cfg = load_config(tmp_path / "c.yaml", {"concurrency": 32, "base_url": "http://h:1/v1/"})
    assert cfg.concurrency == 32 and cfg.base_url == "http://h:1/v1"
    assert cfg.input == tmp_path / "p.jsonl"  # relative to the config file
    assert cfg.resolved_run_dir == tmp_path / "out" / "o.jsonl.run"
    assert cfg.checks == ["nonempty"]
    # every config key has a flag
    result = CliRunner().invoke(_app(), ["distill", "--help"], env={"COLUMNS": "300"})
    for name in DistillConfig.model_fields:
        assert "--" + name.replace("_", "-") in result.output, name


def test_config_errors_name_file_and_key(tmp_path):
    (tmp_path / "c.yaml").write_text("input: p.jsonl\noutput: o.jsonl\nconcurency: 4\n")
    with pytest.raises(ConfigError, match=r"c\.yaml:3: concurency: unknown key; did you mean 'concurrency'"):
        load_config(tmp_path / "c.yaml")
    (tmp_path / "d.yaml").write_text("input: p.jsonl\noutput: o.jsonl\nn: 0\n")
    with pytest.raises(ConfigError, match=r"d\.yaml:3: n: Input should be greater than or equal to 1"):
        load_config(tmp_path / "d.yaml")
    with pytest.raises(ConfigError, match="not found"):
        load_config(tmp_path / "missing.yaml")
    r = CliRunner().invoke(_app(), ["distill", str(tmp_path / "c.yaml")])
    assert r.exit_code == 2 and "concurency" in r.output and "Traceback" not in r.output


def test_cli_without_config_file(tmp_path, teacher):
    """The exact command line of issue 6."""
    write_prompts(tmp_path / "p.jsonl", 6)
    t = teacher()
    r = CliRunner().invoke(_app(), [
        "distill", "--input", str(tmp_path / "p.jsonl"), "--prompt-field", "question", "--output",
        str(tmp_path / "OUT.jsonl"), "--base-url", t.url, "--model", "NAME", "--concurrency", "16",
        "--cache-dir", str(tmp_path / "DIR"), "--quiet"])
    assert r.exit_code == 0, r.output
    rows = read_jsonl(tmp_path / "OUT.jsonl")
    assert [row["id"] for row in rows] == [f"q{i:03d}" for i in range(6)]
    assert rows[0]["messages"][0] == {"role": "user", "content": "第0题：0加0等于几？[[answer:0]]"}
    assert rows[0]["messages"][-1]["role"] == "assistant"
    assert (tmp_path / "DIR" / "responses.sqlite").exists()
    stats = json.loads((tmp_path / "OUT.jsonl.run" / "stats.json").read_text())
    assert stats["config"]["model"] == "NAME" and stats["counts"]["rows_written"] == 6
    assert "rows written" in r.output  # one-screen summary


def test_api_key_used_but_never_written_or_logged(tmp_path, teacher):
    secret = "sk-test-" + "Zq9" * 12
    env = {"WF_TEACHER_KEY": secret}
    write_prompts(tmp_path / "p.jsonl", 5, extra=lambda i: {"question": "[[400]]"} if i == 4 else {})
    t = teacher("--api-key-env", "WF_TEACHER_KEY", "--faults", "500:0.3", env=env)
    code = (
        "import typer; from wenforge.distill.commands import register; app = typer.Typer(); register(app); "
        "app.command('x')(lambda: None); app()"
    )
    args = [sys.executable, "-c", code, "distill", "--input", str(tmp_path / "p.jsonl"), "--prompt-field",
            "question", "--output", str(tmp_path / "o.jsonl"), "--base-url", t.url, "--api-key-env",
            "WF_TEACHER_KEY", "--backoff-base", "0.01"]
    import os

    done = subprocess.run(args, capture_output=True, text=True, env=dict(os.environ, **env), timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    recs = t.records()
    assert recs and all(r["status"] != "401" for r in recs)  # the key was sent and accepted
    blobs = [done.stdout, done.stderr]
    for p in tmp_path.rglob("*"):
        if p.is_file() and "requests_" not in p.name:
            blobs.append(p.read_bytes().decode("utf-8", "replace"))
    assert not any(secret in b for b in blobs)
    assert not any(secret[8:20] in b for b in blobs)
    stats = json.loads((tmp_path / "o.jsonl.run" / "stats.json").read_text())
    assert stats["config"]["api_key_env"] == "WF_TEACHER_KEY"


def test_wrong_key_is_recorded_not_retried(tmp_path, teacher, monkeypatch):
    monkeypatch.setenv("WF_GOOD", "right")
    monkeypatch.setenv("WF_BAD", "wrong-key-123")
    write_prompts(tmp_path / "p.jsonl", 3)
    t = teacher("--api-key-env", "WF_GOOD", env={"WF_GOOD": "right"})
    cfg = load_config(None, {"input": str(tmp_path / "p.jsonl"), "prompt_field": "question",
                                 "output": str(tmp_path / "o.jsonl"), "base_url": t.url, "api_key_env": "WF_BAD"})
    s = run_distill(cfg, warn=lambda m: None)
    assert s.stats["excluded"] == {"auth_error": 3}
    assert len(t.records()) == 3
    assert "wrong-key-123" not in (tmp_path / "o.jsonl.run" / "excluded" / "prompts.jsonl").read_text()


def test_bad_input_rows_get_reasons(tmp_path, teacher):
    p = tmp_path / "p.jsonl"
    p.write_text('{"id": "a", "question": "好"}\nnot json\n{"id": "a", "question": "重复"}\n{"id": "c"}\n'
                 '{"question": "无id"}\n', encoding="utf-8")
    t = teacher()
    cfg = load_config(None, {"input": str(p), "prompt_field": "question", "output": str(tmp_path / "o.jsonl"),
                                 "base_url": t.url, "checks": ["nonempty"]})
    run_distill(cfg, warn=lambda m: None)
    out = read_jsonl(tmp_path / "o.jsonl")
    excl = {r["id"]: (r["reason"], r["detail"]) for r in read_jsonl(tmp_path / "o.jsonl.run/excluded/prompts.jsonl")}
    assert [r["id"] for r in out] == ["a", "row:4"]
    assert excl["row:1"][0] == "malformed_json" and "p.jsonl:2" in excl["row:1"][1]
    assert excl["a"][0] == "duplicate_id"
    assert excl["c"][0] == "missing_text_field" and "question" in excl["c"][1]
