"""The package's layers hold: no import runs up a layer, nothing in src imports synth, and no import cycles.

Checked on the source (every import statement, top-level or inside a function), so a lazy import cannot hide an
arrow the wrong way. The layers are the README's layout and ../shared/DESIGN.md's picture.
"""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "wenforge"

# A package may import only packages on a lower level (and itself).
LEVELS: dict[str, int] = {
    "core": 0,
    "text": 1, "report": 1,
    "clean": 2, "style": 2, "lm": 2, "values": 2, "pii": 2, "decontam": 2,
    "rewards": 3,
    "mix": 4, "pipeline": 4, "train": 4, "serve": 4,
    "eval": 5, "distill": 5,
    "forge": 6,
    "demo": 7,
    "cli": 8,
}
# Generators of test and benchmark data imitate the capabilities; nothing in the library depends on them.
OUTSIDE = {"synth"}


def _module_name(path: Path) -> str:
    rel = path.relative_to(SRC.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path) -> set[str]:
    """Every wenforge module that `path` imports (absolute or relative, at any depth of the file)."""
    mod = _module_name(path)
    package = mod if path.name == "__init__.py" else mod.rpartition(".")[0]
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names if a.name.startswith("wenforge"))
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.startswith("wenforge"):
                out.add(target)
                out.update(f"{target}.{a.name}" for a in node.names)
    return out


def _graph() -> dict[str, set[str]]:
    files = {_module_name(p): p for p in SRC.rglob("*.py")}
    return {m: {t for t in _imports(p) if t in files and t != m} for m, p in files.items()}


def _package(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "wenforge"


def test_every_package_has_a_level():
    packages = {_package(m) for m in _graph()} - {"wenforge"}
    assert packages <= set(LEVELS) | OUTSIDE, f"add these to LEVELS (and README's layout): {packages - set(LEVELS) - OUTSIDE}"


def test_no_import_runs_up_a_layer():
    bad = []
    for mod, targets in _graph().items():
        src = _package(mod)
        for t in targets:
            dst = _package(t)
            if dst in ("wenforge", src):
                continue
            if dst in OUTSIDE and src not in OUTSIDE:
                bad.append(f"{mod} imports {t} (nothing in the library may depend on {dst})")
            elif src in LEVELS and dst in LEVELS and LEVELS[dst] >= LEVELS[src]:
                bad.append(f"{mod} (level {LEVELS[src]}) imports {t} (level {LEVELS[dst]})")
    assert not bad, "\n".join(sorted(bad))


def test_no_import_cycles():
    graph = _graph()
    # a package's __init__ is imported by each of its modules; it may re-export them without forming a cycle
    graph = {m: {t for t in ts if not (m.startswith(t + ".") and t.count(".") < m.count("."))} for m, ts in graph.items()}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []

    def visit(v: str) -> None:  # Tarjan's strongly connected components
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                cycles.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    assert not cycles, "import cycles: " + "; ".join(" <-> ".join(c) for c in cycles)


def test_the_checker_sees_lazy_and_relative_imports(tmp_path):
    f = SRC / "clean" / "page.py"
    assert "wenforge.text.chars" in _imports(f) or any(t.startswith("wenforge.text") for t in _imports(f))
