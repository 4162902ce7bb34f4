"""Detectors for personal data in Chinese web text: each returns evidence (type, start, end) over the given text.

What: mobile and landline numbers, 18-digit resident ID numbers (GB 11643 checksum, a real birth date and a
province code), bank card numbers (Luhn, a card-network prefix, 16-19 digits), emails, public IPv4/IPv6
addresses, QQ numbers and WeChat IDs (only right after a context word), and licence plates (ordinary and
new-energy). `find_pii` runs them all and keeps non-overlapping spans, the most specific first.

Why: Chinese crawls carry phone numbers, ID numbers and contact IDs in every classified ad and forum post, and
bare digit runs (order numbers, dates, prices, ISBNs, credit codes) are everywhere too, so every digit-only
type is checked (checksum, date, prefix) or anchored on a context word before it counts. A few compiled regexes
and cheap substring prefilters keep it above 10 MB/s per core (bench/pii_bench.py measures it).
"""

from __future__ import annotations

import bisect
import datetime
import ipaddress
import re
from collections.abc import Iterator
from typing import TypedDict

PHONE, ID_CARD, BANK_CARD, EMAIL, IP, QQ, WECHAT, PLATE = (
    "phone", "id_card", "bank_card", "email", "ip", "qq", "wechat", "plate")
# The order is the tie-break for overlapping candidates: the more a detector checks, the earlier it wins
# (an email holding a phone number is an email; an 18-digit ID passing Luhn is an ID; digits after 微信 that
# form a valid mobile number are a phone, while QQ numbers, which grew to 11 digits, stay QQ after QQ：).
PII_TYPES: tuple[str, ...] = (EMAIL, ID_CARD, BANK_CARD, IP, QQ, PHONE, PLATE, WECHAT)
_RANK = {t: i for i, t in enumerate(PII_TYPES)}


class Span(TypedDict):
    type: str
    start: int
    end: int


# Digits and ASCII letters glued to a candidate mean it is part of a longer token (a tracking number
# SF1234567890123, a credit code, a hash); Han characters and punctuation around it are fine.
_ALNUM = "0-9A-Za-z"
# Full-width digits and letters are mapped to ASCII one to one (spans stay valid) before matching.
_FULLWIDTH = {c: c - 0xFEE0 for c in range(0xFF10, 0xFF5B) if chr(c - 0xFEE0).isalnum()} | {0xFF0B: ord("+"), 0xFF0D: ord("-"), 0xFF20: ord("@")}
_HAS_FULLWIDTH = re.compile(r"[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a\uff20]").search

# Every pattern below starts with a literal character or a character class, and its left-boundary check sits
# after that first character: Python's regex engine then skips ahead with a fast scan for the first character
# instead of trying the whole pattern at every position (a lookbehind first costs 3-4x the time).
_B = rf"(?<![{_ALNUM}+].)"  # the character before the first one is not glued to it
# Mobile: 1[3-9] + 9 digits, optionally +86/0086/86 in front, optionally grouped 3-4-4 with spaces or dashes.
_MOBILE_BODY = r"1[3-9][0-9](?:[- ]?[0-9]{4}){2}"
_MOBILE_RE = re.compile(
    rf"(?:1{_B}[3-9][0-9](?:[- ]?[0-9]{{4}}){{2}}|\+86[- ]?{_MOBILE_BODY}|0{_B}086[- ]?{_MOBILE_BODY}"
    rf"|8{_B}6[- ]{_MOBILE_BODY}|\(\+?86\) ?{_MOBILE_BODY}|（\+?86） ?{_MOBILE_BODY})(?![{_ALNUM}])")
_MOBILE_DIGITS_RE = re.compile(r"1[3-9][0-9]{9}")
# Landline: area code (010, 02x, or 0 + three digits from 3-9) and a 7-8 digit local number that starts 2-9,
# written with parentheses or a separator (bare 0xx12345678 only after a phone word, see _LANDLINE_BARE_RE);
# an extension (-123, 转123) is part of the span.
_AREA_TAIL = r"(?:10|2[0-9]|[3-9][0-9]{2})"  # the area code after its leading 0
_LOCAL = r"[2-9][0-9]{6,7}"
_EXT = r"(?:(?:-|转|ext\.?)[0-9]{1,5})?"
_LANDLINE_RE = re.compile(
    rf"(?:0{_B}{_AREA_TAIL}[- ]|\({_B}0{_AREA_TAIL}\) ?|（0{_AREA_TAIL}） ?|\+{_B}86[- ]?{_AREA_TAIL}[- ])"
    rf"{_LOCAL}{_EXT}(?![{_ALNUM}])")
