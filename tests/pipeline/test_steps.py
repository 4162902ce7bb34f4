import random

from datatrove.data import Document

from wenforge.pipeline.config import QualityConfig
from wenforge.pipeline.steps import (
    Decode,
    Extract,
    LanguageId,
    Normalize,
    ReadGate,
    decode_bytes,
    detect_language,
)
from wenforge.pipeline.steps.quality import LanguageQuality, chinese_filters, english_filters

TEXT = "北京今年的春天来得格外早，玉渊潭的樱花已经开了。市民们扶老携幼前来赏花，公园里人头攒动。"


def test_decode_legacy_chinese_encodings():
    for enc in ("gbk", "gb18030", "big5"):
        text = TEXT if enc != "big5" else "臺北今年的春天來得格外早，公園裡人頭攢動。" * 3
        dec = decode_bytes(text.encode(enc))
        assert dec.text == text, enc
    # a declared charset that lies (gb2312 page with GB18030-only characters) still decodes
    raw = ("<meta charset='gb2312'>" + TEXT + "𠀀").encode("gb18030")
    assert "𠀀" in decode_bytes(raw).text


def test_decode_never_raises_on_garbage():
    rng = random.Random(0)
    for _ in range(50):
        raw = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 400)))
        dec = decode_bytes(raw)
        assert isinstance(dec.text, str)
    assert decode_bytes(b"\x00\x00PK\x03\x04" * 20).binary


def test_decode_step_excludes_binary_and_truncates():
    step = Decode(max_chars=10, oversize="truncate")
    doc = Document(text="", id="1", metadata={"_raw": TEXT.encode("gbk")})
    assert step.filter(doc) is True and doc.text == TEXT[:10] and doc.metadata["truncated_from"] == len(TEXT)
    bin_doc = Document(text="", id="2", metadata={"_raw": b"\x00\x01" * 100})
    assert step.filter(bin_doc) == (False, "binary_content") and "_raw" not in bin_doc.metadata


def test_gate_size_cap_exclude_mode_keeps_preview():
    doc = Document(text="长" * 50_000, id="h")
    assert ReadGate(max_chars=1000, oversize="exclude").filter(doc) == (False, "too_long")
    assert len(doc.text) == 2000 and doc.metadata["original_chars"] == 50_000


def test_extract_keeps_paragraphs_and_skips_plain_text():
    paras = [TEXT, "第二段讲述了人们在花下合影留念的情景，孩子们在草地上奔跑嬉戏，笑声不断。" * 2]
    html = "<html><body><nav>首页 新闻</nav><article>" + "".join(f"<p>{p}</p>" for p in paras) + "</article></body></html>"
    doc = Document(text=html, id="1")
    assert Extract().filter(doc) is True
    assert doc.text.split("\n") == paras
    plain = Document(text=TEXT, id="2")
    assert Extract().filter(plain) is True and plain.text == TEXT


def test_normalize():
    doc = Document(text="ＡＢＣ１２３，价格&amp;nbsp;<font color=red>上涨</font>。\n\n\n\n第二段", id="1")
    assert Normalize().filter(doc) is True
    assert doc.text == "ABC123，价格 上涨。\n\n第二段"
    assert Normalize().filter(Document(text="<p> </p>", id="2")) == (False, "empty_after_normalize")
    d = Document(text="學習與發展", id="3")
    Normalize(to_simplified=True).filter(d)
    assert d.text == "学习与发展"


def test_langid():
    assert detect_language(TEXT)[0] == "zh"
    assert detect_language("The committee approved the budget after a long debate on Tuesday.")[0] == "en"
    assert detect_language("東京は日本の首都です。とても大きな都市です。")[0] == "ja"
    # Han-only text about Japan is Chinese, whatever the lite model's first guess
    assert detect_language("日本作家大江健三郎出席东京集会，抗议安倍政权解禁集体自卫权。")[0] == "zh"
    step = LanguageId(allow=["zh"], min_score=0.5)
    doc = Document(text="The committee approved the budget after a long debate.", id="e")
    assert step.filter(doc) == (False, "language_not_allowed") and doc.metadata["language"] == "en"


def test_quality_routes_by_language(news):
    q = LanguageQuality(chains={"zh": chinese_filters(QualityConfig().zh), "en": english_filters(QualityConfig().en)})
    kept = sum(q.filter(Document(text=t, id=str(i), metadata={"language": "zh"})) is True for i, t in enumerate(news))
    assert kept >= len(news) * 0.7  # FineWeb-2 keeps most genuine news
    spam = "\n".join(["澳门新葡京官网注册送彩金"] * 40)
    keep, reason = q.filter(Document(text=spam, id="s", metadata={"language": "zh"}))
    assert keep is False and reason.startswith(("gopher_rep:", "fineweb_qual:", "gopher_qual:"))
    other = Document(text="x", id="o", metadata={"language": "fr"})
    assert q.filter(other) is True


def test_quality_rescues_literature_the_generic_filters_drop():
    import json

    from wenforge.core.paths import data_folder

    poems = []
    with open(data_folder() / "literary" / "classical_poetry.jsonl", encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            if r["split"] == "dev" and r["genre"] in ("唐诗", "宋词") and len(poems) < 12:
                poems.append(r["text"])
    zh = chinese_filters(QualityConfig().zh)
    plain = LanguageQuality(chains={"zh": zh})
    rescuing = LanguageQuality(chains={"zh": zh}, rescue_literary=0.8)
    dropped = [p for p in poems if plain.filter(Document(text=p, id="p", metadata={"language": "zh"})) is not True]
    assert len(dropped) >= len(poems) // 2  # FineWeb-2's web rules drop most poems
    for p in dropped:
        doc = Document(text=p, id="p", metadata={"language": "zh"})
        assert rescuing.filter(doc) is True
        assert doc.metadata["quality_rescued"].split(":")[0] in {"gopher_rep", "fineweb_qual", "gopher_qual"}
    spam = Document(text="\n".join(["澳门新葡京官网注册送彩金"] * 40), id="s", metadata={"language": "zh"})
    assert rescuing.filter(spam)[0] is False  # rescue is for literature, not for spam


def test_stray_inline_tags_are_not_html():
    from wenforge.pipeline.steps.extract import looks_like_html

    spam_residue = TEXT + "\n<font color=red>TOP1热点</font>：<span>某某新闻</span>\n" + TEXT
    assert not looks_like_html(spam_residue)
    doc = Document(text=spam_residue, id="s")
    assert Extract().filter(doc) is True and doc.text == spam_residue  # left for normalize, not dropped
    assert looks_like_html("<!DOCTYPE html><html><body><p>x</p></body></html>")
    assert looks_like_html("<div><p>一</p><p>二</p><p>三</p></div>")
