"""First-character guards for regular expressions: the same pattern behind a look-ahead on the characters a
match can start with, so the engine skips most positions of a long text at C speed. Used by the cleaner's
detectors and the values cues; a pattern it cannot read is compiled as written. `match_heads` gives the 1-2
character strings every match starts with, so a pattern need not run on a text that holds none of them."""

from __future__ import annotations

import re

# --- first-character guards -------------------------------------------------------------------------------
# A small reader of regex source for the syntax the detectors' patterns use (literals, escapes, classes, groups,
# look-arounds, anchors, alternation, repeats). Anything else (inline flags, back-references, conditionals,
# verbose mode) raises _Unknown and the pattern is compiled as written. Nodes: ("lit", ch), ("set", chars or
# None when not a short known set), ("nset",) for a negated class, ("any",), ("zero",) for zero-width items,
# ("group", alternatives, offset), ("rep", minimum, node); alternatives are lists of node sequences. Like re's
# own parser, a non-capturing group that is not repeated is spliced into its sequence.

_ESCAPED = {"n": "\n", "t": "\t", "r": "\r", "f": "\f", "v": "\v", "a": "\a"}
_HEX_DIGITS = {"x": 2, "u": 4, "U": 8}
_REPEAT_RE = re.compile(r"\{(\d*)(,?)(\d*)\}")
MAX_GUARD_RANGE = 64  # a class range wider than this (all CJK, say) is no short first-character set


class _Unknown(Exception):
    """Regex syntax the guard reader does not follow."""


def _escape(rx: str, i: int, in_class: bool) -> tuple[tuple, int]:
    """The node for the escape at rx[i] (a backslash) and the index after it."""
    if i + 1 >= len(rx):
        raise _Unknown
    c = rx[i + 1]
    if c in "dDsSwW":
        return ("set", None), i + 2
    if c in "bBAZ" and not in_class:
        return ("zero",), i + 2
    if c in _ESCAPED:
        return ("lit", _ESCAPED[c]), i + 2
    if c in _HEX_DIGITS:
        digits = rx[i + 2 : i + 2 + _HEX_DIGITS[c]]
        if len(digits) != _HEX_DIGITS[c]:
            raise _Unknown
        return ("lit", chr(int(digits, 16))), i + 2 + len(digits)
    if c.isascii() and c.isalnum():  # back-references, octal, \N{...}, \b inside a class
        raise _Unknown
    return ("lit", c), i + 2


def _class(rx: str, i: int) -> tuple[tuple, int]:
    """The node for the class starting at rx[i] ("[") and the index after its "]"."""
    negated = rx.startswith("^", i + 1)
    i += 1 + negated
    known = not negated
    chars: set[str] = set()
    first = True
    while i < len(rx) and (rx[i] != "]" or first):
        first = False
        if rx[i] == "\\":
            node, i = _escape(rx, i, in_class=True)
            lo = node[1] if node[0] == "lit" else None
            known = known and lo is not None
        else:
            lo, i = rx[i], i + 1
        if lo is not None and rx.startswith("-", i) and i + 1 < len(rx) and rx[i + 1] != "]":
            if rx[i + 1] == "\\":
                node, i = _escape(rx, i + 1, in_class=True)
                if node[0] != "lit":
                    raise _Unknown
                hi = node[1]
            else:
                hi, i = rx[i + 1], i + 2
            known = known and ord(hi) - ord(lo) <= MAX_GUARD_RANGE
            if known:
                chars.update(chr(c) for c in range(ord(lo), ord(hi) + 1))
        elif lo is not None:
            chars.add(lo)
    if i >= len(rx):
        raise _Unknown
    if negated:
        return ("nset",), i + 1
    return ("set", frozenset(chars) if known else None), i + 1


