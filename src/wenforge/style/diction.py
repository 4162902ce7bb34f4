"""Diction: idiom and four-character density (jieba dictionary tags i/l over plain segmentation),
classical function words, sensory and emotion lexicons, reduplication. Values are per 100 characters."""

from __future__ import annotations

from wenforge.style.doc import CJK_RE, Doc
from wenforge.style.lexicon import word_set
from wenforge.text.wordspans import jieba_dict_words


def diction_features(doc: Doc) -> dict[str, float]:
    idioms = jieba_dict_words(("i",), 3)
    setphrases = jieba_dict_words(("l",), 3)
    strong, weak = word_set("classical_function_strong"), word_set("classical_function_weak")
    sensory, emotion = word_set("sensory"), word_set("emotion")
    n_idiom = n_set = n_four = n_strong = n_weak = n_sens = n_emo = n_single = n_cjkw = 0
    for w, _s, _e in doc.words:
        if not CJK_RE.match(w):
            continue
        n_cjkw += 1
        if len(w) == 1:
            n_single += 1
            if w in strong:
                n_strong += 1
            elif w in weak:
                n_weak += 1
            continue
        if w in idioms:
            n_idiom += 1
        elif w in setphrases:
            n_set += 1
        if len(w) == 4:
            n_four += 1
        if w in sensory:
            n_sens += 1
        if w in emotion:
            n_emo += 1
    p = doc.per100
    return {
        "idiom_density": n_idiom / p,
        "setphrase_density": n_set / p,
        "fourchar_share": n_four / max(n_cjkw, 1),
        "single_char_word_share": n_single / max(n_cjkw, 1),
        "classical_strong_density": n_strong / p,
        "classical_weak_density": n_weak / p,
        "sensory_density": n_sens / p,
        "emotion_density": n_emo / p,
        "mean_word_len": sum(len(w) for w, _, _ in doc.words) / max(len(doc.words), 1),
    }
