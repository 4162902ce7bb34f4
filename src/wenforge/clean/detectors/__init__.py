"""One small detector per kind of injection; each returns ``Finding``s (spans with reason codes)."""

from wenforge.clean.detectors.common import Finding, Line, split_lines

__all__ = ["Finding", "Line", "split_lines"]
