"""Personal data in Chinese text: find it (typed spans with checksums and context words) and replace it."""

from wenforge.pii.detect import PII_TYPES, Span, find_pii
from wenforge.pii.replace import MODES, PLACEHOLDERS, PIIError, check_types, count_types, hash_token, redact

__all__ = ["MODES", "PII_TYPES", "PLACEHOLDERS", "PIIError", "Span", "check_types", "count_types", "find_pii",
           "hash_token", "redact"]
