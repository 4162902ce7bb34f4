"""report.html for one pipeline run: counts per step and reason, length/language/style mixes, risk shares, examples.

It renders what the run recorded (stats.json, the kept Parquet columns, exclusion records); it computes
no new judgement about documents.
"""

from __future__ import annotations

import json
import random
from collections import Counter
from pathlib import Path, PurePosixPath

from wenforge.core import storage
from wenforge.core.rows import read_jsonl, read_parquet

# exclusion records read per shard for the report's examples: enough to sample from, bounded for huge runs
EXAMPLES_READ_PER_FILE = 200
RISK_EXAMPLE_IDS = 3  # ids listed per risk area and category: enough to find the documents, short in a table
from wenforge.report import Page


def _kept_columns(data_dir: Path | str, columns: list[str]) -> dict[str, list]:
    import pyarrow.parquet as pq

    out: dict[str, list] = {c: [] for c in columns}
    for f in storage.listing(data_dir, "*.parquet"):
        with storage.open_file(f) as fh:
            names = pq.read_schema(fh).names
        cols = [c for c in columns if c in names]
        for line in read_parquet(f, columns=cols):
            for c in cols:
                out[c].append(line.row[c])
    return out


def _kept_rows(data_dir: Path | str, limit: int = 800) -> list[dict]:
    """Up to `limit` kept rows (all columns), in file order, for examples."""
    rows: list[dict] = []
    for f in storage.listing(data_dir, "*.parquet"):
        for line in read_parquet(f):
            rows.append(line.row)
            if len(rows) >= limit:
                return rows
    return rows


def _clean_section(page: Page, stats: dict, cols: dict, rows: list[dict], rng: random.Random, n: int) -> None:
    spam = [bool(x) for x in cols.get("spam", []) if x is not None]
    if not spam:
        return
    dropped = sum(stats["excluded_by_step"].get("clean", {}).values())
    page.heading("Adversarial cleaning")
    page.paragraph(
        f"{sum(spam)} kept pages were injected spam pages whose genuine article was salvaged; "
        f"{dropped} pages had nothing genuine left and were excluded; {len(spam) - sum(spam)} kept pages were clean."
    )
    codes = Counter(c for cs in cols.get("clean_reasons", []) if cs for c in cs)
    if codes:
        page.bar_chart("reason codes on kept pages", dict(codes.most_common(15)), color="#f28e2b")
    salvaged = [r for r in rows if r.get("spam") and r.get("clean_removed")]
    rng.shuffle(salvaged)
    items = []
    for r in salvaged[:n]:
        removed = json.loads(r["clean_removed"])
        cut = "\n".join(f"[{x['reason']}] {x['text']}" for x in removed)
        spans, pos = [], 0
        for x in removed:  # highlight each removed fragment in the listing of cuts
            start = cut.index(x["text"], pos) if x["text"] else pos
            spans.append((start, start + len(x["text"]), x["reason"]))
            pos = start + len(x["text"])
        items.append({"id": r["id"], "spam_score": r.get("spam_score"), "text": cut, "spans": spans})
        items.append({"id": r["id"], "salvaged article": "", "text": r["text"], "spans": []})
    page.marked("Salvaged pages: removed spans (highlighted, with reason) and the article kept", items)


def _style_section(page: Page, cols: dict, rows: list[dict], rng: random.Random, n: int) -> None:
    if not any(cols.get("l1", [])):
        return
    page.heading("Style labels")
    l1 = Counter(x for x in cols["l1"] if x)
    total = sum(l1.values()) or 1
    page.bar_chart("L1 domain share", {k: round(v / total, 3) for k, v in l1.most_common()}, color="#59a14f")
    page.bar_chart("L2 genre", dict(Counter(x for x in cols["l2"] if x).most_common(15)), color="#59a14f")
    page.bar_chart("L3 devices", dict(Counter(d for ds in cols["l3"] if ds for d in ds).most_common(15)), color="#59a14f")
    for name in ("literary_score", "ornateness", "overwrought", "quality"):
        if any(x is not None for x in cols.get(name, [])):
            page.histogram(name, [x for x in cols[name] if x is not None])
    with_ev = [r for r in rows if r.get("style_evidence") and r.get("l1") == "literature"] or [r for r in rows if r.get("style_evidence")]
    rng.shuffle(with_ev)
    items = []
    for r in with_ev[:n]:
        ev = json.loads(r["style_evidence"])
        spans = [(e["start"], e["end"], e["device"]) for e in ev if "start" in e and "end" in e]
        items.append({"id": r["id"], "l1": r.get("l1"), "l2": r.get("l2"), "literary_score": round(r.get("literary_score") or 0, 3), "text": r["text"], "spans": spans})
    page.marked("Device evidence (highlighted spans, labelled by device)", items)


