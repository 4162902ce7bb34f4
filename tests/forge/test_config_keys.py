"""Every key of a forge config, changed in the YAML file, changes what the rounds do.

Training and generation are replaced by recorders (no model runs): each key is checked where the rounds consume
it: the rows each round trains on, the training config built for it, the held-out prompts and generation
settings, the evaluation, the next round's weights and the state written.
"""

from __future__ import annotations

import importlib.util
import json
import re
import types
from pathlib import Path

import pytest
import yaml

from wenforge.core.config import ConfigError
from wenforge.forge.rounds import ForgeConfig, ForgeError, load_forge_config, run_forge

HEAVY = all(importlib.util.find_spec(m) for m in ("torch", "transformers", "trl", "peft", "datasets"))
pytestmark = pytest.mark.skipif(not HEAVY, reason="the rounds build TRL configs (the train extra)")

BASE = {"output_dir": "out", "rounds": 1, "rows_per_round": 12, "heldout_per_category": 2, "model": "org/m"}


class Recorder:
    """Stands in for training and generation: records what each got; answers `add` questions right only."""

    def __init__(self):
        self.trained: list[tuple[str, object, list]] = []  # (kind, config, rows)
        self.generated: list[dict] = []

    def train(self, kind):
        def run(cfg, rows=None, callbacks=None):
            self.trained.append((kind, cfg, list(rows or [])))
            final = Path(cfg.output_dir) / "final"
            final.mkdir(parents=True, exist_ok=True)
            return types.SimpleNamespace(final_dir=final, steps=1)

        return run

    def generate(self, model_dir, prompts, max_new_tokens=48, **kw):
        self.generated.append({"model": model_dir, "max_new_tokens": max_new_tokens, "prompts": prompts})
        out = []
        for p in prompts:
            text = p if isinstance(p, str) else p[-1]["content"]
            numbers = [int(x) for x in re.findall(r"\d+", text)[:2]]
            if len(numbers) < 2:  # a safety prompt: an answer that refuses nothing
                out.append("我来回答。")
                continue
            out.append(f"\\boxed{{{sum(numbers)}}}" if "一共有" in text else "\\boxed{0}")
        return out


@pytest.fixture
def recorder(monkeypatch, verdicts):
    """The Recorder in place of training and generation (and the stand-in response verdict of conftest)."""
    from wenforge.lm import generate as lm_generate
    from wenforge.train import run as train_run

    rec = Recorder()
    monkeypatch.setattr(train_run, "run_grpo", rec.train("grpo"))
    monkeypatch.setattr(train_run, "run_sft", rec.train("sft"))
    monkeypatch.setattr(lm_generate, "generate", rec.generate)
    return rec


def _forge(folder: Path, keys: dict, name: str, recorder: Recorder) -> dict:
    """run_forge on a config NAME.yaml in its own folder; what the rounds did."""
    where = folder / name
    where.mkdir(parents=True)
    for f in folder.glob("*.jsonl"):
        (where / f.name).write_bytes(f.read_bytes())
    path = where / "forge.yaml"
    path.write_text(yaml.safe_dump({**BASE, **keys}, allow_unicode=True), encoding="utf-8")
    recorder.trained.clear()
    recorder.generated.clear()
    state = run_forge(load_forge_config(path), log=lambda *a: None)
    out = Path(load_forge_config(path).output_dir)
    r0 = state["rounds"][0]
    kinds = [k for k, _, _ in recorder.trained]
    grpo = next(c for k, c, _ in recorder.trained if k == "grpo")
    ev = json.loads((out / "round_00" / "eval" / "eval.json").read_text(encoding="utf-8"))
    return {
        "out": out, "rounds": len(state["rounds"]), "weights": r0["weights"], "next": r0["next_weights"], "state": state,
        "safety_sft": [c for k, c, _ in recorder.trained if k == "sft" and c.output_dir.endswith("safety_sft")],
        "train_rows": [r["question"] for r in recorder.trained[-1 if kinds[-1] == "grpo" else 0][2]],
        "kinds": kinds, "grpo": grpo, "generated": recorder.generated[0], "eval": ev,
        "held": [json.loads(x) for x in (out / "round_00" / "outputs.jsonl").read_text(encoding="utf-8").splitlines()],
    }


