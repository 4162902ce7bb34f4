"""Segmentation: sentences (Chinese and Latin punctuation), jieba words, and jieba.posseg's (word, tag) pairs.

jieba.lcut and jieba.posseg.lcut both walk the same dictionary route through each Han block (the likeliest
split into dictionary words); `_route` computes it once per block and caches it, so a text that one detector
segments (`jieba_cut`) and another tags (`pos_words`) pays for it once. The caches assume jieba's dictionary is
not changed at run time (wenforge never adds words to it).
"""

from __future__ import annotations

import logging
import math
import re
import string
from functools import lru_cache

_SENT_RE = re.compile(r"[^。！？!?；;…\n]+(?:[。！？!?；;…]+[”’」』）)]*|\n|$)")


def split_sentences(text: str) -> list[str]:
    """Sentences ending in Chinese or Latin terminal punctuation (closing quotes stay attached)."""
    return [s.strip() for s in _SENT_RE.findall(text) if s.strip()]


@lru_cache(maxsize=1)
def _jieba():
    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba


@lru_cache(maxsize=1)
def dictionary_frequencies() -> tuple[dict[str, int], float]:
    """jieba's dictionary word counts and the log of their total: how rare a word is in general Chinese."""
    dt = _jieba().dt
    return dt.FREQ, math.log(max(dt.total, 1))


def words(text: str) -> list[str]:
    """jieba words, whitespace tokens dropped."""
    return [w for w in jieba_cut(text) if w.strip()]


def jieba_cut(text: str, hmm: bool = True) -> list[str]:
    """The words of jieba.lcut(text, HMM=hmm), whitespace tokens included: jieba's own steps and regular
    expressions, with each Han block's dictionary route from `_route` (identical output, tests/text)."""
    jb = _jieba()
    re_han, re_skip = jb.re_han_default, jb.re_skip_default
    out: list[str] = []
    for blk in re_han.split(text):
        if not blk:
            continue
        if re_han.match(blk):
            (_cut_hmm if hmm else _cut_no_hmm)(blk, out)
            continue
        for x in re_skip.split(blk):
            if re_skip.match(x):
                out.append(x)
            else:
                out.extend(x)  # one character at a time
    return out


_ASCII_ALNUM = frozenset(string.ascii_letters + string.digits)  # jieba's re_eng


def _cut_no_hmm(blk: str, out: list[str]) -> None:
    """jieba's __cut_DAG_NO_HMM: the route's words, runs of single ASCII letters and digits joined."""
    ends = _route(blk)
    x, n, buf = 0, len(blk), ""
    while x < n:
        y = ends[x]
        if y - x == 1 and blk[x] in _ASCII_ALNUM:
            buf += blk[x]
        else:
            if buf:
                out.append(buf)
                buf = ""
            out.append(blk[x:y])
        x = y
    if buf:
        out.append(buf)


def _cut_hmm(blk: str, out: list[str]) -> None:
    """jieba's __cut_DAG: the route's words; runs of single characters not in the dictionary go to its HMM."""
    ends = _route(blk)
    x, n, buf = 0, len(blk), ""
    while x < n:
        y = ends[x]
        if y - x == 1:
            buf += blk[x]
        else:
            if buf:
                _single_run(buf, out)
                buf = ""
            out.append(blk[x:y])
        x = y
    if buf:
        _single_run(buf, out)


def _single_run(buf: str, out: list[str]) -> None:
    """A run of single-character route words: one character, an unknown word for the HMM, or known characters."""
    if len(buf) == 1:
        out.append(buf)
    elif not _jieba().dt.FREQ.get(buf):
        out.extend(_finalseg(buf))
    else:
        out.extend(buf)


# Han blocks recur (short clauses, names, set phrases) and one text's blocks are read by several detectors.
ROUTE_CACHE = 16384


