"""build_mixture / `wenforge mix`: shares within tolerance, determinism by seed, repeat cap, bad input."""

import json
import random

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from pydantic import ValidationError
from typer.testing import CliRunner

from wenforge.cli import app
from wenforge.mix import MixConfig, MixError, build_mixture, mix_rows
from wenforge.mix.mixture import share_flags

SHARES = {"literature": 0.4, "news": 0.2, "expository": 0.2, "qa": 0.2}


def _rows(n=2000, seed=1, weights=(0.1, 0.5, 0.3, 0.1)):
    rng = random.Random(seed)
    labels = list(SHARES)
    out = []
    for i in range(n):
        lab = rng.choices(labels, weights)[0]
        out.append({"id": f"d{i}", "text": f"{lab}{i}" + "文" * rng.randint(40, 400), "l1": lab,
                    "l2": "x", "l3": [], "literary_score": 0.5})
    return out


@pytest.fixture
def shards(tmp_path):
    rows = _rows()
    j = tmp_path / "a.jsonl"
    j.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows[:1000]) + "\n", encoding="utf-8")
    nested = [{"id": r["id"], "text": r["text"], "taxonomy": {"l1": r["l1"], "l2": "x", "l3": []}} for r in rows[1000:]]
    pq.write_table(pa.Table.from_pylist(nested), tmp_path / "b.parquet")
    return [j, tmp_path / "b.parquet"]


def _share_err(res):
    return max(abs(v["achieved_share"] - v["target_share"]) for v in res.stats["labels"].values())


def test_shares_within_tolerance_flat_and_nested_labels(shards):
    res = build_mixture(shards, MixConfig(shares=SHARES, budget=100_000))
    assert _share_err(res) <= 0.01
    assert abs(res.stats["total_achieved"] - 100_000) <= 1000
    assert {r["label"] for r in res.rows} == set(SHARES)
    assert all(r["copy"] == 0 for r in res.rows)  # max_repeat=1: no document twice


def test_deterministic_by_seed(shards):
    a = build_mixture(shards, MixConfig(shares=SHARES, budget=50_000, seed=7))
    b = build_mixture(shards, MixConfig(shares=SHARES, budget=50_000, seed=7))
    c = build_mixture(shards, MixConfig(shares=SHARES, budget=50_000, seed=8))
    assert [r["id"] for r in a.rows] == [r["id"] for r in b.rows]
    assert {r["id"] for r in a.rows} != {r["id"] for r in c.rows}


def test_repeat_cap_and_shares_fit(shards):
    # literature is ~10% of the text but wants 40%: with max_repeat=2 the total shrinks to keep the shares
    res = build_mixture(shards, MixConfig(shares=SHARES, budget=10_000_000, max_repeat=2))
    counts = {}
    for r in res.rows:
        counts[r["id"]] = counts.get(r["id"], 0) + 1
    assert max(counts.values()) == 2
    assert _share_err(res) <= 0.01
    lit = res.stats["labels"]["literature"]
    assert lit["achieved_units"] <= 2 * lit["available_units"]
    # fit=budget fills the budget and reports the shortfall instead
    res_b = build_mixture(shards, MixConfig(shares=SHARES, budget=300_000, fit="budget"))
    assert res_b.stats["labels"]["literature"]["short_by_units"] > 0


def test_run_folder_outputs_parquet_chat_and_report(shards, tmp_path):
    out = tmp_path / "run"
    res = build_mixture(shards, MixConfig(shares=SHARES, budget=20_000, format="parquet", chat=True), out)
    t = pq.read_table(res.output)
    assert "messages" in t.column_names and "text" not in t.column_names
    assert t.num_rows == sum(v["docs_written"] for v in res.stats["labels"].values())
    stats = json.loads((out / "stats.json").read_text(encoding="utf-8"))
    assert stats["labels"]["news"]["target_share"] == pytest.approx(0.2)
    assert "achieved share" in (out / "report.html").read_text(encoding="utf-8")


def test_bad_input_reported_with_file_and_line(tmp_path):
    p = tmp_path / "bad.jsonl"
    p.write_text('{"id": "1", "text": "文文文", "l1": "news"}\nnot json\n{"id": "3", "text": 5, "l1": "qa"}\n'
                 '{"id": "4", "text": "无标签"}\n', encoding="utf-8")
    res = build_mixture([p], MixConfig(shares={"news": 1.0}), tmp_path / "run")
    ex = res.stats["excluded"]
    assert {k: v for k, v in ex.items() if k != "not_selected"} == {
        "malformed_json": 1, "missing_text_field": 1, "label_missing": 1}
    lines = [json.loads(x) for x in (tmp_path / "run" / "excluded" / "malformed.jsonl").read_text().splitlines()]
    assert [x["line"] for x in lines] == [2, 3, 4] and all(x["file"].endswith("bad.jsonl") for x in lines)
    with pytest.raises(MixError, match="share"):
        share_flags(["news=abc"])
    with pytest.raises(ValidationError, match="shares"):
        MixConfig(shares={"news": -1})
    binf = tmp_path / "bin.jsonl"
    binf.write_bytes(b"\x00\x00\x01")
    with pytest.raises(MixError, match="binary"):
        build_mixture([binf], MixConfig(shares={"news": 1}))


