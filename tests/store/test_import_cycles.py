"""The folder backend's modules import downwards only: no module the repository imports
imports the repository back (a cycle makes the import order matter and hides the layering)."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def module_imports(package: str) -> dict[str, set[str]]:
    """Module -> the modules of `package` it imports anywhere (top level, in functions, or
    only for type checking: a cycle through any of them is a cycle)."""
    modules = {}
    for path in (ROOT / package).rglob("*.py"):
        parts = path.relative_to(ROOT).with_suffix("").parts
        modules[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        found = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                # `from store import snapshot` imports the submodule, not the package's names
                subs = [f"{node.module}.{a.name}" for a in node.names]
                names = [a.name for a in node.names if f"{node.module}.{a.name}" not in modules]
                candidates = [*subs, *([node.module] if names else [])]
            elif isinstance(node, ast.Import):
                candidates = [alias.name for alias in node.names]
            else:
                continue
            found |= {c for c in candidates if c in modules and c != name}
        graph[name] = found
    return graph


def reachable(graph: dict[str, set[str]], start: str) -> set[str]:
    seen: set[str] = set()
    todo = [start]
    while todo:
        for module in graph[todo.pop()] - seen:
            seen.add(module)
            todo.append(module)
    return seen


def test_migrations_do_not_import_the_repository() -> None:
    graph = module_imports("store")
    assert "store.folder.migrations" in reachable(graph, "store.repository")
    assert "store.repository" not in reachable(graph, "store.folder.migrations")


def test_the_erasure_rules_import_no_backend_and_each_backend_imports_them() -> None:
    """`store.erasure` is backend-neutral: the folder's and the server's erasures import it,
    never the other way round (a cycle, and the rules would hold folder details)."""
    graph = module_imports("store")
    neutral = reachable(graph, "store.erasure")
    assert not {m for m in neutral if m.startswith(("store.folder", "store.postgres"))}
    assert "store.erasure" in graph["store.folder.erasure"]
    assert "store.erasure" in graph["store.postgres.erasure"]
