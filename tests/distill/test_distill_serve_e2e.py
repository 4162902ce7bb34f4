"""End to end: `python -m wenforge.serve` on a tiny local model, `wenforge distill` of a few dozen prompts."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from distill_helpers import free_port, read_jsonl, wait_port

pytest.importorskip("torch")
pytest.importorskip("transformers")


def test_distill_against_wenforge_serve(tmp_path):
    from wenforge.distill.config import load_config
    from wenforge.distill.run import run_distill
    from wenforge.lm.tiny import build_tiny_model

    model_dir = build_tiny_model(tmp_path / "tiny")
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "wenforge.serve", str(model_dir), "--port", str(port),
                             "--threads", "1", "--max-tokens", "12"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        wait_port(port, timeout=120)
        with open(tmp_path / "p.jsonl", "w", encoding="utf-8") as f:
            f.writelines(json.dumps({"id": f"p{i}", "question": f"第{i}个问题：{i}乘以2是多少？",
                                    "final_answer": str(2 * i)}, ensure_ascii=False) + "\n" for i in range(30))
        cfg = load_config(None, {
            "input": str(tmp_path / "p.jsonl"), "prompt_field": "question", "output": str(tmp_path / "sft.jsonl"),
            "base_url": f"http://127.0.0.1:{port}/v1", "model": "tiny", "max_tokens": 12, "n": 2, "seed": 1, "concurrency": 4,
            "timeout": 60, "checks": ["nonempty", "language"]})
        s = run_distill(cfg, warn=lambda m: None)
    finally:
        proc.kill()
        proc.wait()
    c = s.stats["counts"]
    out = read_jsonl(tmp_path / "sft.jsonl")
    excl = read_jsonl(tmp_path / "sft.jsonl.run/excluded/prompts.jsonl")
    assert sorted([r["id"] for r in out] + [r["id"] for r in excl]) == sorted(f"p{i}" for i in range(30))
    assert c["samples"] == 60 and c["requests_sent"] == 30
    for r in out:
        assert r["messages"][0]["role"] == "user" and r["messages"][-1]["role"] == "assistant"
    # a random tiny model's text is noise: most samples are rejected, each with its reasons
    rejected = read_jsonl(tmp_path / "sft.jsonl.run/excluded/samples.jsonl")
    assert all(r["reasons"] for r in rejected)
    assert set(s.stats["samples_rejected_by_reason"]) <= {"truncated", "empty_output", "wrong_language"}
    html = (tmp_path / "sft.jsonl.run/report.html").read_text()
    assert "Why samples were rejected" in html
