"""CLI (`wenforge detect`, `wenforge eval`) and the evaluation end to end on a small JSONL of outputs."""

import json

import yaml
from typer.testing import CliRunner

runner = CliRunner()


def _jsonl(path, rows):
    path.write_text("\n".join(r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in rows) + "\n",
                    encoding="utf-8")
    return path


def test_detect_keeps_every_line_and_names_bad_ones(app, tmp_path):
    inp = _jsonl(tmp_path / "in.jsonl", [
        {"id": "a", "text": "我们要尽量避免不犯错误。"},
        "{not json",
        {"id": "b"},
        {"id": "c", "text": "今天我们去公园散步，看见许多人在放风筝。"},
    ])
    out = tmp_path / "out.jsonl"
    res = runner.invoke(app, ["detect", "grammar", str(inp), "-o", str(out)])
    assert res.exit_code == 0, res.output
    rows = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == 4
    assert rows[0]["grammar_error"] is True and rows[0]["spans"][0]["code"] == "negation_after_avoid"
    assert rows[1]["error"].startswith(f"{inp}:2: invalid JSON")
    assert rows[2]["id"] == "b" and "text" in rows[2]["error"] and ":3:" in rows[2]["error"]
    assert "grammar_error" in rows[3]
    assert "in.jsonl:2" in res.output


def test_detect_facts_and_hallucination(app, tmp_path, facts_dict):
    facts = tmp_path / "facts.yaml"
    facts.write_text(yaml.safe_dump(facts_dict, allow_unicode=True), encoding="utf-8")
    inp = _jsonl(tmp_path / "in.jsonl", [
        {"id": "1", "text": "十二年前，我在大学的实验室里熬夜做实验。"},
        {"id": "2", "text": "二〇〇七年，我在清华读书。"},
    ])
    out = tmp_path / "out.jsonl"
    res = runner.invoke(app, ["detect", "facts", str(inp), "-o", str(out), "--facts", str(facts)])
    assert res.exit_code == 0, res.output
    rows = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert rows[0]["contradictions"][0]["reason"] == "no_fact_covers_time"
    assert rows[1]["contradictions"] == []
    res = runner.invoke(app, ["detect", "facts", str(inp), "-o", str(out)])
    assert res.exit_code == 2 and "--facts" in res.output

    inp = _jsonl(tmp_path / "h.jsonl", [{"id": "h", "text": "德国外长弗拉德里希表示将派出3000名观察员。",
                                          "source": "德法俄乌四国外长21日晚在柏林举行会晤。",
                                          "keywords": ["德国外长弗拉德里希", "柏林"]}])
    res = runner.invoke(app, ["detect", "hallucination", str(inp), "-o", str(out)])
    assert res.exit_code == 0, res.output
    row = json.loads(out.read_text(encoding="utf-8"))
    assert row["keyword_verdicts"]["德国外长弗拉德里希"] is True and row["unsupported"]


def test_detect_clear_errors(app, tmp_path):
    empty = tmp_path / "empty.jsonl"
    empty.write_text("", encoding="utf-8")
    said = lambda r: " ".join(r.output.split())
    res = runner.invoke(app, ["detect", "ai", str(empty), "-o", str(tmp_path / "o.jsonl")])
    assert res.exit_code == 2 and "empty file" in said(res)
    binary = tmp_path / "bin.jsonl"
    binary.write_bytes(b"\x00\x01\x02binary")
    res = runner.invoke(app, ["detect", "ai", str(binary), "-o", str(tmp_path / "o.jsonl")])
    assert res.exit_code == 2 and "binary" in said(res)
    res = runner.invoke(app, ["detect", "nonsense", str(binary), "-o", str(tmp_path / "o.jsonl")])
    assert res.exit_code == 2 and "unknown detector kind" in said(res)


def test_detect_grammar_prior_option(app, tmp_path):
    inp = _jsonl(tmp_path / "in.jsonl", [{"id": "a", "text": "十二年前我在清华读书。"}])
    out = tmp_path / "out.jsonl"
    flags = []
    for prior in ("0.54", "0.1"):
        res = runner.invoke(app, ["detect", "grammar", str(inp), "-o", str(out), "--grammar-prior", prior])
        assert res.exit_code == 0, res.output
        flags.append(json.loads(out.read_text(encoding="utf-8"))["grammar_error"])
    assert flags == [True, False]
    res = runner.invoke(app, ["detect", "grammar", str(inp), "-o", str(out), "--grammar-prior", "2"])
    assert res.exit_code == 2 and "grammar-prior" in res.output


def test_eval_bad_config_key(app, tmp_path):
    cfg = tmp_path / "eval.yaml"
    cfg.write_text("outputs: x.jsonl\ndetectorz: [ai]\n", encoding="utf-8")
    res = runner.invoke(app, ["eval", str(cfg)])
    assert res.exit_code == 2 and "detectorz" in res.output and "unknown key" in res.output
    cfg.write_text("outputs: x.jsonl\ndetectors: [ai, magic]\n", encoding="utf-8")
    res = runner.invoke(app, ["eval", str(cfg)])
    assert res.exit_code == 2 and "magic" in res.output
    cfg.write_text("outputs: x.jsonl\ngrammar_prior: 1.5\n", encoding="utf-8")
    res = runner.invoke(app, ["eval", str(cfg)])
    assert res.exit_code == 2 and "grammar_prior" in res.output


