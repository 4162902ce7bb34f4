"""Every YAML-configured command names the file, line and key of a bad setting (wenforge.yamlconf)."""

import pytest

from wenforge.eval.evaluate import EvalConfigError
from wenforge.eval.evaluate import load_config as load_eval
from wenforge.forge.rounds import ForgeError, load_forge_config
from wenforge.yamlconf import YamlConfigError, read_mapping


def test_eval_and_forge_configs_point_at_the_line(tmp_path):
    e = tmp_path / "eval.yaml"
    e.write_text("outputs: out.jsonl\nworst_k: 3\ndetektors: [ai]\n")
    with pytest.raises(EvalConfigError, match=rf"{e}:3: detektors: unknown key"):
        load_eval(e)
    f = tmp_path / "forge.yaml"
    f.write_text("output_dir: o\nrounds: many\n")
    with pytest.raises(ForgeError, match=rf"{f}:2: rounds: "):
        load_forge_config(f)


def test_read_mapping_errors(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("a: [1,\nb: 2\n")
    with pytest.raises(YamlConfigError, match=r"bad.yaml:\d+: invalid YAML"):
        read_mapping(bad)
    lst = tmp_path / "list.yaml"
    lst.write_text("- 1\n- 2\n")
    with pytest.raises(YamlConfigError, match="must be a mapping"):
        read_mapping(lst)
    with pytest.raises(YamlConfigError, match="not found"):
        read_mapping(tmp_path / "none.yaml")