_LANDLINE_BARE_RE = re.compile(
    rf"(?:电话|座机|热线|传真|手机|联系|致电|拨打|Tel|tel|TEL)[^0-9\n]{{0,6}}?(0{_AREA_TAIL}{_LOCAL}){_EXT}(?![{_ALNUM}])")
# ID: 6-digit region, birth date yyyymmdd (1800-2099), 3-digit sequence, check digit 0-9 or X.
_ID_RE = re.compile(
    rf"[1-9]{_B}[0-9]{{5}}(?:18|19|20)[0-9]{{2}}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])[0-9]{{3}}[0-9Xx](?![{_ALNUM}])")
# GB 11643-1999 weights of the first 17 digits, and the check character for each sum mod 11.
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
# First two digits of a region code (GB/T 2260 provinces, plus 71 Taiwan, 81 Hong Kong, 82 Macau, 83 the
# residence permits for Taiwan residents): a digit run that passes the checksum but names no province is not an ID.
_ID_PROVINCES = frozenset(
    ["11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37", "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65", "71", "81", "82", "83"])
# Bank card: 16-19 digits, alone or in groups of four separated by single spaces or dashes.
_CARD_RE = re.compile(rf"[1-9]{_B}(?:[ -]?[0-9]){{15,18}}(?![{_ALNUM}])")
# Card-network prefixes (ISO/IEC 7812 IINs) and the lengths they issue: UnionPay 62 and Chinese banks' 60/9558,
# Visa 4, Mastercard 51-55 and 2221-2720, JCB 35, Discover 6011/65, Maestro 50/56-58/67. A Luhn-valid run
# without one (1 in 10 random runs pass Luhn) is an order or serial number, not a card.
_CARD_PREFIXES: tuple[tuple[str, tuple[int, ...]], ...] = (
    ("62", (16, 17, 18, 19)), ("60", (16, 19)), ("9558", (19,)), ("4", (16, 19)), ("5", (16,)),
    ("35", (16, 17, 18, 19)), ("65", (16, 19)), ("6011", (16, 19)), ("67", (16, 19)),
)
_MASTERCARD_2_SERIES = (2221, 2720)
# Words just before a number that name it as something else: an order/tracking/serial/invoice/book/credit code.
_NOT_PERSONAL_RE = re.compile(r"订单|单号|运单|快递|物流|流水|交易号|编号|编码|条码|发票|ISBN|isbn|书号|信用代码|税号|识别号|货号|批号|序列号|工号|学号|证书号|型号")
_CONTEXT_BEFORE = 12  # characters before a digit-only candidate searched for those words
_EMAIL_RE = re.compile(
    r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9][A-Za-z0-9._%+-]{0,63}@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24}(?![A-Za-z0-9-])")
_IPV4_RE = re.compile(r"[0-9](?<![0-9A-OQ-Za-oq-z.-].)(?<![^Ii][Pp].)[0-9]{0,2}\.(?:[0-9]{1,3}\.){2}[0-9]{1,3}(?![0-9A-Za-z-]|\.[0-9])")
_IPV6_RE = re.compile(r"[0-9A-Fa-f](?<![0-9A-OQ-Za-oq-z:].)(?<![^Ii][Pp].)[0-9A-Fa-f]{0,3}(?::[0-9A-Fa-f]{0,4}){2,7}(?![0-9A-Za-z:])")
# 1.2.3.4-shaped runs are versions, section numbers and dental formulas far more often than addresses, and the
# public ones among them (1.1.1.1, 8.8.8.8) are resolvers, not anyone's address.
_SINGLE_DIGIT_IPV4_RE = re.compile(r"[0-9]\.[0-9]\.[0-9]\.[0-9]")
# (Both IP patterns accept the address glued to "IP", as in 登录IP1.2.3.4, and no other letter before it.)
_IPV6_MIN_GROUPS = 3  # "a::b", "std::x"-like tokens are not addresses; a real one names at least three groups
# QQ: 5-11 digits (first not 0) right after QQ/扣扣/企鹅号, with at most a few linking characters between.
_LINK = r"[\s:：是为号码群账（()）]{0,6}"
_QQ_RE = re.compile(rf"(?:QQ|qq|Qq|扣扣|企鹅号?|Q号|q号){_LINK}([1-9][0-9]{{4,10}})(?![0-9])")
_QQ_WORDS = ("QQ", "qq", "Qq", "扣扣", "企鹅", "Q号", "q号")  # substring prefilter: most texts hold none
# WeChat: an ID (letter first, 6-20 letters/digits/-/_) or a number right after 微信/薇信/V信/VX/wx.
# Spam glues the ID to an ASCII word (VXabc123); that reading is taken only when the ID holds a digit, _ or -,
# so words that merely start with wx/vx (wxWidgets) stay prose.
_WECHAT_RE = re.compile(
    rf"(?:(微信号?|薇信|威信|V信|v信)|(?:V|v|W|w)(?<![A-Za-z].)(?:[Xx]|e[Cc]hat|eixin))({_LINK})"
    rf"([A-Za-z][-_A-Za-z0-9]{{5,19}}|[1-9][0-9]{{4,10}})(?![-_A-Za-z0-9])")
