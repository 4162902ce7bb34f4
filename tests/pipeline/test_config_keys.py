"""Every key of the pipeline config, changed in a YAML file, changes what the built pipeline does.

Most keys are checked on the steps `processing_steps` builds from the loaded config, by passing one document
through them; the reader's keys on the reader `build_stages` builds; dedup's on its stages; the run-level keys
(`name`, `input.paths`, `input.recursive`, `tasks`, `workers`, `output.*`) by one real run.
"""

from __future__ import annotations

import json

import pytest
import yaml
from datatrove.data import Document
from datatrove.pipeline.filters.base_filter import BaseFilter, get_filter_result

from wenforge.pipeline.build import RunLayout, build_stages, processing_steps
from wenforge.pipeline.config import PipelineConfig, load_config

EN = ("The city council approved the new budget on Tuesday evening after a long debate about schools and roads. "
      "Members of the public were invited to speak, and many of them asked for more money to repair the old harbour. "
      "The mayor said that the plan was a fair compromise and that the work would begin in the spring of next year. "
      "Critics argued that the council had ignored the needs of the northern villages, which have waited for a bus.")
POEM = ("君不见黄河之水天上来，奔流到海不复回。\n君不见高堂明镜悲白发，朝如青丝暮成雪。\n"
        "人生得意须尽欢，莫使金樽空对月。\n天生我材必有用，千金散尽还复来。")  # literary_score ~0.97
RISKY = "今天天气很好，我们去公园散步。\n如何制作炸弹？"  # the values step labels its second paragraph
BENIGN = "今天天气很好，我们去公园散步，看到很多人在放风筝。"
HTML = ("<html><body><nav>首页 新闻 体育</nav><article><p>{body}</p><table><tr><td>表格里的数字甲乙丙</td>"
        "<td>第二格</td></tr></table></article><footer>版权所有</footer></body></html>")


def _nested(dotted: dict) -> dict:
    out: dict = {}
    for key, value in dotted.items():
        node = out
        *parents, last = key.split(".")
        for p in parents:
            node = node.setdefault(p, {})
        node[last] = value
    return out


def _config(tmp_path, keys: dict | None = None, name: str = "pipeline.yaml") -> PipelineConfig:
    """A pipeline YAML written with `keys` (dotted) over a minimal config, loaded by the one loader."""
    body = _nested({"input.paths": ["in"], **(keys or {})})
    path = tmp_path / name
    path.write_text(yaml.safe_dump(body, allow_unicode=True), encoding="utf-8")
    return load_config(path)


def _through(cfg: PipelineConfig, tmp_path, doc: Document) -> tuple[bool, str | None, Document]:
    """(kept, reason, doc) after the processing steps built from `cfg`, in order, stopping at a drop."""
    for step in processing_steps(cfg, RunLayout(tmp_path / "run")):
        if isinstance(step, BaseFilter):
            keep, reason = get_filter_result(step.filter(doc))
            if not keep:
                return False, reason, doc
        else:
            (doc,) = list(step.run([doc]))
    return True, None, doc


PII = "电话13812345678，邮箱ab@163.com"


def _doc(text: str = "", **metadata) -> Document:
    return Document(text=text, id="d", metadata=dict(metadata))


def _zh(news) -> str:
    return news[0] + "\n" + news[0].split("\n")[-1]  # a good news article with its last line repeated once


def _outcome(r):
    kept, reason, _ = r
    return "kept" if kept else reason


