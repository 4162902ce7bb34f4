"""A scripted OpenAI-compatible server that misbehaves on purpose: for tests, benchmarks and dry runs.

    python tests/distill/mockserver.py --port 8811 --delay 0.2 \
        --faults "500:0.1,429:0.1,timeout:0.05,truncated:0.05,malformed:0.05,drop:0.05" --log requests.jsonl

Plain asyncio streams (HTTP/1.1, keep-alive), no dependencies, binds 127.0.0.1 only. Each request is
keyed by the sha256 of its body; the fault for a request is drawn from a RNG seeded by (key, attempt
number), so a run is reproducible. Faults apply to the first `--fault-attempts` attempts of a key, then
it succeeds, except keys drawn for `always500` (a permanent failure). A prompt holding `[[400]]` gets a
400. Every request is appended to `--log` (key, status, attempt), so request counts survive a kill and
restart of the server and tests can check that nothing was paid for twice.

Replies: `<think>` + answer by default; `--reasoning-field` puts the thought in `reasoning_content`.
A prompt holding `[[answer:X]]` is answered with `\\boxed{X}`; `[[reply:TEXT]]` is answered with TEXT;
`--replies FILE` maps a substring of the prompt to a reply (or a list: one per sample).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import hashlib
import json
import os
import random
import re
import time
from typing import Any

_ANSWER_RE = re.compile(r"\[\[answer:([^\]]*)\]\]")
_REPLY_RE = re.compile(r"\[\[reply:(.*?)\]\]", re.DOTALL)


def parse_faults(spec: str) -> list[tuple[str, float]]:
    out = []
    for part in (spec or "").split(","):
        part = part.strip()
        if not part:
            continue
        name, _, p = part.partition(":")
        if name not in FAULTS:
            raise ValueError(f"unknown fault {name!r} (known: {', '.join(FAULTS)})")
        out.append((name, float(p or 0)))
    return out


FAULTS = ("500", "503", "429", "timeout", "truncated", "malformed", "badshape", "drop", "always500")


class MockServer:
    def __init__(
        self,
        *,
        delay: float = 0.0,
        faults: str = "",
        fault_attempts: int = 1,
        retry_after: str = "1",
        hang: float = 30.0,
        reasoning_field: bool = False,
        log_path: str | None = None,
        api_key: str | None = None,
        seed: int = 0,
        replies: dict[str, str] | None = None,
    ):
        self.replies = replies or {}
        self.delay = delay
        self.faults = parse_faults(faults)
        self.fault_attempts = fault_attempts
        self.retry_after = retry_after
        self.hang = hang
        self.reasoning_field = reasoning_field
        self.log_path = log_path
        self.api_key = api_key
        self.seed = seed
        self.attempts: dict[str, int] = {}
        self.served: dict[str, int] = {}
        self.requests = 0
        self._log = open(log_path, "a", encoding="utf-8") if log_path else None  # noqa: SIM115 - server lifetime
        if log_path:  # continue counts after a restart
            with open(log_path, encoding="utf-8") as f:
                for line in f:
                    try:
                        rec = json.loads(line)
                    except json.JSONDecodeError:
                        continue
                    self.attempts[rec["key"]] = self.attempts.get(rec["key"], 0) + 1

    # -- decisions ----------------------------------------------------------------------------
    def fault_for(self, key: str, attempt: int) -> str | None:
        rng = random.Random(f"{self.seed}:{key}")
        always = dict(self.faults).get("always500", 0.0)
        if always and rng.random() < always:
            return "500"
        if attempt >= self.fault_attempts:
            return None
        rng = random.Random(f"{self.seed}:{key}:{attempt}")
        x = rng.random()
        acc = 0.0
        for name, p in self.faults:
            if name == "always500":
                continue
            acc += p
            if x < acc:
                return name
        return None

    def reply(self, body: dict[str, Any], n: int) -> dict[str, Any]:
        msgs = body.get("messages") or []
        prompt = ""
        for m in msgs:
            if isinstance(m, dict) and m.get("role") == "user":
                prompt = str(m.get("content") or "")
        choices = []
        for i in range(n):
            m = _REPLY_RE.search(prompt)
            a = _ANSWER_RE.search(prompt)
            mapped = next((v for k, v in self.replies.items() if k in prompt), None)
            if isinstance(mapped, list):
                mapped = mapped[i % len(mapped)]
            if mapped is not None:
                answer = mapped
            elif m:
                answer = m.group(1)
            elif a:
                answer = f"所以答案是 \\boxed{{{a.group(1)}}}。"
            else:
                answer = f"回答：{prompt[:200]}"
            thought = f"先想一想：{prompt[:80]}（样本 {i}）"
            msg: dict[str, Any] = {"role": "assistant"}
            if self.reasoning_field:
                msg["content"] = answer
                msg["reasoning_content"] = thought
            else:
                msg["content"] = f"<think>{thought}</think>{answer}"
            choices.append({"index": i, "message": msg, "finish_reason": "stop"})
        return {
            "id": f"cmpl-{self.requests}",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": body.get("model", "mock"),
            "choices": choices,
            "usage": {"prompt_tokens": len(prompt), "completion_tokens": 20 * n, "total_tokens": len(prompt) + 20 * n},
        }

    def _record(self, key: str, status: str, attempt: int, auth: str | None) -> None:
        if self._log:
            auth_hash = hashlib.sha256(auth.encode()).hexdigest()[:16] if auth else None
            self._log.write(json.dumps({"key": key, "status": status, "attempt": attempt, "auth": auth_hash,
                                        "t": round(time.time(), 4)}) + "\n")
            self._log.flush()

    # -- HTTP ---------------------------------------------------------------------------------
    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                lines = head.decode("latin-1").split("\r\n")
                method, path, _ = lines[0].split(" ", 2)
                headers = {}
                for ln in lines[1:]:
                    if ":" in ln:
                        k, v = ln.split(":", 1)
                        headers[k.strip().lower()] = v.strip()
                length = int(headers.get("content-length") or 0)
                raw = await reader.readexactly(length) if length else b""
                keep = await self.route(method, path.split("?")[0], headers, raw, writer)
                if not keep:
                    break
        except (asyncio.IncompleteReadError, ConnectionError, ValueError):
            pass
        finally:
            with contextlib.suppress(Exception):
                writer.close()

    async def _send(self, writer, status: int, payload: bytes, extra: dict[str, str] | None = None,
                    ctype: str = "application/json") -> None:
        reason = {200: "OK", 400: "Bad Request", 401: "Unauthorized", 404: "Not Found", 429: "Too Many Requests",
                  500: "Internal Server Error", 503: "Service Unavailable"}.get(status, "X")
        hdrs = {"Content-Type": ctype, "Content-Length": str(len(payload)), "Connection": "keep-alive"}
        hdrs.update(extra or {})
        head = f"HTTP/1.1 {status} {reason}\r\n" + "".join(f"{k}: {v}\r\n" for k, v in hdrs.items()) + "\r\n"
        writer.write(head.encode("latin-1") + payload)
        await writer.drain()

    async def route(self, method: str, path: str, headers: dict[str, str], raw: bytes, writer) -> bool:
        if method == "GET" and path.endswith("/models"):
            await self._send(writer, 200, json.dumps({"object": "list", "data": [{"id": "mock", "object": "model"}]}).encode())
            return True
        if method == "GET" and path.endswith("/stats"):
            await self._send(writer, 200, json.dumps({"requests": self.requests, "served": self.served}).encode())
            return True
        if method != "POST" or not path.endswith("/chat/completions"):
            await self._send(writer, 404, b'{"error": {"message": "not found"}}')
            return True
        self.requests += 1
        key = hashlib.sha256(raw).hexdigest()
        attempt = self.attempts.get(key, 0)
        self.attempts[key] = attempt + 1
        auth = headers.get("authorization")
        if self.api_key is not None and auth != f"Bearer {self.api_key}":
            self._record(key, "401", attempt, auth)
            await self._send(writer, 401, b'{"error": {"message": "bad key"}}')
            return True
        try:
            body = json.loads(raw)
        except json.JSONDecodeError:
            self._record(key, "400", attempt, auth)
            await self._send(writer, 400, b'{"error": {"message": "body is not JSON"}}')
            return True
        prompt_text = json.dumps(body.get("messages"), ensure_ascii=False)
        if "[[400]]" in prompt_text:
            self._record(key, "400", attempt, auth)
            await self._send(writer, 400, b'{"error": {"message": "bad request (scripted)"}}')
            return True
        fault = self.fault_for(key, attempt)
        if self.delay:
            await asyncio.sleep(self.delay)
        if fault in ("500", "503"):
            self._record(key, fault, attempt, auth)
            await self._send(writer, int(fault), b'{"error": {"message": "scripted server error"}}')
            return True
        if fault == "429":
            self._record(key, "429", attempt, auth)
            await self._send(writer, 429, b'{"error": {"message": "slow down"}}', {"Retry-After": self.retry_after})
            return True
        if fault == "timeout":
            self._record(key, "timeout", attempt, auth)
            await asyncio.sleep(self.hang)
            return False
        if fault == "drop":
            self._record(key, "drop", attempt, auth)
            return False
        payload = json.dumps(self.reply(body, int(body.get("n") or 1)), ensure_ascii=False).encode("utf-8")
        if fault == "truncated":
            self._record(key, "truncated", attempt, auth)
            head = (f"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {len(payload)}\r\n"
                    "Connection: close\r\n\r\n")
            writer.write(head.encode() + payload[: len(payload) // 2])
            await writer.drain()
            return False
        if fault == "malformed":
            self._record(key, "malformed", attempt, auth)
            await self._send(writer, 200, payload[: len(payload) // 2])
            return True
        if fault == "badshape":
            self._record(key, "badshape", attempt, auth)
            await self._send(writer, 200, b'{"object": "chat.completion", "choices": "none"}')
            return True
        self.served[key] = self.served.get(key, 0) + 1
        self._record(key, "200", attempt, auth)
        await self._send(writer, 200, payload)
        return True


async def serve(port: int, **kw: Any) -> None:
    server = MockServer(**kw)
    srv = await asyncio.start_server(server.handle, "127.0.0.1", port, backlog=1024)
    print(f"mock teacher on http://127.0.0.1:{port}/v1", flush=True)
    async with srv:
        await srv.serve_forever()


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--delay", type=float, default=0.0, help="seconds before every answer")
    ap.add_argument("--faults", default="", help="comma list of FAULT:PROBABILITY")
    ap.add_argument("--fault-attempts", type=int, default=1, help="faults apply to a key's first N attempts")
    ap.add_argument("--retry-after", default="1", help="Retry-After header value on 429")
    ap.add_argument("--hang", type=float, default=30.0, help="seconds a 'timeout' fault stalls")
    ap.add_argument("--reasoning-field", action="store_true", help="thought in reasoning_content, not <think>")
    ap.add_argument("--log", default=None, help="append every request here (JSONL)")
    ap.add_argument("--api-key-env", default=None, help="require the key held in this env var")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--replies", default=None,
                    help="JSON file: {substring of the prompt: reply or [reply per sample]}")
    a = ap.parse_args(argv)
    replies = None
    if a.replies:
        with open(a.replies, encoding="utf-8") as f:
            replies = json.load(f)
    api_key = os.environ.get(a.api_key_env) if a.api_key_env else None
    try:
        asyncio.run(serve(a.port, delay=a.delay, faults=a.faults, fault_attempts=a.fault_attempts,
                          retry_after=a.retry_after, hang=a.hang, reasoning_field=a.reasoning_field,
                          log_path=a.log, api_key=api_key, seed=a.seed, replies=replies))
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
