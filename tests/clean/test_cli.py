import json

from typer.testing import CliRunner

from wenforge.cli import app

SPAM = ("TOP1热点:澳门新葡京官网 注册送88元\n昨日一场暴雨使城区多处积水，交警部门启动应急预案，疏导交通，市民出行基本正常。"
        "气象部门预计，今明两天仍有阵雨，提醒市民注意防范。\nTOP2热点:成人视频在线观看 ABCDE123_jan07\n"
        "X8kq2Lm9Zp3R+7vT0bN5cY1wE6uJ4sH+dG")


def test_clean_command_with_explain_and_malformed_line(tmp_path):
    inp = tmp_path / "in.jsonl"
    inp.write_text("\n".join([
        json.dumps({"id": "a", "text": SPAM}, ensure_ascii=False),
        "{broken json",
        json.dumps({"id": "c", "text": "今天天气很好，我们去公园散步，看到很多人在放风筝。"}, ensure_ascii=False),
        json.dumps({"id": "d", "text": 5}),
    ]) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    res = CliRunner().invoke(app, ["clean", str(inp), "-o", str(out), "--explain"])
    assert res.exit_code == 0, res.output
    rows = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in rows] == ["a", "in.jsonl:2", "c", "d"]
    a = rows[0]
    assert a["spam"] and "昨日一场暴雨" in a["text"] and "TOP1" not in a["text"]
    assert {"hotlist", "bait"} <= set(a["reasons"])
    assert all({"start", "end", "reason", "text"} <= set(s) for s in a["removed"])
    assert rows[1]["reasons"] == ["malformed_json"] and rows[3]["reasons"] == ["missing_text_field"]
    assert not rows[2]["spam"] and rows[2]["text"].startswith("今天天气很好")
    assert "in.jsonl:2" in res.output and "malformed" in res.output


def test_clean_command_rejects_empty_and_binary(tmp_path):
    empty = tmp_path / "e.jsonl"
    empty.write_text("", encoding="utf-8")
    res = CliRunner().invoke(app, ["clean", str(empty), "-o", str(tmp_path / "o.jsonl")])
    assert res.exit_code == 2 and "empty" in res.output
    binf = tmp_path / "b.jsonl"
    binf.write_bytes(b"\x00\x01\x02PK\x03\x04")
    res = CliRunner().invoke(app, ["clean", str(binf), "-o", str(tmp_path / "o.jsonl")])
    assert res.exit_code == 2 and "binary" in res.output


def test_clean_command_passes_config_keys_to_clean_page(tmp_path):
    hot_page = ("新华社北京5月10日电 全国政协10日在京召开双周协商座谈会，围绕推进乡村振兴建言资政。与会委员认为，要加快补齐农村基础设施短板。\n"
                "TOP1热点:某地暴雨致城区内涝\nTOP2热点:明星离婚案今日开庭")
    inp = tmp_path / "in.jsonl"
    inp.write_text(json.dumps({"id": "a", "text": hot_page}, ensure_ascii=False) + "\n", encoding="utf-8")
    runs = {}
    for name, yaml_text in (("default", None), ("tuned", "hotlist_line_weight: 0.0\nmin_salvage_chars: 5\n")):
        args = ["clean", str(inp), "-o", str(tmp_path / f"{name}.jsonl")]
        if yaml_text is not None:
            (tmp_path / "clean.yaml").write_text(yaml_text, encoding="utf-8")
            args += ["--config", str(tmp_path / "clean.yaml")]
        res = CliRunner().invoke(app, args)
        assert res.exit_code == 0, res.output
        runs[name] = json.loads((tmp_path / f"{name}.jsonl").read_text(encoding="utf-8"))
    assert runs["default"]["spam"] and "TOP1" not in runs["default"]["text"]
    assert not runs["tuned"]["spam"] and runs["tuned"]["text"] == hot_page  # the hot list weighs nothing now

    (tmp_path / "bad.yaml").write_text("spam_threshold: 0.5\nhotlist_line_weigth: 0.1\n", encoding="utf-8")
    res = CliRunner().invoke(app, ["clean", str(inp), "-o", str(tmp_path / "bad.jsonl"), "--config",
                                   str(tmp_path / "bad.yaml")])
    out = "".join(res.output.split())  # rich wraps long paths
    assert res.exit_code == 2 and "hotlist_line_weigth" in out and "bad.yaml" in out


def test_clean_reads_and_writes_on_an_sftp_server(sftp):
    (sftp.root / "pages.jsonl").write_text(json.dumps({"text": SPAM}, ensure_ascii=False) + "\n", encoding="utf-8")
    res = CliRunner().invoke(app, ["clean", sftp.url("pages.jsonl"), "-o", sftp.url("out/clean.jsonl")])
    assert res.exit_code == 0, res.output
    (row,) = [json.loads(x) for x in (sftp.root / "out" / "clean.jsonl").read_text(encoding="utf-8").splitlines()]
    assert row["spam"] and "昨日一场暴雨" in row["text"] and "TOP1" not in row["text"]
