"""The package's shape: one subpackage per stage, and no stage imports a later one."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "explainer"
# In the order data flows; `core` is shared by all, the CLI sits on top.
STAGES = ("core", "load", "kinds", "markdown", "render", "checks", "output", "incremental", "site", "serve", "cli")


def _stage(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "explainer" and parts[1] in STAGES else None


def _imports(path: Path) -> list[tuple[int, str]]:
    """(line, absolute module) for every import in the file, lazy ones in functions included."""
    here = path.relative_to(PACKAGE.parent).with_suffix("").parts
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = ".".join(here[: len(here) - node.level])
                module = f"{base}.{node.module}" if node.module else base
            else:
                module = node.module or ""
            found.append((node.lineno, module))
            found += [(node.lineno, f"{module}.{alias.name}") for alias in node.names]
    return found


def test_every_module_lives_in_a_stage():
    loose = [p.name for p in PACKAGE.glob("*.py") if p.name not in ("__init__.py", "__main__.py")]
    assert not loose, f"modules outside the stage folders: {loose}"
    folders = {p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    assert folders - {"theme"} <= set(STAGES), folders - set(STAGES)


def test_no_stage_imports_a_later_one():
    modules = sorted(PACKAGE.rglob("*.py"))
    assert len(modules) > 20
    wrong = []
    for path in modules:
        own = _stage(".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts))
        if own is None:
            continue
        for line, module in _imports(path):
            other = _stage(module)
            if other is not None and STAGES.index(other) > STAGES.index(own):
                wrong.append(f"{path.relative_to(PACKAGE.parent)}:{line} ({own}) imports {module} ({other})")
    assert not wrong, "\n".join(wrong)
