import json

import pytest

from wenforge.mix.mixture import MixConfig, MixError, build_mixture


def test_a_share_for_a_label_with_no_documents_is_a_clear_error(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps({"id": str(i), "text": "文" * 50, "l1": "news"}) + "\n" for i in range(5)))
    with pytest.raises(MixError, match=r"no documents labelled qa .*news=5"):
        build_mixture([src], MixConfig(shares={"news": 0.5, "qa": 0.5}, budget=100))
    res = build_mixture([src], MixConfig(shares={"news": 0.5, "qa": 0.5}, budget=100, fit="budget"))
    assert res.stats["labels"]["news"]["achieved_units"] > 0
