"""The one config loader (wenforge.core.config): path keys relative to the config file, one error class, and
`file:line: key: message` for every YAML-configured command."""

from pathlib import Path
from typing import Annotated

import pytest
from pydantic import BaseModel, ConfigDict, Field, model_validator

from wenforge.core.config import (
    ConfigError,
    ConfigPath,
    ModelPath,
    Relative,
    load_config,
    parse_config,
    problem_at,
    read_mapping,
)
from wenforge.eval.evaluate import load_config as load_eval
from wenforge.forge.rounds import load_forge_config


def test_eval_and_forge_configs_point_at_the_line(tmp_path):
    e = tmp_path / "eval.yaml"
    e.write_text("outputs: out.jsonl\nworst_k: 3\ndetektors: [ai]\n")
    with pytest.raises(ConfigError, match=rf"{e}:3: detektors: unknown key; did you mean 'detectors'"):
        load_eval(e)
    f = tmp_path / "forge.yaml"
    f.write_text("output_dir: o\nrounds: many\n")
    with pytest.raises(ConfigError, match=rf"{f}:2: rounds: "):
        load_forge_config(f)


def test_read_mapping_errors(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("a: [1,\nb: 2\n")
    with pytest.raises(ConfigError, match=r"bad.yaml:\d+: invalid YAML"):
        read_mapping(bad)
    lst = tmp_path / "list.yaml"
    lst.write_text("- 1\n- 2\n")
    with pytest.raises(ConfigError, match="must be a mapping"):
        read_mapping(lst)
    with pytest.raises(ConfigError, match="not found"):
        read_mapping(tmp_path / "none.yaml")


def _alias_bomb(levels: int = 9) -> str:
    """A few hundred bytes of YAML whose aliases expand to 9**levels nodes."""
    lines = ['l0: &l0 ["x","x","x","x","x","x","x","x","x"]']
    for i in range(1, levels):
        lines.append(f"l{i}: &l{i} [" + ",".join([f"*l{i - 1}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def _loaders():
    """Every command's YAML reader with the error class it raises (each must refuse an alias bomb)."""
    from wenforge.clean.config import load_clean_config
    from wenforge.distill.config import load_config as load_distill
    from wenforge.distill.templates import TemplateError, load_template
    from wenforge.eval.detectors.facts import FactSheetError, load_facts
    from wenforge.mix.mixture import MixConfig
    from wenforge.pipeline.config import load_config as load_pipeline
    from wenforge.style.taxonomy import TaxonomyError, load_taxonomy
    from wenforge.train.config import load_recipe

    return [
        (read_mapping, ConfigError), (load_eval, ConfigError), (load_forge_config, ConfigError),
        (lambda p: load_config(p, MixConfig), ConfigError), (load_distill, ConfigError), (load_pipeline, ConfigError),
        (load_clean_config, ConfigError), (load_template, TemplateError), (load_facts, FactSheetError),
        (load_taxonomy, TaxonomyError), (lambda p: load_recipe(p, "sft"), ConfigError),
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


# ------------------------------------------------------------------------------------- the one loader

class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid")
    dir: ConfigPath = "out"
    samples: int = Field(8, ge=0)


class _Cfg(BaseModel):
    model_config = ConfigDict(extra="forbid")
    inputs: list[ConfigPath] = Field(default_factory=list)
    data: Annotated[Path, Relative()] | None = None
    model: ModelPath | None = None
    name: str = "run"
    output: _Out = Field(default_factory=_Out)
    extra: _Out | None = None

    @model_validator(mode="after")
    def _no_self_reference(self):
        if self.name == "self":
            raise problem_at("name", "a run cannot be named 'self'")
        return self


def _write(tmp_path, text: str, name: str = "cfg/c.yaml") -> Path:
    p = tmp_path / name
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(text, encoding="utf-8")
    return p


def test_path_keys_resolve_against_the_config_folder_not_the_working_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "cfg" / "local-model").mkdir(parents=True)
    p = _write(tmp_path, "inputs: [a.jsonl, /abs/b.jsonl, 'shards/*.jsonl']\ndata: d\nmodel: local-model\n"
                         "name: ../not-a-path\nextra: {dir: x}\n")
    cfg = load_config(p, _Cfg)
    base = tmp_path / "cfg"
    assert cfg.inputs == [str(base / "a.jsonl"), "/abs/b.jsonl", str(base / "shards/*.jsonl")]
    assert cfg.data == base / "d" and isinstance(cfg.data, Path)
    assert cfg.model == str(base / "local-model")  # it exists there
    assert cfg.name == "../not-a-path"  # not a path key
    assert cfg.output.dir == str(base / "out")  # a default path is relative to the config file too
    assert cfg.extra.dir == str(base / "x")  # inside an optional nested section
    hub = load_config(_write(tmp_path, "model: Qwen/Qwen2.5-0.5B\ndata: ~/x.jsonl\n"), _Cfg)
    assert hub.model == "Qwen/Qwen2.5-0.5B" and hub.data == Path.home() / "x.jsonl"
    assert hub.extra is None  # an absent optional section stays absent


def test_overrides_set_nested_keys_and_stay_relative_to_the_working_folder(tmp_path):
    p = _write(tmp_path, "output: {samples: 2}\n")
    cfg = load_config(p, _Cfg, overrides={"output.dir": "mine", "name": "x", "data": "rel"})
    assert cfg.output.dir == "mine" and cfg.output.samples == 2 and cfg.data == Path("rel") and cfg.name == "x"
    with pytest.raises(ConfigError, match=r"^command line: output\.samples: Input should be greater than or equal"):
        load_config(p, _Cfg, overrides={"output.samples": -1})


def test_one_line_per_problem_with_file_line_and_key(tmp_path):
    p = _write(tmp_path, "name: r\noutput:\n  dri: x\n  samples: -1\nsurplus: 1\n")
    with pytest.raises(ConfigError) as e:
        load_config(p, _Cfg)
    lines = str(e.value).splitlines()
    assert lines == [f"{p}:3: output.dri: unknown key; did you mean 'dir'?",
                     f"{p}:4: output.samples: Input should be greater than or equal to 0",
                     f"{p}:5: surplus: unknown key (check the spelling)"]


def test_a_model_validator_points_at_its_key(tmp_path):
    p = _write(tmp_path, "inputs: []\nname: self\n")
    with pytest.raises(ConfigError, match=rf"^{p}:2: name: a run cannot be named 'self'$"):
        load_config(p, _Cfg)


def test_an_inline_mapping_gets_the_same_messages(tmp_path):
    cfg = parse_config({"inputs": ["a"], "output": {"dir": "o"}}, _Cfg, source="forge train settings",
                       base_dir=tmp_path)
    assert cfg.inputs == [str(tmp_path / "a")] and cfg.output.dir == str(tmp_path / "o")
    assert parse_config({"inputs": ["a"]}, _Cfg, source="flags").inputs == ["a"]  # no folder: as given
    with pytest.raises(ConfigError, match=r"^forge train settings: output\.dri: unknown key; did you mean 'dir'\?$"):
        parse_config({"output": {"dri": 1}}, _Cfg, source="forge train settings")
    with pytest.raises(ConfigError, match="must be a mapping"):
        parse_config(["a"], _Cfg, source="x")  # type: ignore[arg-type]
    data = {"output": {"dir": "o"}}
    parse_config(data, _Cfg, source="x", base_dir=tmp_path, overrides={"output.samples": 1})
    assert data == {"output": {"dir": "o"}}  # the caller's mapping is left as it was


def test_one_config_error_class_in_the_package():
    """No package defines its own ConfigError / EvalConfigError / YamlConfigError: they all raise the core one."""
    import ast

    src = Path(__file__).resolve().parents[2] / "src" / "wenforge"
    defined = [(p.relative_to(src), n.name) for p in src.rglob("*.py")
               for n in ast.walk(ast.parse(p.read_text(encoding="utf-8")))
               if isinstance(n, ast.ClassDef) and n.name.endswith("ConfigError")]
    assert defined == [(Path("core/config.py"), "ConfigError")]


def test_the_cli_prints_each_problem_as_one_line_and_exits_2(tmp_path):
    """The root command turns a ConfigError into `error: file:line: key: message` lines, no traceback."""
    import typer
    from typer.testing import CliRunner

    from wenforge.cli import _Group

    app = typer.Typer(cls=_Group)
    long = "x" * 200  # never wrapped
    app.command("one")(lambda: (_ for _ in ()).throw(ConfigError(f"a.yaml:1: k: bad\na.yaml:2: {long}: bad")))
    app.command("two")(lambda: None)
    r = CliRunner().invoke(app, ["one"])
    assert r.exit_code == 2 and r.output.splitlines() == ["error: a.yaml:1: k: bad", f"error: a.yaml:2: {long}: bad"]


@pytest.mark.parametrize("args", [["run", "{p}"], ["eval", "{p}"], ["mix", "{x}", "-o", "{o}", "--config", "{p}"],
                                  ["distill", "{p}"], ["clean", "{x}", "-o", "{o}.jsonl", "--config", "{p}"],
                                  ["train", "sft", "{p}"], ["forge", "{p}"]])
def test_every_command_names_the_bad_key_and_exits_2(tmp_path, args):
    from typer.testing import CliRunner

    from wenforge.cli import app

    (tmp_path / "x.jsonl").write_text('{"id": "a", "text": "文字"}\n', encoding="utf-8")
    p = _write(tmp_path, "nonsense_key: 1\n", "bad.yaml")
    names = {"p": p, "x": tmp_path / "x.jsonl", "o": tmp_path / "o"}
    r = CliRunner().invoke(app, [a.format(**names) for a in args], env={"COLUMNS": "300"}, catch_exceptions=False)
    assert r.exit_code == 2, r.output
    assert f"{p}:1: nonsense_key: unknown key" in r.output and "Traceback" not in r.output
