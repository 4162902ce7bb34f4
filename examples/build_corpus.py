"""Build the bundled example corpus under examples/corpus/ from ../shared/data (dev rows only).

Sources and licences (see examples/corpus/ATTRIBUTION.md, written by this script):
UHGEval news (Apache-2.0), chinese-poetry (MIT), Lu Xun's works (public domain texts), THUCNews
headlines (MIT repo, research use) inside generated SEO pages, GSM8K (MIT) for a few English rows.
HC3-Chinese human answers (CC-BY-SA-4.0) go to their own file, under that licence. CMATH is not copied.

    python examples/build_corpus.py [DATA_DIR]   # rewrites examples/corpus/ (default: $WENFORGE_DATA or ../shared/data)
"""

from __future__ import annotations

import gzip
import io
import json
import os
import random
import shutil
from pathlib import Path

from wenforge.paths import data_folder
from wenforge.synth.seopage import generate_clean_page, generate_page, load_sources

OUT = Path(__file__).parent / "corpus"
ENCODINGS = ["utf-8", "utf-8", "utf-8", "gb18030", "gbk", "big5"]


def _write_jsonl_gz(path: Path, rows: list[dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=9, mtime=0) as gz:
        gz.write("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows).encode("utf-8"))


def _near_duplicate(text: str, rng: random.Random) -> str:
    """A copy with a few characters changed and a trailing line, as re-posted articles look."""
    chars = list(text)
    for _ in range(max(1, len(chars) // 400)):
        i = rng.randrange(len(chars))
        chars[i] = rng.choice("的了是在和有")
    return "".join(chars) + "\n（来源：网络转载）"


def _html_page(title: str, body: str, charset: str) -> str:
    paras = "".join(f"<p>{p}</p>" for p in body.split("\n") if p.strip())
    return (
        f"<!DOCTYPE html><html><head><meta charset=\"{charset}\"><title>{title}</title>"
        "<script>var ad='<b>x</b>';</script></head><body><nav><a href='/'>首页</a> | <a href='/news'>新闻</a></nav>"
        f"<article><h1>{title}</h1>{paras}</article><footer>版权所有 © 示例网站</footer></body></html>"
    )


def main(data_dir: str | None = None, seed: int = 7) -> None:
    rng = random.Random(seed)
    beside_checkout = Path(__file__).resolve().parents[2] / "shared" / "data"
    data = data_folder(data_dir or os.environ.get("WENFORGE_DATA") or beside_checkout)
    src = load_sources(data, split="dev")
    if OUT.exists():
        shutil.rmtree(OUT)
    news = [a for a in src.articles if a.source == "news"]
    prose = [a for a in src.articles if a.source == "prose"]
    poetry = [a for a in src.articles if a.source == "poetry"]

    # 1. news, literature and a few English rows as JSONL
    news_rows = [{"id": f"news-{a.id}", "text": a.text, "title": a.title, "origin": "uhgeval"} for a in news]
    lit_rows = [{"id": f"lit-{a.id}", "text": a.text, "title": a.title, "origin": "luxun"} for a in prose]
    lit_rows += [{"id": f"lit-{a.id}", "text": a.text, "title": a.title, "origin": "chinese-poetry"} for a in poetry]
    gsm = [json.loads(line) for line in open(data / "math" / "gsm8k_test.jsonl", encoding="utf-8")]
    en_rows = [
        {"id": f"en-gsm8k-{i}", "text": (r["question"] + "\n" + r["answer"]).replace("####", "The answer is"), "origin": "gsm8k"}
        for i, r in enumerate(gsm)
        if r.get("split") == "dev"
    ][:60]
    # 2. duplicates: exact re-posts and near-duplicates of news
    dups = [{"id": f"dup-{i}", "text": r["text"], "origin": "repost"} for i, r in enumerate(rng.sample(news_rows, 80))]
    dups += [{"id": f"near-{i}", "text": _near_duplicate(r["text"], rng), "origin": "repost"} for i, r in enumerate(rng.sample(news_rows, 80))]
    _write_jsonl_gz(OUT / "news.jsonl.gz", news_rows)
    _write_jsonl_gz(OUT / "literature.jsonl.gz", lit_rows)
    _write_jsonl_gz(OUT / "reposts.jsonl.gz", dups + en_rows)
    # Q&A: HC3-Chinese human answers (CC-BY-SA-4.0: this one file is shared under the same licence)
    qa_rows = []
    for line in open(data / "ai_text" / "hc3_chinese_sample.jsonl", encoding="utf-8"):
        r = json.loads(line)
        if r.get("split") == "dev" and r.get("label") == "human" and len(r.get("text") or "") >= 150:
            qa_rows.append({"id": f"qa-{r['qid']}", "text": r["question"] + "\n" + r["text"], "origin": "hc3-" + r["domain"]})
    _write_jsonl_gz(OUT / "qa_cc-by-sa.jsonl.gz", qa_rows)

    # 3. black-hat SEO pages around genuine articles (text) and clean web pages, zstd JSONL
    seo = []
    for i in range(500):
        art = rng.choice(news if rng.random() < 0.7 else prose + poetry)
        if rng.random() < 0.6:
            p = generate_page(art.text, rng=rng, headlines=src.headlines, snippets=src.snippets, title=art.title or None)
        else:
            p = generate_clean_page(art.text, rng=rng, headlines=src.headlines, snippets=src.snippets, title=art.title or None)
        seo.append({"id": f"web-{i}", "text": p.text, "origin": "synthetic-seo" if p.spam else "synthetic-web"})
    import zstandard

    (OUT / "web.jsonl.zst").write_bytes(
        zstandard.ZstdCompressor(level=19).compress("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in seo).encode())
    )

    # 4. raw HTML pages in legacy encodings, some of them SEO pages
    html_dir = OUT / "html"
    html_dir.mkdir(parents=True)
    for i in range(150):
        art = rng.choice(news)
        enc = ENCODINGS[i % len(ENCODINGS)]
        if i % 3 == 0:
            page = generate_page(art.text, rng=rng, headlines=src.headlines, snippets=src.snippets, as_html=True, title=art.title or None).text
            page = page.replace("<head>", f"<head><meta charset=\"{enc}\">", 1) if "<head>" in page else page
        else:
            page = _html_page(art.title or "新闻", art.text, enc)
        text = page
        if enc == "big5":
            import opencc

            from wenforge.text.chars import _t2s  # noqa: F401  (ensures opencc is importable)

            text = opencc.OpenCC("s2t").convert(page)
        (html_dir / f"page-{i:03d}-{enc}.html").write_bytes(text.encode(enc, errors="replace"))

    # 5. a small WARC crawl
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with open(OUT / "crawl.warc.gz", "wb") as f:
        writer = WARCWriter(f, gzip=True)
        for i in range(40):
            art = rng.choice(news)
            body = _html_page(art.title or "新闻", art.text, "utf-8").encode("utf-8")
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
            rec = writer.create_warc_record(f"http://news.example.cn/{i}.html", "response", payload=io.BytesIO(body), http_headers=headers)
            writer.write_record(rec)

    # 6. bad input the pipeline must survive and report
    bad = OUT / "bad"
    bad.mkdir()
    (bad / "empty.jsonl").write_bytes(b"")
    (bad / "binary.jsonl").write_bytes(bytes(range(256)) * 8)
    huge = "长" * 300_000 + "。"
    lines = [
        json.dumps({"id": "ok-1", "text": news_rows[0]["text"] + "\n（本文另见网络）"}, ensure_ascii=False),
        '{"id": "broken-1", "text": "未闭合的引号}',
        json.dumps({"id": "no-text", "body": "字段名不对"}, ensure_ascii=False),
        json.dumps({"id": "huge-1", "text": huge}, ensure_ascii=False),
        json.dumps({"id": "html-in-jsonl", "text": "<html><body><p>" + news_rows[1]["text"].replace("\n", "</p><p>") + "</p><script>alert(1)</script></body></html>"}, ensure_ascii=False),
    ]
    (bad / "mixed.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    gbk_line = json.dumps({"id": "gbk-line", "text": news_rows[2]["text"]}, ensure_ascii=False).encode("gbk", errors="replace")
    (bad / "gbk_lines.jsonl").write_bytes(gbk_line + b"\n")

    (OUT / "ATTRIBUTION.md").write_text(
        "# Example corpus: sources and licences\n\n"
        "Built by `python examples/build_corpus.py` from `split == dev` rows of ../shared/data.\n\n"
        "- News: UHGEval (Xinhua news), Apache-2.0, https://github.com/IAAR-Shanghai/UHGEval\n"
        "- Classical poetry and prose: chinese-poetry, MIT, https://github.com/chinese-poetry/chinese-poetry\n"
        "- Lu Xun's works: texts in the public domain (repository MIT)\n"
        "- Headlines inside the synthetic SEO pages: THUCNews titles (repository MIT; THUCNews for research use)\n"
        "- English rows: GSM8K, MIT, https://github.com/openai/grade-school-math\n"
        "- `qa_cc-by-sa.jsonl.gz`: HC3-Chinese human answers (Hello-SimpleAI, https://huggingface.co/datasets/Hello-SimpleAI/HC3-Chinese),"
        " CC-BY-SA-4.0; this file is redistributed under CC-BY-SA-4.0\n"
        "- Synthetic SEO/spam pages: generated by wenforge.synth.seopage around the texts above.\n",
        encoding="utf-8",
    )
    total = len(qa_rows) + len(news_rows) + len(lit_rows) + len(dups) + len(en_rows) + len(seo) + 150 + 40
    print(f"wrote {OUT} (~{total} documents)")


if __name__ == "__main__":
    import sys

    main(sys.argv[1] if len(sys.argv) > 1 else None)