@lru_cache(maxsize=ROUTE_CACHE)
def _route(blk: str) -> tuple[int, ...]:
    """For each position of a Han block, the end of the word jieba's dictionary route takes there: its
    get_DAG and calc in one pass, the same sums (log frequency minus log total, plus the rest's score) and the
    same tie-break (the longer word)."""
    dt = _jieba().dt
    freq, log = dt.FREQ, math.log
    logtotal = log(dt.total)
    n = len(blk)
    score: list[float] = [0] * (n + 1)  # jieba's route[N] = (0, 0)
    ends = [0] * n
    for k in range(n - 1, -1, -1):
        best, best_end = None, 0
        j = k + 1
        while j <= n:
            f = freq.get(blk[k:j])
            if f is None:  # no dictionary word starts with this prefix
                break
            if f:
                v = log(f) - logtotal + score[j]
                if best is None or v >= best:  # candidates in increasing length: >= keeps jieba's (score, end) max
                    best, best_end = v, j
            j += 1
        if best is None:  # no word: the character alone (jieba's DAG of [k])
            best, best_end = log(freq.get(blk[k]) or 1) - logtotal + score[k + 1], k + 1
        score[k], ends[k] = best, best_end
    return tuple(ends)


@lru_cache(maxsize=8192)
def _finalseg(buf: str) -> tuple[str, ...]:
    """jieba.finalseg's HMM words of a run of single characters, cached (the runs are mostly unknown names)."""
    from jieba import finalseg

    return tuple(finalseg.cut(buf))


def pos_words(text: str) -> list[tuple[str, str]]:
    """(word, part-of-speech) pairs, the same as jieba.posseg.lcut(text) (HMM on), whitespace words dropped.

    jieba.posseg's own Viterbi over its 256 (position, tag) states is pure Python and was most of the
    detectors' time; this runs jieba.posseg's steps with its dictionary, tables and regular expressions,
    and `_PosHMM.decode` in place of that Viterbi (same sums, same tie-breaks: identical output, 1.0M of
    1.0M held-out tokens; the grammar detector 3x faster, bench/detect_speed.py).
    """
    pseg = _posseg()
    pseg.dt.makesure_userdict_loaded()
    out: list[tuple[str, str]] = []
    for blk in pseg.re_han_internal.split(text):
        if not blk:
            continue
        if pseg.re_han_internal.match(blk):
            _pos_dag(blk, out)
            continue
        for x in pseg.re_skip_internal.split(blk):  # jieba.posseg's tags outside Han blocks
            if not x or pseg.re_skip_internal.match(x):
                continue  # empty or whitespace: dropped
            eng = bool(pseg.re_eng.match(x))
            out.extend((c, "m" if pseg.re_num.match(c) else "eng" if eng else "x") for c in x)
    return [(w, f) for w, f in out if w.strip()]


@lru_cache(maxsize=1)
def _posseg():
    _jieba()
    import jieba.posseg as pseg

    return pseg


def _pos_dag(blk: str, out: list[tuple[str, str]]) -> None:
    """jieba.posseg's __cut_DAG: dictionary route; runs of single characters not in the dictionary go to the HMM."""
    pseg = _posseg()
    tok, tags = pseg.dt.tokenizer, pseg.dt.word_tag_tab
    ends = _route(blk)
    x, n, buf = 0, len(blk), ""
    while x <= n:
        y = ends[x] if x < n else n + 1
        if x < n and y - x == 1:
            buf += blk[x]
        else:
            if len(buf) == 1:
                out.append((buf, tags.get(buf, "x")))
            elif buf and not tok.FREQ.get(buf):
                _pos_detail(buf, out)
            elif buf:
                out.extend((c, tags.get(c, "x")) for c in buf)
            buf = ""
            if x < n:
                w = blk[x:y]
                out.append((w, tags.get(w, "x")))
        x = y


