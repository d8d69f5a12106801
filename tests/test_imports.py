"""No import circle in the builder or in the front end, and the front end's folders import one way: the layering
frontend/README.md describes (main.js, explore.js -> article, image, views -> overview, model, state -> network ->
ui)."""

from __future__ import annotations

import ast
import re

from testkit.chromium import ROOT

FRONTEND = ROOT / "frontend" / "src"
LAYER = {
    "main.js": 4,
    "explore.js": 4,  # the views, the insights and the article: a script of their own (main.js loads it)
    "article": 3,
    "image": 3,
    "insights": 3,
    "views": 3,
    "overview": 2,
    "model": 2,
    "state": 2,
    "tour": 3,
    "whatif": 3,
    "training": 4,  # it shows the confusion matrix of insights/
    "network": 1,
    "ui": 0,
}


def python_imports() -> dict[str, set[str]]:
    """Module -> the builder modules it imports (also inside functions)."""
    graph = {}
    for path in (ROOT / "builder").rglob("*.py"):
        name = ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        found = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    parts = package.split(".")
                    base = ".".join(parts[: len(parts) - node.level + 1] + ([base] if base else []))
                for alias in node.names:
                    found.add(f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules() else base)
            elif isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
        graph[name] = {m for m in found if m in modules() and m != name}
    return graph


def modules() -> set[str]:
    return {
        ".".join(p.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        for p in (ROOT / "builder").rglob("*.py")
    }


def javascript_imports() -> dict[str, set[str]]:
    """Module (path under src/) -> the modules it imports."""
    graph = {}
    for path in FRONTEND.rglob("*.js"):
        found = set()
        for target in re.findall(r'^import[^"\']*["\'](\.[^"\']+)["\']', path.read_text(encoding="utf-8"), re.M):
            found.add((path.parent / target).resolve().relative_to(FRONTEND).as_posix())
        graph[path.relative_to(FRONTEND).as_posix()] = found
    return graph


def circle(graph: dict[str, set[str]]) -> list[str]:
    """One import circle of `graph`, or []."""
    state: dict[str, int] = {}
    trail: list[str] = []

    def visit(node: str) -> list[str]:
        state[node] = 1
        trail.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return trail[trail.index(nxt) :] + [nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        state[node] = 2
        trail.pop()
        return []

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return []


def test_the_checker_finds_a_circle():
    assert circle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert circle({"a": {"b"}, "b": set()}) == []


def test_the_builder_has_no_import_circle():
    graph = python_imports()
    assert "builder.datasets.folders" in graph and graph["builder.build"], "the graph was read"
    assert circle(graph) == []


def test_the_front_end_has_no_import_circle_and_its_folders_import_downwards():
    graph = javascript_imports()
    assert graph["main.js"], "the graph was read"
    assert circle(graph) == []
    upward = [
        f"{module} imports {target}"
        for module, targets in graph.items()
        for target in targets
        if LAYER[target.split("/")[0]] > LAYER[module.split("/")[0]]
        or (LAYER[target.split("/")[0]] == LAYER[module.split("/")[0]] and target.split("/")[0] != module.split("/")[0])
    ]
    assert upward == []
    assert len([p for p in FRONTEND.glob("*.js")]) <= 3, "features live in folders"
