"""Every key of a mixture config (`wenforge mix --config`), changed in the YAML file, changes the mixture.

Each test runs the real command on small shards and compares what two configs wrote: data/, stats.json.
"""

from __future__ import annotations

import json

import pyarrow.parquet as pq
import pytest
import yaml
from typer.testing import CliRunner

from wenforge.cli import app
from wenforge.mix import MixConfig

SHARES = {"lit": 1, "news": 1}


def _row(i: int, label: str, n: int = 60) -> dict:
    return {"id": f"{label}{i}", "text": f"{label}{i}" + "文字" * n, "l1": label}


@pytest.fixture
def shard(tmp_path):
    rows = [_row(i, "lit") for i in range(30)] + [_row(i, "news") for i in range(10)]
    path = tmp_path / "shard.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


def _mix(tmp_path, shard, keys: dict, name: str, *, expect: int = 0):
    """Run `wenforge mix SHARD -o RUN --config NAME.yaml`; (stats, rows written) or the CLI output on failure."""
    cfg = tmp_path / "cfg" / f"{name}.yaml"
    cfg.parent.mkdir(exist_ok=True)
    cfg.write_text(yaml.safe_dump({"shares": SHARES, **keys}, allow_unicode=True), encoding="utf-8")
    out = tmp_path / "runs" / name
    r = CliRunner().invoke(app, ["mix", str(shard), "-o", str(out), "--config", str(cfg)], env={"COLUMNS": "300"})
    assert r.exit_code == expect, r.output
    if expect:
        return r.output
    stats = json.loads((out / "stats.json").read_text(encoding="utf-8"))
    data = out / "data" / f"mixture.{stats['file_format']}"
    if data.suffix == ".parquet":
        rows = pq.read_table(data).to_pylist()
    else:
        rows = [json.loads(x) for x in data.read_text(encoding="utf-8").splitlines()]
    return stats, rows


def _ids(result) -> list:
    return [r["id"] for r in result[1]]


CASES = [
    # key, changed value, keys of both configs, what to observe in (stats, rows)
    ("shares", {"lit": 3, "news": 1}, {"budget": 2000}, lambda s, rows: sorted(s["labels"].items())),
    ("budget", 1500, {}, lambda s, rows: s["total_achieved"]),
    ("unit", "tokens", {"budget": 2000}, lambda s, rows: (s["unit"], s["total_achieved"])),
    ("seed", 5, {"budget": 1500}, lambda s, rows: sorted(r["id"] for r in rows)),
    ("max_repeat", 3, {"fit": "budget", "budget": 20000}, lambda s, rows: len(rows)),
    ("fit", "budget", {"budget": 10000}, lambda s, rows: s["total_achieved"]),
    ("format", "parquet", {}, lambda s, rows: s["file_format"]),
    ("chat", True, {}, lambda s, rows: sorted(rows[0])),
    ("shuffle_buffer", 1, {}, lambda s, rows: [r["id"] for r in rows]),
    ("text_field", "body", {}, lambda s, rows: s["total_achieved"]),
]


@pytest.mark.parametrize(("key", "value", "base", "observe"), CASES, ids=[c[0] for c in CASES])
def test_keys_change_the_mixture(tmp_path, shard, key, value, base, observe):
    if key == "text_field":  # the same rows with their text under another column as well
        rows = [json.loads(x) for x in shard.read_text(encoding="utf-8").splitlines()]
        shard.write_text("".join(json.dumps({**r, "body": r["text"][:10]}, ensure_ascii=False) + "\n" for r in rows),
                         encoding="utf-8")
    before = observe(*_mix(tmp_path, shard, base, "a"))
    after = observe(*_mix(tmp_path, shard, {**base, key: value}, "b"))
    assert before != after, (key, before, after)


