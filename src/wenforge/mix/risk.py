"""Values risk in a mixture: exclude TC260 risk areas or categories, cap their share, drop rows above a values_risk,
and the shares of risk labels before and after mixing.

Rows carry the labels the pipeline's values step writes (`values_risk`, `risk_labels`, `risk_l1`; flat or inside
`metadata`), or the prompt classifier's (`values_risk`, `should_refuse`, `values_l1`, `values_l2`). When a risk
rule is set, a row with no `values_risk` is labelled here with `document_labels` under `risk.profile`.

A cap holds inside every mixture label, so it holds in the mixture: a capped row joins a label's pool only while
each capped name it carries stays within its share of the pool, and the rows chosen for a label's remainder obey
the same rule. Capped rows wait (in priority order) until enough other rows make room for them.
"""

from __future__ import annotations

import json
from collections import Counter, deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from wenforge.core import reasons as R
from wenforge.core.config import problem_at
from wenforge.mix.fields import field_of

RISK_EXAMPLES = 50  # risk exclusions listed in stats.json (all of them go to excluded/risk.jsonl)
SHARE_EPS = 1e-9  # float slack when a capped row would bring a share exactly to its cap


def tc260_names() -> dict[str, str]:
    """Every name a risk rule may use -> its canonical name: L1 areas and L2 categories, by name or TC260 id."""
    from wenforge.values.taxonomy import load_taxonomy

    tax = load_taxonomy()
    out: dict[str, str] = {}
    for area, a in tax.l1.items():
        out[area] = out[a.id] = area
        for cat, c in a.l2.items():
            out[cat] = out[c.id] = cat
    return out


class RiskConfig(BaseModel):
    """The mixture's `risk` keys: names are TC260 areas (L1) or categories (L2), by name or id (A.1, A.1.4)."""

    model_config = ConfigDict(extra="forbid")
    exclude: list[str] = Field(default_factory=list, description="rows carrying any of these risk labels are excluded")
    cap: dict[str, Annotated[float, Field(ge=0, le=1)]] = Field(
        default_factory=dict, description="largest share of the mixture (in its unit) of rows carrying each label")
    max_risk: float | None = Field(None, ge=0, le=1, description="rows whose values_risk is above this are excluded")
    profile: str = Field("core", description="values profile for rows the mixture labels itself")

    @model_validator(mode="after")
    def _known_names(self) -> RiskConfig:
        from wenforge.values.profile import load_policy

        names = tc260_names()
        hint = "a TC260 risk area or category (name or id, e.g. A.1, A.1.4, 宣扬恐怖主义、极端主义)"
        for i, n in enumerate(self.exclude):
            if n not in names:
                raise problem_at(("exclude", i), f"{n!r} is not {hint}")
        for n in self.cap:
            if n not in names:
                raise problem_at(("cap", n), f"{n!r} is not {hint}")
        try:
            load_policy().rule(self.profile, None)
        except ValueError as e:
            raise problem_at("profile", str(e)) from None
        self.exclude = sorted({names[n] for n in self.exclude})
        self.cap = {names[n]: v for n, v in self.cap.items()}
        return self

    @property
    def active(self) -> bool:
        """Whether any rule can exclude a row."""
        return bool(self.exclude or self.cap) or self.max_risk is not None


@dataclass(frozen=True)
class RowRisk:
    """A row's values risk and its TC260 labels (categories and their areas)."""

    risk: float
    l2: frozenset[str] = frozenset()
    l1: frozenset[str] = frozenset()

    @property
    def names(self) -> frozenset[str]:
        return self.l1 | self.l2


CLEAN = RowRisk(0.0)


def _names(value: Any) -> list[str]:
    """Label names from a list, a {name: risk} mapping, a JSON string of either, or one name."""
    if isinstance(value, str):
        try:
            value = json.loads(value) if value[:1] in "[{" else [value]
        except json.JSONDecodeError:
            value = [value]
    if isinstance(value, dict):
        return [str(k) for k in value]
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value]
    return []


