"""The R1 outcome reward: +1 for a correct final answer in the required format, -0.5 wrong, -1 none.

The final answer lives outside any ``<think>...</think>`` block. Formats, by name (``ANSWER_FORMATS``):

- ``boxed``: the content of the last ``\\boxed{...}`` (or ``\\fbox{...}``), braces matched, nesting allowed;
- ``answer_tag``: the content of the last ``<answer>...</answer>``;
- ``zh_answer_line``: the rest of the last line reading ``答案：...`` (also ``最终答案：``, ``答案是``, ``答：``);
- ``any``: the first of the above that finds an answer (for evaluation of free-form outputs).

No final answer (-1): no match outside ``<think>``, an unclosed ``<think>``, an empty or unclosed last box.
Correctness: a fast path compares plain numbers exactly (``18``, ``18.0``, ``$18``, ``\\$18``, ``1,000``,
``50\\%``, ``\\frac{1}{2}`` vs ``0.5``, ``x = 18``, ``18元``, ``18 \\text{ dollars}``); anything else goes to
math-verify. An answer math-verify cannot parse counts as given but wrong (-0.5).
"""

from __future__ import annotations

import logging
import re
import threading
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache

from wenforge.text.think import split_think

_log = logging.getLogger(__name__)

CORRECT = 1.0
WRONG = -0.5
MISSING = -1.0

# `\boxed{\boxed{x}}` is unwrapped this many levels at most (1,200 nested boxes once blew the stack).
MAX_BOX_NESTING = 50
# A final answer longer than this is compared as normalised text only: math-verify and exact fractions take
# unbounded time (and Python refuses int() of more than 4,300 digits) on pathological answers.
MAX_PARSED_ANSWER_CHARS = 1000
ANSWER_FORMATS = ("boxed", "answer_tag", "zh_answer_line", "any")

_BOX_RE = re.compile(r"\\(?:boxed|fbox)\s*\{")
_ANSWER_OPEN_RE = re.compile(r"<answer\s*>", re.IGNORECASE)
_ANSWER_CLOSE_RE = re.compile(r"</answer\s*>", re.IGNORECASE)
_ZH_LINE_RE = re.compile(
    r"(?:最终答案|答案)\s*(?:[：:]|是|为)\s*(.*)$|(?<![回问解作])答\s*[：:]\s*(.*)$", re.MULTILINE
)


def _match_braces(text: str, open_pos: int) -> int | None:
    """Index just past the brace closing the one at ``open_pos``; None when unclosed."""
    depth = 0
    i = open_pos
    n = len(text)
    while i < n:
        c = text[i]
        if c == "\\":
            i += 2  # escaped char (\{ \} \\) never counts
            continue
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return None


def last_boxed(text: str) -> str | None:
    """Content of the last top-level ``\\boxed{}``; None if none, unclosed or empty. ``\\boxed{\\boxed{x}}`` gives x."""
    last = _top_boxed(text)
    if last is None:
        return None
    last = last.strip()
    for _ in range(MAX_BOX_NESTING):
        if not last.startswith(("\\boxed", "\\fbox")):
            break
        inner = _top_boxed(last)
        if inner is None or not inner.strip():
            break
        last = inner.strip()
    return last or None


def _top_boxed(text: str) -> str | None:
    """Raw content of the last top-level box; None if there is none or it is unclosed."""
    last: str | None = None
    pos = 0
    while True:
        m = _BOX_RE.search(text, pos)
        if m is None:
            break
        end = _match_braces(text, m.end() - 1)
        if end is None:  # the last box runs off the end: a truncated answer
            return None
        last = text[m.end() : end - 1]
        pos = end
    return last


def _answer_tag(text: str) -> str | None:
    opens = list(_ANSWER_OPEN_RE.finditer(text))
    if not opens:
        return None
    m = opens[-1]
    close = _ANSWER_CLOSE_RE.search(text, m.end())
    if close is None:
        return None
    content = text[m.end() : close.start()].strip()
    if "\\boxed" in content or "\\fbox" in content:
        return last_boxed(content)
    return content or None


