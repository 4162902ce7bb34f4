"""The one line-chart implementation (``Page.line_chart``) used by the train and forge reports."""

from __future__ import annotations

import re

from wenforge.report.page import Page


def test_line_chart_escapes_labels_and_draws_points():
    page = Page("t").line_chart(
        "<script>alert(1)</script>", {"a<b>": [0.0, 0.5, None, 1.0], "c&d": [1.0, 0.0]}, x=[0, 1, 2, 3]
    )
    svg = page.parts[-1]
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert "a&lt;b&gt;" in svg and "c&amp;d" in svg
    lines = re.findall(r"points='([^']*)'", svg)
    assert len(lines) == 2
    assert len(lines[0].split()) == 3  # the None is skipped
    assert len(lines[1].split()) == 2


def test_line_chart_fixed_range_and_empty():
    svg = Page("t").line_chart("acc", {"x": [0.2, 0.4]}, y_range=(0, 1), x_label="round").parts[-1]
    assert ">1</text>" in svg and ">0</text>" in svg and "round 0" in svg and "round 1" in svg
    empty = Page("t").line_chart("nothing", {"x": []})
    assert "(no data)" in empty.parts[-1]
