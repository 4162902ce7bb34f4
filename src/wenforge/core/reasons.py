"""The one registry of reason codes: why a row, document, sample or prompt was excluded, rejected or repaired.

Every package names its outcomes with these codes and nothing else: excluded/ records, stats.json, reports,
the CLI's `--explain` and the benchmarks. A code is defined once, with the stage that emits it and what it
means; `check` refuses a code that is not here, so a typo cannot create new vocabulary. Codes of datatrove's
own filters pass through the pipeline unchanged and are not listed.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Reason:
    code: str
    description: str
    stage: str  # input | pipeline | clean | distill | rewards
    injected: bool = False  # clean: evidence of injection (counts toward the spam decision)


# input: any command that reads rows
MALFORMED_JSON = "malformed_json"
MISSING_TEXT = "missing_text_field"
EMPTY_TEXT = "empty_text"
EMPTY_FILE = "empty_file"
BINARY_FILE = "binary_file"
UNREADABLE_FILE = "unreadable_file"
UNKNOWN_FORMAT = "unknown_format"
TOO_LARGE = "too_large"
TOO_LONG = "too_long"
DUPLICATE_ID = "duplicate_id"
WRONG_FIELD_TYPE = "wrong_field_type"
# pipeline: decode / extract / normalize / language / dedup
BINARY = "binary_content"
UNDECODABLE = "undecodable"
NO_MAIN_TEXT = "no_main_text"
EMPTY_AFTER_NORMALIZE = "empty_after_normalize"
LANGUAGE_NOT_ALLOWED = "language_not_allowed"
LANGUAGE_LOW_SCORE = "language_low_score"
EXACT_DUPLICATE = "exact_duplicate"
NEAR_DUPLICATE = "near_duplicate"
BENCHMARK_CONTAMINATION = "benchmark_contamination"
# clean: adversarial cleaning
TITLE_INJECTION = "title_injection"
BAIT = "bait"
GIBBERISH = "gibberish"
HOTLIST = "hotlist"
STITCHED = "stitched"
BRAND_INJECTION = "brand_injection"
KEYWORD_STUFFING = "keyword_stuffing"
TEMPLATE_ARTIFACT = "template_artifact"
MIRROR_REPAIRED = "mirror_repaired"
SPUN_TEXT = "spun_text"
CONTENT_FARM = "content_farm"
DUPLICATE = "duplicate"
HTML_RESIDUE = "html_residue"
BOILERPLATE = "boilerplate"
NO_CONTENT = "no_content"
# mix
LABEL_MISSING = "label_missing"
LABEL_NOT_IN_MIX = "label_not_in_mix"
NOT_SELECTED = "not_selected"
RISK_EXCLUDED = "risk_excluded"
RISK_CAPPED = "risk_capped"
RISK_TOO_HIGH = "risk_too_high"
# distill: request failures, sample rejections, prompt outcome
TEMPLATE_ERROR = "template_error"
RATE_LIMITED = "rate_limited"
SERVER_ERROR = "server_error"
TIMEOUT = "timeout"
CONNECTION_ERROR = "connection_error"
MALFORMED_RESPONSE = "malformed_response"
CLIENT_ERROR = "client_error"
AUTH_ERROR = "auth_error"
EMPTY_OUTPUT = "empty_output"
TRUNCATED = "truncated"
WRONG_ANSWER = "wrong_answer"
NO_ANSWER = "no_answer"
SPAM = "spam"
WRONG_LANGUAGE = "wrong_language"
STYLE_NOT_RAISED = "style_not_raised"
LOW_LITERARY = "low_literary"
CONTENT_LOST = "content_lost"
LOW_SIMILARITY = "low_similarity"
CHECK_ERROR = "check_error"
NO_SAMPLE_PASSED = "no_sample_passed"
UNSAFE_ANSWER = "unsafe_answer"
OVER_REFUSAL = "over_refusal"
BARE_REFUSAL = "bare_refusal"
# rewards: scoring completions
NO_COMPLETION = "no_completion"
NO_GOLD_ANSWER = "no_gold_answer"

_REASONS = [
    Reason(MALFORMED_JSON, "the line is not valid JSON, not a JSON object, or not UTF-8", "input"),
    Reason(MISSING_TEXT, "the row has no string in the field the command reads (text, prompt, completion)", "input"),
    Reason(EMPTY_TEXT, "the text is empty or whitespace", "input"),
    Reason(EMPTY_FILE, "the file is empty", "input"),
    Reason(BINARY_FILE, "the file is binary, not text rows", "input"),
    Reason(UNREADABLE_FILE, "the file cannot be read (permissions, corrupt compression or Parquet)", "input"),
    Reason(UNKNOWN_FORMAT, "the file type is not one the reader knows (set input.format)", "input"),
    Reason(TOO_LARGE, "the file or record is larger than the configured limit", "input"),
    Reason(TOO_LONG, "the document is longer than the configured limit", "input"),
    Reason(DUPLICATE_ID, "the row's id was seen before: later rows with the same id are skipped", "input"),
    Reason(WRONG_FIELD_TYPE, "a field the command reads has the wrong type (a number where text belongs, ...)", "input"),
    Reason(BINARY, "the content is binary after decoding", "pipeline"),
    Reason(UNDECODABLE, "no text encoding decodes the bytes", "pipeline"),
    Reason(NO_MAIN_TEXT, "the page has no main text to extract", "pipeline"),
    Reason(EMPTY_AFTER_NORMALIZE, "nothing is left after normalisation", "pipeline"),
    Reason(LANGUAGE_NOT_ALLOWED, "the detected language is not in the allowed list", "pipeline"),
    Reason(LANGUAGE_LOW_SCORE, "the language score is below the threshold", "pipeline"),
    Reason(EXACT_DUPLICATE, "an exact duplicate of a kept document", "pipeline"),
    Reason(NEAR_DUPLICATE, "a near duplicate (MinHash) of a kept document", "pipeline"),
    Reason(BENCHMARK_CONTAMINATION, "the document holds a benchmark test item (decontaminate: the share of the item's "
           "n-grams reached the threshold); the record names the benchmark, item and span", "pipeline"),
    Reason(TITLE_INJECTION, "title line repeated with alien Latin/digit tokens or site names", "clean", True),
    Reason(BAIT, "adult / gambling / cheat / contact bait phrase (weighted lexicon + curated patterns)", "clean", True),
    Reason(GIBBERISH, "random alphanumeric or base64-like token string inside Chinese text", "clean", True),
    Reason(HOTLIST, "hot-list template line (TOPn热点, 热榜n, numbered headline + bait)", "clean", True),
    Reason(STITCHED, "paragraph unrelated to the main article (topic shift, foreign dateline)", "clean", True),
    Reason(BRAND_INJECTION, "gambling/adult brand with an action (注册/官网/入口/下载) or digits glued to a title or "
           "sentence", "clean", True),
    Reason(KEYWORD_STUFFING, "tag cloud, related-search block or list of place names with no sentences", "clean", True),
    Reason(TEMPLATE_ARTIFACT, "unfilled CMS tag or placeholder, fake source token, site watermark line", "clean", True),
    Reason(MIRROR_REPAIRED, "mirror page: pinyin glosses stripped, variant characters mapped back, converter leftovers",
           "clean", True),
    Reason(SPUN_TEXT, "text machine-spun (synonym swaps) or with characters deleted: unreadable as written", "clean", True),
    Reason(CONTENT_FARM, "machine-written or template page with no genuine article (gossip, fake notice, stub)",
           "clean", True),
    Reason(DUPLICATE, "repeated line or paragraph", "clean"),
    Reason(HTML_RESIDUE, "leftover HTML tags or entities", "clean"),
    Reason(BOILERPLATE, "editor / source / published-at / IP boilerplate line", "clean"),
    Reason(NO_CONTENT, "nothing genuine remains after cleaning", "clean"),
    # distill: request failures (after all retries), sample-level rejections, prompt-level outcome
    Reason(LABEL_MISSING, "the row has no value at the mixture's label key (column, taxonomy or metadata)", "mix"),
    Reason(LABEL_NOT_IN_MIX, "the row's label has no target share in this mixture", "mix"),
    Reason(NOT_SELECTED, "a usable row the mixture did not need to reach its budget and shares", "mix"),
    Reason(RISK_EXCLUDED, "the row carries a values risk label (TC260 area or category) the mixture excludes", "mix"),
    Reason(RISK_CAPPED, "the row carries a capped risk label whose share of the mixture is already at its cap", "mix"),
    Reason(RISK_TOO_HIGH, "the row's values_risk is above the mixture's max_risk", "mix"),
    Reason(TEMPLATE_ERROR, "the row lacks a value that the prompt template needs", "distill"),
    Reason(RATE_LIMITED, "429 from the endpoint after all retries", "distill"),
    Reason(SERVER_ERROR, "5xx from the endpoint after all retries", "distill"),
    Reason(TIMEOUT, "request timed out after all retries", "distill"),
    Reason(CONNECTION_ERROR, "could not connect / connection dropped, after all retries", "distill"),
    Reason(MALFORMED_RESPONSE, "response was not valid JSON or not a chat completion, after all retries", "distill"),
    Reason(CLIENT_ERROR, "4xx other than 429 (bad request, unknown model, ...): not retried", "distill"),
    Reason(AUTH_ERROR, "401/403 from the endpoint: check the API key env var", "distill"),
    Reason(EMPTY_OUTPUT, "the teacher returned no answer text", "distill"),
    Reason(TRUNCATED, "generation stopped at max_tokens (finish_reason=length)", "distill"),
    Reason(WRONG_ANSWER, "outcome reward: the final answer does not match the reference", "distill"),
    Reason(NO_ANSWER, "outcome reward: no final answer in the expected format", "distill"),
    Reason(SPAM, "adversarial cleaner flagged the output", "distill"),
    Reason(WRONG_LANGUAGE, "output language differs from the expected language", "distill"),
    Reason(STYLE_NOT_RAISED, "rewrite's style_match is not above the source's", "distill"),
    Reason(LOW_LITERARY, "literary_score below literary_min", "distill"),
    Reason(CONTENT_LOST, "rewrite lost numbers, names, dates or key terms of the source", "distill"),
    Reason(LOW_SIMILARITY, "rewrite too far from the source (char-bigram cosine below the floor)", "distill"),
    Reason(CHECK_ERROR, "a verifier raised an error on this sample", "distill"),
    Reason(NO_SAMPLE_PASSED, "every sample of this prompt was rejected", "distill"),
    Reason(UNSAFE_ANSWER, "values: the teacher's answer is unsafe (response_verdict `unsafe`)", "distill"),
    Reason(OVER_REFUSAL, "values: the teacher refused a prompt the values profile allows", "distill"),
    Reason(BARE_REFUSAL, "values: a bare refusal (no safe alternative) to a must-refuse prompt; kept only with "
           "values_keep_refusals", "distill"),
    Reason(NO_COMPLETION, "the row has no completion field", "rewards"),
    Reason(NO_GOLD_ANSWER, "the row has no gold answer field (needed by the outcome reward)", "rewards"),
]

REASONS: dict[str, Reason] = {r.code: r for r in _REASONS}

INJECTION_CODES = frozenset(r.code for r in _REASONS if r.injected)


def check(code: str) -> str:
    """Return `code` if registered, else raise ValueError (typos must not create new vocabulary)."""
    if code not in REASONS:
        raise ValueError(f"unknown reason code {code!r}; known: {', '.join(REASONS)}")
    return code


def describe(code: str) -> str:
    """What a code means (empty for codes outside the registry, such as datatrove filters' own)."""
    r = REASONS.get(code)
    return r.description if r else ""


def of_stage(stage: str) -> dict[str, str]:
    """code -> description for the codes one stage emits (the legend of its report)."""
    return {r.code: r.description for r in _REASONS if r.stage == stage}
