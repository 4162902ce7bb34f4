"""API keys never reach disk: a teacher that echoes the Authorization header in its error bodies, and a key
pasted into the base URL, leave no trace in outputs, excluded records, stats.json or report.html (issue 14)."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from distill_helpers import FAST, write_prompts

from wenforge.core.redact import redact_text, redact_url
from wenforge.distill.config import load_config
from wenforge.distill.run import run_distill

ENV_CANARY = "sk-canaryENV0123456789"
URL_CANARY = "urlCANARY98765"


class _Echo(BaseHTTPRequestHandler):
    """Answers every request with an error whose body repeats the request's headers and path."""

    status = 500

    def do_POST(self):
        self.rfile.read(int(self.headers.get("content-length") or 0))
        body = json.dumps({"error": {"message": f"bad request to {self.path}; you sent {dict(self.headers)}"}})
        data = body.encode()
        self.send_response(self.status)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.mark.parametrize("status", [400, 500])
@pytest.mark.parametrize("transport", ["httpx", "openai"])
def test_canary_keys_stay_off_disk(tmp_path, monkeypatch, status, transport):
    handler = type("Echo", (_Echo,), {"status": status})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        monkeypatch.setenv("CANARY_KEY", ENV_CANARY)
        write_prompts(tmp_path / "p.jsonl", 3)
        url = f"http://user:{URL_CANARY}@127.0.0.1:{server.server_address[1]}/v1?api_key={URL_CANARY}"
        cfg = load_config(None, dict(input=str(tmp_path / "p.jsonl"), prompt_field="question",
                                     output=str(tmp_path / "out.jsonl"), base_url=url, api_key_env="CANARY_KEY",
                                     transport=transport, max_retries=1, **FAST))
        run_distill(cfg, warn=lambda m: None)
    finally:
        server.shutdown()
    files = [p for p in tmp_path.rglob("*") if p.is_file() and p.name != "p.jsonl"]
    assert any(p.name == "prompts.jsonl" for p in files)  # the failures were recorded
    for p in files:
        data = p.read_bytes()
        assert ENV_CANARY.encode() not in data, p
        assert URL_CANARY.encode() not in data, p


def test_redaction_shapes():
    assert redact_url("https://u:pw@h.example/v1?key=abc123&model=m") == "https://h.example/v1?key=***&model=m"
    assert "sk-abcdef123456" not in redact_text("header Bearer sk-abcdef123456 echoed")
    assert redact_text("api_key: 'zzzz9999'") == "api_key: '***'"
    assert redact_text("我的名字叫张三，口令很长") == "我的名字叫张三，口令很长"


def test_eval_generation_keeps_canaries_off_disk_and_out_of_messages(tmp_path, monkeypatch):
    """`wenforge eval` with a remote `generate:` against a teacher that echoes headers and path."""
    from typer.testing import CliRunner

    from wenforge.cli import app

    server = ThreadingHTTPServer(("127.0.0.1", 0), type("Echo", (_Echo,), {"status": 400}))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        monkeypatch.setenv("CANARY_KEY", ENV_CANARY)
        (tmp_path / "p.jsonl").write_text('{"id": "a", "prompt": "你好"}\n', encoding="utf-8")
        url = f"http://u:{URL_CANARY}@127.0.0.1:{server.server_address[1]}/v1?key={URL_CANARY}"
        cfg = tmp_path / "eval.yaml"
        cfg.write_text(f"generate: {{prompts: p.jsonl, model: m, base_url: '{url}', api_key_env: CANARY_KEY}}\n"
                       f"output_dir: ev\n", encoding="utf-8")
        res = CliRunner().invoke(app, ["eval", str(cfg)])
    finally:
        server.shutdown()
    assert res.exit_code == 2
    assert ENV_CANARY not in res.output and URL_CANARY not in res.output
    for p in tmp_path.rglob("*"):
        if p.is_file() and p.name not in ("eval.yaml",):
            assert ENV_CANARY.encode() not in p.read_bytes() and URL_CANARY.encode() not in p.read_bytes(), p
