"""Training and evaluation material for the AI-likeness model: sources, groups, weights and text windows.

Every source is read from a data folder passed in by the caller (the shared data layout: `ai_text/`,
`literary/`, `academic/` ...), one split at a time. A `Sample` knows its label (1 = machine), its source,
its generator (model name for machine text) and a group key (prompt, question, work) so that
cross-validation never puts the same prompt or book on both sides. Long texts are cut into windows of
varied length at sentence ends, so length is not what the model learns.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from wenforge.core.rows import data_rows

MIN_WINDOW, MAX_WINDOW = 100, 1500  # training window lengths (characters), drawn uniformly
EVAL_WINDOW = 900  # evaluation window: the length of the held-out benchmark texts
MAX_WINDOWS_PER_TEXT = 4  # long chapters would otherwise swamp the human side
CHARS_PER_WINDOW = 800  # one training window per this many characters of a text, up to the cap
_SENT_END_RE = re.compile(r"[。！？!?…；\n]+[”’」』）)]*")

# Relative weight of each source inside its class (human / machine); every class sums to the same total.
# Republican-era prose, poetry and Lu Xun together count about as much as one modern source, so the model
# cannot lean on "old wording = human"; the modern LLM set is the target, so it weighs most on its side.
SOURCE_WEIGHTS: dict[str, float] = {
    "human:modern_pd_prose": 0.5, "human:modern_pd_poetry": 0.25, "human:luxun": 0.25, "human:csl_abstracts": 1.0,
    "human:wiki": 1.0, "human:news": 1.0, "human:hc3": 2.5, "human:ruozhiba": 1.0,
    "machine:modern_llm": 3.0, "machine:hc3_chatgpt": 2.5, "machine:ruozhiba": 1.0, "machine:news_llm": 0.5,
}  # HC3 weighs 2.5 on both sides: at 1 its human answers (formal, encyclopedic) drift machine-ward (dev CV)

# generator family: the leave-one-family-out unit (a vendor's models share habits)
FAMILIES = {"claude": "claude", "deepseek": "deepseek", "doubao": "doubao", "gemini": "gemini", "gpt-4": "gpt",
            "o1": "openai-o", "o3": "openai-o", "o4": "openai-o", "qwen": "qwen", "huggingface": "unknown"}


# Genres of the 2025 LLM set that imitate net-speak and fandom slang. They stay in the test figures but not
# in training: the data has no human net-speak to set beside them, so they would teach "slang = machine".
IMITATED_SLANG_TAGS = frozenset({"抽象文学-亚文化", "亚文化身份认同表达", "互联网黑话体系", "反主流消费文化抽象",
                                 "跨国-跨语言抽象文学", "电竞-游戏抽象文学", "嘻哈-说唱文化抽象文学", "饭圈抽象文学",
                                 "二次元抽象文学-同人创作", "社交媒体创作"})


@dataclass
class Sample:
    text: str
    label: int  # 1 = machine-written
    source: str  # "human:news", "machine:modern_llm" ...
    generator: str  # model name, or "human"
    group: str  # prompt / question / work key: never split across folds


def family(generator: str) -> str:
    """The vendor family of a generator name (`deepseek-r1-0528` -> `deepseek`)."""
    for prefix, fam in FAMILIES.items():
        if generator.startswith(prefix):
            return fam
    return generator


def _rows(path: Path, split: str) -> Iterator[dict]:
    return (r for r in data_rows(path) if r.get("split") == split)


def _unwrap(text: str) -> str:
    """Lu Xun's files are hard-wrapped markdown: join wrapped lines, keep paragraphs, drop fences and note marks."""
    text = re.sub(r"```|[⑴-⒇]", "", text)
    paras = re.split(r"\n\s*\n", text)
    return "\n".join(re.sub(r"\s*\n\s*", "", p).strip("\u3000 ") for p in paras if p.strip())


