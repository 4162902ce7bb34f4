"""Async teacher client over any OpenAI-compatible endpoint (extra `distill`).

Two transports: `httpx` (default) posts the JSON body with `httpx2`, the HTTP client the `openai`
package itself is built on, and reads the raw JSON; `openai` goes through `openai.AsyncOpenAI`
(`with_raw_response`). The SDK layer costs about 1 ms of CPU per request on top of the HTTP client
(bench/distill_bench.py measures both), which matters at 64+ requests in flight on a small machine,
so the default is the thin path; both speak the same protocol and share the retry loop below.

The SDK's own retries are switched off (`max_retries=0`) and replaced by one loop here so that every
attempt is counted and every failure maps to a reason code: exponential backoff with jitter on 429,
408/409, 5xx, timeouts, dropped connections and malformed responses; a server's `Retry-After` is
honoured; other 4xx fail at once. Concurrency is bounded by a semaphore held during each attempt.

The raw JSON body is returned (via `with_raw_response`), so provider-specific fields such as
DeepSeek's `reasoning_content` survive untouched and no pydantic model is built per response.
"""

from __future__ import annotations

import asyncio
import contextlib
import email.utils
import json
import random
import ssl
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Self

from wenforge.core import reasons as R
from wenforge.core.redact import redact_text, redact_url, url_secrets

RETRYABLE_STATUS = {408, 409, 425, 429, 500, 502, 503, 504}
_SHARD = 8  # connections per httpx pool (see TeacherClient.__init__)


class TeacherError(Exception):
    """A request that failed for good: `reason` is a code from wenforge.core.reasons."""

    def __init__(self, reason: str, detail: str, attempts: int):
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail
        self.attempts = attempts


class _HTTPStatus(Exception):
    def __init__(self, status: int, retry_after: str | None, body: str):
        super().__init__(f"HTTP {status}")
        self.status, self.retry_after, self.body = status, retry_after, body


class _Malformed(Exception):
    pass


@dataclass
class ClientStats:
    attempts: int = 0
    succeeded: int = 0
    failed: Counter = field(default_factory=Counter)  # reason -> requests given up
    retries: Counter = field(default_factory=Counter)  # reason -> retried attempts
    backoff_s: float = 0.0
    prompt_tokens: int = 0
    completion_tokens: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "attempts": self.attempts,
            "succeeded": self.succeeded,
            "failed": dict(self.failed),
            "retries": dict(self.retries),
            "backoff_s": round(self.backoff_s, 3),
            "prompt_tokens": self.prompt_tokens,
            "completion_tokens": self.completion_tokens,
        }


def _status_reason(status: int, retry_after: float | None, body: str) -> tuple[str, bool, float | None, str]:
    """(reason, retryable, retry_after, detail) for an HTTP error status, whichever transport saw it."""
    detail = f"HTTP {status} {body}".strip()
    if status == 429:
        return R.RATE_LIMITED, True, retry_after, detail
    if status >= 500 or status in RETRYABLE_STATUS:
        return R.SERVER_ERROR, True, retry_after, detail
    if status in (401, 403):
        return R.AUTH_ERROR, False, None, f"HTTP {status}"  # no body: it may echo the key
    return R.CLIENT_ERROR, False, None, detail


