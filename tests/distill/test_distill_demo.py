"""The demo step: a handful of samples from the tiny local model, with accept/reject reasons in the report."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("torch")
pytest.importorskip("transformers")


def test_distill_demo_shows_reasons(tmp_path):
    from wenforge.distill.demo import DEMO_PROMPTS, run_distill_demo

    r = run_distill_demo(tmp_path, n=2, max_tokens=8)
    s = r["stats"]
    assert s["counts"]["prompts"] == len(DEMO_PROMPTS)
    assert s["excluded"].get("missing_text_field") == 1
    assert s["counts"]["samples"] == 2 * (len(DEMO_PROMPTS) - 1)
    html = Path(r["report"]).read_text(encoding="utf-8")
    for reason in s["samples_rejected_by_reason"]:
        assert reason in html
