"""Size limits of the generator's code (issue 18): no module over about 400 lines, no class
over 150, no function over 60. Measured with `ast` (a unit's lines from its first
decorator to its last line, docstring included).

Every module of every stage is held to them: a unit that goes over fails, with every
offender and its size named."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "explainer"
MODULE_LINES, CLASS_LINES, FUNCTION_LINES = 400, 150, 60
LIMITS = {ast.ClassDef: CLASS_LINES, ast.FunctionDef: FUNCTION_LINES, ast.AsyncFunctionDef: FUNCTION_LINES}


def _span(node: ast.AST) -> int:
    first = min([node.lineno, *(d.lineno for d in getattr(node, "decorator_list", []))])  # type: ignore[attr-defined]
    return node.end_lineno - first + 1  # type: ignore[attr-defined]


def measure(package: Path = PACKAGE) -> dict[str, int]:
    """Every module, class and function over its limit -> its lines."""
    found: dict[str, int] = {}
    for path in sorted(package.rglob("*.py")):
        name = path.relative_to(package.parent).as_posix()
        text = path.read_text(encoding="utf-8")
        lines = len(text.splitlines())
        if lines > MODULE_LINES:
            found[name] = lines
        for node in ast.walk(ast.parse(text)):
            limit = LIMITS.get(type(node))
            if limit is not None and _span(node) > limit:
                found[f"{name}:{node.name}"] = _span(node)  # type: ignore[attr-defined]
    return found


def test_the_measure_finds_units_over_the_limits(tmp_path: Path) -> None:
    package = tmp_path / "pkg"
    package.mkdir()
    body = "    x = 1\n"
    (package / "small.py").write_text("def f():\n" + body * (FUNCTION_LINES - 1), encoding="utf-8")
    (package / "big.py").write_text(
        "@dataclass\nclass C:\n"
        + "    def g(self):\n"
        + "        y = 2\n" * FUNCTION_LINES
        + body * CLASS_LINES
        + "\n" * MODULE_LINES,
        encoding="utf-8",
    )
    assert measure(package) == {
        "pkg/big.py": 2 + 1 + FUNCTION_LINES + CLASS_LINES + MODULE_LINES,
        "pkg/big.py:C": 2 + 1 + FUNCTION_LINES + CLASS_LINES,
        "pkg/big.py:g": 1 + FUNCTION_LINES,
    }


def test_no_unit_is_over_the_limits() -> None:
    stages = {p.parent.name for p in PACKAGE.glob("*/*.py")}
    assert {"kinds", "render", "site"} <= stages and len(list(PACKAGE.rglob("*.py"))) > 50  # the real package
    over = measure()
    assert not over, "over the size limits:\n" + "\n".join(f"  {u}: {n} lines" for u, n in sorted(over.items()))
