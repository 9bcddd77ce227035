"""The project's import graph: no cycles, and the layers of DESIGN.md hold.

Every `.py` file of the project's packages is parsed with `ast` (no module is
imported), and every `import` statement counts: at module level, inside functions,
under `if TYPE_CHECKING:`, absolute and relative. `from pkg import name` points to
the submodule `pkg.name` when there is one, else to `pkg`. Importing `pkg.sub` is
an edge to `pkg.sub` only, not to the `pkg/__init__.py` it runs first (otherwise every
package that re-exports its submodules would be a cycle).
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("forecasting", "scheduling", "planning", "dashboard")

# DESIGN.md, "Layers (imports point downward only)": package -> what it never imports.
NEVER_IMPORTS = {
    "forecasting": ("scheduling", "planning", "dashboard", "streamlit"),
    "scheduling": ("forecasting", "planning", "dashboard", "streamlit"),
    "planning": ("dashboard", "streamlit"),
}


def project_modules(root: Path = ROOT) -> dict[str, Path]:
    """Dotted module name -> file, for every .py file in the project's packages."""
    modules = {}
    for package in PACKAGES:
        for path in sorted((root / package).rglob("*.py")):
            parts = path.relative_to(root).with_suffix("").parts
            if parts[-1] == "__init__":
                parts = parts[:-1]
            modules[".".join(parts)] = path
    return modules


def _is_package(name: str, modules: dict[str, Path]) -> bool:
    return modules[name].name == "__init__.py"


def imported_names(module: str, path: Path, modules: dict[str, Path]) -> list[tuple[str, int]]:
    """(absolute dotted name, line) for every import in the file: `import a.b` gives
    `a.b`; `from a import b` gives `a.b` if that is a project module, else `a`."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = module if _is_package(module, modules) else module.rpartition(".")[0]
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base_parts = package.split(".")
                if node.level > 1:
                    base_parts = base_parts[: -(node.level - 1)]
                base = ".".join(base_parts + ([node.module] if node.module else []))
            else:
                base = node.module or ""
            for alias in node.names:
                candidate = f"{base}.{alias.name}"
                names.append((candidate if candidate in modules else base, node.lineno))
    return names


def _resolve(name: str, modules: dict[str, Path]) -> str | None:
    """The project module a dotted import name lands on (the longest known prefix)."""
    parts = name.split(".")
    for end in range(len(parts), 0, -1):
        candidate = ".".join(parts[:end])
        if candidate in modules:
            return candidate
    return None


def import_graph(root: Path = ROOT) -> dict[str, set[str]]:
    """Module -> the project modules it imports (itself excluded)."""
    modules = project_modules(root)
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        for imported, _ in imported_names(name, path, modules):
            target = _resolve(imported, modules)
            if target is not None and target != name:
                graph[name].add(target)
    return graph


def strongly_connected(graph: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's strongly connected components (iterative), each sorted; only those
    with more than one module (self-imports are excluded from the graph)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components = []
    counter = 0
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        components.append(sorted(component))
    return sorted(components)


def _a_cycle(component: list[str], graph: dict[str, set[str]]) -> list[str]:
    """One concrete cycle through the component's first module, for the message."""
    members = set(component)
    start = component[0]
    paths = {start: [start]}
    frontier = [start]
    while frontier:
        nxt = []
        for node in frontier:
            for child in sorted(graph[node] & members):
                if child == start:
                    return paths[node] + [start]
                if child not in paths:
                    paths[child] = paths[node] + [child]
                    nxt.append(child)
        frontier = nxt
    raise AssertionError(f"no cycle through {start}")  # cannot happen in an SCC


def test_the_graph_sees_relative_nested_and_from_imports(tmp_path):
    pkg = tmp_path / "planning"
    (pkg / "sub").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "sub" / "__init__.py").write_text("from . import b\n")
    (pkg / "a.py").write_text("def f():\n    from planning.sub import b\n")
    (pkg / "sub" / "b.py").write_text("from ..a import f\nfrom .. import c\n")
    (pkg / "c.py").write_text("import planning.sub.b\nfrom planning.sub import nothing\n")
    for other in PACKAGES[:2] + PACKAGES[3:]:
        (tmp_path / other).mkdir()
    graph = import_graph(tmp_path)
    assert graph == {
        "planning": set(),
        "planning.a": {"planning.sub.b"},
        "planning.c": {"planning.sub.b", "planning.sub"},
        "planning.sub": {"planning.sub.b"},
        "planning.sub.b": {"planning.a", "planning.c"},
    }
    component = ["planning.a", "planning.c", "planning.sub", "planning.sub.b"]
    assert strongly_connected(graph) == [component]
    assert _a_cycle(component, graph) == ["planning.a", "planning.sub.b", "planning.a"]


def test_there_are_no_import_cycles():
    graph = import_graph()
    assert len(graph) > 50, "the project's modules were not found"
    cycles = strongly_connected(graph)
    message = "\n".join(
        f"- {len(c)} modules: {', '.join(c)}\n  e.g. {' -> '.join(_a_cycle(c, graph))}"
        for c in cycles)
    assert not cycles, f"import cycles among the project's modules:\n{message}"


def test_the_layers_hold():
    """DESIGN.md: forecasting and scheduling never import each other, planning,
    dashboard or streamlit; planning never imports dashboard or streamlit."""
    modules = project_modules()
    wrong = []
    for name, path in modules.items():
        forbidden = NEVER_IMPORTS.get(name.partition(".")[0], ())
        for imported, line in imported_names(name, path, modules):
            if imported.partition(".")[0] in forbidden:
                wrong.append(f"{path.relative_to(ROOT)}:{line} imports {imported}")
    assert not wrong, "imports against the layers of DESIGN.md:\n" + "\n".join(wrong)


def test_no_test_module_imports_another():
    """Shared builders live in tests/conftest.py or a helper module (not named test_*),
    so that each test file can be run, moved or deleted on its own."""
    wrong = []
    for path in sorted((ROOT / "tests").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""] + [alias.name for alias in node.names]
            else:
                continue
            if any(name.rpartition(".")[2].startswith("test_") for name in names):
                wrong.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not wrong, "test modules imported by other files:\n" + "\n".join(wrong)
