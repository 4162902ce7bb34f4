import pytest

from wenforge.pipeline.config import ConfigError, load_config


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


def test_missing_required_and_bad_yaml(tmp_path, write_config):
    with pytest.raises(ConfigError, match="input"):
        load_config(write_config(tmp_path, "name: x\n"))
    with pytest.raises(ConfigError, match=r"pipeline.yaml:3: invalid YAML"):
        load_config(write_config(tmp_path, "input:\n  paths: [a\n  b: ]]\n"))
    with pytest.raises(ConfigError, match="not found"):
        load_config(tmp_path / "nope.yaml")


def test_defaults_are_fineweb2_cmn_hani(tmp_path, write_config):
    cfg = load_config(write_config(tmp_path, "input:\n  paths: a.jsonl\n"))
    assert cfg.input.paths == ["a.jsonl"]
    assert cfg.quality.zh.dup_line_frac == 0.287 and cfg.quality.zh.line_punct_thr == 0.106
    assert cfg.resolve("a.jsonl") == tmp_path / "a.jsonl"
