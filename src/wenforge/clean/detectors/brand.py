"""Brand injection: a gambling / adult / grey-finance brand glued to a title or spliced into a sentence.

The shape, not the brand list, is the signal: a name followed by an *action* a spam site asks for
(注册, 官网, 入口, 下载, 登录, 网址, 开户 ...), a name with a 3-5 digit suffix (新京6663, an888), or a slogan
ending in 下载/观看 before a separator. Grey-trade morphemes (澳门, 娱乐, 棋牌, 配资, vlog ...) raise the weight
but are never needed on their own: a rotated brand still has the shape. A shape whose words do not occur
anywhere else on the page (the injected title shares nothing with the article below it) counts more.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache, partial

from wenforge.clean.detectors.common import Finding, Line
from wenforge.clean.detectors.hanzi import han_pairs
from wenforge.core import reasons as R
from wenforge.text.guard import guarded

_NAME = r"[\u4e00-\u9fffA-Za-z]{2,12}?"
_ACTION = (r"(?:注册(?:首页|送\d*元?|平台|网址)?|官网(?:首页|入口|下载|登录|网址)?|官方网站|官方(?:入口|下载|平台|网址|app|APP)|"
           r"入口|登录入口|网址(?:大全|导航)?|备用网址|线路检测|开户|(?:app|APP|App)(?:下载|官方下载)?|"
           r"平台(?:入口|官网|注册)|手机版(?:下载)?|客户端(?:下载)?|在线(?:观看|下载|注册)|免费(?:观看|下载)|最新(?:地址|网址|入口|报价))")
# a page with none of these words has no action shape: the costlier patterns are skipped
_ACTION_HINT_RE = guarded(r"注册|官网|官方[网平入下aA]|入口|网址|线路检测|开户|app|APP|App|手机版|客户端|观看|下载|地址|报价")
_DIGITS_RE = re.compile(r"\d{3}")
_HAN_CHAR_RE = re.compile(r"[\u4e00-\u9fff]")  # the characters of the Han pairs that `han_pairs` counts
_APP_SITE_RE = re.compile(r"(?:app|APP|App)(?:官网|官方|下载|入口|平台)")  # (an 官方APP alone is any organiser's)
# a name with an action, followed by a separator, the end of the line, a digit or another name
BRAND_ACTION_RE = re.compile(rf"({_NAME})[·・」)）]?{_ACTION}(?=$|[\s\-_|｜:：,，、·!！>）)\]】\d]|[\u4e00-\u9fff]{{0,2}}$)")
# a name glued to a 3-5 digit suffix that ends the name (a separator or the line end follows, not a unit)
BRAND_DIGITS_RE = re.compile(r"(?<![\d.])([\u4e00-\u9fff]{2,8}|[a-z]{2,6})(\d{3,5})(?=$|[\s\-_|｜:：,，、!！>)\]】])")
# a service advert glued to a title: a trade's name (up to 6 characters) and a mobile number, no label between
# them (…养老服务体系惠城开荒保洁13825404095); a contact line labels its number (电话 138…, 客服 138…, 微信 138…)
PHONE_AD_RE = re.compile(r"[\u4e00-\u9fff]{2,6}(?<![电话线机号码服信系])1[3-9]\d{9}(?!\d)")
_PHONE_HINT_RE = re.compile(r"1[3-9]\d{9}")
# a site handle glued after the title's last separator: 公交线路优化方案公布|xyxy777
HANDLE_TAIL_RE = re.compile(r"[|｜_\-]\s*([a-z]{2,10}\d{2,6}|\d{2,6}[a-z]{2,10})\s*$", re.IGNORECASE)
# a brand and its action glued to the start of a headline with no separator (…娱乐手机版下载市交通运输局…)
HEAD_RE = re.compile(rf"^[^\s。！？，,]{{2,16}}?{_ACTION}(?=[\u4e00-\u9fff]|\s*[:：\-_|｜]\s*[\u4e00-\u9fff])")
# a slogan ending in a download / watch action before a separator: 黑色正能量最新入库:糖心vlog现在时间下载-
SLOGAN_RE = re.compile(r"^[^\n。！？]{2,30}?(?:下载|观看|入口|直播)[\-_|｜:：]")
# trades and casino brands that black-hat pages advertise; they weigh a shape up, they never flag on their
# own. Places (澳门, 银河) are not trades: most pages naming them are news
GREY_RE = guarded(r"葡京|葡萄京|新京|金沙|威尼斯人|太阳城|永利|皇冠|博彩|娱乐|彩票|棋牌|百家乐|真人|电竞|快[三3]|时时彩|六合彩|赌|老虎机|体育|捕鱼|斗地主|牛牛|彩|糖心|蜜桃|"
                  r"麻豆|vlog|福利|伦理|黑料|吃瓜|成人|约炮|开奖|特马|一肖|一码|资料大全|六合|(?:股票|期货)?配资|炒股|期货|外汇|网贷|代孕|办证|刷单|兼职|私服|外挂", re.IGNORECASE)
# a gaming brand at a title's edge: Latin initials before a trade (PG电子, AG真人) or a trade platform at the end
EDGE_RE = guarded(rf"^[A-Z]{{2,5}}(?:电子|娱乐|体育|棋牌|真人|彩票|视讯|电竞)(?=\s)|(?<=\s)[\u4e00-\u9fff]{{0,4}}(?:{GREY_RE.pattern})"
                  rf"[\u4e00-\u9fff]{{0,4}}平台$")
# a grey trade and its action spliced into a sentence: 记者威尼斯人真人开户魏梦佳, 股票配资最新报价
SPLICE_RE = guarded(rf"(?:{GREY_RE.pattern})[\u4e00-\u9fffA-Za-z0-9]{{0,8}}?{_ACTION}", re.IGNORECASE)
TITLE_LINES = 4
TAIL_LINES = 2
TAIL_CHARS = 12
# a casino brand alone, or any grey trade with an action
_TAIL_RE = re.compile(rf"[\u4e00-\u9fffA-Za-z0-9]{{0,4}}(?:葡京|新京|金沙|威尼斯人|太阳城|永利|皇冠|百家乐|真人|棋牌)"
                      rf"[\u4e00-\u9fffA-Za-z0-9]{{0,4}}|[\u4e00-\u9fffA-Za-z0-9]{{0,4}}(?:{GREY_RE.pattern})"
                      rf"[\u4e00-\u9fffA-Za-z0-9]{{0,4}}[-_|: ]?{_ACTION}", re.IGNORECASE)  # brand shapes in the first lines are title injection; elsewhere only on short lines
SHORT_LINE = 80
SPLICE_WEIGHT = 0.55  # a grey trade and its action inside a sentence, named nowhere else: spliced in
ACTION_WEIGHT = 0.15  # a name and an action alone (某某官网): site chrome as often as a brand shape
GREY_BONUS = 0.45  # a grey trade in the shape makes it a gambling / adult / grey-finance brand
ALIEN_BONUS = 0.1  # the shape's words occur nowhere else on the page: the page is not about it
DIGITS_WEIGHT = 0.2  # a name with a digit suffix in a title (新京6663): a handle, or a product model
EDGE_WEIGHT = 0.55  # a gaming brand at a title's edge (PG电子, …娱乐平台)
HANDLE_WEIGHT = 0.5  # a site handle after the title's last separator (|xyxy777)
PHONE_AD_WEIGHT = 0.55  # a trade and a mobile number glued to a title: an advert, like a brand shape
HEAD_WEIGHT = 0.3  # a brand and its action glued to the start of a headline ...
HEAD_GREY_BONUS = 0.35  # ... with a grey trade in it
SLOGAN_WEIGHT = 0.6  # a download / watch slogan with a grey trade or a Latin brand before a separator
TAIL_WEIGHT = 0.5  # a grey brand alone on the page's last short line, after the sign-off
SHAPE_CAP = 0.8  # one shape is never certainty


Count = Callable[[str], int]  # occurrences of a string (or a Han pair) in the page, computed once per page


def page_count(body: str, s: str) -> int:
    """Occurrences of ``s`` in the page; a doubled Han pair (哈哈) counted overlapping, as a pair of the page's
    Han runs (哈哈哈 holds two), any other string as ``str.count`` counts (only a doubled pair can overlap itself)."""
    if len(s) == 2 and s[0] == s[1] and _HAN_CHAR_RE.match(s):
        return len(_overlapping(s).findall(body))
    return body.count(s)


@lru_cache(maxsize=1 << 12)
def _overlapping(pair: str) -> re.Pattern:
    """Every position where ``pair`` starts (overlapping occurrences)."""
    return re.compile(f"(?={re.escape(pair)})")


def _elsewhere(name: str, count: Count) -> bool:
    """Whether the name's words occur in the page apart from this occurrence (the article is about it)."""
    pairs = set(han_pairs(name))
    if not pairs:
        return count(name) > 1
    return sum(count(p) > 1 for p in pairs) >= max(1, len(pairs) // 2)


_QUOTES = "“”「」『』\"'《》"


def _alien_splice(m: re.Match, text: str, count: Count) -> bool:
    """A grey phrase spliced into a sentence: not quoted, and its trade named nowhere else on the page (a
    report on a gambling crackdown quotes its lures and names the trade throughout)."""
    before, after = text[max(0, m.start() - 1) : m.start()], text[m.end() : m.end() + 1]
    if (before and before in _QUOTES) or (after and after in _QUOTES):
        return False
    return all(count(g.group()) <= 1 for g in GREY_RE.finditer(m.group()))


def _line_spans(ln: Line, count: Count, actions: bool) -> list[tuple[int, int, float]]:
    """(start, end, weight) of the brand shapes of one line, in line coordinates (``actions``: whether the
    page has any action word at all)."""
    spans: list[tuple[int, int, float]] = []
    actions = actions and _ACTION_HINT_RE.search(ln.text) is not None
    if actions and ln.sentence_like:
        spans += [(m.start(), m.end(), SPLICE_WEIGHT) for m in SPLICE_RE.finditer(ln.text)
                  if _alien_splice(m, ln.text, count)]
    top = ln.index < TITLE_LINES
    if not (top or (ln.length <= SHORT_LINE and not ln.sentence_like)):
        return spans
    for m in BRAND_ACTION_RE.finditer(ln.text) if actions else ():
        # an app and its official site or download together (某某全站app官网) is a betting or adult brand's shape
        grey = GREY_RE.search(m.group(0)) is not None or _APP_SITE_RE.search(m.group(0)) is not None
        if ln.sentence_like and not grey:
            continue  # 在官网发布: a sentence about a site, not a brand shape
        alien = not _elsewhere(m.group(1), count)
        spans.append((m.start(), m.end(), ACTION_WEIGHT + GREY_BONUS * grey + ALIEN_BONUS * alien))
    for m in BRAND_DIGITS_RE.finditer(ln.text) if _DIGITS_RE.search(ln.text) else ():
        grey = GREY_RE.search(m.group(0)) is not None
        if grey or top:
            spans.append((m.start(), m.end(), DIGITS_WEIGHT + GREY_BONUS * grey))
    if top and _PHONE_HINT_RE.search(ln.text):
        # glued to a headline (text before it): a business's own title is its name and number alone
        spans += [(m.start(), m.end(), PHONE_AD_WEIGHT) for m in PHONE_AD_RE.finditer(ln.text) if m.start() > 0]
    if top and not ln.sentence_like:
        spans += [(m.start(), m.end(), EDGE_WEIGHT) for m in EDGE_RE.finditer(ln.text)]
        m = HANDLE_TAIL_RE.search(ln.text)
        if m:
            spans.append((m.start(), m.end(), HANDLE_WEIGHT))
        m = HEAD_RE.search(ln.text) if actions else None
        if m and not _elsewhere(m.group(), count):
            spans.append((m.start(), m.end(), HEAD_WEIGHT + HEAD_GREY_BONUS * (GREY_RE.search(m.group()) is not None)))
    if top:
        m = SLOGAN_RE.search(ln.text)
        if m and (GREY_RE.search(m.group(0)) or re.search(r"[A-Za-z]{3,}", m.group(0))):
            spans.append((m.start(), m.end(), SLOGAN_WEIGHT))
    return spans


def _grey_tail(lines: list[Line]) -> list[Finding]:
    """A short last line that is only a grey brand or trade with an action (皇冠, 快3-开户), appended after
    the article's sign-off."""
    out = []
    for ln in lines[-TAIL_LINES:]:
        if ln.length <= TAIL_CHARS and not ln.sentence_like and _TAIL_RE.fullmatch(ln.text):
            out.append(Finding(ln.start, ln.end, R.BRAND_INJECTION, TAIL_WEIGHT, ln.index, whole_line=True,
                               detail=ln.text))
    return out


# a brand's name inside its shape: what is left of the shape's first part without separators, digits and action
_SHAPE_PART_RE = re.compile(r"[\s\-_|｜:：,，、·・>）)\]】!！]+")
_TRAILING_ACTION_RE = re.compile(rf"(?:{_ACTION})+$")
_NAME_PREFIX_RE = re.compile(r"[A-Za-z0-9]{1,6}$")  # 365体育官网: the digits or letters before a Han name belong to it
_NAME_MIN = 3  # a name of one trade word (体育, 娱乐) would cut articles about the trade
ECHO_WEIGHT = 0.5  # an echo is as sure as the confirmed shape it repeats


def brand_name(shape: str, before: str = "") -> str:
    """The brand's name in one of its shapes (彩神平台2023 -> 彩神平台, 必一运动 - 官方体育赛事直播观看| -> 必一运动,
    体育官网 after 365 -> 365体育); ``""`` when what is left is too short or only a trade word."""
    first = next((p for p in _SHAPE_PART_RE.split(shape) if p), "")
    name = _TRAILING_ACTION_RE.sub("", first.rstrip("0123456789"))
    m = _NAME_PREFIX_RE.search(before)
    if m and name[:1] and "\u4e00" <= name[0] <= "\u9fff":
        name = m.group() + name
    if len(name) < _NAME_MIN or GREY_RE.fullmatch(name) or not re.search(r"[\u4e00-\u9fff]", name):
        return ""
    return name


def echoes(lines: list[Line], confirmed: list[Finding]) -> list[Finding]:
    """On a spam page, every other place a confirmed brand's name stands (a title line of its own, glued to the
    headline, a breadcrumb): injected like the shape it was found in. ``confirmed``: shapes strong enough to cut."""
    names = set()
    for f in confirmed:
        ln = lines[f.line]
        name = brand_name(f.detail, ln.text[: f.start - ln.start])
        if name:
            names.add(name)
    own = {(f.start, f.end) for f in confirmed}
    out = []
    for name in sorted(names, key=len, reverse=True):
        for ln in lines:
            pos = ln.text.find(name)
            while pos >= 0:
                start, end = ln.start + pos, ln.start + pos + len(name)
                if not any(s <= start and end <= e for s, e in own):
                    out.append(Finding(start, end, R.BRAND_INJECTION, ECHO_WEIGHT, ln.index, detail=name))
                    own.add((start, end))
                pos = ln.text.find(name, pos + len(name))
    return out


def detect(lines: list[Line]) -> list[Finding]:
    """Inline findings over each brand shape (the name and its action or digits)."""
    if not lines:
        return []
    body = "\n".join(ln.text for ln in lines)
    actions = _ACTION_HINT_RE.search(body) is not None
    count = lru_cache(maxsize=None)(partial(page_count, body))

    # only title lines, short lines and (on a page with action words) sentences can hold a shape
    todo = [ln for ln in lines if ln.index < TITLE_LINES or (ln.length <= SHORT_LINE and not ln.sentence_like)
            or (actions and ln.sentence_like)]
    return [Finding(ln.start + s, ln.start + e, R.BRAND_INJECTION, min(SHAPE_CAP, w), ln.index, detail=ln.text[s:e])
            for ln in todo for s, e, w in _line_spans(ln, count, actions)] + _grey_tail(lines)