def row_risk(row: dict) -> RowRisk | None:
    """The risk a row carries (values step or prompt classifier fields), None when it has no `values_risk`."""
    risk = field_of(row, "values_risk")
    if not isinstance(risk, (int, float)) or isinstance(risk, bool):
        return None
    l2 = _names(field_of(row, "risk_labels"))
    l1 = _names(field_of(row, "risk_l1"))
    if not l2 and field_of(row, "should_refuse") is True:  # a prompt classifier's row
        l2 = _names(field_of(row, "values_l2"))
        l1 = _names(field_of(row, "values_l1"))
    return labelled(float(risk), l2, l1)


def labelled(risk: float, l2: Iterable[str], l1: Iterable[str] = ()) -> RowRisk:
    """A RowRisk whose areas include those of its categories (names outside the taxonomy are kept as given)."""
    from wenforge.values.taxonomy import load_taxonomy

    tax = load_taxonomy()
    cats = frozenset(l2)
    areas = set(l1)
    for c in cats:
        try:
            areas.add(tax.area_of(c))
        except KeyError:
            continue
    return RowRisk(risk, cats, frozenset(areas))


@dataclass
class RiskShares:
    """Units and rows per risk label over a set of rows: the mixture's input or its output."""

    units: float = 0.0
    rows: int = 0
    unlabelled: int = 0
    any_units: float = 0.0
    label_units: Counter = field(default_factory=Counter)
    label_rows: Counter = field(default_factory=Counter)

    def add(self, r: RowRisk | None, units: float) -> None:
        self.units += units
        self.rows += 1
        if r is None:
            self.unlabelled += 1
            return
        if r.l2 or r.l1:
            self.any_units += units
        for n in r.names:
            self.label_units[n] += units
            self.label_rows[n] += 1

    def as_dict(self, areas: Iterable[str]) -> dict:
        """Shares in the mixture's unit, split into L1 areas and L2 categories."""
        areas = set(areas)

        def share(u: float) -> float:
            return round(u / self.units, 6) if self.units else 0.0

        by = {"l1": {}, "l2": {}}
        for n, u in self.label_units.most_common():
            by["l1" if n in areas else "l2"][n] = {"share": share(u), "rows": self.label_rows[n]}
        return {"rows": self.rows, "units": self.units, "unlabelled_rows": self.unlabelled,
                "any_share": share(self.any_units), **by}


Candidate = tuple[int, int, float, frozenset]  # (priority, position, units, capped names it carries)


def take_within_caps(rows: list[Candidate], caps: dict[str, float], *, base: float = 0.0,
                     budget: float | None = None) -> tuple[list[int], float]:
    """(positions taken, their units) from `rows` in priority order: a row with capped names only while each
    name's units stay within its cap of everything taken (`base` units count as taken, carrying no capped name);
    a row that does not fit yet waits and is retried, first in line, after each row taken. With `budget`, stop
    at the row that would overshoot it by more than half (the mixture's remainder rule)."""
    used: Counter = Counter()
    total, acc = base, 0.0
    taken: list[int] = []
    waiting: deque[Candidate] = deque()

    def fits(c: Candidate) -> bool:
        return all(used[x] + c[2] <= caps[x] * (total + c[2]) + SHARE_EPS for x in c[3])

    def full(n: float) -> bool:
        return budget is not None and (acc >= budget or (acc > 0 and acc + n / 2 > budget))

    def take(c: Candidate) -> None:
        nonlocal total, acc
        taken.append(c[1])
        total += c[2]
        acc += c[2]
        for x in c[3]:
            used[x] += c[2]

    for c in sorted(rows):
        if full(c[2]):
            break
        if not fits(c):
            waiting.append(c)
            continue
        take(c)
        while waiting and fits(waiting[0]) and not full(waiting[0][2]):
            take(waiting.popleft())
    return taken, acc


