"""Scraper and template artifacts: what a copying site leaves behind when it re-publishes an article.

- unfilled CMS tags (`[db:關鍵詞]`, `{dede:field.title/}`, `{$title}`) and label placeholders (`[标签:标题]`);
- a fake source token (`来源: sp20241116`: letters glued to a date where an outlet's name belongs);
- site watermark lines (`----标题//----某某网 http://www.x.com //`);
- a date template filled in ISO form (`2026-01-15号报道`) and symbol noise sprinkled into sentences (`◆■`);
- a CMS meta line naming the default account or a handle as author (`admin 生活百科 2024-03-01 12 0`);
- emoji sprinkled inside words (`城(🚗)市交通(🌟)`, `效率📈、质量`), three or more on a page;
- runs of `????` where a re-encoding lost the characters;
- re-spaced text: ASCII punctuation with a space on both sides between Chinese characters (`支持 , 记者`)
  throughout the article, the mark of one scraper family (the text itself is kept).
"""

from __future__ import annotations

import re

from wenforge.clean.detectors.common import Finding, Line
from wenforge.core import reasons as R

CMS_TAG_RE = re.compile(r"\[(?:db|field|tag|dede|cms|e|list|sql)[:：][^\]\n]{1,30}\]|\{(?:dede|pboot|eyou|sdcms|zblog|"
                        r"field|tag)[:：][^}\n]{0,60}\}|\{\$[A-Za-z_][^}\n]{0,40}\}|\[标签[:：][^\]\n]{1,20}\]|"
                        r"\{[a-z_]+:[a-z_.]+\s*/?\}", re.IGNORECASE)
# an outlet name is Chinese or a known word; letters glued to a date are a generated token
SOURCE_TOKEN_RE = re.compile(r"(?:来源|來源|出处|作者)\s*[:：]\s*([a-z]{1,4}(?:19|20)\d{6}|[a-z]{2,4}\d{3,4})(?![\w.])",
                             re.IGNORECASE)  # sp20241116; an888 as an author
WATERMARK_RE = re.compile(r"-{3,}[^\n]{0,60}(?:https?://|www\.)[^\s/]+[^\n]{0,20}/{2}|/{2}-{3,}")
RESPACED_RE = re.compile(r"(?<=[\u4e00-\u9fff]) [,.:;?!] (?=[\u4e00-\u9fff“])")
# a date template filled in ISO form where Chinese writes 1月15日 (某某网2026-01-15号报道)
ISO_HAO_RE = re.compile(r"(?:19|20)\d{2}-\d{1,2}-\d{1,2}号")
# decoration sprinkled into sentences to defeat duplicate detection (是历史逆流◆◆■,是绝路◆■■)
# (not ○: 王○○ is how court documents and news withhold a name)
SYMBOL_NOISE_RE = re.compile(r"[◆◇■□▲△▼▽●★☆♦♠♣♥]{2,}")
SYMBOL_NOISE_MIN = 3  # runs inside prose lines; a bullet list marks line starts, not sentences
# a run of question marks where a converter could not encode characters (????????本報訊)
ENCODING_DAMAGE_RE = re.compile(r"\?{4,}")
# a CMS meta line under the title naming the default account (admin) or a handle as the author:
# `admin 生活百科 2024-03-01 12 0`; an outlet names a person
ACCOUNT_LINE_RE = re.compile(r"^(?:admin|administrator|[a-z]{3,10}\d{2,6})\s+[\u4e00-\u9fff]{2,8}\s+(?:19|20)\d{2}-\d{2}-\d{2}",
                             re.IGNORECASE)
# emoji sprinkled into words to defeat duplicate detection: 城(🚗)市交通(🌟), 效率📈、质量
_EMOJI = "\U0001F300-\U0001FAFF\u2600-\u27BF"
EMOJI_NOISE_RE = re.compile(rf"[{_EMOJI}]")
_HAN_RE = re.compile(r"[\u4e00-\u9fff]")
EMOJI_NOISE_MIN = 3  # a post may close a sentence with an emoji or two; a sprinkler puts them inside words
RESPACED_MIN = 5  # a few spaced marks are typing habits; a scraper re-spaces every one
CMS_TAG_WEIGHT = 0.6  # an unfilled CMS tag never stands in a published article
SOURCE_TOKEN_WEIGHT = 0.5  # letters glued to a date where an outlet's name belongs: a generator's token
WATERMARK_WEIGHT = 0.5  # a copying site's watermark line
ISO_DATE_WEIGHT = 0.4  # an ISO date in a Chinese date template: a filled slot, though a careless editor writes it too
EMOJI_NOISE_WEIGHT = 0.25  # emoji inside words: anti-duplicate noise, weak alone (posts use emoji)
SYMBOL_NOISE_WEIGHT = 0.2  # symbol runs in sentences: anti-duplicate noise, weak alone (some posts decorate)
ACCOUNT_LINE_WEIGHT = 0.3  # a CMS meta line with the default account: a template site, not yet injection
ENCODING_DAMAGE_WEIGHT = 0.3  # ???? runs: a bad re-encoding by a copier, or by the site itself
ACCOUNT_LINES = 6  # the meta line stands under the title


