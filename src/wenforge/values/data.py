"""Training and evaluation rows for the values classifiers, from the licensed safety sets in a data folder
(`safety/` and the benign question sets), wenforge's own cases, and the label map onto TC260 categories.

Every row is `{"text", "risky", "l2", "source", "split"}`: `risky` says whether a model must refuse it, `l2`
the TC260 category the text is about (None when it is about none). The folder is an argument (the package
never looks for a data folder of its own); a missing file is an error naming it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

from wenforge.core.config import read_mapping
from wenforge.core.rows import read_jsonl

ASSETS = Path(__file__).with_name("assets")
SOURCE_MAP = ASSETS / "source_map.yaml"
OWN_CASES = ASSETS / "own_cases.jsonl"

# Benign question sets: (file, text field). A model must answer these; they are the false-positive side.
BENIGN_SETS = (
    ("ai_text/hc3_chinese_sample.jsonl", "question"),
    ("ai_text/ruozhiba_qa.jsonl", "question"),
    ("math/cmath_test.jsonl", "question"),
    ("math/cn_middle_school_test.jsonl", "question"),
    ("math/gsm8k_test.jsonl", "question"),
)
# Questions about safety that must be answered, not refused: multiple-choice safety knowledge (SafetyBench),
# responsibility prompts experts wrote to be answered well (CValues) and safety rules (JADE-RAG).
ANSWERABLE_SETS = (
    ("safety/safetybench_zh.jsonl", "question"),
    ("safety/cvalues_responsibility_prompts.jsonl", "prompt"),
    ("safety/jade_rules.jsonl", "rule"),
)
RISKY_SETS = (("safety/jade_questions.jsonl", "question"), ("safety/jade_alignment.jsonl", "question"))
# Ordinary prose and writing requests, cut into passages: documents are labelled passage by passage, so the
# risk model must know what news, encyclopedia, academic, literary and model-written passages look like,
# and that a request to write (写一篇…) is not a risk in itself.
PROSE_SETS = (
    ("news/thucnews_titles.jsonl", "text"),
    ("expository/cmrc2018_wiki_paragraphs.jsonl", "text"),
    ("academic/csl_abstracts.jsonl", "abstract"),
    ("literary/luxun_works.jsonl", "text"),
    ("literary/modern_pd_prose.jsonl", "text"),
    ("ai_text/modern_llm_writing.jsonl", "text"),
    ("ai_text/modern_llm_writing.jsonl", "prompt"),
    ("ai_text/hc3_chinese_sample.jsonl", "text"),
)
# Single sentences of ordinary questions, answers and writing prompts: short benign text, so that shortness
# (most risky prompts are one or two sentences) does not itself read as risk.
SENTENCE_SETS = (
    ("ai_text/hc3_chinese_sample.jsonl", "question"),
    ("ai_text/hc3_chinese_sample.jsonl", "text"),
    ("ai_text/modern_llm_writing.jsonl", "prompt"),
    ("ai_text/ruozhiba_qa.jsonl", "human_answer"),
)
SENTENCE_CHARS = (6, 60)  # a sentence of a short prompt's length
SENTENCES_PER_SOURCE = 800
SENTENCE_END = re.compile(r"(?<=[。！？!?；;\n])")
# Ordinary questions put into the forms risky prompts use (我想…/帮我…/有什么办法…/假设你是…): the form is
# shared by both classes, so the risk model has to read what is asked. `{}` is the question.
REQUEST_FORMS = ("我想问一下，{}", "帮我看看：{}", "有什么办法解决这个问题：{}", "请你告诉我，{}", "我想知道{}",
                 "假设你是专家，回答我：{}", "教教我：{}", "能不能帮我弄清楚{}", "急！{}", "你扮演我的朋友，{}")
REFRAMED_SETS = (("ai_text/hc3_chinese_sample.jsonl", "question"), ("ai_text/ruozhiba_qa.jsonl", "question"),
                 ("safety/cvalues_responsibility_prompts.jsonl", "prompt"))
REFRAMED_PER_SOURCE = 400
REFRAMED_MAX_CHARS = 80  # short questions: a long one in a frame is no longer the short-request shape
PROSE_PER_SOURCE = 600  # passages per prose source: ordinary prose as a share of the rows, not the bulk of them
PASSAGES_PER_TEXT = 2  # the first passages of a text: a long chapter does not crowd out the others


@lru_cache(maxsize=2)
def source_map(path: str = str(SOURCE_MAP)) -> dict:
    """The label map onto TC260 categories (see assets/source_map.yaml)."""
    return read_mapping(path)[0]


def _rows(folder: Path, rel: str) -> Iterator[tuple[int, dict]]:
    path = folder / rel
    if not path.is_file():
        raise FileNotFoundError(f"{path}: missing (the values data is read from the folder given: {folder})")
    for r in read_jsonl(path):
        if r.row is None:
            raise ValueError(r.error)
        yield r.lineno, r.row


def _safetybench_l2(row: dict, table: dict) -> str | None:
    """A SafetyBench item's category through the map: keyword rules first, then the category's default."""
    spec = table.get(row.get("category"))
    if not isinstance(spec, dict):
        return spec
    text = row.get("question", "") + " ".join(map(str, row.get("options") or []))
    for rule in spec.get("rules") or []:
        if re.search(rule["pattern"], text):
            return rule["l2"]
    return spec.get("default")


def _rules_l2(row: dict, table: dict) -> str | None:
    """A JADE-RAG rule's category: the map is keyed `domain/category` or nested domain -> category."""
    flat = table.get(f"{row.get('domain')}/{row.get('category')}")
    if flat is not None:
        return flat
    nested = table.get(row.get("domain"))
    return nested.get(row.get("category")) if isinstance(nested, dict) else None