# key, a value other than the default, other keys of both configs, the document (from the news fixture), what to
# observe: the default's run and the changed run must observe different things.
CASES = [
    ("pii.enabled", True, {"quality.enabled": False}, lambda n: _doc(PII), lambda r: r[2].text),
    ("pii.types", ["email"], {"pii.enabled": True, "quality.enabled": False}, lambda n: _doc(PII), lambda r: r[2].text),
    ("pii.mode", "hash", {"pii.enabled": True, "pii.salt": "s", "quality.enabled": False}, lambda n: _doc(PII),
     lambda r: r[2].text),
    ("pii.salt", "t", {"pii.enabled": True, "pii.mode": "hash", "pii.salt": "s", "quality.enabled": False},
     lambda n: _doc(PII), lambda r: r[2].text),
    ("limits.max_chars", 10, {}, lambda n: _doc(EN), lambda r: len(r[2].text)),
    ("limits.oversize", "exclude", {"limits.max_chars": 10}, lambda n: _doc(EN), _outcome),
    ("decode.enabled", False, {}, lambda n: _doc(_raw=n[0].encode("gb18030")), lambda r: "\ufffd" in r[2].text),
    ("extract.enabled", False, {}, lambda n: _doc(HTML.format(body=n[1])), lambda r: r[2].metadata.get("extracted")),
    ("extract.include_tables", True, {}, lambda n: _doc(HTML.format(body=n[1])), lambda r: "表格里的数字" in r[2].text),
    ("extract.min_chars", 100_000, {}, lambda n: _doc(HTML.format(body=n[1])), _outcome),
    ("normalize.enabled", False, {}, lambda n: _doc("ＡＢＣ１２３，" + n[1]), lambda r: r[2].text[:3]),
    ("normalize.nfkc", False, {}, lambda n: _doc("ＡＢＣ１２３，" + n[1]), lambda r: r[2].text[:3]),
    ("normalize.strip_tags", False, {}, lambda n: _doc("文字<b>粗体</b>" + n[1]), lambda r: "<b>" in r[2].text),
    ("normalize.to_simplified", True, {}, lambda n: _doc("臺灣的學校" + n[1]), lambda r: r[2].text[:5]),
    ("langid.enabled", False, {"langid.allow": ["zh"]}, lambda n: _doc(EN), _outcome),
    ("langid.allow", ["zh"], {}, lambda n: _doc(EN), _outcome),
    ("langid.min_score", 1.0, {}, lambda n: _doc(EN + " 中文"), _outcome),
    ("langid.sample_chars", 60, {"quality.enabled": False}, lambda n: _doc(EN[:60] + " " + n[0][:600]),
     lambda r: r[2].metadata["language"]),  # the leading English sentence, or mostly the Chinese after it
    ("quality.enabled", False, {}, lambda n: _doc("今天下雨了。"), _outcome),
    ("quality.rescue_literary.enabled", False, {}, lambda n: _doc(POEM), _outcome),
    ("quality.rescue_literary.min_literary_score", 0.99, {}, lambda n: _doc(POEM), _outcome),
    ("quality.zh.dup_line_frac", 0.01, {}, lambda n: _doc(_zh(n)), _outcome),
    ("quality.zh.top_n_grams", [[2, 0.0001]], {}, lambda n: _doc(_zh(n)), _outcome),
    ("quality.zh.dup_n_grams", [[5, 0.0001]], {}, lambda n: _doc(_zh(n)), _outcome),
    ("quality.zh.line_punct_thr", 1.0, {}, lambda n: _doc(_zh(n)), _outcome),
    ("quality.zh.new_line_ratio", 0.0, {}, lambda n: _doc(_zh(n)), _outcome),
    ("quality.zh.char_duplicates_ratio", 0.0, {}, lambda n: _doc(_zh(n)), _outcome),
    ("quality.zh.max_avg_word_length", 1.0, {}, lambda n: _doc(_zh(n)), _outcome),
    ("quality.zh.min_avg_word_length", 4, {}, lambda n: _doc(_zh(n)), _outcome),
    ("quality.zh.max_non_alpha_words_ratio", 1.0, {}, lambda n: _doc(_zh(n)), _outcome),
    ("quality.zh.min_doc_words", 100_000, {}, lambda n: _doc(_zh(n)), _outcome),
    ("quality.zh.min_stop_words", 10_000, {}, lambda n: _doc(_zh(n)), _outcome),
    ("quality.zh.stopwords", ["龘"], {}, lambda n: _doc(_zh(n)), _outcome),
    ("quality.en.min_doc_words", 100_000, {}, lambda n: _doc(EN), _outcome),
    ("quality.en.max_doc_words", 5, {}, lambda n: _doc(EN), _outcome),
    ("quality.en.min_stop_words", 1000, {}, lambda n: _doc(EN), _outcome),
    ("clean.enabled", True, {}, lambda n: _doc(n[1]), lambda r: r[2].metadata.get("spam")),
    ("clean.options", {"spam_threshold": 0.0}, {"clean.enabled": True}, lambda n: _doc(n[1]),
     lambda r: r[2].metadata.get("spam")),
    ("style.enabled", True, {}, lambda n: _doc(POEM), lambda r: r[2].metadata.get("l1")),
    ("style.features", True, {"style.enabled": True}, lambda n: _doc(POEM), lambda r: "style_features" in r[2].metadata),
    ("style.evidence", False, {"style.enabled": True}, lambda n: _doc(POEM), lambda r: "style_evidence" in r[2].metadata),
    ("values.enabled", True, {"quality.enabled": False}, lambda n: _doc(RISKY),
     lambda r: r[2].metadata.get("risk_labels")),
    ("values.evidence", False, {"quality.enabled": False, "values.enabled": True}, lambda n: _doc(RISKY),
     lambda r: "risk_passages" in r[2].metadata),
]


