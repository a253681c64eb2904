"""The house's layers, read from the code's imports (no module is run).

``dashboard/`` lays out and caches: it reads the build through :mod:`geo.views` and names things
with the vocabulary (:mod:`geo.vocab`, :mod:`geo.palette`, :mod:`geo.formats`). The few other
``geo`` modules it may import are named in :data:`DASHBOARD_GEO` with the reason for each.
Inside ``geo/`` no two modules import each other, however long the loop (imports made only
for type checking, under ``if TYPE_CHECKING:``, are not run and do not count).
"""

from __future__ import annotations

import ast
from pathlib import Path

import numpy as np
from scipy.sparse import csr_array
from scipy.sparse.csgraph import connected_components

ROOT = Path(__file__).resolve().parent.parent

#: The ``geo`` modules ``dashboard/`` may import, each with its reason.
DASHBOARD_GEO = {
    "geo.views": "every read of a build a page shows",
    "geo.vocab": "the vocabulary: levels, load kinds, export formats",
    "geo.palette": "the one colour table of the vocabulary",
    "geo.formats": "numbers and dates written for a locale",
    "geo.errors": "the exception types a page catches to show their sentence",
    "geo.accounts": "writes: signing an official in and out (session tokens)",
    "geo.lockout": "writes: the sign-in form's lockout after failed attempts",
    "geo.uploads": "writes: the Data page checks and adds files to the inputs store",
}


def _module(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _type_checking_only(node: ast.AST) -> bool:
    test = node.test if isinstance(node, ast.If) else None
    return isinstance(test, ast.Name | ast.Attribute) and ast.unparse(test).endswith(
        "TYPE_CHECKING"
    )


def imported(path: Path) -> set[str]:
    """The modules ``path`` imports when it runs (``from geo import x`` names ``geo.x``)."""
    found: set[str] = set()
    stack: list[ast.AST] = [ast.parse(path.read_text(encoding="utf-8"))]
    while stack:
        node = stack.pop()
        if _type_checking_only(node):
            continue
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
        stack.extend(ast.iter_child_nodes(node))
    return found


def geo_imports() -> dict[str, set[str]]:
    """Each ``geo`` module and the ``geo`` modules it imports."""
    paths = sorted((ROOT / "geo").glob("*.py"))
    modules = {_module(path) for path in paths}
    return {_module(path): (imported(path) & modules) - {"geo"} for path in paths}


def loops(edges: dict[str, set[str]]) -> set[frozenset[str]]:
    """The modules that import each other in a loop, one set per loop (its strong component)."""
    names = sorted(edges)
    index = {name: i for i, name in enumerate(names)}
    pairs = [(index[a], index[b]) for a in names for b in edges[a]]
    rows, cols = zip(*pairs, strict=True) if pairs else ((), ())
    matrix = csr_array((np.ones(len(pairs)), (rows, cols)), shape=(len(names),) * 2)
    _, label = connected_components(matrix, directed=True, connection="strong")
    groups = [frozenset(n for n in names if label[index[n]] == k) for k in set(label)]
    return {group for group in groups if len(group) > 1}


def test_the_dashboard_imports_only_the_read_path_and_the_vocabulary_from_geo() -> None:
    used = {
        name: sorted(
            str(p.relative_to(ROOT))
            for p in (ROOT / "dashboard").rglob("*.py")
            if name in imported(p)
        )
        for name in {n for p in (ROOT / "dashboard").rglob("*.py") for n in imported(p)}
        if name.startswith("geo.")
    }
    modules = {_module(p) for p in (ROOT / "geo").glob("*.py")}
    outside = {name: files for name, files in used.items() if name in modules}
    assert set(outside) <= set(DASHBOARD_GEO), {
        name: files for name, files in outside.items() if name not in DASHBOARD_GEO
    }
    assert "geo.views" in outside  # the test reads the dashboard's imports at all


def test_geo_has_no_import_loop() -> None:
    edges = geo_imports()
    assert "geo.buildread" in edges["geo.views"]  # the imports are read at all
    assert loops(edges) == set()


def test_a_loop_is_found_however_long() -> None:
    edges = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": set()}
    assert loops(edges) == {frozenset("abc")}


def test_imports_for_type_checking_only_do_not_count(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text(
        "from typing import TYPE_CHECKING\nimport geo.cells\n"
        "if TYPE_CHECKING:\n    from geo.buildread import Build\n"
        "def f():\n    from geo import views\n",
        encoding="utf-8",
    )
    assert imported(module) == {"typing", "typing.TYPE_CHECKING", "geo.cells", "geo", "geo.views"}