def _emoji_noise(t: str) -> list[tuple[int, int]]:
    """Spans of emoji inside words: wrapped in parentheses after a character, or between two characters."""
    out = []
    for m in EMOJI_NOISE_RE.finditer(t):
        a, b = m.start(), m.end()
        if 0 < a and b < len(t) and t[a - 1] in "(（" and t[b] in ")）" and a >= 2 and _HAN_RE.match(t[a - 2]):
            out.append((a - 1, b + 1))
        elif 0 < a and b < len(t) and _HAN_RE.match(t[a - 1]) and (_HAN_RE.match(t[b]) or t[b] in "、,，"):
            out.append((a, b))
    return out


def detect(lines: list[Line]) -> tuple[list[Finding], int]:
    """(findings to remove: CMS tags, source tokens, watermark lines; number of re-spaced marks)."""
    out: list[Finding] = []
    respaced = 0
    page = "\n".join(ln.text for ln in lines)
    noisy = SYMBOL_NOISE_RE.search(page) is not None  # one scan of the page instead of one per line
    emoji = len(_emoji_noise(page)) >= EMOJI_NOISE_MIN if EMOJI_NOISE_RE.search(page) else False
    for ln in lines:
        t = ln.text
        if "[" in t or "{" in t:
            for m in CMS_TAG_RE.finditer(t):
                out.append(Finding(ln.start + m.start(), ln.start + m.end(), R.TEMPLATE_ARTIFACT, CMS_TAG_WEIGHT,
                                   ln.index, detail="cms_tag"))
        if "源" in t or "处" in t or "作者" in t:
            for m in SOURCE_TOKEN_RE.finditer(t):
                out.append(Finding(ln.start + m.start(1), ln.start + m.end(1), R.TEMPLATE_ARTIFACT,
                                   SOURCE_TOKEN_WEIGHT, ln.index, detail="source_token"))
        if "--" in t and WATERMARK_RE.search(t):
            out.append(Finding(ln.start, ln.end, R.TEMPLATE_ARTIFACT, WATERMARK_WEIGHT, ln.index, whole_line=True,
                               detail="watermark"))
        if "号" in t:
            for m in ISO_HAO_RE.finditer(t):
                out.append(Finding(ln.start + m.start(), ln.start + m.end(), R.TEMPLATE_ARTIFACT, ISO_DATE_WEIGHT,
                                   ln.index, detail="iso_date"))
        if emoji:
            out += [Finding(ln.start + a, ln.start + b, R.TEMPLATE_ARTIFACT, EMOJI_NOISE_WEIGHT, ln.index,
                               detail="emoji_noise")
                    for a, b in _emoji_noise(t)]
        if noisy and ln.sentence_like:
            noise = [m for m in SYMBOL_NOISE_RE.finditer(t) if m.start() > 0]
            out += [Finding(ln.start + m.start(), ln.start + m.end(), R.TEMPLATE_ARTIFACT, SYMBOL_NOISE_WEIGHT,
                            ln.index, detail="symbol_noise") for m in noise]
        if ln.index < ACCOUNT_LINES and ACCOUNT_LINE_RE.match(t):
            out.append(Finding(ln.start, ln.end, R.TEMPLATE_ARTIFACT, ACCOUNT_LINE_WEIGHT, ln.index, whole_line=True,
                               detail="account_line"))
        if "????" in t:
            out += [Finding(ln.start + m.start(), ln.start + m.end(), R.TEMPLATE_ARTIFACT, ENCODING_DAMAGE_WEIGHT,
                            ln.index, detail="encoding_damage") for m in ENCODING_DAMAGE_RE.finditer(t)]
        if " , " in t or " . " in t or " : " in t or " ; " in t or " ? " in t or " ! " in t:
            respaced += len(RESPACED_RE.findall(t))
    return out, respaced
