"""The layout stays one that a newcomer can change: no import cycles, no oversized modules,
data flowing one way (the lower layers never import the clients)."""

from __future__ import annotations

import ast
from pathlib import Path

from assistant.settings import ROOT

PACKAGE = ROOT / "assistant"
MAX_LINES = 420  # "about 400": a module that grows past this is doing two jobs
CLIENTS = {"assistant.cli", "assistant.ui", "assistant.server", "assistant.evals"}
ENTRY_POINTS = {"assistant.__main__"}  # `python -m assistant` is the CLI


def _modules() -> dict[str, Path]:
    out = {}
    for path in PACKAGE.rglob("*.py"):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = path
    return out


def _imports(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """Modules of ours that `name` imports at module level (a function-level import is lazy on purpose)."""
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found = set()
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            submodules = {f"{target}.{a.name}" for a in node.names} & modules.keys()
            # `from . import handlers` imports the submodule, not the package's __init__
            found |= submodules or ({target} & modules.keys())
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names} & modules.keys()
    return found - {name}


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    return {name: _imports(name, path, modules) for name, path in modules.items()}


def test_no_import_cycles():
    graph, state, cycles = _graph(), {}, []

    def visit(node, stack):
        state[node] = "open"
        for nxt in graph[node]:
            if state.get(nxt) == "open":
                cycles.append(stack[stack.index(nxt) :] + [nxt])
            elif nxt not in state:
                visit(nxt, stack + [nxt])
        state[node] = "done"

    for name in graph:
        if name not in state:
            visit(name, [name])
    assert not cycles, f"import cycles: {cycles}"


def test_no_module_does_two_jobs():
    long = {str(p.relative_to(ROOT)): n for p in PACKAGE.rglob("*.py") if (n := len(p.read_text().splitlines())) > MAX_LINES}
    assert not long, f"modules over {MAX_LINES} lines: {long}"


def test_lower_layers_never_import_the_clients():
    graph = _graph()
    wrong = {
        (m, t)
        for m, targets in graph.items()
        for t in targets
        if m not in ENTRY_POINTS
        and not any(m == c or m.startswith(c + ".") for c in CLIENTS)
        and any(t == c or t.startswith(c + ".") for c in CLIENTS)
    }
    assert not wrong, f"a lower layer imports a client: {sorted(wrong)}"
