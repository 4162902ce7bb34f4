"""The one config loader of every command: YAML (or a mapping given inline) -> a pydantic model.

`load_config(path, Model)` reads a YAML mapping, resolves its path keys against the config file's folder,
validates it with pydantic and raises `ConfigError` with one line per problem: `file:line: key: message`.
`parse_config(data, Model, source=...)` does the same for a mapping already in memory (flags, inline sections).

Path keys are declared by their type: `ConfigPath` (a path as a string) or `Annotated[Path, Relative()]`;
`ModelPath` is a hub name or a local path, resolved only when the path exists beside the config file.
Relative paths given as overrides (command-line flags) stay relative to the working directory.
Cross-key checks in a model's validators raise `problem_at(key, message)` so they point at a key too.
"""

from __future__ import annotations

import copy
import difflib
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError
from pydantic_core import InitErrorDetails, PydanticCustomError

from wenforge.core.storage import is_url


class ConfigError(ValueError):
    """A config that cannot be used; one line per problem, each naming the file (and line) and the key."""


@dataclass(frozen=True)
class Relative:
    """Marks a path key: a relative path read from a config file resolves against the file's folder.

    `if_present`: only when that path exists there (for keys that also take a hub name, like `model`)."""

    if_present: bool = False


ConfigPath = Annotated[str, Relative()]
ModelPath = Annotated[str, Relative(if_present=True)]
M = TypeVar("M", bound=BaseModel)


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
            raise ConfigError(
                f"{source}:{node.start_mark.line + 1}: refused: aliases expand to more than "
                f"{MAX_EXPANDED_NODES:,} nodes (an alias bomb, or a recursive alias)"
            )
        return loader.construct_document(node)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f"{source}:{mark.line + 1}" if mark else source
        raise ConfigError(f"{where}: invalid YAML: {getattr(e, 'problem', None) or e}") from None
    except RecursionError:
        raise ConfigError(f"{source}: refused: YAML nested too deeply") from None
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
    """(data, text) of a YAML file whose top level is a mapping; ConfigError otherwise."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{path}: config file not found") from None
    except IsADirectoryError:
        raise ConfigError(f"{path}: is a folder, expected a YAML config file") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: config is not UTF-8 text") from None
    data = load_yaml(text, str(path))
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: the config must be a mapping of keys to values")
    return data, text


# ----------------------------------------------------------------------------------------- path keys
def _resolved(value: Any, marker: Relative, base: Path) -> Any:
    """`value` joined to `base` when it is a relative path (same type back: str or Path); else as given."""
    if not isinstance(value, (str, Path)) or str(value) == "" or is_url(value):
        return value  # a remote URL (s3://, sftp://, ...) is absolute
    p = Path(value).expanduser()
    if not p.is_absolute():
        if marker.if_present and not (base / p).exists():
            return value  # a hub name (or a path that is not there: the consumer reports it)
        p = base / p
    return str(p) if isinstance(value, str) else p


def _resolve_value(value: Any, annotation: Any, metadata: tuple, base: Path) -> Any:
    """Resolve the path keys inside one value, following its annotation (Optional, list, nested models)."""
    marker = next((m for m in metadata if isinstance(m, Relative)), None)
    if marker is not None:
        if isinstance(value, list):
            return [_resolved(v, marker, base) for v in value]
        return _resolved(value, marker, base)
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is Annotated:
        return _resolve_value(value, args[0], (*args[1:], *metadata), base)
    if origin in (typing.Union, types.UnionType):
        for arg in args:
            out = _resolve_value(value, arg, (), base)
            if out is not value:
                return out
        return value
    if origin in (list, tuple) and args:
        if isinstance(value, (str, Path)):  # one path where a list is expected (the model may accept it)
            return _resolve_value(value, args[0], (), base)
        if isinstance(value, list):
            return [_resolve_value(v, args[0], (), base) for v in value]
        return value
    if isinstance(annotation, type) and issubclass(annotation, BaseModel) and isinstance(value, dict):
        return _resolve_paths(value, annotation, base)
    return value


def _nested_model(annotation: Any) -> type[BaseModel] | None:
    """The model class of a field that always holds a nested model (not Optional), else None."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    return None


