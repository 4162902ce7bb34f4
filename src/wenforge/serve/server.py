"""A small OpenAI-compatible server over a local transformers model (extra `train`).

    wenforge serve MODEL_DIR --port 8000
    curl http://127.0.0.1:8000/v1/chat/completions -d '{"model": "m", "messages": [{"role": "user", "content": "你好"}]}'

`GET /v1/models`, `POST /v1/chat/completions` (non-streaming; `n`, `max_tokens`, `temperature`, `top_p`,
`seed`, `stop`). Standard library `ThreadingHTTPServer`: connections are handled in threads; up to
MAX_CONCURRENT generations run at once, MAX_WAITING more wait, and the rest get 503 at once. Requests are
bounded (body size, prompt length, the model's context, read and generation timeouts); a malformed request is
a 400 naming the problem. A dearer generation (more prompt-plus-new tokens) pauses between decoding steps
while a cheaper one runs, so a maximal prompt does not hold up short requests. A seed makes sampling
reproducible when no other seeded request runs beside it. It is meant for CPU users, for serving
a model wenforge trained, and for tests; at scale use vLLM (`vllm serve MODEL_DIR`), which speaks the
same protocol, so `wenforge distill` works against either unchanged.
"""

from __future__ import annotations

import contextlib
import json
import math
import threading
import time
import uuid
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from wenforge.text.think import split_think

# Request bounds: one request must not hold the server. 1 MiB of JSON is far beyond any chat prompt a small
# served model takes; a prompt over MAX_PROMPT_CHARS characters or the model's own context is refused (400)
# before tokenising costs time or memory.
MAX_BODY = 1024 * 1024
MAX_PROMPT_CHARS = 100_000
MAX_JSON_DEPTH = 64
# A client that stops sending mid-body releases its thread after this many seconds.
READ_TIMEOUT_S = 15.0
# Requests waiting for the model beyond this many get 503 (back-pressure instead of piling up threads).
MAX_WAITING = 32
# Generations that run at once: a long request no longer holds up short ones behind a single lock.
MAX_CONCURRENT = 4
# A request waits at most this long for the model before 503, and one generation runs at most this long.
QUEUE_TIMEOUT_S = 60.0
GENERATION_TIMEOUT_S = 60.0
SEED_MAX = 2**63 - 1  # torch.manual_seed's range
# A generation pauses between decoding steps while a cheaper request (fewer prompt-plus-new tokens) is running,
# so one maximal prompt does not multiply everyone else's latency; it waits at most this long per step.
YIELD_MAX_S = 0.05
LISTEN_BACKLOG = 256  # the standard library's default of 5 refuses connections under load


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
    total = 0
    for i, m in enumerate(msgs):
        if not isinstance(m, dict) or not isinstance(m.get("role"), str) or not isinstance(m.get("content"), str):
            raise RequestError(400, f"messages[{i}] must be an object with string `role` and `content`")
        try:
            m["content"].encode("utf-8")
        except UnicodeEncodeError:
            raise RequestError(400, f"messages[{i}].content holds a lone surrogate (not valid Unicode text)") from None
        total += len(m["content"])
    if total > MAX_PROMPT_CHARS:
        raise RequestError(400, f"prompt too long: {total:,} characters (limit {MAX_PROMPT_CHARS:,})")

    def num(key: str, default: Any, kind: type, lo: float, hi: float) -> Any:
        v = body.get(key, default)
        if v is None:
            v = default
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v):
            raise RequestError(400, f"`{key}` must be a finite number")
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
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed <= SEED_MAX):
        raise RequestError(400, f"`seed` must be an integer between 0 and {SEED_MAX}")
    params = GenParams(
        max_tokens=max_tokens,
        temperature=num("temperature", 1.0, float, 0.0, 2.0),
        top_p=num("top_p", 1.0, float, 0.0, 1.0),
        n=num("n", 1, int, 1, max_n),
        seed=seed,
        stop=stop,
    )
    if params.n > 1 and params.temperature == 0:
        raise RequestError(400, "`n` > 1 needs `temperature` > 0 (greedy decoding gives one answer)")
    return msgs, params


