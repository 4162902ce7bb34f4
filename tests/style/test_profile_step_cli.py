"""Profiles (ordering, save/load), the datatrove step, and the `wenforge style` commands."""

import json

import pytest
from datatrove.data import Document
from typer.testing import CliRunner

from wenforge.cli import app
from wenforge.style import build_profile, load_profile, style_match
from wenforge.style.profile import ProfileError, save_profile
from wenforge.style.step import StyleLabel

ORNATE = [
    "晨光洒在小区的空地上，一张张指南像白鸽一样飞进邻居们的掌心，笑声在楼宇间回荡，温柔地呼吸。",
    "六月的原野是一片翻滚的金色海洋，麦浪一层层涌向天边，风一吹，便哗哗地唱起丰收的歌。",
    "一条银色的长龙在城市的地下醒来，它穿过沉睡的岩层，串起二十四颗明亮的珍珠，仿佛把晨曦和晚霞缝进同一段旅程。",
    "月光像一层薄薄的轻纱，静静地铺在湖面上，远处的山影朦胧，仿佛在梦里低声呢喃。",
]
PLAIN = [
    "本市地铁六号线今天开通运营，线路全长32公里，设24座车站，高峰时段发车间隔为3分钟。",
    "该公司第三季度营业收入为120亿元，同比增长8%，其中线上订单占比达到35%。",
    "气象台预报，明天本市有中到大雨，气温在18到24摄氏度之间，东南风3到4级。",
    "研究人员对3000名高血压患者进行了为期2年的随访，收缩压平均下降了8毫米汞柱。",
]


def test_profile_match_ordering_and_roundtrip(tmp_path):
    prof = build_profile(ORNATE[:3], name="ornate")
    probe_ornate = ORNATE[3]
    probe_plain = "县农业部门推广了节水灌溉技术，今年小麦平均亩产520公斤，收购价格为每斤1.3元。"
    m_o, m_p = style_match(probe_ornate, prof), style_match(probe_plain, prof)
    assert 0.0 <= m_p < m_o <= 1.0
    plain_prof = build_profile(PLAIN)
    assert style_match(probe_plain, plain_prof) > style_match(probe_ornate, plain_prof)
    path = save_profile(prof, tmp_path / "p.json")
    again = load_profile(path)
    assert style_match(probe_ornate, again) == pytest.approx(m_o)


def test_profile_errors(tmp_path):
    with pytest.raises(ProfileError):
        build_profile(["", "   "])
    bad = tmp_path / "bad.json"
    bad.write_text('{"n": 1}', encoding="utf-8")
    with pytest.raises(ProfileError, match="missing keys"):
        load_profile(bad)


def test_datatrove_step_adds_metadata():
    docs = [Document(text=ORNATE[0], id="a"), Document(text=PLAIN[0], id="b", metadata={"x": 1})]
    out = list(StyleLabel(features=True, evidence=True).run(iter(docs)))
    assert [d.id for d in out] == ["a", "b"]
    for d in out:
        md = d.metadata
        assert isinstance(md["literary_score"], float) and isinstance(md["l1"], str)
        assert isinstance(md["l2"], str) and isinstance(md["l3"], list) and "style_features" in md
    assert out[0].metadata["literary_score"] > out[1].metadata["literary_score"]
    assert out[1].metadata["x"] == 1 and out[1].metadata["l1"] == "news"


def _write(path, lines):
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_cli_label_profile_and_bad_input(tmp_path):
    inp = tmp_path / "in.jsonl"
    rows = [json.dumps({"id": f"o{i}", "text": t}, ensure_ascii=False) for i, t in enumerate(ORNATE + PLAIN)]
    rows.insert(2, "{not json")
    rows.append(json.dumps({"id": "script", "text": "<script>alert(1)</script>月光像水一样流淌。"}, ensure_ascii=False))
    _write(inp, rows)
    out = tmp_path / "out.jsonl"
    r = CliRunner().invoke(app, ["style", str(inp), "-o", str(out)])
    assert r.exit_code == 0, r.output
    recs = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert len(recs) == len(rows)  # malformed lines are emitted with a reason, not dropped
    assert recs[2]["error"].startswith("malformed_json") and recs[2]["line"] == 3
    good = recs[0]
    assert set(good) >= {"id", "literary_score", "taxonomy", "features", "evidence"}
    assert set(good["taxonomy"]) == {"l1", "l2", "l3"} and good["evidence"][0]["span"]
    assert "in.jsonl:3" in r.output
    html = out.with_suffix(".html").read_text(encoding="utf-8")
    assert "<script>alert" not in html and "&lt;script&gt;" in html

    prof = tmp_path / "prof.json"
    r = CliRunner().invoke(app, ["style", "profile", str(inp), "-o", str(prof)])
    assert r.exit_code == 0, r.output
    assert load_profile(prof).n == len(ORNATE) + len(PLAIN) + 1


def test_cli_rejects_empty_and_binary(tmp_path):
    empty = tmp_path / "e.jsonl"
    empty.write_bytes(b"")
    r = CliRunner().invoke(app, ["style", str(empty), "-o", str(tmp_path / "o.jsonl")])
    assert r.exit_code == 2 and "empty" in r.output
    binf = tmp_path / "b.jsonl"
    binf.write_bytes(b"\x00\x01\x02PK")
    r = CliRunner().invoke(app, ["style", "label", str(binf), "-o", str(tmp_path / "o.jsonl")])
    assert r.exit_code == 2 and "binary" in r.output


def test_cli_label_on_an_sftp_server_writes_the_report_beside_the_output(sftp):
    _write(sftp.root / "in.jsonl", [json.dumps({"id": "o0", "text": ORNATE[0]}, ensure_ascii=False), "{not json"])
    r = CliRunner().invoke(app, ["style", sftp.url("in.jsonl"), "-o", sftp.url("out/labels.jsonl")])
    assert r.exit_code == 0, r.output
    recs = [json.loads(x) for x in (sftp.root / "out" / "labels.jsonl").read_text(encoding="utf-8").splitlines()]
    assert recs[0]["id"] == "o0" and recs[1]["error"].startswith("malformed_json")
    assert "in.jsonl:2" in r.output and (sftp.root / "out" / "labels.html").read_text(encoding="utf-8").startswith("<!DOCTYPE")
