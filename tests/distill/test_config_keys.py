"""Every key of the distill config, changed in a YAML file, changes what distillation does; a check that
cannot run is a config error naming the file, line and key, never a silent skip.

Keys are checked where their value is consumed: the request bodies, the prompt jobs, the checks, the
teacher client's settings, and (with an in-process stand-in for the teacher) the run's outputs.
"""

from __future__ import annotations

import sys
import types
from typing import ClassVar

import pytest
import yaml
from distill_helpers import read_jsonl, write_prompts

from wenforge.core.config import ConfigError
from wenforge.distill import run as distill_run
from wenforge.distill.checks import CheckContext, Sample, run_checks
from wenforge.distill.client import ClientStats
from wenforge.distill.config import DistillConfig, load_config
from wenforge.distill.templates import load_template

SOURCE = "这家工厂的机器人每天组装汽车零件，工程师负责检查机器人的电路和软件。"
REWRITE = "这家工厂的设备每天拼合汽车零件，技术员负责检查设备的线路和程序。"  # loses 机器人 and 组装
FACTS = "2023年5月3日，张伟在北京大学发表了演讲，听众有350人，占全校学生的12%。"
RESTYLED = "二〇二三年五月三日，张伟于北京大学登台发表演讲，座下听众三百五十人，约占全校学生百分之十二。"  # similarity 0.35


def _load(tmp_path, keys: dict | None = None, name: str = "distill.yaml") -> DistillConfig:
    """A distill YAML (input and output relative to it) with `keys` over it, loaded by the one loader."""
    body = {"input": "p.jsonl", "output": "out/o.jsonl", "prompt_field": "question", "checks": ["nonempty"],
            **(keys or {})}
    path = tmp_path / name
    path.write_text(yaml.safe_dump(body, allow_unicode=True), encoding="utf-8")
    return load_config(path)


# ---------------------------------------------------------------------------------------- request bodies
BODY_CASES = [
    ("model", "qwen-72b", {}), ("temperature", 0.1, {}), ("top_p", 0.5, {}), ("max_tokens", 7, {}),
    ("n", 3, {}), ("n_per_request", False, {"n": 3}), ("seed", 11, {}), ("extra_body", {"stop": ["。"]}, {}),
]


@pytest.mark.parametrize(("key", "value", "base"), BODY_CASES, ids=[c[0] for c in BODY_CASES])
def test_request_keys_change_the_bodies(tmp_path, key, value, base):
    msgs = [{"role": "user", "content": "你好"}]
    before = distill_run.request_bodies(_load(tmp_path, base, "a.yaml"), msgs)
    after = distill_run.request_bodies(_load(tmp_path, {**base, key: value}, "b.yaml"), msgs)
    assert before != after, key


# ------------------------------------------------------------------------------------------ prompt jobs
def _jobs(cfg: DistillConfig) -> list:
    template = load_template(cfg.template or ("style_transfer" if cfg.task == "style_transfer" else "generate"))
    return [(j.id, j.prompt, j.answer, j.source, j.messages) for j in distill_run.build_jobs(cfg, template, {})]


JOB_CASES = [
    ("input", "other.jsonl", {}),
    ("prompt_field", "alt", {}),
    ("id_field", "key", {}),
    ("answer_field", "final_answer", {}),
    ("system_prompt", "你是数学老师。", {}),
    ("limit", 1, {}),
    ("task", "style_transfer", {}),
    ("template", "math_cot", {}),
    ("style_labels", ["讽刺"], {"task": "style_transfer", "checks": ["content"]}),
    ("style_description", "冷峻的杂文笔法", {"task": "style_transfer", "checks": ["content"]}),
]


@pytest.mark.parametrize(("key", "value", "base"), JOB_CASES, ids=[c[0] for c in JOB_CASES])
def test_prompt_keys_change_the_jobs(tmp_path, key, value, base):
    write_prompts(tmp_path / "p.jsonl", 3, extra=lambda i: {"alt": f"另一个问题{i}", "key": f"k{i}"})
    write_prompts(tmp_path / "other.jsonl", 2)
    before = _jobs(_load(tmp_path, base, "a.yaml"))
    after = _jobs(_load(tmp_path, {**base, key: value}, "b.yaml"))
    assert before and after and before != after, key


def test_a_template_path_is_relative_to_the_config_file(tmp_path):
    (tmp_path / "mine.yaml").write_text("user: '问：{prompt}'\n", encoding="utf-8")
    write_prompts(tmp_path / "p.jsonl", 1)
    cfg = _load(tmp_path, {"template": "mine.yaml"})
    assert cfg.template == str(tmp_path / "mine.yaml")
    assert _jobs(cfg)[0][4][-1]["content"].startswith("问：第0题")


# ----------------------------------------------------------------------------------------------- checks
def _verdict(cfg: DistillConfig, names: list[str], answer_text: str, *, prompt: str = "第1题：2加2等于几？",
             answer: str | None = "4", source: str | None = None):
    return run_checks(names, Sample(answer_text), CheckContext(prompt=prompt, answer=answer, source=source, config=cfg))


def _outcome(v) -> tuple:
    return v.passed, tuple(v.reasons)


