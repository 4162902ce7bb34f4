"""A small OpenAI-compatible server over a local transformers model (extra `train`).

    wenforge serve MODEL_DIR --port 8000
    curl http://127.0.0.1:8000/v1/chat/completions -d '{"model": "m", "messages": [{"role": "user", "content": "你好"}]}'

`GET /v1/models`, `POST /v1/chat/completions` (non-streaming; `n`, `max_tokens`, `temperature`, `top_p`,
`seed`, `stop`). Standard library `ThreadingHTTPServer`: connections are handled in threads, generation
is serialised by a lock (one model, one forward pass at a time). It is meant for CPU users, for serving
a model wenforge trained, and for tests; at scale use vLLM (`vllm serve MODEL_DIR`), which speaks the
same protocol, so `wenforge distill` works against either unchanged.
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

MAX_BODY = 8 * 1024 * 1024


class RequestError(Exception):
    def __init__(self, status: int, message: str, kind: str = "invalid_request_error"):
        super().__init__(message)
        self.status = status
        self.kind = kind


@dataclass
class GenParams:
    max_tokens: int
    temperature: float
    top_p: float
    n: int
    seed: int | None
    stop: list[str]


def parse_request(body: Any, *, default_max_tokens: int, max_tokens_cap: int, max_n: int) -> tuple[list[dict], GenParams]:
    """Validate a chat completion request; raise RequestError(400) naming the bad field."""
    if not isinstance(body, dict):
        raise RequestError(400, "request body must be a JSON object")
    if body.get("stream"):
        raise RequestError(400, "stream=true is not supported by `wenforge serve` (use vLLM for streaming)")
    msgs = body.get("messages")
    if not isinstance(msgs, list) or not msgs:
        raise RequestError(400, "`messages` must be a non-empty list")
    for i, m in enumerate(msgs):
        if not isinstance(m, dict) or not isinstance(m.get("role"), str) or not isinstance(m.get("content"), str):
            raise RequestError(400, f"messages[{i}] must be an object with string `role` and `content`")

    def num(key: str, default: Any, kind: type, lo: float, hi: float) -> Any:
        v = body.get(key, default)
        if v is None:
            v = default
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            raise RequestError(400, f"`{key}` must be a number")
        v = kind(v)
        if not lo <= v <= hi:
            raise RequestError(400, f"`{key}` must be between {lo} and {hi}")
        return v

    max_tokens = num("max_tokens", body.get("max_completion_tokens") or default_max_tokens, int, 1, max_tokens_cap)
    stop = body.get("stop") or []
    if isinstance(stop, str):
        stop = [stop]
    if not isinstance(stop, list) or not all(isinstance(s, str) for s in stop):
        raise RequestError(400, "`stop` must be a string or a list of strings")
    seed = body.get("seed")
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int)):
        raise RequestError(400, "`seed` must be an integer")
    params = GenParams(
        max_tokens=max_tokens,
        temperature=num("temperature", 1.0, float, 0.0, 2.0),
        top_p=num("top_p", 1.0, float, 0.0, 1.0),
        n=num("n", 1, int, 1, max_n),
        seed=seed,
        stop=stop,
    )
    return msgs, params


class ChatModel:
    """A causal LM and its tokenizer, with a chat-completion method."""

    def __init__(self, model_dir: str | Path, *, device: str = "cpu", threads: int | None = None,
                 reasoning_parser: bool = False, name: str | None = None):
        import torch
        from transformers import AutoModelForCausalLM, AutoTokenizer

        if threads:
            torch.set_num_threads(threads)
        self.torch = torch
        path = Path(model_dir)
        src = str(path) if path.exists() else str(model_dir)  # a local folder, or a hub name
        self.tokenizer = AutoTokenizer.from_pretrained(src)
        self.model = AutoModelForCausalLM.from_pretrained(src, dtype=torch.float32 if device == "cpu" else "auto")
        self.model.to(device).eval()
        self.device = device
        self.name = name or (path.name if path.exists() else str(model_dir))
        self.reasoning_parser = reasoning_parser
        self.lock = threading.Lock()

    def _prompt_ids(self, messages: list[dict]):
        tok = self.tokenizer
        if tok.chat_template:
            ids = tok.apply_chat_template(messages, add_generation_prompt=True, return_tensors="pt",
                                          return_dict=True)["input_ids"]
        else:
            text = "".join(f"{m['role']}: {m['content']}\n" for m in messages) + "assistant: "
            ids = tok(text, return_tensors="pt")["input_ids"]
        return ids.to(self.device)

    def complete(self, messages: list[dict], p: GenParams) -> dict[str, Any]:
        torch = self.torch
        ids = self._prompt_ids(messages)
        eos = self.tokenizer.eos_token_id
        kwargs: dict[str, Any] = {"max_new_tokens": p.max_tokens, "num_return_sequences": p.n,
                                  "pad_token_id": self.tokenizer.pad_token_id if self.tokenizer.pad_token_id is not None else eos}
        if p.temperature > 0:
            kwargs.update(do_sample=True, temperature=p.temperature, top_p=p.top_p)
        else:
            kwargs.update(do_sample=False)
        with self.lock, torch.inference_mode():
            if p.seed is not None:
                torch.manual_seed(p.seed)
            out = self.model.generate(ids, attention_mask=torch.ones_like(ids), **kwargs)
        prompt_len = ids.shape[1]
        choices, completion_tokens = [], 0
        for i, seq in enumerate(out):
            gen = seq[prompt_len:].tolist()
            hit_eos = eos is not None and eos in gen
            if hit_eos:
                gen = gen[: gen.index(eos)]
            completion_tokens += len(gen)
            text = self.tokenizer.decode(gen, skip_special_tokens=True)
            finish = "stop" if hit_eos else ("length" if len(gen) >= p.max_tokens else "stop")
            for s in p.stop:
                if s and s in text:
                    text, finish = text.split(s, 1)[0], "stop"
            msg: dict[str, Any] = {"role": "assistant", "content": text}
            if self.reasoning_parser and "</think>" in text:
                from wenforge.distill.client import split_reasoning

                content, reasoning = split_reasoning({"content": text})
                msg = {"role": "assistant", "content": content, "reasoning_content": reasoning}
            choices.append({"index": i, "message": msg, "finish_reason": finish})
        return {
            "id": f"chatcmpl-{uuid.uuid4().hex[:24]}",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": self.name,
            "choices": choices,
            "usage": {"prompt_tokens": prompt_len, "completion_tokens": completion_tokens,
                      "total_tokens": prompt_len + completion_tokens},
        }


def make_handler(model: ChatModel, *, default_max_tokens: int = 256, max_tokens_cap: int = 2048,
                 max_n: int = 16, quiet: bool = True) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        server_version = "wenforge-serve"

        def log_message(self, format: str, *args: Any) -> None:
            if not quiet:
                super().log_message(format, *args)

        def _json(self, status: int, payload: dict[str, Any]) -> None:
            data = json.dumps(payload, ensure_ascii=False).encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _error(self, status: int, message: str, kind: str = "invalid_request_error") -> None:
            self._json(status, {"error": {"message": message, "type": kind, "code": status}})

        def do_GET(self) -> None:
            path = self.path.split("?")[0].rstrip("/")
            if path in ("/v1/models", "/models"):
                self._json(200, {"object": "list", "data": [
                    {"id": model.name, "object": "model", "created": 0, "owned_by": "wenforge"}]})
            elif path in ("/health", "/v1/health"):
                self._json(200, {"status": "ok"})
            else:
                self._error(404, f"no route {path}", "not_found_error")

        def do_POST(self) -> None:
            path = self.path.split("?")[0].rstrip("/")
            if path not in ("/v1/chat/completions", "/chat/completions"):
                self._error(404, f"no route {path}", "not_found_error")
                return
            try:
                length = int(self.headers.get("Content-Length") or 0)
            except ValueError:
                length = -1
            if length < 0 or length > MAX_BODY:
                self._error(413 if length > MAX_BODY else 400, "bad or too large Content-Length")
                self.close_connection = True
                return
            raw = self.rfile.read(length)
            try:
                body = json.loads(raw)
                messages, params = parse_request(body, default_max_tokens=default_max_tokens,
                                                 max_tokens_cap=max_tokens_cap, max_n=max_n)
            except json.JSONDecodeError as e:
                self._error(400, f"body is not valid JSON: {e.msg}")
                return
            except RequestError as e:
                self._error(e.status, str(e), e.kind)
                return
            try:
                result = model.complete(messages, params)
            except Exception as e:  # noqa: BLE001 - a generation failure is a 500 for this request only
                self._error(500, f"generation failed: {type(e).__name__}: {e}", "server_error")
                return
            self._json(200, result)

    return Handler


def make_server(model: ChatModel, host: str = "127.0.0.1", port: int = 8000, **kw: Any) -> ThreadingHTTPServer:
    server = ThreadingHTTPServer((host, port), make_handler(model, **kw))
    server.daemon_threads = True
    return server