def licensed_rows(folder: str | Path) -> list[dict]:
    """Rows from the licensed sets in `folder` (each keeps its own `split`); duplicates by text dropped."""
    folder = Path(folder)
    m = source_map()
    out: list[dict] = []
    for rel, field in RISKY_SETS:
        for _line, r in _rows(folder, rel):
            sub = m.get("jade_subtypes", {}).get(r.get("violation_subtype"))
            l2 = sub or m.get("jade_types", {}).get(r.get("violation_type"))
            out.append({"text": r[field], "risky": True, "l2": l2, "source": rel, "split": r.get("split", "dev")})
    for rel, field in BENIGN_SETS:
        for _line, r in _rows(folder, rel):
            out.append({"text": r[field], "risky": False, "l2": None, "source": rel, "split": r.get("split", "dev")})
    for rel, field in ANSWERABLE_SETS:
        for _line, r in _rows(folder, rel):
            if "safetybench" in rel:
                l2 = _safetybench_l2(r, m.get("safetybench") or {})
            elif "cvalues" in rel:
                l2 = (m.get("cvalues") or {}).get(r.get("domain_zh"))
            else:
                l2 = _rules_l2(r, m.get("jade_rules") or {})
            out.append({"text": r[field], "risky": False, "l2": l2, "source": rel, "split": r.get("split", "dev")})
    out += prose_rows(folder) + sentence_rows(folder) + reframed_rows(folder)
    return _dedupe(out)


def prose_rows(folder: str | Path) -> list[dict]:
    """Benign passages of ordinary prose (PROSE_SETS): every text's first passages, evenly thinned per source."""
    from wenforge.values.classify import passages

    out: list[dict] = []
    for rel, field in PROSE_SETS:
        got = []
        for _line, r in _rows(Path(folder), rel):
            if isinstance(r.get(field), str):
                got += [(r.get("split", "dev"), p) for _off, p in passages(r[field])[:PASSAGES_PER_TEXT]]
        step = max(1, len(got) // PROSE_PER_SOURCE)
        out += [{"text": p, "risky": False, "l2": None, "source": f"{rel}:{field}", "split": sp}
                for sp, p in got[::step][:PROSE_PER_SOURCE]]
    return out


def sentence_rows(folder: str | Path) -> list[dict]:
    """Benign single sentences (SENTENCE_SETS) of SENTENCE_CHARS length, evenly thinned per source."""
    lo, hi = SENTENCE_CHARS
    out: list[dict] = []
    for rel, field in SENTENCE_SETS:
        got = []
        for _line, r in _rows(Path(folder), rel):
            if isinstance(r.get(field), str):
                got += [(r.get("split", "dev"), x.strip()) for x in SENTENCE_END.split(r[field])
                        if lo <= len(x.strip()) <= hi]
        step = max(1, len(got) // SENTENCES_PER_SOURCE)
        out += [{"text": t, "risky": False, "l2": None, "source": f"{rel}:{field}:sentence", "split": sp}
                for sp, t in got[::step][:SENTENCES_PER_SOURCE]]
    return out


def reframed_rows(folder: str | Path) -> list[dict]:
    """Ordinary short questions (REFRAMED_SETS) each put into one of REQUEST_FORMS, in turn; benign rows."""
    out: list[dict] = []
    for rel, field in REFRAMED_SETS:
        got = [(r.get("split", "dev"), r[field].strip()) for _line, r in _rows(Path(folder), rel)
               if isinstance(r.get(field), str) and 0 < len(r[field].strip()) <= REFRAMED_MAX_CHARS]
        step = max(1, len(got) // REFRAMED_PER_SOURCE)
        out += [{"text": REQUEST_FORMS[i % len(REQUEST_FORMS)].format(q), "risky": False, "l2": None,
                 "source": f"{rel}:{field}:reframed", "split": sp}
                for i, (sp, q) in enumerate(got[::step][:REFRAMED_PER_SOURCE])]
    return out


def own_rows(path: str | Path = OWN_CASES) -> list[dict]:
    """wenforge's own hand-written cases (categories the licensed sets lack, and benign look-alikes)."""
    out = []
    for r in read_jsonl(Path(path)):
        if r.row is None:
            raise ValueError(r.error)
        d = r.row
        out.append({"text": d["text"], "risky": bool(d["risky"]), "l2": d.get("l2"), "source": "own",
                    "split": d.get("split", "dev")})
    return out


def _dedupe(rows: list[dict]) -> list[dict]:
    """The first row of each text (JADE repeats questions across levels and files, with one split)."""
    seen: set[str] = set()
    out = []
    for r in rows:
        key = r["text"].strip()
        if key and key not in seen:
            seen.add(key)
            out.append(r)
    return out


def all_rows(folder: str | Path) -> list[dict]:
    """Licensed rows, own cases and the benign look-alikes (`values.benign`) together, deduplicated."""
    from wenforge.values.benign import benign_rows

    return _dedupe(licensed_rows(folder) + own_rows() + benign_rows())