def _zh_answer_line(text: str) -> str | None:
    found = None
    for m in _ZH_LINE_RE.finditer(text):
        found = m.group(1) if m.group(1) is not None else m.group(2)
    if found is None:
        return None
    content = found.strip().strip("*").strip()
    if "\\boxed" in content or "\\fbox" in content:
        return last_boxed(content)
    content = content.rstrip("。．.;；").strip()
    return content or None


_EXTRACTORS = {"boxed": last_boxed, "answer_tag": _answer_tag, "zh_answer_line": _zh_answer_line}


def _check_fmt(fmt: str) -> None:
    if fmt not in ANSWER_FORMATS:
        raise ValueError(f"unknown answer format {fmt!r}: expected one of {', '.join(ANSWER_FORMATS)}")


def extract_final_answer(completion: str, fmt: str = "boxed") -> str | None:
    """The final answer's text in ``completion`` (outside ``<think>``), or None when there is none."""
    _check_fmt(fmt)
    outside = split_think(completion).answer
    if fmt == "any":
        for f in ("boxed", "answer_tag", "zh_answer_line"):
            ans = _EXTRACTORS[f](outside)
            if ans is not None:
                return ans
        return None
    return _EXTRACTORS[fmt](outside)


# ---------------------------------------------------------------- fast path for plain numbers
_NUM_RE = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")
_THOUSANDS_RE = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?")
_SLASH_FRAC_RE = re.compile(r"([+-]?\d+)\s*/\s*(\d+)")
_TEX_FRAC_RE = re.compile(r"([+-]?)\\[dt]?frac\s*(?:\{\s*(\d+)\s*\}|(\d))\s*(?:\{\s*(\d+)\s*\}|(\d))")
_UNIT_TAIL_RE = re.compile(r"(?:\\(?:text|mbox|mathrm|textrm)\s*\{[^{}]*\}|\s*[\u4e00-\u9fff㎡°℃]{1,4})\s*$")
_VAR_HEAD_RE = re.compile(r"^[A-Za-z]\s*=\s*")
_EN_UNIT_RE = re.compile(r"(?<=\d)\s+[A-Za-z]{2,}(?:\s+[A-Za-z]+){0,2}$")  # 18 dollars, 5 km
_SPACE_CMDS = ("\\!", "\\,", "\\;", "\\:", "\\ ", "~", "\\left", "\\right")


@dataclass(frozen=True)
class _Num:
    value: Fraction
    percent: bool


def _strip_wrappers(s: str) -> str:
    s = s.strip()
    for _ in range(3):
        if len(s) >= 2 and s[0] == "$" and s[-1] == "$":
            s = s.strip("$").strip()
        elif s.startswith("\\(") and s.endswith("\\)") or s.startswith("\\[") and s.endswith("\\]"):
            s = s[2:-2].strip()
        elif len(s) >= 2 and s[0] == "{" and s[-1] == "}" and _match_braces(s, 0) == len(s):
            s = s[1:-1].strip()
        else:
            break
    return s


@lru_cache(maxsize=65536)
def fast_number(text: str) -> _Num | None:
    """A plain number (integer, decimal, fraction, percent, money) as an exact Fraction; None otherwise."""
    s = _strip_wrappers(text)
    if "\\" in s or " " in s or "~" in s:
        for cmd in _SPACE_CMDS:
            s = s.replace(cmd, "")
        s = s.replace("\\$", "$").replace("{,}", ",")
    s = _VAR_HEAD_RE.sub("", s)
    s = s.strip().rstrip(".。")
    percent = False
    if s.endswith("\\%"):
        percent, s = True, s[:-2]
    elif s.endswith(("%", "％")):
        percent, s = True, s[:-1]
    else:
        t = _EN_UNIT_RE.sub("", _UNIT_TAIL_RE.sub("", s))
        if t != s and t.strip():
            s = t
    s = s.strip()
    if s.startswith("$"):
        s = s[1:].strip()
    elif s.startswith(("-$", "+$")):
        s = s[0] + s[2:].strip()
    s = s.replace(" ", "")
    if not s:
        return None
    if _NUM_RE.fullmatch(s):
        return _Num(Fraction(s), percent)
    if "," in s and _THOUSANDS_RE.fullmatch(s):
        return _Num(Fraction(s.replace(",", "")), percent)
    m = _SLASH_FRAC_RE.fullmatch(s)
    if m:
        den = int(m.group(2))
        return _Num(Fraction(int(m.group(1)), den), percent) if den else None
    m = _TEX_FRAC_RE.fullmatch(s)
    if m:
        num = int(m.group(2) or m.group(3))
        den = int(m.group(4) or m.group(5))
        if den == 0:
            return None
        v = Fraction(num, den)
        return _Num(-v if m.group(1) == "-" else v, percent)
    return None


