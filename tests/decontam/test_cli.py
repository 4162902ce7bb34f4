"""`wenforge decontaminate`: every row written back with `contaminated` and `matches`, malformed lines with a reason,
--exclude, a saved index, and clear errors."""

import json

from typer.testing import CliRunner

from wenforge.cli import app
from wenforge.text.chars import to_traditional

ITEM = ("某工厂第一季度生产零件四千二百个，第二季度比第一季度多生产百分之十五，第三季度的产量是第二季度的一半，"
        "问这三个季度一共生产零件多少个？")
OTHER = "阅读下面的材料，根据要求写作。有人说，城市的记忆藏在老街的石板路上；请写一篇不少于八百字的文章。"
CLEAN = "本报讯 昨天上午，市图书馆新馆正式向读者开放。新馆共有六层，藏书八十余万册，设有少儿阅览区和古籍修复室。"

runner = CliRunner()


def _setup(tmp_path):
    bench = tmp_path / "bench.jsonl"
    bench.write_text(json.dumps({"id": "q7", "benchmark": "EXAM", "question": ITEM}, ensure_ascii=False) + "\n"
                     + json.dumps({"id": "q8", "benchmark": "EXAM", "question": OTHER}, ensure_ascii=False) + "\n",
                     encoding="utf-8")
    doc = CLEAN + "\n" + to_traditional(ITEM)
    rows = [json.dumps({"id": "a", "text": CLEAN, "source": "web"}, ensure_ascii=False),
            json.dumps({"id": "b", "text": doc}, ensure_ascii=False),
            "{not json",
            json.dumps({"id": "c", "body": "no text field"})]
    inp = tmp_path / "in.jsonl"
    inp.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return bench, inp, doc


def _read(path):
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines()]


def test_rows_gain_contaminated_and_matches_and_bad_lines_keep_a_reason(tmp_path):
    bench, inp, doc = _setup(tmp_path)
    out = tmp_path / "out.jsonl"
    r = runner.invoke(app, ["decontaminate", str(inp), "-o", str(out), "--against", str(bench)])
    assert r.exit_code == 0, r.output
    rows = _read(out)
    assert len(rows) == 4  # one line per input line
    assert rows[0] == {"id": "a", "text": CLEAN, "source": "web", "contaminated": False, "matches": []}
    assert rows[1]["contaminated"] is True
    (m,) = rows[1]["matches"]
    assert (m["benchmark"], m["item"]) == ("EXAM", "q7")
    assert doc[m["start"] : m["end"]] == to_traditional(ITEM).rstrip("？")
    assert rows[2]["line"] == 3 and rows[2]["reason"] == "malformed_json" and "in.jsonl:3" in rows[2]["error"]
    assert rows[3]["id"] == "c" and rows[3]["reason"] == "missing_text_field"
    assert "EXAM" in r.output


def test_exclude_leaves_contaminated_rows_out_and_writes_them_aside(tmp_path):
    bench, inp, _ = _setup(tmp_path)
    out, aside = tmp_path / "out.jsonl", tmp_path / "excluded.jsonl"
    r = runner.invoke(app, ["decontaminate", str(inp), "-o", str(out), "--against", str(bench), "--exclude",
                            "--excluded", str(aside)])
    assert r.exit_code == 0, r.output
    assert [x.get("id") for x in _read(out)] == ["a", None, "c"]
    (ex,) = _read(aside)
    assert ex["id"] == "b" and ex["reason"] == "benchmark_contamination" and ex["matches"][0]["item"] == "q7"


def test_threshold_and_n_reach_the_index(tmp_path):
    bench, inp, _ = _setup(tmp_path)
    out = tmp_path / "out.jsonl"
    half = CLEAN + ITEM[:30]
    inp.write_text(json.dumps({"id": "h", "text": half}, ensure_ascii=False) + "\n", encoding="utf-8")
    low = runner.invoke(app, ["decontaminate", str(inp), "-o", str(out), "--against", str(bench), "--threshold", "0.2"])
    assert low.exit_code == 0 and _read(out)[0]["contaminated"] is True
    high = runner.invoke(app, ["decontaminate", str(inp), "-o", str(out), "--against", str(bench), "--threshold", "0.9"])
    assert high.exit_code == 0 and _read(out)[0]["contaminated"] is False
    long_n = runner.invoke(app, ["decontaminate", str(inp), "-o", str(out), "--against", str(bench),
                                 "--threshold", "0.2", "--n", "40", "--min-tokens", "40"])
    assert long_n.exit_code == 0 and _read(out)[0]["contaminated"] is False


