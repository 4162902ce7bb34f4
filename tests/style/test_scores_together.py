"""score_style carries ornateness, overwrought and quality beside literary_score, in every face: the function,
the CLI, the pipeline step, the style reward and eval; and none of the four moves with the surface (issue 12)."""

import json

import opencc
from typer.testing import CliRunner

from wenforge.cli import app
from wenforge.rewards import style_reward
from wenforge.style import score_style

PLAIN = "公园东门从下周一起封闭维修，工期约两个月。维修期间请游客从南门和西门进出，停车场照常开放，开放时间不变。"
ORNATE = ("暮色像一层薄薄的纱，轻轻落在老城的屋檐上。风从巷口溜进来，带着桂花的甜香，"
          "悄悄翻动晾衣绳上那件褪色的蓝布衫。远处的钟声一圈一圈荡开，仿佛在替整条街数着归家的脚步。")
SLOP = ("这不是一次简单的旅行，而是一场灵魂的远行。当记忆遇见星河，时间的褶皱里便盛满了量子般的涟漪。"
        "那一刻，我深吸一口气，心底泛起一丝温柔的回响。或许，这就是生命真正的意义。")
ASCII = str.maketrans({"，": ",", "。": ".", "？": "?", "！": "!", "；": ";", "：": ":", "（": "(", "）": ")"})


def test_ornateness_orders_plain_below_ornate_and_overwrought_catches_slop():
    plain, ornate, slop = (score_style(t) for t in (PLAIN, ORNATE, SLOP))
    assert plain.ornateness < 0.3 < 0.6 < ornate.ornateness
    assert ornate.overwrought < 0.2 < slop.overwrought
    assert {e["signal"] for e in slop.explain["ornament"]} & {"slop_frames", "cosmic_pairs", "stock", "closer"}
    assert all(0.0 <= x <= 1.0 for r in (plain, ornate, slop) for x in (r.ornateness, r.overwrought, r.quality))


def test_quality_reads_the_prompt_and_explains_itself():
    story = "小镇的早晨从豆浆铺开始。老陈五点生火，六点半第一锅油条出锅，上学的孩子排成一列，手里攥着硬币。"
    on = score_style(story, prompt="写一段关于小镇早晨豆浆铺的描写")
    off = score_style(story, prompt="写一封给远方朋友的信，介绍你的工作和新城市的天气")
    assert on.quality > off.quality
    assert on.explain["quality"] and all(isinstance(n, str) for n, _ in on.explain["quality"])


def test_four_scores_do_not_move_with_punctuation_or_script():
    t2 = opencc.OpenCC("s2t")
    for text in (PLAIN, ORNATE, SLOP):
        base = score_style(text)
        for variant in (text.translate(ASCII), t2.convert(text)):
            other = score_style(variant)
            for k in ("literary_score", "ornateness", "overwrought", "quality"):
                assert abs(getattr(base, k) - getattr(other, k)) <= 0.05, (k, variant[:20])


def test_cli_writes_the_scores_and_reads_the_prompt_field(tmp_path):
    inp = tmp_path / "in.jsonl"
    rows = [{"id": "a", "text": ORNATE, "ask": "写一段黄昏老街的散文"}, {"id": "b", "text": PLAIN}]
    inp.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    res = CliRunner().invoke(app, ["style", str(inp), "-o", str(out), "--prompt-field", "ask"])
    assert res.exit_code == 0, res.output
    got = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert got[0]["ornateness"] > got[1]["ornateness"]
    assert got[0]["quality"] == score_style(ORNATE, prompt="写一段黄昏老街的散文").quality
    assert {"quality", "ornament"} <= set(got[0]["explain"])


def test_step_and_reward_carry_the_scores():
    from datatrove.data import Document

    from wenforge.style.step import StyleLabel

    doc = next(StyleLabel().run(iter([Document(text=ORNATE, id="x")])))
    r = score_style(ORNATE)
    assert doc.metadata["ornateness"] == r.ornateness and doc.metadata["quality"] == r.quality
    assert style_reward(ORNATE, mode="ornate") > style_reward(SLOP, mode="ornate")
    assert abs(style_reward(f"<think>想一想</think>{ORNATE}", mode="ornate") - r.ornateness * (1 - r.overwrought)) < 1e-9
    assert style_reward(ORNATE, mode="quality", prompt="写黄昏") == score_style(ORNATE, prompt="写黄昏").quality
