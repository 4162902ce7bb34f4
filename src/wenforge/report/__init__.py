"""Self-contained HTML report pages: every piece of data text is escaped, plots are inline SVG."""

from wenforge.report.page import Page

__all__ = ["Page"]
