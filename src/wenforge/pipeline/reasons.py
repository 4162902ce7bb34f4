"""Every reason a document can be excluded for, defined once (datatrove filters' own reasons pass through)."""


class Reason:
    # read
    MALFORMED_JSON = "malformed_json"
    MISSING_TEXT = "missing_text_field"
    EMPTY_TEXT = "empty_text"
    EMPTY_FILE = "empty_file"
    BINARY_FILE = "binary_file"
    UNREADABLE_FILE = "unreadable_file"
    UNKNOWN_FORMAT = "unknown_format"
    TOO_LARGE = "too_large"
    TOO_LONG = "too_long"
    # decode / extract / normalize
    BINARY = "binary_content"
    UNDECODABLE = "undecodable"
    NO_MAIN_TEXT = "no_main_text"
    EMPTY_AFTER_NORMALIZE = "empty_after_normalize"
    # language
    LANGUAGE_NOT_ALLOWED = "language_not_allowed"
    LANGUAGE_LOW_SCORE = "language_low_score"
    # dedup
    EXACT_DUPLICATE = "exact_duplicate"
    NEAR_DUPLICATE = "near_duplicate"


# the order of steps in a run; stats and reports follow it
STEP_ORDER = ["read", "decode", "extract", "normalize", "langid", "quality", "clean", "style", "exact_dedup", "minhash_dedup"]