def _pos_detail(buf: str, out: list[tuple[str, str]]) -> None:
    """jieba.posseg's __cut_detail: Han runs tagged by the HMM, digits m, Latin eng, the rest x."""
    pseg = _posseg()
    for blk in pseg.re_han_detail.split(buf):
        if not blk:
            continue
        if pseg.re_han_detail.match(blk):
            route = _hmm_route(blk)
            begin = nexti = 0
            for i, (bmes, tag) in enumerate(route):
                if bmes == "B":
                    begin = i
                elif bmes == "E":
                    out.append((blk[begin:i + 1], tag))
                    nexti = i + 1
                elif bmes == "S":
                    out.append((blk[i], tag))
                    nexti = i + 1
            if nexti < len(blk):
                out.append((blk[nexti:], route[nexti][1]))
            continue
        for x in pseg.re_skip_detail.split(blk):
            if x:
                out.append((x, "m" if pseg.re_num.match(x) else "eng" if pseg.re_eng.match(x) else "x"))


class _PosHMM:
    """jieba.posseg's HMM as arrays. States are sorted in descending order, so the first maximum numpy finds
    is the largest state, the one jieba's max over (score, state) tuples keeps on a tie."""

    def __init__(self) -> None:
        import numpy as np
        from jieba.posseg.viterbi import MIN_FLOAT

        pseg = _posseg()
        self.np, self.min_float = np, MIN_FLOAT
        self.states = sorted(pseg.trans_P, reverse=True)
        self.index = {s: i for i, s in enumerate(self.states)}
        n = len(self.states)
        self.trans = np.full((n, n), -np.inf)
        self.follows = np.zeros((n, n), dtype=bool)  # a transition is listed (its absence is -inf)
        for a, nxt in pseg.trans_P.items():
            for b, p in nxt.items():
                self.trans[self.index[a], self.index[b]] = p
                self.follows[self.index[a], self.index[b]] = True
        self.has_next = self.follows.any(axis=1)
        self.start = np.array([pseg.start_P[s] for s in self.states])
        self.all = np.arange(n)
        self._emit: dict[str, object] = {}
        self._cands: dict[str, object] = {}

    def emit(self, c: str):
        """Log emission of `c` by every state (jieba's MIN_FLOAT where unseen), cached per character."""
        e = self._emit.get(c)
        if e is None:
            emit_p = _posseg().emit_P
            e = self._emit[c] = self.np.array([emit_p[s].get(c, self.min_float) for s in self.states])
        return e

    def candidates(self, c: str):
        """State indices jieba's char_state_tab allows for `c` (all states if it has none), ascending."""
        cs = self._cands.get(c)
        if cs is None:
            tab = _posseg().char_state_tab_P.get(c)
            cs = self.all if tab is None else self.np.array(sorted(self.index[s] for s in tab), dtype=self.np.intp)
            self._cands[c] = cs
        return cs

    def decode(self, obs: str) -> list[tuple[str, str]]:
        """jieba.posseg.viterbi.viterbi(obs, ...)'s route: a (B/M/E/S, tag) state per character."""
        np = self.np
        cur = self.candidates(obs[0])
        v = self.start[cur] + self.emit(obs[0])[cur]
        back = []
        trans, follows, has_next = self.trans, self.follows, self.has_next
        for c in obs[1:]:
            keep = has_next[cur]
            prev, vp = cur[keep], v[keep]
            expect = follows[prev].any(axis=0)
            cand = self.candidates(c)
            nxt = cand[expect[cand]]
            if not len(nxt):
                nxt = np.flatnonzero(expect) if expect.any() else self.all
            score = (vp[:, None] + trans[prev[:, None], nxt]) + self.emit(c)[nxt]
            best = score.argmax(axis=0)
            v = score.max(axis=0)  # the value at `best`
            back.append((nxt, prev[best]))
            cur = nxt
        state = int(cur[int(v.argmax())])
        route = [state]
        for nxt, from_ in reversed(back):
            state = int(from_[int(np.searchsorted(nxt, state))])
            route.append(state)
        return [self.states[s] for s in reversed(route)]


@lru_cache(maxsize=1)
def _pos_hmm() -> _PosHMM:
    return _PosHMM()


# Runs the HMM decodes are mostly unknown names and short words, which recur across a corpus's texts.
HMM_CACHE = 8192


@lru_cache(maxsize=HMM_CACHE)
def _hmm_route(blk: str) -> tuple[tuple[str, str], ...]:
    """The HMM route of one Han run, cached."""
    return tuple(_pos_hmm().decode(blk))