def _group(rx: str, i: int) -> tuple[tuple, int]:
    """The node for the group starting at rx[i] ("(") and the index after its ")"; a non-capturing group is an
    ("inline", ...) node until `_spliced` places it."""
    zero = rx.startswith(("(?=", "(?!", "(?<=", "(?<!"), i)
    if zero:
        start = i + (4 if rx.startswith("(?<", i) else 3)
    elif rx.startswith(("(?:", "(?>"), i):
        start = i + 3
    elif rx.startswith("(?P<", i):
        start = rx.index(">", i) + 1
    elif rx.startswith("(?", i):  # inline flags, named back-references, comments, conditionals
        raise _Unknown
    else:
        start = i + 1
    alts, j = _alternatives(rx, start)
    if j >= len(rx):
        raise _Unknown
    if zero:
        return ("zero",), j + 1
    if rx.startswith("(?>", i):  # an atomic group: re does not look inside it for a first character
        return ("any",), j + 1
    return ("inline" if rx.startswith("(?:", i) else "group", alts, i), j + 1


def _alternatives(rx: str, i: int) -> tuple[list[list[tuple]], int]:
    """The alternatives from rx[i] up to the closing ")" of the group (or the end) and that index."""
    alts: list[list[tuple]] = [[]]
    while i < len(rx) and rx[i] != ")":
        c = rx[i]
        rep = _REPEAT_RE.match(rx, i) if c == "{" else None
        if c in "*+?" or (rep and (rep[1] or rep[2])):
            if not alts[-1]:
                raise _Unknown
            lo = int(rep[1] or 0) if rep else (1 if c == "+" else 0)
            i = rep.end() if rep else i + 1
            possessive = rx.startswith("+", i)
            i += rx.startswith(("?", "+"), i)
            last = alts[-1][-1]
            last = ("group", *last[1:]) if last[0] == "inline" else last
            alts[-1][-1] = ("any",) if possessive else ("rep", lo, last)
            continue
        if c == "|":
            alts.append([])
            i += 1
            continue
        if c == "(":
            node, i = _group(rx, i)
        elif c == "[":
            node, i = _class(rx, i)
        elif c == "\\":
            node, i = _escape(rx, i, in_class=False)
        else:
            node, i = ({"^": ("zero",), "$": ("zero",), ".": ("any",)}.get(c, ("lit", c))), i + 1
        alts[-1].append(node)
    return [_spliced(seq) for seq in alts], i


def _spliced(seq: list[tuple]) -> list[tuple]:
    """The sequence with its non-capturing groups spliced in (one alternative) or kept as groups (several)."""
    out: list[tuple] = []
    for node in seq:
        if node[0] == "inline" and len(node[1]) == 1:
            out += node[1][0]
        else:
            out.append(("group", *node[1:]) if node[0] == "inline" else node)
    return out


def _first_of(alts: list[list[tuple]]) -> set[str] | None:
    """The characters a match can start with, or None when that is not a short known set."""
    out: set[str] = set()
    for seq in alts:
        node = next((n for n in seq if n[0] != "zero"), ("any",))
        while node[0] == "rep" and node[1] >= 1:
            node = node[2]
        if node[0] == "lit":
            out.add(node[1])
        elif node[0] == "set" and node[1] is not None:
            out |= node[1]
        elif node[0] == "group" and (inner := _first_of(node[1])) is not None:
            out |= inner
        else:
            return None
    return out


def _engine_skips(alts: list[list[tuple]]) -> bool:
    """Whether re's compiler finds a first-character set by itself: the pattern starts, through groups, with a
    literal or a class, or is an alternation whose branches all start with a literal (re's parser also turns
    branches that share a first item into that item, and one-character branches into a class)."""
    heads = [seq[0] if seq else None for seq in alts]
    if len(alts) > 1 and heads[0] is not None and all(h == heads[0] for h in heads):
        return _engine_skips([[heads[0]]])
    if len(alts) > 1 and all(len(seq) == 1 and seq[0][0] in ("lit", "set") for seq in alts):
        return True
    if len(alts) > 1:
        return all(h is not None and h[0] == "lit" for h in heads)
    if heads[0] is not None and heads[0][0] == "group":
        return _engine_skips(heads[0][1])
    return heads[0] is not None and heads[0][0] in ("lit", "set", "nset")