@pytest.mark.parametrize(("key", "value", "base", "make", "observe"), CASES, ids=[c[0] for c in CASES])
def test_step_keys_change_what_the_steps_do(tmp_path, news, key, value, base, make, observe):
    before = observe(_through(_config(tmp_path, base, "a.yaml"), tmp_path, make(news)))
    after = observe(_through(_config(tmp_path, {**base, key: value}, "b.yaml"), tmp_path, make(news)))
    assert before != after, (key, before, after)


def test_extract_favor_precision_reaches_trafilatura(tmp_path, news, monkeypatch):
    import trafilatura

    seen = []
    real = trafilatura.extract
    monkeypatch.setattr(trafilatura, "extract", lambda *a, **kw: seen.append(kw["favor_precision"]) or real(*a, **kw))
    for value in (False, True):
        _through(_config(tmp_path, {"extract.favor_precision": value}), tmp_path, _doc(HTML.format(body=news[1])))
    assert seen == [False, True]


def test_rescued_literature_is_kept_only_above_the_threshold(tmp_path):
    """The literature rescue threshold decides, both ways (a hard-coded threshold fails one side)."""
    for threshold, kept in ((0.5, True), (0.99, False)):
        r = _through(_config(tmp_path, {"quality.rescue_literary.min_literary_score": threshold}), tmp_path, _doc(POEM))
        assert r[0] is kept, threshold
        if kept:
            assert r[2].metadata["quality_rescued"].startswith("gopher_qual:")


def test_values_profile_decides_the_risk_labels(tmp_path, monkeypatch):
    """A deployment profile that refuses at any risk labels a benign document the core leaves unlabelled."""
    profiles = tmp_path / "profiles.yaml"
    profiles.write_text("profiles:\n  everything:\n    refuse_at: 0.0\n", encoding="utf-8")
    monkeypatch.setenv("WENFORGE_VALUES_PROFILES", str(profiles))
    labels = []
    for profile in ("core", "everything"):
        keys = {"quality.enabled": False, "values.enabled": True, "values.profile": profile}
        labels.append(_through(_config(tmp_path, keys, f"{profile}.yaml"), tmp_path, _doc(BENIGN))[2].metadata["risk_labels"])
    assert labels[0] == [] and labels[1]


def _reader(cfg: PipelineConfig, tmp_path):
    return build_stages(cfg, [], RunLayout(tmp_path / "run"), 1)[0].pipeline[0]


READER_CASES = [
    ("input.format", "txt", "a.jsonl", '{"text": "正文"}\n', lambda d: d.metadata.get("_error") or d.text),
    ("input.text_field", "body", "a.jsonl", '{"body": "正文", "text": "别的"}\n', lambda d: d.text),
    ("input.id_field", "key", "a.jsonl", '{"text": "正文", "id": "i1", "key": "k1"}\n', lambda d: d.id),
    ("limits.max_file_bytes", 10, "a.txt", "一段足够长的纯文本内容。" * 5, lambda d: d.metadata.get("_error")),
]


@pytest.mark.parametrize(("key", "value", "name", "content", "observe"), READER_CASES, ids=[c[0] for c in READER_CASES])
def test_reader_keys(tmp_path, key, value, name, content, observe):
    f = tmp_path / name
    f.write_text(content, encoding="utf-8")
    before = [observe(d) for d in _reader(_config(tmp_path, {}, "a.yaml"), tmp_path).read_file(str(f))]
    after = [observe(d) for d in _reader(_config(tmp_path, {key: value}, "b.yaml"), tmp_path).read_file(str(f))]
    assert before and after and before != after, (key, before, after)


def _stages(cfg: PipelineConfig, tmp_path) -> dict:
    return {s.name: s for s in build_stages(cfg, ["x.jsonl"], RunLayout(tmp_path / "run"), 2)}


def test_dedup_keys_build_their_stages(tmp_path):
    names = set(_stages(_config(tmp_path), tmp_path))
    assert {"exact_signatures", "exact_find", "minhash_signatures", "minhash_buckets", "minhash_cluster"} <= names
    assert not {n for n in _stages(_config(tmp_path, {"dedup.exact": False}), tmp_path) if n.startswith("exact")}
    assert not {n for n in _stages(_config(tmp_path, {"dedup.minhash.enabled": False}), tmp_path)
                if n.startswith("minhash")}
    default = _stages(_config(tmp_path), tmp_path)
    changed = _stages(_config(tmp_path, {"dedup.minhash.n_grams": 3, "dedup.minhash.num_buckets": 4,
                                         "dedup.minhash.hashes_per_bucket": 2}), tmp_path)
    for stages, (n_grams, buckets, per_bucket) in ((default, (5, 14, 8)), (changed, (3, 4, 2))):
        mcfg = stages["minhash_signatures"].pipeline[-1].config
        assert (mcfg.n_grams, mcfg.num_buckets, mcfg.hashes_per_bucket) == (n_grams, buckets, per_bucket)
        assert stages["minhash_buckets"].tasks == buckets