def test_share_tolerance_decides_whether_large_documents_are_refused(tmp_path, shard):
    """A budget too small for a 5000-character document: refused at the default tolerance, mixed at 0.9."""
    with open(shard, "a", encoding="utf-8") as f:
        f.write(json.dumps({"id": "big", "text": "长" * 5000, "l1": "news"}, ensure_ascii=False) + "\n")
    keys = {"shares": {"lit": 1, "news": 1}, "budget": 6000}
    out = _mix(tmp_path, shard, keys, "strict", expect=2)
    assert "cannot be met within 2%" in out
    stats, _ = _mix(tmp_path, shard, {**keys, "share_tolerance": 0.9}, "loose")
    assert stats["total_achieved"] > 0


def test_by_finds_labels_nested_in_taxonomy_and_metadata(tmp_path):
    """`by: l2` reads the label from a top-level column, a `taxonomy` mapping, a `metadata` mapping, a JSON
    `metadata` string and `metadata.taxonomy`: every row is counted under its label, none is unlabelled."""
    rows = [
        {"id": "a", "text": "诗" * 50, "l2": "诗歌"},
        {"id": "b", "text": "诗" * 50, "taxonomy": {"l1": "lit", "l2": "诗歌"}},
        {"id": "c", "text": "说" * 50, "metadata": {"l2": "小说"}},
        {"id": "d", "text": "说" * 50, "metadata": json.dumps({"taxonomy": {"l2": "小说"}}, ensure_ascii=False)},
        {"id": "e", "text": "说" * 50, "metadata": {"taxonomy": {"l2": "小说"}}},
    ]
    shard = tmp_path / "nested.jsonl"
    shard.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    stats, out = _mix(tmp_path, shard, {"by": "l2", "shares": {"诗歌": 1, "小说": 1}, "fit": "budget"}, "l2")
    assert {k: v["available_docs"] for k, v in stats["labels"].items()} == {"诗歌": 2, "小说": 3}
    assert sorted(r["id"] for r in out) == ["a", "b", "c", "d", "e"] and not stats["excluded"]
    # by the default `l1`, only the row with a taxonomy l1 has a label
    by_l1 = _mix(tmp_path, shard, {"shares": {"lit": 1}}, "l1")[0]
    assert by_l1["labels"]["lit"]["available_docs"] == 1


def test_tokenizer_path_is_relative_to_the_config_file(tmp_path, shard, monkeypatch):
    """A tokenizer.json beside the config counts tokens with it (one token per character here)."""
    from tokenizers import Tokenizer, models, pre_tokenizers

    vocab = {c: i for i, c in enumerate(sorted({c for line in shard.read_text(encoding="utf-8") for c in line}))}
    tok = Tokenizer(models.WordLevel(vocab, unk_token=next(iter(vocab))))
    tok.pre_tokenizer = pre_tokenizers.Split("", "isolated")
    (tmp_path / "cfg").mkdir()
    tok.save(str(tmp_path / "cfg" / "tok.json"))
    monkeypatch.chdir(tmp_path)  # tok.json is in cfg/, beside the config, not in the working folder
    estimate = _mix(tmp_path, shard, {"unit": "tokens"}, "estimate")[0]
    counted = _mix(tmp_path, shard, {"unit": "tokens", "tokenizer": "tok.json"}, "tokenizer")[0]
    assert counted["total_achieved"] != estimate["total_achieved"]


def test_a_bad_key_names_the_file_and_line(tmp_path, shard):
    out = _mix(tmp_path, shard, {"sahres": {"lit": 1}}, "typo", expect=2)
    assert f"{tmp_path / 'cfg' / 'typo.yaml'}:1: sahres: unknown key; did you mean 'shares'?" in out
    out = _mix(tmp_path, shard, {"max_repeat": 0}, "zero", expect=2)
    assert "zero.yaml:1: max_repeat: Input should be greater than or equal to 1" in out


def test_every_key_has_a_test():
    tested = {c[0] for c in CASES} | {"share_tolerance", "by", "tokenizer"} | {"risk"}  # risk: test_mix_risk.py
    assert set(MixConfig.model_fields) - tested == set()