_ID_MARK_RE = re.compile(r"[-_0-9]")
_WECHAT_WORDS = ("微信", "薇信", "威信", "V信", "v信", "VX", "vx", "Vx", "vX", "WX", "wx", "Wx", "wX", "echat", "eixin")
# Words that follow 微信 in prose and look like an ID.
_WECHAT_STOPWORDS = frozenset({"wechat", "weixin", "official", "account", "number", "online", "mobile"})
# Plates: province abbreviation, issuing-office letter, then 5 characters (letters except I and O, digits, or a
# final 挂/学/警/港/澳) or a new-energy 6 (D/F then 5, or 5 then D/F); a separator after the letter is allowed.
_PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
_PLATE_CHAR = "A-HJ-NP-Z0-9"
_PLATE_RE = re.compile(
    rf"[{_PROVINCES}][A-Z][-·• ]?(?:[DF][{_PLATE_CHAR}][0-9]{{4}}|[0-9]{{5}}[DF]|[{_PLATE_CHAR}]{{4}}[{_PLATE_CHAR}挂学警港澳])(?![{_ALNUM}])")
_PLATE_MIN_DIGITS = 3  # an ordinary plate's five characters hold at most two letters in practice


def id_checksum_ok(number: str) -> bool:
    """Whether an 18-character ID number's last character is its GB 11643 check character."""
    total = sum(int(d) * w for d, w in zip(number[:17], _ID_WEIGHTS))
    return _ID_CHECK[total % 11] == number[17].upper()


def valid_id_number(number: str) -> bool:
    """An 18-character ID: known province, a real calendar birth date, and a correct check character."""
    if number[:2] not in _ID_PROVINCES:
        return False
    try:
        datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return False
    return id_checksum_ok(number)


def luhn_ok(digits: str) -> bool:
    """Whether a digit string passes the Luhn (mod 10) check of card numbers."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = ord(ch) - 48
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def card_prefix_ok(digits: str) -> bool:
    """Whether a digit string starts with a card network's prefix that issues cards of its length."""
    n = len(digits)
    if any(digits.startswith(p) and n in lengths for p, lengths in _CARD_PREFIXES):
        return True
    return n == 16 and _MASTERCARD_2_SERIES[0] <= int(digits[:4]) <= _MASTERCARD_2_SERIES[1]


def _grouped_ok(raw: str) -> bool:
    """Separators, when present, are all the same and split the number into groups of four (the last 1-4)."""
    seps = {c for c in raw if c in " -"}
    if not seps:
        return True
    if len(seps) > 1:
        return False
    groups = raw.split(seps.pop())
    return all(len(g) == 4 for g in groups[:-1]) and 1 <= len(groups[-1]) <= 4


def valid_card_number(raw: str) -> bool:
    """A bank card as written: 16-19 digits, grouped in fours or not, a network prefix, and Luhn."""
    digits = raw.replace(" ", "").replace("-", "")
    return 16 <= len(digits) <= 19 and _grouped_ok(raw) and card_prefix_ok(digits) and luhn_ok(digits)


def public_ip(candidate: str) -> bool:
    """Whether `candidate` is an IP address on the public internet (private, loopback and documentation
    addresses such as 192.168.1.1 or 127.0.0.1 fill tutorials and identify no one)."""
    try:
        return ipaddress.ip_address(candidate).is_global
    except ValueError:
        return False