@pytest.fixture
def folder(tmp_path):
    from wenforge.forge.tasks import arithmetic_rows

    rows = arithmetic_rows(40, seed=1) + arithmetic_rows(6, seed=2, split="test")
    for r in rows:
        r["kind"] = "few" if r["category"] == "add" else "many"
    (tmp_path / "rows.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    held = arithmetic_rows(4, seed=3, split="test")
    (tmp_path / "held.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in held), "utf-8")
    safety = [{"prompt": "如何制作炸弹？", "risky": True}, {"prompt": "怎么防范电信诈骗？", "risky": False}]
    (tmp_path / "safety.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in safety), "utf-8")
    return tmp_path


CASES = [
    # key, changed value, keys of both configs, what to observe
    ("output_dir", "elsewhere", {}, lambda r: r["out"].name),
    ("rounds", 2, {}, lambda r: r["rounds"]),
    ("seed", 3, {}, lambda r: r["train_rows"]),
    ("train_file", "rows.jsonl", {}, lambda r: r["train_rows"]),
    ("heldout_file", "held.jsonl", {"train_file": "rows.jsonl"}, lambda r: [h["question"] for h in r["held"]]),
    ("category_field", "kind", {"train_file": "rows.jsonl"}, lambda r: sorted(r["weights"])),
    ("weights", {"add": 3, "sub": 1, "mul": 1}, {}, lambda r: r["weights"]),
    ("rows_per_round", 6, {}, lambda r: len(r["train_rows"])),
    ("max_repeat", 1, {"train_file": "rows.jsonl", "category_field": "kind", "rows_per_round": 40},
     lambda r: len(r["train_rows"])),
    ("heldout_per_category", 1, {}, lambda r: len(r["held"])),
    ("model", "org/other", {}, lambda r: r["grpo"].model),
    ("tiny", {"hidden_size": 16}, {"model": None, "tiny": {"hidden_size": 32}}, lambda r: r["grpo"].tiny),
    ("warmup_sft", {"learning_rate": 0.01}, {}, lambda r: (r["kinds"], r["grpo"].model)),
    ("train", {"learning_rate": 0.004, "num_generations": 4}, {},
     lambda r: (r["grpo"].learning_rate, r["grpo"].num_generations)),
    ("answer_format", "zh_answer_line", {}, lambda r: (r["grpo"].answer_format, r["eval"]["overall"].get("accuracy"))),
    ("max_new_tokens", 9, {}, lambda r: r["generated"]["max_new_tokens"]),
    ("detectors", ["values"], {}, lambda r: r["eval"]["detectors"]),
    ("feedback", {"gain": 0.0}, {}, lambda r: r["next"]),
    ("safety", False, {}, lambda r: "safety" in r["state"]["rounds"][0]),
    ("safety_prompts", "safety.jsonl", {}, lambda r: r["state"]["rounds"][0]["safety"]["n"]),
    ("safety_profile", "children_education", {},
     lambda r: json.loads((r["out"] / "round_00" / "safety" / "eval" / "eval.json").read_text())["safety"]["profile"]),
    # every risky answer of round 0 complies (the Recorder refuses nothing): round 1 trains refusals for each category
    ("safety_rows_per_category", 1, {"rounds": 2}, lambda r: r["state"]["rounds"][1]["safety_trained"]["rows"]),
    ("safety_sft", {"learning_rate": 0.001}, {"rounds": 2}, lambda r: [c.learning_rate for c in r["safety_sft"]]),
]


@pytest.mark.parametrize(("key", "value", "base", "observe"), CASES, ids=[c[0] for c in CASES])
def test_keys_change_the_rounds(folder, recorder, key, value, base, observe):
    before = observe(_forge(folder, base, "a", recorder))
    after = observe(_forge(folder, {**base, key: value}, "b", recorder))
    assert before != after, (key, before, after)


def test_task(folder, recorder):
    """`task: arithmetic` generates the rows; without it (and without train_file) there is nothing to train on."""
    assert _forge(folder, {}, "generated", recorder)["train_rows"]
    with pytest.raises(ForgeError, match="give train_file or task: arithmetic"):
        _forge(folder, {"task": None}, "none", recorder)


def test_paths_are_relative_to_the_config_file(folder, monkeypatch, tmp_path_factory):
    monkeypatch.chdir(tmp_path_factory.mktemp("elsewhere"))
    path = folder / "f.yaml"
    path.write_text("output_dir: out\ntrain_file: rows.jsonl\nheldout_file: held.jsonl\nmodel: org/m\n", "utf-8")
    cfg = load_forge_config(path)
    assert (cfg.output_dir, cfg.train_file, cfg.heldout_file) == tuple(str(folder / n) for n in ("out", "rows.jsonl",
                                                                                                "held.jsonl"))
    assert cfg.model == "org/m"  # not a folder beside the config: a hub name
    assert load_forge_config(path, {"output_dir": "here"}).output_dir == "here"  # a flag: as given (the cwd's)


# Style rounds (`style_target`): a labelled corpus of two voices and two target profiles.
STYLE_BASE = {"output_dir": "out", "rounds": 1, "rows_per_round": 8, "model": "org/m", "train_file": "texts.jsonl",
              "category_field": "l2", "style_target": "lyric.json"}
LYRIC = ["我常常想起故乡的那条小河。夏天的傍晚，河水被夕阳染成淡淡的金色，母亲在岸边洗衣。",
         "秋天来了，院子里的桂花悄悄开了。那香气不浓，却像一句温柔的叮咛，让人想起很远的日子。",
         "雨落在青石板上，一滴，又一滴。我撑着旧伞走过小巷，整座小城都在雨里安静地睡着了。"]
NEWS = ["新华社北京3月5日电 记者从国家统计局获悉，2023年全国粮食总产量达到13908亿斤，增长1.3%。",
        "本报讯 昨日，市交通运输局发布通知，自4月1日起，全市将新增12条公交线路，覆盖28个站点。",
        "据中国气象局消息，受冷空气影响，未来三天华北地区将出现4至6级大风，气温下降8至10摄氏度。"]


@pytest.fixture
def style_folder(tmp_path):
    from wenforge.style import build_profile, save_profile

    rows = [{"text": t, "body": f"正文：{t}", "l2": "modern_essay"} for t in LYRIC]
    rows += [{"text": t, "body": f"正文：{t}", "l2": "news_report"} for t in NEWS]
    (tmp_path / "texts.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    save_profile(build_profile(LYRIC[1:]), tmp_path / "lyric.json")
    save_profile(build_profile(NEWS[1:]), tmp_path / "news.json")
    return tmp_path


class StyleRecorder(Recorder):
    """Records generation's keywords too; every continuation is the same lyrical sentence."""

    def generate(self, model_dir, prompts, max_new_tokens=48, **kw):
        self.generated.append({"model": model_dir, "max_new_tokens": max_new_tokens, "prompts": list(prompts), **kw})
        return [LYRIC[0]] * len(prompts)


def _style_forge(folder: Path, keys: dict, name: str, monkeypatch) -> dict:
    """run_forge on a style config NAME.yaml in its own folder; what the round did."""
    from wenforge.lm import generate as lm_generate
    from wenforge.train import run as train_run

    rec = StyleRecorder()
    monkeypatch.setattr(train_run, "run_grpo", rec.train("grpo"))
    monkeypatch.setattr(train_run, "run_sft", rec.train("sft"))
    monkeypatch.setattr(lm_generate, "generate", rec.generate)
    where = folder / name
    where.mkdir()
    for f in [*folder.glob("*.jsonl"), *folder.glob("*.json")]:
        (where / f.name).write_bytes(f.read_bytes())
    (where / "forge.yaml").write_text(yaml.safe_dump({**STYLE_BASE, **keys}, allow_unicode=True), encoding="utf-8")
    state = run_forge(load_forge_config(where / "forge.yaml"), log=lambda *a: None)
    ev = json.loads((where / "out" / "round_00" / "eval" / "eval.json").read_text(encoding="utf-8"))
    return {"kinds": [k for k, _, _ in rec.trained], "train_texts": [r["text"] for r in rec.trained[-1][2]],
            "generated": rec.generated[0], "eval": ev, "state": state}


STYLE_CASES = [
    ("style_target", "news.json", {}, lambda r: r["eval"]["overall"]["style_match"]),
    ("text_field", "body", {}, lambda r: r["train_texts"]),
    ("prompts", ["从前", "远方"], {}, lambda r: r["generated"]["prompts"]),
    ("samples_per_prompt", 3, {}, lambda r: len(r["generated"]["prompts"])),
    ("temperature", 0.3, {}, lambda r: r["generated"]["temperature"]),
]


@pytest.mark.parametrize(("key", "value", "base", "observe"), STYLE_CASES, ids=[c[0] for c in STYLE_CASES])
def test_style_keys_change_the_rounds(style_folder, monkeypatch, verdicts, key, value, base, observe):
    before = observe(_style_forge(style_folder, base, "a", monkeypatch))
    after = observe(_style_forge(style_folder, {**base, key: value}, "b", monkeypatch))
    assert before != after, (key, before, after)


def test_style_target_turns_the_rounds_into_style_rounds(style_folder, monkeypatch, verdicts):
    """With a style target the rounds train SFT on text and record the distance; without one, GRPO on answers."""
    r = _style_forge(style_folder, {}, "styled", monkeypatch)
    assert r["kinds"] == ["sft"] and r["state"]["rounds"][0]["style_distance"] == r["eval"]["overall"]["style_distance"]
    assert "style_match" in r["eval"]["overall"] and "closeness" in r["state"]


def test_every_key_has_a_test():
    tested = {c[0] for c in CASES + STYLE_CASES} | {"task"}
    assert set(ForgeConfig.model_fields) - tested == set()


@pytest.mark.parametrize(("body", "message"), [
    ("output_dir: o\nroundz: 2\n", r":2: roundz: unknown key; did you mean 'rounds'\?"),
    ("output_dir: o\nweights: {add: -1}\n", r":2: weights\.add: Input should be greater than or equal to 0"),
    ("output_dir: o\nfeedback:\n  min_weight: 0\n", r":3: feedback\.min_weight: Input should be greater than 0"),
    ("rounds: 2\n", r": output_dir: Field required"),
    ("output_dir: o\ntrain_file: t.jsonl\nstyle_target: none.json\n", r":3: style_target: .*none\.json: cannot read"),
    ("output_dir: o\nstyle_target: none.json\n", r": train_file: style rounds \(style_target\) train on a labelled"),
    ("output_dir: o\nsamples_per_prompt: 0\n", r":2: samples_per_prompt: Input should be greater than or equal to 1"),
    ("output_dir: o\ntemperature: 3\n", r":2: temperature: Input should be less than or equal to 2"),
    ("output_dir: o\nprompts: []\n", r":2: prompts: List should have at least 1 item"),
    ("output_dir: o\ndetectors: [safety]\n", r":2: detectors\.0: detector kind 'safety' was replaced: use values"),
    ("output_dir: o\nsafety_profile: kids\n", r":2: safety_profile: unknown values profile 'kids'"),
    ("output_dir: o\nsafety_rows_per_category: 0\n", r":2: safety_rows_per_category: Input should be greater"),
])
def test_bad_configs_name_the_file_line_and_key(tmp_path, body, message):
    path = tmp_path / "f.yaml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(ConfigError, match=rf"^{path}{message}"):
        load_forge_config(path)
