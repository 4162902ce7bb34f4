"""Speed against an older git revision (issue 17): one function now and at REV, on the same texts, taking turns,
with the number of texts whose outputs differ (0 when a change only makes it faster).

    python bench/speed_vs_rev.py style [--rev 881735a] [--n 300] [--pairs 3] [--json OUT]
    python bench/speed_vs_rev.py clean [--rev 881735a] [--pairs 3]
    python bench/speed_vs_rev.py detect [--rev 881735a] [--n 300] [--pairs 3]

`style`: `score_style(text, with_proba=True)` on `test` windows of about 1,000 characters, half UHGEval news,
half public-domain Republican prose (the shared data folder, WENFORGE_DATA). `clean`: `clean_page(text)` on the
synthetic pages of 2-5 KB that `clean_bench.py` times (`--n` is ignored). `detect`: the four `wenforge detect`
kinds (ai, grammar, hallucination, values) one after another on each of `detect_speed.py`'s dev texts, through
`run_detector` as the command runs them. Each side runs in its own process
(`git archive REV src` for the old one): every text once to warm up and to record the outputs (as JSON), then
`--pairs` timed passes, old and new alternating; CPU time (`time.process_time`), medians. Characters per
CPU-second for style, MB (UTF-8) per CPU-second for the cleaner.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import devdata  # noqa: F401 - the data folder beside the checkout (WENFORGE_DATA)

sys.path.insert(0, str(Path(__file__).resolve().parent))
from baseline import report, source_tree

from wenforge.core.paths import data_folder

ROOT = Path(__file__).resolve().parent.parent
WINDOW = 1000  # characters per text: a long paragraph, the style-scoring unit
PROSE_WINDOWS_PER_TEXT = 20  # windows taken from one long novel before the next

_CHILD = """
import json, sys, time
sys.path.insert(0, sys.argv[1])
if sys.argv[3] == "style":
    from wenforge.style.score import score_style
    full, fast = (lambda t: score_style(t, with_proba=True).to_dict()), score_style
elif sys.argv[3] == "clean":
    from wenforge.clean import clean_page
    full, fast = (lambda t: clean_page(t).to_dict()), clean_page
else:
    from wenforge.eval.kinds import run_detector
    def full(row):
        return [run_detector(k, row) for k in ("ai", "grammar", "hallucination", "values")]
    fast = full
texts = json.load(open(sys.argv[2], encoding="utf-8"))
outs = [json.dumps(full(t), ensure_ascii=False, sort_keys=True) for t in texts]
print(json.dumps({"outputs": outs}), flush=True)
for _ in sys.stdin:
    c = time.process_time()
    for t in texts:
        fast(t)
    print(json.dumps({"cpu": time.process_time() - c}), flush=True)
"""


def style_texts(data: Path, n: int) -> list[str]:
    """`n` test windows: news first half, prose second half."""
    news, prose = [], []
    with open(data / "hallucination" / "uhgeval_concise.jsonl", encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            if r["split"] == "test" and len(news) < n // 2:
                news.append((r["newsBeginning"] + r["newsRemainder"])[:WINDOW])
    with open(data / "literary" / "modern_pd_prose.jsonl", encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            if r["split"] != "test":
                continue
            t = r["text"]
            prose += [t[i : i + WINDOW] for i in range(0, min(len(t), WINDOW * PROSE_WINDOWS_PER_TEXT), WINDOW)]
            if len(prose) >= n - len(news):
                break
    return news + prose[: n - len(news)]


def clean_texts() -> list[str]:
    """The synthetic pages of 2-5 KB that `clean_bench.py` times (its default split, size and seed)."""
    from clean_bench import build_set

    return [it["text"] for it in build_set("test", 1000, 13) if 2000 <= len(it["text"].encode("utf-8")) <= 5000]


class Side:
    """One implementation in its own process."""

    def __init__(self, src: Path, texts_file: Path, subject: str):
        self.proc = subprocess.Popen([sys.executable, "-c", _CHILD, str(src), str(texts_file), subject],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        self.outputs = json.loads(self.proc.stdout.readline())["outputs"]

    def timed(self) -> float:
        self.proc.stdin.write("go\n")
        self.proc.stdin.flush()
        return json.loads(self.proc.stdout.readline())["cpu"]

    def close(self) -> None:
        self.proc.stdin.close()
        self.proc.wait()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("subject", choices=["style", "clean", "detect"])
    ap.add_argument("--rev", default="881735a", help="git revision of the baseline (before the speed-ups)")
    ap.add_argument("--n", type=int, default=300)
    ap.add_argument("--pairs", type=int, default=3)
    ap.add_argument("--json", type=Path, default=None)
    a = ap.parse_args(argv)
    if a.subject == "detect":
        from detect_speed import load_texts

        texts = load_texts(data_folder(), a.n)
        size = sum(len(r["text"]) for r in texts)
    elif a.subject == "style":
        texts = style_texts(data_folder(), a.n)
        size = sum(map(len, texts))
    else:
        texts = clean_texts()
        size = sum(len(t.encode("utf-8")) for t in texts)
    unit = "mb_per_cpu_s" if a.subject == "clean" else "chars_per_cpu_s"
    scale = 1e-6 if a.subject == "clean" else 1.0
    with tempfile.TemporaryDirectory() as tmp:
        old_src = source_tree(a.rev, Path(tmp))
        texts_file = Path(tmp) / "texts.json"
        texts_file.write_text(json.dumps(texts, ensure_ascii=False), encoding="utf-8")
        old, new = Side(old_src, texts_file, a.subject), Side(ROOT / "src", texts_file, a.subject)
        cpu: dict[str, list[float]] = {"old": [], "new": []}
        for _ in range(a.pairs):
            cpu["old"].append(old.timed())
            cpu["new"].append(new.timed())
        differ = sum(x != y for x, y in zip(old.outputs, new.outputs, strict=True))
        old.close()
        new.close()
    med = {k: statistics.median(v) for k, v in cpu.items()}
    out = {"subject": a.subject, "texts": len(texts), "size": size, "rev": a.rev, "outputs_differ": differ,
           unit: {k: round(size * scale / v, 3) for k, v in med.items()},
           "speedup": round(med["old"] / med["new"], 3), "cpu_s_runs": cpu}
    report(out, a.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