def parse_retry_after(value: str | None) -> float | None:
    """Seconds from a Retry-After header (delta-seconds or an HTTP date), None if absent/unreadable."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        dt = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, dt.timestamp() - time.time())


def backoff_delay(attempt: int, base: float, cap: float, retry_after: float | None = None,
                  retry_after_max: float = 120.0, rng: random.Random | None = None) -> float:
    """Delay before retry number `attempt` (0-based): equal-jitter exponential, or the server's Retry-After.

    Exponential: d = min(cap, base * 2**attempt), sleep uniformly in [d/2, d].
    Retry-After: sleep that long (capped at retry_after_max) plus up to 10% jitter, never less.
    """
    rng = rng or random
    if retry_after is not None:
        ra = min(retry_after, retry_after_max)
        return ra + rng.uniform(0, 0.1 * ra if ra > 0 else 0.05)
    d = min(cap, base * (2**attempt))
    return d / 2 + rng.uniform(0, d / 2)


def validate_completion(data: Any) -> str | None:
    """None when `data` looks like a chat completion, else what is wrong with it."""
    if not isinstance(data, dict):
        return f"body is {type(data).__name__}, not a JSON object"
    choices = data.get("choices")
    if not isinstance(choices, list) or not choices:
        return "no `choices` list"
    for i, ch in enumerate(choices):
        if not isinstance(ch, dict) or not isinstance(ch.get("message"), dict):
            return f"choices[{i}] has no `message` object"
        msg = ch["message"]
        if msg.get("content") is not None and not isinstance(msg.get("content"), str):
            return f"choices[{i}].message.content is not a string"
    return None


class TeacherClient:
    """POST /chat/completions with bounded concurrency, timeouts and retries. Use as an async context."""

    def __init__(
        self,
        *,
        base_url: str,
        api_key: str,
        concurrency: int = 16,
        timeout: float = 120.0,
        max_retries: int = 6,
        backoff_base: float = 0.5,
        backoff_max: float = 30.0,
        retry_after_max: float = 120.0,
        seed: int | None = None,
        transport: str = "httpx",
    ):
        try:
            import httpx2
        except ImportError as e:  # the `distill` extra is not installed
            raise RuntimeError("wenforge distill needs the `distill` extra (httpx2, openai): "
                               "pip install 'wenforge[distill]'") from e
        self._httpx = httpx2
        self._openai = None
        self.transport = transport
        self._api_key = api_key  # kept in memory only; never in repr, logs or files
        self._base_url = base_url.rstrip("/")
        self._client = None
        self._http: list[Any] = []
        if transport == "openai":
            import openai

            self._openai = openai
            # the SDK's own pool (1000 connections); concurrency is bounded by self.sem
            self._client = openai.AsyncOpenAI(base_url=base_url, api_key=api_key, timeout=timeout, max_retries=0)
        else:
            # httpcore scans its whole pool on every request (O(connections)); with 64+ connections
            # that scan dominated the client's CPU, so connections are sharded over small pools.
            shards = max(1, (concurrency + _SHARD - 1) // _SHARD)
            per = (concurrency + shards - 1) // shards + 2
            # one TLS context for all pools (building one loads the CA bundle: ~50 ms each)
            verify: Any = ssl.create_default_context() if self._base_url.startswith("https") else False
            self._http = [
                httpx2.AsyncClient(
                    base_url=self._base_url, timeout=timeout, verify=verify,
                    limits=httpx2.Limits(max_connections=per, max_keepalive_connections=per),
                    headers={"Authorization": f"Bearer {api_key}", "Content-Type": "application/json",
                             "Accept": "application/json", "User-Agent": "wenforge-distill"},
                )
                for _ in range(shards)
            ]
            self._next = 0
        self.sem = asyncio.Semaphore(concurrency)
        self.max_retries = max_retries
        self.backoff_base = backoff_base
        self.backoff_max = backoff_max
        self.retry_after_max = retry_after_max
        self.rng = random.Random(seed)
        self.stats = ClientStats()

    def __repr__(self) -> str:
        return f"TeacherClient(base_url={redact_url(self._base_url)!r}, transport={self.transport!r})"

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc) -> None:
        await self.close()

    async def close(self) -> None:
        if self._client is not None:
            await self._client.close()
        for h in self._http:
            await h.aclose()

    def _classify(self, e: BaseException) -> tuple[str, bool, float | None, str]:
        """(reason, retryable, retry_after, detail) for an exception from one attempt."""
        o, hx = self._openai, self._httpx
        if isinstance(e, _HTTPStatus):
            return _status_reason(e.status, parse_retry_after(e.retry_after), e.body[:200])
        if isinstance(e, hx.TimeoutException):
            return R.TIMEOUT, True, None, "request timed out"
        if isinstance(e, hx.TransportError):
            return R.CONNECTION_ERROR, True, None, f"{type(e).__name__}: {e}"[:200]
        if isinstance(e, (json.JSONDecodeError, UnicodeDecodeError, _Malformed)):
            return R.MALFORMED_RESPONSE, True, None, f"{type(e).__name__}: {e}"[:200]
        if isinstance(e, asyncio.TimeoutError):
            return R.TIMEOUT, True, None, "request timed out"
        if o is None:
            return R.CONNECTION_ERROR, True, None, f"{type(e).__name__}: {e}"[:200]
        if isinstance(e, o.APITimeoutError):
            return R.TIMEOUT, True, None, "request timed out"
        if isinstance(e, o.APIConnectionError):
            cause = e.__cause__ or e.__context__
            return R.CONNECTION_ERROR, True, None, f"{type(cause).__name__ if cause else 'connection'}: {cause or e}"[:200]
        if isinstance(e, o.APIStatusError):
            status = e.status_code
            retry_after = parse_retry_after(e.response.headers.get("retry-after"))
            body = ""
            with contextlib.suppress(Exception):
                body = e.response.text[:200]
            return _status_reason(status, retry_after, body)
        if isinstance(e, (json.JSONDecodeError, UnicodeDecodeError, _Malformed, o.APIResponseValidationError)):
            return R.MALFORMED_RESPONSE, True, None, f"{type(e).__name__}: {e}"[:200]
        if isinstance(e, asyncio.TimeoutError):
            return R.TIMEOUT, True, None, "request timed out"
        return R.CONNECTION_ERROR, True, None, f"{type(e).__name__}: {e}"[:200]

    async def _attempt(self, body: dict[str, Any]) -> dict[str, Any]:
        async with self.sem:
            self.stats.attempts += 1
            if self._http:
                payload = json.dumps(body, ensure_ascii=False).encode("utf-8")
                self._next = (self._next + 1) % len(self._http)
                resp = await self._http[self._next].post("/chat/completions", content=payload)
                content = resp.content
                if resp.status_code >= 400:
                    raise _HTTPStatus(resp.status_code, resp.headers.get("retry-after"),
                                      content.decode("utf-8", "replace"))
            else:
                extra = {k: v for k, v in body.items() if k not in ("model", "messages")}
                raw = await self._client.chat.completions.with_raw_response.create(
                    model=body["model"], messages=body["messages"], extra_body=extra or None
                )
                content = await _read_content(raw)
        data = json.loads(content)
        problem = validate_completion(data)
        if problem:
            raise _Malformed(problem)
        return data

    async def chat(self, body: dict[str, Any]) -> dict[str, Any]:
        """One chat completion (the raw JSON dict), retried as configured; raises TeacherError."""
        attempt = 0
        while True:
            try:
                data = await self._attempt(body)
            except asyncio.CancelledError:
                raise
            except Exception as e:  # noqa: BLE001 - classified below
                reason, retryable, retry_after, detail = self._classify(e)
                # bodies and errors may echo the key or the URL's credentials
                detail = redact_text(detail, [self._api_key, *url_secrets(self._base_url)])
                if not retryable or attempt >= self.max_retries:
                    self.stats.failed[reason] += 1
                    raise TeacherError(reason, detail, attempt + 1) from None
                self.stats.retries[reason] += 1
                delay = backoff_delay(
                    attempt, self.backoff_base, self.backoff_max, retry_after, self.retry_after_max, self.rng
                )
                self.stats.backoff_s += delay
                attempt += 1
                await asyncio.sleep(delay)
                continue
            self.stats.succeeded += 1
            usage = data.get("usage") or {}
            if isinstance(usage, dict):
                self.stats.prompt_tokens += int(usage.get("prompt_tokens") or 0)
                self.stats.completion_tokens += int(usage.get("completion_tokens") or 0)
            return data


async def _read_content(raw: Any) -> bytes:
    """Body bytes of a raw SDK response (the legacy raw response has already read it)."""
    http = raw.http_response
    try:
        return http.content
    except Exception:  # noqa: BLE001 - not read yet (streaming response object)
        return await http.aread()