def risk_shares(cols: dict, examples: int = RISK_EXAMPLE_IDS) -> dict | None:
    """Shares of labelled kept documents with any risk label, per L1 area and per L2 category, with the first
    `examples` ids of each (None when no document has values labels)."""
    if not any(r is not None for r in cols.get("values_risk", [])):  # the values step was off (or an older run)
        return None
    labelled = [(i, rid) for i, (rid, r) in enumerate(zip(cols["id"], cols["values_risk"], strict=True)) if r is not None]
    n = len(labelled)
    any_risk = [rid for i, rid in labelled if cols["risk_labels"][i]]
    by: dict[str, dict[str, list[str]]] = {"l1": {}, "l2": {}}
    for i, rid in labelled:
        for level, col in (("l1", "risk_l1"), ("l2", "risk_labels")):
            for name in cols[col][i] or ():
                by[level].setdefault(name, []).append(rid)
    table = {level: {name: {"documents": len(ids), "share": round(len(ids) / n, 4), "examples": ids[:examples]}
                     for name, ids in sorted(names.items(), key=lambda kv: -len(kv[1]))}
             for level, names in by.items()}
    return {"documents": n, "with_risk": len(any_risk), "any_share": round(len(any_risk) / n, 4),
            "examples": any_risk[:examples], **table}


def _values_section(page: Page, stats: dict, cols: dict, rows: list[dict], rng: random.Random, n: int) -> None:
    shares = risk_shares(cols)
    if shares is None:
        return
    profile = (stats.get("config") or {}).get("values", {}).get("profile", "core")
    page.heading("Values risk labels")
    page.paragraph(
        f"{shares['with_risk']} of {shares['documents']} kept documents ({shares['any_share']:.1%}) carry a TC260 risk "
        f"label under values profile {profile!r} (a passage at or above its category's refuse_at); "
        f"examples: {', '.join(shares['examples']) or 'none'}."
    )
    for level, title in (("l1", "risk area (L1)"), ("l2", "risk category (L2)")):
        if shares[level]:
            page.bar_chart(f"share of documents per {title}", {k: v["share"] for k, v in shares[level].items()},
                           color="#e15759")
            page.table([{title: k, "documents": v["documents"], "share": v["share"], "example ids": ", ".join(v["examples"])}
                        for k, v in shares[level].items()])
    page.histogram("values_risk (riskiest passage)", [x for x in cols["values_risk"] if x is not None])
    risky = [r for r in rows if r.get("risk_labels")]
    rng.shuffle(risky)
    items = []
    for r in risky[:n]:
        passages = json.loads(r["risk_passages"]) if r.get("risk_passages") else []
        spans = [(p["start"], p["end"], f"{p['l2']} {p['risk']:.2f}") for p in passages]
        items.append({"id": r["id"], "values_risk": r["values_risk"], "risk_labels": ", ".join(r["risk_labels"]),
                      "text": r["text"], "spans": spans})
    page.marked("Risky documents (flagged passages highlighted, with category and risk)", items)


def _pii_section(page: Page, stats: dict) -> None:
    pii = stats.get("pii")
    if not pii:  # the pii step was off (or an older run)
        return
    mode = (stats.get("config") or {}).get("pii", {}).get("mode", "placeholder")
    page.heading("Personal data")
    page.paragraph(f"{pii['with_pii']} of {pii['documents']} documents held personal data, replaced by "
                   f"{'typed placeholders' if mode == 'placeholder' else 'salted hashes'}; spans per type:")
    if pii["spans"]:
        page.bar_chart("PII spans replaced per type", pii["spans"], color="#b07aa1")
    page.table([{"type": t, "spans": n} for t, n in pii["spans"].items()], ["type", "spans"])


