"""Every key of an evaluation config, changed in the YAML file, changes what `run_eval` scores or writes.

Each test writes two config files that differ in one key, evaluates the same outputs with both and compares.
The `generate` keys are checked where generation consumes them: the endpoint client and the local model call.
"""

from __future__ import annotations

import json
import types

import pytest
import yaml

from wenforge.core.config import ConfigError
from wenforge.core.paths import data_folder
from wenforge.eval.evaluate import EvalConfig, GenerateConfig, load_config, run_eval
from wenforge.eval.feedback import FeedbackConfig

ROWS = [
    {"id": "a", "prompt": "一加一等于几？", "completion": "答：2\n所以\n答案：2", "answer": "2", "category": "add"},
    {"id": "b", "prompt": "二加二等于几？", "completion": "\\boxed{5}", "answer": "4", "category": "add"},
    {"id": "c", "prompt": "介绍你自己。", "completion": "我1990年出生。", "category": "bio"},
    {"id": "d", "prompt": "写一句诗。", "completion": "春风又绿江南岸，明月何时照我还。", "category": "poem",
     "best_answers": ["春风又绿江南岸"], "wrong_answers": ["秋风扫落叶"]},
]
FACTS = {"reference_date": "2024-06-01", "subject": "我",
         "facts": [{"subject": "我", "relation": "born", "start": 1987},
                   {"subject": "我", "relation": "studied_at", "object": "清华大学", "start": 2005, "end": 2009}]}


