"""A weighted lexicon matcher (Aho-Corasick) for noisy word lists.

The shipped word lists (``clean/assets/lexicons``, from the shared data) hold many short common words
(网络, 招聘, 淘宝), so a single hit means little. ``LexiconMatcher`` weighs each term by its length and script, down-weights terms
that are common in genuine text (``assets/lexicon_common.json``, rebuilt from `dev` rows by
``python -m wenforge.clean.lexicon``), lets Latin terms match only at word boundaries, and scores a text
by the weighted, per-term-capped sum of its hits. The evaluation team's safety detector reuses it.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import ahocorasick

from wenforge.core.paths import require_asset
from wenforge.text.chars import is_cjk

ASSETS = Path(__file__).parent / "assets"
COMMON_FILE = ASSETS / "lexicon_common.json"
_DOMAIN_RE = re.compile(r"(?<![A-Za-z0-9.-])((?:[A-Za-z0-9-]{1,63}\.)+[A-Za-z]{2,10})(?![A-Za-z0-9-])")


@dataclass(frozen=True)
class LexMatch:
    start: int
    end: int
    term: str
    category: str
    weight: float


def length_weight(term: str) -> float:
    """Prior weight of a term by its length: 1-2 Han characters are nearly worthless alone."""
    n_cjk = sum(1 for c in term if is_cjk(c))
    if n_cjk == 0:  # Latin / digits
        n = len(term)
        return 0.0 if n < 3 else 0.15 if n < 5 else 0.4
    n = len(term)
    if n <= 1:
        return 0.0
    if n == 2:
        return 0.08
    if n == 3:
        return 0.3
    if n == 4:
        return 0.6
    return 0.9


def _is_ascii_word(c: str) -> bool:
    return c.isascii() and c.isalnum()


# pyahocorasick looks a character up among a trie node's children one by one, in the order they were added; at
# the root (the terms' ~400 first characters) each character of the text that starts no term costs a scan of
# all of them, most of the search time. So the automaton reads a same-length view of the text in which every
# character that no term contains is one placeholder, and the root's children are added placeholder first,
# then the terms' characters, Latin, digits and marks first (few and frequent), Han by ``char_rank``. Every
# occurrence of every term is still found (the view keeps each term character where it was), at the same offsets.
_OTHER = "\ue000"  # private use: what a character outside the terms' alphabet reads as in the view
_NEVER = "\ue001"  # private use, never in the view: ends the words that only place the root's children
_VIEW_SIZE = 0x10000  # the view's table covers the BMP; other characters (emoji) are read as they are


def _scan_view(auto: ahocorasick.Automaton, alphabet: set[str], char_rank: Mapping[str, int]) -> list[int] | None:
    """Place the root's children in ``auto`` (before any term is added) and return the ``str.translate`` table
    of the view; ``None`` when a term uses the private-use characters the view relies on."""
    if _OTHER in alphabet or _NEVER in alphabet:
        return None
    auto.add_word(_OTHER + _NEVER, None)
    for c in sorted(alphabet, key=lambda c: (is_cjk(c), char_rank.get(c, len(char_rank)), c)):
        auto.add_word(c + _NEVER, None)
    table = [ord(_OTHER)] * _VIEW_SIZE
    for c in alphabet:
        if ord(c) < _VIEW_SIZE:
            table[ord(c)] = ord(c)
    return table


class LexiconMatcher:
    """Weighted multi-term matcher: ``find`` returns matches, ``score`` a capped weighted sum."""

    def __init__(self, terms: dict[str, tuple[float, str]], *, domains: dict[str, tuple[float, str]] | None = None,
                 char_rank: Mapping[str, int] | None = None):
        """``char_rank``: how common each character is in the texts searched (0 = most common); it only makes
        the search faster (``_scan_view``)."""
        self._auto = ahocorasick.Automaton()
        self.terms = {}
        for term, (w, cat) in terms.items():
            t = term.strip().lower()
            if not t or w <= 0:
                continue
            if t in self.terms and self.terms[t][0] >= w:
                continue
            self.terms[t] = (w, cat)
        alphabet = {c for t in self.terms for c in t}
        self._view = _scan_view(self._auto, alphabet, char_rank or {}) if alphabet else None
        for t, (w, cat) in self.terms.items():
            self._auto.add_word(t, (t, w, cat))
        self._empty = not self.terms
        if not self._empty:
            self._auto.make_automaton()
        self.domains = {d.lower(): v for d, v in (domains or {}).items()}

    def __len__(self) -> int:
        return len(self.terms) + len(self.domains)

    @classmethod
    def from_files(
        cls,
        paths: dict[str, str | Path],
        *,
        common: dict[str, float] | None = None,
        weight_fn=length_weight,
        char_rank: Mapping[str, int] | None = None,
    ) -> LexiconMatcher:
        """``paths``: category -> word-list file (one term a line). A category named like ``*domains*``
        is matched as whole domain names. ``common``: term -> occurrences per million genuine chars."""
        common = common or {}
        terms: dict[str, tuple[float, str]] = {}
        domains: dict[str, tuple[float, str]] = {}
        for cat, path in paths.items():
            for line in Path(path).read_text(encoding="utf-8", errors="replace").splitlines():
                t = line.strip()
                if not t or t.startswith("#"):
                    continue
                if "domain" in cat:
                    domains[t.lower()] = (1.0, cat)
                    continue
                w = weight_fn(t)
                c = common.get(t.lower(), 0.0)
                if c > 0:
                    w *= 1.0 / (1.0 + c)  # frequent in genuine text: little evidence
                if w > terms.get(t, (0.0, ""))[0]:
                    terms[t] = (w, cat)
        return cls(terms, domains=domains, char_rank=char_rank)

    def find(self, text: str, *, lowered: str | None = None) -> list[LexMatch]:
        """All matches, case-insensitive; Latin terms only at word boundaries; longest match wins overlaps.
        ``lowered``: ``text.lower()`` when the caller already has it."""
        out: list[LexMatch] = []
        if not self._empty:
            low = lowered if lowered is not None else text.lower()
            for end, (t, w, cat) in self._auto.iter(low.translate(self._view) if self._view else low):
                start = end - len(t) + 1
                if t[0].isascii() and t[0].isalnum() and start > 0 and _is_ascii_word(low[start - 1]):
                    continue
                if t[-1].isascii() and t[-1].isalnum() and end + 1 < len(low) and _is_ascii_word(low[end + 1]):
                    continue
                out.append(LexMatch(start, end + 1, t, cat, w))
        if self.domains and "." in text:
            for m in _DOMAIN_RE.finditer(text):
                d = m.group(1).lower()
                hit = self.domains.get(d) or (self.domains.get(d[4:]) if d.startswith("www.") else None)
                if hit:
                    out.append(LexMatch(m.start(1), m.end(1), d, hit[1], hit[0]))
        if len(out) > 1:
            out.sort(key=lambda m: (m.start, -(m.end - m.start)))
            kept: list[LexMatch] = []
            last_end = -1
            for m in out:
                if m.start >= last_end:
                    kept.append(m)
                    last_end = m.end
                elif m.end - m.start > kept[-1].end - kept[-1].start and m.start == kept[-1].start:
                    kept[-1] = m
                    last_end = m.end
            out = kept
        return out

    @staticmethod
    def score_matches(matches: Iterable[LexMatch], *, per_term_cap: int = 2) -> float:
        """Weighted sum, each distinct term counted at most ``per_term_cap`` times."""
        seen: dict[str, int] = {}
        s = 0.0
        for m in matches:
            k = seen.get(m.term, 0)
            if k < per_term_cap:
                s += m.weight
                seen[m.term] = k + 1
        return s

    def score(self, text: str) -> float:
        """Evidence in [0, 1): 1 - exp(-weighted sum); one short hit stays far below 0.5."""
        return 1.0 - math.exp(-self.score_matches(self.find(text)))


LEXICON_DIR = Path(__file__).with_name("assets") / "lexicons"  # shipped with the package (MIT, see its README)


def _lexicon_paths(categories: Iterable[str]) -> dict[str, Path]:
    """The shipped lexicon file of each category; a missing one is an error, never an empty matcher."""
    paths = {c: LEXICON_DIR / f"{c}.txt" for c in categories}
    missing = sorted(c for c, p in paths.items() if not p.exists())
    if missing:
        raise FileNotFoundError(f"lexicon(s) {', '.join(missing)} missing from {LEXICON_DIR} (a broken install?)")
    return paths


def load_common() -> dict[str, float]:
    """How often genuine writing uses each lexicon term (per million characters; shipped)."""
    return json.loads(require_asset(COMMON_FILE, "python -m wenforge.clean.build_assets DATA_DIR").read_text(encoding="utf-8"))


@lru_cache(maxsize=4)
def shared_matcher(categories: tuple[str, ...] = ("porn_a", "porn_b", "ads", "weapons", "violence",
                                                  "illegal_domains")) -> LexiconMatcher:
    """The shipped lexicons as one matcher (cached): the same from any working directory."""
    from wenforge.clean.detectors.hanzi import stats

    return LexiconMatcher.from_files(_lexicon_paths(categories), common=load_common(), char_rank=stats().rank)


def rebuild_common(out: Path = COMMON_FILE, data_dir: Path | None = None) -> dict[str, float]:
    """Count each shared lexicon term in genuine `dev` text (news, prose, poetry, Q&A answers) and store
    its rate per million characters: the terms that genuine writing uses are weak evidence."""
    from wenforge.text.sources import load_sources

    src = load_sources(data_dir, split="dev")
    text = "\n".join(a.text for a in src.articles).lower()
    n_chars = max(1, len(text))
    paths = _lexicon_paths(("porn_a", "porn_b", "ads", "weapons", "violence"))
    m = LexiconMatcher.from_files(paths, weight_fn=lambda t: 1.0)
    counts: dict[str, int] = {}
    for hit in m.find(text):
        counts[hit.term] = counts.get(hit.term, 0) + 1
    rates = {t: round(c * 1e6 / n_chars, 2) for t, c in sorted(counts.items())}
    out.write_text(json.dumps(rates, ensure_ascii=False, indent=0), encoding="utf-8")
    return rates


if __name__ == "__main__":
    r = rebuild_common()
    print(f"wrote {COMMON_FILE} ({len(r)} terms seen in genuine dev text)")
