"""Content preservation for style transfer: what facts of a source must survive a rewrite.

Plain functions on strings. A rewrite keeps a source's content when every number, date, name and key
term of the source can be found in it (numbers also as Chinese numerals, 2023 as 二〇二三 / 二零二三,
15 as 十五) and its character-bigram cosine with the source is above a floor.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from wenforge.core import reasons as R
from wenforge.text import char_ngrams, cosine_counts

_DIGITS = "零一二三四五六七八九"
_DATE_RE = re.compile(
    r"(\d{4})\s*年\s*(?:(\d{1,2})\s*月\s*(?:(\d{1,2})\s*[日号])?)?"
    r"|(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]"
    r"|(\d{4})-(\d{1,2})-(\d{1,2})"
)
_NUM_RE = re.compile(r"\d+(?:\.\d+)?%?")
_EN_NAME_RE = re.compile(r"\b[A-Z][a-z]+(?:\s+[A-Z][a-z]+)*\b")
_NAME_TAGS = {"nr", "ns", "nt", "nz", "nrt", "nrfg"}
_TERM_TAGS = ("n", "v", "vn", "a", "eng")


def _int_to_cn(n: int) -> str:
    """A small integer as the usual Chinese numeral (15 -> 十五, 205 -> 二百零五)."""
    if n < 10:
        return _DIGITS[n]
    if n >= 100000:
        return "".join(_DIGITS[int(c)] for c in str(n))
    units = [(10000, "万"), (1000, "千"), (100, "百"), (10, "十")]
    out, zero = [], False
    for value, unit in units:
        q, n = divmod(n, value)
        if q:
            if zero:
                out.append("零")
                zero = False
            out.append(_int_to_cn(q) + unit if value == 10000 else _DIGITS[q] + unit)
        elif out:
            zero = True
    if n:
        if zero:
            out.append("零")
        out.append(_DIGITS[n])
    s = "".join(out)
    return s[1:] if s.startswith("一十") else s


def number_forms(token: str) -> list[str]:
    """Ways a number can appear in a rewrite: as written, without a trailing .0, in Chinese numerals."""
    forms = {token}
    core = token.rstrip("%")
    pct = token.endswith("%")
    if "." not in core and core.isdigit():
        n = int(core)
        forms.add(str(n))
        if n < 100000:
            forms.add(_int_to_cn(n))
            if n >= 10 and n < 20:
                forms.add("一" + _int_to_cn(n))
        forms.add("".join(_DIGITS[int(c)] for c in core))  # 2023 -> 二零二三
        forms.add("".join("〇" if c == "0" else _DIGITS[int(c)] for c in core))
        if pct:
            forms.add("百分之" + _int_to_cn(n))
    return sorted(forms, key=len, reverse=True)


@dataclass
class Facts:
    numbers: list[str] = field(default_factory=list)
    dates: list[str] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    terms: list[str] = field(default_factory=list)


def extract_facts(text: str, *, key_terms: int = 3) -> Facts:
    """Numbers, dates, names (jieba person/place/org tags, capitalised Latin words) and top key terms."""
    facts = Facts()
    date_spans = []
    for m in _DATE_RE.finditer(text):
        facts.dates.append(m.group(0))
        date_spans.append(m.span())
    for m in _NUM_RE.finditer(text):
        if any(a <= m.start() < b for a, b in date_spans):
            continue
        if m.group(0) not in facts.numbers:
            facts.numbers.append(m.group(0))
    names: list[str] = []
    for m in _EN_NAME_RE.finditer(text):
        if m.start() > 0 and m.group(0) not in names:
            names.append(m.group(0))
    terms: list[str] = []
    if any("\u4e00" <= c <= "\u9fff" for c in text):
        from wenforge.text.segment import pos_words

        counts: dict[str, int] = {}
        for w, tag in pos_words(text):
            if tag in _NAME_TAGS and len(w) >= 2 and w not in names:
                names.append(w)
            elif tag.startswith(_TERM_TAGS) and len(w) >= 2 and not w.isdigit():
                counts[w] = counts.get(w, 0) + 1
        if key_terms:
            try:
                import jieba.analyse

                ranked = jieba.analyse.extract_tags(text, topK=key_terms * 3)
            except Exception:  # noqa: BLE001 - fall back to frequency
                ranked = sorted(counts, key=lambda w: -counts[w])
            terms = [w for w in ranked if w in counts][:key_terms]
    facts.names = names
    facts.terms = terms
    return facts


def _date_parts(date: str) -> list[str]:
    return [p for p in re.findall(r"\d+", date)]


def _present(token: str, text: str) -> bool:
    if token in text:
        return True
    if _NUM_RE.fullmatch(token):
        return any(f in text for f in number_forms(token))
    return False


def _term_present(term: str, text: str) -> bool:
    """A key term survives verbatim, or (Chinese) with at least half its characters (全长 -> 长)."""
    if term in text:
        return True
    if any("\u4e00" <= c <= "\u9fff" for c in term):
        return sum(1 for c in set(term) if c in text) * 2 >= len(set(term))
    return False


@dataclass
class Preservation:
    ok: bool
    similarity: float
    missing: dict[str, list[str]]
    facts: Facts

    @property
    def reason(self) -> str | None:
        if any(self.missing.values()):
            return R.CONTENT_LOST
        if not self.ok:
            return R.LOW_SIMILARITY
        return None

    def detail(self) -> str:
        parts = [f"{k}: {', '.join(v)}" for k, v in self.missing.items() if v]
        parts.append(f"similarity {self.similarity:.3f}")
        return "; ".join(parts)


def check_preservation(
    source: str,
    rewrite: str,
    *,
    similarity_floor: float = 0.25,
    key_terms: int = 3,
    key_term_share: float = 0.6,
) -> Preservation:
    """Are the source's numbers, dates, names (all) and key terms (a share) in the rewrite, and is it similar?

    Numbers, dates and names must all be present. Key terms are content words a restyling may
    legitimately swap for a synonym (学生 -> 学子), so only `key_term_share` of them (rounded) must
    survive, each verbatim or with half its characters.
    """
    facts = extract_facts(source, key_terms=key_terms)
    missing: dict[str, list[str]] = {"numbers": [], "dates": [], "names": [], "terms": []}
    for n in facts.numbers:
        if not _present(n, rewrite):
            missing["numbers"].append(n)
    for d in facts.dates:
        if d not in rewrite and not all(_present(p, rewrite) for p in _date_parts(d)):
            missing["dates"].append(d)
    for name in facts.names:
        if name not in rewrite:
            missing["names"].append(name)
    lost_terms = [t for t in facts.terms if not _term_present(t, rewrite)]
    need = round(key_term_share * len(facts.terms))
    if facts.terms and len(facts.terms) - len(lost_terms) < need:
        missing["terms"] = lost_terms
    sim = cosine_counts(char_ngrams(source, 2), char_ngrams(rewrite, 2))
    ok = not any(missing.values()) and sim >= similarity_floor
    return Preservation(ok=ok, similarity=sim, missing=missing, facts=facts)