def _decontam_section(page: Page, stats: dict) -> None:
    dc = stats.get("decontam")
    if not dc:  # the decontaminate step was off (or an older run)
        return
    done = "excluded" if dc["action"] == "exclude" else "kept and flagged (metadata contaminated, decontam_matches)"
    page.heading("Benchmark contamination")
    page.paragraph(f"{dc['contaminated']} of {dc['documents']} documents held a benchmark item and were {done}; "
                   f"documents per benchmark (a document may hold items of several):")
    if dc["benchmarks"]:
        page.bar_chart("documents per benchmark", dc["benchmarks"], color="#edc948")
    page.table([{"benchmark": b, "documents": n} for b, n in dc["benchmarks"].items()], ["benchmark", "documents"])


def _excluded_samples(excluded: Path | str, per_step: int, rng: random.Random) -> dict[str, list[dict]]:
    by_step: dict[str, list] = {}
    for f in storage.listing(excluded, "*/*.jsonl.gz"):
        by_step.setdefault(PurePosixPath(str(f)).parent.name, []).append(f)
    out: dict[str, list[dict]] = {}
    for step, files in sorted(by_step.items()):
        recs: list[dict] = []
        for f in files[:4]:
            for i, line in enumerate(read_jsonl(f, allow_empty=True)):
                if i >= EXAMPLES_READ_PER_FILE:
                    break
                if line.row is not None:
                    recs.append(line.row)
        rng.shuffle(recs)
        out[step] = [
            {"id": r["id"], "reason": r["reason"], "source": f"{r.get('source')}:{r.get('line')}" if r.get("line") else r.get("source"), "text": r.get("text", "")}
            for r in recs[:per_step]
        ]
    return out


def write_run_report(root: Path | str, stats: dict, *, samples: int = 8, seed: int = 0) -> Path | str:
    """report.html of one run folder (local, or a remote URL)."""
    page = Page(f"wenforge run: {stats['name']}")
    add_run_sections(page, root, stats, samples=samples, seed=seed)
    return page.write(storage.join(root, "report.html"))


def add_run_sections(page: Page, root: Path | str, stats: dict, *, samples: int = 8, seed: int = 0) -> Page:
    """The sections of a run's report, added to any page (the run's own report, the demo's report)."""
    rng = random.Random(seed)
    docs = stats["rows"]
    page.paragraph(
        f"read {docs['read']} · kept {docs['kept']} · excluded {docs['excluded']} · "
        f"conservation {'ok' if stats['conserved'] else 'MISMATCH'}"
        f" · {stats['seconds']} s on {stats['executor']} ({stats['tasks']} tasks, {stats['workers']} workers)"
    )
    page.heading("Documents per step")
    page.bar_chart("excluded per step", {s: sum(r.values()) for s, r in stats["excluded_by_step"].items()} | {"kept": docs["kept"]})
    rows = [{"step": s, "reason": r, "documents": c} for s, reasons in stats["excluded_by_step"].items() for r, c in sorted(reasons.items(), key=lambda x: -x[1])]
    page.table(rows, ["step", "reason", "documents"])
    for step, reasons in stats["excluded_by_step"].items():
        if len(reasons) > 1:
            page.bar_chart(f"{step}: reasons", dict(sorted(reasons.items(), key=lambda x: -x[1])[:15]), color="#e15759")
    cols = _kept_columns(storage.join(root, "data"), ["id", "chars", "language", "l1", "l2", "l3", "literary_score", "ornateness",
                                           "overwrought", "quality", "spam", "clean_reasons", "values_risk",
                                           "risk_labels", "risk_l1"])
    rows = _kept_rows(storage.join(root, "data"))
    page.heading("Kept documents")
    if cols["chars"]:
        page.histogram("length (characters)", cols["chars"])
    if cols["language"]:
        page.bar_chart("language", dict(Counter(x or "unknown" for x in cols["language"]).most_common(12)))
    _clean_section(page, stats, cols, rows, rng, max(1, samples // 2))
    _style_section(page, cols, rows, rng, max(1, samples // 2))
    _values_section(page, stats, cols, rows, rng, max(1, samples // 2))
    _pii_section(page, stats)
    _decontam_section(page, stats)
    sample = rows[:]
    rng.shuffle(sample)
    shown = ("id", "text", "language", "l1", "l2", "spam_score", "quality_rescued")
    page.examples("Kept examples", [{k: r[k] for k in shown if r.get(k) is not None} for r in sample[:samples]])
    for step, items in _excluded_samples(storage.join(root, "excluded"), max(1, samples // 2), rng).items():
        page.examples(f"Excluded at {step}", items)
    page.heading("Stage timings (s)")
    page.table([{"stage": k, "seconds": v} for k, v in stats["stage_seconds"].items()])
    return page