CHECK_CASES = [
    # key, value, base keys, check, answer text, source
    ("answer_format", "zh_answer_line", {"answer_field": "a"}, "outcome", "所以\n答案：4", None),
    ("language", "en", {}, "language", "答案是四。", None),
    ("literary_min", 0.99, {}, "literary", "答案是四。", None),
    ("similarity_floor", 0.9, {"task": "style_transfer"}, "content", RESTYLED, FACTS),
    ("key_terms", 0, {"task": "style_transfer"}, "content", REWRITE, SOURCE),
    ("key_term_share", 0.3, {"task": "style_transfer"}, "content", REWRITE, SOURCE),
]


@pytest.mark.parametrize(("key", "value", "base", "check", "text", "source"), CHECK_CASES,
                         ids=[c[0] for c in CHECK_CASES])
def test_check_keys_change_the_verdict(tmp_path, key, value, base, check, text, source):
    base = {**base, "checks": [check]}
    before = _outcome(_verdict(_load(tmp_path, base, "a.yaml"), [check], text, source=source))
    after = _outcome(_verdict(_load(tmp_path, {**base, key: value}, "b.yaml"), [check], text, source=source))
    assert before != after, (key, before, after)


def test_similarity_floor_decides_both_ways(tmp_path):
    """A faithful restyling (similarity 0.35) passes under a 0.3 floor and fails under 0.4."""
    for floor, passed in ((0.3, True), (0.4, False)):
        cfg = _load(tmp_path, {"task": "style_transfer", "checks": ["content"], "similarity_floor": floor})
        v = _verdict(cfg, ["content"], RESTYLED, source=FACTS)
        assert v.passed is passed and (passed or v.reasons == ["low_similarity"]), floor


@pytest.fixture
def fake_style(monkeypatch):
    """A stand-in wenforge.style: style_match counts classical particles; profiles are named by their path."""
    mod = types.ModuleType("wenforge.style")
    mod.style_match = lambda text, profile: sum(text.count(c) for c in "之乎者也") / max(1, len(text)) * 10
    mod.load_profile = lambda path: types.SimpleNamespace(name=str(path), description=f"profile {path}", labels=["文言"])
    monkeypatch.setitem(sys.modules, "wenforge.style", mod)
    return mod


def test_style_keys(tmp_path, fake_style):
    base = {"task": "style_transfer", "checks": ["style_match"], "style_profile": "wenyan.json"}
    cfg = _load(tmp_path, base)
    assert cfg.style_profile == str(tmp_path / "wenyan.json")  # relative to the config file
    assert distill_run.style_values(cfg, {})["style"] == f"profile {tmp_path / 'wenyan.json'}"
    other = _load(tmp_path, {**base, "style_profile": "/abs/luxun.json"}, "b.yaml")
    assert distill_run.style_values(other, {})["style"] == "profile /abs/luxun.json"
    src, rewrite = "桥建于古时。", "桥也，建于古时之年也。"  # raises style_match by ~2.7
    gains = [_verdict(_load(tmp_path, {**base, "style_min_gain": g}, f"g{g}.yaml"), ["style_match"], rewrite,
                      source=src).passed for g in (0.0, 5.0)]
    assert gains == [True, False]


# ---------------------------------------------------------------------------------------- client settings
class _Teacher:
    """An in-process teacher: records the client settings and answers every request with the same reply."""

    made: ClassVar[list[dict]] = []
    reply: ClassVar[dict] = {"content": "所以答案是 \\boxed{0}。", "reasoning_content": "先想一想"}

    def __init__(self, **settings):
        _Teacher.made.append(settings)
        self.stats = ClientStats()

    async def __aenter__(self):
        return self

    async def __aexit__(self, *exc):
        return None

    async def chat(self, body: dict) -> dict:
        return {"choices": [{"message": dict(_Teacher.reply), "finish_reason": "stop"} for _ in range(body.get("n", 1))]}


@pytest.fixture
def stand_in(monkeypatch):
    _Teacher.made = []
    monkeypatch.setattr(distill_run, "TeacherClient", _Teacher)
    monkeypatch.setenv("WF_TEST_KEY", "secret-a")
    monkeypatch.setenv("WF_OTHER_KEY", "secret-b")
    return _Teacher


def _run(tmp_path, keys: dict, name: str):
    write_prompts(tmp_path / "p.jsonl", 3)
    cfg = _load(tmp_path, {"api_key_env": "WF_TEST_KEY", **keys}, name)
    return distill_run.run_distill(cfg, warn=lambda m: None)


CLIENT_CASES = [
    ("base_url", "http://10.0.0.1:9000/v1", "base_url"), ("api_key_env", "WF_OTHER_KEY", "api_key"),
    ("transport", "openai", "transport"), ("concurrency", 3, "concurrency"), ("timeout", 5.0, "timeout"),
    ("max_retries", 1, "max_retries"), ("backoff_base", 0.1, "backoff_base"), ("backoff_max", 2.0, "backoff_max"),
    ("retry_after_max", 9.0, "retry_after_max"),
]


