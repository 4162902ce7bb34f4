"""Temporal and biographical consistency against a fact sheet.

A fact sheet (YAML)::

    reference_date: 2024-06-01        # what 今年 / 十二年前 / 三年后 are resolved against
    subject: 李明                      # default subject of input lines without `subject`
    aliases: {李明: [我, 李老师], 清华大学: [清华, 清华园]}
    facts:
      - {subject: 李明, relation: studied_at, object: 清华大学, start: 2005, end: 2009}
      - {subject: 李明, relation: worked_at, object: 华为, start: 2009}
      - {subject: 李明, relation: born, start: 1987}

Relations: studied_at, worked_at, lived_in, founded, born, died, held_position. `start`/`end` are years
or ISO dates; an open `end` means "until the reference date".

For each sentence the detector resolves times (2012年, 二〇一二年, 去年, 前年, 十二年前, 三年后, 25岁那年,
那年我二十五岁, and 那时/当时 carrying the previous sentence's time); vague ones become a range of years
(十多年前 = 10-19 years ago, 二十来年前 = 18-22, 几年前 = 2-9, 九十年代末 = 1997-1999, 半年前), and a claim
contradicts a fact only when no year of its range agrees with it. It then finds relation cues (读书, 实验室,
任职, 住在, 创办, 出生, 去世, 担任 ...) and objects (fact objects and their aliases, and organisation or place names the
sheet does not know), and checks them against the facts of the subject. `contradictions` lists
{span, claim, fact, reason} with reason codes from REASONS.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from wenforge.eval.detectors.claims import cn_to_int
from wenforge.text.segment import split_sentences

RELATIONS = ("studied_at", "worked_at", "lived_in", "founded", "born", "died", "held_position")
REASONS = {
    "time_outside_fact": "the stated time falls outside the fact's period for this object",
    "no_fact_covers_time": "the subject did nothing of this kind at the stated time",
    "object_conflict": "another object holds this relation at the stated time",
    "born_mismatch": "a birth year different from the fact sheet",
    "died_mismatch": "a death year different from the fact sheet",
    "before_birth": "an event dated before the subject was born",
    "after_death": "an event dated after the subject died",
    "graduation_mismatch": "a graduation year different from the end of the studies",
    "future_as_past": "a past-tense event dated after the reference date",
}
CUES: dict[str, re.Pattern] = {
    "studied_at": re.compile(r"读书|求学|上学|就读|读研|读博|念书|上大学|念大学|大学时|本科|研究生|博士生|硕士生|实验室|校园|课堂|宿舍|导师|同学|毕业|入学|学习|考入|考取|考上|录取|入读|(?:是|当|作为)[^，。；]{0,15}(?:学生|学子|留学生)"),
    "worked_at": re.compile(r"工作|任职|就职|上班|入职|供职|同事|办公室|加入|跳槽"),
    "lived_in": re.compile(r"住在|生活|定居|居住|搬到|搬去|安家|落户"),
    "founded": re.compile(r"创办|创立|创建|成立了|创业|创始"),
    "born": re.compile(r"出生|生于|诞生|降生"),
    "died": re.compile(r"去世|逝世|病逝|离世|辞世|过世|牺牲"),
    "held_position": re.compile(r"担任|出任|就任|当选|升任|任命为"),
}
GRADUATED = re.compile(r"毕业")
EXCLUSIVE = {"studied_at", "worked_at", "lived_in", "held_position"}
ORG_RE = re.compile(r"[\u4e00-\u9fffA-Za-z]{2,12}?(?:大学|学院|中学|小学|研究所|研究院|实验室|公司|集团|医院|银行|报社|电视台|工厂)")
NUM = r"(\d{1,3}|[一二两三四五六七八九十百]{1,4})"
REL_YEAR = [
    (re.compile(r"大前年"), -3), (re.compile(r"前年"), -2), (re.compile(r"去年|上一年|头一年"), -1),
    (re.compile(r"今年|本年"), 0), (re.compile(r"明年|下一年"), 1), (re.compile(r"大后年"), 3),
    (re.compile(r"(?<!之)后年"), 2),
]
# 十二年前, 十多年前 / 十余年前 (10-19), 十来年前 (about 10), 三年多前; 几年前, 十几年前, 几十年前
N_YEARS = re.compile(r"(?<![\d〇零])" + NUM + r"(多|余|来)?年(多)?(?:以?前|之前|以?后|之后)")
FEW_YEARS = re.compile(r"(?<![\d〇零一二三四五六七八九十])(几|十几|几十)年(?:以?前|之前|以?后|之后)")
DECADE = re.compile(r"(?:(\d{2})(\d)0年代|(?:上个?世纪|二十世纪)?([二三四五六七八九])十年代)(初|中期?|末|后期)?")
ABS_YEAR = re.compile(r"(?<!\d)(\d{4})\s*年(?!代)|([零〇一二三四五六七八九]{4})年(?!代)")
# a stated period: 2003年至2007年, 2003到2007年, 2003-2007年 (the claim is about every year of it)
PERIOD = re.compile(r"(?<!\d)(\d{4})\s*年?\s*(?:至|到|—|–|-|~|～)\s*(\d{4})\s*年")
# going back to a place (回到清华看望导师) is a visit, not a claim of studying or working there
VISIT = re.compile(r"回到|重返|重回|回母校|看望|探望|拜访|参观|访问|故地重游|故地")
AGE = re.compile(NUM + r"岁(?:那年|时|的时候|那一年)|那一?年(?:我|他|她)?(?:才|刚|刚刚|已经|正好)?" + NUM + r"岁")
N_MONTHS = re.compile(NUM + r"个月(?:以?前|之前|以?后|之后)|(半)年(?:以?前|之前|以?后|之后)|(上)个?月")
CARRY = re.compile(r"^(?:那时|当时|那年|那一年|彼时|那会儿|那段时间)")


class FactSheetError(ValueError):
    """A fact sheet that cannot be used: message names the file and key."""


@dataclass
class Fact:
    subject: str
    relation: str
    object: str | None
    start: int | None
    end: int | None

    def as_dict(self) -> dict:
        return {"subject": self.subject, "relation": self.relation, "object": self.object,
                "start": self.start, "end": self.end}


@dataclass
class FactSheet:
    reference_date: dt.date
    facts: list[Fact]
    aliases: dict[str, list[str]]
    subject: str | None = None

    def canonical(self, name: str) -> str:
        for canon, al in self.aliases.items():
            if name == canon or name in al:
                return canon
        return name

    def names(self) -> list[tuple[str, str]]:
        """(surface form, canonical) for every fact object, subject and alias, longest first."""
        out = {}
        for f in self.facts:
            for n in (f.subject, f.object):
                if n:
                    out[n] = self.canonical(n)
        for canon, al in self.aliases.items():
            out[canon] = canon
            for a in al:
                out[a] = canon
        return sorted(out.items(), key=lambda kv: -len(kv[0]))


def _year(v: Any, key: str, where: str) -> int | None:
    if v is None or v == "":
        return None
    if isinstance(v, (dt.date, dt.datetime)):
        return v.year
    if isinstance(v, int):
        return v
    m = re.match(r"^\s*(\d{4})", str(v))
    if not m:
        raise FactSheetError(f"{where}: {key} must be a year or a date, got {v!r}")
    return int(m.group(1))


def load_facts(source: str | Path | dict) -> FactSheet:
    """Parse a fact sheet from a YAML path or a mapping; clear errors name the file and key."""
    from wenforge.core.config import ConfigError, load_yaml

    where = "fact sheet"
    if isinstance(source, dict):
        data = source
    else:
        p = Path(source)
        where = str(p)
        if not p.exists():
            raise FactSheetError(f"{where}: no such file")
        try:
            data = load_yaml(p.read_text(encoding="utf-8"), where)
        except UnicodeDecodeError as e:
            raise FactSheetError(f"{where}: not UTF-8 text: {e}") from None
        except ConfigError as e:
            raise FactSheetError(str(e)) from None
    if not isinstance(data, dict):
        raise FactSheetError(f"{where}: expected a mapping with reference_date, aliases, facts")
    unknown = set(data) - {"reference_date", "aliases", "facts", "subject"}
    if unknown:
        raise FactSheetError(f"{where}: unknown key {min(unknown)!r} (allowed: reference_date, subject, aliases, facts)")
    rd = data.get("reference_date")
    if rd is None:
        raise FactSheetError(f"{where}: reference_date is required")
    if isinstance(rd, dt.datetime):
        rd = rd.date()
    elif not isinstance(rd, dt.date):
        try:
            rd = dt.date.fromisoformat(str(rd)) if len(str(rd)) > 4 else dt.date(int(rd), 7, 1)
        except ValueError:
            raise FactSheetError(f"{where}: reference_date must be YYYY-MM-DD, got {rd!r}") from None
    aliases = data.get("aliases") or {}
    if not isinstance(aliases, dict):
        raise FactSheetError(f"{where}: aliases must map a name to a list of other names")
    aliases = {str(k): [str(a) for a in (v if isinstance(v, list) else [v])] for k, v in aliases.items()}
    facts = []
    for i, f in enumerate(data.get("facts") or []):
        w = f"{where}: facts[{i}]"
        if not isinstance(f, dict):
            raise FactSheetError(f"{w}: expected a mapping")
        bad = set(f) - {"subject", "relation", "object", "start", "end"}
        if bad:
            raise FactSheetError(f"{w}: unknown key {min(bad)!r}")
        rel = f.get("relation")
        if rel not in RELATIONS:
            raise FactSheetError(f"{w}: relation must be one of {', '.join(RELATIONS)}, got {rel!r}")
        if not f.get("subject"):
            raise FactSheetError(f"{w}: subject is required")
        facts.append(Fact(str(f["subject"]), rel, str(f["object"]) if f.get("object") else None,
                          _year(f.get("start"), "start", w), _year(f.get("end"), "end", w)))
    sheet = FactSheet(rd, facts, aliases, str(data["subject"]) if data.get("subject") else None)
    sheet.facts = [Fact(sheet.canonical(f.subject), f.relation, sheet.canonical(f.object) if f.object else None,
                        f.start, f.end) for f in sheet.facts]
    return sheet


# ---- time resolution -------------------------------------------------------------------------------------


@dataclass
class TimeRef:
    """A time in a sentence: `year` is the best estimate, `lo`..`hi` every year it may mean."""

    start: int
    end: int
    text: str
    year: int
    relative: bool
    age: int | None = None
    lo: int = 0
    hi: int = 0
    whole: bool = False  # a stated period: every year of lo..hi is claimed, not one of them

    def __post_init__(self):
        self.lo = self.lo or self.year
        self.hi = self.hi or self.year

    def shift_to(self, year: int) -> None:
        """Set the year of an age-relative time (25岁那年) once the birth year is known."""
        self.year = self.lo = self.hi = year


def _num(s: str) -> int | None:
    return int(s) if s.isdigit() else cn_to_int(s)


def resolve_times(sentence: str, ref: dt.date) -> list[TimeRef]:
    """Years mentioned in a sentence, relative ones resolved against `ref` (ages resolved later)."""
    out: list[TimeRef] = []
    taken: list[tuple[int, int]] = []

    def add(m, year, relative, age=None, lo=0, hi=0, whole=False):
        s, e = m.span()
        if any(s < b and a < e for a, b in taken):
            return
        taken.append((s, e))
        out.append(TimeRef(s, e, m.group(0), year, relative, age, lo, hi, whole))

    def add_ago(m, n_lo: int, n_hi: int):
        """n_lo..n_hi years before (前) or after (后) the reference year."""
        sign = -1 if "前" in m.group(0) else 1
        a, b = sorted((ref.year + sign * n_lo, ref.year + sign * n_hi))
        add(m, ref.year + sign * round((n_lo + n_hi) / 2), True, lo=a, hi=b)

    for m in PERIOD.finditer(sentence):
        a, b = sorted((int(m.group(1)), int(m.group(2))))
        if 1000 <= a and b <= 2999:
            add(m, a, False, lo=a, hi=b, whole=True)
    for m in ABS_YEAR.finditer(sentence):
        y = int(m.group(1)) if m.group(1) else cn_to_int(m.group(2))
        if y and 1000 <= y <= 2999:
            add(m, y, False)
    for m in DECADE.finditer(sentence):
        base = int(m.group(1) + m.group(2) + "0") if m.group(1) else 1900 + 10 * cn_to_int(m.group(3))
        part = m.group(4) or ""
        lo, hi = {"初": (0, 3), "中": (3, 7), "中期": (3, 7), "末": (7, 9), "后期": (6, 9)}.get(part, (0, 9))
        add(m, base + (lo + hi) // 2, False, lo=base + lo, hi=base + hi)
    for m in N_YEARS.finditer(sentence):
        n = _num(m.group(1))
        if n is None or n > 200:
            continue
        if m.group(2) in ("多", "余"):  # 十多年: 10-19, 二十多年: 20-29, 三多年 is not Chinese
            add_ago(m, n, n + (9 if n % 10 == 0 else 1))
        elif m.group(2) == "来":  # 十来年: about ten
            add_ago(m, max(n - max(n // 5, 1), 1), n + max(n // 5, 1))
        elif m.group(3):  # 三年多前: 3-4
            add_ago(m, n, n + 1)
        else:
            add_ago(m, n, n)
    for m in FEW_YEARS.finditer(sentence):
        add_ago(m, *{"几": (2, 9), "十几": (11, 19), "几十": (20, 90)}[m.group(1)])
    for m in N_MONTHS.finditer(sentence):
        n = 6 if m.group(2) else 1 if m.group(3) else _num(m.group(1) or "")
        if n is None:
            continue
        sign = 1 if "后" in m.group(0) else -1
        months = ref.year * 12 + ref.month - 1 + sign * n
        add(m, months // 12, True)
    for rx, delta in REL_YEAR:
        for m in rx.finditer(sentence):
            add(m, ref.year + delta, True)
    for m in AGE.finditer(sentence):
        n = _num(m.group(1) or m.group(2))
        if n is not None and n < 130:
            add(m, 0, True, age=n)
    out.sort(key=lambda t: t.start)
    return out


# ---- checking --------------------------------------------------------------------------------------------


def _covers(f: Fact, t: TimeRef) -> bool:
    """Whether the fact agrees with the time: some year of a vague time's range, every year of a stated
    period, falls inside the fact's period."""
    s = f.start if f.start is not None else -10**6
    e = f.end if f.end is not None else (10**6 if f.relation not in ("born", "died", "founded") else s)
    return s <= t.lo and t.hi <= e if t.whole else s <= t.hi and t.lo <= e