def test_against_takes_several_files_after_it(tmp_path):
    bench, inp, _ = _setup(tmp_path)
    gsm = tmp_path / "gsm.jsonl"
    gsm.write_text(json.dumps({"question": "Janet has twelve apples and gives away five of them to her two "
                                           "friends every single day of the week. How many are left on Sunday?"})
                   + "\n", encoding="utf-8")
    out, idx = tmp_path / "out.jsonl", tmp_path / "idx.npz"
    r = runner.invoke(app, ["decontaminate", str(inp), "--against", str(bench), str(gsm), "-o", str(out),
                            "--save-index", str(idx)])
    assert r.exit_code == 0, r.output
    from wenforge.decontam.index import BenchmarkIndex

    assert {b for b, _ in BenchmarkIndex.load(idx).items} == {"EXAM", "gsm"}
    stray = runner.invoke(app, ["decontaminate", str(inp), str(gsm), "-o", str(out), "--index", str(idx)])
    assert stray.exit_code == 2 and "go after --against" in stray.output


def test_a_saved_index_gives_the_same_rows(tmp_path):
    bench, inp, _ = _setup(tmp_path)
    a, b, idx = tmp_path / "a.jsonl", tmp_path / "b.jsonl", tmp_path / "idx.npz"
    r1 = runner.invoke(app, ["decontaminate", str(inp), "-o", str(a), "--against", str(bench), "--save-index", str(idx)])
    r2 = runner.invoke(app, ["decontaminate", str(inp), "-o", str(b), "--index", str(idx)])
    assert r1.exit_code == 0 and r2.exit_code == 0, r1.output + r2.output
    assert _read(a) == _read(b)


def test_errors_are_one_clear_line(tmp_path):
    bench, inp, _ = _setup(tmp_path)
    out = tmp_path / "out.jsonl"
    cases = [
        (["decontaminate", str(inp), "-o", str(out)], "--against"),
        (["decontaminate", str(inp), "-o", str(inp), "--against", str(bench)], "the output is the input"),
        (["decontaminate", str(inp), "-o", str(out), "--against", str(tmp_path / "nope.jsonl")], "no such file"),
        (["decontaminate", str(inp), "-o", str(out), "--against", str(bench), "--field", "stem"], "'stem'"),
        (["decontaminate", str(inp), "-o", str(out), "--index", str(tmp_path / "none.npz")], "missing"),
    ]
    for args, expected in cases:
        r = runner.invoke(app, args)
        assert r.exit_code == 2, (args, r.output)
        assert expected in r.output, (args, r.output)
        assert "Traceback" not in r.output
    assert not out.exists()


def test_rows_benchmarks_and_index_on_an_sftp_server(tmp_path, sftp):
    bench, inp, _ = _setup(tmp_path)
    for f in (bench, inp):
        (sftp.root / f.name).write_bytes(f.read_bytes())
    res = runner.invoke(app, ["decontaminate", sftp.url("in.jsonl"), "-o", sftp.url("out/rows.jsonl"),
                              "--against", sftp.url("bench.jsonl"), "--save-index", sftp.url("out/index.npz")])
    assert res.exit_code == 0, res.output
    rows = _read(sftp.root / "out" / "rows.jsonl")
    assert [r.get("contaminated") for r in rows] == [False, True, None, None]
    assert rows[1]["matches"][0]["benchmark"] == "EXAM" and rows[1]["matches"][0]["item"] == "q7"
    again = runner.invoke(app, ["decontaminate", sftp.url("in.jsonl"), "-o", sftp.url("out/again.jsonl"),
                                "--index", sftp.url("out/index.npz")])
    assert again.exit_code == 0, again.output
    assert _read(sftp.root / "out" / "again.jsonl") == rows
