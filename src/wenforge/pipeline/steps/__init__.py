"""wenforge's own datatrove steps, one small file each; every one is a datatrove BaseFilter, so it drops
documents with ``(False, reason)`` and feeds datatrove's stats and an exclusion writer."""

from wenforge.pipeline.steps.base import WenforgeFilter
from wenforge.pipeline.steps.decode import Decode, decode_bytes
from wenforge.pipeline.steps.extract import Extract
from wenforge.pipeline.steps.gate import ReadGate
from wenforge.pipeline.steps.langid import LanguageId, detect_language
from wenforge.pipeline.steps.normalize import Normalize
from wenforge.pipeline.steps.quality import LanguageQuality

__all__ = [
    "Decode",
    "Extract",
    "LanguageId",
    "LanguageQuality",
    "Normalize",
    "ReadGate",
    "WenforgeFilter",
    "decode_bytes",
    "detect_language",
]