_TOL = Fraction(1, 10**6)


def _close(a: Fraction, b: Fraction) -> bool:
    if a == b:
        return True
    return abs(a - b) <= _TOL  # like math-verify's float_rounding=6: 1/3 == 0.333333


def _numbers_equal(gold: _Num, pred: _Num) -> bool:
    if _close(gold.value, pred.value):
        return True
    if pred.percent and not gold.percent:
        return _close(gold.value, pred.value / 100)
    if gold.percent and not pred.percent:
        return _close(gold.value / 100, pred.value)
    return False


# ---------------------------------------------------------------- slow path: math-verify
def _mv_timeout() -> int | None:
    # math-verify's timeout uses signal.alarm, which only works in the main thread
    return 5 if threading.current_thread() is threading.main_thread() else None


@lru_cache(maxsize=8192)
def _parse_gold(gold: str):
    from math_verify import parse

    t = _mv_timeout()
    return parse(f"\\boxed{{{gold}}}", parsing_timeout=t) or parse(gold, parsing_timeout=t)


def _norm_text(s: str) -> str:
    s = _strip_wrappers(s)
    s = re.sub(r"\\text\s*\{([^{}]*)\}", r"\1", s)
    return re.sub(r"[\s$。．.，,]+", "", s).lower()


def answers_match(pred: str, gold: str) -> bool | None:
    """True/False when ``pred`` is (not) equivalent to ``gold``; None when ``pred`` cannot be parsed."""
    if max(len(pred), len(gold)) > MAX_PARSED_ANSWER_CHARS:
        return _norm_text(pred) == _norm_text(gold)
    g = fast_number(gold)
    if g is not None:
        p = fast_number(pred)
        if p is not None:
            return _numbers_equal(g, p)
    from math_verify import parse, verify

    t = _mv_timeout()
    gold_parsed = _parse_gold(gold)
    try:
        pred_parsed = parse(f"\\boxed{{{pred}}}", parsing_timeout=t) or parse(pred, parsing_timeout=t)
    except Exception as e:  # noqa: BLE001 - a reward must never crash a training run
        _log.debug("math-verify could not parse %r: %s", pred[:200], e)
        pred_parsed = []
    if gold_parsed and pred_parsed:
        try:
            if verify(gold_parsed, pred_parsed, timeout_seconds=t):
                return True
        except Exception as e:  # noqa: BLE001 - a reward must never crash a training run
            _log.debug("math-verify could not compare %r with %r: %s", pred[:200], gold[:200], e)
    if _norm_text(pred) == _norm_text(gold):  # textual answers (第一象限) and anything math-verify misses
        return True
    if not pred_parsed:
        return None
    return False


def outcome_reward(completion: str, answer: str, fmt: str = "boxed") -> float:
    """R1's rule: 1.0 correct final answer in format ``fmt``, -0.5 a wrong (or unparsable) one, -1.0 none."""
    pred = extract_final_answer(completion, fmt)
    if pred is None:
        return MISSING
    ok = answers_match(pred, str(answer))
    return CORRECT if ok else WRONG


def outcome_detail(completion: str, answer: str, fmt: str = "boxed") -> dict:
    """The reward with its evidence: the extracted answer, its span in ``completion`` and the verdict."""
    pred = extract_final_answer(completion, fmt)
    if pred is None:
        return {"reward": MISSING, "verdict": "missing", "pred": None, "start": None, "end": None}
    ok = answers_match(pred, str(answer))
    start = completion.rfind(pred)
    verdict = "correct" if ok else ("unparsable" if ok is None else "wrong")
    return {
        "reward": CORRECT if ok else WRONG,
        "verdict": verdict,
        "pred": pred,
        "start": start if start >= 0 else None,
        "end": start + len(pred) if start >= 0 else None,
    }