@pytest.mark.parametrize(("key", "value", "setting"), CLIENT_CASES, ids=[c[0] for c in CLIENT_CASES])
def test_client_keys_reach_the_teacher_client(tmp_path, stand_in, key, value, setting):
    _run(tmp_path, {}, "a.yaml")
    _run(tmp_path, {key: value, "output": "out/b.jsonl"}, "b.yaml")
    before, after = stand_in.made
    assert before[setting] != after[setting], key
    assert after[setting] == ("secret-b" if key == "api_key_env" else value)


# ------------------------------------------------------------------------------------------- run outputs
def test_output_keys_are_relative_to_the_config_file(tmp_path, stand_in):
    s = _run(tmp_path, {}, "a.yaml")
    assert s.output == tmp_path / "out" / "o.jsonl" and s.run_dir == tmp_path / "out" / "o.jsonl.run"
    assert (tmp_path / "out" / "o.jsonl.run" / "cache").is_dir()
    s = _run(tmp_path, {"output": "b.jsonl", "run_dir": "runs/b", "cache_dir": "cache/b"}, "b.yaml")
    assert s.output == tmp_path / "b.jsonl" and s.output.is_file()
    assert s.run_dir == tmp_path / "runs" / "b" and (s.run_dir / "stats.json").is_file()
    assert (tmp_path / "cache" / "b").is_dir()


def test_run_keys_change_the_rows(tmp_path, stand_in):
    def rows(keys, name):
        s = _run(tmp_path, {"output": f"{name}.jsonl", **keys}, f"{name}.yaml")
        return read_jsonl(s.output)

    assert "<think>" in rows({}, "tags")[0]["messages"][-1]["content"]
    field = rows({"reasoning_format": "field"}, "field")[0]["messages"][-1]
    assert "<think>" not in field["content"] and field["reasoning_content"] == "先想一想"
    assert len(rows({"n": 3}, "best")) == 3 and len(rows({"n": 3, "keep": "all"}, "all")) == 9
    assert rows({"checks": ["nonempty", "language"], "language": "en"}, "lang") == []  # Chinese answers rejected
    assert len(rows({"checks": ["nonempty", "language"]}, "auto")) == 3
    assert len(rows({"limit": 2}, "limit")) == 2


def test_every_key_has_a_test():
    tested = ({c[0] for c in BODY_CASES} | {c[0] for c in JOB_CASES} | {c[0] for c in CHECK_CASES}
              | {c[0] for c in CLIENT_CASES}
              | {"style_profile", "style_min_gain", "output", "run_dir", "cache_dir", "reasoning_format", "keep", "checks"}
              | {"values_profile", "values_keep_refusals"})  # test_distill_values.py
    assert set(DistillConfig.model_fields) - tested == set()


# ------------------------------------------------------------------------------- checks that cannot run
REFUSED = [
    ({"checks": ["nonempty", "nope"]}, r":\d+: checks\.1: unknown check 'nope'"),
    ({"checks": ["outcome"]}, r":\d+: checks\.0: check 'outcome' needs `answer_field`"),
    ({"checks": ["style_match"]}, r":\d+: checks\.0: check 'style_match' needs `style_profile`"),
    ({"checks": ["content"]}, r":\d+: checks\.0: check 'content' judges only style_transfer samples"),
    ({"task": "style_transfer", "checks": None}, r": style_profile: task style_transfer checks style_match by default"),
]


@pytest.mark.parametrize(("keys", "message"), REFUSED, ids=["unknown", "outcome", "style_match", "content", "default"])
def test_a_check_that_cannot_run_is_a_config_error(tmp_path, keys, message):
    body = {k: v for k, v in {"input": "p.jsonl", "output": "o.jsonl", **keys}.items() if v is not None}
    path = tmp_path / "c.yaml"
    path.write_text(yaml.safe_dump(body), encoding="utf-8")
    with pytest.raises(ConfigError, match=rf"{path}{message}"):
        load_config(path)


def test_a_check_given_by_flag_that_cannot_run_names_the_command_line(tmp_path):
    with pytest.raises(ConfigError, match=r"^command line: checks\.0: check 'outcome' needs `answer_field`"):
        load_config(None, {"input": "p.jsonl", "output": "o.jsonl", "checks": "outcome"})


def test_a_check_that_raises_is_a_recorded_reason_not_a_pass():
    """style_match with no profile in the context (a context built by hand) is `check_error`, not skipped."""
    v = run_checks(["style_match"], Sample("文本"), CheckContext(prompt="p", source="源"))
    assert not v.passed and v.reasons == ["check_error"] and "style_profile" in v.details["style_match"]


def test_the_cli_prints_a_refused_check_with_exit_code_2(tmp_path):
    from typer.testing import CliRunner

    from wenforge.cli import app

    path = tmp_path / "c.yaml"
    path.write_text("input: p.jsonl\noutput: o.jsonl\nchecks: [nonempty, outcome]\n", encoding="utf-8")
    r = CliRunner().invoke(app, ["distill", str(path)], env={"COLUMNS": "300"})
    assert r.exit_code == 2 and f"{path}:3: checks.1: check 'outcome' needs `answer_field`" in r.output
    assert "Traceback" not in r.output