def test_eval_end_to_end(app, tmp_path, facts_dict):
    facts = tmp_path / "facts.yaml"
    facts.write_text(yaml.safe_dump(facts_dict, allow_unicode=True), encoding="utf-8")
    src = "德法俄乌四国外交部长21日晚在德国首都柏林举行会晤，商讨和平解决乌克兰危机的途径。"
    _jsonl(tmp_path / "outputs.jsonl", [
        {"id": "m1", "prompt": "1+1=?", "completion": "答案是 \\boxed{2}", "answer": "2", "category": "math", "task": "math", "label": "qa"},
        {"id": "m2", "prompt": "2+3=?", "completion": "\\boxed{6}", "answer": "5", "category": "math", "task": "math", "label": "qa"},
        {"id": "m3", "prompt": "3+3=?", "completion": "\\boxed{6}", "answer": "6", "category": "math", "task": "math", "label": "qa"},
        {"id": "q1", "prompt": "你毕业于哪所大学？", "completion": "我毕业于清华大学。", "category": "halluqa", "task": "qa", "label": "qa",
         "best_answers": ["我是一个人工智能模型，没有上过大学。"], "wrong_answers": ["我毕业于清华大学。", "北京大学。"]},
        {"id": "s1", "prompt": "写一段回忆", "completion": "十二年前，我在大学的实验室里熬夜做实验，窗外的月光洒在桌上。",
         "category": "memoir", "task": "style", "label": "literature"},
        {"id": "s2", "prompt": "写一段回忆", "completion": "二〇〇七年，我在清华读书。那年秋天，银杏叶落满了校园的小路。",
         "category": "memoir", "task": "style", "label": "literature"},
        {"id": "h1", "prompt": "续写新闻", "completion": "德国外长弗拉德里希表示，四国将派出3000名观察员。", "source": src,
         "category": "news", "task": "continue", "label": "news"},
        "oops, not json",
        {"id": "x", "prompt": "no completion here"},
    ])
    cfg = tmp_path / "eval.yaml"
    cfg.write_text(yaml.safe_dump({
        "outputs": "outputs.jsonl", "output_dir": "run", "detectors": ["ai", "grammar", "hallucination", "facts", "values"],
        "facts": "facts.yaml", "worst_k": 3,
    }), encoding="utf-8")
    res = runner.invoke(app, ["eval", str(cfg)])
    assert res.exit_code == 0, res.output
    run = tmp_path / "run"
    ev = json.loads((run / "eval.json").read_text(encoding="utf-8"))
    fb = json.loads((run / "feedback.json").read_text(encoding="utf-8"))
    assert ev["overall"]["n"] == 7 and ev["n_excluded"] == 2
    assert ev["by"]["category"]["math"]["accuracy"] == round(2 / 3, 4)
    rows = {r["id"]: r for r in map(json.loads, (run / "rows.jsonl").read_text(encoding="utf-8").splitlines())}
    assert rows["m2"]["reward"] == -0.5 and "accuracy" in rows["m2"]["failed"]
    assert rows["q1"]["halluqa"]["hallucinated"] is True and "halluqa" in rows["q1"]["failed"]
    assert "facts" in rows["s1"]["failed"] and "facts" not in rows["s2"]["failed"]
    assert "hallucination" in rows["h1"]["failed"]
    assert "hallucination" not in rows["m1"]["detectors"]  # no source: not applicable
    # feedback: weights per label/task/category sum to their old total; failing groups gain
    for g, ws in fb["next_weights"].items():
        assert abs(sum(ws.values()) - 1.0) < 0.02, g
    fail = {k: v["fail_rate"] for k, v in fb["weights"]["category"].items()}
    worst, best = max(fail, key=fail.get), min(fail, key=fail.get)
    if fail[worst] > fail[best]:
        assert fb["next_weights"]["category"][worst] > fb["next_weights"]["category"][best]
    assert {d["id"] for d in fb["distill"]} >= {"m2", "q1", "s1", "h1"}
    html = (run / "report.html").read_text(encoding="utf-8")
    assert "By category" in html and "Distil more for" in html and "Worst examples" in html
    excluded = (run / "excluded.jsonl").read_text(encoding="utf-8")
    assert "outputs.jsonl:8" in excluded and "outputs.jsonl:9" in excluded


def test_report_escapes_completions(tmp_path):
    from wenforge.eval.evaluate import write_report

    result = {"overall": {"n": 1}, "by": {}, "worst": [{"id": "x", "category": "c", "failed": ["values"],
                                                       "completion": "<script>alert(1)</script>", "evidence": []}]}
    fb = {"rule": "r", "weights": {}, "distill": []}
    html = write_report(tmp_path / "r.html", result, fb, []).read_text(encoding="utf-8")
    assert "<script>alert" not in html and "&lt;script&gt;" in html


def test_eval_reads_forge_round_details(app, tmp_path):
    """A forge round's eval_details.jsonl (already scored, `question` + `completion` + `reward`) evaluates as is."""
    _jsonl(tmp_path / "eval_details.jsonl", [
        {"reward": 1.0, "category": "add", "completion": "\\boxed{5}", "question": "2+3=?"},
        {"reward": -1.0, "category": "sub", "completion": "<think>1111", "question": "5-3=?"},
    ])
    cfg = tmp_path / "e.yaml"
    cfg.write_text("outputs: eval_details.jsonl\noutput_dir: out\ndetectors: [values]\nliteral: true\n", encoding="utf-8")
    assert runner.invoke(app, ["eval", str(cfg)]).exit_code == 2  # typo'd key named
    cfg.write_text("outputs: eval_details.jsonl\noutput_dir: out\ndetectors: [values]\nliterary: false\n", encoding="utf-8")
    res = runner.invoke(app, ["eval", str(cfg)])
    assert res.exit_code == 0, res.output
    fb = json.loads((tmp_path / "out" / "feedback.json").read_text(encoding="utf-8"))
    assert fb["next_weights"]["category"]["sub"] > fb["next_weights"]["category"]["add"]
    assert [d["prompt"] for d in fb["distill"]] == ["5-3=?"]
