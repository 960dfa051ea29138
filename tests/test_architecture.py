"""The shape of the package, as docs/architecture.md states it: no import loops, imports run down
the layers, no package holds more than 15% of the lines, and what a task is lives in the task
table (schemas/tasks.py), not in task lists or `if task == ...` chains spread over the layers."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from somekit.schemas.tasks import TASKS

ROOT = Path(__file__).resolve().parents[1]
PKG = ROOT / "somekit"
DOC = ROOT / "docs" / "architecture.md"


def _modules() -> dict[str, Path]:
    out = {}
    for path in PKG.rglob("*.py"):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = path
    return out


def _type_checking_nodes(tree: ast.AST) -> set[int]:
    skip: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and getattr(node.test, "id", getattr(node.test, "attr", "")) == "TYPE_CHECKING":
            skip |= {id(n) for b in node.body for n in ast.walk(b)}
    return skip


def import_graph() -> dict[str, set[str]]:
    """module -> somekit modules it imports (lazy imports included; TYPE_CHECKING ones not)."""
    mods = _modules()
    graph: dict[str, set[str]] = {}
    for name, path in mods.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        skip = _type_checking_nodes(tree)
        package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
        targets: set[str] = set()
        for node in ast.walk(tree):
            if id(node) in skip:
                continue
            if isinstance(node, ast.ImportFrom):
                base = package[: len(package) - node.level + 1] if node.level else []
                target = ".".join(base + (node.module.split(".") if node.module else []))
                for alias in node.names:
                    sub = f"{target}.{alias.name}"
                    targets.add(sub if sub in mods else target)
            elif isinstance(node, ast.Import):
                targets |= {a.name for a in node.names}
        graph[name] = {t for t in targets if t in mods and t != name}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0
    for root in graph:
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                comp = []
                while True:
                    top = stack.pop()
                    on_stack.discard(top)
                    comp.append(top)
                    if top == node:
                        break
                if len(comp) > 1:
                    found.append(sorted(comp))
    return found


def layers() -> list[str]:
    """The layer order docs/architecture.md declares, lowest first (its line `Layers: a < b < ...`)."""
    match = re.search(r"^Layers: (.+)$", DOC.read_text(encoding="utf-8"), re.M)
    assert match, "docs/architecture.md must state the layer order on a line 'Layers: a < b < ...'"
    return [name.strip(" `") for name in match.group(1).split("<")]


def _top(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "somekit"


def test_no_import_loops():
    assert cycles(import_graph()) == []


def test_imports_run_down_the_layers_except_the_explained_ones():
    order = layers()
    rank = {name: i for i, name in enumerate(order)}
    tops = {_top(m) for m in _modules()} - {"somekit"}
    assert tops <= set(rank), f"packages missing from the layer order: {sorted(tops - set(rank))}"
    upward = sorted({(_top(a), _top(b)) for a, outs in import_graph().items() for b in outs
                     if _top(a) in rank and _top(b) in rank and rank[_top(b)] > rank[_top(a)]})
    assert len(upward) <= 2, upward
    doc = DOC.read_text(encoding="utf-8")
    for a, b in upward:
        assert f"{a} → {b}" in doc, f"upward import {a} -> {b} is not explained in docs/architecture.md"


def test_no_package_holds_more_than_15_percent_of_the_lines():
    lines: dict[str, int] = {}
    for name, path in _modules().items():
        lines[_top(name)] = lines.get(_top(name), 0) + len(path.read_text(encoding="utf-8").splitlines())
    total = sum(lines.values())
    assert max(lines.values()) / total <= 0.15, sorted(lines.items(), key=lambda kv: -kv[1])[:3]


#: The task table and the models it names; a builder module may name its own task.
_TASK_HOMES = {"somekit/schemas/tasks.py", "somekit/schemas/items.py", "somekit/schemas/task_options.py"}


def _is_task_name(node: ast.AST) -> bool:
    name = node.id if isinstance(node, ast.Name) else node.attr if isinstance(node, ast.Attribute) else ""
    return name in ("task", "code")


def task_code_findings() -> list[str]:
    """Literal collections naming two or more tasks, and functions that compare a task to two or
    more codes (an `if task == ...` chain), outside the task table."""
    codes = set(TASKS)
    found = []
    for path in sorted(PKG.rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        if rel in _TASK_HOMES:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            elts = (node.elts if isinstance(node, (ast.Tuple, ast.List, ast.Set))
                    else node.keys if isinstance(node, ast.Dict) else None)
            if elts is not None:
                named = {e.value for e in elts if isinstance(e, ast.Constant) and e.value in codes}
                if len(named) >= 2:
                    found.append(f"{rel}:{node.lineno} lists tasks {sorted(named)}")
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                compared: set[str] = set()
                for sub in ast.walk(node):
                    if isinstance(sub, ast.Compare) and (_is_task_name(sub.left) or any(map(_is_task_name, sub.comparators))):
                        for side in [sub.left, *sub.comparators]:
                            for c in ast.walk(side):
                                if isinstance(c, ast.Constant) and c.value in codes:
                                    compared.add(c.value)
                if len(compared) >= 2:
                    found.append(f"{rel}:{node.lineno} {node.name}() branches on tasks {sorted(compared)}")
    return found


def test_no_task_lists_or_task_chains_outside_the_task_table():
    assert task_code_findings() == []
