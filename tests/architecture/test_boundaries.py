"""The rooms of the codebase and what each may import; the settings are read in one place.

Read from the source with `ast`, so a new import that crosses a boundary fails here before
it becomes a seam someone has to untangle.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

from runtime.settings import REPO_ROOT

PRODUCT_PACKAGES = ("actions", "catalog_index", "contract", "dialogue", "index_artefact", "nlu", "recommender",
                    "runtime", "store", "voice_skill", "web")

# package -> the project packages (or modules) it must never import
FORBIDDEN = {
    "catalog_index": ("recommender", "actions", "web", "voice_skill"),
    "recommender": ("catalog_index", "actions", "web", "voice_skill", "nlu.components"),
    "index_artefact": ("catalog_index", "recommender", "actions", "web", "voice_skill", "nlu", "store"),
    # the Rasa venv (Python 3.10, no torch or sentence-transformers) runs nlu
    "nlu": ("recommender", "catalog_index", "actions", "web", "voice_skill", "store", "index_artefact.encoder",
            "index_artefact.vectors"),
    "contract": PRODUCT_PACKAGES,
    "actions": ("recommender.live_catalog", "recommender.planner", "catalog_index", "web", "voice_skill"),
    "voice_skill": ("actions", "recommender", "catalog_index", "store"),
    # the dialogue's rules are a pure function of the state and the parsed message
    "dialogue": ("actions", "recommender", "catalog_index", "index_artefact", "store", "web", "voice_skill",
                 "runtime", "rasa_sdk"),
    "store": ("actions", "recommender", "catalog_index", "web", "voice_skill", "nlu"),
}


def python_files(package: str) -> list[Path]:
    return sorted(p for p in (REPO_ROOT / package).rglob("*.py") if "migrations" not in p.parts)


def imported_modules(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def crosses(module: str, forbidden: str) -> bool:
    return module == forbidden or module.startswith(forbidden + ".")


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_no_room_imports_what_it_must_not(package):
    found = [f"{path.relative_to(REPO_ROOT)} imports {module}"
             for path in python_files(package) for module in sorted(imported_modules(path))
             if any(crosses(module, forbidden) for forbidden in FORBIDDEN[package] if forbidden != package)]
    assert not found, "\n".join(found)


def test_the_builder_and_the_server_do_not_import_each_other():
    assert "catalog_index" in FORBIDDEN["recommender"] and "recommender" in FORBIDDEN["catalog_index"]


def test_the_check_sees_a_crossing_import(tmp_path):
    """The checker itself: an import of a forbidden room is found, an allowed one is not."""
    source = tmp_path / "module.py"
    source.write_text("import recommender.engine\nfrom index_artefact import layout\nfrom . import sibling\n")
    modules = imported_modules(source)
    assert any(crosses(m, "recommender") for m in modules)
    assert not any(crosses(m, "catalog_index") for m in modules)


def test_only_the_settings_module_reads_the_environment():
    readers = []
    for package in PRODUCT_PACKAGES:
        for path in python_files(package):
            if path == REPO_ROOT / "runtime" / "settings.py":
                continue
            text = path.read_text(encoding="utf-8")
            if "os.environ" in text or "os.getenv" in text or "getenv(" in text:
                readers.append(str(path.relative_to(REPO_ROOT)))
    assert not readers, f"read the environment through runtime.settings.Settings instead: {readers}"


def test_no_f_string_builds_json():
    """JSON is built with json.dumps: an f-string with a quoted key breaks on a quote in a value."""
    offenders = []
    for package in PRODUCT_PACKAGES:
        for path in python_files(package):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.JoinedStr):
                    literal = "".join(part.value for part in node.values if isinstance(part, ast.Constant))
                    if '{"' in literal or '":' in literal and "{" in literal:
                        offenders.append(f"{path.relative_to(REPO_ROOT)}:{node.lineno}")
    assert not offenders, offenders
