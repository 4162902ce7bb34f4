"""Register: colloquial vs written markers, person, dialogue, digits and Latin, paragraphing."""

from __future__ import annotations

from wenforge.style.doc import Doc
from wenforge.style.lexicon import word_set


def register_features(doc: Doc) -> dict[str, float]:
    coll, writ = word_set("colloquial"), word_set("written")
    n_coll = n_writ = n_first = n_second = n_third = n_le = n_de = 0
    for w, _s, _e in doc.words:
        if w in coll:
            n_coll += 1
        elif w in writ:
            n_writ += 1
        if w in ("我", "我们", "咱们", "吾", "余"):
            n_first += 1
        elif w in ("你", "您", "你们", "汝", "尔"):
            n_second += 1
        elif w in ("他", "她", "它", "他们", "她们"):
            n_third += 1
        elif w == "了":
            n_le += 1
        elif w == "的":
            n_de += 1
    t = doc.text
    digits = sum(1 for c in t if c.isdigit())
    latin = sum(1 for c in t if c.isascii() and c.isalpha())
    p = doc.per100
    paras = [x for x in t.split("\n") if x.strip()]
    return {
        "colloquial_density": n_coll / p,
        "written_density": n_writ / p,
        "colloquial_ratio": n_coll / max(n_coll + n_writ, 1),
        "first_person_density": n_first / p,
        "second_person_density": n_second / p,
        "third_person_density": n_third / p,
        "le_density": n_le / p,
        "de_density": n_de / p,
        "digit_ratio": digits / max(doc.n_chars, 1),
        "latin_ratio": latin / max(doc.n_chars, 1),
        "cjk_ratio": doc.n_cjk / max(doc.n_chars, 1),
        "para_len_mean": doc.n_chars / max(len(paras), 1),
    }
