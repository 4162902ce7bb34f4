"""`wenforge pii`: rows keep their fields and gain `pii`; malformed lines are written with a reason."""

import json

from typer.testing import CliRunner

from wenforge.cli import app


def _write(path, lines):
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_rows_keep_fields_gain_spans_and_bad_lines_keep_a_reason(tmp_path, fake):
    phone, email = fake.phone_number(), fake.email()
    text = f"请联系{fake.name()}，电话{phone}，邮箱{email}。"
    src = _write(tmp_path / "in.jsonl", [json.dumps({"id": "a", "text": text, "source": "bbs"}, ensure_ascii=False),
                                         "{broken", json.dumps({"id": "b", "text": 7}), json.dumps({"id": "c"})])
    out = tmp_path / "out.jsonl"
    res = CliRunner().invoke(app, ["pii", str(src), "-o", str(out)])
    assert res.exit_code == 0, res.output
    rows = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == 4
    good = rows[0]
    assert good["source"] == "bbs" and good["id"] == "a"
    assert [text[s["start"]:s["end"]] for s in good["pii"]] == [phone, email]
    assert good["text"] == text.replace(phone, "<PHONE>").replace(email, "<EMAIL>")
    assert [r["reason"] for r in rows[1:]] == ["malformed_json", "wrong_field_type", "missing_text_field"]
    assert rows[1]["line"] == 2 and "in.jsonl:2" in rows[1]["error"] and rows[2]["text"] == 7


def test_hash_mode_takes_the_salt_from_the_environment_and_never_prints_it(tmp_path, monkeypatch):
    src = _write(tmp_path / "in.jsonl", [json.dumps({"body": "手机13812345678", "text": "不动"}, ensure_ascii=False)])
    out = tmp_path / "out.jsonl"
    runner = CliRunner()
    monkeypatch.delenv("WENFORGE_PII_SALT", raising=False)
    refused = runner.invoke(app, ["pii", str(src), "-o", str(out), "--mode", "hash", "--field", "body"])
    assert refused.exit_code == 2 and "salt" in refused.output and not out.exists()
    monkeypatch.setenv("WENFORGE_PII_SALT", "pepper-42")
    res = runner.invoke(app, ["pii", str(src), "-o", str(out), "--mode", "hash", "--field", "body"])
    assert res.exit_code == 0 and "pepper-42" not in res.output
    row = json.loads(out.read_text(encoding="utf-8"))
    assert row["body"].startswith("手机<PHONE:") and row["text"] == "不动" and row["pii"][0]["type"] == "phone"


def test_unknown_type_and_overwriting_the_input_are_refused(tmp_path):
    src = _write(tmp_path / "in.jsonl", ['{"text": "x"}'])
    runner = CliRunner()
    bad = runner.invoke(app, ["pii", str(src), "-o", str(tmp_path / "o.jsonl"), "--types", "phone,passport"])
    assert bad.exit_code == 2 and "passport" in bad.output
    same = runner.invoke(app, ["pii", str(src), "-o", str(src)])
    assert same.exit_code == 2 and src.read_text() == '{"text": "x"}\n'


def test_input_and_output_on_an_sftp_server(sftp, fake):
    phone = fake.phone_number()
    _write(sftp.root / "in.jsonl", [json.dumps({"id": "a", "text": f"电话{phone}"}, ensure_ascii=False), "{broken"])
    res = CliRunner().invoke(app, ["pii", sftp.url("in.jsonl"), "-o", sftp.url("out/redacted.jsonl")])
    assert res.exit_code == 0, res.output
    rows = [json.loads(x) for x in (sftp.root / "out" / "redacted.jsonl").read_text(encoding="utf-8").splitlines()]
    assert rows[0]["text"] == "电话<PHONE>" and rows[1]["reason"] == "malformed_json"
    assert rows[1]["error"].startswith(sftp.url("in.jsonl") + ":2:")
    same = CliRunner().invoke(app, ["pii", sftp.url("in.jsonl"), "-o", sftp.url("in.jsonl")])
    assert same.exit_code == 2 and "the output is the input file" in same.output
