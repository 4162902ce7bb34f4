"""Mirror damage: a genuine article re-published through a converter that glossed, swapped or spun it.

- **Pinyin glosses** (`當(dāng)前`, `發(fā)展`, `機(ji)`): the character's own reading (pypinyin, with or without
  tone marks) in parentheses glued after a common character, the same characters glossed again and again. Legitimate reading aids gloss rare characters
  (`踌躇(chóu chú)`), or every character of a line (children's texts); neither counts. Repair: the gloss is cut.
- **Variant characters** (一→壹, 你→妳, 没→冇): a common character replaced by a rarer form *everywhere*, so
  the rare form stands where genuine text has the common one. Repair: mapped back.
- **Sprinkled traditional forms**: a simplified page with a few everyday characters in traditional form
  (來说, 沒有, 進行), put there to defeat duplicate detection. Repair: mapped back.
- **Converter leftovers**: a simplified page pushed through a one-to-one converter keeps the one-to-many
  characters simplified in a traditional page (關于, 之后, 并且); native traditional text has 關於, 之後, 並且.
- **Deleted characters**: a copy with its numbers stripped leaves quantity words with nothing before them
  (有多万居民, 共余人, `年5月`); two such places make the page `spun_text`.
- **Spun text**: an article spinner swaps words through a fixed synonym table (大→年夜, 通过→经由过程,
  关注→存眷); its outputs are words genuine text almost never uses (checked against ``hanzi`` counts).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from wenforge.clean.detectors.common import Finding, Line
from wenforge.clean.detectors.hanzi import stats
from wenforge.core import reasons as R
from wenforge.text.guard import guarded

_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"
# one syllable in ASCII or full-width parentheses right after a Han character
# one gloss, or a chain of them (手(shou)(shou)), right after a Han character
_GLOSS_RE = re.compile(rf"(?<=[\u4e00-\u9fff])(?:[(（] ?[a-zü{_TONED}]{{1,6}} ?[)）])+")  # (yuàn ) too
_SYLLABLE_RE = re.compile(rf"[a-zü{_TONED}]+")
COMMON_RANK = 2500  # glossed characters ranked above this are everyday ones a converter failed on
GLOSS_REPEATED_CHARS = 3  # characters glossed at each of several occurrences: a converter, not a teacher
READING_AID_SHARE = 0.7  # a line with this share of its characters glossed is a reading aid, not damage

# variant form -> the standard form it replaced. Each variant is a legitimate character that genuine
# modern text uses far less than its standard form (financial numerals, the feminine 妳, Cantonese 冇,
# archaic forms), so a page where it stands in most of the standard form's places was converted.
VARIANTS = {
    "壹": "一", "贰": "二", "貳": "二", "叁": "三", "柒": "七", "捌": "八", "玖": "九",
    "妳": "你", "冇": "没", "祢": "你", "彵": "他", "吔": "也", "菂": "的", "孒": "了", "昰": "是", "荿": "成", "媄": "美",
    "佷": "很", "洅": "再",
}
# written Cantonese uses 冇 as its own word; a page with these markers is Cantonese, not a mirror
_CANTONESE_RE = re.compile("[嘅咗喺唔佢哋啲嚟]")
_VARIANT_RE = re.compile("[" + "".join(VARIANTS) + "]")
VARIANT_MIN = 3  # fewer swaps than this are typos or quotations
VARIANT_SHARE = 0.6  # the variant holds at least this share of the places of variant + standard form
VARIANT_KINDS = 2  # distinct swapped characters: one alone is a name (a charity or a place called 壹…) ...
_AMOUNT_CHARS = frozenset("万萬仟千佰百拾十亿億元圆圓角分整年月日周週")
_NUMERALS = frozenset("壹贰貳叁柒捌玖")
VARIANT_GRAMMATICAL = 2  # ... unless this many of its places are where the standard form stands
USUAL_FOLLOWERS = 50

# spinner output -> the word it replaced. Article spinners (伪原创 tools) swap words through a fixed synonym
# table; these outputs are the ones genuine text almost never has: each is at most 5% as frequent as its
# original in the shipped character statistics (tests/clean check it), so a page with several is spun.
SPUN_FORMS = {
    "年夜": "大", "平易近": "民", "经由过程": "通过", "可以或许": "能够", "克日": "近日", "存眷": "关注", "规复": "恢复",
    "欢送": "欢迎", "今朝": "目前", "消息宣布": "新闻发布", "颠末": "经过", "查询拜访": "调查",
    "包管": "保证",
    # a second spinner, common on 2024 farm pages, splits characters into look-alike pairs (人 -> 东说念主,
    # 道 -> 说念, 做 -> 作念, 朋 -> 一又) and swaps a few words (持续 -> 捏续, 同一 -> 归拢)
    "东说念主": "人", "说念": "道", "作念": "做", "一又": "朋", "捏续": "持续", "归拢": "同一",
}
_SPUN_RE = re.compile("|".join(sorted(SPUN_FORMS, key=len, reverse=True)))
SPUN_MIN_FORMS = 2  # distinct spinner outputs: one alone is a rare or old-fashioned word
SPUN_PER_KCHAR = 2.0  # and this many hits per 1000 Han characters


# one-to-many characters a one-to-one converter leaves simplified in a traditional page, in their common
# words: native traditional text writes 關於, 之後, 並且, 這裡, 關係, 幹部, 採訪, 遊客, 什麼; a converted mirror
# keeps 關于, 之后, 并且, 這里, 關系, 干部, 采訪, 游客, 什么
LEFTOVER_RE = re.compile(r"[關基對由屬位在等用至終處便高低多少大小]于|(?:以|之|然|最|隨|此|今|前|背|落|日)后|后(?:來|面|天|續)|"
                         r"[,，]并|并(?:且|不|非|未|將|把|在)|[這那哪心家夜室]里|里面|[關聯]系|准(?:備|確)|干(?:部|淨|燥)|"
                         r"采(?:訪|取|用|集|購)|游(?:客|覽|戲|樂|玩)|旅游|(?:放|輕)松|松(?:開|懈|弛)|(?:之|其|業|課)余|"
                         r"(?:什|怎|這|那|多)么|冲(?:擊|突|動)|奮斗")
LEFTOVER_MIN = 2  # on 120 native traditional pages: 118 have none, one has 1, one mainland page converted by its site 3
LEFTOVER_WEIGHT = 0.55  # converter leftovers on a traditional page: a mirror, unless the site converted its own text
GLOSS_MIN = 4  # glossed everyday characters on a page before the glosses are a converter's ...
GLOSS_KINDS = 2  # ... on at least this many distinct characters
GLOSS_WEIGHT = 0.9  # a converter's glosses: no reader needs 當(dāng) on everyday characters
GLOSS_FEW = 2  # a couple of glosses on a traditional page ...
GLOSS_FEW_WEIGHT = 0.35  # ... are a weak sign alone
VARIANT_WEIGHT = 0.8  # a variant form standing everywhere for a common character: a mirror's swap
DELETED_NUMBERS_WEIGHT = 0.6  # quantity words with their numbers stripped in two places: an unreadable copy
SPUN_WEIGHT = 0.5  # spinner outputs at SPUN_MIN_FORMS distinct forms, densely ...
SPUN_BONUS = 0.1  # ... each further form adds this much
SPUN_CAP = 0.9  # never certainty alone


@dataclass
class MirrorEvidence:
    """What the mirror detector found on one page."""

    glosses: list[Finding]
    variants: list[Finding]  # detail = the standard character to put back
    spun: dict[str, int]  # spinner outputs found and how often (a stripped-numbers copy counts as 数字删除)
    n_han: int

    traditional: bool = False  # the page is written in traditional characters
    leftovers: int = 0  # simplified forms left by a converter on a traditional page

    @property
    def leftover_weight(self) -> float:
        if not self.traditional or self.leftovers < LEFTOVER_MIN:
            return 0.0
        return LEFTOVER_WEIGHT

    @property
    def gloss_weight(self) -> float:
        """Page evidence from glosses: glossed everyday characters on a page a converter made traditional
        (every mirror seen), or the same characters glossed again and again; reading aids on simplified
        text gloss each hard character once."""
        n = len(self.glosses)
        per_char: dict[str, int] = {}
        for f in self.glosses:
            per_char[f.detail] = per_char.get(f.detail, 0) + 1
        repeated = sum(1 for c in per_char.values() if c >= 2)
        if n >= GLOSS_MIN and len(per_char) >= GLOSS_KINDS and (self.traditional or repeated >= GLOSS_REPEATED_CHARS):
            return GLOSS_WEIGHT
        return GLOSS_FEW_WEIGHT if n >= GLOSS_FEW and self.traditional else 0.0

    @property
    def variant_weight(self) -> float:
        return VARIANT_WEIGHT if self.variants else 0.0

    @property
    def spun_weight(self) -> float:
        """Evidence of spinning: several distinct spinner outputs, densely; or numbers deleted throughout."""
        if "<numbers deleted>" in self.spun:
            return DELETED_NUMBERS_WEIGHT
        hits = sum(self.spun.values())
        if len(self.spun) < SPUN_MIN_FORMS or hits * 1000 < SPUN_PER_KCHAR * max(1, self.n_han):
            return 0.0
        return min(SPUN_CAP, SPUN_WEIGHT + SPUN_BONUS * (len(self.spun) - SPUN_MIN_FORMS))


@lru_cache(maxsize=1 << 14)
def _readings(char: str) -> frozenset[str]:
    """The character's pinyin readings, with tone marks and without (pypinyin, every heteronym)."""
    from pypinyin import Style, pinyin

    return frozenset(r for style in (Style.TONE, Style.NORMAL)
                     for r in pinyin(char, style=style, heteronym=True)[0])


