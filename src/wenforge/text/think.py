"""The one parser of R1-style think tags: a completion becomes (reasoning, answer).

Tags are matched case-insensitively and may hold whitespace (``<think>``, ``<Think >``, ``</ THINK>``).

- No tag at all: reasoning is None and the answer is the whole text.
- Closed blocks (``<think>a</think>b<think>c</think>d``): reasoning is the blocks' texts, each stripped,
  joined by a blank line (``"a\\n\\nc"``); the answer is the text outside them (``"bd"``). An opening tag inside
  a block is part of the thought.
- A closing tag with no opening one (an R1 chat template opens the block in the prompt): the text before it
  is reasoning, and so is any answer text gathered before it.
- An unclosed ``<think>`` (a generation cut off mid-thought): the text after it is reasoning and there is no
  answer (``""``), even when text came before the tag: a final answer must follow the reasoning.

Answers are stripped; reasoning is ``""`` (not None) when tags were found but held no text.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, NamedTuple

_TAG_RE = re.compile(r"<(/?)\s*think\s*>", re.IGNORECASE)
# Chat-message fields servers put the chain of thought in: DeepSeek and the vLLM/SGLang reasoning parsers use
# `reasoning_content`, newer vLLM `reasoning`. The first non-empty one is taken.
REASONING_FIELDS = ("reasoning_content", "reasoning")
_JOIN = "\n\n"


class ThinkSplit(NamedTuple):
    reasoning: str | None
    answer: str


def split_think(completion: str) -> ThinkSplit:
    """(reasoning or None, answer) of a completion, by the rules in this module's docstring."""
    answer: list[str] = []
    thoughts: list[str] = []
    tagged = inside = False
    pos = start = 0
    for m in _TAG_RE.finditer(completion):
        tagged = True
        if not m.group(1):
            if not inside:
                answer.append(completion[pos : m.start()])
                inside, start = True, m.end()
        elif inside:
            thoughts.append(completion[start : m.start()])
            inside = False
        else:  # the block was opened before the completion began
            thoughts.append("".join(answer) + completion[pos : m.start()])
            answer = []
        pos = m.end()
    if not tagged:
        return ThinkSplit(None, completion.strip())
    if inside:
        thoughts.append(completion[start:])
        answer = []
    else:
        answer.append(completion[pos:])
    return ThinkSplit(_JOIN.join(t.strip() for t in thoughts if t.strip()), "".join(answer).strip())


def closing_tags(completion: str) -> int:
    """How many closing think tags the completion holds (the format reward wants exactly one)."""
    return sum(1 for m in _TAG_RE.finditer(completion) if m.group(1))


def split_message(message: Mapping[str, Any]) -> ThinkSplit:
    """(reasoning or None, answer) of an OpenAI-style chat message: a reasoning field, then think blocks in the content."""
    content = message.get("content")
    reasoning, answer = split_think(content if isinstance(content, str) else "")
    field = next((v.strip() for k in REASONING_FIELDS if isinstance(v := message.get(k), str) and v.strip()), None)
    if field is None:
        return ThinkSplit(reasoning, answer)
    return ThinkSplit(_JOIN.join(p for p in (field, reasoning) if p), answer)
