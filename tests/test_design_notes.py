"""docs/design-notes.md lists the frames passed between layers and names where their
columns are defined in code; these tests keep the two in step."""

from __future__ import annotations

import ast
import dataclasses
import importlib
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOTES = ROOT / "docs" / "design-notes.md"
LIBRARIES = ("forecasting", "scheduling", "planning")


def _table_rows() -> list[list[str]]:
    rows = []
    for line in NOTES.read_text(encoding="utf-8").splitlines():
        if line.startswith("| ") and not line.startswith("|---"):
            rows.append([cell.strip() for cell in line.strip().strip("|").split("|")])
    return rows


def _references(cell: str) -> list[tuple[str, str, bool]]:
    """(module, name, after "fields of") for each `module.Name` in a "defined in" cell;
    a bare `NAME` right after one is in the same module."""
    found, module = [], None
    for match in re.finditer(r"(fields of )?`([^`]+)`", cell):
        token = match.group(2)
        named = re.fullmatch(r"([a-z_][a-z0-9_.]*)\.([A-Za-z_]\w*)", token)
        if named and named.group(1).partition(".")[0] in LIBRARIES:
            module = named.group(1)
            found.append((module, named.group(2), bool(match.group(1))))
        elif module and re.fullmatch(r"[A-Z][A-Z0-9_]*", token):
            found.append((module, token, False))
    return found


def _documented() -> tuple[list[str], list[str]]:
    """(constants checked, mismatches) over every table row of the notes."""
    checked, wrong = [], []
    for cells in _table_rows():
        if len(cells) < 3:
            continue
        frame, columns, defined = cells[0], cells[1], cells[2]
        runs = re.findall(r"`([^`]+)`", columns)
        for module, name, fields in _references(defined):
            value = getattr(importlib.import_module(module), name, None)
            if fields and dataclasses.is_dataclass(value):
                names = [f.name for f in dataclasses.fields(value)]
            elif isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value):
                names = list(value)
            else:
                continue
            checked.append(f"{module}.{name}")
            if ", ".join(names) not in runs:
                wrong.append(f"{frame}: {module}.{name} is `{', '.join(names)}`")
    return checked, wrong


def test_the_columns_in_design_notes_are_those_of_the_code():
    checked, wrong = _documented()
    assert len(checked) >= 20, checked
    assert not wrong, "docs/design-notes.md is out of date:\n" + "\n".join(wrong)


def test_every_columns_constant_is_in_design_notes():
    checked, _ = _documented()
    constants = []
    for package in LIBRARIES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            module = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            for node in ast.parse(path.read_text(encoding="utf-8")).body:
                targets = (node.targets if isinstance(node, ast.Assign)
                           else [node.target] if isinstance(node, ast.AnnAssign) else [])
                constants += [f"{module}.{t.id}" for t in targets
                              if isinstance(t, ast.Name) and t.id.endswith("_COLUMNS")]
    missing = sorted(set(constants) - set(checked))
    assert not missing, ("frames whose columns docs/design-notes.md does not list "
                         "(name `module.CONSTANT` in a table's third column):\n"
                         + "\n".join(missing))