def _json_depth_ok(raw: bytes, limit: int = MAX_JSON_DEPTH) -> bool:
    """Whether brackets nest at most `limit` deep (checked on bytes, before the parser recurses)."""
    depth = 0
    in_str = esc = False
    for b in raw:
        if in_str:
            if esc:
                esc = False
            elif b == 0x5C:
                esc = True
            elif b == 0x22:
                in_str = False
        elif b == 0x22:
            in_str = True
        elif b in (0x5B, 0x7B):
            depth += 1
            if depth > limit:
                return False
        elif b in (0x5D, 0x7D):
            depth -= 1
    return True


class _CheapestFirst:
    """Token-level fairness between concurrent generations: each registers its cost (prompt plus new tokens),
    and a dearer one pauses between decoding steps while a cheaper one runs."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._costs: dict[int, int] = {}

    @contextlib.contextmanager
    def running(self, cost: int):
        key = threading.get_ident()
        with self._lock:
            self._costs[key] = cost
        try:
            yield
        finally:
            with self._lock:
                self._costs.pop(key, None)

    def cheaper_running(self, cost: int) -> bool:
        with self._lock:
            return any(c < cost for c in self._costs.values())

    def wait_for_cheaper(self, cost: int) -> None:
        """Sleep (releasing the GIL and the core) while a cheaper generation runs, at most YIELD_MAX_S."""
        end = time.monotonic() + YIELD_MAX_S
        while self.cheaper_running(cost) and time.monotonic() < end:
            time.sleep(0.001)


def _yielding_criteria(fair: _CheapestFirst, cost: int):
    """A transformers StoppingCriteria that never stops a generation, only makes it yield to cheaper ones."""
    import torch
    from transformers import StoppingCriteria, StoppingCriteriaList

    class _Yield(StoppingCriteria):
        def __call__(self, input_ids, scores, **kwargs):
            fair.wait_for_cheaper(cost)
            return torch.zeros(input_ids.shape[0], dtype=torch.bool, device=input_ids.device)

    return StoppingCriteriaList([_Yield()])


class ChatModel:
    """A causal LM and its tokenizer, with a chat-completion method."""

    def __init__(self, model_dir: str | Path, *, device: str = "cpu", threads: int | None = None,
                 reasoning_parser: bool = False, name: str | None = None):
        import torch

        from wenforge.lm.generate import load_model

        if threads:
            torch.set_num_threads(threads)
        self.torch = torch
        loaded = load_model(model_dir, device=device)
        self.tokenizer, self.model = loaded.tokenizer, loaded.model
        self.device = device
        self.name = name or Path(model_dir).name
        self.reasoning_parser = reasoning_parser
        self.slots = threading.BoundedSemaphore(MAX_CONCURRENT)
        self.seed_lock = threading.Lock()  # seeding torch's global generator and sampling happen together
        self.waiting = threading.BoundedSemaphore(MAX_WAITING)
        self.fair = _CheapestFirst()
        self.max_context = int(getattr(self.model.config, "max_position_embeddings", 0) or 0)

    def _prompt_ids(self, messages: list[dict]):
        from wenforge.lm.generate import chat_prompt, encode

        return encode(self.tokenizer, [chat_prompt(self.tokenizer, messages)])["input_ids"].to(self.device)

    def complete(self, messages: list[dict], p: GenParams) -> dict[str, Any]:
        torch = self.torch
        ids = self._prompt_ids(messages)
        if self.max_context and ids.shape[1] + p.max_tokens > self.max_context:
            raise RequestError(400, f"prompt of {ids.shape[1]} tokens plus max_tokens {p.max_tokens} exceeds the "
                                    f"model's context of {self.max_context} tokens")
        from wenforge.lm.generate import decode_new, sampling_kwargs

        kwargs: dict[str, Any] = {"max_new_tokens": p.max_tokens, "num_return_sequences": p.n,
                                  "max_time": GENERATION_TIMEOUT_S, "pad_token_id": self.tokenizer.pad_token_id,
                                  **sampling_kwargs(p.temperature, p.top_p)}
        if not self.waiting.acquire(blocking=False):
            raise RequestError(503, f"server busy: {MAX_WAITING} requests already waiting; retry later", "server_busy")
        try:
            if not self.slots.acquire(timeout=QUEUE_TIMEOUT_S):
                raise RequestError(503, f"server busy: waited {QUEUE_TIMEOUT_S:.0f} s for the model", "server_busy")
            try:
                seeded = p.seed is not None and p.temperature > 0
                cost = int(ids.shape[1]) * p.n + p.max_tokens
                with self.seed_lock if seeded else contextlib.nullcontext(), torch.inference_mode(), \
                        self.fair.running(cost):
                    if seeded:
                        torch.manual_seed(p.seed)
                    out = self.model.generate(ids, attention_mask=torch.ones_like(ids),
                                              stopping_criteria=_yielding_criteria(self.fair, cost), **kwargs)
            finally:
                self.slots.release()
        finally:
            self.waiting.release()
        prompt_len = ids.shape[1]
        choices, completion_tokens = [], 0
        for i, seq in enumerate(out):
            text, n_tokens, hit_eos = decode_new(self.tokenizer, seq[prompt_len:].tolist())
            completion_tokens += n_tokens
            finish = "stop" if hit_eos or n_tokens < p.max_tokens else "length"
            for s in p.stop:
                if s and s in text:
                    text, finish = text.split(s, 1)[0], "stop"
            msg: dict[str, Any] = {"role": "assistant", "content": text}
            if self.reasoning_parser:
                reasoning, answer = split_think(text)
                if reasoning is not None:
                    msg.update(content=answer, reasoning_content=reasoning)
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
        timeout = READ_TIMEOUT_S  # socket timeout: a stalled body frees its thread

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
            if status == 503:
                self.close_connection = True
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
            try:
                raw = self.rfile.read(length)
            except TimeoutError:
                self.close_connection = True
                return  # the client stalled mid-body; nobody is left to answer
            if len(raw) < length:
                self._error(400, f"body ended after {len(raw)} of {length} bytes")
                self.close_connection = True
                return
            try:
                text = raw.decode("utf-8")
                if not _json_depth_ok(raw):
                    raise RequestError(400, f"JSON nested deeper than {MAX_JSON_DEPTH} levels")
                body = json.loads(text)
                messages, params = parse_request(body, default_max_tokens=default_max_tokens,
                                                 max_tokens_cap=max_tokens_cap, max_n=max_n)
            except UnicodeDecodeError as e:
                self._error(400, f"body is not UTF-8 (byte {e.start})")
                return
            except json.JSONDecodeError as e:
                self._error(400, f"body is not valid JSON: {e.msg}")
                return
            except RequestError as e:
                self._error(e.status, str(e), e.kind)
                return
            try:
                result = model.complete(messages, params)
            except RequestError as e:
                self._error(e.status, str(e), e.kind)
                return
            except Exception as e:  # noqa: BLE001 - a generation failure is a 500 for this request only
                self._error(500, f"generation failed: {type(e).__name__}: {e}", "server_error")
                return
            self._json(200, result)

    return Handler


class _Server(ThreadingHTTPServer):
    request_queue_size = LISTEN_BACKLOG
    daemon_threads = True


def make_server(model: ChatModel, host: str = "127.0.0.1", port: int = 8000, **kw: Any) -> ThreadingHTTPServer:
    """The HTTP server (threads per connection, a listen backlog of LISTEN_BACKLOG, bounded waiting)."""
    return _Server((host, port), make_handler(model, **kw))
