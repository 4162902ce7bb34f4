"""Machine-written prose: a page whose running text reads as a language model's, judged by its habits, not its topic.

The content farms of the real web (explainers with self-posed question headings, nameless match reports, health
listicles, invented encyclopedia entries) often carry no template leftover at all: what gives them away is
how they are written. The page's text is reduced to its *function characters* (the most frequent characters of
human and machine training text: 的, 是, 而, 不, 随着 ...; every other Han character becomes ``□``, digits ``0``,
a run of Latin letters ``a``, ASCII marks their full-width forms) and a character 1-3-gram logistic model
(`text.linear`) reads the masked string: it learns ``不是□□，而是``, ``随着□□的□□``, ``□□的□□□□：`` and the
rhythm of clauses, and little of what a page is about. Trained on the dev rows of the public human and machine
sets that `detect ai` learns from (2025 LLM writing, HC3, Ruozhiba answers and LLM news continuations against
news, prose, poetry, abstracts, Wikipedia and human answers); rebuilt with ``python -m wenforge.eval.farm_model
DATA``. Only long, unsourced pages are read: a dateline or a named outlet is what generated pages lack and
genuine reports have, and short texts give the model too little to read.

Known failure modes: human text written in the same register (a tutorial's numbered steps, a definition page,
a government notice) can score high; genuine reporting rewritten by a model reads as machine-written; a model
told to imitate a person's casual voice reads as human.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from wenforge.clean.detectors.common import cjk_count
from wenforge.core.store import load_model
from wenforge.text.linear import LinearModel, linear_from

MODEL_PATH = Path(__file__).resolve().parent.parent / "assets" / "machine_prose.npz"
KIND = "machine-prose"
REBUILD = "python -m wenforge.eval.farm_model DATA"
MACHINE = "machine"  # the model's class for machine-written text
MASK_HAN = "□"  # a content character
MASK_DIGIT = "0"
MASK_LATIN = "a"
MIN_HAN = 200  # Han characters on the page before it is read: a short text says too little about its writer
EVIDENCE_GRAMS = 5  # masked n-grams shown as evidence
READ_CHARS = 1500  # the page's opening is read, as long as the longest training window
_LATIN_RE = re.compile(r"[A-Za-z]+")
_DIGITS_RE = re.compile(r"[0-9]+")
_ASCII_MARKS = {",": "，", "?": "？", "!": "！", ":": "：", ";": "；", "(": "（", ")": "）"}


@dataclass(frozen=True)
class MachineProse:
    """How machine-like the page's prose reads, and the masked n-grams that pushed it there."""

    probability: float
    grams: list[tuple[str, float]]


@dataclass(frozen=True)
class _Model:
    linear: LinearModel
    table: dict[int, str]  # str.translate table: content characters to MASK_HAN, digits, Latin, ASCII marks


@lru_cache(maxsize=2)
def _load(path: str) -> _Model:
    stored = load_model(path, KIND, REBUILD)
    return _Model(linear_from(stored.arrays, "prose", path), mask_table(str(stored.arrays["kept"])))


def mask_table(kept: str) -> dict[int, str]:
    """The translate table that keeps the characters of `kept` and masks every other CJK character."""
    table = {cp: MASK_HAN for cp in range(0x4E00, 0xA000) if chr(cp) not in kept}
    table.update({ord(c): MASK_DIGIT for c in "0123456789"})
    table.update({ord(c): MASK_LATIN for c in "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"})
    table.update({ord(k): v for k, v in _ASCII_MARKS.items()})
    return table


def masked(text: str, table: dict[int, str]) -> str:
    """`text` with its content characters masked (simplified script expected: the cleaner's view); a run of
    Latin letters or digits becomes one mark, so a page of code or model numbers is not read as its letters."""
    return _DIGITS_RE.sub(MASK_DIGIT, _LATIN_RE.sub(MASK_LATIN, text)).translate(table)


def read(view: str, threshold: float, path: Path | str = MODEL_PATH) -> MachineProse | None:
    """The machine-prose probability of the page's opening, with its evidence when it reaches `threshold`;
    None for a page too short to read."""
    if cjk_count(view) < MIN_HAN:
        return None
    m = _load(str(path))
    text = masked(view[:READ_CHARS], m.table)
    p = m.linear.proba(text)[MACHINE]
    return MachineProse(p, m.linear.top_ngrams(text, MACHINE, k=EVIDENCE_GRAMS) if p >= threshold else [])