def _is_reading(char: str, syllable: str) -> bool:
    """Whether the parenthesised syllable is the preceding character's own reading (a gloss, not a note)."""
    return syllable in _readings(char)


def _glosses(lines: list[Line]) -> list[Finding]:
    hz = stats()
    out: list[Finding] = []
    for ln in lines:
        if "(" not in ln.text and "（" not in ln.text:
            continue
        found = [m for m in _GLOSS_RE.finditer(ln.text)
                 if all(_is_reading(ln.text[m.start() - 1], syl) for syl in _SYLLABLE_RE.findall(m.group()))]
        if not found or len(found) >= READING_AID_SHARE * max(1, ln.n_cjk):
            continue
        for m in found:
            char = ln.text[m.start() - 1]
            if hz.rank.get(char, COMMON_RANK) >= COMMON_RANK:
                continue  # a rare character: a reading aid
            out.append(Finding(ln.start + m.start(), ln.start + m.end(), R.MIRROR_REPAIRED, GLOSS_WEIGHT,
                               ln.index, detail=char))
    return out


def _variants(lines: list[Line], text: str) -> list[Finding]:
    """Variant forms standing in most places of their standard form (``text``: the lines joined)."""
    if not _VARIANT_RE.search(text):
        return []
    out: list[Finding] = []
    cantonese = len(_CANTONESE_RE.findall(text)) >= 2
    for var, std in VARIANTS.items():
        if cantonese and var == "冇":
            continue
        n_var = text.count(var)
        if n_var < VARIANT_MIN or n_var < VARIANT_SHARE * (n_var + text.count(std)):
            continue
        numeral = var in _NUMERALS
        for ln in lines:
            pos = ln.text.find(var)
            while pos >= 0:
                after = ln.text[pos + 1 : pos + 2]
                # 壹年, 貳萬元: judgments and contracts write amounts and terms with these numerals
                if not (numeral and (after in _AMOUNT_CHARS or after in _NUMERALS)):
                    out.append(Finding(ln.start + pos, ln.start + pos + 1, R.MIRROR_REPAIRED, VARIANT_WEIGHT,
                                       ln.index, detail=std))
                pos = ln.text.find(var, pos + 1)
    if len({f.detail for f in out}) >= VARIANT_KINDS and len(out) >= VARIANT_MIN:
        return out
    # one kind alone is a name unless it stands where the standard form does: before the characters
    # that follow the standard form most often in genuine text (一个, 一条, 你的 …)
    std = out[0].detail if out else ""
    follow = _usual_followers(std) if std else frozenset()
    # (financial numerals before amounts, 叁仟元, are how contracts and judgments write numbers)
    grammatical = sum(1 for f in out if (c := text_after(lines, f)) in follow and c not in _AMOUNT_CHARS)
    return out if grammatical >= VARIANT_GRAMMATICAL else []


