"""Every YAML-configured command names the file, line and key of a bad setting (wenforge.core.config)."""

import pytest

from wenforge.eval.evaluate import EvalConfigError
from wenforge.eval.evaluate import load_config as load_eval
from wenforge.forge.rounds import ForgeError, load_forge_config
from wenforge.core.config import YamlConfigError, read_mapping


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


def _alias_bomb(levels: int = 9) -> str:
    """A few hundred bytes of YAML whose aliases expand to 9**levels nodes."""
    lines = ['l0: &l0 ["x","x","x","x","x","x","x","x","x"]']
    for i in range(1, levels):
        lines.append(f"l{i}: &l{i} [" + ",".join([f"*l{i - 1}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def _loaders():
    """Every command's YAML reader with the error class it raises (each must refuse an alias bomb)."""
    from wenforge.distill.config import ConfigError
    from wenforge.distill.config import load_config as load_distill
    from wenforge.distill.templates import TemplateError, load_template
    from wenforge.eval.detectors.facts import FactSheetError, load_facts
    from wenforge.mix.mixture import MixError
    from wenforge.mix.mixture import load_config as load_mix
    from wenforge.style.taxonomy import TaxonomyError, load_taxonomy
    from wenforge.train.config import RecipeError, load_recipe

    return [
        (read_mapping, YamlConfigError), (load_eval, EvalConfigError), (load_forge_config, ForgeError),
        (load_mix, MixError), (load_distill, ConfigError), (load_template, TemplateError),
        (load_facts, FactSheetError), (load_taxonomy, TaxonomyError), (lambda p: load_recipe(p, "sft"), RecipeError),
    ]


def test_alias_bomb_is_refused_quickly_by_every_loader(tmp_path):
    import time
    import tracemalloc

    bomb = tmp_path / "bomb.yaml"
    bomb.write_text(_alias_bomb())
    assert bomb.stat().st_size < 500
    for load, err in _loaders():
        tracemalloc.start()
        t0 = time.process_time()
        with pytest.raises(err, match="alias bomb"):
            load(bomb)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        assert time.process_time() - t0 < 1.0, load
        assert peak < 50_000_000, load


def test_ordinary_aliases_still_load(tmp_path):
    from wenforge.core.config import load_yaml

    assert load_yaml("base: &b {lr: 0.1}\nrun: *b\n", "x.yaml") == {"base": {"lr": 0.1}, "run": {"lr": 0.1}}
    assert load_yaml("", "x.yaml") is None
