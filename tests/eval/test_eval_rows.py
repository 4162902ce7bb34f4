"""One wrong-typed row is excluded with a reason; the rows after it are still scored (issue 14)."""

import json
from pathlib import Path

from typer.testing import CliRunner

from wenforge.cli import app
from wenforge.eval.evaluate import load_config, run_eval


def _rows(path):
    rows = [
        {"id": "a", "prompt": 5, "completion": "答案是 \\boxed{2}", "answer": "2"},
        {"id": "b", "prompt": "一加一等于几？", "completion": "\\boxed{2}", "answer": 2},
        {"id": "c", "prompt": "概括", "completion": "今天下雨。", "source": "今天下雨。", "reference": 123},
        {"id": "d", "prompt": "二加二等于几？", "completion": "\\boxed{4}", "answer": "4"},
    ]
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


def test_eval_excludes_wrong_typed_rows_and_scores_the_rest(tmp_path):
    out = _rows(tmp_path / "out.jsonl")
    cfg = tmp_path / "eval.yaml"
    cfg.write_text(f"outputs: {out}\noutput_dir: {tmp_path / 'ev'}\ndetectors: [values, hallucination]\n", encoding="utf-8")
    res = run_eval(load_config(cfg))
    reasons = {e["id"]: e["detail"] for e in res["excluded"]}
    assert set(reasons) == {"a", "c"} and {e["reason"] for e in res["excluded"]} == {"wrong_field_type"}
    assert "'prompt' must be str" in reasons["a"] and "'reference' must be str" in reasons["c"]
    stats = json.loads((tmp_path / "ev" / "stats.json").read_text())
    assert stats["rows"] == {"read": 4, "kept": 2, "excluded": 2} and stats["excluded"] == {"wrong_field_type": 2}
    assert res["eval"]["overall"]["n"] == 2 and res["eval"]["overall"]["accuracy"] == 1.0
    assert {"literary_score", "ornateness", "overwrought", "quality"} <= set(res["eval"]["overall"])


def test_detect_writes_an_error_line_for_a_wrong_typed_field(tmp_path):
    inp = tmp_path / "in.jsonl"
    rows = [{"id": "a", "text": "今天下雨。", "source": "今天下雨。"},
            {"id": "c", "text": "今天下雨。", "source": "今天下雨。", "reference": 123},
            {"id": "d", "text": "今天晴。", "source": "今天下雨。"}]
    inp.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    out = tmp_path / "det.jsonl"
    res = CliRunner().invoke(app, ["detect", "hallucination", str(inp), "-o", str(out)])
    assert res.exit_code == 0, res.output
    lines = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert [r.get("id") for r in lines] == ["a", "c", "d"]
    by_id = {r["id"]: r for r in lines}
    assert "must be a string" in by_id["c"]["error"]
    assert "error" not in by_id["a"] and "error" not in by_id["d"]


def test_halluqa_ids_need_an_explicit_data_folder(tmp_path):
    """The package never looks for the shared data: a question_id row is judged only when halluqa_data is set."""
    import os

    data = os.environ["WENFORGE_DATA"]
    qid = json.loads((Path(data) / "hallucination" / "HalluQA.json").read_text(encoding="utf-8"))[0]["question_id"]
    out = tmp_path / "out.jsonl"
    out.write_text(json.dumps({"id": "q", "question_id": qid, "completion": "我不知道。"}, ensure_ascii=False) + "\n",
                   encoding="utf-8")
    cfg = tmp_path / "eval.yaml"
    cfg.write_text(f"outputs: {out}\noutput_dir: {tmp_path / 'a'}\ndetectors: []\n", encoding="utf-8")
    res = run_eval(load_config(cfg))
    assert "halluqa_hallucination_rate" not in res["eval"]["overall"]
    assert any("halluqa_data" in n for n in res["eval"]["notes"])
    cfg.write_text(f"outputs: {out}\noutput_dir: {tmp_path / 'b'}\ndetectors: []\nhalluqa_data: {data}\n", encoding="utf-8")
    res = run_eval(load_config(cfg))
    assert "halluqa_hallucination_rate" in res["eval"]["overall"] and not res["eval"]["notes"]


def test_data_folder_is_explicit(tmp_path, monkeypatch):
    import pytest

    from wenforge.core.paths import data_folder

    monkeypatch.delenv("WENFORGE_DATA", raising=False)
    monkeypatch.chdir(tmp_path)
    with pytest.raises(FileNotFoundError, match="pass --data DIR"):
        data_folder()
    with pytest.raises(FileNotFoundError, match="does not exist"):
        data_folder(tmp_path / "nope")
    assert data_folder(tmp_path) == tmp_path


def test_detect_reads_and_writes_on_an_sftp_server(sftp):
    rows = [{"id": "a", "text": "今天下雨。", "source": "今天下雨。"}, {"id": "d", "text": "今天晴。", "source": "今天下雨。"}]
    (sftp.root / "in.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    res = CliRunner().invoke(app, ["detect", "hallucination", sftp.url("in.jsonl"), "-o", sftp.url("det/out.jsonl")])
    assert res.exit_code == 0, res.output
    lines = [json.loads(x) for x in (sftp.root / "det" / "out.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in lines] == ["a", "d"] and all("error" not in r for r in lines)