def tidy(text: str) -> str:
    """Lines stripped of indentation (news and novels indent with spaces; models do not), blank runs collapsed."""
    lines = [ln.strip(" \t\u3000\u00a0") for ln in text.replace("\r", "").split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def load_samples(data: Path, split: str) -> list[Sample]:
    """Every human and machine text of one split, from the shared data layout under `data`."""
    out: list[Sample] = []

    def add(text: str | None, label: int, source: str, generator: str, group: str) -> None:
        text = tidy(text or "")
        if len(text) >= 10:
            out.append(Sample(text, label, source, generator, group))

    for r in _rows(data / "ai_text" / "modern_llm_writing.jsonl", split):
        if split != "dev" or not IMITATED_SLANG_TAGS & set(r.get("tags") or ()):
            add(r["text"], 1, "machine:modern_llm", r["model"], "p:" + r["prompt_id"])
    for r in _rows(data / "ai_text" / "hc3_chinese_sample.jsonl", split):
        human = r["label"] == "human"
        add(r["text"], int(not human), "human:hc3" if human else "machine:hc3_chatgpt",
            "human" if human else "chatgpt", f"hc3:{r['qid']}")
    for r in _rows(data / "ai_text" / "ruozhiba_qa.jsonl", split):
        g = f"rz:{r['id']}"
        add(r["human_answer"], 0, "human:ruozhiba", "human", g)
        add(r.get("kimi_answer"), 1, "machine:ruozhiba", "kimi", g)
        add(r.get("stepfun_answer"), 1, "machine:ruozhiba", "step", g)
    for r in _rows(data / "hallucination" / "uhgeval_concise.jsonl", split):
        g = f"news:{r['id']}"
        add((r["newsBeginning"] or "") + (r["newsRemainder"] or ""), 0, "human:news", "human", g)
        add(r["hallucinatedContinuation"], 1, "machine:news_llm", r.get("generatedBy") or "llm-2023", g)
    for r in _rows(data / "literary" / "modern_pd_prose.jsonl", split):
        add(r["text"], 0, "human:modern_pd_prose", "human", f"work:{r['work']}")
    for r in _rows(data / "literary" / "modern_pd_poetry.jsonl", split):
        add(r["text"], 0, "human:modern_pd_poetry", "human", f"poet:{r['author']}")
    for r in _rows(data / "literary" / "luxun_works.jsonl", split):
        add(_unwrap(r["text"]), 0, "human:luxun", "human", f"luxun:{r['collection']}")
    for r in _rows(data / "academic" / "csl_abstracts.jsonl", split):
        add(r["abstract"], 0, "human:csl_abstracts", "human", f"csl:{r['id']}")
    for r in _rows(data / "expository" / "cmrc2018_wiki_paragraphs.jsonl", split):
        add(r["text"], 0, "human:wiki", "human", f"wiki:{r['title']}")
    return out


def cut(text: str, start: int, length: int) -> str:
    """About `length` characters of `text` from `start`, ending at a sentence end where there is one."""
    piece = text[start:start + length]
    if start + length >= len(text):
        return piece.strip()
    ends = [m.end() for m in _SENT_END_RE.finditer(piece)]
    good = [e for e in ends if e >= length // 2]
    return (piece[:good[-1]] if good else piece).strip()


def _sentence_starts(text: str) -> list[int]:
    return [0] + [m.end() for m in _SENT_END_RE.finditer(text) if m.end() < len(text) - MIN_WINDOW // 2]


def training_windows(samples: list[Sample], seed: int = 0) -> list[Sample]:
    """Windows of uniformly random length (MIN_WINDOW..MAX_WINDOW), starting at sentence starts, the first at 0."""
    rng = random.Random(seed)
    out = []
    for s in samples:
        k = max(1, min(MAX_WINDOWS_PER_TEXT, round(len(s.text) / CHARS_PER_WINDOW)))
        starts = _sentence_starts(s.text)
        for i in range(k):
            start = 0 if i == 0 else rng.choice(starts)
            w = cut(s.text, start, rng.randint(MIN_WINDOW, MAX_WINDOW))
            if len(w) >= 10:
                out.append(Sample(w, s.label, s.source, s.generator, s.group))
    return out


def eval_windows(samples: list[Sample], length: int = EVAL_WINDOW, per_text: int = 1) -> list[Sample]:
    """Up to `per_text` non-overlapping windows of about `length` characters per text, from its start."""
    out = []
    for s in samples:
        pos = 0
        for _ in range(per_text):
            if pos >= len(s.text) - 10:
                break
            w = cut(s.text, pos, length)
            if len(w) < 10:
                break
            out.append(Sample(w, s.label, s.source, s.generator, s.group))
            pos += len(w) + 1
    return out


def sample_weights(samples: list[Sample]) -> list[float]:
    """SOURCE_WEIGHTS spread over each source's windows, each class normalised to the same total."""
    n: dict[str, int] = {}
    for s in samples:
        n[s.source] = n.get(s.source, 0) + 1
    cls_total = {0: 0.0, 1: 0.0}
    for src in n:
        cls_total[int(src.startswith("machine"))] += SOURCE_WEIGHTS.get(src, 1.0)
    return [SOURCE_WEIGHTS.get(s.source, 1.0) / n[s.source] / cls_total[s.label] * len(samples) / 2 for s in samples]
