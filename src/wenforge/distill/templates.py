"""Prompt templates as editable YAML data files (`distill/templates/*.yaml` or any path).

A template has `system` (optional) and `user` strings with `{name}` placeholders filled from the input
row and the style settings. Filling is plain text substitution (no format-spec mini-language, no
attribute access): `{{` and `}}` are literal braces; an unknown placeholder is an error naming the file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from wenforge.core.config import ConfigError, load_yaml

TEMPLATES_DIR = Path(__file__).parent / "templates"
_PH_RE = re.compile(r"\{\{|\}\}|\{(\w+)\}")


class TemplateError(ValueError):
    pass


@dataclass
class Template:
    name: str
    path: Path
    user: str
    system: str | None = None
    description: str = ""

    def placeholders(self) -> set[str]:
        found = set()
        for part in (self.user, self.system or ""):
            found.update(m.group(1) for m in _PH_RE.finditer(part) if m.group(1))
        return found

    def render(self, values: dict[str, Any]) -> list[dict[str, str]]:
        """Chat messages for one row; raises TemplateError for a placeholder the row cannot fill."""
        msgs = []
        if self.system:
            msgs.append({"role": "system", "content": fill(self.system, values, self.path)})
        msgs.append({"role": "user", "content": fill(self.user, values, self.path)})
        return msgs


def fill(text: str, values: dict[str, Any], source: Path | str = "template") -> str:
    def repl(m: re.Match) -> str:
        tok = m.group(0)
        if tok == "{{":
            return "{"
        if tok == "}}":
            return "}"
        name = m.group(1)
        if name not in values or values[name] is None:
            raise TemplateError(f"{source}: placeholder {{{name}}} has no value (row fields: {', '.join(sorted(values))})")
        v = values[name]
        return ", ".join(map(str, v)) if isinstance(v, (list, tuple)) else str(v)

    return _PH_RE.sub(repl, text)


def available_templates() -> list[str]:
    return sorted(p.stem for p in TEMPLATES_DIR.glob("*.yaml"))


def load_template(name_or_path: str | Path) -> Template:
    """A packaged template by name (`style_transfer`) or a YAML file path."""
    p = Path(name_or_path)
    if not p.suffix and not p.exists():
        p = TEMPLATES_DIR / f"{name_or_path}.yaml"
        if not p.exists():
            raise TemplateError(
                f"no template named '{name_or_path}' (packaged: {', '.join(available_templates())}; or give a YAML path)"
            )
    try:
        data = load_yaml(p.read_text(encoding="utf-8"), str(p))
    except FileNotFoundError:
        raise TemplateError(f"{p}: template file not found") from None
    except ConfigError as e:
        raise TemplateError(str(e)) from None
    if not isinstance(data, dict):
        raise TemplateError(f"{p}: a template is a mapping with `user` (and optional `system`)")
    unknown = set(data) - {"name", "description", "system", "user"}
    if unknown:
        raise TemplateError(f"{p}: unknown key(s) {', '.join(sorted(unknown))} (allowed: name, description, system, user)")
    if not isinstance(data.get("user"), str) or not data["user"].strip():
        raise TemplateError(f"{p}: key 'user' must be a non-empty string")
    if data.get("system") is not None and not isinstance(data["system"], str):
        raise TemplateError(f"{p}: key 'system' must be a string or null")
    return Template(
        name=str(data.get("name") or p.stem),
        path=p,
        user=data["user"],
        system=data.get("system"),
        description=str(data.get("description") or ""),
    )
