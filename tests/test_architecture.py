"""The house plan, checked: no import cycle anywhere in the package, no module over 500 lines.

The order of the stages is import-linter's contract in pyproject.toml (run in CI); this test also
catches cycles inside a stage and lazy imports, which a layers contract does not see.
"""

from __future__ import annotations

from pathlib import Path

import grimp

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "anfrage"


def test_no_import_cycle() -> None:
    graph = grimp.build_graph("anfrage")
    imports = {m: set(graph.find_modules_directly_imported_by(m)) for m in graph.modules}
    state: dict[str, int] = {}
    cycles: list[list[str]] = []

    def visit(module: str, path: list[str]) -> None:
        state[module] = 1
        path.append(module)
        for other in sorted(imports.get(module, ())):
            if state.get(other) == 1:
                cycles.append([*path[path.index(other) :], other])
            elif other not in state:
                visit(other, path)
        path.pop()
        state[module] = 2

    for module in sorted(imports):
        if module not in state:
            visit(module, [])
    assert cycles == []


def test_no_module_over_500_lines() -> None:
    long = {
        str(path.relative_to(PACKAGE)): n
        for path in PACKAGE.rglob("*.py")
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > 500
    }
    assert long == {}