def text_after(lines: list[Line], f: Finding) -> str:
    """The character after a one-character finding (empty at a line end); a line's index is its position."""
    ln = lines[f.line]
    i = f.end - ln.start
    return ln.text[i] if i < ln.length else ""


@lru_cache(maxsize=64)
def _usual_followers(std: str) -> frozenset[str]:
    """The characters that most often follow ``std`` in genuine text (from the shipped pair counts)."""
    pairs = sorted(((c, p[1]) for p, c in stats().bigrams.items() if p[0] == std), key=lambda pc: -pc[0])
    return frozenset(ch for _, ch in pairs[:USUAL_FOLLOWERS])


_QUOTED_RE = re.compile(r"《[^》\n]{0,40}》|「[^」\n]{0,80}」|“[^”\n]{0,80}”|【[^】\n]{0,40}】|[(（][^)）\n]{0,40}[)）]")
SPRINKLE_MIN = 3  # traditional characters sprinkled into a simplified page
SPRINKLE_GAP = 2  # another traditional character this close: part of a traditional run, not a sprinkle
SPRINKLE_SIMPLIFIED_MIN = 40  # simplified-only characters that make the page's own script clear
SPRINKLE_SHARE = 0.2  # at most this many traditional per simplified-only character: more is a mixed page
SPRINKLE_COMMON_RANK = 1500  # the sprinkled characters are everyday ones (來, 沒, 進); names use rarer ones


