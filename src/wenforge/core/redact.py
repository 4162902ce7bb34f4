"""Secrets out of everything wenforge stores or prints: error bodies, URLs, headers.

What: `redact_url` drops a URL's user:password and masks query values whose names look like credentials;
`redact_text` masks the given secret values and anything shaped like a bearer token, an `sk-` key or a
`key=...` pair. Why: a teacher or proxy that echoes the Authorization header, or a key pasted into
`--base-url`, used to reach excluded records, stats.json and report.html.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

MASK = "***"
# Query parameter names that carry credentials in common APIs (key=, api_key=, token=, sig=, access_token=…).
_SECRET_PARAM_RE = re.compile(r"key|token|secret|sig|auth|pass|credential", re.IGNORECASE)
# Secret shapes inside free text: bearer tokens, OpenAI-style keys, and key/token assignments.
_SECRET_TEXT_RE = re.compile(
    r"(?i)((?:bearer|basic)\s+)[A-Za-z0-9._~+/=-]{6,}"
    r"|\bsk-[A-Za-z0-9_-]{8,}"
    r"|((?:api[_-]?key|access[_-]?token|token|secret|password|authorization|[?&]key)[\"']?\s*[:=]\s*[\"']?)"
    r"[^\s\"',;&}]{4,}"
)
# Secret values shorter than this are not masked by value (a 1-3 character "key" would mask ordinary text).
MIN_SECRET_LEN = 4


def redact_url(url: str) -> str:
    """The URL without user:password and with credential-like query values masked."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return redact_text(url)
    netloc = parts.netloc.rsplit("@", 1)[-1] if "@" in parts.netloc else parts.netloc
    query = urlencode([(k, MASK if _SECRET_PARAM_RE.search(k) else v) for k, v in parse_qsl(parts.query, keep_blank_values=True)],
                      safe="*")
    return redact_text(urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment)))


def url_secrets(url: str) -> list[str]:
    """The credential values a URL carries (user:password, credential-like query values), for `redact_text`."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return []
    out = [v for v in (parts.username, parts.password) if v]
    out += [v for k, v in parse_qsl(parts.query, keep_blank_values=True) if _SECRET_PARAM_RE.search(k) and v]
    return out


def redact_text(text: str, secrets: Iterable[str | None] = ()) -> str:
    """`text` with each secret value and every secret-shaped token replaced by ***."""
    for s in secrets:
        if s and len(s) >= MIN_SECRET_LEN:
            text = text.replace(s, MASK)

    def mask(m: re.Match) -> str:
        prefix = m.group(1) or m.group(2) or ""
        return prefix + MASK

    return _SECRET_TEXT_RE.sub(mask, text)