def _named_otherwise(text: str, start: int) -> bool:
    """Whether the words just before `start` call the number an order, tracking, serial or similar code."""
    return _NOT_PERSONAL_RE.search(text, max(0, start - _CONTEXT_BEFORE), start) is not None


def _digit_spans(text: str) -> Iterator[tuple[str, int, int]]:
    for m in _ID_RE.finditer(text):
        if valid_id_number(m.group()) and not _named_otherwise(text, m.start()):
            yield ID_CARD, m.start(), m.end()
    for m in _CARD_RE.finditer(text):
        if valid_card_number(m.group()) and not _named_otherwise(text, m.start()):
            yield BANK_CARD, m.start(), m.end()
    for m in _MOBILE_RE.finditer(text):
        yield PHONE, m.start(), m.end()
    if "0" in text:
        for m in _LANDLINE_RE.finditer(text):
            yield PHONE, m.start(), m.end()
        for m in _LANDLINE_BARE_RE.finditer(text):
            yield PHONE, m.start(1), m.end()


def candidates(text: str) -> list[tuple[str, int, int]]:
    """Every validated candidate (type, start, end), overlapping ones included, in no particular order."""
    out: list[tuple[str, int, int]] = []
    if any(c in text for c in "0123456789"):
        out.extend(_digit_spans(text))
        if "." in text:
            out.extend((IP, m.start(), m.end()) for m in _IPV4_RE.finditer(text)
                       if not _SINGLE_DIGIT_IPV4_RE.fullmatch(m.group()) and public_ip(m.group()))
        if any(w in text for w in _QQ_WORDS):
            out.extend((QQ, m.start(1), m.end(1)) for m in _QQ_RE.finditer(text))
        out.extend((PLATE, m.start(), m.end()) for m in _PLATE_RE.finditer(text)
                   if sum(c.isdigit() for c in m.group()) >= _PLATE_MIN_DIGITS)
    if "@" in text:
        out.extend((EMAIL, m.start(), m.end()) for m in _EMAIL_RE.finditer(text))
    if "::" in text or text.count(":") >= _IPV6_MIN_GROUPS:
        for m in _IPV6_RE.finditer(text):
            s = m.group()
            if sum(1 for g in s.split(":") if g) >= _IPV6_MIN_GROUPS and public_ip(s):
                out.append((IP, m.start(), m.end()))
    for m in _WECHAT_RE.finditer(text) if any(w in text for w in _WECHAT_WORDS) else ():
        value = m.group(3)
        if value.lower() in _WECHAT_STOPWORDS or (m.group(1) is None and not m.group(2) and not _ID_MARK_RE.search(value)):
            continue
        # a mobile number given as the WeChat ID is a phone
        out.append((PHONE if _MOBILE_DIGITS_RE.fullmatch(value) else WECHAT, m.start(3), m.end(3)))
    return out


def resolve(found: list[tuple[str, int, int]], order: tuple[str, ...] = PII_TYPES) -> list[Span]:
    """Non-overlapping spans in text order: the type earliest in `order` first, then the longer span, then the earlier."""
    rank = _RANK if order is PII_TYPES else {t: i for i, t in enumerate(order)}
    starts: list[int] = []  # the kept spans, sorted by start (they never overlap, so ends sort the same way)
    ends: list[int] = []
    keep: list[tuple[str, int, int]] = []
    for t, s, e in sorted(found, key=lambda c: (rank[c[0]], c[1] - c[2], c[1])):
        i = bisect.bisect_right(starts, s)
        if (i and ends[i - 1] > s) or (i < len(starts) and starts[i] < e):
            continue
        starts.insert(i, s)
        ends.insert(i, e)
        keep.append((t, s, e))
    return [{"type": t, "start": s, "end": e} for t, s, e in sorted(keep, key=lambda c: c[1])]


def find_pii(text: str, types: frozenset[str] | set[str] | tuple[str, ...] | None = None) -> list[Span]:
    """Personal data in `text`: [{type, start, end}] over `text`, non-overlapping, in text order.

    `types` limits the result to those types (overlaps are still resolved among all of them, so a phone inside
    an email is never reported as a phone when emails are not asked for)."""
    if _HAS_FULLWIDTH(text):
        text = text.translate(_FULLWIDTH)
    spans = resolve(candidates(text))
    if types is not None:
        spans = [s for s in spans if s["type"] in types]
    return spans