class RiskGate:
    """The mixture's risk rules over its rows, by position: which rows are out and why, which capped rows joined
    their label's pool, and the risk shares of the input (`before`) and of the output (`after`)."""

    def __init__(self, cfg: RiskConfig | None):
        self.cfg = cfg or RiskConfig()
        self.labelled_here: dict[int, RowRisk] = {}  # rows labelled by the mixture with a risk label (others: CLEAN)
        self.labelled_count = 0
        self.out: set[int] = set()
        self.records: list[dict] = []
        self.excluded: Counter = Counter()
        self.candidates: dict[str, list[Candidate]] = {}
        self._pending: dict[int, tuple[dict, RowRisk]] = {}  # where each candidate came from, and its risk
        self.admitted: dict[str, list[Candidate]] = {}
        self.admitted_pos: set[int] = set()
        self.before, self.after = RiskShares(), RiskShares()
        self.seen_labels = False

    def of(self, pos: int, row: dict, text: str, *, first: bool = False) -> RowRisk | None:
        """The row's risk: its own fields, else (rules set) a label made here, on the first pass only."""
        r = row_risk(row)
        if r is not None:
            self.seen_labels = True
            return r
        if not self.cfg.active:
            return None
        if first:
            self.labelled_count += 1
            r = label_text(text, self.cfg.profile)
            if r.names:
                self.labelled_here[pos] = r
            return r
        return self.labelled_here.get(pos, CLEAN)

    def rule_out(self, r: RowRisk | None) -> str | None:
        """The reason code a rule excludes the row for, or None."""
        if r is None:
            return None
        if r.names & set(self.cfg.exclude):
            return R.RISK_EXCLUDED
        if self.cfg.max_risk is not None and r.risk > self.cfg.max_risk:
            return R.RISK_TOO_HIGH
        return None

    def capped(self, r: RowRisk | None) -> frozenset[str]:
        return frozenset(r.names & set(self.cfg.cap)) if r is not None else frozenset()

    def exclude(self, pos: int, where: dict, code: str, r: RowRisk | None) -> None:
        """Record one row the rules leave out."""
        self.out.add(pos)
        self.excluded[code] += 1
        self.records.append({**where, "reason": code, "values_risk": r.risk if r else None,
                             "risk_labels": sorted(r.names) if r else []})

    def candidate(self, label: str, c: Candidate, where: dict, r: RowRisk) -> None:
        """A row carrying a capped label: it joins its label's pool only if `admit` finds room for it."""
        self.candidates.setdefault(label, []).append(c)
        self._pending[c[1]] = (where, r)

    def admit(self, clean_units: Counter) -> dict[str, tuple[int, float]]:
        """Per label, the capped candidates that fit its pool beside `clean_units` (the rest are excluded
        `risk_capped`): how many joined and their units."""
        joined: dict[str, tuple[int, float]] = {}
        for label, rows in self.candidates.items():
            taken, acc = take_within_caps(rows, self.cfg.cap, base=clean_units[label])
            keep = set(taken)
            self.admitted[label] = [c for c in rows if c[1] in keep]
            self.admitted_pos |= keep
            joined[label] = (len(keep), acc)
            for c in rows:
                if c[1] not in keep:
                    where, risk = self._pending[c[1]]
                    self.exclude(c[1], where, R.RISK_CAPPED, risk)
        self._pending.clear()
        return joined

    def stats(self) -> dict | None:
        """The mixture's risk record: rules, shares before and after, exclusions (None: no rule set and no row
        carried risk labels)."""
        if not (self.cfg.active or self.seen_labels):
            return None
        areas = tc260_areas()
        return {"rules": self.cfg.model_dump(mode="json"), "labelled_here": self.labelled_count,
                "before": self.before.as_dict(areas), "after": self.after.as_dict(areas),
                "excluded": dict(self.excluded), "examples": self.records[:RISK_EXAMPLES]}


def tc260_areas() -> list[str]:
    from wenforge.values.taxonomy import load_taxonomy

    return load_taxonomy().l1_labels


def label_text(text: str, profile: str) -> RowRisk:
    """A document's risk labels from the values classifier (`document_labels`) under `profile`."""
    from wenforge.values.classify import document_labels

    d = document_labels(text, profile=profile)
    return labelled(float(d["values_risk"]), d["risk_labels"], d["risk_l1"])
