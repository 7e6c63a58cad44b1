"""The house without knots, kept true: each layer imports only from the layers below it,
no import circle (function-local imports included), and no private name is imported
across modules. ARCHITECTURE.md draws these layers; change both together."""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx

PACKAGE = Path(__file__).resolve().parents[1] / "asl_lint"

# Lowest first. A module belongs to the longest prefix listed; each may import its own
# layer and those below it, never one above.
LAYERS = [
    ["asl_lint.version", "asl_lint.limits", "asl_lint.logs", "asl_lint.lazy", "asl_lint.suggest", "asl_lint.wildmatch"],
    ["asl_lint.diagnostics", "asl_lint.files", "asl_lint.model"],
    ["asl_lint.source"],
    ["asl_lint.lang", "asl_lint.index", "asl_lint.context", "asl_lint.apis", "asl_lint.edits",
     "asl_lint.proposals"],
    ["asl_lint.extract"],
    ["asl_lint.rules", "asl_lint.suppress", "asl_lint.fixes", "asl_lint.graph", "asl_lint.schemas"],
    ["asl_lint.config", "asl_lint.walk", "asl_lint.baseline", "asl_lint.aws"],
    ["asl_lint.engine", "asl_lint.cache", "asl_lint.workers", "asl_lint.reporters", "asl_lint.docs"],
    ["asl_lint.aws_merge"],
    ["asl_lint.run"],
    ["asl_lint.api", "asl_lint.watch"],
    ["asl_lint.cli", "asl_lint.lsp", "asl_lint.__main__", "asl_lint"],
]


def modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        relative = path.relative_to(PACKAGE.parent).with_suffix("")
        parts = list(relative.parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def imports() -> list[tuple[str, str, tuple[str, ...]]]:
    """(importer, imported module, names) of every import of the package, wherever written."""
    known = modules()
    found = []
    for name, path in known.items():
        package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level:
                base = package.split(".")[:len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
                names = tuple(alias.name for alias in node.names)
                submodules = [f"{target}.{alias}" for alias in names if f"{target}.{alias}" in known]
                if submodules and node.module is None:
                    found += [(name, module, ()) for module in submodules]  # from . import x
                elif target in known:
                    found.append((name, target, names))
            elif isinstance(node, (ast.Import, ast.ImportFrom)):
                targets = [alias.name for alias in node.names] if isinstance(node, ast.Import) else [node.module or ""]
                found += [(name, target, ()) for target in targets if target in known]
    return found


def layer(module: str) -> int:
    best = (-1, "")
    for index, names in enumerate(LAYERS):
        for prefix in names:
            if (module == prefix or module.startswith(prefix + ".")) and len(prefix) > len(best[1]):
                best = (index, prefix)
    assert best[0] >= 0, f"{module} is in no layer: add it to LAYERS and ARCHITECTURE.md"
    return best[0]


def test_every_module_is_in_a_layer() -> None:
    for module in modules():
        layer(module)


def test_no_import_runs_up_a_layer() -> None:
    upward = sorted({(importer, imported) for importer, imported, _ in imports() if layer(imported) > layer(importer)})
    assert upward == []


def test_no_import_circle() -> None:
    graph = nx.DiGraph((importer, imported) for importer, imported, _ in imports() if importer != imported)
    assert list(nx.simple_cycles(graph)) == []


def test_no_private_name_is_imported_across_modules() -> None:
    private = sorted({(importer, imported, name) for importer, imported, names in imports() for name in names
                      if name.startswith("_") and not name.startswith("__") and importer != imported})
    assert private == []


def test_the_architecture_page_names_every_layer() -> None:
    import re

    text = (PACKAGE.parent / "ARCHITECTURE.md").read_text(encoding="utf-8")
    picture = text.split("```", 2)[1]  # the drawing of the layers
    for names in LAYERS:
        for module in names:
            if module != "asl_lint":
                assert re.search(rf"(?<![\w.]){re.escape(module.removeprefix('asl_lint.'))}\b", picture), module