def _resolve_paths(data: dict, model: type[BaseModel], base: Path) -> dict:
    """A copy of `data` with every path key of `model` (given or defaulted) resolved against `base`."""
    out = dict(data)
    for name, field in model.model_fields.items():
        if name in out:
            out[name] = _resolve_value(out[name], field.annotation, tuple(field.metadata), base)
        elif any(isinstance(m, Relative) for m in field.metadata) and isinstance(field.default, str):
            out[name] = _resolved(field.default, next(m for m in field.metadata if isinstance(m, Relative)), base)
        elif (sub := _nested_model(field.annotation)) is not None and field.default_factory is not None:
            nested = _resolve_paths({}, sub, base)
            if nested:
                out[name] = nested
    return out


# ------------------------------------------------------------------------------------------ messages
def _fields_at(model: type[BaseModel], loc: tuple) -> list[str]:
    """The keys the (nested) model at `loc` accepts, for a did-you-mean hint."""
    for part in loc:
        field = model.model_fields.get(part) if isinstance(part, str) else None
        if field is None:
            return []
        sub = next((a for a in (field.annotation, *typing.get_args(field.annotation)) if _nested_model(a)), None)
        if sub is None:
            return []
        model = sub
    return list(model.model_fields)


def validation_message(
    err: ValidationError, text: str, source: str, model: type[BaseModel] | None = None, flags: frozenset = frozenset()
) -> str:
    """One line per problem, in the file's order: `file:line: key.path: message` (the line when the key is in the
    file); a problem with a key set by a flag (its key path in `flags`) is `command line: key: message`."""
    lines = key_lines(text)
    out = []
    for e in err.errors():
        loc = tuple(e["loc"])
        flagged = any(loc[:n] in flags for n in range(1, len(loc) + 1))
        line = next((lines[loc[:n]] for n in range(len(loc), 0, -1) if loc[:n] in lines), None)
        key = ".".join(str(p) for p in loc) or "(top level)"
        msg = e["msg"]
        if e["type"] == "extra_forbidden":
            near = difflib.get_close_matches(str(loc[-1]), _fields_at(model, loc[:-1]) if model else [], n=1)
            msg = f"unknown key; did you mean {near[0]!r}?" if near else "unknown key (check the spelling)"
        where = "command line" if flagged else f"{source}:{line}" if line else source
        out.append((0 if flagged or not line else line, f"{where}: {key}: {msg}"))
    return "\n".join(m for _, m in sorted(out, key=lambda x: x[0]))  # in the file's order


def problem_at(key: str | tuple, message: str) -> ValidationError:
    """An error for a model validator to raise that points at `key` (a name or a key path) like a field's."""
    loc = (key,) if isinstance(key, str) else tuple(key)
    detail = InitErrorDetails(type=PydanticCustomError("config", "{message}", {"message": message}), loc=loc, input=None)
    return ValidationError.from_exception_data("config", [detail])


# -------------------------------------------------------------------------------------------- loading
def _with_overrides(data: dict, overrides: Mapping[str, Any]) -> dict:
    """`data` with each override set; a dotted key (`quality.zh.min_doc_words`) sets a nested key."""
    for key, value in overrides.items():
        node = data
        *parents, last = key.split(".")
        for p in parents:
            if not isinstance(node.get(p), dict):
                node[p] = {}
            node = node[p]
        node[last] = value
    return data


def parse_config(
    data: Mapping[str, Any],
    model: type[M],
    *,
    source: str,
    text: str = "",
    base_dir: str | Path | None = None,
    overrides: Mapping[str, Any] | None = None,
) -> M:
    """Validate a mapping into `model`; ConfigError naming `source` (and the line, given the YAML `text`).

    Path keys resolve against `base_dir` when given; `overrides` (flags) are set afterwards, as given."""
    if not isinstance(data, Mapping):
        raise ConfigError(f"{source}: the config must be a mapping of keys to values")
    merged = copy.deepcopy(dict(data))
    if base_dir is not None:
        merged = _resolve_paths(merged, model, Path(base_dir))
    overrides = dict(overrides or {})
    merged = _with_overrides(merged, copy.deepcopy(overrides))
    try:
        return model.model_validate(merged)
    except ValidationError as e:
        flags = frozenset(tuple(k.split(".")) for k in overrides)
        raise ConfigError(validation_message(e, text, source, model, flags)) from None


def load_config(path: str | Path, model: type[M], *, overrides: Mapping[str, Any] | None = None) -> M:
    """Read a YAML config file into `model`: path keys relative to the file's folder, errors `file:line: key: message`."""
    path = Path(path)
    data, text = read_mapping(path)
    return parse_config(data, model, source=str(path), text=text, base_dir=path.resolve().parent, overrides=overrides)