def guarded(rx: str, flags: int = 0) -> re.Pattern:
    """``rx`` compiled with a leading ``(?=[first chars])`` when the regex engine cannot skip ahead by
    itself (a top-level alternation of groups, a leading look-behind): 2-3 times faster on clean text."""
    plain = re.compile(rx, flags)
    if flags & re.VERBOSE:
        return plain
    try:
        alts, end = _alternatives(rx, 0)
        if end != len(rx):
            raise _Unknown
        first = _first_of(alts)
    except _Unknown:
        return plain
    if not first or _engine_skips(alts):
        return plain
    return re.compile(f"(?=[{re.escape(''.join(sorted(first)))}])(?:{rx})", flags)

# --- match heads ----------------------------------------------------------------------------------------------
# The strings of HEAD_CHARS characters (or fewer) that every match of a pattern starts with, read with re's own
# parser: a text holding none of them cannot match, so the pattern need not run on it (the values cues: most can
# start in no given text). More than MAX_HEADS starts: unknown, always run.
HEAD_CHARS = 2
MAX_HEADS = 256
_OPEN = frozenset({("", True)})  # (prefix, open): open means "then anything"; ("", True) knows nothing
_EMPTY = frozenset({("", False)})


def match_heads(pattern: str, flags: int = 0) -> frozenset[str] | None:
    """Non-empty strings of at most HEAD_CHARS characters, one of which starts every non-empty match of the
    pattern (read with re's own parser, so no syntax is misread); None when that is not known."""
    from re import _parser

    try:
        parsed = _parser.parse(pattern, flags)
        if parsed.state.flags & re.IGNORECASE:  # given or inline (?i): literals match other cases
            return None
        heads = _seq_heads(parsed.data)
    except (re.error, ValueError, TypeError, AttributeError):  # a parser of another Python: no prefilter
        return None
    return None if ("", True) in heads else frozenset(s for s, _ in heads if s)


def _cat_heads(a: frozenset, b: frozenset) -> frozenset:
    """Starts of a match of A followed by a match of B, each side as (prefix, open) pairs."""
    out = set()
    for s, is_open in a:
        if is_open or len(s) >= HEAD_CHARS:
            out.add((s, is_open))
            continue
        for t, t_open in b:
            u = s + t
            out.add((u[:HEAD_CHARS], t_open and len(u) < HEAD_CHARS))
    return frozenset(out) if len(out) <= MAX_HEADS else _OPEN


def _seq_heads(items) -> frozenset:
    out = _EMPTY
    for op, av in items:
        out = _cat_heads(out, _item_heads(op, av))
    return out


def _item_heads(op, av) -> frozenset:
    """Starts of one parsed item's matches (zero-width items match the empty string, a superset)."""
    from re import _constants as c

    if op is c.LITERAL:
        return frozenset({(chr(av), False)})
    if op is c.IN and all(o is c.LITERAL for o, _ in av):
        return frozenset((chr(v), False) for _, v in av)
    if op is c.BRANCH:
        out = frozenset().union(*(_seq_heads(alt) for alt in av[1]))
        return out if len(out) <= MAX_HEADS else _OPEN
    if op is c.SUBPATTERN and not av[1] & re.IGNORECASE:
        return _seq_heads(av[3])
    if op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
        lo, hi, sub = av
        one, power, out = _seq_heads(sub), _EMPTY, set()
        for n in range(lo + HEAD_CHARS + MAX_HEADS):  # powers settle after HEAD_CHARS steps or by growing
            if n > hi:
                return frozenset(out)
            nxt = _cat_heads(power, one)
            if n >= lo:
                out |= power
                if nxt == power:  # every further repeat starts the same way
                    return frozenset(out)
            power = nxt
        return _OPEN
    if op in (c.AT, c.ASSERT, c.ASSERT_NOT):
        return _EMPTY
    return _OPEN  # any character, a negated or wide class, a back-reference, ignore-case