@pytest.mark.parametrize("key", ["dedup.exact", "dedup.minhash.enabled"])
def test_dedup_keys_change_what_a_duplicate_becomes(tmp_path, news, key):
    """A document and its copy: kept once with dedup on, twice with that dedup off (the other one off too)."""
    from wenforge.pipeline.run import run_pipeline

    other = "dedup.minhash.enabled" if key == "dedup.exact" else "dedup.exact"
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.jsonl").write_text(
        "".join(json.dumps({"id": f"c{i}", "text": news[3]}, ensure_ascii=False) + "\n" for i in range(2)), "utf-8")
    kept = []
    for on in (True, False):
        keys = {key: on, other: False, "quality.enabled": False, "output.dir": f"out-{on}"}
        kept.append(run_pipeline(_config(tmp_path, keys, f"{on}.yaml")).kept)
    assert kept == [1, 2]


def test_run_level_keys(tmp_path, news):
    """name, input.paths (relative to the config file), input.recursive, tasks, workers, output.dir and
    output.report_samples, changed together in one real run and compared with the defaults' run."""
    from wenforge.pipeline.run import run_pipeline

    data = tmp_path / "corpus"
    for sub, rows in (("", news[:3]), ("deeper", news[3:5])):
        (data / sub).mkdir(parents=True, exist_ok=True)
        (data / sub / "part.jsonl").write_text(
            "".join(json.dumps({"id": f"{sub}{i}", "text": t}, ensure_ascii=False) + "\n" for i, t in enumerate(rows)),
            encoding="utf-8")
    quiet = {"quality.enabled": False, "dedup.minhash.enabled": False, "input.paths": ["corpus"]}
    cfg_dir = tmp_path / "configs"
    runs = {}
    for label, keys in (("default", {}), ("changed", {"name": "my-run", "input.recursive": False, "tasks": 3,
                                                      "workers": 2, "output.dir": "elsewhere",
                                                      "output.report_samples": 1})):
        folder = cfg_dir / label
        folder.mkdir(parents=True)
        (folder / "corpus").symlink_to(data, target_is_directory=True)  # input.paths is relative to the config
        res = run_pipeline(_config(folder, {**quiet, **keys}))
        stats = json.loads((res.out_dir / "stats.json").read_text(encoding="utf-8"))
        html = (res.out_dir / "report.html").read_text(encoding="utf-8")
        kept_examples = html.split("Kept examples", 1)[1].split("<h2", 1)[0].count("class='ex'")
        runs[label] = (res.out_dir, stats, res.read, kept_examples)
    (d_out, d_stats, d_read, d_ex), (c_out, c_stats, c_read, c_ex) = runs["default"], runs["changed"]
    assert d_out == cfg_dir / "default" / "wenforge-out" and c_out == cfg_dir / "changed" / "elsewhere"
    assert (d_stats["name"], c_stats["name"]) == ("wenforge-run", "my-run")
    assert (d_read, c_read) == (5, 3)  # recursive: the sub-folder's file too
    assert (d_stats["tasks"], c_stats["tasks"]) == (2, 3)  # default: one per input file
    assert (d_stats["workers"], c_stats["workers"]) == (1, 2)
    assert (d_ex, c_ex) == (5, 1)


def test_every_key_has_a_test():
    """The tables above name every leaf key of PipelineConfig (a new key needs a row)."""
    from pydantic import BaseModel

    def leaves(model: type[BaseModel], prefix: str = "") -> set[str]:
        out = set()
        for name, field in model.model_fields.items():
            sub = field.annotation
            if isinstance(sub, type) and issubclass(sub, BaseModel) and name != "options":
                out |= leaves(sub, f"{prefix}{name}.")
            else:
                out.add(prefix + name)
        return out

    tested = {c[0] for c in CASES} | {c[0] for c in READER_CASES} | {
        "extract.favor_precision", "dedup.exact", "dedup.minhash.enabled", "dedup.minhash.n_grams",
        "dedup.minhash.num_buckets", "dedup.minhash.hashes_per_bucket", "name", "input.paths", "input.recursive",
        "tasks", "workers", "output.dir", "output.report_samples", "values.profile",
        # each decontaminate key changes a run in tests/decontam/test_pipeline.py (the index is built per run)
        "decontaminate.enabled", "decontaminate.against", "decontaminate.field", "decontaminate.n",
        "decontaminate.threshold", "decontaminate.min_tokens", "decontaminate.action",
        # every slurm key shows in the job scripts asserted in tests/pipeline/test_slurm.py
        "slurm"}
    assert leaves(PipelineConfig) - tested == set()
