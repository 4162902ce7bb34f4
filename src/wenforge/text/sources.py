"""Genuine human text of a data folder (UHGEval news, Lu Xun, classical poetry, HC3 human answers, THUCNews
headlines), by kind and split: what the cleaner's asset builders count and what the page generators wrap spam
around. Training-time only: it reads the data folder given (or $WENFORGE_DATA), never the working directory.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from wenforge.core.paths import data_folder
from wenforge.core.rows import data_rows


@dataclass
class Article:
    id: str
    title: str
    text: str  # paragraphs separated by "\n"
    source: str  # news / prose / poetry / qa


@dataclass
class Sources:
    articles: list[Article]
    headlines: list[str]
    snippets: list[str]
    split: str = "dev"

    def by_source(self, source: str) -> list[Article]:
        return [a for a in self.articles if a.source == source]




_NOTE_RE = re.compile(r"[〔\[][０-９0-9]+[〕\]]|[⑴-⒇①-⑳]")


def clean_luxun(text: str, max_chars: int = 3000) -> str:
    """Lu Xun markdown to paragraphs: drop fences, headers and notes, join hard-wrapped lines."""
    text = text.replace("```", "")
    paras: list[str] = []
    cur = ""
    for raw in text.split("\n"):
        line = raw.rstrip()
        if not line.strip():
            if cur:
                paras.append(cur)
                cur = ""
            continue
        if re.match(r"^\s*[\u3000]*〔[０-９0-9]+〕", line):  # notes section starts
            break
        if raw.startswith("\u3000\u3000") and cur:
            paras.append(cur)
            cur = ""
        cur += line.strip().strip("\u3000")
    if cur:
        paras.append(cur)
    paras = [_NOTE_RE.sub("", p) for p in paras]
    # drop header-ish short lines without punctuation (title, ·鲁迅·, dates)
    paras = [p for p in paras if len(p) >= 12 or re.search(r"[。！？，]", p)]
    out, n = [], 0
    for p in paras:
        out.append(p)
        n += len(p)
        if n >= max_chars:
            break
    return "\n".join(out)


def load_sources(data_dir: str | Path | None = None, *, split: str = "dev", max_prose_chars: int = 3000) -> Sources:
    """Genuine articles (UHGEval full news, Lu Xun, classical poetry, HC3 human answers), THUCNews
    headlines and unrelated news snippets, restricted to rows with ``split == split``."""
    data_dir = data_folder(data_dir)
    articles: list[Article] = []
    snippets: list[str] = []
    for row in data_rows(data_dir / "hallucination" / "uhgeval_concise.jsonl"):
        if row.get("split") != split:
            continue
        full = (row.get("newsBeginning") or "") + (row.get("newsRemainder") or "")
        paras = [p.strip() for p in full.split("\n") if p.strip()]
        if not paras:
            continue
        title = re.sub(r"^（[^）]{1,6}）", "", row.get("headLine") or "").strip()
        text = "\n".join(paras)
        if len(text) >= 200:
            articles.append(Article(row["id"], title, text, "news"))
        # snippets: a dateline paragraph or a middle one, up to two sentences
        for p in (paras[0], paras[len(paras) // 2]):
            sents = re.findall(r"[^。！？]+[。！？]", p)
            if sents:
                snippets.append("".join(sents[:2]))
    luxun = data_dir / "literary" / "luxun_works.jsonl"
    if luxun.exists():
        for i, row in enumerate(data_rows(luxun)):
            if row.get("split") != split:
                continue
            text = clean_luxun(row.get("text") or "", max_prose_chars)
            if len(text) >= 300 and text.count("。") >= 5:
                articles.append(Article(f"luxun_{i}", row.get("title") or "", text, "prose"))
    poetry = data_dir / "literary" / "classical_poetry.jsonl"
    if poetry.exists():
        for i, row in enumerate(data_rows(poetry)):
            if row.get("split") != split:
                continue
            text = (row.get("text") or "").strip()
            if len(text) >= 40:
                articles.append(Article(f"poem_{i}", row.get("title") or "", text, "poetry"))
    hc3 = data_dir / "ai_text" / "hc3_chinese_sample.jsonl"
    if hc3.exists():
        for row in data_rows(hc3):
            if row.get("split") != split or row.get("label") != "human":
                continue
            text = "\n".join(p.strip() for p in (row.get("text") or "").split("\n") if p.strip())
            if len(text) >= 150:
                articles.append(Article(str(row.get("qid")), row.get("question") or "", text, "qa"))
    headlines = [
        r["text"] for r in data_rows(data_dir / "news" / "thucnews_titles.jsonl") if r.get("split") == split
    ]
    return Sources(articles=articles, headlines=headlines, snippets=snippets, split=split)
