"""The one vocabulary of distillation outcomes: every exclusion and rejection reason, by code.

Used by name in the excluded/ files, stats.json and the report.
"""

from __future__ import annotations

REASONS: dict[str, str] = {
    # request failures (after all retries)
    "rate_limited": "429 from the endpoint after all retries",
    "server_error": "5xx from the endpoint after all retries",
    "timeout": "request timed out after all retries",
    "connection_error": "could not connect / connection dropped, after all retries",
    "malformed_response": "response was not valid JSON or not a chat completion, after all retries",
    "client_error": "4xx other than 429 (bad request, unknown model, ...): not retried",
    "auth_error": "401/403 from the endpoint: check the API key env var",
    # input problems
    "bad_input": "input row has no usable prompt",
    "duplicate_id": "input row id seen before: later rows with the same id are skipped",
    # sample-level rejections (from checks)
    "empty_output": "the teacher returned no answer text",
    "truncated": "generation stopped at max_tokens (finish_reason=length)",
    "wrong_answer": "outcome reward: the final answer does not match the reference",
    "no_answer": "outcome reward: no final answer in the expected format",
    "spam": "adversarial cleaner flagged the output",
    "wrong_language": "output language differs from the expected language",
    "style_not_raised": "rewrite's style_match is not above the source's",
    "low_literary": "literary_score below literary_min",
    "content_lost": "rewrite lost numbers, names, dates or key terms of the source",
    "low_similarity": "rewrite too far from the source (char-bigram cosine below the floor)",
    "check_error": "a verifier raised an error on this sample",
    # prompt-level outcome
    "no_sample_passed": "every sample of this prompt was rejected",
}