@pytest.fixture
def folder(tmp_path):
    (tmp_path / "outputs.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in ROWS), "utf-8")
    (tmp_path / "two.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in ROWS[:2]), "utf-8")
    (tmp_path / "facts.yaml").write_text(yaml.safe_dump(FACTS, allow_unicode=True), encoding="utf-8")
    other = {**FACTS, "facts": [{**FACTS["facts"][0], "start": 1990}, FACTS["facts"][1]]}  # born 1990: consistent
    (tmp_path / "facts_1990.yaml").write_text(yaml.safe_dump(other, allow_unicode=True), encoding="utf-8")
    return tmp_path


def _eval(folder, keys: dict, name: str) -> dict:
    """run_eval on a config file NAME.yaml in `folder` (outputs and output_dir relative to it)."""
    body = {"outputs": "outputs.jsonl", "output_dir": f"ev-{name}", "detectors": [], "literary": False, **keys}
    path = folder / f"{name}.yaml"
    path.write_text(yaml.safe_dump(body, allow_unicode=True), encoding="utf-8")
    return run_eval(load_config(path))


def _rows(res) -> list[dict]:
    return [json.loads(x) for x in open(f"{res['out_dir']}/rows.jsonl", encoding="utf-8")]


CASES = [
    # key, changed value, keys of both configs, what to observe in run_eval's result
    ("outputs", "two.jsonl", {}, lambda r: r["eval"]["overall"]["n"]),
    ("output_dir", "elsewhere", {}, lambda r: r["out_dir"].rsplit("/", 1)[-1]),
    ("answer_format", "zh_answer_line", {}, lambda r: [x.get("reward") for x in _rows(r)]),
    ("detectors", ["values", "hallucination"], {}, lambda r: r["eval"]["detectors"]),
    ("values_profile", "children_education", {"detectors": ["values"]},
     lambda r: {x["detectors"]["values"]["values_rule"]["profile"] for x in _rows(r)}),
    ("facts", "facts_1990.yaml", {"detectors": ["facts"], "facts": "facts.yaml"},
     lambda r: [len(x["detectors"]["facts"]["contradictions"]) for x in _rows(r)]),
    ("grammar_prior", 0.9, {"detectors": ["grammar"]}, lambda r: [x["detectors"]["grammar"]["grammar_error"]
                                                                 for x in _rows(r)]),
    ("literary", True, {}, lambda r: "literary_score" in r["eval"]["overall"]),
    ("halluqa", False, {}, lambda r: [bool(x.get("halluqa")) for x in _rows(r)]),
    ("worst_k", 1, {}, lambda r: len(r["eval"]["worst"])),
    ("feedback", {"gain": 0.0}, {}, lambda r: r["feedback"]["next_weights"]),
    ("feedback", {"max_step": 0.05}, {}, lambda r: r["feedback"]["next_weights"]),
    ("feedback", {"min_weight": 0.4}, {}, lambda r: r["feedback"]["next_weights"]),
    ("feedback", {"max_distill": 0}, {}, lambda r: len(r["feedback"]["distill"])),
    ("feedback", {"weights": {"category": {"add": 0.8, "bio": 0.1, "poem": 0.1}}}, {},
     lambda r: r["feedback"]["next_weights"]),
]


@pytest.mark.parametrize(("key", "value", "base", "observe"), CASES,
                         ids=[f"{c[0]}.{next(iter(c[1]))}" if c[0] == "feedback" else c[0] for c in CASES])
def test_keys_change_the_evaluation(folder, key, value, base, observe):
    before = observe(_eval(folder, base, "a"))
    after = observe(_eval(folder, {**base, key: value}, "b"))
    assert before != after, (key, before, after)


def test_style_keys(folder):
    """style_profile (relative to the config) adds style_match per row; feedback.style_floor decides which
    of those count as style failures."""
    from wenforge.style import build_profile, save_profile

    save_profile(build_profile(["春风又绿江南岸，明月何时照我还。", "床前明月光，疑是地上霜。",
                                "白日依山尽，黄河入海流。", "两个黄鹂鸣翠柳，一行白鹭上青天。"]), folder / "poems.json")
    plain = _eval(folder, {}, "plain")
    styled = _eval(folder, {"style_profile": "poems.json"}, "styled")
    assert all("style_match" not in x for x in _rows(plain)) and all("style_match" in x for x in _rows(styled))
    failed = [sum("style" in x["failed"] for x in _eval(folder, {"style_profile": "poems.json",
                                                               "feedback": {"style_floor": floor}}, f"f{floor}")
                  ["feedback"]["distill"]) for floor in (0.0, 1.0)]
    assert failed[0] == 0 and failed[1] > 0


def test_halluqa_data_judges_rows_that_give_only_a_question_id(folder):
    qid = json.loads((data_folder() / "hallucination" / "HalluQA.json").read_text(encoding="utf-8"))[0]
    row = {"id": "q", "prompt": qid.get("Question", ""), "completion": "不知道。", "question_id": qid["question_id"]}
    (folder / "outputs.jsonl").write_text(json.dumps(row, ensure_ascii=False) + "\n", encoding="utf-8")
    without = _eval(folder, {}, "without")
    with_data = _eval(folder, {"halluqa_data": str(data_folder())}, "with")
    assert without["eval"]["notes"] and not _rows(without)[0].get("halluqa")
    assert not with_data["eval"]["notes"] and "hallucinated" in _rows(with_data)[0]["halluqa"]


def test_paths_are_relative_to_the_config_file(folder, monkeypatch, tmp_path_factory):
    monkeypatch.chdir(tmp_path_factory.mktemp("elsewhere"))
    path = folder / "c.yaml"
    path.write_text("outputs: outputs.jsonl\nfacts: facts.yaml\nstyle_profile: p.json\nhalluqa_data: data\n"
                    "generate: {prompts: prompts.jsonl, model: tiny-model}\n", encoding="utf-8")
    (folder / "tiny-model").mkdir()
    cfg = load_config(path)
    assert (cfg.outputs, cfg.facts, cfg.style_profile) == tuple(str(folder / n) for n in ("outputs.jsonl", "facts.yaml",
                                                                                         "p.json"))
    assert cfg.halluqa_data == str(folder / "data") and cfg.output_dir == str(folder / "eval-out")
    assert cfg.generate.prompts == str(folder / "prompts.jsonl") and cfg.generate.model == str(folder / "tiny-model")
    path.write_text("outputs: o.jsonl\ngenerate: {prompts: p.jsonl, model: Qwen/Qwen2.5-0.5B}\n", encoding="utf-8")
    assert load_config(path).generate.model == "Qwen/Qwen2.5-0.5B"  # a hub name stays a name


GENERATE_CASES = [
    ("model", "other-model", "model"), ("max_new_tokens", 9, "max_tokens"), ("temperature", 0.7, "temperature"),
    ("base_url", "http://10.0.0.2:8000/v1", "base_url"), ("api_key_env", "WF_EVAL_KEY_B", "api_key"),
    ("prompt_field", "question", "messages"), ("prompts", "prompts_b.jsonl", "messages"),
]


@pytest.mark.parametrize(("key", "value", "seen"), GENERATE_CASES, ids=[c[0] for c in GENERATE_CASES])
def test_generate_keys_reach_the_endpoint(folder, monkeypatch, key, value, seen):
    import openai

    calls: list[dict] = []

    class Endpoint:
        def __init__(self, base_url, api_key):
            self.chat = types.SimpleNamespace(completions=self)
            self.where = {"base_url": base_url, "api_key": api_key}

        def create(self, **kw):
            calls.append({**self.where, **kw})
            return types.SimpleNamespace(choices=[types.SimpleNamespace(message=types.SimpleNamespace(content="4"))])

    monkeypatch.setattr(openai, "OpenAI", Endpoint)
    monkeypatch.setenv("WF_EVAL_KEY_A", "key-a")
    monkeypatch.setenv("WF_EVAL_KEY_B", "key-b")
    for name, rows in (("prompts.jsonl", ROWS[:1]), ("prompts_b.jsonl", ROWS[1:2])):
        (folder / name).write_text("".join(json.dumps({**r, "question": r["prompt"] + "？"}, ensure_ascii=False)
                                           + "\n" for r in rows), encoding="utf-8")
    base = {"prompts": "prompts.jsonl", "model": "m", "base_url": "http://10.0.0.1:8000/v1",
            "api_key_env": "WF_EVAL_KEY_A"}
    for name, gen in (("a", base), ("b", {**base, key: value})):
        _eval(folder, {"outputs": None, "generate": gen}, name)
    assert len(calls) == 2 and calls[0][seen] != calls[1][seen], (key, calls)


def test_without_base_url_the_local_model_gets_the_generate_keys(folder, monkeypatch):
    from wenforge.lm import generate as lm

    calls = []
    monkeypatch.setattr(lm, "generate", lambda model, chats, **kw: calls.append((model, chats, kw)) or ["4"] * len(chats))
    (folder / "prompts.jsonl").write_text(json.dumps(ROWS[0], ensure_ascii=False) + "\n", encoding="utf-8")
    _eval(folder, {"outputs": None, "generate": {"prompts": "prompts.jsonl", "model": "m", "max_new_tokens": 5,
                                                  "temperature": 0.3}}, "local")
    (model, chats, kw), = calls
    assert model == "m" and chats[0][0]["content"] == ROWS[0]["prompt"]
    assert kw["max_new_tokens"] == 5 and kw["temperature"] == 0.3


def test_every_key_has_a_test():
    tested = {c[0] for c in CASES} | {"style_profile", "halluqa_data", "generate"}
    assert set(EvalConfig.model_fields) - tested == set()
    assert set(GenerateConfig.model_fields) - {c[0] for c in GENERATE_CASES} == set()
    feedback = {next(iter(c[1])) for c in CASES if c[0] == "feedback"} | {"style_floor"}
    assert set(FeedbackConfig.model_fields) - feedback == set()


@pytest.mark.parametrize(("body", "message"), [
    ("outputs: o.jsonl\ndetectors: [values, nope]\n", r":2: detectors\.1: unknown detector kind 'nope'"),
    ("outputs: o.jsonl\ndetectors: [ai, safety]\n", r":2: detectors\.1: detector kind 'safety' was replaced: use values"),
    ("outputs: o.jsonl\nvalues_profile: kids\n", r":2: values_profile: unknown values profile 'kids'; .*children"),
    ("worst_k: 3\n", r": outputs: give `outputs` \(a JSONL of outputs\) or `generate`"),
    ("outputs: o.jsonl\ndetectors: [facts]\n", r": facts: the 'facts' detector needs `facts: FACTS.yaml`"),
    ("outputs: o.jsonl\nanswer_format: latex\n", r":2: answer_format: Input should be 'boxed'"),
    ("outputs: o.jsonl\nfeedback:\n  gian: 2\n", r":3: feedback\.gian: unknown key; did you mean 'gain'\?"),
])
def test_bad_configs_name_the_file_line_and_key(tmp_path, body, message):
    path = tmp_path / "e.yaml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(ConfigError, match=rf"^{path}{message}"):
        load_config(path)
