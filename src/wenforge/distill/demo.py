"""Demo step: distil a handful of samples from a tiny local model served by `wenforge serve` (in-process).

`run_distill_demo(out_dir)` builds the tiny model offline, serves it on 127.0.0.1 (a free port), distils six
prompts and writes the usual run folder; the report shows each accept/reject reason. A random tiny model
writes noise, so most samples are rejected: that is what the demo shows. Needs the `train` extra.
"""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

DEMO_PROMPTS = [
    {"id": "demo-1", "question": "小明有3个苹果，又买了5个，一共有几个？", "final_answer": "8"},
    {"id": "demo-2", "question": "一本书有120页，每天读15页，几天读完？", "final_answer": "8"},
    {"id": "demo-3", "question": "用一句话描写秋天的月亮。", "final_answer": ""},
    {"id": "demo-4", "question": "What is 6 times 7?", "final_answer": "42"},
    {"id": "demo-5", "question": "把“今天天气很好”改写得更有文采。", "final_answer": ""},
    {"id": "demo-6", "question": "", "final_answer": ""},  # an unusable row: recorded as missing_text_field
]


def run_distill_demo(out_dir: str | Path, *, n: int = 2, max_tokens: int = 16) -> dict[str, Any]:
    from wenforge.distill.config import load_config
    from wenforge.distill.run import run_distill
    from wenforge.lm.tiny import build_tiny_model
    from wenforge.serve.server import ChatModel, make_server

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    model_dir = out / "tiny-model"
    if not (model_dir / "config.json").exists():
        build_tiny_model(model_dir)
    with open(out / "prompts.jsonl", "w", encoding="utf-8") as f:
        f.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in DEMO_PROMPTS)
    server = make_server(ChatModel(model_dir, threads=1), "127.0.0.1", 0, default_max_tokens=max_tokens)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        cfg = load_config(None, {
            "input": str(out / "prompts.jsonl"), "prompt_field": "question", "answer_field": "final_answer",
            "output": str(out / "sft.jsonl"), "base_url": f"http://127.0.0.1:{server.server_address[1]}/v1",
            "model": "tiny-model", "n": n, "max_tokens": max_tokens, "seed": 0, "concurrency": 2, "timeout": 120,
            "checks": ["nonempty", "outcome", "clean", "language"], "keep": "all"})
        summary = run_distill(cfg, warn=lambda m: None)
    finally:
        server.shutdown()
        server.server_close()
    return {"output": str(summary.output), "report": str(summary.run_dir / "report.html"), "stats": summary.stats}
