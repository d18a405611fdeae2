"""The layout rules of docs/ARCHITECTURE.md that import-linter does not check.

(`lint-imports` checks the layers and the absence of cycles; see [tool.importlinter].)
"""

import ast
import graphlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "blamelint"
MAX_LINES = 800
# The only modules allowed to touch a dependency's non-public API (each has its own test).
COMPAT = {"blamelint/analysis/spacy_compat.py", "blamelint/server/pygls_compat.py"}


def _modules():
    return sorted(PACKAGE.rglob("*.py"))


def _name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def test_no_module_imports_another_modules_private_names():
    found = []
    for path in _modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("blamelint"):
                private = [a.name for a in node.names if a.name.startswith("_") and not a.name.startswith("__")]
                if private and node.module != _name(path):
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {', '.join(private)} from {node.module}")
    assert not found, "private names imported across modules:\n" + "\n".join(found)


def test_no_module_is_over_the_size_limit():
    big = [f"{p.relative_to(ROOT)}: {n} lines" for p in _modules()
           if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES]
    assert not big, f"modules over {MAX_LINES} lines (split them by subsystem):\n" + "\n".join(big)


def test_dependencies_private_api_only_in_compat_modules():
    """spaCy's, thinc's and pygls's underscored attributes (and other modules' private attributes
    these names stand for) are reached only from the compat modules."""
    markers = ("._link_components", "._get_array_attrs", "._patterns", "._path", "._meta", "._send_data",
               "._converter", "._send_response", "fm.features", "._nlp")
    found = []
    for path in _modules():
        rel = str(path.relative_to(ROOT))
        if rel in COMPAT:
            continue
        for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            code = line.split("#", 1)[0].replace("self._", "self.")
            hits = [m for m in markers if m in code]
            if hits:
                found.append(f"{rel}:{i}: {', '.join(hits)}")
    assert not found, "non-public API of a dependency outside the compat modules:\n" + "\n".join(found)


def test_no_loose_user_data_keys():
    """What blamelint keeps on a spaCy Doc lives in one typed record (analysis/state.py)."""
    found = [f"{p.relative_to(ROOT)}:{i}" for p in _modules() if p.name != "state.py"
             for i, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1) if "user_data" in line]
    assert not found, "doc.user_data used outside analysis/state.py:\n" + "\n".join(found)


def test_every_package_ships_in_the_wheel():
    """pyproject.toml lists packages by hand (the rule packs live outside blamelint/): a new
    subpackage missing there would be left out of a non-editable install."""
    tomllib = pytest.importorskip("tomllib", reason="tomllib is in Python 3.11 and later")
    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["packages"])
    found = {_name(p) for p in PACKAGE.rglob("__init__.py")}
    assert found <= listed, f"add to [tool.setuptools] packages: {sorted(found - listed)}"


def test_no_import_cycle_among_modules():
    """No module imports (even inside a function) one that imports it back, directly or not; a
    package's `__init__` importing its own submodules is not an edge."""
    grimp = pytest.importorskip("grimp", reason="grimp comes with import-linter (the test extra)")
    graph = grimp.build_graph("blamelint")
    edges = {m: {i for i in graph.find_modules_directly_imported_by(m) if not i.startswith(m + ".")}
             for m in graph.modules}
    try:
        tuple(graphlib.TopologicalSorter(edges).static_order())
    except graphlib.CycleError as exc:
        pytest.fail(f"import cycle: {' -> '.join(exc.args[1])}")
