"""The shape of the code, read from its imports: documents are leaves, and nothing imports in a circle —
not even for the type checker (imports under `if TYPE_CHECKING:` count too)."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "huiwu"


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def all_imports(tree: ast.AST):
    """Every import node, at any depth (in functions, under `if TYPE_CHECKING:`)."""
    return (node for node in ast.walk(tree) if isinstance(node, (ast.Import, ast.ImportFrom)))


def imported(name: str) -> set[str]:
    """The huiwu modules a module imports (a name imported from a package counts as its submodule)."""
    path = MODULES[name]
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in all_imports(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
            continue
        base = package.split(".")
        base = base[: len(base) - node.level + 1] if node.level else []
        target = ".".join([*base, *([node.module] if node.module else [])])
        for alias in node.names:
            found.add(f"{target}.{alias.name}" if f"{target}.{alias.name}" in MODULES else target)
    return {m for m in found if m in MODULES and m != name}


GRAPH = {name: imported(name) for name in MODULES}


def test_the_reader_sees_the_imports_it_should():
    # the test would pass vacuously if it read no edges: pin a few known ones
    assert "huiwu.records" in GRAPH["huiwu.documents.notice"]
    assert "huiwu.records.meeting" in GRAPH["huiwu.records.signin"]
    assert "huiwu.documents.notice" in GRAPH["huiwu.kinds"]
    assert "huiwu.site.search" in GRAPH["huiwu.site.seatfinder"]
    assert len([m for m in MODULES if m.startswith("huiwu.documents.")]) >= 23


def test_no_document_imports_another_document_or_the_build():
    documents = {m for m in MODULES if m.startswith("huiwu.documents.")}
    above = {"huiwu.kinds", "huiwu.pipeline", "huiwu.site", "huiwu.project"}
    wrong = {d: sorted(GRAPH[d] & (documents | above | {"huiwu.documents"})) for d in documents}
    assert {d: w for d, w in wrong.items() if w} == {}


def test_records_and_layout_helpers_never_import_documents():
    lower = [m for m in MODULES if m.startswith(("huiwu.records", "huiwu.layout", "huiwu.sources"))]
    assert {m: sorted(i for i in GRAPH[m] if i.startswith("huiwu.documents")) for m in lower
            if any(i.startswith("huiwu.documents") for i in GRAPH[m])} == {}


def test_no_import_cycle_anywhere():
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    cycles = []

    def visit(name: str, path: list[str]) -> None:
        state[name] = 1
        for nxt in sorted(GRAPH[name]):
            if state.get(nxt) == 1:
                cycles.append(path[path.index(nxt):] + [nxt])
            elif nxt not in state:
                visit(nxt, [*path, nxt])
        state[name] = 2

    for name in sorted(GRAPH):
        if name not in state:
            visit(name, [name])
    assert cycles == []


def test_the_typed_front_matter_has_one_attribute_per_key():
    import dataclasses

    from huiwu.records.schema import FIELDS, Front

    assert [f.name for f in dataclasses.fields(Front)] == list(FIELDS)
