"""Adversarial cleaning on REAL Chinese web pages (issue 11): the development set, baselines in the same run.

    python bench/clean_real_bench.py                       # figures on the `test` half of bench/real
    python bench/clean_real_bench.py --split dev --show-errors 20
    python bench/clean_real_bench.py --real DIR --baseline-rev 82fb5f5 --json out.json
    python bench/clean_real_bench.py --pages 'unseen_*.jsonl' --split all   # a new blind set, read once

The pages are not in the repository (third-party text): ``bench/real/pages_*.jsonl`` is git-ignored and
rebuilt by hand from the search queries in ``bench/data/real_queries_*.txt`` (the stored public pages a
query returns; each page labelled spam or clean with its family, subkind, and for spam pages with a
genuine article the genuine paragraphs and injected strings: format in ``bench/real/SPEC.md``, copied
in docs/clean.md). Pages are split dev/test by a hash of their url: thresholds are tuned on `dev`,
figures reported on `test`. On spam pages a genuine paragraph is compared with its pinyin glosses (parenthesised
syllables) taken out: the repair a perfect cleaner makes (until 2026-12-02 only on pages labelled gloss mirrors).

Methods in the same run: keep_all; datatrove's Gopher + C4 + FineWeb filters with Chinese settings (as in
``clean_bench.py``); ``baseline``: ``clean_page`` as it was at ``--baseline-rev`` (the cleaner before this
issue, extracted with ``git archive`` and run in a subprocess); wenforge: ``clean_page`` now.
Metrics: recall per family (injected / mirror / farm), false-positive rate on clean pages (per subkind),
injected strings removed and genuine paragraphs kept on spam pages with a genuine article, clean text
kept on clean pages.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import subprocess
import sys
import tarfile
import tempfile
from collections import Counter
from pathlib import Path

import devdata  # noqa: F401 - the data folder beside the checkout (WENFORGE_DATA)

sys.path.insert(0, str(Path(__file__).resolve().parent))
from clean_bench import METHODS, evaluate, misses, norm, print_miss

ROOT = Path(__file__).resolve().parent.parent
REAL = ROOT / "bench" / "real"
DEV_SHARE = 0.6  # of the pages (by url hash) used for tuning; the rest report the figures
# on gloss mirrors the genuine article is the text without its glosses (what a perfect repair leaves)
_GLOSS_RE = re.compile(r"[(（][a-zü\u00e0-\u01dc]{1,6}[)）]")


def split_of(url: str) -> str:
    h = int(hashlib.sha1(url.encode("utf-8")).hexdigest()[:8], 16) / 0xFFFFFFFF
    return "dev" if h < DEV_SHARE else "test"


# holdout_*, final_*, last_*, next_*, blind_*: each read blind once (BENCHMARKS.md), development since; a new
# blind set goes in unseen_*.jsonl
DEVELOPMENT = "pages_*.jsonl,holdout_*.jsonl,final_*.jsonl,last_*.jsonl,next_*.jsonl,blind_*.jsonl,sixth_*.jsonl,seventh_*.jsonl"
BLIND = "unseen_*.jsonl"


def load(real: Path, split: str, patterns: str = DEVELOPMENT) -> list[dict]:
    """Every labelled page of ``real/<pattern>`` (comma-separated patterns) in ``split`` (``all`` for both)."""
    items, seen = [], set()
    for path in sorted(p for pattern in patterns.split(",") for p in real.glob(pattern)):
        for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                r = json.loads(line)
            except json.JSONDecodeError as e:
                raise SystemExit(f"{path}:{lineno}: not JSON ({e.msg})") from None
            if r["url"] in seen or (split != "all" and split_of(r["url"]) != split):
                continue
            seen.add(r["url"])
            # pinyin glosses are a mirror's damage on any spam page (an injected page may also be a gloss mirror):
            # a perfect cleaner leaves the genuine lines without them
            genuine = [_GLOSS_RE.sub("", p) for p in r.get("genuine", [])]
            items.append({
                "id": r["id"], "url": r["url"], "text": r["text"], "spam": bool(r["spam"]),
                "family": r["family"], "subkind": r.get("subkind", ""),
                "paragraphs": genuine, "article": "\n".join(genuine),
                "injected": r.get("injected", []),
                "kind": "spam" if r["spam"] else f"clean:{r.get('subkind') or 'other'}:real",
            })
    return items


_BASELINE_CODE = """
import json, sys
sys.path.insert(0, sys.argv[1])
from wenforge.clean import clean_page
for line in sys.stdin:
    r = clean_page(json.loads(line))
    print(json.dumps([r.spam, r.text], ensure_ascii=False))
