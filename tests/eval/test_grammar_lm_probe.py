"""The n-gram probe behind the FCGEC note in BENCHMARKS.md: lexicon parsing, segmentation, back-off."""

import importlib.util
import math
from pathlib import Path

import numpy as np
import pytest

PROBE = Path(__file__).resolve().parents[2] / "bench" / "grammar_lm_probe.py"


@pytest.fixture(scope="module")
def probe():
    import sys

    if str(PROBE.parent) not in sys.path:
        sys.path.insert(0, str(PROBE.parent))  # as `python bench/grammar_lm_probe.py` has it (its devdata import)
    spec = importlib.util.spec_from_file_location("grammar_lm_probe", PROBE)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


WORDS = ["", "我们", "我", "们", "学习", "学", "习"]  # id 0 = sentence boundary
DUMP = """\\0-gram\\1
  0.000005   0.0000001 (0,0)
\\1-gram\\7
 0 0.1 1.0 (0,0)
 1 0.2 0.5 (0,0)
 2 0.05 1.0 (0,0)
 3 0.01 1.0 (0,0)
 4 0.2 0.4 (0,0)
 5 0.02 1.0 (0,0)
 6 0.01 1.0 (0,0)
\\2-gram\\2
 0 1 0.6 0.25 (1,1)
 1 4 0.5 1.0 (1,2)
\\3-gram\\1
 0 1 4 0.9 (1,0)
"""


def test_lexicon_reads_the_ucs4_word_table(probe, tmp_path):
    table = b"".join(np.array([ord(c) for c in w] + [0], "<u4").tobytes() for w in WORDS)
    header = np.array([len(WORDS), 0, 16, 0], "<u4").tobytes()  # third field: offset of the table
    f = tmp_path / "pydict.bin"
    f.write_bytes(header + table)
    assert probe.lexicon(f)[: len(WORDS)] == WORDS


def test_segmentation_and_backoff(probe):
    lm = probe.TrigramLM(DUMP.splitlines(), WORDS)
    assert lm.segment("我们学习") == ["我们", "学习"]  # 0.2*0.2 beats every split into single characters
    assert lm.segment("我们12学习") == ["我们", "12", "学习"]  # a digit run is one unknown token
    lp, lu = lm.token_scores("我们学习")
    # 我们 after <s>: bigram 0.6; 学习 after (<s>, 我们): trigram 0.9; </s> after (我们, 学习): no trigram, no
    # bigram (学习, </s>), so bow(我们, 学习)=1.0 * bow(学习)=0.4 * P(</s>)=0.1
    assert lp == pytest.approx([math.log(0.6), math.log(0.9), math.log(0.4 * 0.1)])
    assert lu == pytest.approx([math.log(0.2), math.log(0.2), math.log(0.1)])
    # 学习 then 我们: no trigram (<s>, 学习, 我们); no bigram (学习, 我们): bow(学习)=0.4 * P(我们)=0.2
    lp2, _ = lm.token_scores("学习我们")
    assert lp2[1] == pytest.approx(math.log(0.4 * 0.2))
    assert probe.features(lm, "我们学习")[0] == pytest.approx(lp.sum() / 4)