def test_cli_mix(shards, tmp_path):
    out = tmp_path / "run"
    r = CliRunner().invoke(app, ["mix", *map(str, shards), "-o", str(out), "--share", "literature=0.4",
                                 "--share", "news=0.2", "--share", "expository=0.2", "--share", "qa=0.2",
                                 "--budget", "40000", "--seed", "3"])
    assert r.exit_code == 0, r.output
    lines = (out / "data" / "mixture.jsonl").read_text(encoding="utf-8").splitlines()
    assert lines and "text" in json.loads(lines[0])
    r = CliRunner().invoke(app, ["mix", str(shards[0]), "-o", str(out), "--share", "news=x"])
    assert r.exit_code == 2 and "error" in r.output


def test_mix_rows_in_memory_chooses_what_the_shards_give(tmp_path):
    """One implementation: the same rows in memory and in a shard give the same mixture, in the same order."""
    rows = _rows(800)
    j = tmp_path / "all.jsonl"
    j.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    spec = MixConfig(shares=SHARES, budget=40_000, seed=3, max_repeat=2, shuffle_buffer=50)
    mem = mix_rows(rows, spec)
    disk = build_mixture(j, spec)
    assert [r["id"] for r in mem.rows] == [r["id"] for r in disk.rows]
    assert all(any(r is x for x in rows) for r in mem.rows[:5])  # the input rows themselves
    assert mem.stats["labels"] == disk.stats["labels"]
    assert mem.shares == {k: v["achieved_share"] for k, v in disk.stats["labels"].items()}


def test_mix_rows_counts_rows_and_reports_unusable_ones():
    rows = [{"q": f"问{i}", "category": "add" if i % 4 else "mul"} for i in range(200)]
    rows += [{"q": 5, "category": "add"}, {"q": "无类"}, "not a row"]
    spec = MixConfig(shares={"add": 0.5, "mul": 0.5}, by="category", text_field="q", unit="rows", budget=40)
    res = mix_rows(rows, spec)
    assert len(res.rows) == 40 and res.shares == {"add": 0.5, "mul": 0.5}
    assert sum(r["category"] == "mul" for r in res.rows) == 20
    assert res.stats["excluded"] == {"missing_text_field": 1, "label_missing": 1, "malformed_json": 1,
                                     "not_selected": 160}  # 200 usable rows, 40 chosen
    assert res.stats["read"] == 203 and res.stats["selected"] == 40
    assert [b["line"] for b in res.stats["malformed_examples"]] == [201, 202, 203]
    with pytest.raises(MixError, match="no target shares"):
        mix_rows(rows, MixConfig(by="category", text_field="q"))


def test_shards_on_an_sftp_server_mix_like_local_ones(tmp_path, sftp):
    import shutil

    from typer.testing import CliRunner

    from wenforge.cli import app

    shards = tmp_path / "shards"
    (shards / "sub").mkdir(parents=True)
    rows = [{"id": f"d{i}", "text": "文" * (40 + i), "l1": ("news", "literature")[i % 2]} for i in range(40)]
    (shards / "a.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows[:20]) + "{bad\n")
    (shards / "sub" / "b.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows[20:]))
    shutil.copytree(shards, sftp.root / "shards")
    args = ["--share", "news=0.5", "--share", "literature=0.5", "--budget", "800", "--seed", "3"]
    here = CliRunner().invoke(app, ["mix", str(shards), "-o", str(tmp_path / "local"), *args])
    there = CliRunner().invoke(app, ["mix", sftp.url("shards"), "-o", str(tmp_path / "remote"), *args])
    assert here.exit_code == 0 and there.exit_code == 0, there.output
    local, remote = (sorted((tmp_path / d / "data").iterdir()) for d in ("local", "remote"))
    assert [f.read_bytes() for f in local] == [f.read_bytes() for f in remote] and local
    stats = json.loads((tmp_path / "remote" / "stats.json").read_text())
    assert stats["inputs"] == [sftp.url("shards/a.jsonl"), sftp.url("shards/sub/b.jsonl")]
    assert stats["rows"]["excluded"] >= 1  # the malformed line, read remotely and recorded


def test_a_mixture_written_to_an_sftp_server_is_the_local_one(tmp_path, sftp, monkeypatch):
    import tempfile

    from typer.testing import CliRunner

    from wenforge.cli import app

    src = tmp_path / "in.jsonl"
    rows = [{"id": f"d{i}", "text": "文" * (40 + i), "l1": ("news", "literature")[i % 2]} for i in range(40)]
    src.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows) + "{bad\n")
    args = ["--share", "news=0.5", "--share", "literature=0.5", "--budget", "800", "--seed", "3"]
    staging = tmp_path / "tmp"
    staging.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(staging))
    here = CliRunner().invoke(app, ["mix", str(src), "-o", str(tmp_path / "local"), *args])
    there = CliRunner().invoke(app, ["mix", str(src), "-o", sftp.url("mixes/m1"), *args])
    assert here.exit_code == 0 and there.exit_code == 0, there.output
    remote = sftp.root / "mixes" / "m1"
    assert (remote / "data" / "mixture.jsonl").read_bytes() == (tmp_path / "local" / "data" / "mixture.jsonl").read_bytes()
    assert (remote / "excluded" / "malformed.jsonl").exists() and (remote / "report.html").exists()
    assert json.loads((remote / "stats.json").read_text())["rows"] == json.loads(
        (tmp_path / "local" / "stats.json").read_text())["rows"]
    assert not list(staging.iterdir())  # the local staging folder is gone
