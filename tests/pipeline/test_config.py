import pytest

from wenforge.core.config import ConfigError
from wenforge.pipeline.config import load_config


def test_unknown_key_names_key_and_line(tmp_path, write_config):
    cfg = write_config(tmp_path, "input:\n  paths: [a.jsonl]\nquality:\n  enabled: true\n  zh:\n    dup_line_fracc: 0.3\n")
    with pytest.raises(ConfigError) as e:
        load_config(cfg)
    msg = str(e.value)
    assert f"{cfg}:6" in msg and "quality.zh.dup_line_fracc" in msg and "unknown key" in msg


def test_wrong_type_names_key_and_line(tmp_path, write_config):
    cfg = write_config(tmp_path, "name: x\ninput:\n  paths: [a.jsonl]\nlangid:\n  min_score: high\n")
    with pytest.raises(ConfigError) as e:
        load_config(cfg)
    assert f"{cfg}:5: langid.min_score" in str(e.value)


def test_unknown_values_profile_names_key_line_and_the_known_profiles(tmp_path, write_config):
    cfg = write_config(tmp_path, "input:\n  paths: [a.jsonl]\nvalues:\n  enabled: true\n  profile: kids\n")
    with pytest.raises(ConfigError) as e:
        load_config(cfg)
    msg = str(e.value)
    assert f"{cfg}:5: values.profile" in msg and "unknown values profile 'kids'" in msg and "medical_advice" in msg


def test_missing_required_and_bad_yaml(tmp_path, write_config):
    with pytest.raises(ConfigError, match="input"):
        load_config(write_config(tmp_path, "name: x\n"))
    with pytest.raises(ConfigError, match=r"pipeline.yaml:3: invalid YAML"):
        load_config(write_config(tmp_path, "input:\n  paths: [a\n  b: ]]\n"))
    with pytest.raises(ConfigError, match="not found"):
        load_config(tmp_path / "nope.yaml")


def test_defaults_are_fineweb2_cmn_hani(tmp_path, write_config):
    cfg = load_config(write_config(tmp_path, "input:\n  paths: a.jsonl\n"))
    assert cfg.input.paths == [str(tmp_path / "a.jsonl")]  # relative to the config file
    assert cfg.quality.zh.dup_line_frac == 0.287 and cfg.quality.zh.line_punct_thr == 0.106
    assert cfg.output.dir == str(tmp_path / "wenforge-out")


def test_numeric_keys_out_of_range_are_refused():
    """Issue 14: a negative threshold dropped every Chinese document; a zero weight floor zeroed the next weights."""
    import pytest
    from pydantic import ValidationError

    from wenforge.eval.feedback import FeedbackConfig
    from wenforge.pipeline.config import ChineseQualityConfig, EnglishQualityConfig, ExtractConfig

    bad = [(ChineseQualityConfig, {"dup_line_frac": -0.1}), (ChineseQualityConfig, {"max_non_alpha_words_ratio": 2}),
           (ChineseQualityConfig, {"min_doc_words": -5}), (EnglishQualityConfig, {"max_doc_words": 0}),
           (ExtractConfig, {"min_chars": -1}), (FeedbackConfig, {"min_weight": 0}), (FeedbackConfig, {"gain": -1}),
           (FeedbackConfig, {"max_step": 0})]
    for cls, kw in bad:
        with pytest.raises(ValidationError, match=next(iter(kw))):
            cls(**kw)
    assert ChineseQualityConfig(dup_line_frac=0.3).dup_line_frac == 0.3
