"""One vocabulary of reason codes: every code used by the packages is registered once and described."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from wenforge.core import reasons as R

SRC = Path(__file__).resolve().parents[2] / "src" / "wenforge"


def test_codes_are_unique_described_and_checked():
    assert len(R.REASONS) == len(R._REASONS), "a code is defined twice"
    assert all(r.description and r.stage for r in R.REASONS.values())
    assert R.check(R.BAIT) == "bait" and R.describe("stitched").startswith("paragraph unrelated")
    assert R.describe("gopher_short_doc") == ""  # datatrove's own filter reasons pass through undescribed
    with pytest.raises(ValueError, match="unknown reason code 'baitt'"):
        R.check("baitt")


def test_every_constant_names_a_registered_code():
    constants = {k: v for k, v in vars(R).items() if k.isupper() and isinstance(v, str)}
    assert constants and all(v in R.REASONS for v in constants.values())
    assert R.INJECTION_CODES == {r.code for r in R.REASONS.values() if r.injected}
    assert set(R.of_stage("clean")) >= {R.BAIT, R.NO_CONTENT} and R.MALFORMED_JSON in R.of_stage("input")


def test_no_package_keeps_its_own_reason_table():
    """The old per-package tables (and their three names for a bad JSON line) are gone."""
    assert [p.parent.name for p in SRC.glob("*/reasons.py")] == ["core"]
    for f in SRC.rglob("*.py"):
        for node in ast.walk(ast.parse(f.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and node.value in ("malformed_input", "bad_json", "bad_input"):
                pytest.fail(f"{f.relative_to(SRC)}:{node.lineno}: old reason code {node.value!r}")
