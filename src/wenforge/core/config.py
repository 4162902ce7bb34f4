"""YAML config files for every command: read a mapping, and turn pydantic errors into `file:LINE: key: message`.

Each capability keeps its own pydantic model and error class; this module is the one place that knows how to
point at the line of a YAML file where a bad key or value sits.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError


class YamlConfigError(ValueError):
    """A config file that cannot be read as a mapping; the message names the file (and line)."""


# A config of a few hundred keys expands to a few thousand nodes; aliases that expand past this are an
# alias bomb (nine nested lists of nine aliases is 387 million nodes in 289 bytes), refused before
# anything walks the expanded graph.
MAX_EXPANDED_NODES = 100_000


def _expanded_size(root: yaml.Node, limit: int) -> int:
    """Nodes the document would have with every alias expanded (memoised per node, stops past `limit`)."""
    memo: dict[int, int] = {}

    def size(node: yaml.Node) -> int:
        key = id(node)
        if key in memo:
            return memo[key]
        memo[key] = limit + 1  # a node inside itself (recursive alias) counts as too big
        if isinstance(node, yaml.MappingNode):
            n = 1 + sum(size(k) + size(v) for k, v in node.value)
        elif isinstance(node, yaml.SequenceNode):
            n = 1 + sum(size(v) for v in node.value)
        else:
            n = 1
        memo[key] = min(n, limit + 1)
        return memo[key]

    return size(root)


def load_yaml(text: str, source: str) -> Any:
    """`yaml.safe_load` with a bound on alias expansion; errors name `source` and the line."""
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        if _expanded_size(node, MAX_EXPANDED_NODES) > MAX_EXPANDED_NODES:
            raise YamlConfigError(
                f"{source}:{node.start_mark.line + 1}: refused: aliases expand to more than "
                f"{MAX_EXPANDED_NODES:,} nodes (an alias bomb, or a recursive alias)"
            )
        return loader.construct_document(node)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f"{source}:{mark.line + 1}" if mark else source
        raise YamlConfigError(f"{where}: invalid YAML: {getattr(e, 'problem', None) or e}") from None
    except RecursionError:
        raise YamlConfigError(f"{source}: refused: YAML nested too deeply") from None
    finally:
        loader.dispose()


def key_lines(text: str) -> dict[tuple, int]:
    """Map each key path (tuple of keys/indexes) to its 1-based line in the YAML text."""
    lines: dict[tuple, int] = {}

    def walk(node, path):
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                key = (*path, k.value)
                lines[key] = k.start_mark.line + 1
                walk(v, key)
        elif isinstance(node, yaml.SequenceNode):
            for i, v in enumerate(node.value):
                lines[(*path, i)] = v.start_mark.line + 1
                walk(v, (*path, i))

    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return lines
    if root is not None:
        walk(root, ())
    return lines


def read_mapping(path: str | Path) -> tuple[dict[str, Any], str]:
    """(data, text) of a YAML file whose top level is a mapping; YamlConfigError otherwise."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise YamlConfigError(f"{path}: config file not found") from None
    except IsADirectoryError:
        raise YamlConfigError(f"{path}: is a folder, expected a YAML config file") from None
    except UnicodeDecodeError:
        raise YamlConfigError(f"{path}: config is not UTF-8 text") from None
    data = load_yaml(text, str(path))
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise YamlConfigError(f"{path}: the config must be a mapping of keys to values")
    return data, text


def validation_message(err: ValidationError, text: str, source: str) -> str:
    """One line per problem: `file:line: key.path: message` (the line when the key is in the file)."""
    lines = key_lines(text)
    out = []
    for e in err.errors():
        loc = tuple(e["loc"])
        line = None
        for n in range(len(loc), 0, -1):
            if loc[:n] in lines:
                line = lines[loc[:n]]
                break
        key = ".".join(str(p) for p in loc) or "(top level)"
        msg = "unknown key (check the spelling)" if e["type"] == "extra_forbidden" else e["msg"]
        where = f"{source}:{line}" if line else source
        out.append(f"{where}: {key}: {msg}")
    return "\n".join(out)