"""


def method_baseline(rev: str, texts: list[str]):
    """``clean_page`` at git revision ``rev``, run once over ``texts`` in a subprocess (its own imports)."""
    with tempfile.TemporaryDirectory() as tmp:
        tar = Path(tmp) / "src.tar"
        subprocess.run(["git", "-C", str(ROOT), "archive", "-o", str(tar), rev, "src"], check=True)
        with tarfile.open(tar) as tf:
            tf.extractall(tmp, filter="data")
        out = subprocess.run([sys.executable, "-c", _BASELINE_CODE, str(Path(tmp) / "src")], cwd=ROOT, check=True,
                             input="\n".join(json.dumps(t, ensure_ascii=False) for t in texts) + "\n",
                             capture_output=True, text=True).stdout.splitlines()
    answers = {t: tuple(json.loads(o)) for t, o in zip(texts, out, strict=True)}

    def run(text: str) -> tuple[bool, str]:
        return answers[text]

    return run


def by_family(items: list[dict], run) -> dict:
    """Recall per spam family and per subkind; false positives per clean subkind."""
    hit: Counter = Counter()
    n: Counter = Counter()
    for it in items:
        flagged, _ = run(it["text"])
        for key in (it["family"], f"{it['family']}:{it['subkind']}"):
            n[key] += 1
            hit[key] += bool(flagged)
    return {k: {"n": n[k], "flagged": hit[k], "share": hit[k] / n[k]} for k in sorted(n)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--real", type=Path, default=REAL)
    ap.add_argument("--split", default="test", choices=["dev", "test", "all"])
    ap.add_argument("--pages", default=DEVELOPMENT,
                    help=f"file patterns under --real, comma-separated; {BLIND} is the blind set (read once, --split all)")
    ap.add_argument("--methods", default="keep_all,datatrove,baseline,wenforge")
    ap.add_argument("--baseline-rev", default="82fb5f5", help="git revision of the cleaner before issue 11")
    ap.add_argument("--json", type=Path, default=None)
    ap.add_argument("--show-errors", type=int, default=0, help="print this many wenforge errors (not on test)")
    a = ap.parse_args(argv)
    items = load(a.real, a.split, a.pages)
    if not items:
        raise SystemExit(f"{a.real}: no labelled pages (pages_*.jsonl) for split {a.split}")
    results = {}
    for name in a.methods.split(","):
        run = method_baseline(a.baseline_rev, [it["text"] for it in items]) if name == "baseline" else METHODS[name]()
        res = evaluate(items, run)
        res["families"] = by_family(items, run)
        results[name] = res
    fam = Counter(it["family"] for it in items)
    print(f"split={a.split} pages={len(items)} " + " ".join(f"{k}={v}" for k, v in sorted(fam.items())))
    cols = ["recall", "fpr_clean", "injected_strings_removed", "genuine_paragraphs_kept", "clean_text_kept"]
    fams = ["injected", "mirror", "farm"]
    print(f"{'method':10s} " + " ".join(f"{c[:14]:>14s}" for c in cols) + " " + " ".join(f"{'R_' + f:>12s}" for f in fams))
    for name, r in results.items():
        print(f"{name:10s} " + " ".join(f"{r[c]:14.3f}" for c in cols) + " "
              + " ".join(f"{r['families'].get(f, {}).get('share', float('nan')):12.3f}" for f in fams))
    for name, r in results.items():
        print(f"{name} by subkind:", {k: f"{v['flagged']}/{v['n']}" for k, v in r["families"].items() if ":" in k})
    if a.show_errors:
        if a.split == "test" or a.pages == BLIND:
            raise SystemExit("--show-errors reads development pages only (not test, not the blind set)")
        shown = 0
        for it, r, lost, left in misses(items):
            kept = len(norm(r.text)) / max(1, len(norm(it["text"])))
            if r.spam != it["spam"] or lost or left or (not it["spam"] and kept < 0.9):
                shown += 1
                print_miss(it, r, lost, left, f"{it['family']} {it['subkind']}")
                if not it["spam"] and kept < 0.9:
                    print(f"  KEPT {kept:.2f}:", [(x.reason, x.text[:40]) for x in r.removed[:6]])
                if shown >= a.show_errors:
                    break
    if a.json:
        a.json.write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