def _within(t: TimeRef, f: Fact) -> bool:
    """Whether the whole range of the time falls inside the fact's period (the claim must be about it)."""
    s = f.start if f.start is not None else -10**6
    e = f.end if f.end is not None else 10**6
    return s <= t.lo and t.hi <= e


def check_facts(text: str, sheet: FactSheet, subject: str | None = None) -> dict:
    """`contradictions` [{span, claim, fact, reason}] and the resolved `times` (evidence)."""
    ref = sheet.reference_date
    default_subject = sheet.canonical(subject or sheet.subject or (sheet.facts[0].subject if sheet.facts else ""))
    subjects = {f.subject for f in sheet.facts}
    names = sheet.names()
    contradictions: list[dict] = []
    times_out: list[dict] = []
    last_time: TimeRef | None = None
    pos = 0
    for sent in split_sentences(text or ""):
        off = max((text or "").find(sent, pos), 0)
        pos = off + len(sent)
        # subject: a named subject in the sentence, else the line's subject
        subj = default_subject
        mentioned: list[tuple[int, int, str]] = []
        low = sent
        for surface, canon in names:
            i = low.find(surface)
            while i >= 0:
                if not any(a <= i < b for a, b, _ in mentioned):
                    mentioned.append((i, i + len(surface), canon))
                i = low.find(surface, i + len(surface))
        for _, _, canon in sorted(mentioned):
            if canon in subjects and canon != default_subject:
                subj = canon
                break
        facts = [f for f in sheet.facts if f.subject == subj]
        born = next((f.start for f in facts if f.relation == "born" and f.start), None)
        died = next((f.start for f in facts if f.relation == "died" and f.start), None)
        times = resolve_times(sent, ref)
        for t in times:
            if t.age is not None:
                t.shift_to(born + t.age if born else 0)
        times = [t for t in times if t.year]
        if not times and last_time is not None and CARRY.match(sent):
            times = [dataclasses.replace(last_time, start=0, end=0, age=None)]
        if times:
            last_time = times[-1]
        for t in times:
            if t.end > t.start:
                times_out.append({"start": off + t.start, "end": off + t.end, "text": t.text, "year": t.year})
        if not times:
            continue
        objects = [(a, b, c) for a, b, c in mentioned if c not in subjects]
        known = {c for _, _, c in objects}
        for m in ORG_RE.finditer(sent):
            raw = m.group(0)
            cut = max((raw.rfind(c) for c in "在到从于去进入是的年月日我他她你们和与"), default=-1)
            if cut >= 0:
                raw = raw[cut + 1:]
            if not ORG_RE.fullmatch(raw):
                continue
            a0 = m.end() - len(raw)
            name = sheet.canonical(raw)
            if any(a < m.end() and a0 < b for a, b, c in mentioned if c not in subjects):
                continue  # 清华的实验室: part of a known object
            if name not in known and not any(name in k or k in name for k in known):
                objects.append((a0, m.end(), name))

        def emit(reason: str, span: tuple[int, int], claim: dict, fact: Fact | None, off=off, sent=sent):
            s, e = span
            contradictions.append({
                "span": {"start": off + s, "end": off + e, "text": sent[s:e]},
                "claim": claim, "fact": fact.as_dict() if fact else None, "reason": reason,
                "explanation": REASONS[reason],
            })

        def nearest_time(i: int, times=times) -> TimeRef:
            return min(times, key=lambda tr: abs(tr.start - i))

        visit = VISIT.search(sent) is not None
        rel_hits = [(rel, m) for rel, rx in CUES.items() for m in rx.finditer(sent)
                    if not (visit and rel in ("studied_at", "worked_at"))]
        for rel, m in rel_hits:
            t = nearest_time(m.start())
            span = (min(t.start, m.start()) if t.end > t.start else m.start(), max(t.end, m.end()))
            claim = {"subject": subj, "relation": rel, "year": t.year, "time_text": t.text, "cue": m.group(0)}
            if t.hi > t.lo:
                claim["years"] = [t.lo, t.hi]
            if rel == "born":
                f = next((f for f in facts if f.relation == "born"), None)
                if f and f.start and not t.lo <= f.start <= t.hi and t.age is None:
                    emit("born_mismatch", span, claim, f)
                continue
            if rel == "died":
                f = next((f for f in facts if f.relation == "died"), None)
                if f and f.start and not t.lo <= f.start <= t.hi:
                    emit("died_mismatch", span, claim, f)
                continue
            if born and t.hi < born:
                emit("before_birth", span, claim, next(f for f in facts if f.relation == "born"))
                continue
            if died and t.lo > died:
                emit("after_death", span, claim, next(f for f in facts if f.relation == "died"))
                continue
            rel_facts = [f for f in facts if f.relation == rel]
            if not rel_facts:
                continue
            same_clause = [o for o in objects if not re.search(r"[，,；;：]", sent[min(o[0], m.start()):max(o[1], m.end())])]
            # an object this relation has facts about (董事长 for 担任) beats a nearer one it has none about
            own = [o for o in same_clause if o[2] in {f.object for f in rel_facts}]
            near_objs = sorted(own or same_clause, key=lambda o: abs(o[0] - m.start()))[:1]
            if rel == "studied_at" and GRADUATED.fullmatch(m.group(0)):
                f = next((f for f in rel_facts if f.end and (not near_objs or f.object in {o[2] for o in near_objs})), None)
                if f and not t.lo <= f.end <= t.hi:
                    emit("graduation_mismatch", span, {**claim, "object": f.object}, f)
                continue
            if near_objs:
                for a, b, obj in near_objs:
                    same = [f for f in rel_facts if f.object == obj]
                    oc = {**claim, "object": obj}
                    osp = (min(span[0], a), max(span[1], b))
                    if same:
                        if not any(_covers(f, t) for f in same):
                            emit("time_outside_fact", osp, oc, same[0])
                    elif rel in EXCLUSIVE:
                        holder = next((f for f in rel_facts if _within(t, f)), None)
                        if holder is not None:
                            emit("object_conflict", osp, oc, holder)
                        elif rel in ("studied_at", "worked_at"):
                            emit("no_fact_covers_time", osp, oc, rel_facts[0])
            elif not any(_covers(f, t) for f in rel_facts) and rel in ("studied_at", "worked_at"):
                closest = min(rel_facts, key=lambda f: min(abs((f.start or t.year) - t.year), abs((f.end or ref.year) - t.year)))
                emit("no_fact_covers_time", span, claim, closest)
    # one contradiction per (reason, fact, year): several cues in a sentence point to the same claim
    seen, uniq = set(), []
    for c in contradictions:
        key = (c["reason"], str(c["fact"]), c["claim"].get("year"), c["claim"].get("object"), c["span"]["start"] // 200)
        if key not in seen:
            seen.add(key)
            uniq.append(c)
    return {"contradictions": uniq, "times": times_out, "facts_consistent": not uniq}
