"""The package's architecture holds: no import cycles, and no part imports a part above it.

Layers, bottom up (grading/__init__.py says what each is for): grading.course; grading.authoring and
grading.judging, which do not import each other; grading.class_grading. The modules directly in grading/
(`python -m grading` and its commands, nbgrader_config.py) are entry points and may import anything.
Imports inside functions count: a lazy import is still a dependency (it is how a cycle hid before).
"""

from __future__ import annotations

import ast
from pathlib import Path

from conftest import REPO

LAYERS = {"course": 0, "authoring": 1, "judging": 1, "class_grading": 2}


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(root: Path) -> dict[str, set[str]]:
    """Module -> the modules of the package it imports (absolute and relative, at any depth of the code)."""
    modules = {module_name(p, root): p for p in root.rglob("*.py") if "source" not in p.relative_to(root).parts}
    found: dict[str, set[str]] = {}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        targets = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets |= {a.name for a in node.names}
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    up = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join([*up, base] if base else up)
                targets |= {f"{base}.{a.name}" if f"{base}.{a.name}" in modules else base for a in node.names}
        found[name] = {t for t in targets if t in modules and t != name}
    return found


def part(module: str) -> str | None:
    """The subpackage a module belongs to, None for an entry point directly in the package."""
    pieces = module.split(".")
    return pieces[1] if len(pieces) > 2 or (len(pieces) == 2 and pieces[1] in LAYERS) else None


def upward_imports(graph: dict[str, set[str]]) -> list[str]:
    problems = []
    for source, targets in sorted(graph.items()):
        here = part(source)
        if here is None:
            continue
        if here not in LAYERS:
            problems.append(f"{source}: in grading.{here}, which is no known layer (add it to LAYERS)")
            continue
        for target in sorted(targets):
            there = part(target)
            if there is None:
                problems.append(f"{source} imports the entry point {target}")
            elif there != here and LAYERS.get(there, 99) >= LAYERS[here]:
                problems.append(f"{source} (grading.{here}) imports {target} (grading.{there}): not a lower layer")
    return problems


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every import cycle, each once, as the list of modules around it."""
    found, seen = [], set()
    state: dict[str, int] = {}  # 1 on the current path, 2 done

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                loop = path[path.index(nxt):] + [nxt]
                key = frozenset(loop)
                if key not in seen:
                    seen.add(key)
                    found.append(loop)
            elif state.get(nxt) is None:
                visit(nxt, [*path, nxt])
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])
    return found


def test_no_import_cycles():
    """No module of grading/ reaches itself through its imports."""
    loops = cycles(imports(REPO / "grading"))
    assert not loops, "import cycles:\n" + "\n".join(" -> ".join(loop) for loop in loops)


def test_no_layer_imports_upward():
    """course imports nothing of the package; authoring and judging only course; class_grading anything."""
    problems = upward_imports(imports(REPO / "grading"))
    assert not problems, "\n".join(problems)


def test_every_part_says_what_it_is_for():
    """Each subpackage opens with a docstring that says what it may import."""
    for name in LAYERS:
        doc = ast.get_docstring(ast.parse((REPO / "grading" / name / "__init__.py").read_text(encoding="utf-8")))
        assert doc and "import" in doc, f"grading/{name}/__init__.py: no docstring saying what it may import"


def test_the_checks_catch_a_cycle_and_an_upward_import(tmp_path):
    """The two checks above fail on a package made to break both rules (a lazy upward import, a cycle)."""
    root = tmp_path / "grading"
    files = {
        "__init__.py": "",
        "course/__init__.py": "",
        "course/paths.py": "",
        "judging/__init__.py": "",
        "judging/sandbox.py": "def f():\n    from grading.class_grading import warm\n",
        "class_grading/__init__.py": "",
        "class_grading/warm.py": "from ..judging.sandbox import f\n",
        "authoring/__init__.py": "",
        "authoring/generate.py": "from grading.judging import sandbox\n",
    }
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    graph = imports(root)
    assert [set(c) for c in cycles(graph)] == [{"grading.judging.sandbox", "grading.class_grading.warm"}]
    problems = upward_imports(graph)
    assert any(p.startswith("grading.judging.sandbox (grading.judging) imports grading.class_grading.warm")
               for p in problems), problems
    assert any(p.startswith("grading.authoring.generate (grading.authoring) imports grading.judging.sandbox")
               for p in problems), problems
    assert len(problems) == 2, problems
