"""`mix` is never silently wrong and never reads its own output back (issue 14)."""

import json

import pytest
from typer.testing import CliRunner

from wenforge.cli import app
from wenforge.mix import MixConfig, MixError, build_mixture


def _write(path, rows):
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


def _huge_and_small(tmp_path):
    rows = [{"id": f"s{i}", "text": "短文" * 50, "l1": "news"} for i in range(200)]
    rows += [{"id": f"h{i}", "text": "长篇" * 20_000, "l1": "literature"} for i in range(3)]
    return _write(tmp_path / "in.jsonl", rows)


def test_shares_that_document_sizes_cannot_meet_are_refused_not_written(tmp_path):
    src = _huge_and_small(tmp_path)
    out = tmp_path / "run"
    with pytest.raises(MixError, match="cannot be met"):
        build_mixture(src, MixConfig(shares={"news": 0.5, "literature": 0.5}, budget=30_000), out)
    assert not (out / "stats.json").exists()
    assert not (out / "data" / "mixture.jsonl").exists()


def test_share_tolerance_key_changes_the_decision(tmp_path):
    src = _huge_and_small(tmp_path)
    cfg = _write(tmp_path / "mix.yaml", [])
    cfg.write_text("shares: {news: 0.5, literature: 0.5}\nbudget: 30000\nshare_tolerance: 0.9\n", encoding="utf-8")
    res = CliRunner().invoke(app, ["mix", str(src), "--config", str(cfg), "-o", str(tmp_path / "run")])
    assert res.exit_code == 0, res.output
    stats = json.loads((tmp_path / "run" / "stats.json").read_text(encoding="utf-8"))
    assert stats["max_abs_share_error"] > 0.02  # accepted only because the tolerance allows it


def test_output_inside_the_input_folder_is_refused(tmp_path):
    folder = tmp_path / "shards"
    folder.mkdir()
    _write(folder / "a.jsonl", [{"id": str(i), "text": "文" * 50, "l1": "news"} for i in range(20)])
    with pytest.raises(MixError, match="inside the input folder"):
        build_mixture(folder, MixConfig(shares={"news": 1.0}), folder / "mix")


def test_shuffle_buffer_key_reaches_the_writer(tmp_path):
    src = _write(tmp_path / "in.jsonl", [{"id": str(i), "text": "文" * 50, "l1": "news"} for i in range(50)])
    orders = []
    for buf in (1, 50):
        cfg = tmp_path / f"mix{buf}.yaml"
        cfg.write_text(f"shares: {{news: 1.0}}\nshuffle_buffer: {buf}\n", encoding="utf-8")
        out = tmp_path / f"run{buf}"
        res = CliRunner().invoke(app, ["mix", str(src), "--config", str(cfg), "-o", str(out)])
        assert res.exit_code == 0, res.output
        orders.append([json.loads(x)["id"] for x in (out / "data" / "mixture.jsonl").read_text().splitlines()])
    assert orders[0] == [str(i) for i in range(50)]  # a buffer of one keeps input order
    assert orders[1] != orders[0] and sorted(orders[1]) == sorted(orders[0])


def test_a_mix_that_dies_while_writing_leaves_the_previous_run_intact(tmp_path, monkeypatch):
    """Issue 14: a killed mix left an empty mixture beside a stats.json claiming completion."""
    from wenforge.mix import mixture

    src = _write(tmp_path / "in.jsonl", [{"id": str(i), "text": "文" * 50, "l1": "news"} for i in range(50)])
    out = tmp_path / "run"
    build_mixture(src, MixConfig(shares={"news": 1.0}), out)
    before = {p.name: p.read_bytes() for p in (out / "stats.json", out / "data" / "mixture.jsonl")}
    calls = {"n": 0}
    real = mixture._record

    def dying(*a, **kw):
        calls["n"] += 1
        if calls["n"] > 20:
            raise KeyboardInterrupt  # the kill, mid-write
        return real(*a, **kw)

    monkeypatch.setattr(mixture, "_record", dying)
    with pytest.raises(KeyboardInterrupt):
        build_mixture(src, MixConfig(shares={"news": 1.0}, shuffle_buffer=5), out)
    after = {p.name: p.read_bytes() for p in (out / "stats.json", out / "data" / "mixture.jsonl")}
    assert after == before
