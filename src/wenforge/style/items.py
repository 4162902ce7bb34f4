"""One labelled training text of the style corpus (and where it came from): shared by the corpus loader and
the seed set, so neither imports the other."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Item:
    text: str
    l1: str
    l2: str
    source: str  # poetry | luxun | pd_prose | pd_poetry | csl | cmrc | uhgeval | thucnews | hc3_human |
    #              hc3_chatgpt | ruozhiba_human | ruozhiba_llm | llm_writing | cmath | seed
    split: str
    group: str = ""  # key of the original row (windows of one row share it)

    @property
    def literary(self) -> int:
        return int(self.l1 == "literature")

    @property
    def machine(self) -> bool:
        """Whether a model wrote the text (its genre label must not depend on that)."""
        return self.source in MACHINE_SOURCES


MACHINE_SOURCES = {"hc3_chatgpt", "ruozhiba_llm", "llm_writing"}
