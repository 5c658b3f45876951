"""The folders of app/ are layers: each module imports only from its own layer or the ones below it, and no
two modules import each other, however indirectly."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

APP = Path(__file__).resolve().parent.parent / "app"
# Lowest first. The top-level modules (cli, config, formats) are outside the layers: config and formats are
# leaves any layer may use, cli sits above them all.
LAYERS = ("extract", "store", "queries", "web")


def module_name(path: Path) -> str:
    parts = path.relative_to(APP.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_modules(path: Path, known: set[str]) -> set[str]:
    """The app modules a file imports: `from app.x import y` counts app.x.y when that is a module."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "app":
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return {name for name in found if name in known}


def import_graph() -> dict[str, set[str]]:
    files = {module_name(path): path for path in APP.rglob("*.py")}
    known = set(files)
    return {name: imported_modules(path, known) - {name} for name, path in files.items()}


def layer(module: str) -> int | None:
    parts = module.split(".")
    return LAYERS.index(parts[1]) if len(parts) > 1 and parts[1] in LAYERS else None


def upward_imports(graph: dict[str, set[str]]) -> list[tuple[str, str]]:
    return sorted((m, d) for m, deps in graph.items() for d in deps
                  if layer(m) is not None and layer(d) is not None and layer(d) > layer(m))


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    found: list[list[str]] = []
    done: set[str] = set()

    def visit(module: str, path: list[str]) -> None:
        for dep in sorted(graph.get(module, ())):
            if dep in path:
                found.append(path[path.index(dep):] + [dep])
            elif dep not in done:
                visit(dep, path + [dep])
        done.add(module)

    for module in sorted(graph):
        if module not in done:
            visit(module, [module])
    return found


def test_the_layers_are_folders_of_app():
    for name in LAYERS:
        assert (APP / name / "__init__.py").is_file(), name


def test_no_module_imports_from_a_layer_above_its_own():
    assert upward_imports(import_graph()) == []


def test_no_import_cycle():
    assert cycles(import_graph()) == []


def test_extraction_imports_nothing_outside_itself():
    graph = import_graph()
    outside = {(m, d) for m, deps in graph.items() if m.startswith("app.extract") for d in deps
               if not d.startswith("app.extract") and d != "app"}
    assert outside == set()


@pytest.mark.parametrize(("graph", "expected"), [
    ({"app.extract.a": {"app.store.b"}, "app.store.b": set()}, [("app.extract.a", "app.store.b")]),
    ({"app.web.a": {"app.queries.b"}, "app.queries.b": set()}, []),
])
def test_an_upward_import_is_found(graph, expected):
    assert upward_imports(graph) == expected


def test_a_cycle_is_found():
    graph = {"app.web.a": {"app.web.b"}, "app.web.b": {"app.web.c"}, "app.web.c": {"app.web.a"}}
    assert cycles(graph) == [["app.web.a", "app.web.b", "app.web.c", "app.web.a"]]
