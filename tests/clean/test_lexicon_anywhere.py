"""The cleaner and the safety detector give the same result from any working directory (issue 13's first
finding: outside the checkout the shared lexicons were silently empty and a spam page scored 0.31)."""

import json
import subprocess
import sys

import pytest

from wenforge.clean import lexicon

PAGE = ("本市今日召开交通安全会议，部署冬季道路整治工作。\n"
        "澳门赌场在线注册送彩金，真人百家乐，六合彩开奖，网络赌博，博彩平台，时时彩，老虎机，赌球，特码，娱乐城开户")


def _scores(cwd, env=None) -> dict:
    code = ("import json; from wenforge.clean.page import clean_page; from wenforge.eval.detectors.safety import "
            f"safety_check; r = clean_page({PAGE!r}); print(json.dumps([r.spam_score, safety_check({PAGE!r})"
            "['safety_score']]))")
    out = subprocess.run([sys.executable, "-c", code], cwd=cwd, env=env, capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_same_scores_from_the_checkout_and_from_an_empty_folder(tmp_path):
    """A user's machine has no shared data folder: point WENFORGE_DATA at an empty one and run from elsewhere."""
    import os

    empty = tmp_path / "no-shared-data"
    empty.mkdir()
    here = _scores(None)
    there = _scores(tmp_path, env={**os.environ, "WENFORGE_DATA": str(empty)})
    assert here == there
    assert here[0] > 0.5 and here[1] > 0.5


def test_a_missing_lexicon_is_an_error_not_an_empty_matcher(monkeypatch, tmp_path):
    monkeypatch.setattr(lexicon, "LEXICON_DIR", tmp_path)
    lexicon.shared_matcher.cache_clear()
    try:
        with pytest.raises(FileNotFoundError, match="missing from"):
            lexicon.shared_matcher()
    finally:
        lexicon.shared_matcher.cache_clear()