def sprinkled(lines: list[Line], original: str, trad_re: re.Pattern, simp_re: re.Pattern, view: str = "") -> list[Finding]:
    """Traditional forms of everyday characters sprinkled into a simplified page (來说, 沒有, 進行) to defeat
    duplicate detection; each is mapped back to its simplified form. ``view``: the page read through OpenCC's
    phrase-aware t2s; a character it keeps (乾隆, 乾坤) is simplified usage, not a sprinkle."""
    from bisect import bisect_right

    from wenforge.text.chars import to_simplified

    quoted = [m.span() for m in _QUOTED_RE.finditer(original)]  # sorted and disjoint
    quote_starts = [a for a, _ in quoted]

    def in_quote(pos: int) -> bool:
        i = bisect_right(quote_starts, pos) - 1
        return i >= 0 and pos < quoted[i][1]

    found = [(m.start(), m.group()) for m in trad_re.finditer(original)
             if not in_quote(m.start())  # a title or a name quoted in its own script
             and (not view or view[m.start()] != m.group())]
    # a sprinkled form stands alone among simplified characters; traditional runs are quotations (a classical text quoted in its own script)
    pos = [p for p, _ in found]
    found = [(p, c) for i, (p, c) in enumerate(found)
             if not ((i and p - pos[i - 1] <= SPRINKLE_GAP) or (i + 1 < len(pos) and pos[i + 1] - p <= SPRINKLE_GAP))]
    if len(found) < SPRINKLE_MIN:
        return []
    n_simp = len(simp_re.findall(original))
    if n_simp < SPRINKLE_SIMPLIFIED_MIN or len(found) > SPRINKLE_SHARE * n_simp:
        return []
    back = {c: to_simplified(c) for _, c in found}
    rank = stats().rank
    if len(back) < VARIANT_KINDS or any(rank.get(s, SPRINKLE_COMMON_RANK) >= SPRINKLE_COMMON_RANK for s in back.values()):
        return []
    starts = [ln.start for ln in lines]
    out = []
    for pos, c in found:
        i = bisect_right(starts, pos) - 1
        if i >= 0 and lines[i].start <= pos < lines[i].end:
            out.append(Finding(pos, pos + 1, R.MIRROR_REPAIRED, VARIANT_WEIGHT, lines[i].index,
                               detail=back[c]))
    return out


# a copy with its numbers stripped: a quantity word with no number before it (有多万居民, 共余人), a month
# with no year (…,年8月); genuine text puts a number or 去/今/其 there (an emptied list, 设有、、三个, is left out:
# text stripped of its foreign names leaves the same)
DELETED_NUMBER_RE = guarded(r"(?<![\d〇零一二三四五六七八九十百千万两几数其多余])(?:多万|余万|余人|余里|余名|余家|余件|余起|余次|"
                               r"余吨|余亩)|(?<![\d〇零一二三四五六七八九十去今明前后当同每近本上下该])年\d{1,2}月|^年的",
                               re.MULTILINE)
DELETED_NUMBER_MIN = 2  # on 423 clean real pages none has more than one


def _spun(text: str) -> dict[str, int]:
    found: dict[str, int] = {}
    for m in _SPUN_RE.finditer(text):
        if m.group() == "年夜" and text[m.end() : m.end() + 1] in "饭里":
            continue  # 年夜饭, 年夜里: genuine words
        found[m.group()] = found.get(m.group(), 0) + 1
    return found


def detect(lines: list[Line], traditional: bool = False, original: str = "") -> MirrorEvidence:
    """Glosses, variant swaps and spinner outputs on the page; ``traditional``: the page's script, ``original``:
    the page as written (the lines are read as simplified), where converter leftovers are counted."""
    text = "\n".join(ln.text for ln in lines)
    spun = _spun(text)
    stripped = len(DELETED_NUMBER_RE.findall(text))
    if stripped >= DELETED_NUMBER_MIN:
        spun["<numbers deleted>"] = stripped
    return MirrorEvidence(_glosses(lines), _variants(lines, text), spun, sum(ln.n_cjk for ln in lines), traditional,
                          len(LEFTOVER_RE.findall(original)) if traditional else 0)
